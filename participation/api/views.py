from flask import g, jsonify, request
from flask_babel import gettext as _

from .. import access
from ..core.errors import OperationError, not_found
from ..events import operations as event_ops
from ..events import questions, schedule, tables
from ..events.models import Event
from ..extensions import csrf, db
from ..live.snapshot import event_view, state_for
from ..participants import identity as participants
from ..participants.operations import choose_table as seat
from ..proposals import duplicates, merge, moderation, paper, themes
from ..proposals import operations as proposal_ops
from ..proposals.ranking import ranked
from ..proposals.similarity import THRESHOLD
from ..web import identity
from ..web.links import with_follow_url
from . import bp
from .auth import authenticate_request, json_body, json_body_or_empty, staff_user
from .openapi import spec

csrf.exempt(bp)  # API writes check CSRF themselves, and only for cookie-authenticated calls
bp.before_request(authenticate_request)


@bp.errorhandler(OperationError)
def _operation_error(error):
    return jsonify(error.to_dict()), error.status


@bp.get("/openapi.json")
def openapi():
    return jsonify(spec())


def _event(event_id: int):
    event = db.session.get(Event, event_id)
    if event is None:
        raise not_found("event_not_found")
    return event


def _managed(event_id: int):
    user, event = staff_user(), _event(event_id)
    access.require_manage(user, event)
    return user, event


def _reviewable(event_id: int):
    user, event = staff_user(), _event(event_id)
    access.require_review(user, event)
    return event


def _reviewer(event) -> bool:
    """The caller (cookie or token) may see the event as its staff do."""
    return g.api_user is not None and access.may_review(g.api_user, event)


def _require_resident(event, staff: bool) -> str | None:
    """Reads for residents: joined, and in a referensgrupp an active member; the token."""
    token = identity.token_for(event.id)
    if staff:
        return token
    if token is None:
        raise OperationError("not_joined", _("Join the event first."), 403)
    if not participants.may_take_part(event, token):
        raise access.not_a_member()
    return token


def _event_answer(event) -> dict:
    return event_view(event) | {"version": event.version}


@bp.post("/events")
def create_event():
    data = json_body()
    focus = data.get("focus_areas", [])
    event = event_ops.create_event(
        staff_user(), data.get("title"), data.get("prompt"), data.get("kind"),
        data.get("voting"), focus if focus is not None else [],
        data.get("moderation", "post"), hide_tallies=data.get("hide_tallies", False),
        shuffle_ballot=data.get("shuffle_ballot", False), questions=data.get("questions"),
        opens_at=data.get("opens_at"), closes_at=data.get("closes_at"),
    )
    return jsonify(_event_answer(event)), 201


@bp.get("/events/<int:event_id>")
def get_event(event_id):
    return jsonify(_event_answer(_reviewable(event_id)))


@bp.post("/events/<int:event_id>/phase")
def set_phase(event_id):
    data = json_body()
    event = event_ops.change_phase(staff_user(), event_id, data.get("phase"))
    return jsonify(_event_answer(event))


@bp.post("/events/<int:event_id>/paper-proposals")
def add_paper_proposal(event_id):
    data = json_body()
    result = paper.add_paper_proposal(staff_user(), event_id, data.get("title"), data.get("body"),
                                      data.get("table"), data.get("focus_area_id"))
    return jsonify(result), 201


@bp.post("/events/<int:event_id>/scribe-proposals")
def add_scribe_proposal(event_id):
    data = json_body()
    event = _event(event_id)
    result = paper.add_scribe_proposal(event.id, identity.scribe_grant(event.id),
                                       data.get("title"), data.get("body"),
                                       token=identity.token_for(event.id))
    return jsonify(result), 201


@bp.put("/proposals/<int:proposal_id>/hand-count")
def set_hand_count(proposal_id):
    data = json_body()
    return jsonify(paper.set_hand_count(staff_user(), proposal_id, data.get("count")))


@bp.get("/events/<int:event_id>/similar")
def similar(event_id):
    event = _event(event_id)
    _require_resident(event, _reviewer(event))
    return jsonify({"matches": duplicates.similar_to(
        event, request.args.get("title", ""), request.args.get("body", ""))})


@bp.get("/events/<int:event_id>/duplicates")
def duplicate_pairs(event_id):
    event = _reviewable(event_id)
    return jsonify({"event_id": event.id, "threshold": THRESHOLD,
                    "pairs": duplicates.suggested_pairs(event)})


@bp.post("/events/<int:event_id>/tables")
def set_tables(event_id):
    data = json_body()
    event = tables.set_table_count(staff_user(), event_id, data.get("count"))
    return jsonify(_event_answer(event))


@bp.post("/events/<int:event_id>/scribe-cards")
def new_scribe_card(event_id):
    """A new scribe card for a table; the old card stops working at once."""
    data = json_body()
    return jsonify(tables.new_scribe_card(staff_user(), event_id, data.get("table"))), 201


@bp.post("/events/<int:event_id>/table")
def choose_table(event_id):
    data = json_body()
    event = _event(event_id)
    return jsonify(seat(event.id, identity.token_for(event.id), data.get("table")))


