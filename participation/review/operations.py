"""The project team's writes on a proposal: its review status with a public answer, and the
staff discussion. The one path for the review forms and REST."""

from typing import Annotated, Literal, NotRequired

from flask_babel import lazy_gettext as _l
from pydantic import Field
from sqlalchemy import select
from typing_extensions import TypedDict

from .. import access
from ..backlog.models import ProposalLink
from ..core.bus import publish
from ..core.declare import Version, request
from ..core.errors import OperationError, not_found
from ..core.time import Time, iso
from ..core.tx import write_transaction
from ..core.validate import Id, clean_text
from ..proposals.operations import locked_proposal
from .models import ANSWER_MAX, COMMENT_MAX, ReviewComment
from .state import record_status

# The backlog statuses (in_backlog, duplicate, out_of_scope) come from linking the proposal.
MANUAL_STATUSES = ("received", "reviewing", "not_pursued")
Answer = Annotated[str, Field(max_length=ANSWER_MAX, description=(
    "The public answer: residents read it on their follow page."))]


@request
class ReviewUpdate(TypedDict):
    status: Annotated[Literal[MANUAL_STATUSES], Field(description=(
        "in_backlog, duplicate and out_of_scope come from linking the proposal to the "
        "backlog."))]
    public_answer: NotRequired[Annotated[Answer | None, Field(description=(
        "Required for not_pursued: residents are told why."))]]


class ReviewResult(TypedDict):
    proposal_id: Id
    status: Literal[MANUAL_STATUSES]
    public_answer: str
    changed: Annotated[bool, Field(description="false: the same as before, nothing written.")]
    version: Version


@request
class CommentRequest(TypedDict):
    body: Annotated[str, Field(min_length=1, max_length=COMMENT_MAX)]


class Comment(TypedDict):
    """The project team's discussion: staff only, never public or exported."""

    id: Id
    proposal_id: Id
    body: str
    by: str | None
    created_at: Time


class CommentResult(TypedDict):
    comment: Comment
    version: Version


def _proposal_id(value) -> int:
    if isinstance(value, str) and value.isdigit():
        return int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise OperationError("invalid_type", _l("Choose a proposal."), field="proposal_id")
    return value


def _reviewable(session, user, proposal_id):
    proposal, event, version = locked_proposal(session, _proposal_id(proposal_id))
    access.require_review(user, event)
    if proposal.status != "visible":
        raise OperationError("not_reviewable",
                             _l("Only proposals that are shown can be reviewed."), 409)
    return proposal, event, version


def set_review(user, proposal_id, status, public_answer=None) -> ReviewResult:
    if not isinstance(status, str) or status not in MANUAL_STATUSES:
        raise OperationError("invalid_status", _l("Choose a status."), field="status")
    answer = clean_text(public_answer, "public_answer", ANSWER_MAX, required=False)
    if status == "not_pursued" and not answer:
        raise OperationError("answer_required",
                             _l("Tell the residents why the proposal is not pursued."),
                             field="public_answer")
    with write_transaction() as session:
        proposal, event, version = _reviewable(session, user, proposal_id)
        linked = session.scalar(select(ProposalLink.kind)
                                .where(ProposalLink.proposal_id == proposal.id))
        if linked is not None:
            raise OperationError(
                "linked_to_backlog",
                _l("The proposal is linked to the backlog; change or remove the link instead."),
                409, field="status")
        changed = record_status(session, proposal.id, status, answer, user)
        result = {"proposal_id": proposal.id, "status": status, "public_answer": answer,
                  "changed": changed, "version": version}
    if changed:
        publish("proposal.reviewed", event.id, version, proposal_id=proposal.id, status=status,
                public_answer=answer)
    return result


def comment_dict(comment: ReviewComment, emails: dict) -> Comment:
    return {"id": comment.id, "proposal_id": comment.proposal_id, "body": comment.body,
            "by": emails.get(comment.author_id), "created_at": iso(comment.created_at)}


def add_comment(user, proposal_id, body) -> CommentResult:
    body = clean_text(body, "body", COMMENT_MAX, required=True)
    with write_transaction() as session:
        proposal, event, version = locked_proposal(session, _proposal_id(proposal_id))
        if proposal is None:
            raise not_found("proposal_not_found")
        access.require_review(user, event)
        comment = ReviewComment(proposal_id=proposal.id, author_id=user.id, body=body)
        session.add(comment)
        session.flush()
        result = {"comment": comment_dict(comment, {user.id: user.email}), "version": version}
    # Staff only: the push names the comment, never its text.
    publish("proposal.commented", event.id, version, proposal_id=proposal.id,
            comment_id=result["comment"]["id"])
    return result
