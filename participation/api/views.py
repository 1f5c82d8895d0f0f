"""REST for events, proposals, votes, moderation and merges: each view is registered with its
contract (contract.route); the answers declared here are the ones these views put together."""

from typing import Annotated, Literal, NotRequired

from flask import g, jsonify, request
from flask_babel import get_locale
from flask_babel import gettext as _
from pydantic import Field
from typing_extensions import TypedDict

from .. import access
from ..accounts.tokens import TOKEN_ERRORS
from ..activities import repeat
from ..backlog import similar as hints
from ..budgets import operations as budget_ops
from ..budgets.queries import BudgetOutcome, outcome
from ..core.declare import Version, keys_of
from ..core.errors import OperationError, not_found
from ..core.validate import Id
from ..events import languages, questions, schedule, tables
from ..events import operations as event_ops
from ..events.models import PHASES, Event, Voting
from ..extensions import csrf, db
from ..live.snapshot import EventView, ResidentState, StaffState, event_view, state_for
from ..participants import identity as participants
from ..participants.operations import Seat, TableChoice
from ..participants.operations import choose_table as seat
from ..proposals import duplicates, merge, moderation, paper, themes
from ..proposals import operations as proposal_ops
from ..proposals.ranking import RankedProposal, ranked
from ..proposals.similarity import THRESHOLD
from ..web import identity
from ..web.links import SubmittedWithLink, with_follow_url
from . import bp
from .auth import authenticate_request, json_body, json_body_or_empty, staff_user
from .contract import RESIDENT, RESIDENT_OR_STAFF, STAFF, Answer, route

csrf.exempt(bp)  # API writes check CSRF themselves, and only for cookie-authenticated calls
bp.before_request(authenticate_request)

EventAnswer = TypedDict("EventAnswer", {**keys_of(EventView), "version": Version})
ThemesDisplayAnswer = TypedDict("ThemesDisplayAnswer", {
    **keys_of(EventAnswer), "show_themes": bool})


class ThemesAnswer(TypedDict):
    event_id: Id
    version: Version
    themes: list[themes.ThemeWithIds]


class ResultsQuery(TypedDict):
    table: NotRequired[Annotated[int, Field(description="Only this table's proposals.")]]


class ResultsAnswer(TypedDict):
    event_id: Id
    phase: Literal[PHASES]
    version: Version
    voting: Voting
    table: int | None
    results: list[RankedProposal]
    budget: NotRequired[Annotated[BudgetOutcome, Field(description=(
        "A budget event's ballot and what it funds (Equal Shares; greedy alongside)."))]]


class SimilarQuery(TypedDict):
    title: NotRequired[str]
    body: NotRequired[str]


class DuplicatesAnswer(TypedDict):
    event_id: Id
    threshold: Annotated[float, Field(description="Pairs at least this alike are listed.")]
    pairs: list[duplicates.DuplicatePair]


class ModerationLog(TypedDict):
    event_id: Id
    entries: list[moderation.ModerationLogEntry]


class MergeList(TypedDict):
    event_id: Id
    merges: Annotated[list[merge.MergeShape], Field(description="Undone ones included.")]


@bp.errorhandler(OperationError)
def _operation_error(error):
    response = jsonify(error.to_dict())
    if error.status == 401:
        # RFC 6750: how to authenticate, and for a refused token why (its JSON code says more).
        challenge = 'Bearer realm="participation"'
        if error.code in TOKEN_ERRORS:
            challenge += f', error="invalid_token", error_description="{error.code}"'
        response.headers["WWW-Authenticate"] = challenge
    return response, error.status


def _event(event_id: int):
    event = db.session.get(Event, event_id)
    if event is None:
        raise not_found("event_not_found")
    return event


def _moderated(event_id: int):
    user, event = staff_user(), _event(event_id)
    access.require_moderate(user, event)
    return event


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


def _event_answer(event) -> EventAnswer:
    return event_view(event) | {"version": event.version}


@route("POST", "/events", "Create an event", auth=STAFF, body=event_ops.NewEvent,
       answers={201: EventAnswer}, errors=(400, 401, 403))
