"""REST for an evening's activity plan (issue 17, docs/activities.md): the plan, adding and
starting activities, a resident's response to the live one (a poll answer, a question to the
panel, an evaluation), likes on questions, moderating a question, and the results."""

from flask import jsonify
from typing_extensions import TypedDict

from .. import access
from ..activities import editing, evaluation, panel, plan, poll, words
from ..activities.models import Activity
from ..core.declare import Version
from ..core.errors import not_found
from ..core.validate import Id
from ..events.operations import get_event
from ..extensions import db
from ..web import identity
from .auth import json_body, staff_user
from .contract import RESIDENT, STAFF, Answer, route


class PlanAnswer(TypedDict):
    event_id: Id
    version: Version
    activities: list[plan.ActivityShape]


def _activity(activity_id: int) -> Activity:
    activity = db.session.get(Activity, activity_id)
    if activity is None:
        raise not_found("activity_not_found")
    return activity


@route("GET", "/events/<int:event_id>/activities",
       "The activity plan, in order, the live one marked", auth=STAFF,
       answers={200: PlanAnswer}, errors=(401, 403, 404),
       description="Empty for an event that runs only its proposal flow.")
def list_activities(event_id):
    event = get_event(event_id)
    access.require_review(staff_user(), event)
    return jsonify({"event_id": event.id, "version": event.version,
                    "activities": plan.plan(event.id)})


@route("POST", "/events/<int:event_id>/activities",
       "Add a quick poll, questions to the panel or an evaluation to the plan",
       auth=STAFF, body=plan.NewActivity, answers={201: Answer(plan.ActivityAdded, "Added")},
       errors=(400, 401, 403, 404, 409),
       description="The first one added brings the event's proposal flow in as activity 1, "
                   "live. 409 too_many_activities past 30.")
def add_activity(event_id):
    return jsonify(plan.add_activity(staff_user(), event_id, json_body())), 201


@route("POST", "/events/<int:event_id>/activities/<int:activity_id>/start",
       "Make this activity the live one", auth=STAFF, answers={200: plan.Plan},
       errors=(401, 403, 404, 409))
def start_activity(event_id, activity_id):
    return jsonify(plan.start_activity(staff_user(), event_id, activity_id))


@route("POST", "/events/<int:event_id>/activities/<int:activity_id>/move",
       "Move an activity to another place in the plan", auth=STAFF, body=editing.MoveActivity,
       answers={200: plan.Plan}, errors=(400, 401, 403, 404, 409))
def move_activity(event_id, activity_id):
    return jsonify(editing.move_activity(staff_user(), event_id, activity_id,
                                         json_body().get("position")))


@route("PATCH", "/events/<int:event_id>/activities/<int:activity_id>",
       "Edit an activity: its title; a poll's options and choices", auth=STAFF,
       body=editing.EditActivity, answers={200: plan.Plan}, errors=(400, 401, 403, 404, 409),
       description="409 has_answers: a poll's options or single/multiple change only before "
                   "anyone has answered.")
def edit_activity(event_id, activity_id):
    return jsonify(editing.edit_activity(staff_user(), event_id, activity_id, json_body()))


@route("DELETE", "/events/<int:event_id>/activities/<int:activity_id>",
       "Remove an activity from the plan", auth=STAFF, answers={200: plan.Plan},
       errors=(401, 403, 404, 409),
       description="409 proposal_flow, live_activity, or has_responses: what residents sent "
                   "is never removed with it.")
def remove_activity(event_id, activity_id):
    return jsonify(editing.remove_activity(staff_user(), event_id, activity_id))


@route("POST", "/events/<int:event_id>/activities/copy",
       "Copy another event's activities into this plan", auth=STAFF, body=editing.CopyPlan,
       answers={200: plan.Plan}, errors=(400, 401, 403, 404, 409),
       description="All but the other event's proposal flow, after this plan's activities, "
                   "without anything residents sent there.")
def copy_plan(event_id):
    return jsonify(editing.copy_plan(staff_user(), event_id,
                                     json_body().get("from_event_id")))


