"""After the retention period, the personal data of a closed event goes; the tallies stay exact.

The rule (docs/deploy.md, "Privacy and retention"): for an event closed more than
RETENTION_DAYS ago, every identifying field is cleared in place —
participants' tokens are replaced by fresh random ones (the phones' cookies no longer match),
follow codes and display names are removed, proposals lose their author names, referensgrupp
members become "Medlem N" without e-mail and their invitation digests are replaced. Rows are
kept, so the proposals' texts (the city's record of what was proposed) and every vote stay, and
the results are exactly what they were — with nothing left that points to a person.
"""

import secrets
from datetime import timedelta

from sqlalchemy import select, update

from ..core.time import utcnow
from ..core.tx import write_transaction
from ..events.models import Event
from ..events.operations import locked_event
from ..extensions import db
from ..members.models import Member, invite_digest
from ..notifications.operations import unsubscribe_participant
from ..participants.models import Participant
from ..proposals.models import Proposal


def due_events(retention_days: int, now=None) -> list[Event]:
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    return db.session.scalars(select(Event).where(
        Event.phase == "closed", Event.closed_at.is_not(None), Event.closed_at <= cutoff,
        Event.purged_at.is_(None)).order_by(Event.id)).all()


def _counts(session, event_id: int) -> dict:
    def count(query):
        return len(session.scalars(query).all())

    return {
        "participants": count(select(Participant.id).where(Participant.event_id == event_id)),
        "follow_codes": count(select(Participant.id).where(
            Participant.event_id == event_id, Participant.follow_code.is_not(None))),
        "display_names": count(select(Participant.id).where(
            Participant.event_id == event_id, Participant.display_name.is_not(None))),
        "author_names": count(select(Proposal.id).where(
            Proposal.event_id == event_id, Proposal.author_name.is_not(None))),
        "members": count(select(Member.id).where(Member.event_id == event_id)),
    }


def purge_event(event_id: int, dry_run: bool = False) -> dict:
    """Clear one event's identifying fields in its own locked transaction; the counts."""
    with write_transaction() as session:
        event, _version = locked_event(session, event_id)
        counts = _counts(session, event_id)
        if dry_run:
            session.rollback()
            return counts
        for participant in session.scalars(select(Participant)
                                           .where(Participant.event_id == event_id)):
            participant.token = secrets.token_urlsafe(32)
            participant.follow_code = None
            participant.display_name = None
            unsubscribe_participant(session, participant.id)
        session.execute(update(Proposal).where(Proposal.event_id == event_id)
                        .values(author_name=None))
        members = session.scalars(select(Member).where(Member.event_id == event_id)
                                  .order_by(Member.id)).all()
        for number, member in enumerate(members, start=1):
            member.name = f"Medlem {number}"
            member.email = None
            member.show_name = False
            member.invite_digest = invite_digest(secrets.token_urlsafe(24))
        event.purged_at = utcnow()
    return counts


def purge(retention_days: int, dry_run: bool = False, now=None) -> list[tuple[Event, dict]]:
    return [(event, purge_event(event.id, dry_run))
            for event in due_events(retention_days, now)]
