"""The project team's pages: proposals from every event, one proposal's review, exports."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..accounts.models import User
from ..backlog.links import measure_path
from ..backlog.models import Measure, ProposalLink
from ..core import tabular
from ..core.auth import staff_required
from ..core.errors import OperationError
from ..core.time import iso, local_datetime
from ..events.models import KINDS, Event
from ..extensions import db
from ..proposals.merge import list_merges
from ..proposals.models import Proposal
from ..proposals.ranking import ranked, voter_count
from ..proposals.serialize import full_proposal
from . import listing, operations, scoring
from .export import PROPOSAL_COLUMNS, VOTE_COLUMNS, results_csv
from .forms import CommentForm, ReviewForm
from .models import REVIEW_STATUSES, ReviewComment, ReviewEntry
from .state import current

bp = Blueprint("review", __name__, url_prefix="/review")
# The review page lists at most this many rows; the exports have them all.
PAGE_ROWS = 300


def _reviewable(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    if not current_user.can_review(event):
        abort(403)
    return event


def _filters():
    try:
        return listing.parse_filters(request.args), None
    except OperationError as error:
        return listing.parse_filters({}), error


@bp.get("/")
@staff_required()
def index():
    filters, error = _filters()
    everything = listing.visible_events(current_user, {})
    rows = listing.rows_for(current_user, filters) if error is None else []
    group = scoring.group_support(rows) if len({r["event_id"] for r in rows}) > 1 else None
    return render_template(
        "review/index.html", events=everything, rows=rows[:PAGE_ROWS], total=len(rows),
        filters=filters, error=error, group=group, kinds=KINDS, statuses=REVIEW_STATUSES,
        focus_areas=listing.focus_area_names(everything),
        # The downloads get the same filters; only those (a stray "fmt" must not reach url_for).
        query={k: v for k, v in filters.items() if v is not None and k != "sort"},
    ), 400 if error else 200


@bp.get("/events")
@staff_required()
def events():
    return render_template("review/events.html",
                           events=listing.visible_events(current_user, {}))


@bp.get("/proposals.<fmt>")
@staff_required()
def export_proposals(fmt):
    return _download("forslag", PROPOSAL_COLUMNS, fmt)


@bp.get("/votes.<fmt>")
@staff_required()
def export_votes(fmt):
    return _download("roster-per-forslag", VOTE_COLUMNS, fmt)


def _download(name, columns, fmt):
    if fmt not in tabular.FORMATS:
        abort(404)
    filters, error = _filters()
    if error is not None:
        abort(400)
    return tabular.download(name, columns, listing.rows_for(current_user, filters), fmt)


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


def _proposal(proposal_id) -> tuple[Proposal, Event]:
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None:
        abort(404)
    event = db.session.get(Event, proposal.event_id)
    if not current_user.can_review(event):
        abort(403)
    return proposal, event


def proposal_detail(proposal, event) -> dict:
    """Everything the proposal page shows; staff only (comments name staff accounts)."""
    # The caller has checked the permission; None lists the event's rows unfiltered.
    row = next((r for r in listing.rows_for(None, {"event_id": event.id})
                if r["proposal_id"] == proposal.id), None)
    comments = db.session.scalars(select(ReviewComment)
                                  .where(ReviewComment.proposal_id == proposal.id)
                                  .order_by(ReviewComment.id)).all()
    history = db.session.scalars(select(ReviewEntry).where(ReviewEntry.proposal_id == proposal.id)
                                 .order_by(ReviewEntry.id)).all()
    user_ids = {c.author_id for c in comments} | {h.actor_id for h in history}
    emails = dict(db.session.execute(select(User.id, User.email)
                                     .where(User.id.in_(user_ids))).all())
    link = db.session.scalar(select(ProposalLink).where(ProposalLink.proposal_id == proposal.id))
    measure = db.session.get(Measure, link.measure_id) if link and link.measure_id else None
    review = current(db.session, proposal.id)
    merges = [m for m in list_merges(event.id) if proposal.id in (m["source_id"], m["target_id"])]
    return {
        "proposal": full_proposal(proposal, event), "row": row,
        "tables": row["supporter_tables"] if row else set(),
        "status": review.status if review else "received",
        "public_answer": review.public_answer if review else "",
        "history": [{"status": h.status, "public_answer": h.public_answer,
                     "by": emails.get(h.actor_id), "at": iso(h.created_at),
                     "at_local": local_datetime(h.created_at)} for h in history],
        "comments": [operations.comment_dict(c, emails)
                     | {"at_local": local_datetime(c.created_at)} for c in comments],
        "merges": merges,
        "link": {"kind": link.kind, "measure_id": link.measure_id, "reason": link.reason,
                 "measure_title": measure.title if measure else None,
                 "measure_url": measure_path(link.measure_id) if link.measure_id else None}
        if link else None,
    }


@bp.get("/proposals/<int:proposal_id>")
@staff_required()
def proposal(proposal_id, review_form=None, comment_form=None, status=200):
    proposal, event = _proposal(proposal_id)
    detail = proposal_detail(proposal, event)
    if review_form is None:
        review_form = ReviewForm(status=detail["status"] if detail["status"] in
                                 operations.MANUAL_STATUSES else "reviewing",
                                 public_answer=detail["public_answer"])
    return render_template("review/proposal.html", event=event, model=proposal,
                           review_form=review_form, comment_form=comment_form or CommentForm(),
                           **detail), status


def _refused(proposal_id, error, form, field_names, **forms):
    field = getattr(form, error.field, None) if error.field in field_names else None
    if field is not None:
        field.errors = [*field.errors, str(error.message)]
    else:
        flash(str(error.message), "error")
    return proposal(proposal_id, status=error.status if error.status != 400 else 422, **forms)


@bp.post("/proposals/<int:proposal_id>/review")
@staff_required()
def set_review(proposal_id):
    _proposal(proposal_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        return proposal(proposal_id, review_form=form, status=422)
    try:
        operations.set_review(current_user, proposal_id, form.status.data,
                              form.public_answer.data)
    except OperationError as error:
        return _refused(proposal_id, error, form, ("status", "public_answer"), review_form=form)
    flash(_("The review is saved."), "success")
    return redirect(url_for("review.proposal", proposal_id=proposal_id), code=303)


@bp.post("/proposals/<int:proposal_id>/comments")
@staff_required()
def add_comment(proposal_id):
    _proposal(proposal_id)
    form = CommentForm()
    if not form.validate_on_submit():
        return proposal(proposal_id, comment_form=form, status=422)
    try:
        operations.add_comment(current_user, proposal_id, form.body.data)
    except OperationError as error:
        return _refused(proposal_id, error, form, ("body",), comment_form=form)
    return redirect(url_for("review.proposal", proposal_id=proposal_id) + "#comments", code=303)
