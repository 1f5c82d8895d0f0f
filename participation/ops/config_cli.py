"""`flask --app wsgi config show`: the settings in effect, where each came from, secrets masked.

Run it with the same PARTICIPATION_CONFIG as the service to see what the service sees.
"""

import re
from urllib.parse import urlsplit, urlunsplit

import click
from flask import current_app
from flask.cli import with_appcontext

# Setting names whose whole value is a secret.
SECRET_NAME = re.compile(r"SECRET|PASSWORD|ENCRYPTION_KEY|TOKEN", re.IGNORECASE)
# The name a setting has in app.config, where it differs.
CONFIG_KEY = {"DATABASE_URL": "SQLALCHEMY_DATABASE_URI"}
MASK = "********"


def mask_url(value: str) -> str:
    """A URL's password (postgresql://user:PASSWORD@host/db, redis://:PASSWORD@host) masked."""
    if "://" not in value:
        return value
    try:
        parts = urlsplit(value)
        password = parts.password
    except ValueError:
        return MASK  # not a URL we can read: show nothing of it
    if not password:
        return value
    userinfo, _, host = parts.netloc.rpartition("@")
    user = userinfo.partition(":")[0]
    return urlunsplit(parts._replace(netloc=f"{user}:{MASK}@{host}"))


def shown(name: str, value) -> str:
    if value is None or value == "":
        return "(unset)"
    if SECRET_NAME.search(name):
        return f"{MASK} ({len(str(value))} characters)"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list | tuple):
        return " ".join(str(item) for item in value) if value else "(unset)"
    return mask_url(str(value))


@click.group("config")
def config_cli():
    """The settings this installation runs with."""


@config_cli.command("show")
@with_appcontext
def show():
    """Every setting in effect, its origin (environment, file, default), secrets masked."""
    config = current_app.config
    settings = config["SETTINGS"]
    click.echo(f"Mode: {config['PARTICIPATION_ENV']}")
    click.echo(f"Settings file: {config['SETTINGS_FILE'] or '(none: PARTICIPATION_CONFIG unset)'}")
    rows = []
    for name in settings.asked:
        if name == "PARTICIPATION_ENV":
            continue
        key = CONFIG_KEY.get(name, name)
        value = config[key] if key in config else settings.get(name)
        rows.append((name, shown(name, value), settings.origin(name)))
    width = max(len(name) for name, _, _ in rows)
    for name, value, origin in rows:
        click.echo(f"{name.ljust(width)}  {value}  [{origin}]")
