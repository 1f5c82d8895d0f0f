"""A whole medborgarverkstad, as people would run it, in real headless Chromium.

The facilitator logs in and creates the workshop with the real form; the projector shows a QR
code, and three phones join at the address zbar reads off it (one of them with JavaScript
off). They write proposals, two alike that the facilitator merges, vote and see the results,
while the projector follows without a reload. Afterwards a reviewer links the winner to a
measure in the backlog with a public answer, and its author's follow link shows the outcome.

Screenshots of each step: test-artifacts/screenshots/e2e-NN-<step>.png. With DOCS_IMAGES set
(`make screenshots`), the README's pictures of merging, review and the follow page are written
there too; the room's pictures come from the 60-person workshop in test_projector_room.py.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from ..support.live import LiveServer
from .conftest import DESKTOP, ROOT, SCREENSHOTS, log_in
from .qr import decode_qr
from .resident import submit, vote
from .test_workshop import assert_not_reloaded, click_phase, connected, mark, phone_in_phase

pytestmark = [pytest.mark.browser, pytest.mark.live]

TITLE = "Medborgarverkstad Gamlestaden"
PROMPT = "Hur blir det lättare att ta sig till Gamlestadstorget utan bil?"
BIKE = "Cykelbana hela vägen längs Gamlestadsvägen"
BIKE_ALIKE = "Cykelbana längs hela Gamlestadsvägen"
BUS = "Tätare kvällsbussar till Gamlestadstorget"
MEASURE = "Sammanhängande cykelstråk Gamlestaden"
ANSWER = "Stråket utreds 2026 tillsammans med trafikkontoret."
DOCS = os.environ.get("DOCS_IMAGES")


# The address the README's pictures show; the browser still talks to the test server.
DOCS_PUBLIC_URL = "https://delaktighet.stad.example"


@pytest.fixture(scope="module")
def live_server(live_server, tmp_path_factory):
    """The shared server, or, for the README's pictures, one that names a public address."""
    if not DOCS:
        yield live_server
        return
    server = LiveServer(tmp_path_factory.mktemp("docs"), {"PUBLIC_BASE_URL": DOCS_PUBLIC_URL})
    server.start()
    yield server
    server.stop()


def local(url: str, base: str) -> str:
    """A link the pages print (with the public address), opened on the test server."""
    return base + re.sub(r"^https?://[^/]+", "", url)


class Steps:
    """Numbered screenshots of the run; some also become the README's images."""

    def __init__(self):
        self.n = 0
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.docs = Path(ROOT, DOCS) if DOCS else None
        if self.docs:
            self.docs.mkdir(parents=True, exist_ok=True)

    def __call__(self, page: Page, step: str, doc: str | None = None, full_page=True,
                 show: Locator | None = None, element=False, doc_full=False):
        self.n += 1
        page.screenshot(path=str(SCREENSHOTS / f"e2e-{self.n:02d}-{step}.png"),
                        full_page=full_page, animations="disabled")
        if not (doc and self.docs):
            return
        path = str(self.docs / f"{doc}.png")
        if show is not None and element:
            show.screenshot(path=path, animations="disabled")
            return
        if show is not None:
            # What a person sees after scrolling to the part that matters here.
            show.evaluate("(n) => window.scrollTo(0, n.getBoundingClientRect().top"
                          " + window.scrollY - 12)")
        page.screenshot(path=path, full_page=doc_full, animations="disabled")


def reload_in_phase(page: Page, phase: str):
    """Without JavaScript nothing pushes the phase: the resident reloads, as they would."""
    page.reload()
    phone_in_phase(page, phase)


