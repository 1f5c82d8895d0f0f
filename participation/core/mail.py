"""Outgoing mail over SMTP (SMTP_HOST, SMTP_PORT, SMTP_FROM, SMTP_USER, SMTP_PASSWORD,
SMTP_STARTTLS). Without SMTP_HOST nothing is sent and the caller hands the text on itself."""

import logging
import smtplib
import ssl
from email.message import EmailMessage

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 15


def mail_configured(config) -> bool:
    return bool(config.get("SMTP_HOST") and config.get("SMTP_FROM"))


def send_mail(config, to: str, subject: str, body: str) -> bool:
    """Send a plain-text message; True when the server took it. A failure is logged and
    answered False: the caller still has the link to show, so nothing is lost."""
    if not mail_configured(config):
        return False
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = config["SMTP_FROM"], to, subject
    message.set_content(body)
    try:
        with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"],
                          timeout=TIMEOUT_SECONDS) as smtp:
            if config.get("SMTP_STARTTLS"):
                smtp.starttls(context=ssl.create_default_context())
            if config.get("SMTP_USER"):
                smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        log.warning("mail to %s not sent: %s", to.split("@")[-1], error)
        return False
    return True
