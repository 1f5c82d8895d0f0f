"""The phone page's first paint: the resident's state (live/snapshot.py) as plain HTML forms.

The page gets shapes only (dicts), exactly what the socket snapshot carries to this phone; no
ORM object reaches the template, so nothing moderation hid can be printed by mistake.
"""

import re
import secrets
import uuid

from flask import current_app, g, render_template, request, session
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from ... import access
from ...core.version_cache import cached
from ...demographics import operations as demographics
from ...events.tables import table_label
from ...participants import identity as participants
from ...proposals.order import shuffled
from ...web import identity
from ..snapshot import resident_state, scribe_table
from .forms import (
    EvaluationForm,
    NameForm,
    PanelQuestionForm,
    ProposalForm,
    ScribeForm,
    TableForm,
    VoteForm,
    WhoForm,
)

# How often a page without JavaScript reloads itself while it waits (lobby, results): soon
# enough to see the start, rarely enough that a room of phones costs the server little.
NO_SCRIPT_REFRESH_SECONDS = 30


def invite_only(event):
    """A referensgrupp is for its invited members: anyone else gets this page, no content."""
    if participants.may_take_part(event, identity.token_for(event.id)):
        return None
    return render_template(
        "members/invite_only.html", event={"id": event.id, "title": event.title},
        manages=access.may_manage(current_user, event)), 403


def membership(event) -> dict | None:
    """The phone's own membership of a referensgrupp, for the consent checkbox."""
    if not event.is_group:
        return None
    participant = participants.find(event.id, identity.token_for(event.id))
    member = access.active_membership(event, participant)
    return {"name": member.name, "show_name": member.show_name} if member else None


def _ordered(state: dict) -> list[dict]:
    """Newest first; while voting, each person's own random order when the event asks so."""
    proposals = sorted(state["proposals"], key=lambda p: p["id"], reverse=True)
    seed = state["me"]["seed"]
    if seed and state["event"]["phase"] == "vote":
        proposals = shuffled(proposals, seed)
    return proposals


def budget_view(state: dict, ticked: list | None = None) -> dict | None:
    """The budget ballot as the page shows it: what is ticked (the stored ballot, or what a
    refused form sent), its cost and what is left."""
    budget = state.get("budget")
    if budget is None:
        return None
    chosen = set(ticked if ticked is not None else state["me"].get("budget_choice", []))
    spent = sum(m["cost_sek"] for m in budget["measures"] if m["id"] in chosen)
    return {**budget, "chosen": chosen, "spent_sek": spent,
            "left_sek": budget["budget_sek"] - spent}


def who_form(event, token) -> WhoForm | None:
    """The voluntary questions on who took part, while the event asks them and this phone has
    not answered; with the city's choices. `form.ready` is False until the phone has taken
    part: the card is then in the page but hidden, and phone/sync.js shows it with the follow
    link, at the person's first write."""
    if not event.asks_demographics or event.phase == "closed":
        return None
    state = demographics.answer_state(event.id, token)
    if state == "answered":
        return None
    offered = demographics.options()
    form = WhoForm(prefix="who")
    not_said = [("", _("Prefer not to say"))]
    form.age_band.choices = not_said + [(a, a) for a in offered["age"]]
    form.district.choices = not_said + [(d, d) for d in offered["district"]]
    form.extra.choices = not_said + [(o, o) for o in offered["extra"]]
    form.extra.label.text = offered["extra_question"] or ""
    form.ready = state == "ready"
    return form


# A join storm renders the same page for every phone that has not done anything in the event
# yet: at one version, in one language, the page differs only in the session's CSRF token and
# the forms' fresh client ids. It is rendered once with these slots (markers no text can
# contain: random per process) and filled per phone (docs/benchmarks.md: most of a join's
# server time was this render).
_SLOT = secrets.token_hex(8)
CSRF_SLOT, ID_SLOT = f"csrf{_SLOT}slot", f"id{_SLOT}slot"
SHARED_PAGES = 16  # versions kept per language and process


def _untouched(event, state, forms, status) -> bool:
    """True when this phone's page is the one every new phone gets: it has no participant row
    in the event (joining writes none; its first vote, proposal, name, answer or table does),
    so nothing on its page is its own but the slots."""
    return (status == 200 and not forms and request.method == "GET"
            and not request.query_string and not current_user.is_authenticated
            and "_flashes" not in session
            and not event.is_group and not event.asks_demographics
            and not (state["me"]["seed"] and state["event"]["phase"] == "vote")
            and identity.scribe_grant(event.id) is None
            and participants.find(event.id, identity.token_for(event.id)) is None)


