"""The room in other languages (issue 19, docs/languages.md), in real Chromium: a 360 px phone
in Arabic joins, writes, votes and reads the results, mirrored right to left with a Swedish
proposal still reading left to right, and nothing wider than 320 px; Finnish the same way;
axe-core on both, and the keyboard flow in both.

Screenshots: test-artifacts/screenshots/lang-*.png; with DOCS_IMAGES set (`make screenshots`)
also docs/images/phone-ar.png and phone-fi.png, the README's."""

import os
import re
import shutil
import uuid
from pathlib import Path

import pytest
import requests
from babel.support import Translations
from playwright.sync_api import expect

from .a11y_support import run_axe, summary
from .conftest import PHONE, SCREENSHOTS
from .test_keyboard import assert_focus_on, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.live]
ROOT = Path(__file__).resolve().parents[2]
DOCS = os.environ.get("DOCS_IMAGES")
PHONE_320 = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}
# Where elements stick out of the viewport, on either side: right to left overflows leftwards.
OUTSIDE = """(width) => ({
  doc: document.documentElement.scrollWidth,
  out: [...document.querySelectorAll('body *')]
    .filter((n) => n.getClientRects().length && !n.closest('.visually-hidden, .skip-link'))
    .filter((n) => { const r = n.getBoundingClientRect();
                     return r.width && (r.left < -0.5 || r.right > width + 0.5); })
    .slice(0, 5).map((n) => `${n.tagName}.${n.className} ${n.textContent.slice(0, 30)}`),
})"""


def said(lang: str, message: str) -> str:
    """`message` as the shipped catalogue says it in `lang`."""
    return Translations.load(str(ROOT / "participation" / "translations"), [lang]).gettext(
        message)


def shot(page, name: str, docs_name: str | None = None):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"lang-{name}.png"
    page.screenshot(path=str(path), animations="disabled")
    if DOCS and docs_name:
        shutil.copy(path, Path(DOCS) / docs_name)


def fits(page, width: int):
    found = page.evaluate(OUTSIDE, width)
    assert found["doc"] <= width and not found["out"], found


def no_axe_findings(page, where: str):
    found = run_axe(page)
    assert not found, summary({where: found})


def api(live_server, method, path, **kwargs):
    answer = requests.request(method, f"{live_server.url}/api/v1{path}",
                              headers=live_server.auth(), timeout=10, **kwargs)
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


def room(live_server, lang: str, title: str, prompt: str):
    """An event offering Swedish and `lang`, with its title and question in `lang`, and a
    neighbour's Swedish proposal already on the wall."""
    event = live_server.create_event(title="Verkstad", prompt="Hur reser vi hållbart?")
    api(live_server, "PUT", f"/events/{event['id']}/languages",
        json={"languages": ["sv", lang], "texts": {lang: {"title": title, "prompt": prompt}}})
    live_server.set_phase(event["id"], "collect")
    neighbour = live_server.phone(event["code"])
    swedish = neighbour.http.post(f"{live_server.url}/api/v1/events/{event['id']}/proposals",
                                  json={"title": "Fler cykelbanor längs ån i centrum",
                                        "client_id": uuid.uuid4().hex})
    assert swedish.status_code == 201, swedish.text
    return event, swedish.json()["proposal"]["id"]


def test_an_arabic_phone_joins_writes_votes_and_reads_the_results(live_server, contexts):
    event, swedish_id = room(live_server, "ar", "ورشة النقل", "كيف نتنقل بطريقة مستدامة؟")
    # The phone's own language setting is Arabic: its first visit is in Arabic.
    page = contexts(**{**PHONE, "locale": "ar-SE"}).new_page()
    page.goto(f"{live_server.url}/j/{event['code']}")
    expect(page.locator("#connection")).to_have_attribute("data-state", "connected")
    assert page.evaluate("() => [document.documentElement.lang, document.documentElement.dir,"
                         " getComputedStyle(document.body).direction]") == ["ar", "rtl", "rtl"]
    expect(page.locator("h1")).to_have_text("كيف نتنقل بطريقة مستدامة؟")
    # Mirrored: the name of the service sits on the right, the language menu on the left, and
    # the proposal form's label starts at the right edge.
    brand = page.locator(".brand").bounding_box()
    menu = page.locator(".language-link").bounding_box()
    assert brand["x"] > menu["x"], (brand, menu)
    label = page.locator("label[for=title]").bounding_box()
    assert label["x"] + label["width"] > 360 - 40, label
    # The neighbour's Swedish proposal still reads left to right inside the Arabic page.
    neighbour_title = page.locator(f"#proposal-{swedish_id} .p-title")
    assert neighbour_title.evaluate("(n) => [n.lang, getComputedStyle(n).direction]") == [
        "sv", "ltr"]

    page.fill("#title", "مسارات دراجات أكثر في وسط المدينة")
    page.locator("#proposal-form button[type=submit]").click()
    expect(page.locator("#proposal-form .form-status")).to_have_text(
        said("ar", "Thank you! Your proposal is on the wall."))
    mine = page.locator("#proposal-list .proposal.mine .p-title")
    expect(mine).to_have_attribute("lang", "ar")
    no_axe_findings(page, "Arabic phone, collecting")
    shot(page, "phone-ar-collect")

    live_server.set_phase(event["id"], "vote")
    expect(page.locator("#phone")).to_have_attribute("data-phase", "vote")
    page.locator(f"#proposal-{swedish_id} .vote-button").click()
    expect(page.locator(f"#proposal-{swedish_id} .voted-note")).to_be_visible()
    no_axe_findings(page, "Arabic phone, voting")
    shot(page, "phone-ar-vote", "phone-ar.png")

    live_server.set_phase(event["id"], "results")
    expect(page.locator("#results li").first).to_contain_text("Fler cykelbanor")
    expect(page.locator("#results li").first.locator(".r-title")).to_have_attribute("lang", "sv")
    no_axe_findings(page, "Arabic phone, results")
    shot(page, "phone-ar-results")

    # At 320 px (WCAG reflow) nothing sticks out, on either side.
    narrow = contexts(**{**PHONE_320, "locale": "ar"}).new_page()
    narrow.goto(f"{live_server.url}/j/{event['code']}")
    expect(narrow.locator("#connection")).to_have_attribute("data-state", "connected")
    fits(narrow, 320)


