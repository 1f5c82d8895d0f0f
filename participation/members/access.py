"""Who may take part in a referensgrupp: one check every resident write makes, under the lock."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core.errors import OperationError
from ..extensions import db
from ..participants.models import Participant
from .models import Member

GROUP = "referensgrupp"
AUTHOR_NAME_MAX = 60  # proposals.author_name


def active_member(session, event_id: int, token: str | None) -> Member | None:
    if token is None:
        return None
    return session.scalar(
        select(Member).join(Participant, Participant.id == Member.participant_id).where(
            Member.event_id == event_id, Participant.event_id == event_id,
            Participant.token == token, Member.revoked_at.is_(None))
    )


def require_member(session, event, token: str | None) -> Member | None:
    """Inside the event's write transaction: None for open events; for a referensgrupp the
    caller's active membership, or `not_a_member`. A revoked member is refused at once."""
    if event.kind != GROUP:
        return None
    member = active_member(session, event.id, token)
    if member is None:
        raise OperationError(
            "not_a_member", _l("Only invited members of this reference group can take part."),
            403)
    return member


def may_take_part(event, token: str | None) -> bool:
    """For pages and socket connects (a read): open events yes, a group only its members."""
    return event.kind != GROUP or active_member(db.session, event.id, token) is not None


def author_name(member: Member | None, display_name: str | None) -> str | None:
    """The name printed on a proposal: in a group only the member's, and only with consent."""
    if member is None:
        return display_name or None
    return member.name[:AUTHOR_NAME_MAX] if member.show_name else None
