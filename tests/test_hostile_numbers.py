"""Numbers and text that look fine to Python but not to a database: refused, never a 500."""

import uuid

import pytest
from sqlalchemy import func, select

from participation.events.tables import set_table_count
from participation.extensions import db
from participation.members import operations as members
from participation.proposals.models import Proposal, Vote

from .conftest import csrf_from, join

API = "/api/v1"
HUGE = 2**70


def test_unicode_digits_and_long_numbers_in_forms_are_refused(app, make_event, staff):
    event = make_event(phase="collect", questions=["Hur reser du?"])
    phone = app.test_client()
    csrf = join(phone, event)
    response = phone.post(f"{API}/events/{event.id}/proposals", headers={"X-CSRFToken": csrf},
                          json={"title": "Tåg", "question_id": "²",
                                "client_id": uuid.uuid4().hex})
    assert (response.status_code, response.get_json()["field"]) == (400, "question_id")
    written = phone.post(f"/j/{event.code}/proposals", data={
        "csrf_token": csrf, "title": "Buss", "question_id": "9" * 5000,
        "client_id": uuid.uuid4().hex})
    assert written.status_code == 422
    assert db.session.scalar(select(func.count(Proposal.id))) == 0


@pytest.mark.parametrize("value", ["²", "9" * 5000, "-1"])
def test_vote_forms_refuse_odd_numbers(app, make_event, staff, value):
    event = make_event(phase="collect")
    phone = app.test_client()
    csrf = join(phone, event)
    created = phone.post(f"{API}/events/{event.id}/proposals", headers={"X-CSRFToken": csrf},
                         json={"title": "Tåg", "client_id": uuid.uuid4().hex})
    pid = created.get_json()["proposal"]["id"]
    from participation.events.operations import change_phase

    change_phase(staff.facilitator, event.id, "vote")
    # With a client_id, so that it is the number that is refused (a missing client_id is a
    # 400 of its own): the operation's 400, the page shown again with its message.
    for field, message in (("dots", "Ange ett helt antal prickar."),
                           ("score", "Den här aktiviteten röstar inte med betyg.")):
        response = phone.post(f"/j/{event.code}/proposals/{pid}/vote",
                              data={"csrf_token": csrf, field: value,
                                    "client_id": uuid.uuid4().hex})
        assert response.status_code == 400, (field, response.status_code)
        assert message in response.get_data(as_text=True), field
    assert db.session.scalar(select(func.count(Vote.id))) == 0


def test_ids_beyond_what_a_database_holds_are_refused_not_crashes(app, make_event, staff):
    event = make_event(phase="collect")
    auth = staff.auth(staff.facilitator)
    api = app.test_client()
    # In the path: no such resource, 404. In a JSON body: a field that is no id, 400 on it.
    for method, url, payload, expected in (
            ("post", f"{API}/events/{event.id}/merges", {"source_id": HUGE, "target_id": 1},
             (400, "invalid_type")),
            ("delete", f"{API}/merges/{HUGE}", None, (404, "not_found")),
            ("post", f"{API}/members/{HUGE}/revoke", None, (404, "not_found")),
            ("get", f"{API}/events/{HUGE}", None, (404, "not_found")),
            ("post", f"{API}/proposals/{HUGE}/votes", {"client_id": uuid.uuid4().hex},
             (404, "not_found"))):
        response = getattr(api, method)(url, headers=auth, json=payload)
        assert (response.status_code, response.get_json()["error"]) == expected, url


@pytest.mark.parametrize("when", ["0001-01-01T00:00", "9999-12-31T23:59-05:00", "1850-01-01"])
def test_times_out_of_range_are_refused(app, make_event, staff, when):
    event = make_event()
    response = app.test_client().put(f"{API}/events/{event.id}/schedule",
                                     headers=staff.auth(staff.facilitator),
                                     json={"opens_at": when})
    assert (response.status_code, response.get_json()["error"]) == (400, "invalid_time")


def test_control_characters_are_refused_on_every_text(app, make_event, staff):
    event = make_event(phase="collect")
    phone = app.test_client()
    csrf = join(phone, event)
    for title in ("Tåg\x00", "Buss\x1b[31m"):
        response = phone.post(f"{API}/events/{event.id}/proposals",
                              headers={"X-CSRFToken": csrf},
                              json={"title": title, "client_id": uuid.uuid4().hex})
        assert (response.status_code, response.get_json()["error"]) == (
            400, "invalid_characters")
    kept = phone.post(f"{API}/events/{event.id}/proposals", headers={"X-CSRFToken": csrf},
                      json={"title": "Tåg", "body": "Rad ett\nRad två\tmed tabb",
                            "client_id": uuid.uuid4().hex})
    assert kept.status_code == 201  # line breaks and tabs are ordinary text


def test_a_revoked_member_cannot_write_as_the_tables_scribe(app, make_event, staff):
    event = make_event(kind="referensgrupp", phase="collect")
    set_table_count(staff.facilitator, event.id, 1)
    invited = members.add_member(staff.facilitator, event.id, "Anna Andersson")
    phone = app.test_client()
    asked = phone.get(f"/i/{invited['invite_token']}").get_data(as_text=True)
    phone.post(f"/i/{invited['invite_token']}", data={"csrf_token": csrf_from(asked)})
    db.session.rollback()
    from participation.events.models import Event

    secret = db.session.get(Event, event.id).tables[0].scribe_token
    card = phone.get(f"/j/{event.code}/bord/1/skrivare/{secret}", follow_redirects=True)
    csrf = csrf_from(card.get_data(as_text=True))
    members.revoke_member(staff.facilitator, invited["member"]["id"])
    response = phone.post(f"{API}/events/{event.id}/scribe-proposals",
                          headers={"X-CSRFToken": csrf}, json={"title": "Bordets idé"})
    assert (response.status_code, response.get_json()["error"]) == (403, "not_a_member")
    assert db.session.scalar(select(func.count(Proposal.id))) == 0
