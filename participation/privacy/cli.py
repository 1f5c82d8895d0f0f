import click
from flask import current_app
from flask.cli import AppGroup

from . import purge as purging

privacy_cli = AppGroup("privacy", help="Residents' privacy: purge personal data after retention.")


@privacy_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Only count what would be removed.")
def purge_command(dry_run):
    """Remove the personal data of events closed longer than RETENTION_DAYS."""
    days = current_app.config["RETENTION_DAYS"]
    done = purging.purge(days, dry_run=dry_run)
    verb = "would purge" if dry_run else "purged"
    totals: dict[str, int] = {}
    for event, counts in done:
        click.echo(f"{verb} event {event.id} ({event.code}): "
                   + ", ".join(f"{k} {v}" for k, v in counts.items()))
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
    click.echo(f"{len(done)} events {verb} (retention {days} days)"
               + ("" if not totals else ": " + ", ".join(f"{k} {v}" for k, v in totals.items())))
