"""A resident's participant row for their pseudonymous token: found, or made on first write.

The token itself lives in the browser's signed cookie (web/identity.py); this module is the
database side, used inside the operations' write transactions and by the screens' reads.
"""

from sqlalchemy import and_, select

from .. import access
from ..core.receipts import WriteReceipt
from ..extensions import db
from .follow import plausible
from .models import Participant


def find(event_id: int, token: str | None, session=None) -> Participant | None:
    if token is None:
        return None
    return (session or db.session).scalar(
        select(Participant).where(Participant.event_id == event_id, Participant.token == token)
    )


def ensure(session_, event_id: int, token: str, display_name: str | None = None) -> Participant:
    """Inside a write transaction: the participant row for this token, created on first use."""
    participant = find(event_id, token, session_)
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


def by_follow_code(follow_code) -> Participant | None:
    """The holder of a "follow my proposals" link (16 random characters)."""
    if not plausible(follow_code):
        return None
    return db.session.scalar(select(Participant).where(Participant.follow_code == follow_code))


def may_take_part(event, token: str | None, session=None) -> bool:
    """access.may_take_part for the phone holding `token` (reads; pages and connects). The
    participant row is read only for a referensgrupp, the one kind where it decides."""
    return not event.is_group or access.may_take_part(event, find(event.id, token, session))


def require_take_part(session, event, token):
    """Inside a write transaction on the event: the caller's active referensgrupp membership
    (None for an open event, where joining is enough), or `not_a_member` (access.py)."""
    if not event.is_group:
        return None
    return access.require_take_part(event, find(event.id, token, session))
