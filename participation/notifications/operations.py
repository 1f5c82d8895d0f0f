"""Subscribing, confirming and unsubscribing; queueing the messages a change calls for.

Double opt-in: an address gets nothing but one confirmation message until its holder follows
the link in it. Queueing happens inside the transaction that makes the change (an outbox), so a
change and its messages are committed together or not at all; sending is outbox.py's job.
"""

import hashlib
import re
from datetime import timedelta
from typing import Annotated

from flask_babel import lazy_gettext as _l
from pydantic import Field
from sqlalchemy import delete, func, or_, select, update
from typing_extensions import TypedDict

from ..core.errors import OperationError
from ..core.time import utcnow
from ..core.tx import write_transaction
from ..events.models import Event
from ..extensions import db
from ..participants.follow import plausible
from ..participants.models import Participant
from ..proposals.models import Proposal, Vote
from .models import ADDRESS_MAX, ConfirmationSent, MailMessage, Subscription, new_secret

# A plain address: RFC 5322's "atext" and dots before the @, a host name after it, ASCII only.
# Nothing a mail header would read as a second recipient, a display name, a comment or an
# encoded word (`,` `;` `<>` `()` `"` `=?`), so the stored address is exactly who gets mail.
ADDRESS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                     r"@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*"
                     r"[A-Za-z0-9])?)+")
# An address nobody confirms is deleted after this many days.
CONFIRM_DAYS = 7
# At most this many confirmation requests a day to one address, and from one follow link:
# the form cannot be used to flood a stranger's inbox.
CONFIRMATIONS_PER_ADDRESS = 3
CONFIRMATIONS_PER_PERSON = 5
SECRET_MIN, SECRET_MAX = 16, 32
RESULTS_PHASES = ("results", "closed")


class SubscriptionState(TypedDict):
    address: Annotated[str, Field(description="Masked: the first letter and the domain.")]
    confirmed: bool


def masked(address: str) -> str:
    local, _, domain = address.partition("@")
    return f"{local[:1]}…@{domain}"


def _state(found: Subscription | None) -> SubscriptionState | None:
    if found is None:
        return None
    return {"address": masked(found.address), "confirmed": found.confirmed_at is not None}


def state_of(participant_id: int) -> SubscriptionState | None:
    return _state(db.session.scalar(select(Subscription)
                                    .where(Subscription.participant_id == participant_id)))


def clean_address(value) -> str:
    address = value.strip() if isinstance(value, str) else ""
    if (not address or len(address) > ADDRESS_MAX or not ADDRESS.fullmatch(address)
            or "=?" in address or len(address.partition("@")[0]) > 64):
        raise OperationError("invalid_email", _l("Give an e-mail address, like namn@example.se."),
                             field="email")
    local, _, domain = address.partition("@")
    return f"{local}@{domain.lower()}"


def _confirmation_keys(address: str, participant_id: int) -> tuple[str, str]:
    digest = hashlib.sha256(address.lower().encode()).hexdigest()
    return f"a:{digest[:60]}", f"p:{participant_id}"


def subscribe(follow_code, email, locale: str, base_url: str) -> None:
    """Ask for messages to this address: a confirmation message is queued, at most
    CONFIRMATIONS_PER_ADDRESS a day to one address and CONFIRMATIONS_PER_PERSON from one
    follow link (over that, the answer is the same and nothing is sent). The same confirmed
    address again: nothing."""
    address = clean_address(email)
    if not plausible(follow_code):
        raise OperationError("follow_not_found", _l("This link is not valid."), 404)
    now = utcnow()
    with write_transaction() as session:
        person = session.scalar(select(Participant).where(Participant.follow_code == follow_code))
        if person is None:
            raise OperationError("follow_not_found", _l("This link is not valid."), 404)
        found = session.scalar(select(Subscription)
                               .where(Subscription.participant_id == person.id))
        if found is not None and found.address.lower() == address.lower() \
                and found.confirmed_at is not None:
            return
        by_address, by_person = _confirmation_keys(address, person.id)
        day = now - timedelta(days=1)
        sent = dict(session.execute(
            select(ConfirmationSent.key, func.count(ConfirmationSent.id))
            .where(ConfirmationSent.key.in_((by_address, by_person)),
                   ConfirmationSent.created_at > day)
            .group_by(ConfirmationSent.key)).all())
        if (sent.get(by_address, 0) >= CONFIRMATIONS_PER_ADDRESS
                or sent.get(by_person, 0) >= CONFIRMATIONS_PER_PERSON):
            return  # the same answer as when sent: the form tells nobody about the limit
        if found is None:
            found = Subscription(participant_id=person.id)
            session.add(found)
        else:  # a new request replaces the one waiting (its link stops working)
            session.execute(delete(MailMessage).where(MailMessage.subscription_id == found.id))
        found.address, found.secret, found.confirmed_at = address, new_secret(), None
        found.locale, found.base_url, found.created_at = locale, base_url[:200], now
        found.results_sent = False
        session.flush()
        session.add(MailMessage(subscription_id=found.id, kind="confirm"))
        session.add_all([ConfirmationSent(key=by_address), ConfirmationSent(key=by_person)])


