from flask import Blueprint, Response, abort, render_template
from flask_login import current_user
from sqlalchemy import select

from ..core.auth import staff_required
from ..events.models import Event
from ..extensions import db
from ..proposals.ranking import ranked, voter_count
from .export import results_csv

bp = Blueprint("review", __name__, url_prefix="/review")


def _reviewable(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    if not current_user.can_review(event):
        abort(403)
    return event


@bp.get("/")
@staff_required()
def index():
    events = db.session.scalars(select(Event).order_by(Event.created_at.desc())).all()
    return render_template(
        "review/index.html", events=[e for e in events if current_user.can_review(e)]
    )


@bp.get("/events/<int:event_id>")
@staff_required()
def event(event_id):
    event = _reviewable(event_id)
    return render_template(
        "review/event.html", event=event, rows=ranked(event), voters=voter_count(event.id),
        by_table=[(table, ranked(event, table.number)) for table in event.tables],
    )


@bp.get("/events/<int:event_id>/proposals.csv")
@staff_required()
def event_csv(event_id):
    event = _reviewable(event_id)
    response = Response(results_csv(event, ranked(event)), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="forslag-{event.code.lower()}.csv"'
    )
    return response
