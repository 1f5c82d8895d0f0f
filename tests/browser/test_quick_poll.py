"""A warm-up poll on the evening's one code (docs/activities.md): the facilitator starts it and
the phones already in the room show it without scanning anything again; a 360 px phone answers
with JavaScript, another without; the projector's bars move; back to the proposals, both
screens follow."""

import pytest
import requests
from playwright.sync_api import expect

from .a11y_support import run_axe
from .conftest import DESKTOP
from .test_workshop import connected, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.live]

SCREEN = {"width": 360, "height": 640}


def api(server, method, path, **kwargs):
    answer = requests.request(method, f"{server.url}/api/v1{path}", headers=server.auth(),
                              timeout=10, **kwargs)
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


def test_a_warm_up_poll_on_the_same_code(live_server, contexts, facilitator, shots):
    event = live_server.create_event(title="Kvällens verkstad", prompt="Hur reser vi hållbart?",
                                     kind="medborgarverkstad", voting={"method": "approval"})
    live_server.set_phase(event["id"], "collect")
    poll = api(live_server, "POST", f"/events/{event['id']}/activities", json={
        "kind": "poll", "title": "Hur tar du dig till jobbet?",
        "options": ["Cykel", "Buss", "Bil", "Till fots"], "show_results": True})["activity"]
    proposals = api(live_server, "GET", f"/events/{event['id']}/activities")["activities"][0]

    phone = contexts(viewport=SCREEN, is_mobile=True, has_touch=True).new_page()
    phone.goto(f"{live_server.url}/j/{event['code']}")
    connected(phone, "#connection")
    expect(phone.locator("#poll")).to_have_count(0)
    projector = facilitator.new_page()
    projector.set_viewport_size(DESKTOP)
    projector.goto(f"{live_server.url}/events/{event['id']}/projector")
    connected(projector, "#projector-status")

    # The facilitator starts it from the console's programme, on the laptop.
    console = facilitator.new_page()
    console.set_viewport_size({"width": 1366, "height": 768})
    console.goto(f"{live_server.url}/events/{event['id']}/console#plan-heading")
    console.locator("#plan form button", has_text="Starta").click()
    expect(console.locator(".flash")).to_contain_text("Pågår nu: Hur tar du dig till jobbet?")
    expect(console.locator("#plan .badge")).to_have_text("Pågår nu")
    assert run_axe(console) == []
    # Both screens follow without anyone scanning or reloading by hand.
    expect(phone.locator("#poll-heading")).to_have_text("Hur tar du dig till jobbet?")
    expect(projector.locator("h1.prompt")).to_have_text("Hur tar du dig till jobbet?")
    connected(phone, "#connection")
    connected(projector, "#projector-status")
    # The poll is the phone's first screen: its answer button is in view.
    button = phone.locator("#poll button[type=submit]")
    box = button.bounding_box()
    assert box and box["y"] + box["height"] <= SCREEN["height"]
    no_horizontal_scroll(phone)
    assert run_axe(phone) == []
    shots(phone, "poll-phone", full_page=False)

    phone.check("#poll-choice-0")
    phone.click("#poll button[type=submit]")
    expect(phone.locator(".flash")).to_contain_text("Ditt svar är sparat.")
    expect(phone.locator(".poll-bars")).to_contain_text("Cykel: 1 person (100 %)")
    expect(projector.locator("#poll-people")).to_have_text("1 person har svarat")

    plain = contexts(viewport=SCREEN, is_mobile=True, java_script_enabled=False).new_page()
    plain.goto(f"{live_server.url}/j/{event['code']}")
    plain.check("#poll-choice-1")
    plain.click("#poll button[type=submit]")
    expect(plain.locator(".poll-bars")).to_contain_text("Buss: 1 person (50 %)")
    expect(projector.locator("#poll-people")).to_have_text("2 personer har svarat")
    expect(projector.locator('[data-position="1"] .poll-present-count')).to_have_text("1")
    console.reload()
    expect(console.locator("#plan h3")).to_contain_text("2 personer har svarat")
    console.locator("#plan").scroll_into_view_if_needed()
    shots(console, "poll-console", full_page=False)
    assert run_axe(projector) == []
    shots(projector, "poll-projector", full_page=False)
    results = api(live_server, "GET", f"/activities/{poll['id']}/results")
    assert [o["people"] for o in results["options"]] == [1, 1, 0, 0]

    api(live_server, "POST", f"/events/{event['id']}/activities/{proposals['id']}/start")
    expect(phone.locator("#poll")).to_have_count(0)
    expect(phone.locator("#write-heading")).to_be_visible()
    expect(projector.locator("#wall")).to_be_attached()
