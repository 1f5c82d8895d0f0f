"""Merging duplicate proposals: votes carried over in SQL, both texts kept, an exact undo.

The source proposal keeps its row (its title and body are the provenance) and gets status
"merged"; its votes move to the target by `combine`. What each affected person had before
goes to `proposal_merge_votes`, so an undo can put it back.
"""

import json
from typing import Annotated, NotRequired

from flask_babel import lazy_gettext as _l
from pydantic import Field
from sqlalchemy import and_, case, delete, exists, func, insert, literal, or_, select, update
from sqlalchemy.orm import aliased
from typing_extensions import TypedDict

from .. import access
from ..accounts.models import User
from ..core.bus import publish
from ..core.declare import Version, request
from ..core.errors import OperationError, not_found
from ..core.time import Time, iso, utcnow
from ..core.tx import write_transaction
from ..core.validate import Id, clean_text, is_id
from ..events.operations import locked_event
from ..extensions import db
from .models import ModerationEntry, Proposal, ProposalMerge, ProposalMergeVote, Vote
from .moderation import REASON_MAX, Reason
from .operations import locked_proposal
from .shapes import StaffProposal, shapes_of

VOTES = Vote.__table__
RECORDED = ProposalMergeVote.__table__


@request
class MergeRequest(TypedDict):
    source_id: Annotated[Id, Field(description="The duplicate; it keeps its text, as merged.")]
    target_id: Annotated[Id, Field(description="The proposal its votes go to.")]
    reason: NotRequired[Reason | None]


@request
class UndoRequest(TypedDict):
    reason: NotRequired[Reason | None]


class MergeShape(TypedDict):
    id: Id
    event_id: Id
    source_id: Id
    target_id: Id
    source_number: Annotated[int | None, Field(description=(
        "The merged proposal's number within the event; null once erased."))]
    target_number: Annotated[int | None, Field(description=(
        "The number within the event of the proposal it joined; null once erased."))]
    reason: str | None
    by: Annotated[str | None, Field(description="The staff account.")]
    created_at: Time
    undone_at: Time | None
    undone_by: str | None
    active: Annotated[bool, Field(description="Not undone.")]


class MergeResult(TypedDict):
    merge: MergeShape
    target: StaffProposal
    source: StaffProposal
    version: Version


class UnmergeResult(MergeResult):
    restored_votes: Annotated[int, Field(ge=0, description=(
        "People whose earlier votes came back."))]
    recount_hands: Annotated[bool, Field(description=(
        "The merged proposal's hands were counted again since: count both anew."))]


def combine(method: str, target_dots: int, source_dots: int, cap: int) -> int:
    """One person's vote on the target after the merge; `target_dots` 0 means they had none.

    approval: one vote, whether they supported one or both. dots: the sum, capped at the
    per-proposal limit (the rest goes back to their budget). scale: the higher rating.
    """
    if method == "approval":
        return 1
    if method == "dots":
        return min(target_dots + source_dots, cap)
    if method == "scale":
        return max(target_dots, source_dots)
    raise ValueError(f"unknown voting method {method!r}")


def _combine_sql(method: str, target_dots, source_dots, cap: int):
    """`combine` as a SQL expression, so the votes move in the locked transaction itself."""
    if method == "approval":
        return literal(1)
    if method == "dots":
        total = target_dots + source_dots
        return case((total > cap, cap), else_=total)
    if method == "scale":
        return case((target_dots > source_dots, target_dots), else_=source_dots)
    raise ValueError(f"unknown voting method {method!r}")


def _proposal_id(value, field: str) -> int:
    if not is_id(value):
        raise OperationError("invalid_type", _l("Choose a proposal."), field=field)
    return value


def _require_mergeable(proposal, field: str):
    if proposal.status == "merged":
        raise OperationError("already_merged",
                             _l("That proposal has already been merged with another."), 409,
                             field=field)
    if proposal.status == "pending":
        raise OperationError("proposal_pending", _l("That proposal is waiting for approval."),
                             409, field=field)
    if proposal.status != "visible":
        raise OperationError("proposal_hidden", _l("That proposal has been hidden."), 409,
                             field=field)


def _require_staff(user, event):
    access.require_moderate(user, event)
    if event.phase == "closed":
        raise OperationError("event_closed", _l("The event is closed."), 409)


def merge_dict(merge: ProposalMerge) -> MergeShape:
    emails = dict(db.session.execute(
        select(User.id, User.email).where(User.id.in_([merge.actor_id, merge.undone_by_id]))
    ).all())
    source, target = (db.session.get(Proposal, pid) for pid in (merge.source_id,
                                                                 merge.target_id))
    return {
        "id": merge.id, "event_id": merge.event_id, "source_id": merge.source_id,
        "target_id": merge.target_id, "source_number": source.number if source else None,
        "target_number": target.number if target else None, "reason": merge.reason,
        "by": emails.get(merge.actor_id), "created_at": iso(merge.created_at),
        "undone_at": iso(merge.undone_at), "undone_by": emails.get(merge.undone_by_id),
        "active": merge.undone_at is None,
    }