@route("POST", "/activities/<int:activity_id>/responses",
       "Respond to the live activity: a poll answer, a question to the panel, an evaluation",
       auth=RESIDENT,
       body=poll.PollResponse | panel.QuestionResponse | evaluation.EvaluationResponse
       | words.WordsResponse,
       answers={200: poll.PollAnswered | panel.QuestionAsked | evaluation.Evaluated
                | words.WordsSent},
       errors=(400, 403, 404, 409),
       description="The body follows the activity's kind: {choices} for a poll (replacing "
                   "this person's earlier answer), {text} for questions, {ratings, text} for "
                   "an evaluation (replacing the earlier one), {words} for a word cloud (one "
                   "to three, replacing the earlier ones). 409 not_live when the activity "
                   "is not the live one; 409 wrong_activity for another kind's body.")
def respond(activity_id):
    data = json_body()
    activity = _activity(activity_id)
    token, client_id = identity.token_for(activity.event_id), data.get("client_id")
    if activity.kind == "questions":
        return jsonify(panel.ask(activity.id, token, data.get("text"), client_id))
    if activity.kind == "words":
        return jsonify(words.send_words(activity.id, token, data.get("words"), client_id))
    if activity.kind == "evaluation":
        return jsonify(evaluation.answer(activity.id, token, data.get("ratings"),
                                         data.get("text"), client_id))
    return jsonify(poll.answer_poll(activity.id, token, data.get("choices"), client_id))


def _question_token(question_id: int) -> str | None:
    event_id = panel.event_of(question_id)
    if event_id is None:
        raise not_found("question_not_found")
    return identity.token_for(event_id)


@route("POST", "/questions/<int:question_id>/likes", "Like a question to the panel",
       auth=RESIDENT, body=panel.LikeRequest, answers={200: panel.LikeAnswer},
       errors=(400, 403, 404, 409),
       description="Once per person however often it is sent. 409 not_live once the "
                   "questions are no longer the live activity.")
def like_question(question_id):
    data = json_body()
    return jsonify(panel.like(question_id, _question_token(question_id),
                              data.get("client_id"), True))


@route("DELETE", "/questions/<int:question_id>/likes", "Take back a like",
       auth=RESIDENT, body=panel.LikeRequest, answers={200: panel.LikeAnswer},
       errors=(400, 403, 404, 409))
def unlike_question(question_id):
    data = json_body()
    return jsonify(panel.like(question_id, _question_token(question_id),
                              data.get("client_id"), False))


@route("POST", "/questions/<int:question_id>/status",
       "Moderate a question: answered now, answered, hidden or open again", auth=STAFF,
       body=panel.QuestionStatusChange, answers={200: panel.PanelResults},
       errors=(400, 401, 403, 404, 409),
       description="For the event's moderators. Marking one live makes the one live before "
                   "answered. Answers with the questions as staff see them.")
def question_status(question_id):
    return jsonify(panel.set_status(staff_user(), question_id, json_body().get("status")))


@route("POST", "/activities/<int:activity_id>/words/hidden",
       "Take a word out of the word cloud, or put it back", auth=STAFF, body=words.HideWord,
       answers={200: words.Cloud}, errors=(400, 401, 403, 404, 409),
       description="For the event's moderators. Every spelling with this stem, also later "
                   "ones. Answers with the cloud as staff see it.")
def hide_word(activity_id):
    data = json_body()
    return jsonify(words.hide_word(staff_user(), activity_id, data.get("stem"),
                                   data.get("hidden")))


@route("GET", "/activities/<int:activity_id>/results",
       "An activity's results: a poll's people per option, the questions with their likes "
       "and status, an evaluation's counts and texts, a word cloud with hidden words", auth=STAFF,
       answers={200: poll.PollResults | panel.PanelResults | evaluation.EvaluationResults
                | words.Cloud},
       errors=(401, 403, 404))
def activity_results(activity_id):
    activity = _activity(activity_id)
    access.require_review(staff_user(), get_event(activity.event_id))
    shape = plan.activity_shape(activity)
    builders = {"poll": poll.results, "questions": panel.results,
                "evaluation": evaluation.results,
                "words": lambda shape: words.cloud(shape, staff=True)}
    if activity.kind not in builders:
        raise not_found("activity_not_found")
    return jsonify(builders[activity.kind](shape))