def create_event():
    data = json_body()
    focus = data.get("focus_areas", [])
    event = event_ops.create_event(
        staff_user(), data.get("title"), data.get("prompt"), data.get("kind"),
        data.get("voting"), focus if focus is not None else [],
        data.get("moderation", "post"), hide_tallies=data.get("hide_tallies", False),
        shuffle_ballot=data.get("shuffle_ballot", False), questions=data.get("questions"),
        opens_at=data.get("opens_at"), closes_at=data.get("closes_at"),
        voting_opens_at=data.get("voting_opens_at"), tables=data.get("tables"),
        asks_demographics=data.get("asks_demographics", False),
    )
    return jsonify(_event_answer(event)), 201


@route("POST", "/events/<int:event_id>/copy", "Copy an event's setup into a new event",
       auth=STAFF, answers={201: EventAnswer}, errors=(400, 401, 403, 404),
       description="The new event is in the lobby with a new code, run by the caller: the "
                   "settings, focus areas, question cards, tables and activity plan (poll "
                   "options) as the event's. Not its times (opens_at, voting_opens_at, "
                   "closes_at: set them for the new date), proposals, votes, participants, "
                   "members or team. For whoever may create events and open its console.")
def copy_event(event_id):
    return jsonify(_event_answer(repeat.copy_event(staff_user(), event_id))), 201


@route("GET", "/events/<int:event_id>", "An event's settings and phase", auth=STAFF,
       answers={200: EventAnswer}, errors=(401, 403, 404))
def get_event(event_id):
    return jsonify(_event_answer(_reviewable(event_id)))


@route("POST", "/events/<int:event_id>/phase", "Move the event to another phase", auth=STAFF,
       body=event_ops.PhaseChange, answers={200: EventAnswer}, errors=(400, 401, 403, 404, 409))
def set_phase(event_id):
    data = json_body()
    event = event_ops.change_phase(staff_user(), event_id, data.get("phase"))
    return jsonify(_event_answer(event))


@route("POST", "/events/<int:event_id>/paper-proposals",
       "Add a proposal written on paper, for a table", auth=STAFF,
       body=paper.PaperProposalRequest, answers={201: paper.PaperProposal},
       errors=(400, 401, 403, 404, 409))
def add_paper_proposal(event_id):
    data = json_body()
    result = paper.add_paper_proposal(staff_user(), event_id, data.get("title"), data.get("body"),
                                      data.get("table"), data.get("focus_area_id"))
    return jsonify(result), 201


@route("POST", "/events/<int:event_id>/scribe-proposals",
       "The table scribe enters a proposal for the table (the scribe card's cookie grant)",
       auth=RESIDENT, body=paper.ScribeProposalRequest, answers={201: paper.ScribeProposal},
       errors=(400, 403, 404, 409))
def add_scribe_proposal(event_id):
    data = json_body()
    event = _event(event_id)
    result = paper.add_scribe_proposal(event.id, identity.scribe_grant(event.id),
                                       data.get("title"), data.get("body"),
                                       token=identity.token_for(event.id))
    return jsonify(result), 201


@route("PUT", "/proposals/<int:proposal_id>/hand-count",
       "Record the hands counted in the room for a proposal", auth=STAFF,
       body=paper.HandCountRequest, answers={200: paper.HandCount},
       errors=(400, 401, 403, 404, 409),
       description="409 hand_count_not_for_scale on a scale event.")
def set_hand_count(proposal_id):
    data = json_body()
    return jsonify(paper.set_hand_count(staff_user(), proposal_id, data.get("count")))


@route("GET", "/events/<int:event_id>/similar",
       "Shown proposals and public measures similar to a text being typed",
       auth=RESIDENT_OR_STAFF, query=SimilarQuery, answers={200: hints.Matches},
       errors=(401, 403, 404))
def similar(event_id):
    event = _event(event_id)
    _require_resident(event, _reviewer(event))
    return jsonify(hints.similar(event, request.args.get("title", ""),
                                 request.args.get("body", ""), str(get_locale())))


