"""The REST contract under /api/v1, plus /healthz and the reviewer's CSV download."""

import csv
import io
import uuid

import pytest
from sqlalchemy import func, select

from participation.extensions import db
from participation.participants.models import Participant
from participation.proposals.models import Proposal, Vote

from .conftest import IsolatedClient, csrf_from, login

API = "/api/v1"
DOTS = {"method": "dots", "dots": 5, "max_per_proposal": 3}


@pytest.fixture
def browser(app):
    """A new browser (own cookie jar) per call; conftest runs each request in a fresh context."""
    assert issubclass(app.test_client_class, IsolatedClient)
    return app.test_client


@pytest.fixture
def http(browser):
    """A staff API caller: no cookies needed, only a bearer token."""
    return browser()


def new_id() -> str:
    return uuid.uuid4().hex


class Phone:
    """A resident's browser: joined via /j/<code>, writes with the page's CSRF token."""

    def __init__(self, http, code):
        self.http = http
        page = http.get(f"/j/{code}")
        assert page.status_code == 200
        self.csrf = csrf_from(page.get_data(as_text=True))

    def _headers(self):
        return {"X-CSRFToken": self.csrf}

    def propose(self, event_id, title, client_id=None, **extra):
        payload = {"title": title, "body": extra.pop("body", ""),
                   "client_id": client_id or new_id(), **extra}
        return self.http.post(f"{API}/events/{event_id}/proposals", json=payload,
                              headers=self._headers())

    def vote(self, proposal_id, dots=None, client_id=None):
        payload = {"client_id": client_id or new_id()}
        if dots is not None:
            payload["dots"] = dots
        return self.http.post(f"{API}/proposals/{proposal_id}/votes", json=payload,
                              headers=self._headers())

    def withdraw(self, proposal_id, dots=None):
        payload = {"client_id": new_id(), **({"dots": dots} if dots is not None else {})}
        return self.http.delete(f"{API}/proposals/{proposal_id}/votes",
                                json=payload, headers=self._headers())

    def state(self, event_id):
        response = self.http.get(f"{API}/events/{event_id}/state")
        assert response.status_code == 200, response.get_json()
        return response.get_json()


def create(http, headers, **overrides):
    payload = {"title": "Klimatverkstad Norr", "prompt": "Hur gör vi kvarteret grönare?",
               "kind": "medborgarverkstad", "voting": {"method": "approval"}} | overrides
    return http.post(f"{API}/events", json=payload, headers=headers)


def set_phase(http, headers, event_id, phase):
    return http.post(f"{API}/events/{event_id}/phase", json={"phase": phase}, headers=headers)


def walk_to(http, headers, event_id, *phases):
    for phase in phases:
        response = set_phase(http, headers, event_id, phase)
        assert response.status_code == 200, response.get_json()


