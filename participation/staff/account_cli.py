"""`flask users reset-link EMAIL`: the one `flask users` command that prints a link."""

import click
from flask import current_app

from ..accounts import resets
from ..accounts.manage import COMMAND_LINE, account_id
from ..core.errors import OperationError
from .reset_mail import link_and_mail


@click.command("reset-link")
@click.argument("email")
def reset_link(email):
    """Print a one-time link (24 hours) for EMAIL to set a new password; also mailed when
    SMTP_HOST is set. Earlier unused links stop working."""
    base = current_app.config.get("PUBLIC_BASE_URL") or "http://localhost"
    try:
        with current_app.test_request_context(base_url=base):
            link = link_and_mail(resets.issue_reset(COMMAND_LINE, account_id(email)),
                                 invited=False)
    except OperationError as error:
        raise click.ClickException(str(error.message)) from error
    if not current_app.config.get("PUBLIC_BASE_URL"):
        click.echo("PUBLIC_BASE_URL is not set: replace http://localhost with the site's address.")
    if link["mailed"]:
        click.echo(f"Mailed to {link['email']}.")
    click.echo(link["url"])
