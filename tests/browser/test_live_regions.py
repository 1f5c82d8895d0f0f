"""What a screen reader hears: a burst of new proposals as one coalesced sentence in the polite
region (phone and projector), never one announcement per proposal, and a phase change said at
once. Plus: nothing animates when the device asks for reduced motion."""

import uuid

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.live]

# Every text the region is given, in order, recorded from before the page's own scripts run.
RECORD = """
window.__said = [];
new MutationObserver(() => {
  for (const id of ['live-status', 'projector-news']) {
    const node = document.getElementById(id);
    if (node && node.textContent && node.textContent !== window.__last) {
      window.__last = node.textContent;
      window.__said.push(node.textContent);
    }
  }
}).observe(document, {subtree: true, childList: true, characterData: true});
"""
TITLES = ["Gröna tak på skolorna", "Solceller på idrottshallen", "Cykelkök i varje stadsdel"]


def test_a_burst_of_proposals_is_one_announcement_and_a_phase_change_is_said(
        live_server, phone, facilitator):
    event = live_server.create_event(title="Verkstad om tak")
    live_server.set_phase(event["id"], "collect")
    resident = phone()
    resident.add_init_script(RECORD)
    resident.goto(f"{live_server.url}/j/{event['code']}")
    expect(resident.locator("#connection")).to_have_attribute("data-state", "connected")
    projector = facilitator.new_page()
    projector.add_init_script(RECORD)
    projector.goto(f"{live_server.url}/events/{event['id']}/projector")
    expect(projector.locator("#projector-status")).to_have_attribute("data-state", "connected")
    for page in (resident, projector):
        expect(page.locator("[role=status]#live-status, #projector-news")).to_be_attached()

    other = live_server.phone(event["code"])
    for title in TITLES:
        answer = other.http.post(f"{live_server.url}/api/v1/events/{event['id']}/proposals",
                                 json={"title": title, "client_id": uuid.uuid4().hex})
        assert answer.status_code == 201, answer.text
    expect(resident.locator("#live-status")).to_have_text("3 nya förslag")
    expect(projector.locator("#projector-news")).to_have_text("3 nya förslag")
    expect(resident.locator("#proposal-list .proposal")).to_have_count(3)

    live_server.set_phase(event["id"], "vote")
    expect(resident.locator("#live-status")).to_have_text("Ny fas: Omröstning")
    expect(projector.locator("#projector-news")).to_have_text("Ny fas: Omröstning")
    for page in (resident, projector):
        said = page.evaluate("window.__said")
        assert said == ["3 nya förslag", "Ny fas: Omröstning"], said
    # The stage itself is not a live region: it would read every card of the wall aloud.
    assert projector.locator(".stage[aria-live]").count() == 0


def test_reduced_motion_stops_animations_and_transitions(live_server, facilitator, phone):
    event = live_server.create_event(title="Verkstad utan rörelse")
    live_server.set_phase(event["id"], "collect")
    other = live_server.phone(event["code"])
    answer = other.http.post(f"{live_server.url}/api/v1/events/{event['id']}/proposals",
                             json={"title": "Fler träd", "client_id": uuid.uuid4().hex})
    assert answer.status_code == 201
    moving = """() => [...document.querySelectorAll('*')].map((n) => getComputedStyle(n))
        .filter((s) => s.animationName !== 'none' || parseFloat(s.transitionDuration) > 0)
        .length"""
    projector = facilitator.new_page()
    projector.goto(f"{live_server.url}/events/{event['id']}/projector")
    expect(projector.locator("#wall .wall-card")).to_have_count(1)
    assert projector.evaluate(moving) > 0  # the card fades in by default: the check can fail
    projector.emulate_media(reduced_motion="reduce")
    assert projector.evaluate(moving) == 0
