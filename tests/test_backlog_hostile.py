"""The backlog and the public pages under hostile or careless input: refused, never a 500,
and nothing public that should stay inside a group or wait for the results."""

import uuid

import pytest

from participation.backlog.models import ProposalLink
from participation.core.errors import OperationError
from participation.events.operations import change_phase
from participation.extensions import db
from participation.members import operations as members
from participation.proposals.moderation import hide_proposal
from participation.proposals.operations import cast_vote, submit_proposal
from participation.review import links

from .conftest import csrf_from, login

API = "/api/v1"


def _proposal(event, title="Belys cykelbanorna", token="author-1"):
    return submit_proposal(event.id, token, title, "", uuid.uuid4().hex)["proposal"]["id"]


def test_a_tiny_reduction_cannot_break_the_measure_pages(app, staff):
    api = app.test_client()
    created = api.post(f"{API}/measures", headers=staff.auth(staff.reviewer), json={
        "title": "Pytteliten", "reduction_low": 1e-310, "reduction_high": 1e-310,
        "yearly_cost_sek": 1})
    assert created.status_code == 201
    measure_id = created.get_json()["measure"]["id"]
    for url in (f"/atgarder/{measure_id}", f"/atgarder/{measure_id}/underlag",
                f"{API}/measures", f"{API}/measures/investment?format=csv"):
        assert api.get(url).status_code == 200, url


def test_hidden_proposals_cannot_be_linked(app, make_event, staff):
    event = make_event(phase="collect")
    pid = _proposal(event, "Ring Anna 070-1234567")
    hide_proposal(staff.facilitator, pid, "Personuppgifter")
    with pytest.raises(OperationError) as refused:
        links.link_proposal(staff.reviewer, pid, "created_from")
    assert refused.value.code == "not_linkable"


def test_a_second_created_from_keeps_the_same_measure(app, make_event, staff):
    event = make_event(phase="collect")
    pid = _proposal(event)
    first = links.link_proposal(staff.reviewer, pid, "created_from")["link"]["measure_id"]
    again = links.link_proposal(staff.reviewer, pid, "created_from")["link"]["measure_id"]
    assert first == again


def test_odd_ids_and_numbers_are_refused_not_crashes(app, make_event, staff):
    event = make_event(phase="collect")
    pid = _proposal(event)
    api = app.test_client()
    auth = staff.auth(staff.reviewer)
    linked = api.put(f"{API}/proposals/{pid}/link", headers=auth,
                     json={"kind": "supports", "measure_id": 10**20})
    assert linked.status_code == 400
    for query in ("event_id=²", "event_id=99999999999999999999999", "event_id=0"):
        assert api.get(f"{API}/proposals?{query}", headers=auth).status_code == 400, query
    assert api.post(f"{API}/measures", headers=auth,
                    json={"title": "a\ud800b"}).status_code == 400
    imported = api.post(f"{API}/measures/import", headers={**auth, "Content-Type": "text/csv"},
                        data=b"\xef\xbb\xbf")
    assert imported.status_code == 400
    browser = app.test_client()
    login(browser, staff.reviewer)
    csrf = csrf_from(browser.get("/backlog/new").get_data(as_text=True))
    form = browser.post("/backlog/new", data={"csrf_token": csrf, "title": "Stor",
                                              "investment_sek": "1" * 5000})
    assert form.status_code == 422  # the form shown again with the field's error, not saved
    for measure_id in ("²", "9" * 30):
        response = browser.post(f"/backlog/proposals/{pid}/link", data={
            "csrf_token": csrf, "kind": "supports", "measure_id": measure_id,
            "next": "/review/\r\nX-Evil: 1"})
        # A valid form whose measure is no id: back (303) with the error flashed, to the
        # backlog rather than the hostile `next`; nothing linked.
        assert response.status_code == 303, measure_id
        assert response.headers["Location"] == "/backlog/"
        assert "X-Evil" not in response.headers
    db.session.remove()
    assert db.session.query(ProposalLink).count() == 0


def test_public_event_page_shows_no_votes_until_the_results(app, make_event, staff):
    event = make_event(phase="collect", hide_tallies=True)
    pid = _proposal(event)
    change_phase(staff.facilitator, event.id, "vote")
    for token in ("a", "b", "c"):
        cast_vote(pid, lambda _e, t=token: t, f"vote-{token}-{pid}")
    public = app.test_client().get(f"{API}/public/events/{event.code}").get_json()
    assert public["voters"] is None and not public["results_revealed"]
    assert all(p["supporters"] is None and p["fair_rank"] is None
               for p in public["proposals"])
    change_phase(staff.facilitator, event.id, "results")
    public = app.test_client().get(f"{API}/public/events/{event.code}").get_json()
    assert public["voters"] == 3 and public["proposals"][0]["supporters"] == 3


def test_a_groups_proposals_stay_off_the_public_measure_pages(app, make_event, staff):
    event = make_event(kind="referensgrupp", phase="collect", title="Referensgrupp Ålidhem")
    member = members.add_member(staff.facilitator, event.id, "Anna Andersson")
    phone = app.test_client()
    asked = phone.get(f"/i/{member['invite_token']}").get_data(as_text=True)
    phone.post(f"/i/{member['invite_token']}", data={"csrf_token": csrf_from(asked)})
    csrf = csrf_from(phone.get(f"/j/{event.code}").get_data(as_text=True))
    written = phone.post(f"{API}/events/{event.id}/proposals", headers={"X-CSRFToken": csrf},
                         json={"title": "Hemligt gruppförslag", "client_id": uuid.uuid4().hex})
    pid = written.get_json()["proposal"]["id"]
    measure = links.link_proposal(staff.reviewer, pid, "created_from",
                                    new_measure_fields={"title": "Gröna gårdar"})
    measure_id = measure["link"]["measure_id"]
    db.session.rollback()
    anyone = app.test_client()
    for url in (f"/atgarder/{measure_id}", f"/atgarder/{measure_id}/underlag"):
        page = anyone.get(url).get_data(as_text=True)
        assert "Hemligt gruppförslag" not in page and "Ålidhem" not in page, url
        assert "referensgrupp" in page.lower(), url