def test_a_workshop_from_creation_to_the_follow_page(live_server, facilitator, contexts, phone):
    shot = Steps()
    base, public = live_server.url, live_server.env["PUBLIC_BASE_URL"]

    # 1. The facilitator (logged in through /login by the fixture) creates the workshop.
    console = facilitator.new_page()
    console.goto(base + "/events")
    console.get_by_role("link", name="Ny aktivitet").click()
    console.fill("#title", TITLE)
    console.fill("#prompt", PROMPT)
    console.select_option("#kind", "medborgarverkstad")
    console.check("input[name=voting_method][value=approval]")
    shot(console, "create-form")
    with console.expect_navigation():
        console.get_by_role("button", name="Skapa aktivitet").click()
    event_id = re.search(r"/events/(\d+)/console", console.url).group(1)
    expect(console.locator("h1")).to_contain_text(TITLE)

    # 2. The projector, opened from the console, shows the QR code the room scans.
    with facilitator.expect_page() as opened:
        console.get_by_role("link", name="Öppna projektorvyn").click()
    projector = opened.value
    expect(projector).to_have_url(f"{base}/events/{event_id}/projector")
    connected(projector, "#projector-status")
    mark(projector)
    code = projector.locator(".join-code strong").inner_text()
    join_url = decode_qr(projector.locator("#qr"), "e2e-projector-qr")
    assert join_url == f"{public}/j/{code}", join_url
    expect(projector.locator(".join-url")).to_have_text(join_url.split("://", 1)[1])

    # 3. Three phones join at the address in the QR code; one has JavaScript turned off.
    amina, erik = phone(), phone()
    karin = phone(java_script_enabled=False)
    for page in (amina, erik, karin):
        page.goto(local(join_url, base))
        expect(page.locator("h1")).to_have_text(PROMPT)
        phone_in_phase(page, "lobby")
    for page in (amina, erik):
        connected(page, "#connection")
        mark(page)
    karin.locator("#display_name").fill("Karin")
    with karin.expect_navigation():
        karin.locator(".name-form button[type=submit]").click()
    expect(karin.locator("#display_name")).to_have_value("Karin")
    expect(projector.locator("#connected")).to_have_text("2")  # the no-JS phone has no socket
    shot(amina, "phone-joined")
    shot(projector, "projector-lobby", full_page=False)

    # 4. Collect: proposals land on the projector's wall as they are sent.
    click_phase(console, "collect")
    for page in (amina, erik):
        phone_in_phase(page, "collect")
    reload_in_phase(karin, "collect")
    bike = submit(amina, BIKE, "Idag tar cykelbanan slut vid Artillerigatan.")
    expect(amina.locator("#follow-box")).to_be_visible()
    follow_url = amina.locator("#follow-link").get_attribute("href")
    assert re.fullmatch(rf"{re.escape(public)}/folj/[\w-]{{16}}", follow_url), follow_url
    bus = submit(erik, BUS)
    wall = projector.locator("#wall .wall-card")
    expect(wall).to_have_count(2)
    form = karin.locator("#proposal-form")
    form.locator("[name=title]").fill(BIKE_ALIKE)
    with karin.expect_navigation():
        form.locator("button[type=submit]").click()
    alike_item = karin.locator("#proposal-list .proposal.mine", has_text=BIKE_ALIKE)
    expect(alike_item).to_have_count(1)
    alike = alike_item.get_attribute("data-proposal-id")
    expect(wall).to_have_count(3)
    expect(projector.locator("#wall")).to_contain_text(BIKE_ALIKE)
    expect(erik.locator("#proposal-list .proposal")).to_have_count(3)
    shot(erik, "phone-collect", full_page=False)  # its first screen
    shot(projector, "projector-wall", full_page=False)

    # The console pairs the two bike proposals; one press merges the newer into the older.
    pair = console.locator(".duplicate-pairs li", has_text=BIKE_ALIKE)
    expect(pair).to_contain_text(BIKE)
    shot(console, "console-duplicates", doc="console-merge",
         show=console.locator("section[aria-labelledby=mod-heading]"), element=True)
    mark(console)  # a live console merges over its socket, without a page load
    pair.get_by_role("button", name=re.compile("Slå ihop")).click()
    expect(console.locator(f"#row-{bike}")).to_contain_text("Sammanslaget med")
    assert_not_reloaded(console)
    # The merged card stays on the wall as a pointer to the proposal it joined.
    expect(projector.locator("#wall .wall-card.merged")).to_have_text(
        f"Sammanslaget med förslaget: {BIKE}")
    expect(projector.locator("#wall .wall-card:not(.merged) h3")).to_have_count(2)
    expect(projector.locator("#wall")).not_to_contain_text(BIKE_ALIKE)
    expect(amina.locator(f"#proposal-{bike} .p-provenance")).to_contain_text(BIKE_ALIKE)
    shot(console, "console-merged")

    # 5. Vote: the bars move on the projector; Karin votes with plain forms.
    click_phase(console, "vote")
    for page in (amina, erik):
        phone_in_phase(page, "vote")
    reload_in_phase(karin, "vote")
    bars = projector.locator("#bars")
    expect(bars).to_be_visible()
    expect(bars.locator(".bar-row")).to_have_count(2)
    vote(amina, bike)
    vote(erik, bike)
    vote(erik, bus)
    expect(karin.locator(f"#proposal-{alike} .p-merged-link")).to_have_text(BIKE)
    with karin.expect_navigation():
        karin.locator(f"#proposal-{bike} .vote-button").click()
    expect(karin.locator(f"#proposal-{bike} .voted-note")).to_be_visible()
    expect(karin.locator("#spent")).to_have_text("1")
    bar = bars.locator(f".bar-row[data-proposal-id='{bike}'] .bar-value")
    expect(bar).to_have_text("3")
    expect(bars.locator(f".bar-row[data-proposal-id='{bus}'] .bar-value")).to_have_text("1")
    expect(bars.locator(".bar-row").first).to_have_attribute("data-proposal-id", bike)
    expect(console.locator(f"#row-{bike} .tally")).to_have_text("3")
    shot(amina, "phone-voted", full_page=False)
    shot(karin, "phone-nojs-voted")
    shot(projector, "projector-bars", full_page=False)

    # 6. Results on the projector and on every phone.
    click_phase(console, "results")
    ranking = projector.locator("#ranking .rank-row")
    expect(ranking).to_have_count(2)
    expect(ranking.first).to_contain_text(BIKE)
    for page in (amina, erik):
        phone_in_phase(page, "results")
    reload_in_phase(karin, "results")
    for page in (amina, erik, karin):
        expect(page.locator("#results li").first).to_contain_text(BIKE)
        expect(page.locator("#results li").first).to_contain_text("3 personer")
    shot(projector, "projector-results", full_page=False)
    shot(amina, "phone-results")
    for page in (projector, amina, erik):
        assert_not_reloaded(page)

    # 7. A reviewer creates a measure in the backlog and links the winner to it.
    reviewer = contexts(viewport=DESKTOP).new_page()
    log_in(reviewer, base, "rev@live.se")
    reviewer.get_by_role("link", name="Åtgärdsportfölj").first.click()
    reviewer.get_by_role("link", name="Ny åtgärd").click()
    reviewer.fill("#title", MEASURE)
    reviewer.fill("#owner", "Stadsmiljöförvaltningen")
    reviewer.fill("#reduction_low", "80")
    reviewer.fill("#reduction_high", "210")
    reviewer.fill("#investment_sek", "12 000 000")
    with reviewer.expect_navigation():
        reviewer.click("main form button.primary")
    measure_id = re.search(r"/backlog/(\d+)/edit", reviewer.url).group(1)

    reviewer.get_by_role("link", name="Granskning").first.click()
    reviewer.locator("#review-table a", has_text=BIKE).click()
    expect(reviewer.locator("h1")).to_have_text(BIKE)
    reviewer.select_option("#status", "reviewing")
    reviewer.fill("#public_answer", ANSWER)
    with reviewer.expect_navigation():
        reviewer.locator("#review-form button[type=submit]").click()
    expect(reviewer.locator("#decision")).to_contain_text(ANSWER)
    link = reviewer.locator(f"form[action$='/backlog/proposals/{bike}/link']")
    link.locator("input[name=kind][value=supports]").check()
    link.locator("select[name=measure_id]").select_option(measure_id)
    link.locator("textarea[name=reason]").fill("Ingår i cykelprogrammet.")
    with reviewer.expect_navigation():
        link.get_by_role("button", name="Spara kopplingen").click()
    expect(reviewer.locator(".backlog-link")).to_contain_text(MEASURE)
    expect(reviewer.locator("#decision")).to_contain_text("Finns i åtgärdsportföljen")
    shot(reviewer, "review-linked", doc="review")

    # 8. Amina's follow link, from her phone, says what became of her proposal.
    amina.goto(local(follow_url, base))
    item = amina.locator(f".follow-item#p{bike}")
    expect(item).to_contain_text(BIKE)
    expect(item.locator(".badge")).to_have_text("Finns i åtgärdsportföljen")
    expect(item.get_by_role("link", name=MEASURE)).to_be_visible()
    expect(item.locator(".timeline")).to_contain_text(ANSWER)
    shot(amina, "phone-follow", doc="phone-follow", doc_full=True)
