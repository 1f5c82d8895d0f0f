"""The facilitator's console in a real room: a 1366 × 768 laptop, six tables, 45 proposals.

The newest proposal and its buttons are in the first view; approve, hide (with an undo), merge and
phase changes happen without a page load; a phase change and closing ask first; the merge list
chooses nothing by itself; the keyboard shortcuts are listed and work, never while typing; and
without JavaScript the same buttons are plain forms. (The same pages over plain HTTP:
tests/test_console_queue.py.)"""

import re
import time
import uuid

import pytest
import requests

from .conftest import log_in, playwright_api
from .test_workshop import assert_not_reloaded, mark

expect = playwright_api.expect
pytestmark = [pytest.mark.browser, pytest.mark.live]

LAPTOP = {"width": 1366, "height": 768}
TITLES = [
    "Belys cykelbanorna hela vintern", "Tätare bussar till universitetet",
    "Samåkningsparkering vid E4:an", "Reparationskafé i varje stadsdel",
    "Gratis kollektivtrafik för unga", "Cykelställ med tak vid stationen",
    "Lånecyklar vid tunnelbanan", "Trygga skolvägar", "Gågata på sommaren",
    "Snöröj gång- och cykelvägar först", "Bilpool i bostadsområdena",
    "Laddstolpar vid arbetsplatser", "Nattbussar på helger", "Sänkt hastighet i centrum",
    "Realtidsskyltar vid hållplatserna",
]


def seed_room(live_server, count=45, pending=3, **event):
    """A workshop with six tables in `collect`; `count` proposals from twelve phones at the
    tables, all approved but the `pending` newest. Returns the event and the ids, oldest first."""
    base, auth = live_server.url, live_server.auth()
    made = live_server.create_event(title="Medborgarverkstad: vardagsresor", moderation="pre",
                                    **event)
    requests.post(f"{base}/api/v1/events/{made['id']}/tables", json={"count": 6}, headers=auth)
    live_server.set_phase(made["id"], "collect")
    phones = [live_server.phone(made["code"]) for _ in range(min(count, 12))]
    for n, phone in enumerate(phones):
        phone.http.post(f"{base}/api/v1/events/{made['id']}/table", json={"table": n % 6 + 1})
    ids = []
    for n in range(count):
        answer = phones[n % len(phones)].http.post(
            f"{base}/api/v1/events/{made['id']}/proposals",
            json={"title": f"{TITLES[n % len(TITLES)]} ({n + 1})", "client_id": uuid.uuid4().hex})
        assert answer.status_code == 201, answer.text
        ids.append(answer.json()["proposal"]["id"])
    for pid in ids[:count - pending]:
        assert requests.post(f"{base}/api/v1/proposals/{pid}/approve",
                             headers=auth).status_code == 200
    return made, ids


def laptop(contexts, live_server, **options):
    page = contexts(viewport=LAPTOP, **options).new_page()
    log_in(page, live_server.url, "fac@live.se")
    return page


def open_console(page, live_server, event):
    page.goto(f"{live_server.url}/events/{event['id']}/console")
    expect(page.locator("#console-status")).to_have_attribute("data-state", "connected")
    mark(page)


def server_state(live_server, event) -> dict:
    state = requests.get(f"{live_server.url}/api/v1/events/{event['id']}/state",
                         headers=live_server.auth()).json()
    return {"phase": state["event"]["phase"],
            "status": {p["id"]: p["status"] for p in state["proposals"]}}


