"""The console's referensgrupp section: members and their invitations, meetings, attendance.

All plain form posts (no JavaScript needed) that call the same operations as REST and sockets.
"""

from flask import abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from ...core.errors import OperationError
from ...core.time import iso
from ...extensions import db
from ...members import operations
from ...members.models import Meeting, Member
from ...web.auth import managed_event
from ...web.links import invite_url
from ...web.qr import qr_svg
from . import bp
from .forms import AttendanceForm, ConfirmForm, MeetingForm, MemberForm
from .views import console_page


def _back(event_id, anchor="#group"):
    return redirect(url_for("console.page", event_id=event_id) + anchor, code=303)


def _form_errors(form) -> str:
    return _("Check the form: %(errors)s", errors=" ".join(
        str(e) for errors in form.errors.values() for e in errors))


SHEET_KEY = "invitation_sheet"


def _sheet(event_id, result):
    """Post, then redirect: the link waits in this staff browser's session for one showing, so
    reloading the sheet never adds the member again or kills the link just printed."""
    session[SHEET_KEY] = {"member_id": result["member"]["id"], "token": result["invite_token"]}
    return redirect(url_for("console.sheet", event_id=event_id,
                            member_id=result["member"]["id"]), code=303)


@bp.get("/events/<int:event_id>/members/<int:member_id>/sheet")
@console_page
def sheet(event_id, member_id):
    event = managed_event(event_id)
    member = db.session.get(Member, member_id)
    if member is None or member.event_id != event.id:
        abort(404)
    waiting = session.get(SHEET_KEY) or {}
    if waiting.get("member_id") != member_id:
        flash(_("An invitation link is shown only once. Make a new invitation to print it "
                "again."), "error")
        return _back(event_id)
    session.pop(SHEET_KEY)
    url = invite_url(waiting["token"])
    response = render_template(
        "members/invitation.html", event={"id": event.id, "title": event.title},
        member=operations.member_info(member), invite_url=url,
        qr=Markup(qr_svg(url).decode()), expires=iso(member.invite_expires_at))
    # The page holds a live invitation: no cache may keep it.
    return response, 200, {"Cache-Control": "private, no-store"}


@bp.post("/events/<int:event_id>/members")
@console_page
def add_member(event_id):
    managed_event(event_id)
    form = MemberForm()
    if not form.validate_on_submit():
        flash(_form_errors(form), "error")
        return _back(event_id)
    try:
        result = operations.add_member(current_user, event_id, form.name.data, form.email.data,
                                       form.organisation.data)
    except OperationError as error:
        flash(str(error.message), "error")
        return _back(event_id)
    return _sheet(event_id, result)


@bp.post("/events/<int:event_id>/members/<int:member_id>/<action>")
@console_page
def member_action(event_id, member_id, action):
    if action not in ("revoke", "invitation"):
        abort(404)
    managed_event(event_id)
    member = db.session.get(Member, member_id)
    if member is None or member.event_id != event_id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        if action == "revoke":
            operations.revoke_member(current_user, member_id)
        else:
            return _sheet(event_id, operations.reissue_invitation(current_user, member_id))
    except OperationError as error:
        flash(str(error.message), "error")
    return _back(event_id)


@bp.post("/events/<int:event_id>/meetings")
@console_page
def add_meeting(event_id):
    managed_event(event_id)
    form = MeetingForm()
    if not form.validate_on_submit():
        flash(_form_errors(form), "error")
        return _back(event_id, "#meetings")
    try:
        # The form gives the clock time the facilitator typed: pass it on as local time.
        operations.add_meeting(current_user, event_id, form.title.data,
                               form.starts_at.data.isoformat())
    except OperationError as error:
        flash(str(error.message), "error")
    return _back(event_id, "#meetings")


@bp.post("/events/<int:event_id>/meetings/<int:meeting_id>/attendance/<int:member_id>")
@console_page
def attendance(event_id, meeting_id, member_id):
    managed_event(event_id)
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or meeting.event_id != event_id:
        abort(404)
    form = AttendanceForm()
    if not form.validate_on_submit() or form.present.data not in ("0", "1"):
        abort(400)
    try:
        operations.set_attendance(current_user, meeting_id, member_id, form.present.data == "1")
    except OperationError as error:
        flash(str(error.message), "error")
    return _back(event_id, "#meetings")