def test_a_finnish_phone_in_borås(live_server, contexts):
    event, _swedish_id = room(live_server, "fi", "Liikennetyöpaja",
                              "Miten liikumme kestävästi?")
    page = contexts(**{**PHONE, "locale": "fi-FI"}).new_page()
    page.goto(f"{live_server.url}/j/{event['code']}")
    expect(page.locator("#connection")).to_have_attribute("data-state", "connected")
    assert page.evaluate("() => document.documentElement.lang") == "fi"
    expect(page.locator("h1")).to_have_text("Miten liikumme kestävästi?")
    page.fill("#title", "Lisää pyöräteitä keskustaan")
    page.locator("#proposal-form button[type=submit]").click()
    expect(page.locator("#proposal-form .form-status")).to_have_text(
        said("fi", "Thank you! Your proposal is on the wall."))
    expect(page.locator("#proposal-list .proposal.mine .p-title")).to_have_attribute("lang", "fi")
    no_axe_findings(page, "Finnish phone, collecting")
    shot(page, "phone-fi-collect", "phone-fi.png")
    narrow = contexts(**{**PHONE_320, "locale": "fi"}).new_page()
    narrow.goto(f"{live_server.url}/j/{event['code']}")
    fits(narrow, 320)


@pytest.mark.parametrize("lang", ["ar", "fi"])
def test_the_language_menu_and_the_resident_flow_by_keyboard(live_server, contexts, lang):
    """Keyboard only: choose the language in the menu, write a proposal, vote and take the vote
    back; every stop shows its focus ring (tab_to checks it)."""
    event, swedish_id = room(live_server, lang, "Verkstad", "Hur?")
    page = contexts(**PHONE).new_page()  # a Swedish phone: the person picks their language
    page.goto(f"{live_server.url}/j/{event['code']}")
    expect(page.locator("#connection")).to_have_attribute("data-state", "connected")
    tab_to(page, "#language-link")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # The event offers Swedish and its own other language only.
    expect(page.locator("#language-choices button")).to_have_count(2)
    tab_to(page, f"#language-choices button[data-lang={lang}]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.evaluate("() => document.documentElement.lang") == lang
    expect(page.locator("#connection")).to_have_attribute("data-state", "connected")

    tab_to(page, "#title")
    page.keyboard.type("Bänkar vid busshållplatserna i centrum")
    tab_to(page, "#proposal-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#proposal-form .form-status")).to_have_text(
        said(lang, "Thank you! Your proposal is on the wall."))
    assert_focus_on(page, "#proposal-form button[type=submit]")

    live_server.set_phase(event["id"], "vote")
    expect(page.locator("#phone")).to_have_attribute("data-phase", "vote")
    tab_to(page, f"#proposal-{swedish_id} .vote-button")
    page.keyboard.press("Space")
    expect(page.locator(f"#proposal-{swedish_id} .voted-note")).to_be_visible()
    assert_focus_on(page, f"#proposal-{swedish_id} .withdraw-form button")
    page.keyboard.press("Enter")
    expect(page.locator(f"#proposal-{swedish_id} .voted-note")).to_be_hidden()
    assert_focus_on(page, f"#proposal-{swedish_id} .vote-button")