@route("GET", "/events/<int:event_id>/duplicates",
       "Suggested duplicate pairs for the facilitator", auth=STAFF,
       answers={200: DuplicatesAnswer}, errors=(401, 403, 404))
def duplicate_pairs(event_id):
    event = _reviewable(event_id)
    return jsonify({"event_id": event.id, "threshold": THRESHOLD,
                    "pairs": duplicates.suggested_pairs(event)})


@route("POST", "/events/<int:event_id>/tables", "Set how many tables the event has",
       auth=STAFF, body=tables.TableCount, answers={200: EventAnswer},
       errors=(400, 401, 403, 404, 409))
def set_tables(event_id):
    data = json_body()
    event = tables.set_table_count(staff_user(), event_id, data.get("count"))
    return jsonify(_event_answer(event))


@route("POST", "/events/<int:event_id>/scribe-cards",
       "A new scribe card for a table; the old card stops working at once", auth=STAFF,
       body=tables.ScribeCardRequest, answers={201: tables.ScribeCard},
       errors=(400, 401, 403, 404, 409))
def new_scribe_card(event_id):
    """A new scribe card for a table; the old card stops working at once."""
    data = json_body()
    return jsonify(tables.new_scribe_card(staff_user(), event_id, data.get("table"))), 201


@route("POST", "/events/<int:event_id>/table", "Sit this phone at a table (null: none)",
       auth=RESIDENT, body=TableChoice, answers={200: Seat}, errors=(400, 403, 404))
def choose_table(event_id):
    data = json_body()
    event = _event(event_id)
    return jsonify(seat(event.id, identity.token_for(event.id), data.get("table")))


@route("POST", "/events/<int:event_id>/reveal",
       "Show (true) or hide (false) the live vote bars on the projector", auth=STAFF,
       body=event_ops.Reveal, answers={200: EventAnswer}, errors=(400, 401, 403, 404))
def reveal(event_id):
    data = json_body()
    event = event_ops.reveal_tallies(staff_user(), event_id, data.get("revealed", True))
    return jsonify(_event_answer(event))


@route("PUT", "/events/<int:event_id>/themes-display",
       "Show (true) or hide (false) the theme cloud on the projector", auth=STAFF,
       body=event_ops.ThemesDisplay, answers={200: ThemesDisplayAnswer},
       errors=(400, 401, 403, 404))
def set_show_themes(event_id):
    data = json_body()
    event = event_ops.set_show_themes(staff_user(), event_id, data.get("show"))
    return jsonify(_event_answer(event) | {"show_themes": event.show_themes})


@route("GET", "/events/<int:event_id>/themes",
       "The theme cloud: stems shared by the visible proposals", auth=STAFF,
       answers={200: ThemesAnswer}, errors=(401, 403, 404))
def event_themes(event_id):
    event = _moderated(event_id)
    return jsonify({"event_id": event.id, "version": event.version,
                    "themes": themes.themes(event)})


@route("POST", "/events/<int:event_id>/timer",
       "Start (seconds > 0) or stop (0 or null) the phase countdown", auth=STAFF,
       body=event_ops.TimerChange, answers={200: EventAnswer}, errors=(400, 401, 403, 404, 409))
def set_timer(event_id):
    data = json_body()
    event = event_ops.set_timer(staff_user(), event_id, data.get("seconds"))
    return jsonify(_event_answer(event))


@route("PUT", "/events/<int:event_id>/schedule",
       "Set (or clear with null) when the event opens, opens its voting and closes on its own",
       auth=STAFF,
       body=schedule.ScheduleChange, answers={200: EventAnswer},
       errors=(400, 401, 403, 404, 409))
def set_schedule(event_id):
    data = json_body()
    event = schedule.set_schedule(staff_user(), event_id, data.get("opens_at"),
                                  data.get("closes_at"), data.get("voting_opens_at"))
    return jsonify(_event_answer(event))


