import uuid
from datetime import UTC

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..core.auth import staff_required
from ..core.errors import OperationError
from ..core.time import LOCAL_ZONE
from ..extensions import db
from ..members.access import may_take_part
from ..participants import identity
from ..proposals import themes as theme_cloud
from ..proposals.duplicates import suggested_pairs
from ..proposals.forms import NameForm, ProposalForm, ScribeForm, TableForm
from ..proposals.merge import active_merges
from ..proposals.models import Proposal
from ..proposals.operations import my_ballot
from ..proposals.order import ballot_seed, shuffled
from ..proposals.ranking import ranked
from ..proposals.serialize import merged_from
from . import operations, questions, schedule, tables
from .forms import (
    EventForm,
    PhaseForm,
    QuestionsForm,
    RevealForm,
    ScheduleForm,
    TablesForm,
    ThemesDisplayForm,
    TimerForm,
)
from .links import base_url, join_url
from .models import Event
from .operations import TRANSITIONS
from .qr import qr_svg

bp = Blueprint("events", __name__)


def invite_only(event: Event):
    """A referensgrupp is for its invited members: anyone else gets this page, no cookie."""
    if may_take_part(event, identity.token_for(event.id)):
        return None
    return render_template("members/invite_only.html", event=event), 403


def managed_event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    if not current_user.can_manage(event):
        abort(403)
    return event


@bp.get("/events")
@staff_required()
def dashboard():
    query = select(Event).order_by(Event.created_at.desc())
    if current_user.role == "facilitator":
        query = query.where(Event.created_by_id == current_user.id)
    return render_template("events/dashboard.html", events=db.session.scalars(query).all())


