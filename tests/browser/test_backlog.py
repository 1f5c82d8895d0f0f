"""From a vote in a workshop to the measure's public page, in real headless Chromium.

A phone votes; a reviewer creates the measure with the plain form and links the proposals
from the review page; anyone then reads the support on /atgarder/<id>, and the author's
follow page says what became of the proposal. Screenshots go to test-artifacts/screenshots/.
"""

import re
import uuid

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, log_in

pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_a_vote_becomes_support_on_the_public_measure_page(live_server, phone, contexts, shots):
    event = live_server.create_event(title="Verkstad om vintercykling")
    live_server.set_phase(event["id"], "collect")
    author = live_server.phone(event["code"])
    ids, follow = [], None
    for title in ("Belys cykelbanorna hela vintern", "Lys upp cykelvägen till jobbet"):
        answer = author.http.post(f"{live_server.url}/api/v1/events/{event['id']}/proposals",
                                  json={"title": title, "client_id": uuid.uuid4().hex})
        assert answer.status_code == 201, answer.text
        ids.append(answer.json()["proposal"]["id"])
        follow = follow or answer.json()["follow_url"]
    live_server.set_phase(event["id"], "vote")

    # A resident votes for both proposals on their phone: one person, counted once.
    resident = phone()
    resident.goto(f"{live_server.url}/j/{event['code']}")
    expect(resident.locator("#phone")).to_have_attribute("data-phase", "vote")
    for pid in ids:
        item = resident.locator(f"#proposal-{pid}")
        item.locator(".vote-button").click()
        expect(item.locator(".voted-note")).to_be_visible()
    other = live_server.phone(event["code"])
    assert other.http.post(f"{live_server.url}/api/v1/proposals/{ids[0]}/votes",
                           json={"client_id": uuid.uuid4().hex}).status_code in (200, 201)

    # The reviewer creates the measure with the no-JavaScript form.
    staff = contexts(viewport=DESKTOP).new_page()
    log_in(staff, live_server.url, "rev@live.se")
    staff.goto(live_server.url + "/backlog/new")
    staff.fill("#title", "Belysta cykelvägar i Ersboda")
    staff.fill("#owner", "Gatu- och parkförvaltningen")
    staff.fill("#reduction_low", "120")
    staff.fill("#reduction_high", "300")
    staff.fill("#investment_sek", "8 500 000")
    staff.fill("#yearly_cost_sek", "400 000")
    with staff.expect_navigation():
        staff.click("main form button.primary")
    measure_id = int(re.search(r"/backlog/(\d+)/edit", staff.url).group(1))
    # From the review page of each proposal: the link form, as a reviewer would.
    for pid, kind in zip(ids, ("supports", "duplicate"), strict=True):
        staff.goto(f"{live_server.url}/review/proposals/{pid}")
        form = staff.locator(f"form[action$='/backlog/proposals/{pid}/link']")
        form.locator(f"input[name=kind][value={kind}]").check()
        form.locator("select[name=measure_id]").select_option(str(measure_id))
        form.locator("textarea[name=reason]").fill("Ingår i gatuprogrammet 2027")
        with staff.expect_navigation():
            form.locator("button[type=submit]").click()
        expect(staff.locator(".backlog-link")).to_contain_text("Belysta cykelvägar i Ersboda")
    shots(staff, "backlog-review-linked")
    staff.goto(live_server.url + "/backlog/investment")
    expect(staff.locator("svg.macc title#macc-title")).to_have_count(1)
    # The support mark under the bar, in words: 2 phones of the 2 who voted (the vote runs,
    # staff see it).
    # Other tests share this server's backlog (the axe seeder's lit cycle paths too), so the
    # mark is found by this measure's own title.
    mark = staff.locator("svg.macc g.support title", has_text="Belysta cykelvägar i Ersboda")
    expect(mark).to_contain_text("2 av 2 röstande")
    expect(staff.locator("#investment-table tr", has_text="Belysta cykelvägar i Ersboda")
           ).to_contain_text("100 %")
    shots(staff, "backlog-investment")
    staff.set_viewport_size({"width": 1366, "height": 768})
    shots(staff, "backlog-investment-1366")

    # Anyone, without logging in, sees what became of the input: the support once the
    # event's results are out (while it votes, no public figure tells how the vote goes).
    public = contexts(viewport=DESKTOP).new_page()
    public.goto(f"{live_server.url}/atgarder/{measure_id}")
    expect(public.locator(".big-figure")).to_have_text("0 personer stödjer åtgärden")
    live_server.set_phase(event["id"], "results")
    public.goto(f"{live_server.url}/atgarder/{measure_id}")
    expect(public.locator("h1")).to_have_text("Belysta cykelvägar i Ersboda")
    expect(public.locator(".big-figure")).to_have_text("2 personer stödjer åtgärden")
    expect(public.get_by_text("Belys cykelbanorna hela vintern")).to_be_visible()
    expect(public.get_by_text("Ingår i gatuprogrammet 2027").first).to_be_visible()
    shots(public, "backlog-public-measure")

    # The author's personal follow link shows the proposal's new status and the measure.
    follower = phone()
    follower.goto(live_server.url + re.sub(r"^https?://[^/]+", "", follow))
    expect(follower.locator("main")).to_contain_text("Belys cykelbanorna hela vintern")
    expect(follower.locator("main")).to_contain_text("Belysta cykelvägar i Ersboda")
    expect(follower.locator("main")).to_contain_text("Finns i åtgärdsportföljen")
    shots(follower, "backlog-follow-page")
