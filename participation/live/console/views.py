"""The console page and its event-wide buttons: phase, countdown, vote bars, theme cloud,
schedule, question cards, tables and scribe cards. Each button is a plain form post that runs
the same operation as REST and sockets, then goes back to its section of the console."""

from datetime import UTC

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ... import access
from ...core.errors import OperationError
from ...core.time import LOCAL_ZONE
from ...events import languages, operations, questions, schedule, tables
from ...events.operations import event_by_code
from ...web import svg_response
from ...web.auth import managed_event, moderated_event, staff_page
from ...web.links import base_url, join_url
from ...web.qr import qr_svg
from ..snapshot import event_view
from . import bp
from .forms import (
    ConfirmForm,
    LanguagesForm,
    NumberForm,
    PhaseForm,
    QuestionsForm,
    RevealForm,
    ScheduleForm,
    TablesForm,
    ThemesDisplayForm,
    TimerForm,
)
from .page import (
    CONSOLE_STRINGS,
    PHASE_CONFIRM,
    group_context,
    head_context,
    phase_confirm,
    plan_context,
    rows_context,
    shows_radslag_panels,
    team_context,
)

# Any staff account, then the event's own rule: a reviewer on an event's team as moderator
# opens its console too (access.may_moderate; each view asks for its event).
console_page = staff_page()


def _local_input(value) -> str:
    """A stored UTC time as a datetime-local input's value, on the room's clock."""
    if value is None:
        return ""
    return value.replace(tzinfo=UTC).astimezone(LOCAL_ZONE).strftime("%Y-%m-%dT%H:%M")


@bp.get("/events/<int:event_id>/console")
@console_page
def page(event_id):
    """The console: everything for those who may manage the event; its team's moderators see
    the queue, the theme cloud and the join card, without the controls they may not use."""
    event = moderated_event(event_id)
    manages = access.may_manage(current_user, event)
    rows = rows_context(event)
    return render_template(
        "events/console.html", **(rows | head_context(event, rows["event"])),
        join_url=join_url(event.code), group=group_context(event) if manages else None,
        may_copy=access.may_copy_event(current_user, event),
        team=team_context(event), plan=plan_context(event),
        radslag_panels=shows_radslag_panels(event), undo=_undo_offer(rows, request.args),
        tables_form=TablesForm(count=len(event.tables)), confirm_form=ConfirmForm(),
        console_strings=CONSOLE_STRINGS,
        schedule_form=ScheduleForm(opens_at=_local_input(event.opens_at),
                                   voting_opens_at=_local_input(event.voting_opens_at),
                                   closes_at=_local_input(event.closes_at)),
        questions_form=QuestionsForm(questions="\n".join(q.text for q in event.questions)),
        languages_form=LanguagesForm(projector_language=event.projector_language,
                                     browser_language=event.browser_language),
    )


def _undo_offer(rows: dict, args) -> dict | None:
    """After a hide posted without JavaScript (`?hidden=<id>`): the proposal, if it is still
    hidden, for a "show it again" button at the top of the console."""
    wanted = args.get("hidden", type=int)
    return next((p for p in rows["all_proposals"]
                 if p["id"] == wanted and p["status"] == "hidden"), None)


@bp.get("/events/<int:event_id>/console/head")
@console_page
def head(event_id):
    """The phase and timer controls, for the live console to swap in after a change."""
    event = moderated_event(event_id)
    return render_template("events/_console_head.html", **head_context(event))


@bp.get("/events/<int:event_id>/console/plan")
@console_page
def plan_section(event_id):
    """The evening's programme with the live activity, for the live console to swap in after a
    question, a like, an answer or another activity started."""
    event = moderated_event(event_id)
    return render_template("events/_console_plan.html", event=event_view(event, staff=True),
                           plan=plan_context(event))


@bp.get("/events/<int:event_id>/console/proposals")
@console_page
def rows(event_id):
    """The console's theme cloud and proposal rows, for the live console to swap in."""
    return render_template("events/_console_live.html",
                           **rows_context(moderated_event(event_id)))


