"""Keyboard only: a resident joins, chooses a table, writes a proposal, votes, takes the vote back
and rates on a 1–5 scale; the facilitator logs in, starts the timer, opens voting, shows the
results and reveals the bars. Only page.keyboard acts on the pages (page.goto stands for
scanning the QR code). Every focus stop must show a ring, and after each action the focus must
be somewhere sensible, never dropped to the page."""

import uuid

import pytest
import requests
from playwright.sync_api import expect

from .conftest import DESKTOP, PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.live]

FOCUSED = """([selector, text]) => {
  const e = document.activeElement;
  if (!e || e === document.body) return {ring: false, match: false, what: 'body'};
  const s = getComputedStyle(e);
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
               || s.boxShadow !== 'none';
  const label = (e.innerText || e.value || e.getAttribute('aria-label') || '').trim();
  return {ring, match: e.matches(selector) && (!text || label.includes(text)),
          what: `${e.tagName.toLowerCase()}#${e.id}.${e.className} «${label.slice(0, 40)}»`};
}"""


def focused(page, selector="*", text=None) -> dict:
    return page.evaluate(FOCUSED, [selector, text])


def tab_to(page, selector, text=None, limit=80, key="Tab"):
    """Tab until the focus is on `selector` (with `text`), checking the ring at every stop."""
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        now = focused(page, selector, text)
        seen.append(now["what"])
        assert now["ring"], f"no visible focus on {now['what']} ({page.url})"
        if now["match"]:
            return
    raise AssertionError(f"never reached {selector} {text!r}; went through {seen}")


def assert_focus_on(page, selector, text=None):
    now = focused(page, selector, text)
    assert now["match"], f"focus is on {now['what']}, expected {selector} {text!r}"
    assert now["ring"], f"no visible focus on {now['what']}"


def keyboard_login(page, base):
    page.goto(base + "/login")
    tab_to(page, "#email")
    page.keyboard.type("fac@live.se")
    tab_to(page, "#password")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/login" not in page.url