def _log(session, event, user, action, proposal_id, reason, merge):
    details = json.dumps({"merge_id": merge.id, "source_id": merge.source_id,
                          "target_id": merge.target_id})
    session.add(ModerationEntry(event_id=event.id, proposal_id=proposal_id, actor_id=user.id,
                                action=action, reason=reason,
                                after=details if action == "merge" else None,
                                before=details if action == "unmerge" else None))


def _answer(session, event, version, merge, source, target):
    session.flush()
    # The target's list of merged texts is a view of merged_into_id, which just changed.
    session.expire(target, ["merged_sources"])
    shapes = {"target": shapes_of(target, event), "source": shapes_of(source, event)}
    merged = merge_dict(merge)
    published = {"merge": merged, **shapes}
    return published, {"merge": merged, "target": shapes["target"]["staff"],
                       "source": shapes["source"]["staff"], "version": version}


def merge_proposals(user, source_id, target_id, reason=None, event_id=None) -> MergeResult:
    """Merge `source` into `target`. `event_id`, when given, is the event the caller is in."""
    source_id = _proposal_id(source_id, "source_id")
    target_id = _proposal_id(target_id, "target_id")
    reason = clean_text(reason, "reason", REASON_MAX, required=False, multiline=False) or None
    if source_id == target_id:
        raise OperationError("same_proposal", _l("A proposal cannot be merged with itself."),
                             field="target_id")
    with write_transaction() as session:
        source, event, version = locked_proposal(session, source_id)
        if event_id is not None and event.id != event_id:
            raise not_found("proposal_not_found")
        _require_staff(user, event)
        target = session.get(Proposal, target_id, populate_existing=True)
        if target is None:
            raise OperationError("proposal_not_found", _l("We could not find that."), 404,
                                 field="target_id")
        if target.event_id != event.id:
            raise OperationError("other_event",
                                 _l("Only proposals in the same event can be merged."),
                                 field="target_id")
        _require_mergeable(source, "source_id")
        _require_mergeable(target, "target_id")
        merge = ProposalMerge(event_id=event.id, source_id=source.id, target_id=target.id,
                              actor_id=user.id, reason=reason,
                              target_paper_before=target.paper_votes)
        session.add(merge)
        session.flush()
        _carry_votes(session, event, merge)
        # Hands counted in the room are anonymous and cannot be de-duplicated: they add up,
        # and the facilitator should count again (docs/ranking.md).
        target.paper_votes += source.paper_votes
        source.status, source.merged_into_id = "merged", target.id
        _log(session, event, user, "merge", source.id, reason, merge)
        published, answer = _answer(session, event, version, merge, source, target)
    publish("proposal.merged", event.id, version, **published)
    return answer


def _carry_votes(session, event, merge):
    source_vote, target_vote = aliased(VOTES), aliased(VOTES)
    before = func.coalesce(target_vote.c.dots, 0)
    session.execute(insert(RECORDED).from_select(
        ["merge_id", "participant_id", "target_dots_before", "source_dots", "merged_dots"],
        select(literal(merge.id), source_vote.c.participant_id, before, source_vote.c.dots,
               _combine_sql(event.voting_method, before, source_vote.c.dots,
                            event.max_dots_per_proposal))
        .select_from(source_vote.outerjoin(target_vote, and_(
            target_vote.c.participant_id == source_vote.c.participant_id,
            target_vote.c.proposal_id == merge.target_id)))
        .where(source_vote.c.proposal_id == merge.source_id)
    ))
    merged_dots = (select(RECORDED.c.merged_dots)
                   .where(RECORDED.c.merge_id == merge.id,
                          RECORDED.c.participant_id == VOTES.c.participant_id)
                   .scalar_subquery())
    voted_both = select(RECORDED.c.participant_id).where(RECORDED.c.merge_id == merge.id,
                                                         RECORDED.c.target_dots_before > 0)
    # Both: the target vote becomes the combined one and the source row goes, so the unique
    # (proposal, person) constraint holds. Source only: the row itself moves to the target.
    session.execute(update(VOTES).where(VOTES.c.proposal_id == merge.target_id,
                                        VOTES.c.participant_id.in_(voted_both))
                    .values(dots=merged_dots))
    session.execute(delete(VOTES).where(VOTES.c.proposal_id == merge.source_id,
                                        VOTES.c.participant_id.in_(voted_both)))
    session.execute(update(VOTES).where(VOTES.c.proposal_id == merge.source_id)
                    .values(proposal_id=merge.target_id, dots=merged_dots))


