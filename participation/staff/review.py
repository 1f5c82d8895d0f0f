"""The project team's pages: proposals from every event, one proposal's review, exports."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length

from .. import access
from ..activities import report as activity_report
from ..budgets import queries as budgets
from ..core import tabular
from ..core.errors import OperationError
from ..demographics.queries import representation
from ..events.models import KINDS
from ..events.shapes import staff_event_shape, summary_shape
from ..extensions import db
from ..proposals.models import Proposal
from ..proposals.ranking import ranked, voter_count
from ..review import listing, operations, scoring
from ..review.agreement import agreement
from ..review.export import PROPOSAL_COLUMNS, VOTE_COLUMNS, results_columns, results_rows
from ..review.models import ANSWER_MAX, COMMENT_MAX, REVIEW_STATUSES
from ..review.queries import proposal_detail
from ..web import exports
from ..web.auth import event_or_404, reviewable_event, staff_page
from ..web.labels import REVIEW_STATUS_NAMES

bp = Blueprint("review", __name__, url_prefix="/review")
# The review page lists at most this many rows; the exports have them all.
PAGE_ROWS = 300


class ReviewForm(FlaskForm):
    # The operation checks the values; the form only carries them (no JS needed).
    status = SelectField(_l("Status"), choices=[(s, REVIEW_STATUS_NAMES[s])
                                                for s in operations.MANUAL_STATUSES],
                         validate_choice=False)
    public_answer = TextAreaField(_l("Public answer to the residents"),
                                  validators=[Length(max=ANSWER_MAX)])


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Comment (staff only)"), validators=[Length(max=COMMENT_MAX)])


def _filters():
    try:
        return listing.parse_filters(request.args), None
    except OperationError as error:
        return listing.parse_filters({}), error


@bp.get("/")
@staff_page()
def index():
    filters, error = _filters()
    everything = listing.visible_events(current_user, {})
    rows = listing.rows_for(current_user, filters) if error is None else []
    group = scoring.group_support(rows) if len({r["event_id"] for r in rows}) > 1 else None
    return render_template(
        "review/index.html", events=[summary_shape(e) for e in everything],
        rows=rows[:PAGE_ROWS], total=len(rows),
        filters=filters, error=error, group=group, kinds=KINDS, statuses=REVIEW_STATUSES,
        focus_areas=listing.focus_area_names(everything),
        # The downloads get the same filters; only those (a stray "fmt" must not reach url_for).
        query={k: v for k, v in filters.items() if v is not None and k != "sort"},
        may_manage_population=access.may_manage_population(current_user),
    ), 400 if error else 200


@bp.get("/events")
@staff_page()
def events():
    return render_template("review/events.html", events=[
        summary_shape(e) for e in listing.visible_events(current_user, {})])


@bp.get("/proposals.<fmt>")
@staff_page()
def export_proposals(fmt):
    return _download("forslag", PROPOSAL_COLUMNS, exports.PROPOSALS, fmt)


@bp.get("/votes.<fmt>")
@staff_page()
def export_votes(fmt):
    return _download("roster-per-forslag", VOTE_COLUMNS, exports.VOTES, fmt)


def _download(name, columns, column_labels, fmt):
    if fmt not in tabular.FORMATS:
        abort(404)
    filters, error = _filters()
    if error is not None:
        abort(400)
    return tabular.download(name, columns, listing.rows_for(current_user, filters), fmt,
                            exports.requested_dialect(), column_labels)


@bp.get("/events/<int:event_id>")
@staff_page()
def event(event_id):
    event = reviewable_event(event_id)
    return render_template(
        "review/event.html", event=staff_event_shape(event), rows=ranked(event),
        voters=voter_count(event.id), budget=budgets.outcome(event),
        activities=activity_report.report(event.id),
        representation=representation(event),
        by_table=[({"number": t.number, "name": t.name}, ranked(event, t.number))
                  for t in event.tables],
    )


@bp.get("/events/<int:event_id>/proposals.csv")
@staff_page()
def event_csv(event_id):
    event = reviewable_event(event_id)
    return tabular.download(f"forslag-{event.code.lower()}", results_columns(event),
                            results_rows(ranked(event)), "csv", exports.requested_dialect(),
                            exports.EVENT_RESULTS)


@bp.get("/events/<int:event_id>/budget.<fmt>")
@staff_page()
def budget_file(event_id, fmt):
    """A climate budget's outcome, a line per measure with both rules' verdicts."""
    event = reviewable_event(event_id)
    found = budgets.outcome(event)
    if found is None or fmt not in tabular.FORMATS:
        abort(404)
    return tabular.download(f"klimatbudget-{event.code.lower()}", budgets.EXPORT_COLUMNS,
                            budgets.export_rows(found), fmt, exports.requested_dialect(),
                            exports.BUDGET_OUTCOME)


@bp.get("/events/<int:event_id>/activities.<fmt>")
@staff_page()
def activities_file(event_id, fmt):
    """The evening's activities (polls, questions, word clouds, the evaluation), a line per
    option, question, word, statement or comment."""
    event = reviewable_event(event_id)
    found = activity_report.report(event.id)
    if not found or fmt not in tabular.FORMATS:
        abort(404)
    return tabular.download(f"aktiviteter-{event.code.lower()}", activity_report.EXPORT_COLUMNS,
                            activity_report.export_rows(found), fmt, exports.requested_dialect(),
                            exports.ACTIVITIES)


def _proposal(proposal_id):
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None:
        abort(404)
    event = event_or_404(proposal.event_id)
    if not access.may_review(current_user, event):
        abort(403)
    return proposal, event


@bp.get("/proposals/<int:proposal_id>")
@staff_page()
def proposal(proposal_id, review_form=None, comment_form=None, status=200):
    proposal, event = _proposal(proposal_id)
    detail = proposal_detail(proposal, event)
    if review_form is None:
        review_form = ReviewForm(status=detail["status"] if detail["status"] in
                                 operations.MANUAL_STATUSES else "reviewing",
                                 public_answer=detail["public_answer"])
    return render_template("review/proposal.html", event=staff_event_shape(event),
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
@staff_page()
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
@staff_page()
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


@bp.get("/agreement")
@staff_page()
def agreement_page():
    """Where we agree, as the public sees it, with the events this account may review counted
    while they run too (access.may_review) and referensgrupper by name."""
    return render_template("review/agreement.html", **agreement(current_user))
