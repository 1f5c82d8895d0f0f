"""The console's Kvällens program (docs/activities.md): the evening's activities in order,
which one is live, a button to start each, forms to add a quick poll, questions to the panel
or the evaluation, and the moderators' buttons on the live questions. Plain form posts (no
JavaScript needed) calling the same operations as REST; for those who may manage the event
(its moderators see the plan without those buttons, but moderate the questions)."""

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ...activities import editing, panel, plan, words
from ...core.errors import OperationError
from ...core.validate import form_number
from ...web.auth import managed_event, moderated_event
from . import bp
from .forms import ConfirmForm, PanelForm, PollForm, QuestionStatusForm
from .views import console_page


def _back(event_id):
    return redirect(url_for("console.page", event_id=event_id, _anchor="plan-heading"),
                    code=303)


def _add(event_id, body, done):
    try:
        plan.add_activity(current_user, event_id, body)
    except OperationError as error:
        flash(str(error.message), "error")
    else:
        flash(done, "success")
    return _back(event_id)


@bp.post("/events/<int:event_id>/plan/poll")
@console_page
def add_poll(event_id):
    managed_event(event_id)  # 404 or 403 before anything else
    form = PollForm()
    if not form.validate_on_submit():
        flash(_("Check the form: %(errors)s", errors=" ".join(
            str(e) for errors in form.errors.values() for e in errors)), "error")
        return _back(event_id)
    return _add(event_id, {
        "kind": "poll", "title": form.title.data, "options": form.option_lines(),
        "multiple": form.multiple.data, "show_results": form.show_results.data},
        _("The poll is in the plan. Start it when the room is ready."))


# The activities added by a title alone: what is missing if it is blank, and what it says done.
TITLED = {
    "questions": (_l("Give the questions a title."),
                  _l("The questions to the panel are in the plan.")),
    "words": (_l("Give the word cloud a question."), _l("The word cloud is in the plan.")),
}


@bp.post("/events/<int:event_id>/plan/<any(questions, words):kind>")
@console_page
def add_titled(event_id, kind):
    """Questions to the panel or a word cloud: a title, the rest is the operation's."""
    managed_event(event_id)
    form = PanelForm()
    missing, done = TITLED[kind]
    if not form.validate_on_submit():
        flash(str(missing), "error")
        return _back(event_id)
    return _add(event_id, {"kind": kind, "title": form.title.data}, str(done))


@bp.post("/events/<int:event_id>/plan/words/<int:activity_id>/hidden")
@console_page
def hide_word(event_id, activity_id):
    """A moderator's Hide (or Show) on a word of the cloud."""
    moderated_event(event_id)
    if not ConfirmForm().validate_on_submit() or plan.event_of(activity_id) != event_id:
        flash(_("Reload the page and try again."), "error")
        return _back(event_id)
    try:
        words.hide_word(current_user, activity_id, request.form.get("stem"),
                        request.form.get("hidden") == "1")
    except OperationError as error:
        flash(str(error.message), "error")
    return _back(event_id)


@bp.post("/events/<int:event_id>/plan/evaluation")
@console_page
def add_evaluation(event_id):
    managed_event(event_id)
    if not ConfirmForm().validate_on_submit():
        flash(_("Reload the page and try again."), "error")
        return _back(event_id)
    return _add(event_id, {"kind": "evaluation"},
                _("The evaluation is in the plan. Start it at the end of the evening."))


@bp.post("/events/<int:event_id>/plan/questions/<int:question_id>/status")
@console_page
def question_status(event_id, question_id):
    """A moderator's button on a question: answered now, answered, hidden or back."""
    moderated_event(event_id)
    form = QuestionStatusForm()
    if not form.validate_on_submit():
        flash(_("Reload the page and try again."), "error")
        return _back(event_id)
    try:
        panel.set_status(current_user, question_id, form.status.data, event_id=event_id)
    except OperationError as error:
        flash(str(error.message), "error")
    return _back(event_id)


@bp.post("/events/<int:event_id>/plan/<int:activity_id>/start")
@console_page
def start(event_id, activity_id):
    managed_event(event_id)
    if not ConfirmForm().validate_on_submit():
        flash(_("Reload the page and try again."), "error")
        return _back(event_id)
    try:
        started = plan.start_activity(current_user, event_id, activity_id)
    except OperationError as error:
        flash(str(error.message), "error")
    else:
        live = next(a for a in started["activities"] if a["live"])
        flash(_("Live now: %(title)s. Phones and the projector follow.", title=live["title"]),
              "success")
    return _back(event_id)


def _plan_change(event_id, change, done):
    """A plan change from one of the programme's buttons: the same operations as REST."""
    managed_event(event_id)
    if not ConfirmForm().validate_on_submit():
        flash(_("Reload the page and try again."), "error")
        return _back(event_id)
    try:
        change()
    except OperationError as error:
        flash(str(error.message), "error")
    else:
        flash(done, "success")
    return _back(event_id)


@bp.post("/events/<int:event_id>/plan/<int:activity_id>/move")
@console_page
def move(event_id, activity_id):
    """Up or down one place (the form says which place)."""
    position = form_number(request.form.get("position", ""))
    return _plan_change(event_id, lambda: editing.move_activity(
        current_user, event_id, activity_id, position), _("Moved."))


@bp.post("/events/<int:event_id>/plan/<int:activity_id>/edit")
@console_page
def edit(event_id, activity_id):
    return _plan_change(event_id, lambda: editing.edit_activity(
        current_user, event_id, activity_id, {"title": request.form.get("title", "")}),
        _("Saved."))


@bp.post("/events/<int:event_id>/plan/<int:activity_id>/remove")
@console_page
def remove(event_id, activity_id):
    return _plan_change(event_id, lambda: editing.remove_activity(
        current_user, event_id, activity_id), _("Removed from the programme."))


@bp.post("/events/<int:event_id>/plan/copy")
@console_page
def copy(event_id):
    source = form_number(request.form.get("from_event_id", ""))
    return _plan_change(event_id, lambda: editing.copy_plan(current_user, event_id, source),
                        _("The other event's activities are now at the end of the programme."))