def test_the_projector_lobby_says_how_to_join_in_every_offered_language(live_server,
                                                                         facilitator):
    """1920 × 1080 from the back of the hall: the projector in Arabic (mirrored), how to
    join in the other five languages under the QR code, nothing cut off."""
    event = live_server.create_event(title="Verkstad", prompt="Hur reser vi hållbart?")
    api(live_server, "PUT", f"/events/{event['id']}/languages", json={
        "languages": ["sv", "fi", "ar", "so", "fa", "uk"], "projector_language": "ar",
        "texts": {"ar": {"title": "ورشة", "prompt": "كيف نتنقل بطريقة مستدامة؟"}}})
    page = facilitator.new_page()
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/events/{event['id']}/projector")
    assert page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]"
                         ) == ["ar", "rtl"]
    expect(page.locator(".prompt")).to_have_text("كيف نتنقل بطريقة مستدامة؟")
    lines = page.locator(".join-languages li")
    expect(lines).to_have_count(5)
    expect(lines.first).to_have_attribute("lang", "sv")
    for line in lines.all():
        box = line.bounding_box()
        assert box and box["y"] + box["height"] <= 1080 and box["x"] >= 0, box
    assert page.evaluate("() => document.documentElement.scrollHeight") <= 1080
    fits(page, 1920)
    shot(page, "projector-ar-lobby", "projector-ar-lobby.png")


def test_the_facilitator_sets_the_languages_on_the_console(live_server, facilitator):
    """On a 1366 × 768 laptop: the folded Språk card, three languages ticked, the projector
    in Arabic, the Arabic question typed in; the saved card says so, and the projector
    speaks Arabic."""
    event = live_server.create_event(title="Verkstad", prompt="Hur reser vi hållbart?")
    api(live_server, "PUT", f"/events/{event['id']}/languages", json={"languages": ["sv"]})
    page = facilitator.new_page()
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/events/{event['id']}/console")
    card = page.locator(".languages-card")
    card.locator("summary", has_text="Ändra språken").click()
    for code in ("fi", "ar"):
        card.locator(f"#lang-{code}").check()
    card.locator("select[name=projector_language]").select_option("ar")
    card.locator("summary", has_text="العربية").click()
    card.locator("#prompt-ar").fill("كيف نتنقل بطريقة مستدامة؟")
    card.scroll_into_view_if_needed()
    shot(page, "console-languages")
    with page.expect_navigation():
        card.locator("button[type=submit]").click()
    assert page.url.endswith("#languages-heading")
    expect(page.locator(".languages-card p").first).to_contain_text("Suomi")
    expect(page.locator(".languages-card p").first).to_contain_text("العربية")
    projector = facilitator.new_page()
    projector.goto(f"{live_server.url}/events/{event['id']}/projector")
    expect(projector.locator(".prompt")).to_have_text("كيف نتنقل بطريقة مستدامة؟")
    assert projector.evaluate("() => document.documentElement.dir") == "rtl"


def test_the_language_page_from_a_phone(live_server, contexts):
    """The header's globe leads to one big button per language the event offers."""
    event, _swedish_id = room(live_server, "so", "Aqoon-is-weydaarsi", "Sidee u safarnaa?")
    page = contexts(**PHONE).new_page()
    page.goto(f"{live_server.url}/j/{event['code']}")
    shot(page, "phone-sv-header")
    with page.expect_navigation():
        page.locator("#language-link").click()
    expect(page.locator("#language-choices button")).to_have_text(["Svenska", "Soomaali"])
    no_axe_findings(page, "language page")
    shot(page, "language-page")
    with page.expect_navigation():
        page.locator("#language-choices button[data-lang=so]").click()
    assert page.url.endswith(f"/j/{event['code']}")
    expect(page.locator("h1")).to_have_text("Sidee u safarnaa?")


def test_a_right_to_left_projector_pages_forward_with_the_left_arrow(live_server, facilitator):
    """Pages read right to left, so ← turns to the next page and → goes back."""
    event = live_server.create_event(title="Verkstad", prompt="Hur reser vi hållbart?")
    api(live_server, "PUT", f"/events/{event['id']}/languages",
        json={"languages": ["sv", "ar"], "projector_language": "ar"})
    live_server.set_phase(event["id"], "collect")
    for n in range(40):
        api(live_server, "POST", f"/events/{event['id']}/paper-proposals",
            json={"title": f"اقتراح رقم {n + 1} عن النقل والطاقة في الحي"})
    page = facilitator.new_page()
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/events/{event['id']}/projector?page_seconds=600")
    root = page.locator("#projector")
    expect(root).to_have_attribute("data-page", "0")
    # Paged once drawn, over more than two pages (with two, back and forward meet).
    expect(root).not_to_have_attribute("data-pages", re.compile("^[12]$"))
    fits(page, 1920)
    shot(page, "projector-ar-wall")
    page.keyboard.press("ArrowLeft")
    expect(root).to_have_attribute("data-page", "1")
    page.keyboard.press("ArrowRight")
    expect(root).to_have_attribute("data-page", "0")