def test_the_newest_proposal_is_in_the_first_view_and_acts_without_a_page_load(
        live_server, contexts, shots):
    event, ids = seed_room(live_server, voting={"method": "dots", "dots": 5,
                                                "max_per_proposal": 3})
    page = laptop(contexts, live_server)
    open_console(page, live_server, event)
    shots(page, "console-room-first-view", full_page=False)

    rows = page.locator("#console-rows tr[data-proposal-id]")
    expect(rows).to_have_count(45)
    expect(rows.first).to_have_attribute("id", f"row-{ids[-1]}")  # newest first
    expect(page.locator("#queue-summary")).to_contain_text("3 väntar på godkännande")
    newest = page.locator(f"#row-{ids[-1]}")
    approve = newest.get_by_role("button", name=re.compile("^Godkänn"))
    hide = newest.locator("summary", has_text="Dölj")
    for control in (approve, hide):
        box = control.bounding_box()
        assert box and box["y"] + box["height"] <= LAPTOP["height"], box
    # The voting method and a key to the figures are on the page.
    expect(page.locator(".voting-method")).to_contain_text("prickar, 5 per person, högst 3")
    page.locator(".key-box summary").click()
    expect(page.locator(".figure-key")).to_contain_text("Handuppräckningar räknade i rummet")
    expect(page.locator(".figure-key")).to_contain_text("2 / 5 prickar")
    # A workshop shows no rådslag or referensgrupp panels.
    for absent in ("#schedule-heading", "#questions-heading", "#group"):
        expect(page.locator(absent)).to_have_count(0)

    # Each action fetches the rows once or twice (its ack, its push), never in a loop.
    fetches = []
    page.on("request", lambda r: fetches.append(r.url) if "/console/proposals" in r.url else None)
    started = time.monotonic()
    approve.click()
    expect(newest).to_have_attribute("data-status", "visible")
    approved_after = time.monotonic() - started
    expect(page.locator("#action-status")).to_contain_text("Godkänt:")
    expect(page.locator("#queue-summary")).to_contain_text("2 väntar på godkännande")

    # Hide: one press on a ready-made public reason, then an undo for a few seconds.
    hide.click()
    started = time.monotonic()
    newest.get_by_role("button", name="Personuppgifter").click()
    expect(newest).to_have_attribute("data-status", "hidden")
    hidden_after = time.monotonic() - started
    expect(newest).to_contain_text("Dolt: Personuppgifter")
    expect(page.locator("#action-status")).to_contain_text("Dolt:")
    undo = page.locator("#undo-button")
    expect(undo).to_be_visible()
    expect(undo).to_contain_text("Ångra")
    assert server_state(live_server, event)["status"][ids[-1]] == "hidden"
    undo.click()
    expect(newest).to_have_attribute("data-status", "visible")
    expect(undo).to_be_hidden()
    expect(page.locator("#action-status")).to_contain_text("Visas igen:")
    assert server_state(live_server, event)["status"][ids[-1]] == "visible"
    assert_not_reloaded(page)
    assert len(fetches) <= 6, f"{len(fetches)} row fetches for approve, hide and undo"
    print(f"\nconsole: approve {approved_after * 1000:.0f} ms, hide {hidden_after * 1000:.0f} ms "
          "from click to the row updated")


def test_a_phase_change_and_closing_ask_first(live_server, contexts):
    event, _ids = seed_room(live_server, count=4, pending=0)
    page = laptop(contexts, live_server)
    open_console(page, live_server, event)
    current = page.locator(".phases li[aria-current=step]")
    dialog = page.locator("#phase-dialog")

    page.get_by_role("button", name="Gå till: Omröstning").click()
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Starta omröstningen?")
    expect(dialog).to_contain_text("Telefonerna kan rösta. Nya förslag kan inte skickas.")
    dialog.get_by_role("button", name="Avbryt").click()
    expect(dialog).to_be_hidden()
    expect(current).to_have_attribute("data-phase", "collect")
    assert server_state(live_server, event)["phase"] == "collect"

    page.get_by_role("button", name="Gå till: Omröstning").click()
    dialog.get_by_role("button", name="Ja, starta omröstningen").click()
    expect(current).to_have_attribute("data-phase", "vote")
    assert server_state(live_server, event)["phase"] == "vote"
    expect(page.locator("#action-status")).to_contain_text("Omröstning")

    live_server.set_phase(event["id"], "results")  # e.g. from another staff laptop
    expect(current).to_have_attribute("data-phase", "results")
    page.get_by_role("button", name="Gå till: Avslutad").click()
    expect(dialog).to_contain_text("Avsluta aktiviteten?")
    expect(dialog).to_contain_text("Telefonerna kan inte längre skicka förslag eller rösta.")
    expect(dialog.get_by_role("button", name="Avbryt")).to_be_focused()  # the safe choice
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert server_state(live_server, event)["phase"] == "results"
    expect(current).to_have_attribute("data-phase", "results")

    page.get_by_role("button", name="Gå till: Avslutad").click()
    dialog.get_by_role("button", name="Ja, avsluta aktiviteten").click()
    expect(current).to_have_attribute("data-phase", "closed")
    assert server_state(live_server, event)["phase"] == "closed"
    expect(page.locator(".timer-bar")).to_have_count(0)  # the controls follow the phase
    assert_not_reloaded(page)


