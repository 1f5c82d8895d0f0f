"""REST for the referensgrupp: members and invitations, meetings and attendance, consent."""

from flask import jsonify, request
from flask_babel import gettext as _
from flask_wtf.csrf import ValidationError, validate_csrf

from .. import access
from ..core.errors import OperationError, not_found
from ..events.models import Event
from ..extensions import db
from ..members import operations
from ..web import identity
from ..web.links import with_invite_url
from . import bp
from .auth import json_body, staff_user


def _managed(event_id: int) -> Event:
    user, event = staff_user(), db.session.get(Event, event_id)
    if event is None:
        raise not_found("event_not_found")
    access.require_manage(user, event)
    return event


@bp.get("/events/<int:event_id>/members")
def list_members(event_id):
    event = _managed(event_id)
    return jsonify({"event_id": event.id, "version": event.version,
                    "counts": operations.counts(db.session, event.id),
                    "members": operations.list_members(staff_user(), event)})


@bp.post("/events/<int:event_id>/members")
def add_member(event_id):
    data = json_body()
    result = operations.add_member(staff_user(), event_id, data.get("name"), data.get("email"),
                                   data.get("organisation"))
    return jsonify(with_invite_url(result)), 201


@bp.post("/members/<int:member_id>/revoke")
def revoke_member(member_id):
    return jsonify(operations.revoke_member(staff_user(), member_id))


@bp.post("/members/<int:member_id>/invitation")
def reissue_invitation(member_id):
    return jsonify(with_invite_url(operations.reissue_invitation(staff_user(), member_id)))


@bp.get("/events/<int:event_id>/meetings")
def list_meetings(event_id):
    event = _managed(event_id)
    return jsonify({"event_id": event.id, "version": event.version,
                    "meetings": operations.list_meetings(staff_user(), event)})


@bp.post("/events/<int:event_id>/meetings")
def add_meeting(event_id):
    data = json_body()
    result = operations.add_meeting(staff_user(), event_id, data.get("title"),
                                    data.get("starts_at"))
    return jsonify(result), 201


@bp.put("/meetings/<int:meeting_id>/attendance/<int:member_id>")
def set_attendance(meeting_id, member_id):
    data = json_body()
    return jsonify(operations.set_attendance(staff_user(), meeting_id, member_id,
                                             data.get("present")))


@bp.post("/invitations/accept")
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


@bp.post("/events/<int:event_id>/show-name")
def set_show_name(event_id):
    data = json_body()
    return jsonify(operations.set_show_name(event_id, identity.token_for(event_id),
                                            data.get("show")))
