"""The theme cloud in the real browser: live on the console, a filter that survives refreshes,
and on the projector once the facilitator turns it on."""

import re

import pytest
import requests

from .conftest import playwright_api

expect = playwright_api.expect
pytestmark = [pytest.mark.browser, pytest.mark.live]

PROPOSALS = [
    ("Fler cykelbanor", "Säkra cykelbanor till skolan"),
    ("Bänkar i parken", "Fler bänkar där äldre går"),
    ("Cykelbanan längs älven", "Bredda den"),
    ("Belysning i parken", "Mörkt på kvällen"),
    ("Tätare bussar", "Bussen går för sällan"),
]


def test_theme_cloud_filters_the_console_and_shows_on_the_projector(
        live_server, facilitator, shots):
    event = live_server.create_event(title="Temaverkstad")
    live_server.set_phase(event["id"], "collect")
    writer = live_server.phone(event["code"])

    def propose(n, title, body):
        response = writer.http.post(
            f"{live_server.url}/api/v1/events/{event['id']}/proposals",
            json={"title": title, "body": body, "client_id": f"theme-idea-{n:03d}"})
        assert response.status_code == 201, response.text

    for n, (title, body) in enumerate(PROPOSALS[:4]):
        propose(n, title, body)
    console = facilitator.new_page()
    console.goto(f"{live_server.url}/events/{event['id']}/console")
    projector = facilitator.new_page()
    projector.goto(f"{live_server.url}/events/{event['id']}/projector")
    cloud = console.locator("#theme-cloud")
    expect(cloud.locator("a.theme", has_text="parken")).to_contain_text("2 förslag")

    # Clicking a theme narrows the rows without a page load, with a way back.
    console.evaluate("window.__marker = 'same page'")
    cloud.locator("a.theme", has_text="parken").click()
    expect(cloud).to_contain_text("Visar förslag om «parken»")
    rows = console.locator("#console-rows tr[data-proposal-id]")
    expect(rows).to_have_count(2)
    assert re.search(r"\?theme=park$", console.url)
    # A new proposal arrives: cloud and rows refresh live, the filter stays.
    propose(4, "Grönare parken", "Träd och blommor i parken")
    expect(cloud.locator("a.theme", has_text="parken")).to_contain_text("3 förslag")
    expect(rows).to_have_count(3)
    expect(cloud.locator("a.theme[aria-current=true]")).to_have_attribute("data-theme", "park")
    shots(console, "themes-console")
    cloud.get_by_role("link", name="Visa alla").click()
    expect(rows).to_have_count(5)
    assert console.evaluate("window.__marker") == "same page"

    # The projector draws the cloud once the facilitator turns it on.
    expect(projector.locator("#themes")).to_be_hidden()
    response = requests.put(f"{live_server.url}/api/v1/events/{event['id']}/themes-display",
                            json={"show": True}, headers=live_server.auth())
    assert response.status_code == 200
    themes = projector.locator("#themes")
    expect(themes).to_be_visible()
    expect(themes).to_contain_text("parken 3 förslag")
    propose(5, "Cykelparkering vid parken", "")
    expect(themes).to_contain_text("parken 4 förslag")
    shots(projector, "themes-projector", full_page=False)
