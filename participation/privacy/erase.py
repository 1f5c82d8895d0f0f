"""A resident erases their own input from their follow link: their proposals and their votes.

What goes: the person's proposals (with their texts wherever they were merged, their review
entries, links and moderation trail), every vote they cast, the record of their votes before
a merge, and their display name. What stays: other people's votes (tallies are derived from
the stored votes, so they simply no longer count the erased ones), and the pseudonymous
participant row itself (with no content), so the phone's cookie keeps working.

A proposal of theirs that others' proposals were merged into is split first, the way a
facilitator's undo does, so the other people's texts and votes come back as their own.
"""

import json
from typing import Annotated

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from pydantic import Field
from sqlalchemy import delete, select
from typing_extensions import TypedDict

from ..activities.models import (
    CloudWord,
    EvaluationAnswer,
    PanelLike,
    PanelQuestion,
    PollAnswer,
)
from ..budgets.models import BudgetChoice
from ..core.bus import publish
from ..core.declare import Version
from ..core.errors import not_found
from ..core.receipts import WriteReceipt
from ..core.time import utcnow
from ..core.tx import write_transaction
from ..events.operations import locked_event
from ..notifications.operations import unsubscribe_participant
from ..participants.follow import plausible
from ..participants.models import Participant
from ..proposals.merge import restore_votes
from ..proposals.models import (
    ModerationEntry,
    Proposal,
    ProposalMerge,
    ProposalMergeVote,
    Vote,
)
from ..proposals.shapes import HiddenProposal, shapes_of

# What phones, projectors and consoles are told about an erased proposal: the shape of a
# hidden one (every client already drops those from lists and ballots), with its own reason.
ERASED_REASON = _l("Erased by the person who wrote it.")


def erased_reason() -> str:
    # The room's language, whatever language the person erasing reads the site in.
    with force_locale("sv"):
        return str(ERASED_REASON)


class Erased(TypedDict):
    proposals: Annotated[int, Field(ge=0, description="Proposals erased.")]
    votes: Annotated[int, Field(ge=0, description="Votes erased.")]
    version: Version


def erased_shape(proposal_id: int, number: int) -> HiddenProposal:
    return {"id": proposal_id, "number": number, "status": "hidden",
            "hidden_reason": erased_reason(), "erased": True}


def erase_own_input(follow_code) -> Erased:
    """Delete everything the holder of this follow link wrote and voted, in one transaction."""
    if not plausible(follow_code):
        raise not_found("follow_not_found")
    with write_transaction() as session:
        found = session.scalar(select(Participant.event_id)
                               .where(Participant.follow_code == follow_code))
        if found is None:
            raise not_found("follow_not_found")
        event, version = locked_event(session, found)
        person = session.scalar(select(Participant).where(Participant.follow_code == follow_code)
                                .execution_options(populate_existing=True))
        if person is None:  # erased or purged between the two reads
            raise not_found("follow_not_found")
        numbers = dict(session.execute(select(Proposal.id, Proposal.number)
                                       .where(Proposal.participant_id == person.id)).all())
        own = set(numbers)
        restored = _split_merges_into(session, event, own)
        # Proposals of others that carried one of these texts in their merged_from.
        touched = set(session.scalars(select(ProposalMerge.target_id).where(
            ProposalMerge.source_id.in_(own), ProposalMerge.undone_at.is_(None))).all()) - own
        votes = session.execute(delete(Vote).where(Vote.participant_id == person.id)).rowcount
        # A budget ballot is voting too: each approved measure counts as a vote erased.
        votes += session.execute(delete(BudgetChoice)
                                 .where(BudgetChoice.participant_id == person.id)).rowcount
        # So is a poll answer: each chosen option counts as one.
        polled = session.execute(delete(PollAnswer)
                                 .where(PollAnswer.participant_id == person.id)).rowcount
        votes += polled
        # A like on a question to the panel, an evaluation: votes too. The questions one asked
        # are one's texts, counted with the proposals.
        liked = session.execute(delete(PanelLike)
                                .where(PanelLike.participant_id == person.id)).rowcount
        evaluated = session.execute(delete(EvaluationAnswer).where(
            EvaluationAnswer.participant_id == person.id)).rowcount
        votes += liked + evaluated
        # The stored answers that let a retry be replayed hold what was written (a question's
        # text, an evaluation): they go too, or the erased words would stay in the database.
        session.execute(delete(WriteReceipt).where(WriteReceipt.participant_id == person.id))
        asked = session.execute(delete(PanelQuestion)
                                .where(PanelQuestion.participant_id == person.id)).rowcount
        # Words of a word cloud are one's texts too.
        worded = session.execute(delete(CloudWord)
                                 .where(CloudWord.participant_id == person.id)).rowcount
        session.execute(delete(ProposalMergeVote)
                        .where(ProposalMergeVote.participant_id == person.id))
        # Votes, merges, moderation and review rows on these proposals go by ON DELETE CASCADE.
        session.execute(delete(Proposal).where(Proposal.id.in_(own)))
        person.display_name = None
        # An address left for messages about what was erased has nothing left to be told.
        unsubscribe_participant(session, person.id)
        session.flush()
        session.expire_all()
        changed = [session.get(Proposal, pid) for pid in sorted(touched | restored)]
        shapes = [shapes_of(p, event) for p in changed if p]
    for proposal_id in sorted(own):
        shape = erased_shape(proposal_id, numbers[proposal_id])
        publish("proposal.erased", event.id, version, public=shape, staff=shape, author=shape,
                author_id=None)
    for shaped in shapes:
        publish("proposal.moderated", event.id, version, action="erase", **shaped)
    publish("vote.changed", event.id, version)
    if event.is_budget:
        publish("budget.changed", event.id, version)
    if polled:
        publish("poll.answered", event.id, version)
    if liked or asked:
        publish("panel.changed", event.id, version)
    if worded:
        publish("cloud.changed", event.id, version)
    if evaluated:
        publish("evaluation.answered", event.id, version)
    return {"proposals": len(own) + asked + worded, "votes": votes, "version": version}


def _split_merges_into(session, event, own: set[int]) -> set[int]:
    """Undo the active merges of other people's proposals into one of these; their ids."""
    merges = session.scalars(select(ProposalMerge).where(
        ProposalMerge.target_id.in_(own), ProposalMerge.source_id.not_in(own),
        ProposalMerge.undone_at.is_(None)).order_by(ProposalMerge.id.desc())).all()
    restored = set()
    for merge in merges:
        restore_votes(session, event, merge)
        source = session.get(Proposal, merge.source_id, populate_existing=True)
        source.status, source.merged_into_id = "visible", None
        merge.undone_at = utcnow()
        # In the console's trail like a facilitator's undo, with no staff member and the reason.
        session.add(ModerationEntry(event_id=event.id, proposal_id=source.id, actor_id=None,
                                    action="unmerge", reason=erased_reason(),
                                    before=json.dumps({"merge_id": merge.id,
                                                       "source_id": merge.source_id,
                                                       "target_id": merge.target_id})))
        restored.add(source.id)
    return restored
