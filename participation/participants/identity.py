"""Which participant this browser is, per event, kept in the signed session cookie."""

import secrets

from flask import session
from sqlalchemy import and_, select

from ..core.receipts import WriteReceipt
from ..extensions import db
from .models import Participant

KEY = "participants"
# Keep the cookie small: a phone remembers its most recent events only.
MAX_EVENTS = 8


def _pairs(source) -> list[list]:
    value = source.get(KEY, [])
    return value if isinstance(value, list) else []


def join(event) -> str:
    """Bind this browser to the event; returns the pseudonymous token (no database write)."""
    pairs = _pairs(session)
    token = next((t for eid, t in pairs if eid == event.id), None)
    if token is None:
        token = secrets.token_urlsafe(32)
        # A list keeps the order of joining, so the oldest is the one a full cookie drops.
        session[KEY] = [*pairs, [event.id, token]][-MAX_EVENTS:]
    session["current_event"] = event.id
    return token


def token_for(event_id: int, source=None) -> str | None:
    pairs = _pairs(session if source is None else source)
    return next((t for eid, t in pairs if eid == event_id), None)


def find(event_id: int, token: str | None) -> Participant | None:
    if token is None:
        return None
    return db.session.scalar(
        select(Participant).where(Participant.event_id == event_id, Participant.token == token)
    )


def ensure(session_, event_id: int, token: str, display_name: str | None = None) -> Participant:
    """Inside a write transaction: the participant row for this token, created on first use."""
    participant = session_.scalar(
        select(Participant).where(Participant.event_id == event_id, Participant.token == token)
    )
    if participant is None:
        return create(session_, event_id, token, display_name)
    if display_name is not None:
        participant.display_name = display_name
    return participant


def create(session_, event_id: int, token: str, display_name: str | None = None) -> Participant:
    participant = Participant(event_id=event_id, token=token, display_name=display_name)
    session_.add(participant)
    session_.flush()
    return participant


def ensure_with_receipt(session_, event_id: int, token: str, client_id: str | None
                        ) -> tuple[Participant, WriteReceipt | None]:
    """Inside a write transaction: `ensure`, and this person's receipt for `client_id` (a
    retry) found in the same query."""
    if client_id is None:
        return ensure(session_, event_id, token), None
    row = session_.execute(
        select(Participant, WriteReceipt)
        .outerjoin(WriteReceipt, and_(WriteReceipt.participant_id == Participant.id,
                                      WriteReceipt.client_id == client_id))
        .where(Participant.event_id == event_id, Participant.token == token)
    ).one_or_none()
    if row is None:
        # This person's first write: no receipt can exist yet.
        return create(session_, event_id, token), None
    return row[0], row[1]


def adopt(event_id: int, token: str) -> None:
    """Bind this browser to a given token, e.g. a referensgrupp member's from their invitation;
    it replaces any token the browser had for the event."""
    pairs = [p for p in _pairs(session) if p[0] != event_id]
    session[KEY] = [*pairs, [event_id, token]][-MAX_EVENTS:]
    session["current_event"] = event_id