def results(http, headers, event_id):
    response = http.get(f"{API}/events/{event_id}/results", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["results"]


def stored_votes(proposal_id=None) -> list[tuple[int, int]]:
    db.session.rollback()  # end the test's read snapshot: see what the requests committed
    query = select(Vote.proposal_id, Vote.dots).order_by(Vote.proposal_id)
    if proposal_id is not None:
        query = query.where(Vote.proposal_id == proposal_id)
    return [tuple(row) for row in db.session.execute(query)]


def count(model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def fac(staff):
    return staff.auth(staff.facilitator)


@pytest.fixture
def workshop(http, browser, fac):
    """An event created over the API, in the collect phase, with `titles` proposed by phone 1."""

    def build(titles, voting=None, phones=1):
        event = create(http, fac, voting=voting or {"method": "approval"}).get_json()
        walk_to(http, fac, event["id"], "collect")
        joined = [Phone(browser(), event["code"]) for _ in range(phones)]
        ids = []
        for title in titles:
            response = joined[0].propose(event["id"], title)
            assert response.status_code == 201, response.get_json()
            ids.append(response.get_json()["proposal"]["id"])
        return event, joined, ids

    return build


# --- events -------------------------------------------------------------------------------


def test_create_approval_event(http, fac):
    response = create(http, fac, focus_areas=["Modig mobilitet"])
    assert response.status_code == 201
    event = response.get_json()
    assert isinstance(event["id"], int)
    assert event["phase"] == "lobby"
    assert event["voting"] == {"method": "approval"}
    assert len(event["code"]) >= 4
    assert event["join_url"] == f"http://testserver/j/{event['code']}"
    assert [f["name"] for f in event["focus_areas"]] == ["Modig mobilitet"]


def test_create_dots_event_and_read_it_back(http, fac):
    created = create(http, fac, voting=DOTS, kind="radslag").get_json()
    response = http.get(f"{API}/events/{created['id']}", headers=fac)
    assert response.status_code == 200
    event = response.get_json()
    assert event["voting"] == DOTS
    assert event["kind"] == "radslag"
    assert (event["id"], event["code"], event["phase"]) == (created["id"], created["code"], "lobby")


def test_codes_are_unique_and_the_join_url_opens_the_phone_page(http, browser, fac):
    first, second = create(http, fac).get_json(), create(http, fac).get_json()
    assert first["code"] != second["code"]
    page = browser().get(first["join_url"].removeprefix("http://testserver"))
    assert page.status_code == 200
    assert "Hur gör vi kvarteret grönare?" in page.get_data(as_text=True)


def test_unknown_event_is_404(http, fac):
    response = http.get(f"{API}/events/9999", headers=fac)
    assert response.status_code == 404
    assert response.get_json()["error"] == "event_not_found"


def test_phases_move_forward_and_version_increases(http, fac):
    event = create(http, fac).get_json()
    versions = [http.get(f"{API}/events/{event['id']}", headers=fac).get_json()["version"]]
    for phase in ("collect", "vote", "results", "closed"):
        response = set_phase(http, fac, event["id"], phase)
        assert response.status_code == 200
        assert response.get_json()["phase"] == phase
        versions.append(response.get_json()["version"])
    assert versions == sorted(set(versions))
    current = http.get(f"{API}/events/{event['id']}", headers=fac).get_json()
    assert current["phase"] == "closed"


def test_a_phase_can_step_back_one(http, fac):
    event = create(http, fac).get_json()
    walk_to(http, fac, event["id"], "collect", "vote")
    response = set_phase(http, fac, event["id"], "collect")
    assert response.status_code == 200
    assert response.get_json()["phase"] == "collect"


@pytest.mark.parametrize("steps, target, code", [
    ((), "vote", "invalid_transition"),
    ((), "results", "invalid_transition"),
    (("collect",), "closed", "invalid_transition"),
    (("collect",), "collect", "same_phase"),
])
def test_invalid_transition_is_409(http, fac, steps, target, code):
    event = create(http, fac).get_json()
    walk_to(http, fac, event["id"], *steps)
    before = http.get(f"{API}/events/{event['id']}", headers=fac).get_json()
    response = set_phase(http, fac, event["id"], target)
    assert response.status_code == 409
    assert response.get_json()["error"] == code
    after = http.get(f"{API}/events/{event['id']}", headers=fac).get_json()
    assert (after["phase"], after["version"]) == (before["phase"], before["version"])


# --- results ------------------------------------------------------------------------------


def test_results_in_rank_order_and_ties_share_a_rank(workshop, http, fac):
    event, (p1, p2, p3), (a, b, c, d) = workshop(["A", "B", "C", "D"], phones=3)
    walk_to(http, fac, event["id"], "vote")
    for phone, proposal in ((p1, a), (p2, a), (p1, b), (p3, b), (p2, c)):
        assert phone.vote(proposal).status_code == 201
    rows = results(http, fac, event["id"])
    assert [(r["title"], r["votes"], r["rank"]) for r in rows] == [
        ("A", 2, 1), ("B", 2, 1), ("C", 1, 3), ("D", 0, 4)]
    assert all("dots" not in r for r in rows)
    assert {r["id"] for r in rows} == {a, b, c, d}


def test_results_skip_a_rank_after_a_tie(workshop, http, fac):
    event, (p1, p2, p3), (a, b, c, d) = workshop(["A", "B", "C", "D"], phones=3)
    walk_to(http, fac, event["id"], "vote")
    for phone, proposal in ((p1, c), (p2, c), (p3, c), (p1, b), (p2, b), (p1, a), (p2, a)):
        assert phone.vote(proposal).status_code == 201
    rows = results(http, fac, event["id"])
    assert [(r["title"], r["votes"], r["rank"]) for r in rows] == [
        ("C", 3, 1), ("A", 2, 2), ("B", 2, 2), ("D", 0, 4)]


def test_dots_results_rank_by_dots_then_people(workshop, http, fac):
    event, (p1, p2), (a, b, c, d) = workshop(["A", "B", "C", "D"], voting=DOTS, phones=2)
    walk_to(http, fac, event["id"], "vote")
    for phone, proposal, dots in ((p1, a, 3), (p1, b, 2), (p2, b, 1), (p2, c, 3)):
        assert phone.vote(proposal, dots=dots).status_code == 201
    rows = results(http, fac, event["id"])
    assert [(r["title"], r["dots"], r["votes"], r["rank"]) for r in rows] == [
        ("B", 3, 2, 1), ("A", 3, 1, 2), ("C", 3, 1, 2), ("D", 0, 0, 4)]
    assert rows[0]["id"] == b


def test_results_equal_the_stored_votes(workshop, http, fac):
    event, phones, ids = workshop(["A", "B", "C"], voting=DOTS, phones=3)
    walk_to(http, fac, event["id"], "vote")
    for n, phone in enumerate(phones):
        assert phone.vote(ids[n % 3], dots=2).status_code == 201
        assert phone.vote(ids[(n + 1) % 3], dots=1).status_code == 201
    assert phones[0].withdraw(ids[1]).status_code == 200
    expected = {}
    for proposal_id, dots in stored_votes():
        people, total = expected.get(proposal_id, (0, 0))
        expected[proposal_id] = (people + 1, total + dots)
    rows = results(http, fac, event["id"])
    assert {r["id"]: (r["votes"], r["dots"]) for r in rows if r["votes"]} == expected


# --- participant state, proposals and votes -------------------------------------------------


def test_state_is_a_snapshot_whose_version_increases_with_each_write(workshop, http, fac):
    event, (phone,), _ids = workshop([])
    first = phone.state(event["id"])
    assert first["event"]["id"] == event["id"]
    assert first["me"]["joined"] is True
    assert first["proposals"] == []

    ack = phone.propose(event["id"], "Cykelparkering vid stationen").get_json()
    second = phone.state(event["id"])
    assert second["version"] > first["version"]
    assert second["version"] == ack["version"]
    assert [p["title"] for p in second["proposals"]] == ["Cykelparkering vid stationen"]
    assert second["me"]["proposal_ids"] == [ack["proposal"]["id"]]

    walk_to(http, fac, event["id"], "vote")
    third = phone.state(event["id"])
    assert third["version"] > second["version"]
    assert third["event"]["phase"] == "vote"
    phone.vote(ack["proposal"]["id"])
    assert phone.state(event["id"])["version"] > third["version"]


def test_state_needs_a_joined_browser(workshop, browser):
    event, _phones, _ids = workshop([])
    response = browser().get(f"{API}/events/{event['id']}/state")
    assert response.status_code == 403
    assert response.get_json()["error"] == "not_joined"


def test_submit_proposal_is_201_with_the_proposal(workshop):
    event, (phone,), _ids = workshop([])
    focus = event["focus_areas"]
    response = phone.propose(event["id"], "  Fler träd på torget ", body="Skugga i juli.",
                             focus_area_id=focus[0]["id"] if focus else None)
    assert response.status_code == 201
    proposal = response.get_json()["proposal"]
    assert proposal["title"] == "Fler träd på torget"
    assert proposal["body"] == "Skugga i juli."
    assert proposal["status"] == "visible"
    db.session.rollback()
    row = db.session.get(Proposal, proposal["id"])
    assert (row.title, row.event_id) == ("Fler träd på torget", event["id"])


def test_submit_with_a_focus_area(http, browser, fac):
    event = create(http, fac, focus_areas=["Modig mobilitet", "Smart samskapande"]).get_json()
    walk_to(http, fac, event["id"], "collect")
    area = event["focus_areas"][1]
    response = Phone(browser(), event["code"]).propose(event["id"], "Delade elcyklar",
                                                       focus_area_id=area["id"])
    assert response.status_code == 201
    proposal = response.get_json()["proposal"]
    assert (proposal["focus_area_id"], proposal["focus_area"]) == (area["id"], area["name"])


def test_same_client_id_again_returns_the_same_result_and_stores_nothing(workshop):
    event, (phone,), _ids = workshop([])
    key = new_id()
    first = phone.propose(event["id"], "Laddstolpar", client_id=key)
    again = phone.propose(event["id"], "Laddstolpar", client_id=key)
    assert first.status_code == 201
    assert again.status_code == 200  # a replay of the first: answered again, not created
    first_body, again_body = first.get_json(), again.get_json()
    assert again_body.pop("replayed")
    assert again_body == first_body
    assert count(Proposal) == 1
    assert len(phone.state(event["id"])["proposals"]) == 1


def test_vote_and_withdraw_approval(workshop, http, fac):
    event, (phone,), (a, b) = workshop(["A", "B"])
    walk_to(http, fac, event["id"], "vote")
    response = phone.vote(a)
    assert response.status_code == 201
    body = response.get_json()
    assert body["proposal_id"] == a
    assert body["ballot"]["votes"] == {str(a): 1}
    assert stored_votes() == [(a, 1)]
    assert [r["votes"] for r in results(http, fac, event["id"])] == [1, 0]

    response = phone.withdraw(a)
    assert response.status_code == 200
    assert response.get_json()["ballot"]["votes"] == {}
    assert stored_votes() == []
    assert phone.state(event["id"])["me"]["ballot"]["votes"] == {}


def test_vote_retry_with_same_client_id_counts_once(workshop, http, fac):
    event, (phone,), (a,) = workshop(["A"])
    walk_to(http, fac, event["id"], "vote")
    key = new_id()
    first, again = phone.vote(a, client_id=key), phone.vote(a, client_id=key)
    assert first.status_code == 201
    assert again.status_code == 200  # a replay of the first: answered again, not counted
    again_body = again.get_json()
    assert again_body.pop("replayed")
    assert again_body == first.get_json()
    assert stored_votes() == [(a, 1)]
    assert results(http, fac, event["id"])[0]["votes"] == 1


def test_dots_budget_and_remaining(workshop, http, fac):
    event, (phone,), (a, b) = workshop(["A", "B"], voting=DOTS)
    walk_to(http, fac, event["id"], "vote")
    assert phone.state(event["id"])["me"]["ballot"]["remaining"] == 5

    first = phone.vote(a, dots=2).get_json()
    assert first["ballot"]["remaining"] == 3
    second = phone.vote(b, dots=2).get_json()
    assert second["ballot"] == {"votes": {str(a): 2, str(b): 2}, "spent": 4, "remaining": 1}
    more = phone.vote(a, dots=1).get_json()
    assert more["ballot"]["votes"][str(a)] == 3
    assert more["ballot"]["remaining"] == 0
    assert stored_votes() == [(a, 3), (b, 2)]

    # Some dots back (the phone takes one at a time), then the rest at once.
    one = phone.withdraw(a, dots=1).get_json()
    assert one["ballot"] == {"votes": {str(a): 2, str(b): 2}, "spent": 4, "remaining": 1}
    assert stored_votes() == [(a, 2), (b, 2)]
    too_many = phone.withdraw(b, dots=5).get_json()  # more than given: all of them
    assert too_many["ballot"] == {"votes": {str(a): 2}, "spent": 2, "remaining": 3}
    assert phone.vote(b, dots=2).status_code == 201
    for bad in (0, -1, 1.5, "1", 101):
        refused = phone.withdraw(a, dots=bad)
        assert refused.status_code == 400, (bad, refused.get_json())
        assert (refused.get_json()["error"], refused.get_json()["field"]) == ("invalid_dots",
                                                                          "dots")
    assert stored_votes() == [(a, 2), (b, 2)]  # a refusal changes nothing
    withdrawn = phone.withdraw(a).get_json()
    assert withdrawn["ballot"] == {"votes": {str(b): 2}, "spent": 2, "remaining": 3}
    assert phone.state(event["id"])["me"]["ballot"]["remaining"] == 3
    assert stored_votes() == [(b, 2)]


def test_dots_to_withdraw_only_on_a_dots_event(workshop, http, fac):
    event, (phone,), (a,) = workshop(["A"])
    walk_to(http, fac, event["id"], "vote")
    assert phone.vote(a).status_code == 201
    refused = phone.withdraw(a, dots=1)
    assert refused.status_code == 400
    assert (refused.get_json()["error"], refused.get_json()["field"]) == ("invalid_dots", "dots")
    assert stored_votes() == [(a, 1)]
    assert phone.withdraw(a).status_code == 200


def test_hidden_proposal_shows_its_reason_and_its_votes_are_refunded(workshop, http, fac):
    voting = {"method": "dots", "dots": 3, "max_per_proposal": 2}
    event, (p1, p2), (a, b) = workshop(["Olämpligt förslag", "B"], voting=voting, phones=2)
    walk_to(http, fac, event["id"], "vote")
    assert p1.vote(a, dots=2).status_code == 201
    assert p1.vote(b, dots=1).status_code == 201
    assert p2.vote(a, dots=1).status_code == 201
    assert p1.state(event["id"])["me"]["ballot"]["remaining"] == 0

    response = http.post(f"{API}/proposals/{a}/hide", json={"reason": "Personuppgifter"},
                         headers=fac)
    assert response.status_code == 200
    # Staff get the whole proposal back, so the console can still read what was hidden.
    hidden_for_staff = response.get_json()["proposal"]
    assert (hidden_for_staff["id"], hidden_for_staff["status"]) == (a, "hidden")
    assert hidden_for_staff["hidden_reason"] == "Personuppgifter"
    assert hidden_for_staff["title"] == "Olämpligt förslag"

    state = p1.state(event["id"])  # p1 wrote it: the author sees their own text and why
    hidden = next(p for p in state["proposals"] if p["id"] == a)
    assert (hidden["status"], hidden["hidden_reason"]) == ("hidden", "Personuppgifter")
    assert hidden["title"] == "Olämpligt förslag"
    others_see = next(p for p in p2.state(event["id"])["proposals"] if p["id"] == a)
    assert others_see == {"id": a, "number": 1, "status": "hidden",
                          "hidden_reason": "Personuppgifter"}
    assert state["me"]["ballot"]["remaining"] == 2
    assert stored_votes(a) == []
    assert [r["id"] for r in results(http, fac, event["id"])] == [b]
    assert p1.vote(b, dots=1).status_code == 201  # the refunded dots can be spent again


# --- permissions --------------------------------------------------------------------------


@pytest.fixture
def owned(http, fac, workshop):
    event, _phones, (proposal_id,) = workshop(["A"])
    return event, proposal_id


def _phase_of(http, fac, event_id):
    return http.get(f"{API}/events/{event_id}", headers=fac).get_json()["phase"]


def test_other_facilitator_cannot_touch_someone_elses_event(http, staff, fac, owned):
    event, proposal_id = owned
    other = staff.auth(staff.other)
    attempts = [
        set_phase(http, other, event["id"], "vote"),
        http.post(f"{API}/proposals/{proposal_id}/hide", json={"reason": "x"}, headers=other),
        http.get(f"{API}/events/{event['id']}/results", headers=other),
        http.get(f"{API}/events/{event['id']}", headers=other),
    ]
    for response in attempts:
        assert response.status_code == 403
        assert response.get_json()["error"] == "forbidden"
    assert _phase_of(http, fac, event["id"]) == "collect"
    assert results(http, fac, event["id"])[0]["id"] == proposal_id


def test_reviewer_reads_results_but_cannot_change_anything(http, staff, fac, owned):
    event, proposal_id = owned
    reviewer = staff.auth(staff.reviewer)
    assert http.get(f"{API}/events/{event['id']}/results", headers=reviewer).status_code == 200
    assert http.get(f"{API}/events/{event['id']}", headers=reviewer).status_code == 200
    phase = set_phase(http, reviewer, event["id"], "vote")
    assert (phase.status_code, phase.get_json()["error"]) == (403, "forbidden")
    hide = http.post(f"{API}/proposals/{proposal_id}/hide", json={"reason": "x"},
                     headers=reviewer)
    assert hide.status_code == 403
    made = create(http, reviewer)
    assert (made.status_code, made.get_json()["error"]) == (403, "forbidden")
    assert _phase_of(http, fac, event["id"]) == "collect"


def test_admin_can_manage_any_event(http, staff, owned):
    event, _proposal_id = owned
    response = set_phase(http, staff.auth(staff.admin), event["id"], "vote")
    assert response.status_code == 200
    assert response.get_json()["phase"] == "vote"


def test_reads_without_a_token_are_401(http, owned):
    event, _proposal_id = owned
    for path in (f"/events/{event['id']}", f"/events/{event['id']}/results"):
        response = http.get(API + path)
        assert response.status_code == 401
        assert response.get_json()["error"] == "unauthorized"


def test_staff_writes_without_a_token_are_401(http, fac, owned):
    event, proposal_id = owned
    attempts = [
        create(http, {}),
        set_phase(http, {}, event["id"], "vote"),
        http.post(f"{API}/proposals/{proposal_id}/hide", json={"reason": "x"}),
    ]
    for response in attempts:
        assert response.status_code == 401, response.get_json()
        assert response.get_json()["error"] == "unauthorized"
    assert _phase_of(http, fac, event["id"]) == "collect"


@pytest.mark.parametrize("header", ["Bearer pt_not-a-real-token", "Bearer " + "x" * 60])
def test_bad_token_is_401(http, fac, owned, header):
    event, _proposal_id = owned
    bad = {"Authorization": header}
    for response in (http.get(f"{API}/events/{event['id']}/results", headers=bad),
                     set_phase(http, bad, event["id"], "vote"),
                     create(http, bad)):
        assert response.status_code == 401
        assert response.get_json()["error"] == "invalid_token"
    assert _phase_of(http, fac, event["id"]) == "collect"


# --- openapi, health -------------------------------------------------------------------------


CONTRACT = {
    "/events": {"post"},
    "/events/{event_id}": {"get"},
    "/events/{event_id}/phase": {"post"},
    "/events/{event_id}/results": {"get"},
    "/events/{event_id}/state": {"get"},
    "/events/{event_id}/proposals": {"post"},
    "/proposals/{proposal_id}/votes": {"post", "delete"},
    "/events/{event_id}/merges": {"post", "get"},
    "/merges/{merge_id}": {"delete"},
}


def _refs(node):
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _resolve(spec, ref):
    assert ref.startswith("#/"), ref
    node = spec
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def test_openapi_describes_the_contract(http):
    response = http.get(f"{API}/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] and spec["info"]["version"]
    paths = {p.removeprefix("/api/v1") for p in spec["paths"]}
    prefix = "" if any(s.get("url", "").endswith("/api/v1") for s in spec.get("servers", [])) \
        else "/api/v1"
    for path, methods in CONTRACT.items():
        assert path in paths, path
        operations = spec["paths"][prefix + path]
        assert methods <= set(operations), (path, set(operations))
        for method in methods:
            assert operations[method]["responses"], (path, method)
    for ref in set(_refs(spec)):
        assert _resolve(spec, ref) is not None
    results_schema = spec["paths"][prefix + "/events/{event_id}/results"]["get"]
    assert "200" in results_schema["responses"]
    from openapi_spec_validator import validate

    validate(spec)


def test_healthz_reports_ok(http):
    response = http.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "redis": "not_configured"}


# --- CSV for reviewers ----------------------------------------------------------------------


def _staff_browser(browser, user):
    page = browser()
    assert login(page, user).status_code in (302, 303)
    return page


def _named_phone(browser, code, name):
    phone = Phone(browser(), code)
    response = phone.http.post(f"/j/{code}/name", data={"display_name": name,
                                                          "csrf_token": phone.csrf})
    assert response.status_code in (302, 303)
    return phone


def test_reviewer_downloads_csv_in_rank_order_without_identities(browser, http, fac, staff):
    event = create(http, fac, voting=DOTS, focus_areas=["Modig mobilitet"]).get_json()
    walk_to(http, fac, event["id"], "collect")
    anna = _named_phone(browser, event["code"], "Anna Andersson")
    bo = Phone(browser(), event["code"])
    area = event["focus_areas"][0]["id"]
    a = anna.propose(event["id"], "Bilfria söndagar", body="Varje månad.",
                     focus_area_id=area).get_json()["proposal"]["id"]
    b = anna.propose(event["id"], '=HYPERLINK("http://evil.example","klicka")') \
        .get_json()["proposal"]["id"]
    c = bo.propose(event["id"], "Solceller på skolan").get_json()["proposal"]["id"]
    walk_to(http, fac, event["id"], "vote")
    for phone, proposal, dots in ((anna, c, 3), (bo, c, 1), (bo, a, 2)):
        assert phone.vote(proposal, dots=dots).status_code == 201

    reviewer = _staff_browser(browser, staff.reviewer)
    response = reviewer.get(f"/review/events/{event['id']}/proposals.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert set(rows[0]) >= {"rank", "id", "title", "votes", "dots"}
    assert [int(r["id"]) for r in rows] == [c, a, b]
    assert [int(r["rank"]) for r in rows] == [1, 2, 3]
    assert [(int(r["votes"]), int(r["dots"])) for r in rows] == [(2, 4), (1, 2), (0, 0)]
    assert rows[1]["title"] == "Bilfria söndagar"
    assert rows[1]["body"] == "Varje månad."
    formula = rows[2]["title"]
    assert not formula.startswith(("=", "+", "-", "@"))
    assert "HYPERLINK" in formula

    db.session.rollback()
    tokens = db.session.scalars(select(Participant.token)).all()
    assert len(tokens) == 2
    assert "Anna Andersson" not in text
    for token in tokens:
        assert token not in text
    assert not {"participant_id", "participant", "author", "author_name", "token"} & set(rows[0])


def test_csv_is_for_staff_who_may_review_the_event(browser, http, fac, staff, owned):
    event, _proposal_id = owned
    path = f"/review/events/{event['id']}/proposals.csv"
    assert _staff_browser(browser, staff.facilitator).get(path).status_code == 200
    assert _staff_browser(browser, staff.admin).get(path).status_code == 200
    assert _staff_browser(browser, staff.other).get(path).status_code == 403
    anonymous = browser().get(path)  # a staff page, not the API: the login page, not a 401
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert "text/csv" not in anonymous.content_type
