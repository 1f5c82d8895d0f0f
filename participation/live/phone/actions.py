"""The no-JavaScript path of the phone: plain form posts that call the same operations as REST
and sockets, then go back to the page (or show it again with the error)."""

from flask import abort, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from ...activities import evaluation, panel, plan, words
from ...activities import poll as polls
from ...activities.models import RATINGS
from ...budgets.operations import submit_budget_ballot
from ...core.errors import OperationError
from ...core.validate import form_number
from ...demographics import operations as demographics
from ...members.operations import set_show_name
from ...participants.operations import choose_table, set_display_name
from ...proposals import operations, paper
from ...web import identity
from . import bp
from .forms import (
    EvaluationForm,
    NameForm,
    PanelQuestionForm,
    ProposalForm,
    ScribeForm,
    ShowNameForm,
    TableForm,
    VoteForm,
    WhoForm,
)
from .page import render_phone
from .views import event_or_404


def _back(event, anchor=""):
    return redirect(url_for("phone.join", code=event.code) + anchor, code=303)


@bp.post("/j/<code>/proposals")
def submit(code):
    event = event_or_404(code)
    form = ProposalForm()
    form.focus_area_id.choices = [("", "")] + [(str(f.id), f.name) for f in event.focus_areas]
    form.question_id.choices = [(str(q.id), q.text) for q in event.questions]
    if not form.validate_on_submit():
        return render_phone(event, 422, proposal_form=form)
    try:
        result = operations.submit_proposal(
            event.id, identity.token_for(event.id), form.title.data, form.body.data,
            form.client_id.data, focus_area_id=form.focus_area_id.data or None,
            question_id=form.question_id.data or None, hint=str(get_locale()),
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
    event = event_or_404(code)
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
    # The dots ballot's "take one back" sends dots=1; a vote or rating is taken back whole.
    dots = request.form.get("dots")
    dots = (form_number(dots) or -1) if dots is not None else None

    def take_back(pid, token_for, client_id):
        operations.withdraw_vote(pid, token_for, client_id, dots)

    return _vote_action(code, proposal_id, take_back)


@bp.post("/j/<code>/budget")
def budget(code):
    """The budget ballot's checkboxes: the whole ballot at once, saved or refused whole."""
    event = event_or_404(code)
    form = VoteForm()
    if not form.validate_on_submit():
        abort(400)
    ticked = request.form.getlist("measure_ids")
    try:
        submit_budget_ballot(event.id, identity.token_for(event.id), ticked, form.client_id.data)
    except OperationError as error:
        # The page shows the ticks as they were sent, so one untick fixes an over-budget ballot.
        return render_phone(event, error.status, error=str(error.message),
                            budget_ticked=[form_number(t) for t in ticked])
    flash(_("Your choices are saved."), "success")
    return _back(event, "#budget")


def _live(event, kind: str):
    """The live activity of `kind`, or None with a note: the facilitator moved on while the
    page was open, and the page now shows what runs."""
    live = plan.live_kind(event.id, kind)
    if live is None:
        flash(_("That activity has ended; here is what runs now."), "info")
    return live


@bp.post("/j/<code>/poll")
def poll(code):
    """The live quick poll's radio buttons or checkboxes: the answer replaces the earlier one."""
    event = event_or_404(code)
    form = VoteForm()
    if not form.validate_on_submit():
        abort(400)
    if (live := _live(event, "poll")) is None:
        return _back(event)
    try:
        polls.answer_poll(live["id"], identity.token_for(event.id),
                          request.form.getlist("choices"), form.client_id.data)
    except OperationError as error:
        return render_phone(event, error.status, error=str(error.message))
    flash(_("Your answer is saved."), "success")
    return _back(event, "#poll")


@bp.post("/j/<code>/questions")
def ask(code):
    """A question to the panel."""
    event = event_or_404(code)
    form = PanelQuestionForm(prefix="panel")
    if not form.validate_on_submit():
        abort(400)
    if (live := _live(event, "questions")) is None:
        return _back(event)
    try:
        panel.ask(live["id"], identity.token_for(event.id), form.text.data, form.client_id.data)
    except OperationError as error:
        return render_phone(event, error.status, error=str(error.message), panel_form=form)
    flash(_("Your question is sent. Like others' questions you want answered too."), "success")
    return _back(event, "#panel")


@bp.post("/j/<code>/questions/<int:question_id>/like")
def like(code, question_id):
    """Like a question to the panel, or (liked=0) take the like back."""
    event = event_or_404(code)
    form = VoteForm()
    if not form.validate_on_submit():
        abort(400)
    if panel.event_of(question_id) != event.id:
        abort(404)  # another event's question: liking it takes that event's code
    if _live(event, "questions") is None:
        return _back(event)
    liked = request.form.get("liked") != "0"
    try:
        panel.like(question_id, identity.token_for(event.id), form.client_id.data, liked)
    except OperationError as error:
        return render_phone(event, error.status, error=str(error.message))
    return _back(event, f"#panel-question-{question_id}")


@bp.post("/j/<code>/words")
def send_words(code):
    """Up to three words for the word cloud, replacing the earlier ones."""
    event = event_or_404(code)
    form = VoteForm()
    if not form.validate_on_submit():
        abort(400)
    if (live := _live(event, "words")) is None:
        return _back(event)
    try:
        words.send_words(live["id"], identity.token_for(event.id),
                         request.form.getlist("words"), form.client_id.data)
    except OperationError as error:
        return render_phone(event, error.status, error=str(error.message))
    flash(_("Your words are in the cloud."), "success")
    return _back(event, "#cloud")


@bp.post("/j/<code>/evaluation")
def evaluate(code):
    """The evening's evaluation: a new answer replaces the earlier one."""
    event = event_or_404(code)
    form = EvaluationForm(prefix="evaluation")
    if not form.validate_on_submit():
        abort(400)
    if (live := _live(event, "evaluation")) is None:
        return _back(event)
    ratings = {key: request.form.get(f"rating-{key}") for key in RATINGS}
    try:
        evaluation.answer(live["id"], identity.token_for(event.id), ratings, form.text.data,
                          form.client_id.data)
    except OperationError as error:
        return render_phone(event, error.status, error=str(error.message),
                            evaluation_form=form)
    flash(_("Thank you! Your answer is saved."), "success")
    return _back(event, "#evaluation")


@bp.post("/j/<code>/who")
def who(code):
    """The voluntary questions on who took part: answered once, stored apart from the person."""
    event = event_or_404(code)
    form = WhoForm(prefix="who")
    if not form.validate_on_submit():
        abort(400)
    try:
        demographics.answer(event.id, identity.token_for(event.id), form.age_band.data,
                            form.district.data, form.extra.data)
    except OperationError as error:
        return render_phone(event, error.status, error=str(error.message))
    flash(_("Thank you! It helps the city see who it reaches."), "success")
    return _back(event, "#who")


@bp.post("/j/<code>/scribe")
def scribe(code):
    event = event_or_404(code)
    form = ScribeForm(prefix="scribe")  # its ids differ from the personal form's on the same page
    if not form.validate_on_submit():
        return render_phone(event, 422, scribe_form=form)
    try:
        result = paper.add_scribe_proposal(event.id, identity.scribe_grant(event.id),
                                           form.title.data, form.body.data,
                                           token=identity.token_for(event.id))
    except OperationError as error:
        return render_phone(event, error.status, scribe_form=form, error=str(error.message))
    if result["proposal"]["status"] == "pending":
        flash(_("Thank you! Your proposal will show once the facilitator approves it."), "success")
    else:
        flash(_("The table's proposal is on the wall."), "success")
    return _back(event, "#proposals")


@bp.post("/j/<code>/table")
def table(code):
    event = event_or_404(code)
    form = TableForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        choose_table(event.id, identity.token_for(event.id), form_number(form.table.data))
    except OperationError as error:
        return render_phone(event, error.status, error=str(error.message))
    return _back(event, "#table-heading")  # a keyboard's next Tab goes on from the table


@bp.post("/j/<code>/name")
def name(code):
    event = event_or_404(code)
    form = NameForm()
    if not form.validate_on_submit():
        return render_phone(event, 422, name_form=form)
    try:
        set_display_name(event.id, identity.token_for(event.id), form.display_name.data or "")
    except OperationError as error:
        return render_phone(event, error.status, name_form=form, error=str(error.message))
    return _back(event)


@bp.post("/j/<code>/show-name")
def show_name(code):
    event = event_or_404(code)
    form = ShowNameForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        result = set_show_name(event.id, identity.token_for(event.id), bool(form.show_name.data))
    except OperationError as error:
        flash(str(error.message), "error")
    else:
        flash(_("Your name is shown to the group.") if result["show_name"]
              else _("Your name is not shown."), "success")
    return _back(event, "#consent")