def test_countdown_vote_bars_and_themes_without_a_page_load(live_server, contexts):
    event, _ids = seed_room(live_server, count=4, pending=0, hide_tallies=True)
    live_server.set_phase(event["id"], "vote")
    page = laptop(contexts, live_server)
    open_console(page, live_server, event)

    def event_now() -> dict:
        return requests.get(f"{live_server.url}/api/v1/events/{event['id']}",
                            headers=live_server.auth(), timeout=10).json()

    page.get_by_role("button", name="Timer 2 min").click()
    expect(page.locator("#timer .timer-left")).to_have_text(re.compile(r"^[12]:\d\d$"))
    stop = page.get_by_role("button", name="Stoppa timer")
    expect(stop).to_be_visible()  # the head came back from the server with its stop button
    assert event_now()["timer_ends_at"]
    page.locator("#timer-minutes").fill("7")
    page.get_by_role("button", name="Starta timer").click()
    expect(page.locator("#timer .timer-left")).to_have_text(re.compile(r"^[67]:\d\d$"))
    stop.click()
    expect(page.locator("#timer")).to_be_hidden()
    expect(stop).to_have_count(0)
    assert event_now()["timer_ends_at"] is None

    page.get_by_role("button", name="Visa röststaplarna på projektorn").click()
    expect(page.get_by_role("button", name="Dölj röststaplarna på projektorn")).to_be_visible()
    assert event_now()["tallies_revealed"] is True

    themes = page.locator("#themes-form button")
    expect(themes).to_have_text("Visa temana på projektorn")
    themes.click()
    expect(themes).to_have_text("Dölj temana på projektorn")
    themes.click()
    expect(themes).to_have_text("Visa temana på projektorn")
    requests.put(f"{live_server.url}/api/v1/events/{event['id']}/themes-display",
                 json={"show": True}, headers=live_server.auth(), timeout=10)
    expect(themes).to_have_text("Dölj temana på projektorn")  # another laptop turned it on
    assert_not_reloaded(page)


def test_the_merge_list_chooses_nothing_by_itself(live_server, contexts):
    event, ids = seed_room(live_server, count=3, pending=0)
    page = laptop(contexts, live_server)
    open_console(page, live_server, event)
    row = page.locator(f"#row-{ids[-1]}")
    row.locator("summary", has_text="Mer").click()
    select = row.locator("select[name=target_id]")
    expect(select).to_have_value("")
    expect(select.locator("option").first).to_have_text("Välj förslag…")
    row.get_by_role("button", name=re.compile("^Slå ihop")).click()
    expect(row.locator(".merge-form .error")).to_be_visible()
    expect(row.locator(".merge-form .error")).to_have_text("Välj ett förslag.")
    expect(select).to_have_attribute("aria-invalid", "true")
    assert set(server_state(live_server, event)["status"].values()) == {"visible"}

    select.select_option(str(ids[0]))
    expect(row.locator(".merge-form .error")).to_be_hidden()
    row.get_by_role("button", name=re.compile("^Slå ihop")).click()
    expect(row).to_have_attribute("data-status", "merged")
    expect(page.locator(f"#row-{ids[0]}")).to_contain_text("Sammanslaget med")
    assert server_state(live_server, event)["status"][ids[-1]] == "merged"
    assert_not_reloaded(page)


