"""REST for an evening's activity plan (issue 17, docs/activities.md): the plan, adding a quick
poll, starting an activity, a resident's poll answer and a poll's results."""

from flask import jsonify
from typing_extensions import TypedDict

from .. import access
from ..activities import plan, poll
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


@route("POST", "/events/<int:event_id>/activities", "Add a quick poll to the plan",
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


@route("POST", "/activities/<int:activity_id>/responses",
       "Answer the live quick poll, replacing this person's earlier answer", auth=RESIDENT,
       body=poll.PollResponse, answers={200: poll.PollAnswered},
       errors=(400, 403, 404, 409),
       description="409 not_live when the activity is not the live one; 400 one_choice when a "
                   "single-choice poll gets several.")
def respond(activity_id):
    data = json_body()
    activity = _activity(activity_id)
    return jsonify(poll.answer_poll(activity.id, identity.token_for(activity.event_id),
                                    data.get("choices"), data.get("client_id")))


@route("GET", "/activities/<int:activity_id>/results",
       "A quick poll's results: per option the people who chose it", auth=STAFF,
       answers={200: poll.PollResults}, errors=(401, 403, 404))
def activity_results(activity_id):
    activity = _activity(activity_id)
    access.require_review(staff_user(), get_event(activity.event_id))
    if activity.kind != "poll":
        raise not_found("activity_not_found")
    return jsonify(poll.results(plan.activity_shape(activity)))
