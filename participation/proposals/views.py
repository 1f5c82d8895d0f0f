"""The no-JavaScript path: plain form posts that call the same operations as REST and sockets."""

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core.auth import staff_required
from ..core.errors import OperationError
from ..core.validate import form_number
from ..events import operations as event_ops
from ..events.tables import choose_table, scribe_grant
from ..events.views import managed_event, render_phone
from ..extensions import db
from ..participants import identity
from ..participants.operations import set_display_name
from . import merge, moderation, operations, paper
from .forms import (
    ConfirmForm,
    EditForm,
    HandCountForm,
    HideForm,
    MergeForm,
    NameForm,
    PaperProposalForm,
    ProposalForm,
    ScribeForm,
    TableForm,
    VoteForm,
)
from .models import Proposal

bp = Blueprint("proposals", __name__)


def _event_or_404(code):
    event = event_ops.event_by_code(code)
    if event is None:
        abort(404)
    return event


def _flash_form_errors(form):
    messages = " ".join(str(e) for errors in form.errors.values() for e in errors)
    flash(_("Check the form: %(errors)s", errors=messages), "error")


def _back(event, anchor=""):
    return redirect(url_for("events.join", code=event.code) + anchor, code=303)


@bp.post("/j/<code>/proposals")
def submit(code):
    event = _event_or_404(code)
    form = ProposalForm()
    form.focus_area_id.choices = [("", "")] + [(str(f.id), f.name) for f in event.focus_areas]
    form.question_id.choices = [(str(q.id), q.text) for q in event.questions]
    if not form.validate_on_submit():
        return render_phone(event, 422, proposal_form=form)
    try:
        result = operations.submit_proposal(
            event.id, identity.token_for(event.id), form.title.data, form.body.data,
            form.client_id.data, focus_area_id=form.focus_area_id.data or None,
            question_id=form.question_id.data or None,
        )
    except OperationError as error:
        field = getattr(form, error.field, None) if error.field else None
        if field is not None and error.field != "client_id":
            field.errors = [*field.errors, str(error.message)]
            return render_phone(event, error.status if error.status != 400 else 422,
                                proposal_form=form)
        return render_phone(event, error.status, proposal_form=form, error=str(error.message))
    if result["proposal"]["status"] == "pending":
        flash(_("Thank you! Your proposal will show once the facilitator approves it."), "success")
    else:
        flash(_("Thank you! Your proposal is on the wall."), "success")
    return _back(event, "#proposals")


def _vote_action(code, proposal_id, action):
    event = _event_or_404(code)
    form = VoteForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        action(proposal_id, lambda eid: identity.token_for(eid) if eid == event.id else None,
               form.client_id.data)
    except OperationError as error:
        return render_phone(event, error.status, error=str(error.message))
    return _back(event, f"#proposal-{proposal_id}")


@bp.post("/j/<code>/proposals/<int:proposal_id>/vote")
def vote(code, proposal_id):
    dots = request.form.get("dots", "1")
    dots = form_number(dots) or -1
    # A scale rating arrives as the chosen radio button; a missing one is refused as a score.
    score = request.form.get("score")
    score = (form_number(score) or -1) if score is not None else None
    if score is None and request.form.get("scale") == "1":
        score = -1

    def cast(pid, token_for, client_id):
        operations.cast_vote(pid, token_for, client_id, dots, score=score)

    return _vote_action(code, proposal_id, cast)


@bp.post("/j/<code>/proposals/<int:proposal_id>/withdraw")
def withdraw(code, proposal_id):
    return _vote_action(code, proposal_id, operations.withdraw_vote)


@bp.post("/j/<code>/scribe")
def scribe(code):
    event = _event_or_404(code)
    form = ScribeForm()
    if not form.validate_on_submit():
        return render_phone(event, 422, scribe_form=form)
    try:
        paper.add_scribe_proposal(event.id, scribe_grant(event.id), form.title.data,
                                  form.body.data, token=identity.token_for(event.id))
    except OperationError as error:
        return render_phone(event, error.status, scribe_form=form, error=str(error.message))
    flash(_("The table's proposal is on the wall."), "success")
    return _back(event, "#proposals")


