"""Restore a backup into an EMPTY database, never over one that holds data.

A restore over existing tables would mix two states (or fail half-way); refusing is the only
answer that cannot lose anything. SQLite: the backup API copies the file's pages into the
configured path. PostgreSQL: `pg_restore --no-owner --exit-on-error --single-transaction`, so a
restore that fails leaves the database as empty as it was.
"""

import os
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import URL, Engine

from . import postgres_tools as pg
from .private_files import create_private

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"


class RestoreError(Exception):
    """A message for the operator; nothing was changed."""


def backup_kind(path: Path) -> str | None:
    with path.open("rb") as handle:
        head = handle.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_CUSTOM_MAGIC):
        return "postgresql"
    return None


def _require_kind(path: Path, wanted: str) -> None:
    kind = backup_kind(path)
    if kind != wanted:
        made = {"sqlite": "an SQLite backup", "postgresql": "a pg_dump custom-format backup",
                None: "neither an SQLite backup nor a pg_dump custom-format backup"}[kind]
        raise RestoreError(f"{path} is {made}; the configured database is {wanted}.")


def _refuse_if_not_empty(where: str, tables: list[str]) -> None:
    if tables:
        shown = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
        raise RestoreError(
            f"Refusing to restore: the database {where} is not empty ({len(tables)} tables: "
            f"{shown}). Restore only into an empty database: create a new one (for SQLite, move "
            "the file away), point DATABASE_URL at it and run restore again. Nothing was changed.")


def _sqlite_tables(path: Path) -> list[str]:
    # Read through sqlite3 itself: it sees a -wal file's pages, and opening the file through
    # the app's engine would switch it to WAL mode first.
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    finally:
        connection.close()


def restore_sqlite(backup: Path, target: Path) -> None:
    _require_kind(backup, "sqlite")
    source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        if source.execute("PRAGMA integrity_check").fetchone() != ("ok",):
            raise RestoreError(f"{backup} fails SQLite's integrity check; it cannot be restored.")
        if target.exists():
            _refuse_if_not_empty(str(target), _sqlite_tables(target))
        else:
            os.close(create_private(target))  # the live database holds personal data too
        destination = sqlite3.connect(str(target))
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()


def restore_postgres(backup: Path, url: URL, engine: Engine) -> None:
    _require_kind(backup, "postgresql")
    with engine.connect() as connection:
        major = pg.server_major(connection)
        tables = inspect(connection).get_table_names()
    _refuse_if_not_empty(url.render_as_string(hide_password=True), tables)
    pg_restore = pg.tool("pg_restore", major)
    conn = pg.connection(url)
    # --no-owner and --no-privileges: the tables belong to whoever restores (the app's role on
    # this server); the old server's roles need not exist here.
    done = subprocess.run(
        [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
         f"--dbname={conn.conninfo}", str(backup)],
        capture_output=True, env=conn.env)
    if done.returncode != 0:
        raise RestoreError("pg_restore failed (the database was left as it was): "
                           + done.stderr.decode(errors="replace").strip())
