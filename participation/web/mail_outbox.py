"""Sending residents' waiting messages (notifications/outbox.py): in the serving process every
MAIL_INTERVAL_SECONDS, or from cron with `flask mail send`. Never inside a request: a slow or
absent SMTP server delays a message, not a page.

A message is written when it is sent, in the language the person subscribed in, and says the
proposal's number and its new status, never its text: mail passes through servers we do not
run. Every message carries an unsubscribe link (and the one-click header, RFC 8058).
"""

import click
from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from ..core.every import start_every
from ..core.mail import mail_configured, send_mail
from ..notifications import operations, outbox
from .labels import REVIEW_STATUS_NAMES


def _links(item) -> dict:
    # Paths from the app's routes; the host is the one the person subscribed at.
    with current_app.test_request_context("/"):
        return {
            "follow": item["base_url"] + url_for("public.follow",
                                                 follow_code=item["follow_code"]),
            "confirm": item["base_url"] + url_for("public.mail_page", secret=item["secret"]),
            "unsubscribe": item["base_url"] + url_for("public.mail_unsubscribe",
                                                      secret=item["secret"]),
        }


def compose(item) -> tuple[str, str, dict]:
    """The subject, the body and the extra headers of one waiting message."""
    links = _links(item)
    headers = {"List-Unsubscribe": f"<{links['unsubscribe']}>",
               "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
               "Auto-Submitted": "auto-generated"}
    with force_locale(item["locale"]):
        if item["kind"] == "confirm":
            subject = _("Confirm your e-mail address")
            body = _("You asked to be told by e-mail what becomes of your input to "
                     "\"%(event)s\". Confirm here:\n\n%(link)s\n\nIf it was not you, do nothing: "
                     "the address is deleted within a week.",
                     event=item["event_title"], link=links["confirm"])
        elif item["kind"] == "status":
            subject = _("News about proposal %(number)s", number=item["proposal_number"])
            status = REVIEW_STATUS_NAMES.get(item["status"], item["status"])
            body = _("Proposal %(number)s in \"%(event)s\", which you wrote or supported, now "
                     "has the status: %(status)s.\n\nRead more on your page:\n%(link)s",
                     number=item["proposal_number"], event=item["event_title"],
                     status=status, link=links["follow"])
        else:
            subject = _("The results are published")
            body = _("The results of \"%(event)s\" are published. See what became of your "
                     "input on your page:\n%(link)s", event=item["event_title"],
                     link=links["follow"])
        body += "\n\n-- \n" + _("No more messages: %(link)s", link=links["unsubscribe"])
    return str(subject), str(body), headers


def send_waiting(app) -> int:
    """Queue the results messages that are due, then send every waiting message that is due;
    the number sent. A refused send waits and is tried again (outbox.failed)."""
    config = app.config
    if not mail_configured(config):
        return 0
    operations.queue_results()
    count = 0
    for item in outbox.claim_due():
        subject, body, headers = compose(item)
        if send_mail(config, item["address"], subject, body, headers):
            outbox.sent(item["id"])
            count += 1
        else:
            outbox.failed(item["id"])
    return count


def start_loop(app):
    """Send every MAIL_INTERVAL_SECONDS while serving (0, or no SMTP_HOST: never)."""
    if not mail_configured(app.config):
        return None
    return start_every(app, app.config["MAIL_INTERVAL_SECONDS"], lambda: send_waiting(app),
                       "mail round")


@click.group("mail", help="Residents' opt-in messages.")
def mail_cli():
    pass


@mail_cli.command("send")
def send_command():
    """Send the waiting messages now (for cron, when the loop is off)."""
    sent = send_waiting(current_app)
    click.echo(f"sent {sent}, waiting {outbox.waiting()}")
