"""The phone in a full room, 360 × 640: the phase's own action is on the first screen.

A medborgarverkstad with 6 tables, 40 proposals, focus areas, dot voting and a running timer;
one phone with JavaScript (seated by its table card) and one without. In every phase the
button that phase is about (save the name, send the proposal, give a dot, the results) is
inside the first 640 px; while voting, the timer and the dots left stay in sight at the
bottom of the list; dots come back one at a time, and a spent budget is said in words.
"""

import re
import uuid

import pytest
import requests
from playwright.sync_api import Page, expect

from .test_workshop import connected, no_horizontal_scroll, phone_in_phase

pytestmark = [pytest.mark.browser, pytest.mark.live]

SCREEN = {"width": 360, "height": 640}
PROMPT = ("Vilka förändringar i kvarteret skulle göra det enklast för dig att leva klimatsmart "
          "– vardagsresor, mat och energi?")
TITLES = [f"Förslag {n}: {word}" for n, word in enumerate(
    ["cykelbanor", "bussar", "laddstolpar", "reparationskafé", "lånecyklar", "bilpool",
     "gröna tak", "solceller", "matsvinn", "komposter", "snöröjning", "belysning", "bänkar",
     "skolvägar", "pendelparkering", "cykelgarage", "kvällsbussar", "cykelkök", "hyrcyklar",
     "trafikljus", "gångfart", "tågstopp", "älvstrand", "ruttplanerare", "direktbussar",
     "återbruk", "verktygsbibliotek", "odlingslotter", "fjärrvärme", "vindkraft", "regnbäddar",
     "träd", "parker", "lekplatser", "mötesplatser", "bytesdagar", "delningsförråd",
     "laddcyklar", "vintercykling", "samåkning"], start=1)]


def first_screen(page: Page, selector: str) -> dict:
    """Where the element is with the page scrolled to the top: inside the first screen?"""
    page.evaluate("window.scrollTo(0, 0)")
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    assert box["y"] >= 0 and box["y"] + box["height"] <= SCREEN["height"], (
        f"{selector} is at {box['y']:.0f}–{box['y'] + box['height']:.0f} px, "
        f"below the first {SCREEN['height']} px")
    return box


def in_view(page: Page, selector: str):
    box = page.locator(selector).bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= SCREEN["height"], (selector, box)


@pytest.fixture
def room(live_server):
    event = live_server.create_event(
        title="Medborgarverkstad: Klimatneutrala Västerort 2030", prompt=PROMPT,
        focus_areas=["Modig mobilitet", "Smart samskapande"],
        voting={"method": "dots", "dots": 5, "max_per_proposal": 3})
    answer = requests.post(f"{live_server.url}/api/v1/events/{event['id']}/tables",
                           json={"count": 6}, headers=live_server.auth(), timeout=10)
    assert answer.status_code == 200, answer.text
    return event


def post(phone, url, body):
    answer = phone.http.post(url, json={"client_id": uuid.uuid4().hex, **body}, timeout=10)
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


