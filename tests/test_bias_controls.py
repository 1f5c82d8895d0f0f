"""Bias controls: vote bars held back until revealed, and a per-person random ballot order."""

import pytest

from participation.core.errors import OperationError
from participation.events.operations import change_phase, reveal_tallies
from participation.proposals.order import ballot_seed, fnv1a, shuffled

from .conftest import csrf_from, login


def test_fnv1a_matches_the_reference_values():
    # Published FNV-1a 32-bit test vectors; static/js/order.js must give the same.
    assert fnv1a("") == 0x811C9DC5
    assert fnv1a("a") == 0xE40C292C
    assert fnv1a("foobar") == 0xBF9CF968


def test_each_person_gets_a_stable_order_of_their_own():
    proposals = [{"id": i} for i in range(1, 21)]
    first = [p["id"] for p in shuffled(proposals, ballot_seed("person-a"))]
    again = [p["id"] for p in shuffled(list(reversed(proposals)), ballot_seed("person-a"))]
    other = [p["id"] for p in shuffled(proposals, ballot_seed("person-b"))]
    assert first == again
    assert sorted(first) == list(range(1, 21))
    assert first != other and first != list(range(1, 21))
    assert "person-a" not in ballot_seed("person-a")


def test_shuffled_ballot_on_the_phone_page_and_in_the_snapshot(app, make_event, staff):
    event = make_event(phase="collect", shuffle_ballot=True)
    writer = app.test_client()
    csrf = csrf_from(writer.get(f"/j/{event.code}").get_data(as_text=True))
    titles = [f"Förslag nummer {n}" for n in range(1, 13)]
    for n, title in enumerate(titles):
        writer.post(f"/api/v1/events/{event.id}/proposals", headers={"X-CSRFToken": csrf},
                    json={"title": title, "client_id": f"shuffle-{n:04d}"})
    change_phase(staff.facilitator, event.id, "vote")

    def page_order(client):
        html = client.get(f"/j/{event.code}").get_data(as_text=True)
        return sorted(titles, key=lambda title: html.index(f">{title}</h3>"))

    reader_a, reader_b = app.test_client(), app.test_client()
    order_a, order_b = page_order(reader_a), page_order(reader_b)
    assert order_a == page_order(reader_a)  # stable for one person across reloads
    assert order_a != order_b  # 12! orders: two people differ (fails with p = 1/479001600)
    csrf_a = csrf_from(reader_a.get(f"/j/{event.code}").get_data(as_text=True))
    state = reader_a.get(f"/api/v1/events/{event.id}/state",
                         headers={"X-CSRFToken": csrf_a}).get_json()
    assert state["event"]["shuffle_ballot"] is True
    seed = state["me"]["seed"]
    by_id = {p["id"]: p["title"] for p in state["proposals"]}
    assert [by_id[i] for i in sorted(by_id, key=lambda i: (fnv1a(f"{seed}:{i}"), i))] == order_a


def test_reveal_pushes_to_staff_only_and_needs_the_facilitator(room, staff):
    workshop = room(phase="vote")
    phone, projector = workshop.phone(), workshop.facilitator()
    phone.forget()
    projector.forget()
    ack = projector.call("reveal_tallies", {"revealed": True})
    assert ack["ok"] and ack["tallies_revealed"] is True
    assert projector.received("reveal")[-1]["revealed"] is True
    assert phone.received("reveal") == []
    refused = phone.call("reveal_tallies", {"revealed": True})
    assert refused["error"] == "forbidden"
    with pytest.raises(OperationError) as wrong:
        reveal_tallies(staff.facilitator, workshop.id, "yes")
    assert wrong.value.code == "invalid_type"


def test_create_form_and_console_reveal_without_javascript(app, staff):
    http = app.test_client()
    login(http, staff.facilitator)
    page = http.get("/events/new").get_data(as_text=True)
    response = http.post("/events/new", data={
        "csrf_token": csrf_from(page), "title": "Rättvis", "prompt": "Vad?",
        "kind": "radslag", "voting_method": "approval", "moderation": "post",
        "hide_tallies": "y", "shuffle_ballot": "y", "dots": "5", "max_per_proposal": "3"})
    assert response.status_code == 302
    console_url = response.headers["Location"]
    console = http.get(console_url).get_data(as_text=True)
    assert "Visa röststaplarna på projektorn" in console
    event_id = int(console_url.split("/")[2])
    http.post(f"/events/{event_id}/reveal", data={"csrf_token": csrf_from(console),
                                                  "revealed": "1"})
    assert "Dölj röststaplarna på projektorn" in http.get(console_url).get_data(as_text=True)