@bp.post("/events/<int:event_id>/reveal")
def reveal(event_id):
    data = json_body()
    event = event_ops.reveal_tallies(staff_user(), event_id, data.get("revealed", True))
    return jsonify(_event_answer(event))


@bp.put("/events/<int:event_id>/themes-display")
def set_show_themes(event_id):
    data = json_body()
    event = event_ops.set_show_themes(staff_user(), event_id, data.get("show"))
    return jsonify(_event_answer(event) | {"show_themes": event.show_themes})


@bp.get("/events/<int:event_id>/themes")
def event_themes(event_id):
    _user, event = _managed(event_id)
    return jsonify({"event_id": event.id, "version": event.version,
                    "themes": themes.themes(event)})


@bp.post("/events/<int:event_id>/timer")
def set_timer(event_id):
    data = json_body()
    event = event_ops.set_timer(staff_user(), event_id, data.get("seconds"))
    return jsonify(_event_answer(event))


@bp.put("/events/<int:event_id>/schedule")
def set_schedule(event_id):
    data = json_body()
    event = schedule.set_schedule(staff_user(), event_id, data.get("opens_at"),
                                  data.get("closes_at"))
    return jsonify(_event_answer(event))


@bp.put("/events/<int:event_id>/questions")
def set_questions(event_id):
    data = json_body()
    event = questions.set_questions(staff_user(), event_id, data.get("questions"))
    return jsonify(_event_answer(event))


@bp.get("/events/<int:event_id>/results")
def results(event_id):
    event = _reviewable(event_id)
    table = request.args.get("table")
    if table is not None and not any(str(t.number) == table for t in event.tables):
        raise OperationError("unknown_table", _("There is no such table."), 404)
    return jsonify({"event_id": event.id, "phase": event.phase, "version": event.version,
                    "voting": event.voting_dict(),
                    "table": int(table) if table else None,
                    "results": ranked(event, int(table) if table else None)})


@bp.get("/events/<int:event_id>/state")
def state(event_id):
    event = _event(event_id)
    staff = _reviewer(event)
    return jsonify(state_for(event, _require_resident(event, staff), staff))


@bp.post("/events/<int:event_id>/proposals")
def submit_proposal(event_id):
    data = json_body()
    event = _event(event_id)
    result = proposal_ops.submit_proposal(
        event.id, identity.token_for(event.id), data.get("title"), data.get("body"),
        data.get("client_id"), focus_area_id=data.get("focus_area_id"),
        question_id=data.get("question_id"),
    )
    return jsonify(with_follow_url(result)), 200 if result.get("replayed") else 201


@bp.post("/proposals/<int:proposal_id>/votes")
def vote(proposal_id):
    data = json_body()
    result = proposal_ops.cast_vote(proposal_id, identity.token_lookup(), data.get("client_id"),
                                    data.get("dots"), score=data.get("score"))
    return jsonify(result), 200 if result.get("replayed") else 201


@bp.delete("/proposals/<int:proposal_id>/votes")
def withdraw(proposal_id):
    data = json_body_or_empty()
    return jsonify(proposal_ops.withdraw_vote(proposal_id, identity.token_lookup(),
                                              data.get("client_id")))


@bp.post("/proposals/<int:proposal_id>/hide")
def hide(proposal_id):
    data = json_body()
    return jsonify(moderation.hide_proposal(staff_user(), proposal_id, data.get("reason")))


@bp.post("/proposals/<int:proposal_id>/approve")
def approve(proposal_id):
    return jsonify(moderation.approve_proposal(staff_user(), proposal_id))


@bp.post("/proposals/<int:proposal_id>/restore")
def restore(proposal_id):
    data = json_body_or_empty()
    return jsonify(moderation.restore_proposal(staff_user(), proposal_id, data.get("reason")))


@bp.patch("/proposals/<int:proposal_id>")
def edit_proposal(proposal_id):
    data = json_body()
    return jsonify(moderation.edit_proposal(staff_user(), proposal_id, data.get("title"),
                                            data.get("body"), data.get("reason")))


@bp.get("/events/<int:event_id>/moderation")
def moderation_log(event_id):
    event = _reviewable(event_id)
    return jsonify({"event_id": event.id, "entries": moderation.moderation_log(event.id)})



@bp.post("/events/<int:event_id>/merges")
def merge_proposals(event_id):
    data = json_body()
    result = merge.merge_proposals(staff_user(), data.get("source_id"), data.get("target_id"),
                                   data.get("reason"), event_id=_event(event_id).id)
    return jsonify(result), 201


@bp.get("/events/<int:event_id>/merges")
def list_merges(event_id):
    event = _reviewable(event_id)
    return jsonify({"event_id": event.id, "merges": merge.list_merges(event.id)})


@bp.delete("/merges/<int:merge_id>")
def undo_merge(merge_id):
    data = json_body_or_empty()
    return jsonify(merge.undo_merge(staff_user(), merge_id, data.get("reason")))