def _filled(page: str) -> str:
    page = page.replace(CSRF_SLOT, generate_csrf())
    return _ID_SLOT.sub(lambda _match: uuid.uuid4().hex, page)


_ID_SLOT = re.compile(re.escape(ID_SLOT))


def render_phone(event, status: int = 200, **forms):
    """The resident's page: everything the current phase allows, as plain forms."""
    if refused := invite_only(event):
        return refused  # also after a refused form post: no group content for non-members
    state = resident_state(event, identity.token_for(event.id))
    if not _untouched(event, state, forms, status):
        return _render(event, state, forms, lambda: uuid.uuid4().hex), status

    def shared_page():
        # Flask-WTF keeps the request's token on g: the slot stands in for every form's.
        csrf_name = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        setattr(g, csrf_name, CSRF_SLOT)
        try:
            return _render(event, state, forms, lambda: ID_SLOT)
        finally:
            g.pop(csrf_name, None)  # an error page after a failed render gets a real token

    page = cached(f"phone_page:{get_locale()}", event.id, state["version"], shared_page,
                  SHARED_PAGES)
    return _filled(page), status


def _render(event, state, forms, new_id) -> str:
    shape, me = state["event"], state["me"]
    proposal_form = forms.get("proposal_form") or ProposalForm()
    proposal_form.focus_area_id.choices = [("", _("No focus area"))] + [
        (str(f["id"]), f["name"]) for f in shape["focus_areas"]]
    proposal_form.question_id.choices = [(str(q["id"]), q["text"]) for q in shape["questions"]]
    if not proposal_form.client_id.data:
        proposal_form.client_id.data = new_id()
    table_form = forms.get("table_form") or TableForm()
    table_form.table.choices = [("", _("No table"))] + [
        (str(t["number"]), table_label(t)) for t in shape["tables"]]
    table_form.table.data = str(me["table"]) if me["table"] else ""
    my_table = next((t for t in shape["tables"] if t["number"] == me["table"]), None)
    ballot = me["ballot"]
    budget = budget_view(state, forms.get("budget_ticked"))
    live = {name: state.get(name) for name in ("poll", "panel", "evaluation", "cloud")}

    def form(needed, make):
        # A join renders the page once per phone: a form its phase does not show is not built.
        return make() if needed else None

    return render_template(
        "phone/event.html",
        event=shape, state=state, proposals=_ordered(state),
        mine=set(me["proposal_ids"]), ballot=ballot,
        my_votes={int(k): v for k, v in ballot["votes"].items()},
        results=state.get("results", []),
        table_results=(state.get("table_results") or {}).get(str(me["table"]), [])[:3]
        if my_table else [],
        my_table=my_table, membership=membership(event), scribe_table=scribe_table(event),
        proposal_form=proposal_form, table_form=table_form,
        scribe_form=forms.get("scribe_form") or ScribeForm(prefix="scribe"),
        name_form=forms.get("name_form") or NameForm(display_name=me["display_name"] or ""),
        vote_client_id=new_id(), error=forms.get("error"),
        budget=budget,
        budget_form=form(budget, lambda: VoteForm(formdata=None, client_id=new_id())),
        live_poll=live["poll"],
        poll_form=form(live["poll"], lambda: VoteForm(formdata=None,
                                                      client_id=new_id())),
        live_panel=live["panel"], live_evaluation=live["evaluation"],
        live_cloud=live["cloud"],
        words_form=form(live["cloud"], lambda: VoteForm(formdata=None,
                                                        client_id=new_id())),
        panel_form=forms.get("panel_form") or form(live["panel"], lambda: PanelQuestionForm(
            prefix="panel", formdata=None, client_id=new_id())),
        evaluation_form=forms.get("evaluation_form") or form(
            live["evaluation"], lambda: EvaluationForm(
                prefix="evaluation", formdata=None, client_id=new_id(),
                text=((live["evaluation"] or {}).get("mine") or {}).get("text", ""))),
        who_form=who_form(event, identity.token_for(event.id)),
        new_client_id=new_id,
        refresh_seconds=NO_SCRIPT_REFRESH_SECONDS,
    )