def test_keyboard_shortcuts_are_listed_and_never_fire_while_typing(live_server, contexts):
    event, ids = seed_room(live_server, count=6, pending=2)
    page = laptop(contexts, live_server)
    open_console(page, live_server, event)
    listed = page.locator("#shortcuts")
    expect(listed).to_be_visible()
    for key in ("j", "k", "n", "a", "h", "u"):
        expect(listed.locator("kbd", has_text=key)).to_have_count(1)

    # Typing in a field is typing: no approvals, no focus jumps.
    page.locator(".paper-box summary").click()
    page.locator("#paper-title").press_sequentially("jahnu")
    expect(page.locator("#paper-title")).to_have_value("jahnu")
    expect(page.locator("#paper-title")).to_be_focused()
    expect(page.locator("#queue-summary")).to_contain_text("2 väntar på godkännande")
    page.locator(".paper-box summary").click()

    newest, second = page.locator(f"#row-{ids[-1]}"), page.locator(f"#row-{ids[-2]}")
    page.keyboard.press("n")  # the next proposal waiting for approval
    expect(newest).to_be_focused()
    page.keyboard.press("a")
    expect(newest).to_have_attribute("data-status", "visible")
    expect(newest).to_be_focused()
    page.keyboard.press("n")
    expect(second).to_be_focused()
    page.keyboard.press("j")
    expect(page.locator(f"#row-{ids[-3]}")).to_be_focused()
    page.keyboard.press("k")
    expect(second).to_be_focused()
    page.keyboard.press("h")  # the reasons open, the first has the focus
    expect(second.get_by_role("button", name="Personuppgifter")).to_be_focused()
    page.keyboard.press("Enter")
    expect(second).to_have_attribute("data-status", "hidden")
    expect(second).to_be_focused()
    page.keyboard.press("u")
    expect(second).to_have_attribute("data-status", "visible")
    assert server_state(live_server, event)["status"][ids[-2]] == "visible"

    # Switched off, a letter is only a letter.
    page.locator("#shortcuts-on").uncheck()
    second.focus()
    page.keyboard.press("j")
    expect(second).to_be_focused()
    assert_not_reloaded(page)


def test_hide_undo_and_phase_work_as_plain_forms_without_javascript(live_server, contexts):
    event, ids = seed_room(live_server, count=3, pending=0)
    page = laptop(contexts, live_server, java_script_enabled=False)
    page.goto(f"{live_server.url}/events/{event['id']}/console")
    expect(page.locator("#shortcuts")).to_be_hidden()  # keys need JavaScript
    row = page.locator(f"#row-{ids[-1]}")
    row.locator("summary", has_text="Dölj").click()
    with page.expect_navigation():
        row.get_by_role("button", name="Dubblett").click()
    expect(row).to_have_attribute("data-status", "hidden")
    offer = page.locator("#undo-hidden")
    expect(offer).to_contain_text(TITLES[2])
    with page.expect_navigation():
        offer.get_by_role("button", name="Ångra: visa det igen").click()
    expect(row).to_have_attribute("data-status", "visible")
    assert server_state(live_server, event)["status"][ids[-1]] == "visible"

    # A phase button answers with a page that asks; "Avbryt" changes nothing.
    with page.expect_navigation():
        page.get_by_role("button", name="Gå till: Omröstning").click()
    expect(page.locator("h1")).to_have_text("Starta omröstningen?")
    with page.expect_navigation():
        page.get_by_role("link", name="Avbryt").click()
    assert server_state(live_server, event)["phase"] == "collect"
    with page.expect_navigation():
        page.get_by_role("button", name="Gå till: Omröstning").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Ja, starta omröstningen").click()
    expect(page.locator(".phases li[aria-current=step]")).to_have_attribute("data-phase", "vote")