@route("PUT", "/events/<int:event_id>/questions",
       "Replace the question cards (unchanged texts keep their ids)", auth=STAFF,
       body=questions.QuestionCards, answers={200: EventAnswer},
       errors=(400, 401, 403, 404, 409),
       description="409 question_in_use when a removed question has proposals.")
def set_questions(event_id):
    data = json_body()
    event = questions.set_questions(staff_user(), event_id, data.get("questions"))
    return jsonify(_event_answer(event))


@route("PUT", "/events/<int:event_id>/languages",
       "Set the languages the phones offer, the projector's, and the texts in other languages",
       auth=STAFF, body=languages.LanguagesChange, answers={200: EventAnswer},
       errors=(400, 401, 403, 404),
       description="docs/languages.md. 400 invalid_language for a language not shipped or a "
                   "projector language the phones do not offer.")
def set_languages(event_id):
    data = json_body()
    event = languages.set_languages(
        staff_user(), event_id, data.get("languages"),
        data.get("projector_language", "sv"), data.get("browser_language", True),
        data.get("texts"))
    return jsonify(_event_answer(event))


@route("GET", "/events/<int:event_id>/results", "Visible proposals in rank order", auth=STAFF,
       query=ResultsQuery, answers={200: ResultsAnswer}, errors=(401, 403, 404))
def results(event_id):
    event = _reviewable(event_id)
    table = request.args.get("table")
    if table is not None and not any(str(t.number) == table for t in event.tables):
        raise OperationError("unknown_table", _("There is no such table."), 404)
    answer = {"event_id": event.id, "phase": event.phase, "version": event.version,
              "voting": event.voting_dict(),
              "table": int(table) if table else None,
              "results": ranked(event, int(table) if table else None)}
    if event.is_budget:
        answer["budget"] = outcome(event)
    return jsonify(answer)


@route("GET", "/events/<int:event_id>/state", "The full snapshot, with version",
       auth=RESIDENT_OR_STAFF, answers={200: ResidentState | StaffState},
       errors=(401, 403, 404))
def state(event_id):
    event = _event(event_id)
    staff = _reviewer(event)
    return jsonify(state_for(event, _require_resident(event, staff), staff))


@route("POST", "/events/<int:event_id>/proposals", "Submit a proposal (collect phase)",
       auth=RESIDENT, body=proposal_ops.NewProposal,
       answers={201: SubmittedWithLink,
                200: Answer(SubmittedWithLink, "A retry with the same client_id")},
       errors=(400, 403, 404, 409))
def submit_proposal(event_id):
    data = json_body()
    event = _event(event_id)
    result = proposal_ops.submit_proposal(
        event.id, identity.token_for(event.id), data.get("title"), data.get("body"),
        data.get("client_id"), focus_area_id=data.get("focus_area_id"),
        question_id=data.get("question_id"), lang=data.get("lang"), hint=str(get_locale()),
    )
    return jsonify(with_follow_url(result)), 200 if result.get("replayed") else 201


@route("POST", "/proposals/<int:proposal_id>/votes", "Vote, add dots, or rate 1-5 (vote phase)",
       auth=RESIDENT, body=proposal_ops.VoteRequest,
       answers={201: Answer(proposal_ops.VoteResult, "Counted"),
                200: Answer(proposal_ops.VoteResult, "A retry")},
       errors=(400, 403, 404, 409))
def vote(proposal_id):
    data = json_body()
    result = proposal_ops.cast_vote(proposal_id, identity.token_lookup(), data.get("client_id"),
                                    data.get("dots"), score=data.get("score"))
    return jsonify(result), 200 if result.get("replayed") else 201


@route("POST", "/events/<int:event_id>/budget-ballot",
       "Save this person's budget ballot, replacing the earlier one (vote phase)",
       auth=RESIDENT, body=budget_ops.BudgetBallotRequest,
       answers={200: budget_ops.BudgetBallotResult}, errors=(400, 403, 404, 409),
       description="409 over_budget when the measures cost more than the budget (nothing is "
                   "stored); 400 not_on_ballot for a measure the ballot does not hold.")
