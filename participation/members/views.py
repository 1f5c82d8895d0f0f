"""Referensgrupp pages: the invitation link, the console's member and meeting forms, consent.

All plain form posts (no JavaScript needed) that call the same operations as REST and sockets.
"""

from datetime import UTC

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from ..core.auth import staff_required
from ..core.errors import OperationError
from ..core.time import LOCAL_ZONE
from ..events import operations as event_ops
from ..events.qr import qr_svg
from ..events.views import managed_event
from ..extensions import db
from ..participants import identity
from . import access, operations
from .forms import AttendanceForm, ConfirmForm, MeetingForm, MemberForm, ShowNameForm
from .links import invite_url
from .models import Attendance, Meeting, Member

bp = Blueprint("members", __name__)


def _local_date(value) -> str:
    return value.replace(tzinfo=UTC).astimezone(LOCAL_ZONE).strftime("%Y-%m-%d")


@bp.app_template_global()
def group_console(event) -> dict:
    """What the console's referensgrupp section shows (staff pages only)."""
    members = db.session.scalars(select(Member).where(Member.event_id == event.id)
                                 .order_by(Member.id)).all()
    meetings = db.session.scalars(select(Meeting).where(Meeting.event_id == event.id)
                                  .order_by(Meeting.starts_at, Meeting.id)).all()
    present = {tuple(row) for row in db.session.execute(
        select(Attendance.meeting_id, Attendance.member_id).join(Meeting).where(
            Meeting.event_id == event.id)).all()}
    return {"members": members, "meetings": meetings, "present": present,
            "member_form": MemberForm(formdata=None), "meeting_form": MeetingForm(formdata=None),
            "confirm_form": ConfirmForm(formdata=None), "local_date": _local_date}


@bp.app_template_global()
def my_membership(event) -> Member | None:
    """The phone's own membership in a group, for the consent checkbox."""
    if event.kind != access.GROUP:
        return None
    return access.active_member(db.session, event.id, identity.token_for(event.id))


@bp.get("/i/<token>")
def invitation(token):
    """The invitation's QR target asks first: link scanners and previews open links too, and
    opening one must not join anyone or record attendance."""
    try:
        event = operations.invitation_event(token)
    except OperationError as error:
        return render_template("members/invitation_refused.html", error=error), error.status
    return render_template("members/invitation_accept.html", event=event, token=token,
                           form=ConfirmForm()), 200, {"Cache-Control": "private, no-store"}


@bp.post("/i/<token>")
def accept(token):
    """Bind this phone to the member, then open the group."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        result = operations.accept_invitation(token)
    except OperationError as error:
        return render_template("members/invitation_refused.html", error=error), error.status
    identity.adopt(result["event_id"], result["participant_token"])
    flash(_("Welcome! You are in the reference group."), "success")
    return redirect(url_for("events.join", code=result["code"]), code=303)


def _back(event_id, anchor="#group"):
    return redirect(url_for("events.console", event_id=event_id) + anchor, code=303)


SHEET_KEY = "invitation_sheet"


def _sheet(event_id, result):
    """Post, then redirect: the link waits in this staff browser's session for one showing, so
    reloading the sheet never adds the member again or kills the link just printed."""
    session[SHEET_KEY] = {"member_id": result["member"]["id"], "token": result["invite_token"]}
    return redirect(url_for("members.sheet", event_id=event_id,
                            member_id=result["member"]["id"]), code=303)


@bp.get("/events/<int:event_id>/members/<int:member_id>/sheet")
@staff_required("facilitator", "admin")
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
        "members/invitation.html", event=event, member=member, invite_url=url,
        qr=Markup(qr_svg(url).decode()), expires=_local_date(member.invite_expires_at))
    # The page holds a live invitation: no cache may keep it.
    return response, 200, {"Cache-Control": "private, no-store"}


@bp.post("/events/<int:event_id>/members")
@staff_required("facilitator", "admin")
def add(event_id):
    managed_event(event_id)
    form = MemberForm()
    if not form.validate_on_submit():
        flash(_("Check the form: %(errors)s", errors=" ".join(
            str(e) for errors in form.errors.values() for e in errors)), "error")
        return _back(event_id)
    try:
        result = operations.add_member(current_user, event_id, form.name.data, form.email.data,
                                       form.organisation.data)
    except OperationError as error:
        flash(str(error.message), "error")
        return _back(event_id)
    return _sheet(event_id, result)


@bp.post("/events/<int:event_id>/members/<int:member_id>/<action>")
@staff_required("facilitator", "admin")
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
@staff_required("facilitator", "admin")
def add_meeting(event_id):
    managed_event(event_id)
    form = MeetingForm()
    if not form.validate_on_submit():
        flash(_("Check the form: %(errors)s", errors=" ".join(
            str(e) for errors in form.errors.values() for e in errors)), "error")
        return _back(event_id, "#meetings")
    try:
        # The form gives the clock time the facilitator typed: pass it on as local time.
        operations.add_meeting(current_user, event_id, form.title.data,
                               form.starts_at.data.isoformat())
    except OperationError as error:
        flash(str(error.message), "error")
    return _back(event_id, "#meetings")


@bp.post("/events/<int:event_id>/meetings/<int:meeting_id>/attendance/<int:member_id>")
@staff_required("facilitator", "admin")
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


@bp.post("/j/<code>/show-name")
def show_name(code):
    event = event_ops.event_by_code(code)
    if event is None:
        abort(404)
    form = ShowNameForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        result = operations.set_show_name(event.id, identity.token_for(event.id),
                                          bool(form.show_name.data))
    except OperationError as error:
        flash(str(error.message), "error")
    else:
        flash(_("Your name is shown to the group.") if result["show_name"]
              else _("Your name is not shown."), "success")
    return redirect(url_for("events.join", code=event.code) + "#consent", code=303)
