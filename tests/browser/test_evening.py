"""A whole evening on one code (issue 17, docs/activities.md): a warm-up poll, the proposals
with voting, questions to the panel with likes and one answered live, a word cloud, and the
evaluation. Three
360 px phones with JavaScript and one without join once and never scan again; the projector
and the console follow each step."""

import pytest
from playwright.sync_api import expect

from .a11y_support import run_axe
from .conftest import DESKTOP
from .test_quick_poll import SCREEN, api
from .test_workshop import assert_not_reloaded, connected, mark, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.live]


def start(console, title):
    """The facilitator presses Start on one activity of the console's programme."""
    console.locator("#plan li", has_text=title).locator("button", has_text="Starta").click()
    expect(console.locator("#plan li.is-live")).to_contain_text(title)
    connected(console, "#console-status")


def test_an_evening_of_activities_on_one_code(live_server, contexts, facilitator, shots):
    event = live_server.create_event(title="Kvällsverkstad Ersboda", prompt="Hur reser vi?",
                                     kind="medborgarverkstad", voting={"method": "approval"})
    live_server.set_phase(event["id"], "collect")
    path = f"/events/{event['id']}/activities"
    for body in ({"kind": "poll", "title": "Hur tar du dig hit?",
                  "options": ["Cykel", "Buss", "Bil"]},
                 {"kind": "questions", "title": "Frågor till politikerna"},
                 {"kind": "words", "title": "Vad tar du med dig från i kväll?"},
                 {"kind": "evaluation"}):
        api(live_server, "POST", path, json=body)

    phones = [contexts(viewport=SCREEN, is_mobile=True, has_touch=True).new_page()
              for _ in range(3)]
    plain = contexts(viewport=SCREEN, is_mobile=True, java_script_enabled=False).new_page()
    for phone in phones:
        phone.goto(f"{live_server.url}/j/{event['code']}")
        connected(phone, "#connection")
    plain.goto(f"{live_server.url}/j/{event['code']}")
    projector = facilitator.new_page()
    projector.set_viewport_size(DESKTOP)
    projector.goto(f"{live_server.url}/events/{event['id']}/projector")
    connected(projector, "#projector-status")
    console = facilitator.new_page()
    console.set_viewport_size({"width": 1366, "height": 768})
    console.goto(f"{live_server.url}/events/{event['id']}/console#plan-heading")
    connected(console, "#console-status")

    # 1. The warm-up poll.
    start(console, "Hur tar du dig hit?")
    for n, phone in enumerate(phones):
        expect(phone.locator("#poll-heading")).to_have_text("Hur tar du dig hit?")
        phone.check(f"#poll-choice-{n}")
        phone.click("#poll button[type=submit]")
        expect(phone.locator(".flash")).to_contain_text("Ditt svar är sparat.")
    expect(projector.locator("#poll-people")).to_have_text("3 personer har svarat")

    # 2. The proposals, with voting.
    start(console, "Kvällsverkstad Ersboda")
    writer = phones[0]
    expect(writer.locator("#write-heading")).to_be_visible()
    writer.locator("#proposal-form [name=title]").fill("Väderskydd vid cykelparkeringen")
    writer.locator("#proposal-form button[type=submit]").click()
    expect(projector.locator("#wall")).to_contain_text("Väderskydd vid cykelparkeringen")
    live_server.set_phase(event["id"], "vote")
    voter = phones[1]
    item = voter.locator(".proposal", has_text="Väderskydd vid cykelparkeringen")
    item.locator(".vote-button").click()
    expect(item.locator(".voted-note")).to_be_visible()

    # 3. Questions to the panel: asked on one phone, seen and liked on the others live.
    start(console, "Frågor till politikerna")
    for phone in phones:
        expect(phone.locator("#panel-heading")).to_have_text("Frågor till politikerna")
        connected(phone, "#connection")
        mark(phone)
    asker = phones[0]
    asker.fill("#panel-text", "När kommer cykelbanan till Ersboda?")
    asker.click("#panel .panel-ask button[type=submit]")
    expect(asker.locator(".flash")).to_contain_text("Din fråga är skickad.")
    connected(asker, "#connection")
    question = phones[1].locator(".panel-question", has_text="När kommer cykelbanan")
    expect(question).to_be_visible()  # painted from the push, no reload
    assert_not_reloaded(phones[1])
    for phone in phones[1:]:
        phone.locator(".panel-question", has_text="När kommer cykelbanan").locator(
            "button", has_text="Gilla").click()
        expect(phone.locator(".panel-question", has_text="När kommer cykelbanan")
               .locator("button[aria-pressed=true]")).to_be_visible()
    plain.reload()
    plain.fill("#panel-text", "Varför tar bussen så lång tid?")
    plain.click("#panel .panel-ask button[type=submit]")
    expect(plain.locator(".flash")).to_contain_text("Din fråga är skickad.")
    plain.locator(".panel-question", has_text="När kommer cykelbanan").locator(
        "button", has_text="Gilla").click()
    expect(asker.locator(".panel-question", has_text="Varför tar bussen")).to_be_visible()
    top = projector.locator("#panel-top li")
    expect(top.first).to_contain_text("När kommer cykelbanan till Ersboda?")
    expect(top.first).to_contain_text("3 gillar")
    expect(top).to_have_count(2)
    no_horizontal_scroll(asker)
    assert run_axe(asker) == []
    shots(asker, "evening-phone-questions", full_page=False)
    # The facilitator puts the most liked one to the panel: the projector and phones show it
    # without reloading (a like was a form post: the page was painted afresh then).
    connected(phones[2], "#connection")
    mark(phones[2])
    # The console's programme followed by itself: both questions, with their likes.
    mine = console.locator("#plan .panel-console li", has_text="När kommer cykelbanan")
    expect(mine).to_contain_text("3 gillar")
    expect(console.locator("#plan .panel-console li")).to_have_count(2)
    console.locator("#plan .panel-console li", has_text="När kommer cykelbanan").locator(
        "button", has_text="Besvara nu").click()
    expect(projector.locator("#panel-now-text")).to_have_text(
        "När kommer cykelbanan till Ersboda?")
    expect(projector.locator("#panel-top li")).to_have_count(1)
    expect(phones[2].locator("#panel-now-text")).to_have_text(
        "När kommer cykelbanan till Ersboda?")
    assert_not_reloaded(phones[2])
    assert run_axe(projector) == []
    shots(projector, "evening-projector-questions", full_page=False)
    console.locator("#plan").scroll_into_view_if_needed()
    assert run_axe(console) == []
    shots(console, "evening-console-questions", full_page=False)

    # 4. A word cloud: the same word in other forms grows one word on the projector.
    start(console, "Vad tar du med dig från i kväll?")
    for phone, words in zip(phones[:2], (["Bussen", "Hopp"], ["bussar", "Gemenskap"]),
                            strict=True):
        expect(phone.locator("#cloud-heading")).to_have_text("Vad tar du med dig från i kväll?")
        for n, word in enumerate(words):
            phone.fill(f"#cloud-word-{n}", word)
        phone.click("#cloud button[type=submit]")
        expect(phone.locator(".flash")).to_contain_text("Dina ord finns i molnet.")
    plain.goto(f"{live_server.url}/j/{event['code']}")
    plain.fill("#cloud-word-0", "buss")
    plain.click("#cloud button[type=submit]")
    expect(plain.locator(".flash")).to_contain_text("Dina ord finns i molnet.")
    biggest = projector.locator("#cloud-words li").first
    expect(biggest).to_contain_text("buss")
    expect(biggest).to_have_class("size-5")
    expect(projector.locator("#cloud-words li")).to_have_count(3)
    expect(console.locator("#plan .cloud-console li").first).to_contain_text("3 personer")
    assert run_axe(projector) == []
    shots(projector, "evening-projector-words", full_page=False)

    # 5. The evaluation: anonymous, the projector counts.
    start(console, "Hur var kvällen?")
    for phone in phones[:2]:
        expect(phone.locator("#evaluation-heading")).to_have_text("Hur var kvällen?")
        phone.check("label[for=rating-overall-4]")
        phone.check("label[for=rating-heard-5]")
        phone.click("#evaluation button[type=submit]")
        expect(phone.locator(".flash")).to_contain_text("Tack! Ditt svar är sparat.")
    plain.goto(f"{live_server.url}/j/{event['code']}")
    plain.check("label[for=rating-next_steps-2]")
    plain.fill("#evaluation-text", "Bra kväll!")
    plain.click("#evaluation button[type=submit]")
    expect(plain.locator(".flash")).to_contain_text("Tack! Ditt svar är sparat.")
    expect(projector.locator("#evaluation-people")).to_have_text("3 personer har svarat")
    phone = phones[2]
    expect(phone.locator("#evaluation-heading")).to_be_visible()
    no_horizontal_scroll(phone)
    assert run_axe(phone) == []
    shots(phone, "evening-phone-evaluation", full_page=False)
    shots(projector, "evening-projector-evaluation", full_page=False)
    expect(console.locator(".evaluation-results")).to_contain_text("4,0")
    activities = api(live_server, "GET", path)["activities"]
    results = api(live_server, "GET", f"/activities/{activities[-1]['id']}/results")
    assert results["people"] == 3 and results["texts"] == ["Bra kväll!"]