def test_the_resident_flow_and_the_facilitator_controls_by_keyboard(live_server, phone,
                                                                    contexts):
    base = live_server.url
    event = live_server.create_event(title="Tangentbordsverkstad", hide_tallies=True)
    # The API sets up what the room already had; the flow itself is all keyboard.
    assert requests.post(f"{base}/api/v1/events/{event['id']}/tables", json={"count": 2},
                         headers=live_server.auth()).status_code == 200
    live_server.set_phase(event["id"], "collect")
    neighbour = live_server.phone(event["code"])
    theirs = neighbour.http.post(f"{base}/api/v1/events/{event['id']}/proposals",
                                 json={"title": "Fler träd på torget",
                                       "client_id": uuid.uuid4().hex})
    assert theirs.status_code == 201, theirs.text
    theirs_id = theirs.json()["proposal"]["id"]

    resident = phone()
    resident.goto(f"{base}/j/{event['code']}")
    expect(resident.locator("#connection")).to_have_attribute("data-state", "connected")

    # The skip link comes first and takes the focus to the content.
    resident.keyboard.press("Tab")
    assert_focus_on(resident, ".skip-link")
    resident.keyboard.press("Enter")
    assert resident.evaluate("() => document.activeElement.id") == "main"

    # Choose a table with the arrow keys, save it with Enter (a plain form post).
    tab_to(resident, "select#table")
    for _ in range(3):
        if resident.evaluate("() => document.activeElement.selectedOptions[0].text") == "Bord 2":
            break
        resident.keyboard.press("ArrowDown")
    tab_to(resident, "#table-form button[type=submit]")
    with resident.expect_navigation():
        resident.keyboard.press("Enter")
    expect(resident.locator("#my-table")).to_have_text("Bord 2")
    assert resident.url.endswith("#table-heading")
    expect(resident.locator("#connection")).to_have_attribute("data-state", "connected")
    resident.keyboard.press("Tab")  # the next Tab goes on from the table, not from the top
    assert_focus_on(resident, "#table-form select, #table-form button")

    # Write and send a proposal: the form is above the table (the phase's action comes first).
    tab_to(resident, "#title", key="Shift+Tab")
    resident.keyboard.type("Cykelbana längs ån")
    tab_to(resident, "#proposal-form button[type=submit]")
    resident.keyboard.press("Enter")
    expect(resident.locator("#proposal-form .form-status")).to_contain_text("Tack")
    assert_focus_on(resident, "#proposal-form button[type=submit]")

    # The facilitator, also by keyboard: log in, start the timer, open voting.
    staff = contexts(viewport=DESKTOP).new_page()
    keyboard_login(staff, base)
    staff.goto(f"{base}/events/{event['id']}/console")
    # Live, the timer and the phase buttons go over the socket; before that they post the form
    # (a page load, whose focus starts at the top). Wait as a person waits for "live".
    expect(staff.locator("#console-status")).to_have_attribute("data-state", "connected")
    tab_to(staff, "button", "Timer 5 min")
    staff.keyboard.press("Enter")
    expect(staff.locator("#timer")).to_be_visible()
    # The controls come back from the server (now with "stop"); the focus goes on from the
    # phase heading, not from the top of the page.
    expect(staff.get_by_role("button", name="Stoppa timer")).to_be_visible()
    expect(staff.locator("#phase-heading")).to_be_focused()
    staff.keyboard.press("Tab")
    assert_focus_on(staff, ".phase-buttons button")
    tab_to(staff, "button", "Gå till: Omröstning")
    staff.keyboard.press("Enter")
    # The console asks first; "yes" has the focus, Enter says it.
    assert_focus_on(staff, "#phase-dialog-confirm", "Ja, starta omröstningen")
    staff.keyboard.press("Enter")
    expect(staff.locator(".phases li[aria-current=step]")).to_have_attribute("data-phase", "vote")
    assert_focus_on(staff, "#phase-heading")  # the next Tab is the phase buttons again

    # The resident votes with Space, takes it back with Enter, and votes again.
    expect(resident.locator("#phone")).to_have_attribute("data-phase", "vote")
    item = resident.locator(f"#proposal-{theirs_id}")
    tab_to(resident, f"#proposal-{theirs_id} .vote-button")
    resident.keyboard.press("Space")
    expect(item.locator(".voted-note")).to_be_visible()
    assert_focus_on(resident, f"#proposal-{theirs_id} .withdraw-form button")
    resident.keyboard.press("Enter")
    expect(item.locator(".voted-note")).to_be_hidden()
    assert_focus_on(resident, f"#proposal-{theirs_id} .vote-button")
    resident.keyboard.press("Enter")
    expect(item.locator(".voted-note")).to_be_visible()
    expect(staff.locator("#voters")).to_have_text("1")
    staff.wait_for_load_state()

    # Results, then the bars revealed on the projector.
    tab_to(staff, "button", "Gå till: Resultat")
    staff.keyboard.press("Enter")
    assert_focus_on(staff, "#phase-dialog-confirm", "Ja, visa resultatet")
    staff.keyboard.press("Enter")
    expect(staff.locator(".phases li[aria-current=step]")).to_have_attribute(
        "data-phase", "results")
    staff.wait_for_load_state()
    tab_to(staff, "button", "Visa röststaplarna på projektorn")
    staff.keyboard.press("Enter")
    expect(staff.locator("button", has_text="Dölj röststaplarna på projektorn")).to_be_visible()
    expect(resident.locator("#results li").first).to_contain_text("Fler träd på torget")


def test_a_scale_rating_with_the_arrow_keys(live_server, phone):
    base = live_server.url
    event = live_server.create_event(title="Tangentbordsrådslag", kind="radslag",
                                     voting={"method": "scale"})
    live_server.set_phase(event["id"], "collect")
    other = live_server.phone(event["code"])
    made = other.http.post(f"{base}/api/v1/events/{event['id']}/proposals",
                           json={"title": "Tystare gator", "client_id": uuid.uuid4().hex})
    assert made.status_code == 201, made.text
    pid = made.json()["proposal"]["id"]
    live_server.set_phase(event["id"], "vote")

    resident = phone()
    resident.goto(f"{base}/j/{event['code']}")
    expect(resident.locator("#connection")).to_have_attribute("data-state", "connected")
    tab_to(resident, f"#proposal-{pid} input[name=score]")
    for _ in range(3):
        resident.keyboard.press("ArrowRight")  # 1 → 4: arrows move within the radio group
    assert_focus_on(resident, f"#proposal-{pid} input[value='4']")
    assert resident.locator(f"#proposal-{pid} input[value='4']").is_checked()
    tab_to(resident, f"#proposal-{pid} .scale-form button[type=submit]")
    resident.keyboard.press("Enter")
    item = resident.locator(f"#proposal-{pid}")
    expect(item.locator(".my-score")).to_have_text("4")
    assert_focus_on(resident, f"#proposal-{pid} .withdraw-form button")
    resident.keyboard.press("Enter")
    expect(item.locator(".voted-note")).to_be_hidden()
    assert_focus_on(resident, f"#proposal-{pid} .scale-form button")
