"""The staff's start page (their events) and the form that creates an event."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import access
from ..activities import repeat
from ..backlog.queries import ballot_candidates
from ..core.errors import OperationError
from ..events import operations
from ..events.models import TABLES_MAX, Event
from ..events.shapes import summary_shape
from ..extensions import db
from ..web.auth import event_or_404, staff_page
from .event_form import EventForm

bp = Blueprint("dashboard", __name__)


@bp.get("/events")
@staff_page()
def index():
    """A facilitator sees the events they run or are on the team of; reviewers and admins see
    every event. Console and projector links for those who may open them."""
    events = db.session.scalars(select(Event).options(selectinload(Event.team))
                                .order_by(Event.created_at.desc())).all()
    every = access.may_review_every_event(current_user)
    rows = [summary_shape(e) | {"manages": console,
                                "team_role": access.team_role(current_user, e),
                                "may_copy": access.may_copy_event(current_user, e)}
            for e in events if (console := access.may_moderate(current_user, e)) or every]
    return render_template("events/dashboard.html", events=rows)


@bp.route("/events/new", methods=["GET", "POST"])
@staff_page(access.may_run_events)
def create():
    form = EventForm()
    candidates = ballot_candidates()
    form.measure_ids.choices = [(c["measure"]["id"], c["measure"]["title"]) for c in candidates]
    if form.validate_on_submit():
        try:
            event = operations.create_event(
                current_user, form.title.data, form.prompt.data, form.kind.data,
                form.voting(), form.focus_area_names(), form.moderation.data,
                hide_tallies=form.hide_tallies.data, shuffle_ballot=form.shuffle_ballot.data,
                asks_demographics=form.asks_demographics.data, **form.kind_values(),
            )
        except OperationError as error:
            form.error_on(error)  # on the field it is about; the form keeps what was typed
        else:
            return redirect(url_for("console.page", event_id=event.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("events/create.html", form=form, tables_max=TABLES_MAX,
                           candidates=candidates,
                           chosen=set(form.measure_ids.data or [])), status


@bp.post("/events/<int:event_id>/copy")
@staff_page()
def copy(event_id):
    """Kopiera, on the events list and the console: a new event with this one's setup
    (activities/repeat.py), then the new event's console to set its date's times. A POST with
    the page's CSRF token only: following a link never makes an event."""
    if not access.may_copy_event(current_user, event_or_404(event_id)):
        abort(403)
    try:
        event = repeat.copy_event(current_user, event_id)
    except OperationError as error:
        flash(str(error.message), "error")
        return redirect(url_for("console.page", event_id=event_id), code=303)
    flash(_("A copy with a new code: the settings, focus areas, question cards, tables and "
            "the evening's programme came along; proposals, votes and participants did not. "
            "Times were not copied: set the schedule for the new date."), "success")
    return redirect(url_for("console.page", event_id=event.id), code=303)
