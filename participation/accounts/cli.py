import click

from ..core.errors import OperationError
from . import manage
from .models import ROLES
from .operations import create_or_update_user, generate_password, issue_token


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
def token(email):
    """Print a new bearer API token for EMAIL as the last line."""
    try:
        value = issue_token(email)
    except OperationError as error:
        raise click.ClickException(str(error.message)) from error
    click.echo(value)


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