def undo_merge(user, merge_id, reason=None, event_id=None) -> UnmergeResult:
    """Split a merge again; each person's earlier votes come back where nothing changed."""
    if not is_id(merge_id):
        raise OperationError("invalid_type", _l("Choose a merge to undo."), field="merge_id")
    reason = clean_text(reason, "reason", REASON_MAX, required=False, multiline=False) or None
    with write_transaction() as session:
        found = session.scalar(select(ProposalMerge.event_id)
                               .where(ProposalMerge.id == merge_id))
        if found is None or (event_id is not None and found != event_id):
            raise not_found("merge_not_found")
        event, version = locked_event(session, found)
        _require_staff(user, event)
        merge = session.get(ProposalMerge, merge_id, populate_existing=True)
        if merge.undone_at is not None:
            raise OperationError("already_undone", _l("That merge has already been undone."),
                                 409)
        later = session.scalar(select(exists().where(
            ProposalMerge.event_id == event.id, ProposalMerge.id > merge.id,
            ProposalMerge.undone_at.is_(None),
            or_(ProposalMerge.target_id == merge.target_id,
                ProposalMerge.source_id == merge.target_id))))
        if later:
            raise OperationError(
                "merge_not_last",
                _l("Undo the later merge of this proposal first."), 409)
        source = session.get(Proposal, merge.source_id, populate_existing=True)
        target = session.get(Proposal, merge.target_id, populate_existing=True)
        restored = restore_votes(session, event, merge)
        # Each gets its own hand count back, unless the merged one was counted again since:
        # that count is the room's latest word on it, so it stays, and both are counted anew.
        recount = target.paper_votes != merge.target_paper_before + source.paper_votes
        if not recount:
            target.paper_votes = merge.target_paper_before
        source.status, source.merged_into_id = "visible", None
        merge.undone_at, merge.undone_by_id = utcnow(), user.id
        _log(session, event, user, "unmerge", source.id, reason, merge)
        published, answer = _answer(session, event, version, merge, source, target)
        answer["restored_votes"] = restored
        answer["recount_hands"] = recount and (source.paper_votes + target.paper_votes) > 0
    publish("proposal.unmerged", event.id, version, **published)
    return answer


def restore_votes(session, event, merge) -> int:
    """Put back each person's votes unless they changed their vote on the target since.

    Someone whose target vote is no longer what the merge made it (they withdrew it or added
    dots) keeps their current target vote and gets no source vote back: their latest choice
    wins, and their budget stays valid. Under dot voting the same holds for someone who spent
    the dots the merge gave back, so restoring both votes would overspend their budget.
    """
    spent = aliased(VOTES)
    now = aliased(VOTES)
    rows = session.execute(
        select(RECORDED.c.participant_id, RECORDED.c.target_dots_before,
               RECORDED.c.source_dots, RECORDED.c.merged_dots, now.c.dots,
               select(func.coalesce(func.sum(spent.c.dots), 0))
               .where(spent.c.event_id == event.id,
                      spent.c.participant_id == RECORDED.c.participant_id)
               .scalar_subquery())
        .select_from(RECORDED.outerjoin(now, and_(
            now.c.participant_id == RECORDED.c.participant_id,
            now.c.proposal_id == merge.target_id)))
        .where(RECORDED.c.merge_id == merge.id)
    ).all()
    voted_both, source_only = [], []
    for person, before, source_dots, merged, current, total in rows:
        if current != merged:
            continue
        if event.is_dots and total - merged + before + source_dots > event.dots_per_person:
            continue
        (voted_both if before else source_only).append(person)
    recorded = {column: (select(RECORDED.c[column])
                         .where(RECORDED.c.merge_id == merge.id,
                                RECORDED.c.participant_id == VOTES.c.participant_id)
                         .scalar_subquery())
                for column in ("target_dots_before", "source_dots")}
    if source_only:
        session.execute(update(VOTES).where(VOTES.c.proposal_id == merge.target_id,
                                            VOTES.c.participant_id.in_(source_only))
                        .values(proposal_id=merge.source_id, dots=recorded["source_dots"]))
    if voted_both:
        session.execute(update(VOTES).where(VOTES.c.proposal_id == merge.target_id,
                                            VOTES.c.participant_id.in_(voted_both))
                        .values(dots=recorded["target_dots_before"]))
        session.execute(insert(VOTES).from_select(
            ["event_id", "proposal_id", "participant_id", "dots", "created_at"],
            select(literal(event.id), literal(merge.source_id), RECORDED.c.participant_id,
                   RECORDED.c.source_dots, literal(utcnow()))
            .where(RECORDED.c.merge_id == merge.id,
                   RECORDED.c.participant_id.in_(voted_both))))
    return len(voted_both) + len(source_only)


def list_merges(event_id: int) -> list[MergeShape]:
    merges = db.session.scalars(select(ProposalMerge).where(ProposalMerge.event_id == event_id)
                                .order_by(ProposalMerge.id)).all()
    return [merge_dict(merge) for merge in merges]


def active_merges(event_id: int) -> dict[int, list[ProposalMerge]]:
    """Target id to the merges into it that are not undone (for the console's undo buttons)."""
    merges = db.session.scalars(select(ProposalMerge).where(
        ProposalMerge.event_id == event_id, ProposalMerge.undone_at.is_(None))
        .order_by(ProposalMerge.id)).all()
    by_target: dict[int, list[ProposalMerge]] = {}
    for merge in merges:
        by_target.setdefault(merge.target_id, []).append(merge)
    return by_target
