import click

from ..core.errors import OperationError
from .models import ROLES
from .operations import (
    create_or_update_user,
    generate_password,
    issue_token,
    sign_out_everywhere,
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
def token(email):
    """Print a new bearer API token for EMAIL as the last line."""
    try:
        value = issue_token(email)
    except OperationError as error:
        raise click.ClickException(str(error.message)) from error
    click.echo(value)


@users.command("signout")
@click.argument("email")
def signout(email):
    """End every session of EMAIL at once: pages, REST and open sockets (API tokens stay)."""
    try:
        user = sign_out_everywhere(email)
    except OperationError as error:
        raise click.ClickException(str(error.message)) from error
    click.echo(f"{user.email} is signed out everywhere.")