def _by_secret(session, secret) -> Subscription | None:
    if not isinstance(secret, str) or not SECRET_MIN <= len(secret) <= SECRET_MAX:
        return None
    return session.scalar(select(Subscription).where(Subscription.secret == secret))


def find(secret) -> SubscriptionState | None:
    return _state(_by_secret(db.session, secret))


def confirm(secret) -> bool:
    """The holder of the confirmation link says yes; False for an unknown link."""
    with write_transaction() as session:
        found = _by_secret(session, secret)
        if found is None:
            return False
        if found.confirmed_at is None:
            found.confirmed_at = utcnow()
        return True


def unsubscribe(secret) -> bool:
    """The address and every message still waiting for it are deleted."""
    with write_transaction() as session:
        found = _by_secret(session, secret)
        if found is None:
            return False
        session.delete(found)
        return True


def unsubscribe_participant(session, participant_id: int) -> None:
    """Inside the erasure's or purge's transaction: the person's address goes with the rest."""
    session.execute(delete(Subscription).where(Subscription.participant_id == participant_id))


def queue_status_change(session, proposal_id: int, status: str) -> int:
    """Inside the transaction that changes a proposal's status: one message to each confirmed
    subscriber who wrote it (or a proposal merged into it) or voted on it."""
    authors = select(Proposal.participant_id).where(
        or_(Proposal.id == proposal_id, Proposal.merged_into_id == proposal_id),
        Proposal.participant_id.is_not(None))
    # A voter is told only about a proposal the public can see (as on their follow page).
    voters = select(Vote.participant_id).join(Proposal, Proposal.id == Vote.proposal_id).where(
        Vote.proposal_id == proposal_id, Proposal.status == "visible")
    subscriptions = session.scalars(select(Subscription.id).where(
        Subscription.confirmed_at.is_not(None),
        or_(Subscription.participant_id.in_(authors), Subscription.participant_id.in_(voters)))
    ).all()
    for subscription_id in subscriptions:
        session.add(MailMessage(subscription_id=subscription_id, kind="status",
                                proposal_id=proposal_id, status=status))
    return len(subscriptions)


def queue_results(now=None) -> int:
    """Once per confirmed subscriber, when their event shows its results (the sweep in the
    sending loop: a phase change needs no hook, and a restart misses nothing)."""
    now = now or utcnow()
    with write_transaction() as session:
        due = session.scalars(
            select(Subscription.id)
            .join(Participant, Participant.id == Subscription.participant_id)
            .join(Event, Event.id == Participant.event_id)
            .where(Subscription.confirmed_at.is_not(None), Subscription.results_sent.is_(False),
                   Event.phase.in_(RESULTS_PHASES))).all()
        for subscription_id in due:
            session.add(MailMessage(subscription_id=subscription_id, kind="results",
                                    next_attempt_at=now))
        if due:
            session.execute(update(Subscription).where(Subscription.id.in_(due))
                            .values(results_sent=True))
        # Addresses nobody confirmed in time are not kept, nor yesterday's counts.
        session.execute(delete(Subscription).where(
            Subscription.confirmed_at.is_(None),
            Subscription.created_at < now - timedelta(days=CONFIRM_DAYS)))
        session.execute(delete(ConfirmationSent).where(
            ConfirmationSent.created_at < now - timedelta(days=1)))
    return len(due)