def budget_ballot(event_id):
    data = json_body()
    event = _event(event_id)
    return jsonify(budget_ops.submit_budget_ballot(
        event.id, identity.token_for(event.id), data.get("measure_ids"), data.get("client_id")))


@route("DELETE", "/proposals/<int:proposal_id>/votes",
       "Withdraw this person's vote, rating, or dots (all or some)", auth=RESIDENT,
       body=proposal_ops.WithdrawRequest, body_required=False,
       answers={200: proposal_ops.VoteResult}, errors=(400, 403, 404, 409))
def withdraw(proposal_id):
    data = json_body_or_empty()
    return jsonify(proposal_ops.withdraw_vote(proposal_id, identity.token_lookup(),
                                              data.get("client_id"), data.get("dots")))


@route("POST", "/proposals/<int:proposal_id>/hide", "Hide a proposal, with a public reason",
       auth=STAFF, body=moderation.HideRequest, answers={200: moderation.ModerationResult},
       errors=(400, 401, 403, 404, 409))
def hide(proposal_id):
    data = json_body()
    return jsonify(moderation.hide_proposal(staff_user(), proposal_id, data.get("reason")))


@route("POST", "/proposals/<int:proposal_id>/approve",
       "Approve a proposal waiting for moderation", auth=STAFF,
       answers={200: moderation.ModerationResult}, errors=(401, 403, 404, 409))
def approve(proposal_id):
    return jsonify(moderation.approve_proposal(staff_user(), proposal_id))


@route("POST", "/proposals/<int:proposal_id>/restore", "Show a hidden proposal again",
       auth=STAFF, body=moderation.RestoreRequest, body_required=False,
       answers={200: moderation.ModerationResult}, errors=(400, 401, 403, 404, 409))
def restore(proposal_id):
    data = json_body_or_empty()
    return jsonify(moderation.restore_proposal(staff_user(), proposal_id, data.get("reason")))


@route("PATCH", "/proposals/<int:proposal_id>", "Edit a proposal's text, with a public reason",
       auth=STAFF, body=moderation.EditRequest, answers={200: moderation.ModerationResult},
       errors=(400, 401, 403, 404, 409))
def edit_proposal(proposal_id):
    data = json_body()
    return jsonify(moderation.edit_proposal(staff_user(), proposal_id, data.get("title"),
                                            data.get("body"), data.get("reason")))


@route("GET", "/events/<int:event_id>/moderation",
       "The moderation audit trail: who, when, what and why", auth=STAFF,
       answers={200: ModerationLog}, errors=(401, 403, 404))
def moderation_log(event_id):
    event = _reviewable(event_id)
    return jsonify({"event_id": event.id, "entries": moderation.moderation_log(event.id)})



@route("POST", "/events/<int:event_id>/merges",
       "Merge a duplicate (source) into another proposal (target): votes carry over, both "
       "texts are kept", auth=STAFF, body=merge.MergeRequest,
       answers={201: Answer(merge.MergeResult, "Merged")}, errors=(400, 401, 403, 404, 409))
def merge_proposals(event_id):
    data = json_body()
    result = merge.merge_proposals(staff_user(), data.get("source_id"), data.get("target_id"),
                                   data.get("reason"), event_id=_event(event_id).id)
    return jsonify(result), 201


@route("GET", "/events/<int:event_id>/merges", "The event's merges, undone ones included",
       auth=STAFF, answers={200: MergeList}, errors=(401, 403, 404))
def list_merges(event_id):
    event = _reviewable(event_id)
    return jsonify({"event_id": event.id, "merges": merge.list_merges(event.id)})


@route("DELETE", "/merges/<int:merge_id>",
       "Undo a merge (the latest one involving its target first)", auth=STAFF,
       body=merge.UndoRequest, body_required=False, answers={200: merge.UnmergeResult},
       errors=(400, 401, 403, 404, 409))
def undo_merge(merge_id):
    data = json_body_or_empty()
    return jsonify(merge.undo_merge(staff_user(), merge_id, data.get("reason")))
