"""The no-JavaScript path end to end: plain forms posted from the page, then the page again."""

import contextvars
import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from flask_babel import gettext
from sqlalchemy import func, select

from participation.events.operations import change_phase
from participation.extensions import db
from participation.participants.models import Participant
from participation.proposals.models import Proposal, Vote

from .conftest import IsolatedClient

DOTS = {"method": "dots", "dots": 5, "max_per_proposal": 3}


# --- reading the page like a browser without JavaScript -----------------------------------------


@dataclass
class Form:
    action: str
    hidden: bool
    fields: dict = field(default_factory=dict)
    button_hidden: bool = False

    @property
    def offered(self) -> bool:
        """Shown to the resident: neither the form nor its submit button is hidden."""
        return not (self.hidden or self.button_hidden)


class PageForms(HTMLParser):
    def __init__(self, text):
        super().__init__()
        self.forms: list[Form] = []
        self._current = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = Form(attrs.get("action", ""), "hidden" in attrs)
            self.forms.append(self._current)
        elif self._current is not None and tag == "input" and attrs.get("name"):
            self._current.fields[attrs["name"]] = attrs.get("value") or ""
        elif self._current is not None and tag == "button" and attrs.get("type") == "submit":
            self._current.button_hidden = "hidden" in attrs

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


class Resident:
    """A phone with JavaScript turned off: reads the page, fills a form, follows the redirect."""

    def __init__(self, http, code):
        self.http, self.code = http, code
        self.page = self.open()

    def open(self):
        response = self.http.get(f"/j/{self.code}")
        assert response.status_code == 200
        self.page = response.get_data(as_text=True)
        return self.page

    @property
    def text(self) -> str:
        return html.unescape(self.page)

    def form(self, action: str) -> Form:
        matches = [f for f in PageForms(self.page).forms if f.action.split("#")[0] == action]
        assert len(matches) == 1, f"{len(matches)} forms post to {action}"
        return matches[0]

    def submit(self, action: str, **values):
        """Post the form as it is on the page (hidden fields included) with `values` typed in."""
        data = self.form(action).fields | values
        response = self.http.post(action, data=data)
        assert response.status_code == 303, (response.status_code, response.get_data(True))
        assert response.headers["Location"].startswith(f"/j/{self.code}")
        self.open()
        return response

    def propose(self, title, body="", focus_area_id=""):
        return self.submit(f"/j/{self.code}/proposals", title=title, body=body,
                           focus_area_id=focus_area_id)

    def vote(self, proposal_id):
        return self.submit(f"/j/{self.code}/proposals/{proposal_id}/vote")

    def withdraw(self, proposal_id):
        return self.submit(f"/j/{self.code}/proposals/{proposal_id}/withdraw")

    def number(self, element_id) -> int:
        match = re.search(rf'id="{element_id}">\s*(\d+)\s*<', self.page)
        assert match, f"no #{element_id} on the page"
        return int(match.group(1))

    def proposal_block(self, proposal_id) -> str:
        match = re.search(rf'<li class="proposal[^"]*"\s+id="proposal-{proposal_id}".*?</li>',
                          self.page, re.S)
        assert match, f"proposal {proposal_id} is not on the page"
        return match.group(0)


@pytest.fixture
def workshop(app, make_event, staff):
    assert issubclass(app.test_client_class, IsolatedClient)

    class Workshop:
        def __init__(self, phase="collect", voting=None):
            self.event = make_event(voting=voting, phase=phase)
            self.id, self.code = self.event.id, self.event.code

        def resident(self):
            return Resident(app.test_client(), self.code)

        def to(self, *phases):
            for phase in phases:
                change_phase(staff.facilitator, self.id, phase)

    return Workshop


def translated(app, msgid, **params) -> str:
    def render():
        with app.test_request_context():
            return gettext(msgid, **params)

    return contextvars.Context().run(render)


def proposal_ids(event_id) -> list[int]:
    db.session.rollback()  # end the test's read snapshot: see what the requests committed
    return list(db.session.scalars(
        select(Proposal.id).where(Proposal.event_id == event_id).order_by(Proposal.id)))


def stored_votes() -> list[tuple[int, int]]:
    db.session.rollback()
    return [tuple(row) for row in db.session.execute(
        select(Vote.proposal_id, Vote.dots).order_by(Vote.proposal_id))]


# --- joining ---------------------------------------------------------------------------------


