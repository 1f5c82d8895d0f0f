"""The waiting messages, for the sender (web/mail_outbox.py): claimed one by one, so two server
processes never send the same one, and retried with a growing wait when the SMTP server fails."""

from datetime import timedelta

from sqlalchemy import delete, func, or_, select, update
from typing_extensions import TypedDict

from ..core.time import utcnow
from ..core.tx import write_transaction
from ..events.models import Event
from ..extensions import db
from ..participants.models import Participant
from ..proposals.models import Proposal
from .models import MailMessage, Subscription

CLAIM_SECONDS = 120
BATCH = 50
# 1, 2, 4 … minutes, at most an hour; after this many failures the message is dropped (the
# follow page still tells the person everything).
ATTEMPTS_MAX = 10


class Outgoing(TypedDict):
    id: int
    kind: str
    address: str
    secret: str
    locale: str
    base_url: str
    follow_code: str | None
    event_title: str
    proposal_number: int | None
    status: str | None


def claim_due(now=None) -> list[Outgoing]:
    """Messages due now that no other sender holds; each is ours for CLAIM_SECONDS."""
    now = now or utcnow()
    free = or_(MailMessage.claimed_until.is_(None), MailMessage.claimed_until < now)
    ids = db.session.scalars(select(MailMessage.id).where(
        MailMessage.next_attempt_at <= now, free).order_by(MailMessage.id).limit(BATCH)).all()
    db.session.rollback()
    claimed = []
    for message_id in ids:
        with write_transaction() as session:
            taken = session.execute(update(MailMessage).where(MailMessage.id == message_id, free)
                                    .values(claimed_until=now + timedelta(
                                        seconds=CLAIM_SECONDS))).rowcount
        if taken:
            claimed.append(message_id)
    if not claimed:
        return []
    rows = db.session.execute(
        select(MailMessage, Subscription, Participant.follow_code, Event.title, Proposal.number)
        .join(Subscription, Subscription.id == MailMessage.subscription_id)
        .join(Participant, Participant.id == Subscription.participant_id)
        .join(Event, Event.id == Participant.event_id)
        .outerjoin(Proposal, Proposal.id == MailMessage.proposal_id)
        .where(MailMessage.id.in_(claimed)).order_by(MailMessage.id)).all()
    db.session.rollback()
    return [{"id": m.id, "kind": m.kind, "address": s.address, "secret": s.secret,
             "locale": s.locale, "base_url": s.base_url, "follow_code": follow_code,
             "event_title": title, "proposal_number": number, "status": m.status}
            for m, s, follow_code, title, number in rows]


def sent(message_id: int) -> None:
    with write_transaction() as session:
        session.execute(delete(MailMessage).where(MailMessage.id == message_id))


def failed(message_id: int, now=None) -> None:
    """Try again later, or give up after ATTEMPTS_MAX."""
    now = now or utcnow()
    with write_transaction() as session:
        message = session.get(MailMessage, message_id)
        if message is None:
            return
        message.attempts += 1
        if message.attempts >= ATTEMPTS_MAX:
            session.delete(message)
            return
        message.next_attempt_at = now + timedelta(minutes=min(2 ** (message.attempts - 1), 60))
        message.claimed_until = None


def waiting() -> int:
    """How many messages wait (for /metrics and the CLI)."""
    return db.session.scalar(select(func.count(MailMessage.id)))
