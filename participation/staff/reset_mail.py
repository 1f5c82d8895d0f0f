"""A set-password link by e-mail, when SMTP is configured; always in Swedish (the person's
language is not known), and always also shown to the admin who made it."""

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from ..core.mail import mail_configured, send_mail
from ..web.links import reset_url


def link_and_mail(result: dict, invited: bool) -> dict:
    """The link for the page, and whether it was also mailed: {"url", "email", "mailed",
    "mail_failed"}."""
    url = reset_url(result["reset_token"])
    config = current_app.config
    mailed = False
    if mail_configured(config):
        with force_locale("sv"):
            if invited:
                subject = _("Your staff account for %(site)s", site=config["MFA_ISSUER"])
                body = _("You have a staff account for %(site)s. Choose your password with "
                         "this link within 24 hours; it works once:\n\n%(url)s\n",
                         site=config["MFA_ISSUER"], url=url)
            else:
                subject = _("Set a new password for %(site)s", site=config["MFA_ISSUER"])
                body = _("An administrator made a link for you to set a new password. It "
                         "works once, within 24 hours:\n\n%(url)s\n\nIf you did not ask for "
                         "it, tell your administrator.", url=url)
        mailed = send_mail(config, result["email"], subject, body)
    return {"url": url, "email": result["email"], "mailed": mailed,
            "mail_failed": mail_configured(config) and not mailed}
