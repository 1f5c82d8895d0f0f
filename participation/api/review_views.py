"""REST for the project team's review and for open data: proposals across events with fair
scores, aggregated votes, a proposal's review, and the residents' public pages as JSON."""

from flask import jsonify, request
from flask_babel import gettext as _

from .. import access
from ..core import tabular
from ..core.errors import OperationError, not_found
from ..events.models import Event
from ..events.operations import event_by_code
from ..extensions import db
from ..participants.identity import by_follow_code
from ..proposals.models import Proposal
from ..review import listing, operations
from ..review.export import PROPOSAL_COLUMNS, VOTE_COLUMNS
from ..review.outcomes import event_outcome, follow_items
from ..review.queries import proposal_detail
from . import bp
from .auth import json_body, staff_user


def _table(name, columns):
    user = staff_user()
    fmt = request.args.get("format", "json")
    if fmt not in tabular.FORMATS:
        raise OperationError("invalid_format", _("Choose csv, xlsx or json."), field="format")
    filters = listing.parse_filters(request.args)
    return tabular.download(name, columns, listing.rows_for(user, filters), fmt)


@bp.get("/proposals")
def list_proposals():
    return _table("forslag", PROPOSAL_COLUMNS)


@bp.get("/votes/aggregated")
def aggregated_votes():
    return _table("roster-per-forslag", VOTE_COLUMNS)


def _reviewable(proposal_id):
    user, proposal = staff_user(), db.session.get(Proposal, proposal_id)
    if proposal is None:
        raise not_found("proposal_not_found")
    event = db.session.get(Event, proposal.event_id)
    access.require_review(user, event)
    return proposal, event


@bp.get("/proposals/<int:proposal_id>/review")
def get_review(proposal_id):
    proposal, event = _reviewable(proposal_id)
    detail = proposal_detail(proposal, event)
    row = detail.pop("row")
    detail["tables"] = len(detail["tables"])
    detail["score"] = ({c: row[c] for c in PROPOSAL_COLUMNS if c not in ("title", "body")}
                       if row else None)
    return jsonify(detail | {"version": event.version})


@bp.put("/proposals/<int:proposal_id>/review")
def put_review(proposal_id):
    data = json_body()
    return jsonify(operations.set_review(staff_user(), proposal_id, data.get("status"),
                                         data.get("public_answer")))


@bp.post("/proposals/<int:proposal_id>/comments")
def post_comment(proposal_id):
    data = json_body()
    return jsonify(operations.add_comment(staff_user(), proposal_id, data.get("body"))), 201


@bp.get("/public/events/<code>")
def public_event(code):
    outcome = event_outcome(event_by_code(code))
    if outcome is None:
        raise not_found("event_not_found")
    return jsonify(outcome)


@bp.get("/follow/<follow_code>")
def follow(follow_code):
    participant = by_follow_code(follow_code)
    if participant is None:
        raise not_found()
    event, items = follow_items(participant)
    response = jsonify({"event": event, "proposals": items})
    response.headers["Cache-Control"] = "private, no-store"
    return response
