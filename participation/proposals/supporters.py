"""Who supports a proposal and at which tables they sat: the one definition the review pages
(review/listing.py, "Supporters sat at 2 tables", broad support) and the measure pages
(backlog/support.py, "From 1 event, 2 tables") share, so they never disagree.

- A supporter is a phone voter who gave the proposal a vote or dots, or on a 1–5 scale a
  rating of SCALE_SUPPORT or more; hands counted in the room have no table and no person.
- Their tables are the ones they sat at (the participant's table), not the table the proposal
  was written at: support from two tables is two tables, whoever wrote it.
"""

from collections import defaultdict

from sqlalchemy import or_, select

from ..events.models import Event
from ..extensions import db
from ..participants.models import Participant
from .models import Vote

# On a 1–5 scale, a rating of 4 or 5 counts as support.
SCALE_SUPPORT = 4


def is_support():
    """The SQL condition on a vote (joined to its event) that makes its voter a supporter."""
    return or_(Event.voting_method != "scale", Vote.dots >= SCALE_SUPPORT)


def supporters_by_table(proposal_ids, session=None) -> dict[int, dict[int, set[int]]]:
    """proposal id -> {table id -> the participants supporting it who sat at that table}."""
    ids = list(proposal_ids)
    found: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    if not ids:
        return {}
    rows = (session or db.session).execute(
        select(Vote.proposal_id, Participant.table_id, Vote.participant_id)
        .join(Participant, Participant.id == Vote.participant_id)
        .join(Event, Event.id == Vote.event_id)
        .where(Vote.proposal_id.in_(ids), Participant.table_id.is_not(None), is_support())
    ).all()
    for proposal_id, table_id, participant_id in rows:
        found[proposal_id][table_id].add(participant_id)
    return {pid: dict(tables) for pid, tables in found.items()}


def supporter_tables(proposal_ids, session=None) -> dict[int, set[int]]:
    """proposal id -> the tables its supporters sat at (table ids; absent: none)."""
    return {pid: set(tables) for pid, tables in supporters_by_table(proposal_ids,
                                                                   session).items()}
