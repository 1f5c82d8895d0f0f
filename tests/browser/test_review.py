"""The project team's review page in the real browser: filters across events, a status with a
public answer, and the resident's follow link from the phone."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, log_in
from .test_workshop import no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.live]
AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe.min.js"


def axe_violations(page) -> list:
    """Serious and critical findings of axe-core (from npm, copied by make) on the page."""
    assert AXE.exists(), "run make setup: axe.min.js is copied from npm"
    # From our own static files: the CSP refuses an inline copy, as it should.
    page.add_script_tag(url="/static/vendor/axe.min.js")
    found = page.evaluate("async () => (await axe.run()).violations"
                          ".filter(v => ['serious', 'critical'].includes(v.impact))"
                          ".map(v => v.id + ': ' + v.nodes.map(n => n.target).join(' '))")
    return found


def words_broken(page) -> list:
    """Words of the page's table headers, codes and status badges that the browser split across
    two lines ("Röst er"). A break after a dash or slash is a normal line break, not a split."""
    return page.evaluate("""() => {
        const broken = [];
        for (const cell of document.querySelectorAll('table th, table td code, table td .badge')) {
            const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                for (const m of node.data.matchAll(/[^\\s\\u2013\\u2014\\/-]+/g)) {
                    const range = document.createRange();
                    range.setStart(node, m.index);
                    range.setEnd(node, m.index + m[0].length);
                    const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
                    if (tops.size > 1) broken.push(m[0]);
                }
            }
        }
        return broken;
    }""")


def staff_page_is_wide_and_whole(page):
    """At 1440 px a staff page uses the width (not a 960 px column) and breaks no word."""
    page.set_viewport_size({"width": 1440, "height": 900})
    width = page.evaluate("document.querySelector('main').getBoundingClientRect().width")
    assert width > 1300, f"main is {width:.0f} px wide at 1440 px"
    assert words_broken(page) == []
    page.set_viewport_size(DESKTOP)


def _propose_and_vote(server, event, titles, votes):
    phones = [server.phone(event["code"]) for _ in range(votes)]
    ids = []
    for n, title in enumerate(titles):
        made = phones[0].http.post(f"{server.url}/api/v1/events/{event['id']}/proposals",
                                   json={"title": title,
                                         "client_id": f"review-prop-{event['id']}-{n}"})
        assert made.status_code == 201, made.text
        ids.append(made.json()["proposal"]["id"])
    server.set_phase(event["id"], "vote")
    for n, phone in enumerate(phones):
        for k, pid in enumerate(ids[: 1 + n % len(ids)]):
            voted = phone.http.post(f"{server.url}/api/v1/proposals/{pid}/votes",
                                    json={"client_id": f"rv-vote-{pid}-{n}-{k}"})
            assert voted.status_code == 201, voted.text
    return ids


def test_review_filters_answer_and_follow_link(live_server, contexts, phone, shots):
    base = live_server.url
    # The live server is shared with other tests: these names and the word are unique to it.
    workshop = live_server.create_event(title="Verkstad vid Kvarnbäcken",
                                        prompt="Hur cyklar fler?")
    dialogue = live_server.create_event(title="Rådslag om Kvarnbäcken", kind="radslag",
                                        prompt="Hur reser vi hållbart?")
    for event in (workshop, dialogue):
        live_server.set_phase(event["id"], "collect")

    # A resident writes a proposal on the phone; the follow link appears without a reload.
    resident = phone()
    resident.goto(f"{base}/j/{dialogue['code']}")
    expect(resident.locator("#connection")).to_have_attribute("data-state", "connected")
    resident.locator("#proposal-form [name=title]").fill("Cykelgarage vid Kvarnbäckens station")
    resident.locator("#proposal-form button[type=submit]").click()
    expect(resident.locator("#follow-box")).to_be_visible()
    follow_url = resident.locator("#follow-link").get_attribute("href")
    no_horizontal_scroll(resident)  # the long personal link wraps
    shots(resident, "phone-follow-box", full_page=False)
    assert re.search(r"/folj/[\w-]{16}$", follow_url)

    _propose_and_vote(live_server, workshop, ["Säkra cykelvägar längs Kvarnbäcken",
                                              "Fler bänkar i parken", "Belysning i tunneln"], 6)
    _propose_and_vote(live_server, dialogue, ["Tätare bussar på kvällen"], 3)

    reviewer = contexts(viewport=DESKTOP).new_page()
    log_in(reviewer, base, "rev@live.se")
    # Newest first: the shared server holds hundreds of earlier tests' unvoted proposals, and
    # in the default fair order this test's unvoted one would be past the first 300 rows.
    reviewer.goto(base + "/review/?sort=newest")
    rows = reviewer.locator("#review-table tbody tr[data-proposal-id]")
    mine = rows.filter(has_text="Kvarnbäcken")  # the event column names both events
    expect(mine).to_have_count(5)
    shots(reviewer, "review-all")
    staff_page_is_wide_and_whole(reviewer)

    reviewer.select_option("#f-kind", "radslag")
    with reviewer.expect_navigation():
        reviewer.locator("#review-filters button[type=submit]").click()
    expect(mine).to_have_count(2)
    expect(reviewer.locator("#review-table")).not_to_contain_text("Fler bänkar")
    reviewer.select_option("#f-kind", "")
    reviewer.fill("#f-theme", "kvarnbäcken")
    with reviewer.expect_navigation():
        reviewer.locator("#review-filters button[type=submit]").click()
    expect(rows).to_have_count(2)  # a word in the titles, from both events
    expect(reviewer.locator("#group-heading")).to_be_visible()
    shots(reviewer, "review-filtered")
    assert axe_violations(reviewer) == []

    reviewer.locator("#review-table a", has_text="Cykelgarage vid Kvarnbäckens").click()
    reviewer.select_option("#status", "not_pursued")
    reviewer.fill("#public_answer", "Stationen byggs om 2027; garaget ingår i den planen.")
    with reviewer.expect_navigation():
        reviewer.locator("#review-form button[type=submit]").click()
    expect(reviewer.locator("#decision")).to_contain_text("Drivs inte vidare")
    shots(reviewer, "review-proposal")
    assert axe_violations(reviewer) == []

    resident.goto(follow_url)
    expect(resident.locator(".follow-item")).to_contain_text("garaget ingår i den planen")
    shots(resident, "follow-page")
    assert axe_violations(resident) == []
    resident.locator("a", has_text="Alla förslag från aktiviteten").click()
    expect(resident.locator(".public-proposal")).to_have_count(2)
    shots(resident, "public-event")
    assert axe_violations(resident) == []
