"""A referensgrupp member's personal invitation link /i/<token>: asks, then binds the phone."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ...core.errors import OperationError
from ...members import operations
from ...web import identity
from . import bp
from .forms import ConfirmForm

PERSONAL = {"Cache-Control": "private, no-store"}


def _refused(error: OperationError):
    return render_template("members/invitation_refused.html",
                           error={"message": str(error.message)}), error.status


@bp.get("/i/<token>")
def invitation(token):
    """The invitation's QR target asks first: link scanners and previews open links too, and
    opening one must not join anyone or record attendance."""
    try:
        event = operations.invitation_event(token)
    except OperationError as error:
        return _refused(error)
    return render_template("members/invitation_accept.html", event={"title": event.title},
                           token=token, form=ConfirmForm()), 200, PERSONAL


@bp.post("/i/<token>")
def accept(token):
    """Bind this phone to the member, then open the group."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        result = operations.accept_invitation(token)
    except OperationError as error:
        return _refused(error)
    identity.adopt(result["event_id"], result["participant_token"])
    flash(_("Welcome! You are in the reference group."), "success")
    return redirect(url_for("phone.join", code=result["code"]), code=303)
