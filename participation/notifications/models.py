"""Opt-in e-mail for residents: told when what they wrote or supported changes status, and when
the results are published.

The address is stored here only, apart from any proposal text, with the pseudonymous participant
it follows; it is never exported. It goes on unsubscribe, on erasure, when the event is purged
after the retention period, and when it was never confirmed within CONFIRM_DAYS.

Messages wait in `mail_messages` (an outbox written in the same transaction as the change they
announce), hold no text of their own (it is made when sending, in the person's language) and go
once they are sent.
"""

import secrets
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..core.time import utcnow
from ..extensions import db

ADDRESS_MAX = 254
MESSAGE_KINDS = ("confirm", "status", "results")


def new_secret() -> str:
    return secrets.token_urlsafe(18)


class Subscription(db.Model):
    __tablename__ = "mail_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), unique=True)
    address: Mapped[str] = mapped_column(String(ADDRESS_MAX))
    # The key in the confirmation and unsubscribe links (24 URL-safe characters).
    secret: Mapped[str] = mapped_column(String(32), unique=True, default=new_secret)
    # The language the person read the follow page in: their messages are written in it.
    locale: Mapped[str] = mapped_column(String(8), default="sv")
    # Where the links in the messages point (PUBLIC_BASE_URL, else the host they subscribed at).
    base_url: Mapped[str] = mapped_column(String(200), default="")
    confirmed_at: Mapped[datetime | None] = mapped_column(default=None)
    results_sent: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ConfirmationSent(db.Model):
    """That a confirmation request went out, keyed by a digest of the address (lower case) and
    by the participant: how the form is kept from flooding an inbox. Kept a day."""

    __tablename__ = "mail_confirmations_sent"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MailMessage(db.Model):
    __tablename__ = "mail_messages"
    __table_args__ = (
        CheckConstraint("kind IN ('confirm', 'status', 'results')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("mail_subscriptions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    # A status message: which proposal (its number is told, never its text) and the new status.
    proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), default=None)
    status: Mapped[str | None] = mapped_column(String(20), default=None)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A sender owns the message until then (several processes may send).
    claimed_until: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
