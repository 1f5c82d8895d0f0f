import click

from ..core.errors import OperationError
from . import manage
from .models import ROLES
from .operations import create_or_update_user, generate_password
from .tokens import (
    DAYS_DEFAULT,
    DAYS_MAX,
    DAYS_MIN,
    issue_token,
    list_tokens,
    revoke_all_tokens,
    revoke_token,
    user_by_email,
)


@click.group("users", help="Manage staff accounts.")
def users():
    pass


@users.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--password", default=None, help="Generated and printed when left out.")
def create(email, role, password):
    generated = password is None
    password = password or generate_password()
    try:
        user = create_or_update_user(email, role, password)
    except OperationError as error:
        raise click.ClickException(str(error.message)) from error
    click.echo(f"{user.email} ({user.role}) is ready.")
    if generated:
        click.echo(f"Password: {password}")


@users.command("token")
@click.argument("email")
@click.option("--name", default="CLI", show_default=True, help="What the token is for.")
@click.option("--days", type=int, default=DAYS_DEFAULT, show_default=True,
              help=f"Days until it expires ({DAYS_MIN}-{DAYS_MAX}).")
def token(email, name, days):
    """Print a new bearer API token for EMAIL as the last line."""
    try:
        value, row = issue_token(user_by_email(email), name, days, by=None)
    except OperationError as error:
        raise click.ClickException(str(error.message)) from error
    click.echo(f"Token #{row.id} \"{row.name}\" expires {_when(row.expires_at)} UTC. "
               "It is shown only now:")
    click.echo(value)


@users.command("tokens")
@click.argument("email")
def tokens(email):
    """List EMAIL's API tokens (never the tokens themselves), newest first."""
    try:
        rows = list_tokens(user_by_email(email))
    except OperationError as error:
        raise click.ClickException(str(error.message)) from error
    columns = ("id", "name", "created", "expires", "last used", "revoked", "state")
    click.echo("\t".join(columns))
    for row in rows:
        click.echo("\t".join((str(row["id"]), row["name"], _when(row["created_at"]),
                              _when(row["expires_at"]), _when(row["last_used_at"]),
                              _when(row["revoked_at"]), row["state"])))


@users.command("revoke-token")
@click.argument("email")
@click.argument("token_id", type=int, required=False)
@click.option("--all", "every", is_flag=True, help="Revoke every token of EMAIL.")
def revoke_token_command(email, token_id, every):
    """Revoke EMAIL's token TOKEN_ID (from `users tokens`), or --all of them."""
    if every == (token_id is not None):
        raise click.UsageError("Give either TOKEN_ID or --all.")
    try:
        user = user_by_email(email)
        if every:
            click.echo(f"Revoked {revoke_all_tokens(user, by=None)} token(s) of {user.email}.")
        else:
            shape = revoke_token(user, token_id, by=None)
            click.echo(f"Token #{shape['id']} \"{shape['name']}\" is revoked.")
    except OperationError as error:
        raise click.ClickException(str(error.message)) from error


def _when(value) -> str:
    """A time for the terminal: UTC to the minute, "-" for none."""
    if value is None:
        return "-"
    return (value if isinstance(value, str) else value.isoformat())[:16].replace("T", " ")


@users.command("disable")
@click.argument("email")
def disable(email):
    """Disable EMAIL's account: it cannot log in, and its sessions and tokens stop working."""
    try:
        manage.disable(manage.COMMAND_LINE, manage.account_id(email))
    except OperationError as error:
        raise click.ClickException(str(error.message)) from error
    click.echo(f"{email} is disabled.")


@users.command("enable")
@click.argument("email")
def enable(email):
    """Enable a disabled account again."""
    try:
        manage.enable(manage.COMMAND_LINE, manage.account_id(email))
    except OperationError as error:
        raise click.ClickException(str(error.message)) from error
    click.echo(f"{email} is enabled.")


@users.command("reset-mfa")
@click.argument("email")
def reset_mfa(email):
    """Turn EMAIL's second factor off (a lost phone and no recovery codes left); a role that
    must use one sets it up again at the next login."""
    try:
        manage.reset_second_factor(manage.COMMAND_LINE, manage.account_id(email))
    except OperationError as error:
        raise click.ClickException(str(error.message)) from error
    click.echo(f"{email}'s two-step verification is reset.")
@users.command("signout")
@click.argument("email")
def signout(email):
    """End every session of EMAIL at once: pages, REST and open sockets (API tokens stay)."""
    try:
        manage.sign_out_everywhere(manage.COMMAND_LINE, manage.account_id(email))
    except OperationError as error:
        raise click.ClickException(str(error.message)) from error
    click.echo(f"{email} is signed out everywhere.")
