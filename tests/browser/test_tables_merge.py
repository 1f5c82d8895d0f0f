"""A medborgarverkstad at two tables in the real browser: table cards, a merge, results.

The phones find their tables by the QR codes printed on the table cards (decoded from what
Chromium renders, as a phone camera would), two residents at different tables write the same
idea, and the facilitator merges them while the votes are in. The projector follows every step
without a reload; one person who voted for both counts once; the merge can be undone.
"""

import re

import pytest
import requests
from playwright.sync_api import Page, expect

from .qr import decode_qr
from .resident import submit, vote
from .test_workshop import assert_not_reloaded, click_phase, connected, mark, phone_in_phase

pytestmark = [pytest.mark.browser, pytest.mark.live]

PROMPT = "Hur får fler att cykla till Backaskolan?"
BIKE_A = "Fler cykelställ med tak vid skolan"
BIKE_B = "Cykelställ med tak vid skolan behövs"
BUS = "Gratis buss för unga på helger"


def bar(projector: Page, proposal_id: str):
    return projector.locator(f"#bars .bar-row[data-proposal-id='{proposal_id}'] .bar-value")


def test_two_tables_merge_votes_once_and_results_per_table(live_server, facilitator, contexts,
                                                           phone, shots):
    event = live_server.create_event(title="Cykelverkstad Backa", prompt=PROMPT,
                                     kind="medborgarverkstad", voting={"method": "approval"})
    base = live_server.url
    console = facilitator.new_page()
    console.goto(f"{base}/events/{event['id']}/console")
    tables_form = console.locator(f"form[action$='/events/{event['id']}/tables']")
    tables_form.locator("input[name=count]").fill("2")
    with console.expect_navigation():
        tables_form.locator("button[type=submit]").click()

    # The printed table cards: each QR code puts a phone at its table.
    cards = facilitator.new_page()
    cards.goto(f"{base}/events/{event['id']}/tables/cards")
    card_qrs = cards.locator(".tent-front .table-print-qr")  # the upside-down half prints only
    expect(card_qrs).to_have_count(2)
    urls = [decode_qr(card_qrs.nth(n), f"tables-card-qr-{n + 1}") for n in range(2)]
    assert [re.sub(r"^https?://[^/]+", "", u) for u in urls] == [
        f"/j/{event['code']}/bord/1", f"/j/{event['code']}/bord/2"]
    shots(cards, "tables-01-cards")

    projector = contexts(viewport={"width": 1280, "height": 720},
                         storage_state=facilitator.storage_state()).new_page()
    # The results are two slides (the ranking, the best at each table): turn them quickly.
    projector.goto(f"{base}/events/{event['id']}/projector?page_seconds=2")
    connected(projector, "#projector-status")
    mark(projector)

    at_one, at_two = phone(), phone()
    for page, url, table in ((at_one, urls[0], "Bord 1"), (at_two, urls[1], "Bord 2")):
        # The QR holds the public address; the test server answers on its own.
        page.goto(base + re.sub(r"^https?://[^/]+", "", url))
        expect(page.locator("#my-table")).to_have_text(table)
        connected(page, "#connection")
        mark(page)

    click_phase(console, "collect")
    for page in (at_one, at_two):
        phone_in_phase(page, "collect")
    target = submit(at_one, BIKE_A)
    source = submit(at_two, BIKE_B)
    bus = submit(at_two, BUS)
    expect(projector.locator("#wall .wall-card")).to_have_count(3)
    expect(console.locator(".duplicate-pairs li")).to_contain_text(BIKE_B)
    shots(projector, "tables-02-projector-collect", full_page=False)

    # Votes first: table 1 supports its idea, table 2's resident supports both bike ideas.
    click_phase(console, "vote")
    for page in (at_one, at_two):
        phone_in_phase(page, "vote")
    vote(at_one, target)
    vote(at_two, target)
    vote(at_two, source)
    vote(at_two, bus)
    expect(bar(projector, target)).to_have_text("2")
    expect(bar(projector, source)).to_have_text("1")
    expect(at_two.locator("#spent")).to_have_text("3")

    # The console suggests the pair; one press merges the newer into the older.
    # (A live console sends it over its socket: no page load.)
    pair = console.locator(".duplicate-pairs li", has_text=BIKE_B)
    mark(console)
    pair.get_by_role("button", name=re.compile("Slå ihop")).click()
    expect(console.locator(f"#row-{target}")).to_contain_text("Sammanslaget med")
    assert_not_reloaded(console)
    shots(console, "tables-03-console-merged")

    # One vote per person: the resident who backed both counts once, and gets a vote back.
    expect(bar(projector, target)).to_have_text("2")
    expect(projector.locator(f"#bars .bar-row[data-proposal-id='{source}']")).to_have_count(0)
    expect(at_two.locator("#spent")).to_have_text("2")
    merged_note = at_two.locator(f"#proposal-{source} .p-merged")
    expect(merged_note).to_be_visible()
    expect(merged_note.locator(".p-merged-link")).to_have_text(BIKE_A)
    expect(merged_note.locator(".p-own-title")).to_have_text(f"{BIKE_B} · ")  # its author's
    provenance = at_one.locator(f"#proposal-{target} .p-provenance")
    expect(provenance.locator("summary")).to_have_text("Sammanslaget av 2 förslag")
    expect(provenance).to_contain_text(BIKE_B)
    shots(at_two, "tables-04-phone-merged")
    shots(projector, "tables-04-projector-merged", full_page=False)

    # Results overall and per table: the merged idea belongs to table 1, where it was written.
    click_phase(console, "results")
    ranking = projector.locator("#ranking li")
    expect(ranking).to_have_count(2)
    expect(ranking.first).to_contain_text(BIKE_A)
    winners = projector.locator("#table-winners")
    expect(winners).to_be_visible()
    expect(winners).to_contain_text("Bord 1")
    expect(winners.locator("li", has_text="Bord 1")).to_contain_text(BIKE_A)
    expect(winners.locator("li", has_text="Bord 2")).to_contain_text(BUS)
    phone_in_phase(at_two, "results")
    expect(at_two.locator("#table-results")).to_contain_text(BUS)
    shots(projector, "tables-05-projector-results", full_page=False)
    shots(at_two, "tables-05-phone-results")

    # Undo: both ideas are back, each with the votes it had.
    # The undo is among the row's other buttons, under "Mer".
    console.locator(f"#row-{target} .more-box summary").click()
    undo = console.locator(f"#row-{target}").get_by_role(
        "button", name=re.compile("Ångra sammanslagning"))
    undo.click()
    expect(console.locator(f"#row-{source}")).to_have_attribute("data-status", "visible")
    expect(ranking).to_have_count(3)
    expect(projector.locator("#ranking")).to_contain_text(BIKE_B)
    expect(at_two.locator(f"#proposal-{source} .p-merged")).to_be_hidden()
    for page in (projector, at_one, at_two):
        assert_not_reloaded(page)