@bp.post("/j/<code>/table")
def table(code):
    event = _event_or_404(code)
    form = TableForm()
    if not form.validate_on_submit():
        abort(400)
    value = form.table.data
    try:
        choose_table(event.id, identity.token_for(event.id), form_number(value))
    except OperationError as error:
        return render_phone(event, error.status, error=str(error.message))
    return _back(event, "#table-heading")  # a keyboard's next Tab goes on from the table


@bp.post("/j/<code>/name")
def name(code):
    event = _event_or_404(code)
    form = NameForm()
    if not form.validate_on_submit():
        return render_phone(event, 422, name_form=form)
    try:
        set_display_name(event.id, identity.token_for(event.id), form.display_name.data or "")
    except OperationError as error:
        return render_phone(event, error.status, name_form=form, error=str(error.message))
    return _back(event)


@bp.post("/events/<int:event_id>/paper")
@staff_required("facilitator", "admin")
def add_paper(event_id):
    """A proposal from a paper note, typed in on the console for a table."""
    managed_event(event_id)  # 404 or 403 before anything else
    form = PaperProposalForm()
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return redirect(url_for("events.console", event_id=event_id))
    try:
        table = form.table.data or ""
        paper.add_paper_proposal(current_user, event_id, form.title.data, form.body.data,
                                 form_number(table))
    except OperationError as error:
        flash(str(error.message), "error")
    else:
        flash(_("The paper proposal is on the wall."), "success")
    return redirect(url_for("events.console", event_id=event_id))


@bp.post("/events/<int:event_id>/proposals/<int:proposal_id>/<action>")
@staff_required("facilitator", "admin")
def moderate(event_id, proposal_id, action):
    """The console's moderation forms: approve, hide, restore, edit."""
    managed_event(event_id)  # 404 or 403 before anything else
    forms = {"approve": ConfirmForm, "hide": HideForm, "restore": ConfirmForm, "edit": EditForm,
             "count": HandCountForm}
    if action not in forms:
        abort(404)
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or proposal.event_id != event_id:
        abort(404)
    form = forms[action]()
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return redirect(url_for("events.console", event_id=event_id))
    calls = {
        "approve": lambda: moderation.approve_proposal(current_user, proposal_id),
        "hide": lambda: moderation.hide_proposal(current_user, proposal_id, form.reason.data),
        "restore": lambda: moderation.restore_proposal(current_user, proposal_id),
        "edit": lambda: moderation.edit_proposal(
            current_user, proposal_id, form.title.data, form.body.data, form.reason.data),
        "count": lambda: paper.set_hand_count(current_user, proposal_id, form.count.data),
    }
    try:
        calls[action]()
    except OperationError as error:
        flash(str(error.message), "error")
    return redirect(url_for("events.console", event_id=event_id) + f"#row-{proposal_id}")


@bp.post("/events/<int:event_id>/merges")
@staff_required("facilitator", "admin")
def merge_form(event_id):
    """The console's "merge" buttons: a suggested pair, or a proposal and a chosen target."""
    managed_event(event_id)  # 404 or 403 before anything else
    form = MergeForm()
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return redirect(url_for("events.console", event_id=event_id))
    try:
        result = merge.merge_proposals(current_user, form.source_id.data, form.target_id.data,
                                       form.reason.data or None, event_id=event_id)
    except OperationError as error:
        flash(str(error.message), "error")
        return redirect(url_for("events.console", event_id=event_id))
    flash(_("The proposals are merged. Count the hands again if you counted both."), "success")
    return redirect(url_for("events.console", event_id=event_id)
                    + f"#row-{result['target']['id']}")


@bp.post("/events/<int:event_id>/merges/<int:merge_id>/undo")
@staff_required("facilitator", "admin")
def undo_merge_form(event_id, merge_id):
    managed_event(event_id)  # 404 or 403 before anything else
    form = ConfirmForm()
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return redirect(url_for("events.console", event_id=event_id))
    try:
        result = merge.undo_merge(current_user, merge_id, event_id=event_id)
    except OperationError as error:
        flash(str(error.message), "error")
        return redirect(url_for("events.console", event_id=event_id))
    if result["recount_hands"]:
        flash(_("The merge is undone. The hands were counted again after the merge: count "
                "both proposals again."), "success")
    else:
        flash(_("The merge is undone."), "success")
    return redirect(url_for("events.console", event_id=event_id)
                    + f"#row-{result['source']['id']}")