@bp.route("/events/new", methods=["GET", "POST"])
@staff_required("facilitator", "admin")
def create():
    form = EventForm()
    if form.validate_on_submit():
        try:
            event = operations.create_event(
                current_user, form.title.data, form.prompt.data, form.kind.data,
                form.voting(), form.focus_area_names(), form.moderation.data,
                hide_tallies=form.hide_tallies.data, shuffle_ballot=form.shuffle_ballot.data,
                questions=form.question_texts(), opens_at=form.opens_at.data or None,
                closes_at=form.closes_at.data or None,
            )
        except OperationError as error:
            target = getattr(form, error.field, None) if error.field else None
            (target.errors if target is not None else form.form_errors).append(str(error.message))
        else:
            return redirect(url_for("events.console", event_id=event.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("events/create.html", form=form), status


def _staff_context(event: Event) -> dict:
    return {
        "event": event,
        "join_url": join_url(event),
        "results": ranked(event),
        "active_merges": active_merges(event.id),
        "proposals": db.session.scalars(
            select(Proposal).where(Proposal.event_id == event.id).order_by(Proposal.id)
        ).all(),
    }


def _theme_context(event: Event, context: dict) -> dict:
    """The console's theme cloud, and its rows narrowed to `?theme=<stem>` when one is chosen."""
    chosen = request.args.get("theme", "").strip().lower()[:theme_cloud.STEM_MAX]
    context = dict(context, themes=theme_cloud.themes(event), active_theme=chosen or None)
    if chosen:
        holding = theme_cloud.proposals_with_theme(event, chosen)
        context["proposals"] = [p for p in context["proposals"] if p.id in holding]
        context["active_theme_label"] = theme_cloud.label_of(event, chosen)
    return context


@bp.get("/events/<int:event_id>/console")
@staff_required("facilitator", "admin")
def console(event_id):
    event = managed_event(event_id)
    return render_template(
        "events/console.html", **_theme_context(event, _staff_context(event)),
        phase_form=PhaseForm(), duplicate_pairs=suggested_pairs(event),
        timer_form=TimerForm(), reveal_form=RevealForm(), themes_form=ThemesDisplayForm(),
        tables_form=TablesForm(count=len(event.tables)),
        schedule_form=ScheduleForm(opens_at=_local_input(event.opens_at),
                                   closes_at=_local_input(event.closes_at)),
        questions_form=QuestionsForm(questions="\n".join(q.text for q in event.questions)),
        next_phases=sorted(TRANSITIONS[event.phase],
                                                 key=["lobby", "collect", "vote", "results",
                                                      "closed"].index),
    )


@bp.get("/events/<int:event_id>/console/proposals")
@staff_required("facilitator", "admin")
def console_rows(event_id):
    """The console's theme cloud and proposal rows, for the live console to swap in."""
    event = managed_event(event_id)
    return render_template("events/_console_live.html",
                           **_theme_context(event, _staff_context(event)),
                           duplicate_pairs=suggested_pairs(event))


def _console_action(event_id: int, form, action, invalid_message=None, anchor="phase-heading"):
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
    return redirect(url_for("events.console", event_id=event_id, _anchor=anchor))


@bp.post("/events/<int:event_id>/phase")
@staff_required("facilitator", "admin")
def set_phase(event_id):
    return _console_action(event_id, PhaseForm(), lambda form: operations.change_phase(
        current_user, event_id, form.phase.data))


def _local_input(value) -> str:
    """A stored UTC time as a datetime-local input's value, on the room's clock."""
    if value is None:
        return ""
    return value.replace(tzinfo=UTC).astimezone(LOCAL_ZONE).strftime("%Y-%m-%dT%H:%M")


@bp.post("/events/<int:event_id>/schedule")
@staff_required("facilitator", "admin")
def set_schedule(event_id):
    return _console_action(event_id, ScheduleForm(), lambda form: schedule.set_schedule(
        current_user, event_id, form.opens_at.data or None, form.closes_at.data or None),
        anchor="schedule-heading")


@bp.post("/events/<int:event_id>/questions")
@staff_required("facilitator", "admin")
def set_questions(event_id):
    return _console_action(event_id, QuestionsForm(), lambda form: questions.set_questions(
        current_user, event_id, form.texts()), anchor="questions-heading")


@bp.post("/events/<int:event_id>/tables")
@staff_required("facilitator", "admin")
def set_tables(event_id):
    return _console_action(event_id, TablesForm(), lambda form: tables.set_table_count(
        current_user, event_id, form.count.data),
        _("Give a number of tables between 0 and 60."), anchor="join-heading")


@bp.get("/events/<int:event_id>/tables/cards")
@staff_required("facilitator", "admin")
def table_cards(event_id):
    event = managed_event(event_id)
    return render_template("events/table_cards.html", event=event, join_url=join_url(event))


@bp.get("/j/<code>/bord/<int:number>/qr.svg")
def table_qr(code, number):
    event = operations.event_by_code(code)
    if event is None or all(t.number != number for t in event.tables):
        abort(404)
    return _qr_response(base_url() + url_for("events.join_table", code=event.code,
                                             number=number))


@bp.get("/j/<code>/bord/<int:number>/skrivare/<secret>")
def join_as_scribe(code, number, secret):
    """The scribe card's QR target: sit at the table and enter its proposals."""
    event = operations.event_by_code(code)
    if event is None:
        abort(404)
    if refused := invite_only(event):
        return refused
    token = identity.join(event)
    if not tables.grant_scribe(event, number, secret[:64]):
        abort(404)
    seat = tables.choose_table(event.id, token, number)
    flash(_("You are the scribe for %(table)s.", table=seat["table_name"]), "success")
    return redirect(url_for("events.join", code=event.code), code=303)


@bp.get("/j/<code>/bord/<int:number>/skrivare/<secret>/qr.svg")
@staff_required("facilitator", "admin")
def scribe_qr(code, number, secret):
    event = operations.event_by_code(code)
    if event is None or not current_user.can_manage(event):
        abort(404)
    # A scribe's secret must not sit in a shared cache.
    return _qr_response(base_url() + url_for(
        "events.join_as_scribe", code=event.code, number=number, secret=secret), public=False)


@bp.get("/j/<code>/bord/<int:number>")
def join_table(code, number):
    """A table card's QR target: join the event and sit at the table in one scan."""
    event = operations.event_by_code(code)
    if event is None:
        abort(404)
    if refused := invite_only(event):
        return refused
    token = identity.join(event)
    try:
        seat = tables.choose_table(event.id, token, number)
    except OperationError as error:
        flash(str(error.message), "error")
    else:
        flash(_("You are at %(table)s.", table=seat["table_name"]), "success")
    return redirect(url_for("events.join", code=event.code), code=303)


@bp.post("/events/<int:event_id>/reveal")
@staff_required("facilitator", "admin")
def reveal(event_id):
    return _console_action(event_id, RevealForm(), lambda form: operations.reveal_tallies(
        current_user, event_id, form.revealed.data == "1"))


@bp.post("/events/<int:event_id>/themes-display")
@staff_required("facilitator", "admin")
def set_show_themes(event_id):
    return _console_action(event_id, ThemesDisplayForm(), lambda form: operations.set_show_themes(
        current_user, event_id, form.show.data == "1"))


@bp.post("/events/<int:event_id>/timer")
@staff_required("facilitator", "admin")
def set_timer(event_id):
    return _console_action(event_id, TimerForm(), lambda form: operations.set_timer(
        current_user, event_id, form.seconds()), _("Give the timer a number of minutes."))


@bp.get("/events/<int:event_id>/projector")
@staff_required("facilitator", "admin")
def projector(event_id):
    event = managed_event(event_id)
    return render_template("events/projector.html", event=event, join_url=join_url(event))


@bp.get("/events/<int:event_id>/poster")
@staff_required("facilitator", "admin")
def poster(event_id):
    event = managed_event(event_id)
    return render_template("events/poster.html", event=event, join_url=join_url(event))


def _qr_response(url: str, public: bool = True) -> Response:
    response = Response(qr_svg(url), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    return response


@bp.get("/j/<code>/qr.svg")
def qr(code):
    event = operations.event_by_code(code)
    if event is None:
        abort(404)
    return _qr_response(join_url(event))


def render_phone(event: Event, status: int = 200, **forms):
    """The resident's page: everything the current phase allows, as plain forms."""
    if refused := invite_only(event):
        return refused  # also after a refused form post: no group content for non-members
    token = identity.token_for(event.id)
    participant = identity.find(event.id, token)
    mine_only = Proposal.participant_id == (participant.id if participant else None)
    proposals = db.session.scalars(
        select(Proposal)
        .where(Proposal.event_id == event.id, (Proposal.status != "pending") | mine_only)
        .order_by(Proposal.id.desc()).options(selectinload(Proposal.merged_sources))
    ).all()
    proposal_form = forms.get("proposal_form") or ProposalForm()
    proposal_form.focus_area_id.choices = [("", _("No focus area"))] + [
        (str(f.id), f.name) for f in event.focus_areas
    ]
    proposal_form.question_id.choices = [(str(q.id), q.text) for q in event.questions]
    if not proposal_form.client_id.data:
        proposal_form.client_id.data = uuid.uuid4().hex
    if event.shuffle_ballot and event.phase == "vote" and token:
        proposals = shuffled(proposals, ballot_seed(token))
    ballot = my_ballot(event, participant)
    table_form = forms.get("table_form") or TableForm()
    table_form.table.choices = [("", _("No table"))] + [
        (str(t.number), t.name) for t in event.tables]
    my_table = tables.table_number(event, participant.table_id if participant else None)
    table_form.table.data = str(my_table) if my_table else ""
    grant = tables.scribe_grant(event.id)
    return render_template(
        "phone/event.html",
        table_form=table_form,
        scribe_table=next((t for t in event.tables if grant and t.number == grant[0]), None),
        scribe_form=forms.get("scribe_form") or ScribeForm(),
        my_table=next((t for t in event.tables if t.number == my_table), None),
        table_results=ranked(event, my_table)[:3] if my_table and event.phase in (
            "results", "closed") else [],
        event=event,
        proposals=proposals,
        mine={p.id for p in proposals if participant and p.participant_id == participant.id},
        ballot=ballot,
        my_votes={int(k): v for k, v in ballot["votes"].items()},
        results=ranked(event) if event.phase in ("results", "closed") else [],
        participant=participant,
        proposal_form=proposal_form,
        name_form=forms.get("name_form") or NameForm(
            display_name=participant.display_name if participant else ""
        ),
        vote_client_id=uuid.uuid4().hex,
        merged_from=merged_from,
        error=forms.get("error"),
    ), status


@bp.get("/j/<code>")
def join(code):
    event = operations.event_by_code(code)
    if event is None:
        return render_template(
            "home.html", code_error=_("No event has the code %(code)s. Check the code on the "
                                      "screen.", code=code[:12])
        ), 404
    if refused := invite_only(event):
        return refused
    identity.join(event)
    return render_phone(event)