def test_phone_labels_a_scribes_and_a_paper_proposal_as_they_arrive(live_server, facilitator,
                                                                    phone):
    """The live list (phone/proposals.js) says where the table's own proposals came from:
    "Från bordets sekreterare" for the scribe's, "Från papper" for a note; a resident's own
    has no such label."""
    event = live_server.create_event(title="Sekreterarverkstad", tables=2)
    live_server.set_phase(event["id"], "collect")
    base = live_server.url
    cards = facilitator.new_page()
    cards.goto(f"{base}/events/{event['id']}/tables/cards")
    scribe_link = re.sub(r"/qr\.svg$", "", cards.locator(".scribe-print-card img").first
                         .get_attribute("src"))

    resident = phone()
    resident.goto(f"{base}/j/{event['code']}")
    connected(resident, "#connection")
    mark(resident)
    own = submit(resident, "Min egen idé")

    scribe = requests.Session()
    landing = scribe.get(base + scribe_link)
    assert landing.status_code == 200, landing.status_code
    csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', landing.text).group(1)
    made = scribe.post(f"{base}/api/v1/events/{event['id']}/scribe-proposals",
                       headers={"X-CSRFToken": csrf}, json={"title": "Bordets idé"})
    assert made.status_code == 201 and made.json()["proposal"]["source"] == "scribe"
    paper = requests.post(f"{base}/api/v1/events/{event['id']}/paper-proposals",
                          headers=live_server.auth(), json={"title": "Lappens idé", "table": 2})
    assert paper.status_code == 201 and paper.json()["proposal"]["source"] == "paper"

    items = resident.locator("#proposal-list .proposal")
    expect(items).to_have_count(3)
    expect(items.filter(has_text="Bordets idé").locator(".p-source")).to_have_text(
        "Från bordets sekreterare")
    expect(items.filter(has_text="Lappens idé").locator(".p-source")).to_have_text(
        "Från papper")
    expect(resident.locator(f"#proposal-{own} .p-source")).to_be_hidden()
    assert_not_reloaded(resident)
