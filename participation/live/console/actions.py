"""The console's proposal buttons: approve, hide, show again, edit, hand counts, merging and
undoing merges, and proposals from paper. Plain form posts calling the same operations as REST
and sockets; back to the row they were on. All of them for the event's moderators too
(access.may_moderate)."""

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...core.errors import OperationError
from ...core.validate import form_number
from ...extensions import db
from ...proposals import merge, moderation, paper
from ...proposals.models import Proposal
from ...web.auth import moderated_event
from . import bp
from .forms import ConfirmForm, EditForm, HandCountForm, HideForm, MergeForm, PaperProposalForm
from .views import console_page


def _flash_form_errors(form):
    messages = " ".join(str(e) for errors in form.errors.values() for e in errors)
    flash(_("Check the form: %(errors)s", errors=messages), "error")


def _console(event_id, anchor=""):
    return redirect(url_for("console.page", event_id=event_id) + anchor)


@bp.post("/events/<int:event_id>/paper")
@console_page
def add_paper(event_id):
    """A proposal from a paper note, typed in on the console for a table."""
    moderated_event(event_id)  # 404 or 403 before anything else
    form = PaperProposalForm()
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return _console(event_id)
    try:
        paper.add_paper_proposal(current_user, event_id, form.title.data, form.body.data,
                                 form_number(form.table.data or ""))
    except OperationError as error:
        flash(str(error.message), "error")
    else:
        flash(_("The paper proposal is on the wall."), "success")
    return _console(event_id)


FORMS = {"approve": ConfirmForm, "hide": HideForm, "restore": ConfirmForm, "edit": EditForm,
         "count": HandCountForm}


@bp.post("/events/<int:event_id>/proposals/<int:proposal_id>/<action>")
@console_page
def moderate(event_id, proposal_id, action):
    """The console's moderation forms: approve, hide, restore, edit, hand count."""
    moderated_event(event_id)  # 404 or 403 before anything else
    if action not in FORMS:
        abort(404)
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or proposal.event_id != event_id:
        abort(404)
    form = FORMS[action]()
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return _console(event_id)
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
        return _console(event_id, f"#row-{proposal_id}")
    if action == "hide":
        # Back with an undo at the top of the console (what the live console's undo bar is).
        return redirect(url_for("console.page", event_id=event_id, hidden=proposal_id,
                                _anchor="undo-hidden"))
    return _console(event_id, f"#row-{proposal_id}")


@bp.post("/events/<int:event_id>/merges")
@console_page
def merge_form(event_id):
    """The console's "merge" buttons: a suggested pair, or a proposal and a chosen target."""
    moderated_event(event_id)  # 404 or 403 before anything else
    form = MergeForm()
    if not form.validate_on_submit():
        _flash_form_errors(form)
        # Back at the row it was chosen in ("choose a proposal" when no target was chosen).
        source = form.source_id.data if isinstance(form.source_id.data, int) else None
        return _console(event_id, f"#row-{source}" if source else "")
    try:
        result = merge.merge_proposals(current_user, form.source_id.data, form.target_id.data,
                                       form.reason.data or None, event_id=event_id)
    except OperationError as error:
        flash(str(error.message), "error")
        return _console(event_id)
    flash(_("The proposals are merged. Count the hands again if you counted both."), "success")
    return _console(event_id, f"#row-{result['target']['id']}")


@bp.post("/events/<int:event_id>/merges/<int:merge_id>/undo")
@console_page
def undo_merge_form(event_id, merge_id):
    moderated_event(event_id)  # 404 or 403 before anything else
    form = ConfirmForm()
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return _console(event_id)
    try:
        result = merge.undo_merge(current_user, merge_id, event_id=event_id)
    except OperationError as error:
        flash(str(error.message), "error")
        return _console(event_id)
    if result["recount_hands"]:
        flash(_("The merge is undone. The hands were counted again after the merge: count "
                "both proposals again."), "success")
    else:
        flash(_("The merge is undone."), "success")
    return _console(event_id, f"#row-{result['source']['id']}")