def test_join_page_shows_the_prompt_and_costs_the_database_nothing(workshop):
    event = workshop(phase=None)
    anna = event.resident()
    assert "Hur reser vi hållbart?" in anna.text
    assert re.search(r'<meta name="csrf-token" content="[^"]+"', anna.page)
    assert anna.form(f"/j/{event.code}/name").fields["csrf_token"]
    db.session.rollback()
    assert db.session.scalar(select(func.count(Participant.id))) == 0


def test_join_code_typed_in_lower_case_works(workshop):
    event = workshop()
    assert "Hur reser vi hållbart?" in Resident(event.resident().http, event.code.lower()).text


def test_set_display_name(workshop):
    event = workshop(phase=None)
    anna = event.resident()
    response = anna.submit(f"/j/{event.code}/name", display_name="  Anna   Berg ")
    assert response.status_code == 303
    assert 'value="Anna Berg"' in anna.page
    db.session.rollback()
    assert db.session.scalars(select(Participant.display_name)).all() == ["Anna Berg"]


# --- proposals -----------------------------------------------------------------------------------


def test_submit_a_proposal_then_see_it_on_the_page(app, workshop):
    event = workshop()
    anna = event.resident()
    area = event.event.focus_areas[1]
    response = anna.propose("Bilfria söndagar", body="En gång i månaden.",
                            focus_area_id=str(area.id))
    assert response.headers["Location"].endswith("#proposals")
    (proposal_id,) = proposal_ids(event.id)
    block = anna.proposal_block(proposal_id)
    assert "Bilfria söndagar" in block
    assert "En gång i månaden." in block
    assert area.name in block
    assert re.search(r'class="p-mine badge"(?! hidden)>', block)  # marked as theirs
    assert translated(app, "Thank you! Your proposal is on the wall.") in anna.text


def test_proposal_carries_the_display_name(workshop):
    event = workshop()
    anna = event.resident()
    anna.submit(f"/j/{event.code}/name", display_name="Anna")
    anna.propose("Fler träd")
    (proposal_id,) = proposal_ids(event.id)
    assert "— Anna" in html.unescape(anna.proposal_block(proposal_id))
    other = event.resident()
    assert "— Anna" in html.unescape(other.proposal_block(proposal_id))
    assert 'class="p-mine badge" hidden' in other.proposal_block(proposal_id)


def test_double_submit_of_the_same_form_stores_one_proposal(workshop):
    event = workshop()
    anna = event.resident()
    action = f"/j/{event.code}/proposals"
    form = anna.form(action).fields | {"title": "Laddstolpar", "body": "", "focus_area_id": ""}
    assert len(form["client_id"]) >= 8
    first = anna.http.post(action, data=form)
    second = anna.http.post(action, data=form)
    assert (first.status_code, second.status_code) == (303, 303)
    assert len(proposal_ids(event.id)) == 1
    anna.open()
    assert len(re.findall(r'id="proposal-\d+"', anna.page)) == 1


def test_each_page_load_gets_a_new_client_id(workshop):
    event = workshop()
    anna = event.resident()
    anna.propose("Första")
    anna.propose("Andra")
    assert len(proposal_ids(event.id)) == 2


# --- voting --------------------------------------------------------------------------------------


def voting_on_one_proposal(workshop):
    """An approval event in the vote phase with Anna's one proposal on her page."""
    event = workshop()
    anna = event.resident()
    anna.propose("Cykelbana")
    (proposal_id,) = proposal_ids(event.id)
    event.to("vote")
    anna.open()
    return event, anna, proposal_id


def test_approval_vote_and_withdraw(workshop):
    event, anna, proposal_id = voting_on_one_proposal(workshop)
    vote_action = f"/j/{event.code}/proposals/{proposal_id}/vote"
    withdraw_action = f"/j/{event.code}/proposals/{proposal_id}/withdraw"
    assert anna.number("spent") == 0
    assert anna.form(vote_action).offered
    assert not anna.form(withdraw_action).offered

    response = anna.vote(proposal_id)
    assert response.headers["Location"].endswith(f"#proposal-{proposal_id}")
    assert stored_votes() == [(proposal_id, 1)]
    assert anna.number("spent") == 1
    assert not anna.form(vote_action).offered  # no second vote offered
    assert anna.form(withdraw_action).offered

    anna.withdraw(proposal_id)
    assert stored_votes() == []
    assert anna.number("spent") == 0
    assert anna.form(vote_action).offered
    assert not anna.form(withdraw_action).offered


