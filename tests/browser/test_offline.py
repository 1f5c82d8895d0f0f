"""A phone that loses the network: its writes wait on the phone and arrive once when it is back.

Chromium's offline emulation (context.set_offline) fails new requests and fires the window's
`offline` event, but leaves an open WebSocket up; live.js closes the socket on that event, as a
phone that really lost its network would find out at the next missed ping.
Screenshots go to test-artifacts/screenshots/offline-*.png.
"""

import time
import uuid

import pytest
import requests
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.live]

OUTBOX_KEY = "participation:outbox:{id}"
BACK_WITHIN_MS = 2000


def staff_state(live_server, event) -> dict:
    response = requests.get(f"{live_server.url}/api/v1/events/{event['id']}/state",
                            headers=live_server.auth())
    assert response.status_code == 200, response.text
    return response.json()


def titles_on_server(live_server, event) -> list[str]:
    return [p["title"] for p in staff_state(live_server, event)["proposals"]]


def votes_on_server(live_server, event) -> dict[int, int]:
    response = requests.get(f"{live_server.url}/api/v1/events/{event['id']}/results",
                            headers=live_server.auth())
    assert response.status_code == 200, response.text
    return {r["id"]: r["votes"] for r in response.json()["results"]}


def other_resident_writes(live_server, event, title) -> int:
    other = live_server.phone(event["code"])
    response = other.http.post(f"{live_server.url}/api/v1/events/{event['id']}/proposals",
                               json={"title": title, "client_id": uuid.uuid4().hex})
    assert response.status_code == 201, response.text
    return response.json()["proposal"]["id"]


def outbox(page: Page, event) -> list:
    return page.evaluate("(key) => JSON.parse(localStorage.getItem(key) ?? '[]')",
                         OUTBOX_KEY.format(id=event["id"]))


def join(page: Page, live_server, event):
    page.goto(f"{live_server.url}/j/{event['code']}")
    expect(page.locator("#connection")).to_have_attribute("data-state", "connected")


def go_offline(page: Page):
    page.context.set_offline(True)
    expect(page.locator("#connection")).to_have_attribute("data-state", "offline")
    expect(page.locator("#connection")).to_be_visible()
    # Said once, politely, to a screen reader too.
    expect(page.locator("#live-status[aria-live=polite]")).to_have_text(
        "Ingen anslutning just nu. Sidan uppdateras när anslutningen är tillbaka.")


def go_online(page: Page) -> float:
    page.context.set_offline(False)
    return time.monotonic()


