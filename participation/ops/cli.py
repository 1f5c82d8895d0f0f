"""`flask backup` and `flask restore`: the operator's commands (docs/deploy.md, Backups and
restore)."""

from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from sqlalchemy.engine import make_url

from ..extensions import db
from .backup import BackupError, backup_postgres, backup_sqlite
from .postgres_tools import ToolError
from .private_files import human_size
from .restore import RestoreError, restore_postgres, restore_sqlite
from .restored import examine

UPGRADE = "flask --app wsgi db upgrade"


def _configured_url():
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite" and (not url.database or url.database == ":memory:"):
        raise click.ClickException("This database is in memory; there is nothing to back up "
                                   "or restore into.")
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise click.ClickException(f"Backups handle SQLite and PostgreSQL, not "
                                   f"{url.get_backend_name()}.")
    return url


def _release_connections():
    # The session's connection could hold a transaction (SQLite: a lock) open across the copy.
    db.session.remove()
    db.engine.dispose()


@click.command("backup")
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write (must not exist). Default: "
                   "instance/backups/participation-<UTC time>.db or .dump")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
def backup_command(output, path):
    """Back up the configured database (SQLite or PostgreSQL) into a file only its owner can
    read. PATH is the older spelling of --output."""
    url = _configured_url()
    if output and path and output != path:
        raise click.UsageError("Give the file once: --output FILE (or PATH).")
    sqlite = url.get_backend_name() == "sqlite"
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = output or path or (Path(current_app.instance_path) / "backups"
                                / f"participation-{stamp}.{'db' if sqlite else 'dump'}")
    if target.exists():
        raise click.ClickException(f"{target} exists already; choose another name.")
    _release_connections()
    try:
        if sqlite:
            backup_sqlite(url.database, target)
        else:
            backup_postgres(url, db.engine, target)
    except (BackupError, ToolError) as error:
        raise click.ClickException(str(error)) from None
    except FileExistsError:
        raise click.ClickException(f"{target} exists already; choose another name.") from None
    click.echo(f"Backed up to {target} ({human_size(target.stat().st_size)}, mode 0600)")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(file):
    """Restore FILE (from `flask backup`) into the configured database, which must be empty;
    then compare its schema revision with this code's and count its rows."""
    url = _configured_url()
    _release_connections()
    try:
        if url.get_backend_name() == "sqlite":
            restore_sqlite(file, Path(url.database))
        else:
            restore_postgres(file, url, db.engine)
    except (RestoreError, ToolError) as error:
        raise click.ClickException(str(error)) from None
    _release_connections()
    where = (url.database if url.get_backend_name() == "sqlite"
             else url.render_as_string(hide_password=True))
    click.echo(f"Restored {file} into {where}")
    restored = examine(db.engine, current_app.extensions["migrate"].directory)
    width = max(map(len, restored.counts), default=0)
    click.echo("Rows per table:")
    for name, count in restored.counts.items():
        click.echo(f"  {name:<{width}}  {count}")
    heads = ", ".join(restored.heads)
    if restored.current:
        click.echo(f"Schema revision {restored.revision} is this code's head: ready to start.")
    elif restored.known:
        click.echo(f"Schema revision {restored.revision} is older than this code's head "
                   f"({heads}): run `{UPGRADE}` before starting the service.")
    elif restored.revision is None:
        raise click.ClickException("The restored database has no alembic_version: it was not "
                                   "made by `db upgrade`, so its schema is unknown. Check the "
                                   "backup before starting the service.")
    else:
        raise click.ClickException(
            f"Schema revision {restored.revision} is unknown to this code (head {heads}): a "
            "newer version made the backup. Install that version (or a newer one) before "
            "starting the service.")
