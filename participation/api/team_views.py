"""REST for an event's team: who runs it with its creator; add a colleague, remove one."""

from flask import jsonify

from ..events import team
from ..events.operations import get_event
from ..extensions import db
from .auth import json_body, staff_user
from .contract import STAFF, Answer, route


@route("GET", "/events/<int:event_id>/team", "The event's team: its creator and colleagues",
       auth=STAFF, answers={200: team.Team}, errors=(401, 403, 404))
def list_team(event_id):
    return jsonify(team.list_team(db.session, staff_user(), get_event(event_id)))


@route("POST", "/events/<int:event_id>/team",
       "Add a colleague to the team by their staff account's e-mail", auth=STAFF,
       body=team.NewTeamMember, answers={201: Answer(team.TeamChange, "Added")},
       errors=(400, 401, 403, 404, 409),
       description="404 unknown_user (field email) when no staff account has that e-mail; "
                   "409 already_on_team; 400 invalid_role or role_not_allowed (field role): "
                   "a facilitator needs a facilitator or admin account.")
def add_team_member(event_id):
    data = json_body()
    result = team.add_team_member(staff_user(), event_id, data.get("email"), data.get("role"))
    return jsonify(result), 201


@route("DELETE", "/events/<int:event_id>/team/<int:user_id>",
       "Take a colleague off the team; their rights on the event end at once", auth=STAFF,
       answers={200: team.TeamRemoval}, errors=(401, 403, 404, 409),
       description="409 creator_stays: the event's creator cannot be removed.")
def remove_team_member(event_id, user_id):
    return jsonify(team.remove_team_member(staff_user(), event_id, user_id))