def console_action(event_id: int, form, action, invalid_message=None, anchor="phase-heading"):
    """A console button: run the operation, say what went wrong, go back to the console.

    Back at the section the button was in: the fragment puts a keyboard user's next Tab
    there instead of at the top of the page."""
    managed_event(event_id)  # another event's facilitator gets a 403, as on every channel
    if form.validate_on_submit():
        try:
            action(form)
        except OperationError as error:
            flash(str(error.message), "error")
    elif invalid_message:
        flash(invalid_message, "error")
    else:
        # A refused form must say why, or the facilitator thinks it was saved.
        flash(_("Check the form: %(errors)s", errors=" ".join(
            str(e) for errors in form.errors.values() for e in errors)), "error")
    return redirect(url_for("console.page", event_id=event_id, _anchor=anchor))


@bp.post("/events/<int:event_id>/phase")
@console_page
def set_phase(event_id):
    """A phase button. Without `confirmed=1` it only asks (a page that says what the change
    does); the live console asks in a dialog and sends the command itself."""
    event = managed_event(event_id)
    form = PhaseForm()
    if (form.validate_on_submit() and form.confirmed.data != "1"
            and form.phase.data in PHASE_CONFIRM and form.phase.data != event.phase):
        return render_template("events/_console_confirm.html", event=event_view(
            event, staff=True), phase=form.phase.data, confirm=phase_confirm(form.phase.data),
        )
    return console_action(event_id, form, lambda form: operations.change_phase(
        current_user, event_id, form.phase.data))


@bp.post("/events/<int:event_id>/schedule")
@console_page
def set_schedule(event_id):
    return console_action(event_id, ScheduleForm(), lambda form: schedule.set_schedule(
        current_user, event_id, form.opens_at.data or None, form.closes_at.data or None,
        form.voting_opens_at.data or None), anchor="schedule-heading")


@bp.post("/events/<int:event_id>/questions")
@console_page
def set_questions(event_id):
    return console_action(event_id, QuestionsForm(), lambda form: questions.set_questions(
        current_user, event_id, form.texts()), anchor="questions-heading")


@bp.post("/events/<int:event_id>/languages")
@console_page
def set_languages(event_id):
    return console_action(event_id, LanguagesForm(), lambda form: languages.set_languages(
        current_user, event_id, form.chosen(), form.projector_language.data,
        form.browser_language.data, form.texts()), anchor="languages-heading")


@bp.post("/events/<int:event_id>/tables")
@console_page
def set_tables(event_id):
    return console_action(event_id, TablesForm(), lambda form: tables.set_table_count(
        current_user, event_id, form.count.data),
        _("Give a number of tables between 0 and 60."), anchor="join-heading")


@bp.post("/events/<int:event_id>/scribe-cards")
@console_page
def new_scribe_card(event_id):
    """A new scribe card for a table: the old one (lost, or in the wrong hands) stops working."""
    def renew(form):
        tables.new_scribe_card(current_user, event_id, form.table.data)
        flash(_("Table %(n)d has a new scribe card; the old one no longer works. Print it from "
                "the table cards.", n=form.table.data), "success")

    return console_action(event_id, NumberForm(), renew, _("Choose a table."),
                          anchor="join-heading")


@bp.post("/events/<int:event_id>/reveal")
@console_page
def reveal(event_id):
    return console_action(event_id, RevealForm(), lambda form: operations.reveal_tallies(
        current_user, event_id, form.revealed.data == "1"))


@bp.post("/events/<int:event_id>/themes-display")
@console_page
def set_show_themes(event_id):
    return console_action(event_id, ThemesDisplayForm(), lambda form: operations.set_show_themes(
        current_user, event_id, form.show.data == "1"))


@bp.post("/events/<int:event_id>/timer")
@console_page
def set_timer(event_id):
    return console_action(event_id, TimerForm(), lambda form: operations.set_timer(
        current_user, event_id, form.seconds()), _("Give the timer a number of minutes."))


@bp.get("/j/<code>/bord/<int:number>/skrivare/<secret>/qr.svg")
@console_page
def scribe_qr(code, number, secret):
    event = event_by_code(code)
    if event is None or not access.may_manage(current_user, event):
        abort(404)
    # A scribe's secret must not sit in a shared cache.
    return svg_response(qr_svg(base_url() + url_for(
        "phone.join_as_scribe", code=event.code, number=number, secret=secret)), public=False)