def test_the_phase_action_is_on_the_first_screen(live_server, phone, shots, room):
    event, base = room, live_server.url
    live = phone(viewport=SCREEN)
    live.goto(f"{base}/j/{event['code']}/bord/2")
    connected(live, "#connection")
    plain = phone(viewport=SCREEN, java_script_enabled=False)
    plain.goto(f"{base}/j/{event['code']}")

    # Lobby: the welcome and the name, before the seat; a page without JavaScript comes back
    # by itself while it waits.
    shots(live, "first-screen-lobby", full_page=False)
    for page in (live, plain):
        first_screen(page, "#welcome-heading")
        first_screen(page, ".name-form button[type=submit]")
    refresh = plain.locator('noscript meta[http-equiv="refresh"]')
    expect(refresh).to_have_count(1)
    assert refresh.get_attribute("content").endswith(f"/j/{event['code']}")

    # Collect: the writing form and its send button above the table picker and the list.
    live_server.set_phase(event["id"], "collect")
    others = [live_server.phone(event["code"]) for _ in range(8)]
    ids = [post(others[n % 8], f"{base}/api/v1/events/{event['id']}/proposals",
                {"title": title})["proposal"]["id"] for n, title in enumerate(TITLES)]
    phone_in_phase(live, "collect")
    expect(live.locator("#proposal-count")).to_have_text(str(len(TITLES)))
    plain.reload()
    shots(live, "first-screen-collect", full_page=False)
    for page in (live, plain):
        first_screen(page, "#proposal-form button[type=submit]")
        expect(page.locator('noscript meta[http-equiv="refresh"]')).to_have_count(0)
    # The similar proposals show under the title, in sight while it is typed.
    live.locator("#title").fill("Fler laddstolpar")
    expect(live.locator("#similar-box")).to_be_visible()
    similar, body = (live.locator(s).bounding_box() for s in ("#similar-box", "#body"))
    assert similar["y"] < body["y"], "the hint is under the body field"
    title = live.locator("#title").bounding_box()
    assert similar["y"] - (title["y"] + title["height"]) < 40, "the hint is not next to the title"
    shots(live, "first-screen-similar", full_page=False)
    live.locator("#title").fill("")

    # Vote, with a timer: the first proposal's button on the first screen; the timer and the
    # dots left still in sight after scrolling to the end of the list.
    live_server.set_phase(event["id"], "vote")
    answer = requests.post(f"{base}/api/v1/events/{event['id']}/timer", json={"seconds": 600},
                           headers=live_server.auth(), timeout=10)
    assert answer.status_code == 200, answer.text
    phone_in_phase(live, "vote")
    plain.reload()
    shots(live, "first-screen-vote", full_page=False)
    for page in (live, plain):
        first_screen(page, "#proposal-list .proposal .vote-button")
    expect(live.locator("#timer .timer-label")).to_have_text("Tid kvar:")
    expect(plain.locator("#timer")).to_have_text(re.compile(r"^\s*Slutar kl\.\s+\d\d:\d\d\s*$"))
    live.locator("#proposal-list .proposal").last.scroll_into_view_if_needed()
    in_view(live, "#timer")
    in_view(live, "#remaining")
    shots(live, "first-screen-vote-scrolled", full_page=False)

    # Dots: three on one proposal (its cap), two on another; one taken back at a time.
    first, second = (live.locator(f"#proposal-{pid}") for pid in (ids[0], ids[1]))
    for _ in range(3):
        first.locator(".vote-button").click()
    expect(first.locator(".my-dots")).to_have_text("3")
    expect(first.locator(".vote-form")).to_be_hidden()
    first.locator(".withdraw-form button").click()
    expect(first.locator(".my-dots")).to_have_text("2")
    expect(live.locator("#remaining")).to_have_text("3")
    for _ in range(3):
        second.locator(".vote-button").click()
    expect(live.locator("#remaining")).to_have_text("0")
    # Spent: the "give" buttons go, and the page says why and how to move a dot.
    expect(live.locator("#dots-spent")).to_be_visible()
    expect(live.locator("#proposal-list .vote-form:visible")).to_have_count(0)
    second.locator(".withdraw-form button").click()
    expect(live.locator("#remaining")).to_have_text("1")
    expect(live.locator("#dots-spent")).to_be_hidden()
    expect(second.locator(".my-dots")).to_have_text("2")
    ballot = live.evaluate("(id) => fetch('/api/v1/events/' + id + '/state')"
                           ".then((r) => r.json())", event["id"])
    assert ballot["me"]["ballot"]["votes"] == {str(ids[0]): 2, str(ids[1]): 2}, ballot

    # Without JavaScript: a dot given and taken back through the plain forms.
    item = plain.locator(f"#proposal-{ids[2]}")
    item.locator(".vote-button").click()
    expect(plain.locator(f"#proposal-{ids[2]} .my-dots")).to_have_text("1")
    plain.locator(f"#proposal-{ids[2]}").locator(".vote-button").click()
    expect(plain.locator(f"#proposal-{ids[2]} .my-dots")).to_have_text("2")
    plain.locator(f"#proposal-{ids[2]} .withdraw-form button").click()
    expect(plain.locator(f"#proposal-{ids[2]} .my-dots")).to_have_text("1")
    expect(plain.locator("#remaining")).to_have_text("4")

    # Results and closed: the ranking starts on the first screen.
    for phase in ("results", "closed"):
        live_server.set_phase(event["id"], phase)
        phone_in_phase(live, phase)
        plain.reload()
        shots(live, f"first-screen-{phase}", full_page=False)
        for page in (live, plain):
            first_screen(page, "#results-heading")
            first_screen(page, "#results li")
            no_horizontal_scroll(page)
        expect(plain.locator('noscript meta[http-equiv="refresh"]')).to_have_count(
            1 if phase == "results" else 0)


def test_the_rating_fits_one_row(live_server, phone, shots):
    event = live_server.create_event(voting={"method": "scale"})
    other = live_server.phone(event["code"])
    live_server.set_phase(event["id"], "collect")
    post(other, f"{live_server.url}/api/v1/events/{event['id']}/proposals",
         {"title": "Trygga skolvägar med upphöjda övergångsställen"})
    live_server.set_phase(event["id"], "vote")
    for width in (360, 320):
        page = phone(viewport={"width": width, "height": 640})
        page.goto(f"{live_server.url}/j/{event['code']}")
        tops = {round(box["y"]) for box in
                (choice.bounding_box() for choice in page.locator(".scale-choice").all())}
        assert len(tops) == 1, f"1–5 wraps at {width} px: rows at {sorted(tops)}"
        first_screen(page, ".scale-form .vote-button")
        no_horizontal_scroll(page, width)
        shots(page, f"first-screen-scale-{width}", full_page=False)