def test_writes_made_offline_arrive_once_and_the_page_catches_up(live_server, phone, shots):
    event = live_server.create_event(title="Offline", prompt="Vad behöver Husby?")
    live_server.set_phase(event["id"], "collect")
    page = phone()
    join(page, live_server, event)

    # Offline: the proposal is kept on the phone, shown as waiting, and not on the server.
    go_offline(page)
    mine = "Fler bänkar längs Husbygången"
    page.locator("#proposal-form [name=title]").fill(mine)
    page.locator("#proposal-form [name=body]").fill("Så att äldre orkar gå hela vägen.")
    page.locator("#proposal-form button[type=submit]").click()
    expect(page.locator("#proposal-form .form-status")).to_have_text(
        "Sparat på telefonen – skickas när du är ansluten igen.")
    expect(page.locator("#outbox")).to_be_visible()
    expect(page.locator("#outbox-list li")).to_have_text([f"Förslag: {mine}"])
    expect(page.locator("#proposal-form [name=title]")).to_have_value("")
    assert [item["name"] for item in outbox(page, event)] == ["submit_proposal"]
    # Meanwhile another phone writes; this one cannot hear about it.
    theirs = "Belysning i tunneln under E18"
    their_id = other_resident_writes(live_server, event, theirs)
    assert titles_on_server(live_server, event) == [theirs]
    expect(page.locator("#proposal-form .form-status")).to_have_text(
        "Sparat på telefonen – skickas när du är ansluten igen.")
    assert page.url.startswith(live_server.url)  # no browser error page from a form post

    # Back online: the other phone's proposal is on the page within 2 s, and ours arrives once.
    went_online = go_online(page)
    expect(page.locator(f"#proposal-{their_id} .p-title")).to_have_text(
        theirs, timeout=BACK_WITHIN_MS)
    caught_up = time.monotonic() - went_online
    expect(page.locator("#connection")).to_have_attribute("data-state", "connected")
    expect(page.locator(".proposal.mine .p-title")).to_have_text(mine)
    expect(page.locator("#outbox")).to_be_hidden()
    expect(page.locator("#proposal-form .form-status")).to_have_text(
        "Tack! Nu syns ditt förslag på skärmen.")
    assert outbox(page, event) == []
    assert sorted(titles_on_server(live_server, event)) == sorted([mine, theirs])
    print(f"caught up {caught_up * 1000:.0f} ms after going online")

    # A reload sends nothing again.
    page.reload()
    expect(page.locator("#connection")).to_have_attribute("data-state", "connected")
    expect(page.locator(".proposal")).to_have_count(2)
    assert sorted(titles_on_server(live_server, event)) == sorted([mine, theirs])

    # Voting: one vote waits on the phone and counts once; one is refused after the fact.
    live_server.set_phase(event["id"], "vote")
    expect(page.locator("#phone")).to_have_attribute("data-phase", "vote")
    mine_id = int(page.locator(".proposal.mine").get_attribute("data-proposal-id"))
    go_offline(page)
    for proposal_id in (their_id, mine_id):
        item = page.locator(f"#proposal-{proposal_id}")
        item.locator(".vote-form button").click()
        # Shown ahead of the server: the vote is marked as waiting on the phone.
        expect(item.locator(".voted-note")).to_be_visible()
        expect(item.locator(".vote-form")).to_be_hidden()
        expect(item.locator(".p-queued")).to_have_text(
            "Sparat på telefonen – skickas när du är ansluten igen.")
    expect(page.locator("#spent")).to_have_text("2")
    expect(page.locator("#outbox-list li")).to_have_text([f"Röst: {theirs}", f"Röst: {mine}"])
    shots(page, "offline-01-votes-queued")
    # The facilitator hides our proposal meanwhile: that vote cannot count.
    hidden = requests.post(f"{live_server.url}/api/v1/proposals/{mine_id}/hide",
                           json={"reason": "Dubblett"}, headers=live_server.auth())
    assert hidden.status_code == 200, hidden.text
    assert votes_on_server(live_server, event) == {their_id: 0}

    went_online = go_online(page)
    expect(page.locator(f"#proposal-{mine_id} .p-moderated")).to_be_visible(
        timeout=BACK_WITHIN_MS)
    expect(page.locator("#outbox-refused")).to_be_visible()
    expect(page.locator("#outbox-refused-list li")).to_have_text(
        [f"Kunde inte skickas: Röst: {mine}. Förslaget har dolts."])
    expect(page.locator("#outbox-pending")).to_be_hidden()
    expect(page.locator(".p-queued:visible")).to_have_count(0)
    expect(page.locator("#spent")).to_have_text("1")
    assert votes_on_server(live_server, event) == {their_id: 1}
    assert outbox(page, event) == []
    shots(page, "offline-02-vote-refused")
    page.locator("#outbox-dismiss").click()
    expect(page.locator("#outbox")).to_be_hidden()

    page.reload()
    expect(page.locator("#connection")).to_have_attribute("data-state", "connected")
    expect(page.locator(f"#proposal-{their_id} .voted-note")).to_be_visible()
    assert votes_on_server(live_server, event) == {their_id: 1}


def test_the_queue_survives_a_reload_before_the_socket_is_back(live_server, phone):
    event = live_server.create_event(title="Omladdning", prompt="Vad behöver Tensta?")
    live_server.set_phase(event["id"], "collect")
    page = phone()
    join(page, live_server, event)

    go_offline(page)
    mine = "Sittplatser vid busshållplatsen"
    page.locator("#proposal-form [name=title]").fill(mine)
    page.locator("#proposal-form button[type=submit]").click()
    expect(page.locator("#outbox-list li")).to_have_text([f"Förslag: {mine}"])

    # The network is back for pages but not for the socket; the page is reloaded meanwhile.
    page.route("**/socket.io/**", lambda route: route.abort())
    go_online(page)
    page.reload()
    expect(page.locator("#outbox-list li")).to_have_text([f"Förslag: {mine}"])
    expect(page.locator("#connection")).not_to_have_attribute("data-state", "connected")
    assert titles_on_server(live_server, event) == []

    page.unroute("**/socket.io/**")
    expect(page.locator("#connection")).to_have_attribute("data-state", "connected")
    expect(page.locator(".proposal.mine .p-title")).to_have_text(mine)
    expect(page.locator("#outbox")).to_be_hidden()
    assert titles_on_server(live_server, event) == [mine]
    assert outbox(page, event) == []
