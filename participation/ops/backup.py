"""Back up the configured database into a new file readable by its owner only.

SQLite: the online backup API (a consistent copy while the server keeps writing, WAL and all).
PostgreSQL: `pg_dump --format=custom`, written into a file this process created 0600 (pg_dump
itself would create its --file with the umask's mode, world-readable on most systems).
"""

import os
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL, Engine

from . import postgres_tools as pg
from .private_files import create_private, remove_quietly


class BackupError(Exception):
    """A message for the operator."""


def backup_sqlite(source: str, target: Path) -> None:
    if not Path(source).exists():
        raise BackupError(f"There is no database at {source}.")
    os.close(create_private(target))
    try:
        src = sqlite3.connect(source)
        try:
            dst = sqlite3.connect(str(target))
            try:
                src.backup(dst)
                # One self-contained file: the copy leaves WAL mode (which it inherits from the
                # source's header) so no -wal file is needed next to it.
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
    except BaseException:
        remove_quietly(target)
        raise


def backup_postgres(url: URL, engine: Engine, target: Path) -> None:
    with engine.connect() as connection:
        major = pg.server_major(connection)
    pg_dump = pg.tool("pg_dump", major)
    conn = pg.connection(url)
    fd = create_private(target)
    try:
        with os.fdopen(fd, "wb") as out:
            done = subprocess.run([pg_dump, "--format=custom", f"--dbname={conn.conninfo}"],
                                  stdout=out, stderr=subprocess.PIPE, env=conn.env)
        if done.returncode != 0:
            raise BackupError("pg_dump failed: " + done.stderr.decode(errors="replace").strip())
    except BaseException:
        remove_quietly(target)
        raise
