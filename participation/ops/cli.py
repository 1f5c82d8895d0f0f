import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from sqlalchemy.engine import make_url

from ..extensions import db

PG_DUMP = "pg_dump --format=custom --no-owner --file={path} \"$DATABASE_URL\""


def backup_sqlite(source: str, target: Path) -> None:
    """SQLite's online backup API: a consistent copy while the app keeps writing (WAL)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


@click.command("backup")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path):
    """Copy the embedded SQLite database to PATH (for PostgreSQL: print the pg_dump command)."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    if url.get_backend_name() != "sqlite":
        click.echo("PostgreSQL: back up with pg_dump (see docs/deploy.md, Backup):")
        click.echo(PG_DUMP.format(path=path or f"participation-{stamp}.dump"))
        return
    if not url.database or url.database == ":memory:":
        raise click.ClickException("This database is in memory; there is nothing to back up.")
    path = path or Path(current_app.instance_path) / "backups" / f"participation-{stamp}.db"
    if path.exists():
        raise click.ClickException(f"{path} exists already; choose another name.")
    db.session.remove()
    backup_sqlite(url.database, path)
    click.echo(f"Backed up to {path}")
