"""Facilitation in the real browser: a countdown on phone and projector, pre-moderation."""

import re

import pytest
import requests

from participation.proposals.order import fnv1a

from .conftest import playwright_api

expect = playwright_api.expect
pytestmark = [pytest.mark.browser, pytest.mark.live]
CLOCK = re.compile(r"^\d+:\d{2}$")


def test_countdown_appears_live_and_counts_down(live_server, phone, facilitator, shots):
    event = live_server.create_event(title="Timerverkstad")
    live_server.set_phase(event["id"], "collect")
    resident = phone()
    resident.goto(f"{live_server.url}/j/{event['code']}")
    projector = facilitator.new_page()
    projector.goto(f"{live_server.url}/events/{event['id']}/projector")
    expect(resident.locator("#timer")).to_be_hidden()

    response = requests.post(f"{live_server.url}/api/v1/events/{event['id']}/timer",
                             json={"seconds": 120}, headers=live_server.auth())
    assert response.status_code == 200
    for page in (resident, projector):
        left = page.locator("#timer .timer-left")
        expect(left).to_have_text(CLOCK)
        first = left.inner_text()
        assert first in ("2:00", "1:59", "1:58")
        expect(left).not_to_have_text(first)  # it counts, without a reload
    shots(resident, "timer-phone")
    shots(projector, "timer-projector", full_page=False)

    live_server.set_phase(event["id"], "vote")
    expect(resident.locator("#timer")).to_be_hidden()


def test_pre_moderated_proposal_waits_then_appears(live_server, phone, facilitator, shots):
    event = live_server.create_event(title="Förhandsmoderering", moderation="pre")
    live_server.set_phase(event["id"], "collect")
    author, neighbour = phone(), phone()
    for page in (author, neighbour):
        page.goto(f"{live_server.url}/j/{event['code']}")
    console = facilitator.new_page()
    console.goto(f"{live_server.url}/events/{event['id']}/console")

    author.fill("#title", "Sedumtak på busskuren")
    author.click("#proposal-form button[type=submit]")
    mine = author.locator(".proposal", has_text="Sedumtak på busskuren")
    expect(mine.locator(".p-pending")).to_be_visible()
    expect(console.locator("#console-rows")).to_contain_text("Sedumtak på busskuren")
    expect(neighbour.locator("#proposal-list")).not_to_contain_text("Sedumtak")
    shots(console, "moderation-console-pending")

    console.locator("tr", has_text="Sedumtak på busskuren").get_by_role(
        "button", name=re.compile("Godkänn")).click()
    expect(neighbour.locator("#proposal-list")).to_contain_text("Sedumtak på busskuren")
    expect(mine.locator(".p-pending")).to_be_hidden()


def test_vote_bars_wait_for_reveal_and_ballot_order_matches_the_server(
        live_server, phone, facilitator):
    event = live_server.create_event(title="Dolda staplar", hide_tallies=True,
                                     shuffle_ballot=True)
    live_server.set_phase(event["id"], "collect")
    writer = live_server.phone(event["code"])
    for n in range(6):
        writer.http.post(f"{live_server.url}/api/v1/events/{event['id']}/proposals",
                         json={"title": f"Idé {n}", "client_id": f"bars-idea-{n:03d}"})
    live_server.set_phase(event["id"], "vote")
    projector = facilitator.new_page()
    projector.goto(f"{live_server.url}/events/{event['id']}/projector")
    expect(projector.locator("#stage-count")).to_contain_text("processledaren")
    expect(projector.locator("#bars")).to_be_hidden()
    response = requests.post(f"{live_server.url}/api/v1/events/{event['id']}/reveal",
                             json={"revealed": True}, headers=live_server.auth())
    assert response.status_code == 200
    expect(projector.locator("#bars .bar-row")).to_have_count(6)

    # The browser's ordering function is the server's: same FNV-1a values.
    resident = phone()
    resident.goto(f"{live_server.url}/j/{event['code']}")
    server_order = resident.locator("#proposal-list .p-title").all_inner_texts()
    values = resident.evaluate(
        "async () => { const m = await import('/static/js/order.js');"
        " return [m.fnv1a(''), m.fnv1a('a'), m.fnv1a('foobar'), m.fnv1a('Idé 5:12')]; }")
    assert values == [fnv1a(""), fnv1a("a"), fnv1a("foobar"), fnv1a("Idé 5:12")]
    resident.wait_for_selector("#phone[data-synced]", state="attached")
    assert resident.locator("#proposal-list .p-title").all_inner_texts() == server_order


def test_typing_shows_similar_proposals(live_server, phone, shots):
    event = live_server.create_event(title="Dubbletter")
    live_server.set_phase(event["id"], "collect")
    writer = live_server.phone(event["code"])
    for n, title in enumerate(["Fler cykelbanor längs Storgatan", "Mindre matsvinn i skolan"]):
        writer.http.post(f"{live_server.url}/api/v1/events/{event['id']}/proposals",
                         json={"title": title, "client_id": f"similar-seed-{n:03d}"})
    resident = phone()
    resident.goto(f"{live_server.url}/j/{event['code']}")
    resident.wait_for_selector("#phone[data-synced]", state="attached")
    expect(resident.locator("#similar-box")).to_be_hidden()
    resident.locator("#title").press_sequentially("Cykelbanor på Storgatan", delay=20)
    expect(resident.locator("#similar-box")).to_be_visible()
    first = resident.locator("#similar-list li").first
    expect(first.locator("a")).to_have_text("Fler cykelbanor längs Storgatan")
    shots(resident, "similar-while-typing")
    # Support it instead: the draft goes, the proposal is marked for when voting opens.
    first.get_by_role("button", name="Stöd detta i stället").click()
    expect(resident.locator("#title")).to_have_value("")
    expect(resident.locator("#similar-box")).to_be_hidden()
    wished = resident.locator(".proposal", has_text="Fler cykelbanor längs Storgatan")
    expect(wished.locator(".p-wished")).to_be_visible()
    resident.reload()  # remembered on this phone
    expect(wished.locator(".p-wished")).to_be_visible()
