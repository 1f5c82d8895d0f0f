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


def resident_mail_on(config) -> bool:
    """Residents may ask for messages (notifications/) only when mail works AND the links in
    those messages have a configured home: never a host taken from a request's Host header,
    which whoever sends the request chooses."""
    return mail_configured(config) and bool(config.get("PUBLIC_BASE_URL"))


def send_mail(config, to: str, subject: str, body: str, headers: dict | None = None) -> bool:
    """Send a plain-text message; True when the server took it. A failure is logged and
    answered False: the caller still has the link to show (or the outbox tries again)."""
    if not mail_configured(config):
        return False
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = config["SMTP_FROM"], to, subject
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    try:
        with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"],
                          timeout=TIMEOUT_SECONDS) as smtp:
            if config.get("SMTP_STARTTLS"):
                smtp.starttls(context=ssl.create_default_context())
            if config.get("SMTP_USER"):
                smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
            # The recipient is the address given, never what a parser reads from the header.
            smtp.send_message(message, to_addrs=[to])
    except (OSError, smtplib.SMTPException) as error:
        log.warning("mail to %s not sent: %s", to.split("@")[-1], error)
        return False
    return True
