"""Reads for the project team (staff only): one proposal with everything about it."""

from typing import Literal

from sqlalchemy import select
from typing_extensions import TypedDict

from ..accounts.models import User
from ..backlog.links import measure_path
from ..backlog.models import LINK_KINDS, Measure, ProposalLink
from ..core.time import Time, iso
from ..extensions import db
from ..proposals.merge import MergeShape, list_merges
from ..proposals.shapes import StaffProposal, staff_proposal
from . import listing
from .models import REVIEW_STATUSES, ReviewComment, ReviewEntry
from .operations import Comment, comment_dict
from .state import current


class ReviewStep(TypedDict):
    status: Literal[REVIEW_STATUSES]
    public_answer: str
    by: str | None
    at: Time


class BacklogLink(TypedDict):
    kind: Literal[LINK_KINDS]
    measure_id: int | None
    reason: str | None
    measure_title: str | None
    measure_url: str | None


class ProposalDetail(TypedDict):
    proposal: StaffProposal
    row: dict | None  # its listing row (listing.rows_for), when it is ranked
    tables: set[int]  # tables its phone voters sat at
    status: Literal[REVIEW_STATUSES]
    public_answer: str
    history: list[ReviewStep]
    comments: list[Comment]
    merges: list[MergeShape]
    link: BacklogLink | None


def proposal_detail(proposal, event) -> ProposalDetail:
    """Everything the proposal page shows; staff only (comments name staff accounts). The
    caller has checked access.may_review."""
    row = next((r for r in listing.rows_for(None, {"event_id": event.id})
                if r["proposal_id"] == proposal.id), None)
    comments = db.session.scalars(select(ReviewComment)
                                  .where(ReviewComment.proposal_id == proposal.id)
                                  .order_by(ReviewComment.id)).all()
    history = db.session.scalars(select(ReviewEntry).where(ReviewEntry.proposal_id == proposal.id)
                                 .order_by(ReviewEntry.id)).all()
    user_ids = {c.author_id for c in comments} | {h.actor_id for h in history}
    emails = dict(db.session.execute(select(User.id, User.email)
                                     .where(User.id.in_(user_ids))).all())
    link = db.session.scalar(select(ProposalLink).where(ProposalLink.proposal_id == proposal.id))
    measure = db.session.get(Measure, link.measure_id) if link and link.measure_id else None
    review = current(db.session, proposal.id)
    merges = [m for m in list_merges(event.id) if proposal.id in (m["source_id"], m["target_id"])]
    return {
        "proposal": staff_proposal(proposal, event), "row": row,
        "tables": row["supporter_tables"] if row else set(),
        "status": review.status if review else "received",
        "public_answer": review.public_answer if review else "",
        "history": [{"status": h.status, "public_answer": h.public_answer,
                     "by": emails.get(h.actor_id), "at": iso(h.created_at)} for h in history],
        "comments": [comment_dict(c, emails) for c in comments],
        "merges": merges,
        "link": {"kind": link.kind, "measure_id": link.measure_id, "reason": link.reason,
                 "measure_title": measure.title if measure else None,
                 "measure_url": measure_path(link.measure_id) if link.measure_id else None}
        if link else None,
    }