def test_double_submit_of_a_vote_form_counts_once(workshop):
    event, anna, proposal_id = voting_on_one_proposal(workshop)
    action = f"/j/{event.code}/proposals/{proposal_id}/vote"
    fields = anna.form(action).fields
    first, second = anna.http.post(action, data=fields), anna.http.post(action, data=fields)
    assert (first.status_code, second.status_code) == (303, 303)
    assert stored_votes() == [(proposal_id, 1)]


def test_dots_vote_shows_remaining_dots(workshop):
    event = workshop(voting=DOTS)
    anna = event.resident()
    anna.propose("A")
    anna.propose("B")
    a, b = proposal_ids(event.id)
    event.to("vote")
    anna.open()
    assert anna.number("remaining") == 5

    for expected_remaining in (4, 3, 2):
        anna.vote(a)
        assert anna.number("remaining") == expected_remaining
    assert stored_votes() == [(a, 3)]
    assert re.search(r'class="my-dots">3<', anna.proposal_block(a))
    assert not anna.form(f"/j/{event.code}/proposals/{a}/vote").offered  # cap reached

    assert 'id="dots-spent" class="spent-note" hidden' in anna.page
    anna.vote(b)
    anna.vote(b)
    assert anna.number("remaining") == 0
    assert not anna.form(f"/j/{event.code}/proposals/{b}/vote").offered  # budget spent
    # ... and the page says so, and how to move a dot.
    assert 'id="dots-spent" class="spent-note">' in anna.page

    # Dots come back one at a time.
    for expected_remaining, expected_votes in ((1, [(a, 2), (b, 2)]), (2, [(a, 1), (b, 2)]),
                                               (3, [(b, 2)])):
        anna.withdraw(a)
        assert anna.number("remaining") == expected_remaining
        assert stored_votes() == expected_votes
    assert anna.form(f"/j/{event.code}/proposals/{a}/vote").offered
    assert not anna.form(f"/j/{event.code}/proposals/{a}/withdraw").offered


def test_dots_form_can_give_several_dots_at_once(workshop):
    event = workshop(voting=DOTS)
    anna = event.resident()
    anna.propose("A")
    (a,) = proposal_ids(event.id)
    event.to("vote")
    anna.open()
    anna.submit(f"/j/{event.code}/proposals/{a}/vote", dots="2")
    assert anna.number("remaining") == 3
    assert stored_votes() == [(a, 2)]


# --- results --------------------------------------------------------------------------------


def _result_rows(page: str) -> list[tuple[str, str]]:
    listing = re.search(r'<ol id="results"[^>]*>(.*?)</ol>', page, re.S).group(1)
    return [(rank, html.unescape(title)) for rank, title in re.findall(
        r'class="rank">(\d+)\.</span>\s*<span class="r-title">(.*?)</span>', listing)]


def test_results_are_shown_when_revealed(workshop):
    event = workshop()
    anna, bo = event.resident(), event.resident()
    anna.propose("Solceller")
    anna.propose("Träd & buskar")
    anna.propose("Lånecyklar")
    solar, trees, bikes = proposal_ids(event.id)
    event.to("vote")
    for resident in (anna, bo):
        resident.open()
        resident.vote(trees)
    bo.vote(bikes)
    assert _result_rows(bo.page) == []  # not revealed while voting

    event.to("results")
    bo.open()
    assert re.search(r'<section data-phase-section="results closed"(?! hidden)[^>]*>', bo.page)
    assert _result_rows(bo.page) == [("1", "Träd & buskar"), ("2", "Lånecyklar"),
                                     ("3", "Solceller")]

    event.to("closed")
    assert _result_rows(anna.open()) == _result_rows(bo.page)


def test_pages_show_what_the_phase_allows(workshop):
    event = workshop(phase=None)
    anna = event.resident()

    def visible_sections():
        return set(re.findall(r'data-phase-section="([^"]+)"(?! hidden)(?=[\s>])', anna.page))

    assert "lobby" in visible_sections()
    event.to("collect")
    anna.open()
    assert "collect" in visible_sections() and "lobby" not in visible_sections()
    event.to("vote")
    anna.open()
    assert "vote" in visible_sections() and "collect" not in visible_sections()
