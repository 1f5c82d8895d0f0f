"""REST for the project team's review and for open data: proposals across events with fair
scores, aggregated votes, a proposal's review, and the residents' public pages as JSON."""

from typing import Annotated, Literal, NotRequired

from flask import jsonify, request
from flask_babel import gettext as _
from pydantic import Field
from typing_extensions import TypedDict

from .. import access
from ..core import tabular
from ..core.declare import Version, keys_of
from ..core.errors import OperationError, not_found
from ..core.validate import Id
from ..events.models import KINDS, Event
from ..events.operations import event_by_code
from ..extensions import db
from ..participants.follow import FollowCode
from ..participants.identity import by_follow_code
from ..proposals.models import Proposal
from ..review import listing, operations
from ..review.export import PROPOSAL_COLUMNS, VOTE_COLUMNS, ProposalData, VoteAggregate
from ..review.models import REVIEW_STATUSES
from ..review.outcomes import (
    EventOutcome,
    FollowEvent,
    FollowItem,
    SupportedItem,
    event_outcome,
    follow_items,
    supported_items,
)
from ..review.queries import ProposalDetail, proposal_detail
from ..web import exports
from .auth import json_body, staff_user
from .contract import PUBLIC, STAFF, Answer, route

ProposalTable = tabular.table_of("ProposalTable", ProposalData)
VoteTable = tabular.table_of("VoteTable", VoteAggregate)
# The review answer: the export columns without the text (the proposal carries it).
ProposalScore = TypedDict("ProposalScore", keys_of(ProposalData, leave_out=("title", "body")))
ReviewDetail = TypedDict("ReviewDetail", {
    **keys_of(ProposalDetail, leave_out=("row",)),
    "tables": Annotated[int, Field(description="Tables its phone voters sat at.")],
    "score": Annotated[ProposalScore | None, Field(description=(
        "Null for a proposal that is not ranked: hidden, pending or merged."))],
    "version": Version})


class Filters(TypedDict):
    event_id: NotRequired[Id]
    kind: NotRequired[Literal[KINDS]]
    focus_area: NotRequired[Annotated[str, Field(max_length=listing.THEME_MAX)]]
    theme: NotRequired[Annotated[str, Field(max_length=listing.THEME_MAX, description=(
        "One of the event's themes (its stem), or a word in the title or text."))]]
    status: NotRequired[Literal[REVIEW_STATUSES]]
    sort: NotRequired[Literal[listing.SORTS]]
    format: NotRequired[Literal[tuple(tabular.FORMATS)]]
    dialect: NotRequired[tabular.Dialect]


class Followed(TypedDict):
    event: FollowEvent
    proposals: Annotated[list[FollowItem], Field(description="Newest first.")]
    supported: Annotated[list[SupportedItem], Field(description=(
        "Others' proposals this person voted for, as the public sees them (hidden, merged "
        "and waiting ones left out), by number."))]


def _files(shape, name: str) -> Answer:
    return Answer(shape, "JSON, or a CSV / XLSX file with the same columns", filename=name)


def _table(name, columns, labels):
    user = staff_user()
    fmt = request.args.get("format", "json")
    if fmt not in tabular.FORMATS:
        raise OperationError("invalid_format", _("Choose csv, xlsx or json."), field="format")
    dialect = exports.requested_dialect()
    filters = listing.parse_filters(request.args)
    return tabular.download(name, columns, listing.rows_for(user, filters), fmt, dialect,
                            labels)


@route("GET", "/proposals",
       "Proposals across the events the caller may review, with rank, fair score, interval, "
       "review status, public answer and linked measure", auth=STAFF, query=Filters,
       answers={200: _files(ProposalTable, "forslag")}, errors=(400, 401))
def list_proposals():
    return _table("forslag", PROPOSAL_COLUMNS, exports.PROPOSALS)


@route("GET", "/votes/aggregated",
       "Votes per proposal, aggregated (counts and distributions only)", auth=STAFF,
       query=Filters, answers={200: _files(VoteTable, "roster-per-forslag")}, errors=(400, 401))
def aggregated_votes():
    return _table("roster-per-forslag", VOTE_COLUMNS, exports.VOTES)


def _reviewable(proposal_id):
    user, proposal = staff_user(), db.session.get(Proposal, proposal_id)
    if proposal is None:
        raise not_found("proposal_not_found")
    event = db.session.get(Event, proposal.event_id)
    access.require_review(user, event)
    return proposal, event


@route("GET", "/proposals/<int:proposal_id>/review",
       "A proposal's review: scores, status, history, discussion", auth=STAFF,
       answers={200: ReviewDetail}, errors=(401, 403, 404))
def get_review(proposal_id):
    proposal, event = _reviewable(proposal_id)
    detail = proposal_detail(proposal, event)
    row = detail.pop("row")
    detail["tables"] = len(detail["tables"])
    detail["score"] = ({c: row[c] for c in PROPOSAL_COLUMNS if c not in ("title", "body")}
                       if row else None)
    return jsonify(detail | {"version": event.version})


@route("PUT", "/proposals/<int:proposal_id>/review",
       "Set the review status and the public answer", auth=STAFF,
       body=operations.ReviewUpdate, answers={200: operations.ReviewResult},
       errors=(400, 401, 403, 404, 409))
def put_review(proposal_id):
    data = json_body()
    return jsonify(operations.set_review(staff_user(), proposal_id, data.get("status"),
                                         data.get("public_answer")))


@route("POST", "/proposals/<int:proposal_id>/comments",
       "Add to the project team's discussion of a proposal", auth=STAFF,
       body=operations.CommentRequest, answers={201: operations.CommentResult},
       errors=(400, 401, 403, 404))
def post_comment(proposal_id):
    data = json_body()
    return jsonify(operations.add_comment(staff_user(), proposal_id, data.get("body"))), 201


@route("GET", "/public/events/<code>",
       "What was proposed at an event, how it ranked, what was decided and why (no login; "
       "not for a referensgrupp)", auth=PUBLIC, path={"code": str},
       answers={200: EventOutcome}, errors=(404,))
def public_event(code):
    outcome = event_outcome(event_by_code(code))
    if outcome is None:
        raise not_found("event_not_found")
    return jsonify(outcome)


@route("GET", "/follow/<follow_code>",
       "What a resident took part in: their own proposals with their status timelines, and "
       "the proposals they voted for (the secret link is the only key)", auth=PUBLIC,
       path={"follow_code": FollowCode}, answers={200: Followed}, errors=(404,))
def follow(follow_code):
    participant = by_follow_code(follow_code)
    if participant is None:
        raise not_found()
    event, items = follow_items(participant)
    response = jsonify({"event": event, "proposals": items,
                        "supported": supported_items(participant)})
    response.headers["Cache-Control"] = "private, no-store"
    return response
