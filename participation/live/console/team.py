"""The console's Team section (Arbetslag): add a colleague by e-mail with a role, remove one.
Plain form posts (no JavaScript needed) calling the same operations as REST."""

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ... import access
from ...core.errors import OperationError
from ...events import team
from ...web.auth import event_or_404, managed_event
from . import bp
from .forms import ConfirmForm, TeamMemberForm
from .views import console_page


def _back(event_id):
    return redirect(url_for("console.page", event_id=event_id, _anchor="team-heading"), code=303)


@bp.post("/events/<int:event_id>/team")
@console_page
def add_team_member(event_id):
    managed_event(event_id)  # 404 or 403 before anything else
    form = TeamMemberForm()
    if not form.validate_on_submit():
        flash(_("Check the form: %(errors)s", errors=" ".join(
            str(e) for errors in form.errors.values() for e in errors)), "error")
        return _back(event_id)
    try:
        result = team.add_team_member(current_user, event_id, form.email.data, form.role.data)
    except OperationError as error:
        flash(str(error.message), "error")
    else:
        flash(_("%(email)s is on the team.", email=result["member"]["email"]), "success")
    return _back(event_id)


@bp.post("/events/<int:event_id>/team/<int:user_id>/remove")
@console_page
def remove_team_member(event_id, user_id):
    managed_event(event_id)
    if not ConfirmForm().validate_on_submit():
        flash(_("Reload the page and try again."), "error")
        return _back(event_id)
    try:
        team.remove_team_member(current_user, event_id, user_id)
    except OperationError as error:
        flash(str(error.message), "error")
    else:
        flash(_("Removed from the team."), "success")
    if not access.may_moderate(current_user, event_or_404(event_id)):
        # They took themselves off the team: the console is not theirs any more.
        return redirect(url_for("dashboard.index"), code=303)
    return _back(event_id)
