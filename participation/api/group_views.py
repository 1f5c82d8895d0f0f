"""REST for the referensgrupp: members and invitations, meetings and attendance, consent."""

from flask import jsonify, request
from flask_babel import gettext as _
from flask_wtf.csrf import ValidationError, validate_csrf
from typing_extensions import TypedDict

from .. import access
from ..core.declare import Version
from ..core.errors import OperationError, not_found
from ..core.validate import Id
from ..events.models import Event
from ..extensions import db
from ..members import operations
from ..web import identity
from ..web.links import InvitationLink, with_invite_url
from .auth import json_body, staff_user
from .contract import CSRF, RESIDENT, STAFF, Answer, route


class MemberList(TypedDict):
    event_id: Id
    version: Version
    counts: operations.MemberCounts
    members: list[operations.MemberInfo]


class MeetingList(TypedDict):
    event_id: Id
    version: Version
    meetings: list[operations.MeetingInfo]


def _managed(event_id: int) -> Event:
    user, event = staff_user(), db.session.get(Event, event_id)
    if event is None:
        raise not_found("event_not_found")
    access.require_manage(user, event)
    return event


@route("GET", "/events/<int:event_id>/members", "A referensgrupp's members with their status",
       auth=STAFF, answers={200: MemberList}, errors=(401, 403, 404))
def list_members(event_id):
    event = _managed(event_id)
    return jsonify({"event_id": event.id, "version": event.version,
                    "counts": operations.counts(db.session, event.id),
                    "members": operations.list_members(staff_user(), event)})


@route("POST", "/events/<int:event_id>/members",
       "Invite a member; the answer holds the invitation link once", auth=STAFF,
       body=operations.NewMember, answers={201: Answer(InvitationLink, "Invited")},
       errors=(400, 401, 403, 404, 409))
def add_member(event_id):
    data = json_body()
    result = operations.add_member(staff_user(), event_id, data.get("name"), data.get("email"),
                                   data.get("organisation"))
    return jsonify(with_invite_url(result)), 201


@route("POST", "/members/<int:member_id>/revoke",
       "Revoke a membership: the member's phones are refused at once", auth=STAFF,
       answers={200: operations.MemberResult}, errors=(401, 403, 404, 409))
def revoke_member(member_id):
    return jsonify(operations.revoke_member(staff_user(), member_id))


@route("POST", "/members/<int:member_id>/invitation",
       "Issue a new invitation link (new expiry; the old link stops working)", auth=STAFF,
       answers={200: InvitationLink}, errors=(401, 403, 404, 409))
def reissue_invitation(member_id):
    return jsonify(with_invite_url(operations.reissue_invitation(staff_user(), member_id)))


@route("GET", "/events/<int:event_id>/meetings", "The group's meetings with attendance",
       auth=STAFF, answers={200: MeetingList}, errors=(401, 403, 404))
def list_meetings(event_id):
    event = _managed(event_id)
    return jsonify({"event_id": event.id, "version": event.version,
                    "meetings": operations.list_meetings(staff_user(), event)})


@route("POST", "/events/<int:event_id>/meetings", "Add a meeting", auth=STAFF,
       body=operations.NewMeeting, answers={201: Answer(operations.MeetingResult, "Added")},
       errors=(400, 401, 403, 404, 409))
def add_meeting(event_id):
    data = json_body()
    result = operations.add_meeting(staff_user(), event_id, data.get("title"),
                                    data.get("starts_at"))
    return jsonify(result), 201


@route("PUT", "/meetings/<int:meeting_id>/attendance/<int:member_id>",
       "Record whether a member was at a meeting", auth=STAFF,
       body=operations.AttendanceRequest, answers={200: operations.AttendanceResult},
       errors=(400, 401, 403, 404, 409))
def set_attendance(meeting_id, member_id):
    data = json_body()
    return jsonify(operations.set_attendance(staff_user(), meeting_id, member_id,
                                             data.get("present")))


@route("POST", "/invitations/accept",
       "Open an invitation: bind this browser's cookie to the member (the same participant "
       "on every device). Always needs X-CSRFToken.", auth=CSRF,
       body=operations.InvitationToken, answers={200: operations.Accepted},
       errors=(400, 404, 410))
def accept_invitation():
    # A fresh phone has no cookie yet, so the general check would skip CSRF: insist here, since
    # accepting binds the browser to a member.
    try:
        validate_csrf(request.headers.get("X-CSRFToken"))
    except ValidationError:
        raise OperationError("csrf_failed",
                             _("Send the page's CSRF token in the X-CSRFToken header."),
                             400) from None
    data = json_body()
    result = operations.accept_invitation(data.get("token"))
    identity.adopt(result["event_id"], result.pop("participant_token"))
    return jsonify(result)


@route("POST", "/events/<int:event_id>/show-name",
       "A member's consent to show their name with their proposals in the group; their "
       "earlier proposals change too", auth=RESIDENT, body=operations.ShowName,
       answers={200: operations.ShowNameResult}, errors=(400, 403, 404, 409))
def set_show_name(event_id):
    data = json_body()
    return jsonify(operations.set_show_name(event_id, identity.token_for(event_id),
                                            data.get("show")))
