"""Climate facts while proposing, on a phone: typing a proposal like a measure of the backlog
shows it with its status and tonnes in plain Swedish, a link to its public page, and, since it
is on this event's budget ballot, "Stöd åtgärden", which only says where to tick it (voting has
not opened): nothing is ticked or sent."""

import pytest
import requests
from playwright.sync_api import expect

from .a11y_support import run_axe

pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_typing_shows_a_similar_measure_with_its_facts(live_server, phone):
    made = requests.post(live_server.url + "/api/v1/measures",
                         headers=live_server.auth("rev@live.se"),
                         json={"title": "Värmepumpar i förskolornas kök", "status": "planned",
                               "investment_sek": 400_000, "reduction_low": 80,
                               "reduction_high": 210})
    assert made.status_code == 201, made.text
    measure_id = made.json()["measure"]["id"]
    event = live_server.create_event(title="Klimatfakta", prompt="Vad ska vi göra?",
                                     kind="radslag", voting={"method": "budget",
                                                             "budget_sek": 1_000_000,
                                                             "measure_ids": [measure_id]})
    live_server.set_phase(event["id"], "collect")
    resident = phone()
    resident.goto(f"{live_server.url}/j/{event['code']}")
    resident.wait_for_selector("#phone[data-synced]", state="attached")
    box = resident.locator("#similar-measures-box")
    expect(box).to_be_hidden()
    resident.locator("#title").press_sequentially("Värmepumpar i förskolorna", delay=20)
    expect(box).to_be_visible()
    item = box.locator("li").first
    expect(item).to_contain_text("Liknar åtgärden Värmepumpar i förskolornas kök "
                                 "(planerad, ca 80–210 ton/år)")
    expect(item.get_by_role("link", name="Värmepumpar i förskolornas kök")).to_have_attribute(
        "href", f"/atgarder/{measure_id}")
    item.get_by_role("link", name="Stöd åtgärden").click()
    expect(item.locator(".measure-later")).to_have_text(
        "Du kan kryssa i den på budgetvalsedeln när röstningen öppnar.")
    expect(resident.locator("#title")).to_have_value("Värmepumpar i förskolorna")
    assert run_axe(resident) == []
    ballots = requests.get(f"{live_server.url}/api/v1/events/{event['id']}/results",
                           headers=live_server.auth()).json()["budget"]
    assert all(row["supporters"] == 0 for row in ballots["measures"])
