"""WCAG 1.4.10 reflow: at 320 px width, and at 200 % zoom of a 1280 px screen (a 640 px wide
viewport), nothing needs sideways scrolling on the phone, join, follow, console or projector."""

import pytest
from playwright.sync_api import expect

from .a11y_support import Seeder
from .conftest import DESKTOP, log_in
from .test_workshop import no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.live]
LONG = ("Cykelparkeringsanläggningsutbyggnadsprogrammet vid Centralstationen",
        "Kollektivtrafikförsörjningsprogram med längre text som måste radbrytas snyggt")


@pytest.fixture(scope="module")
def events(live_server):
    seed = Seeder(live_server)
    collect, _phones, _ids, follow = seed.workshop_with_proposals([LONG, ("Fler träd", None)],
                                                                  tables=2)
    scale, phones, ids, _ = seed.workshop_with_proposals(
        [LONG, ("Fler bänkar", None)], voting={"method": "scale"})
    live_server.set_phase(scale["id"], "vote")
    seed.vote(phones[0], ids[0], score=4)
    return {"collect": collect, "scale": scale, "follow": follow}


def test_320_px_wide_phone_join_and_follow_pages(live_server, contexts, events):
    page = contexts(viewport={"width": 320, "height": 640}, is_mobile=True,
                    has_touch=True).new_page()
    base = live_server.url
    for url in (base + "/", f"{base}/j/{events['collect']['code']}",
                f"{base}/j/{events['scale']['code']}", events["follow"],
                events["follow"] + "/radera", base + "/tillganglighet", base + "/integritet",
                f"{base}/offentligt/{events['collect']['code']}"):
        page.goto(url)
        no_horizontal_scroll(page, 320)
    page.goto(f"{base}/j/{events['collect']['code']}")
    page.fill("#title", LONG[0])
    page.locator("#proposal-form button[type=submit]").click()
    expect(page.locator("#follow-box")).to_be_visible()
    no_horizontal_scroll(page, 320)


def test_console_and_projector_at_200_percent_zoom(live_server, contexts, events):
    # 200 % zoom of a 1280 × 720 screen lays out as a 640 × 360 CSS-pixel viewport.
    context = contexts(viewport={"width": DESKTOP["width"] // 2,
                                 "height": DESKTOP["height"] // 2}, device_scale_factor=2)
    page = context.new_page()
    log_in(page, live_server.url, "fac@live.se")
    for key in ("collect", "scale"):
        event = events[key]
        for view in ("console", "projector"):
            page.goto(f"{live_server.url}/events/{event['id']}/{view}")
            if view == "projector":
                expect(page.locator("#projector-status")).to_have_attribute(
                    "data-state", "connected")
            no_horizontal_scroll(page, 640)
    for path in ("/events", "/events/new", "/review/"):
        page.goto(live_server.url + path)
        no_horizontal_scroll(page, 640)
