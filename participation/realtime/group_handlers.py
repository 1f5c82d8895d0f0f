"""Socket.IO events of the referensgrupp: staff manage members and attendance, a member gives
or withdraws consent to show their name. Thin: the same operations as forms and REST."""

from flask_login import current_user

from ..members import operations
from ..members.links import invite_url
from .handlers import handler


def _with_link(result: dict) -> dict:
    # The link goes once to the staff client that asked; the token itself is not kept.
    token = result.pop("invite_token")
    return {**result, "invite_url": invite_url(token)}


@handler("add_member", staff_only=True)
def on_add_member(connection, data):
    return _with_link(operations.add_member(current_user, connection.event_id, data.get("name"),
                                            data.get("email"), data.get("organisation")))


@handler("revoke_member", staff_only=True)
def on_revoke_member(connection, data):
    return operations.revoke_member(current_user, data.get("member_id"))


@handler("reissue_invitation", staff_only=True)
def on_reissue(connection, data):
    return _with_link(operations.reissue_invitation(current_user, data.get("member_id")))


@handler("add_meeting", staff_only=True)
def on_add_meeting(connection, data):
    return operations.add_meeting(current_user, connection.event_id, data.get("title"),
                                  data.get("starts_at"))


@handler("set_attendance", staff_only=True)
def on_set_attendance(connection, data):
    return operations.set_attendance(current_user, data.get("meeting_id"),
                                     data.get("member_id"), data.get("present"))


@handler("set_show_name")
def on_set_show_name(connection, data):
    return operations.set_show_name(connection.event_id, connection.token, data.get("show"))
