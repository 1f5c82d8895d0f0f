"""The statements of a vote change, built once at import, in SQLAlchemy Core.

A vote is the write that comes a thousand a second. A profile under load (docs/benchmarks.md)
showed two thirds of its server time in building statements, their cache keys, and loading ORM
objects that the vote reads two fields of and never changes. These statements are built once,
compiled once per dialect and run on the driver's cursor (core/prepared.py), returning plain
tuples, under the same lock and transaction as before; the participant, a retry's receipt and
the person's votes come in one query.
"""

from sqlalchemy import and_, bindparam, delete, insert, select, update

from ..core.prepared import Prepared
from ..core.receipts import WriteReceipt
from ..events.models import Event, VotingMethod
from ..participants.models import Participant
from .models import Proposal, Vote

events = Event.__table__
proposals = Proposal.__table__
votes = Vote.__table__
participants = Participant.__table__
write_receipts = WriteReceipt.__table__

_PROPOSALS_EVENT = (select(proposals.c.event_id)
                    .where(proposals.c.id == bindparam("proposal_id")).scalar_subquery())


def _lock(*where):
    """The proposal's event, locked and its version bumped, found in the same UPDATE."""
    return Prepared(
        update(events).where(events.c.id == _PROPOSALS_EVENT, *where)
        .values(version=events.c.version + 1)
        .returning(events.c.id, events.c.version, events.c.phase, events.c.kind,
                   events.c.closes_at, events.c.phase_set_by_hand_at, events.c.voting_method,
                   events.c.dots_per_person, events.c.max_dots_per_proposal))


LOCK_PROPOSALS_EVENT = _lock()
# The same, only if the proposal is in the given event (a socket's: core/group_commit.py).
LOCK_PROPOSALS_EVENT_IN = _lock(events.c.id == bindparam("event_id"))
PROPOSAL_STATUS = Prepared(
    select(proposals.c.status).where(proposals.c.id == bindparam("proposal_id")))
# The participant, any receipt for this client_id (a retry), and their votes: one round trip
# instead of two, inside the lock. One row per vote (at least one); no receipt with no key.
PERSON_RECEIPT_VOTES = Prepared(
    select(participants.c.id, write_receipts.c.kind, write_receipts.c.result,
           votes.c.proposal_id, votes.c.dots)
    .select_from(participants.outerjoin(write_receipts, and_(
        write_receipts.c.participant_id == participants.c.id,
        write_receipts.c.client_id == bindparam("client_id")))
        .outerjoin(votes, votes.c.participant_id == participants.c.id))
    .where(participants.c.event_id == bindparam("event_id"),
           participants.c.token == bindparam("token"))
)
MY_VOTES = (select(votes.c.proposal_id, votes.c.dots)
            .where(votes.c.event_id == bindparam("event_id"),
                   votes.c.participant_id == bindparam("participant_id")))
INSERT_VOTE = Prepared(insert(votes).values(
    {name: bindparam(name) for name in ("event_id", "proposal_id", "participant_id", "dots",
                                        "created_at")}))
# Bound names that are not column names: an UPDATE reserves those for its SET clause.
SET_DOTS = Prepared(update(votes)
                    .where(votes.c.proposal_id == bindparam("the_proposal"),
                           votes.c.participant_id == bindparam("the_participant"))
                    .values(dots=bindparam("new_dots")))
DELETE_VOTE = Prepared(delete(votes)
                       .where(votes.c.proposal_id == bindparam("the_proposal"),
                              votes.c.participant_id == bindparam("the_participant")))


class LockedEvent(VotingMethod):
    """The locked event's row, with the two questions the ballot asks of an Event."""

    __slots__ = ("id", "version", "phase", "kind", "closes_at", "phase_set_by_hand_at",
                 "voting_method", "dots_per_person", "max_dots_per_proposal")

    def __init__(self, row):
        (self.id, self.version, self.phase, self.kind, self.closes_at,
         self.phase_set_by_hand_at, self.voting_method, self.dots_per_person,
         self.max_dots_per_proposal) = row
