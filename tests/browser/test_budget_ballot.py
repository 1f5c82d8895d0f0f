"""A resident fills a budget ballot on a 360 × 640 phone: each measure shows its cost and its
climate effect in plain Swedish, "Kvar av budgeten" follows the ticks, what does not fit is
disabled, an over-budget ballot (sent without JavaScript) is refused whole with a clear
message, a saved ballot fills the projector's budget bar."""

import pytest
import requests
from playwright.sync_api import expect

from .a11y_support import run_axe
from .conftest import DESKTOP
from .test_workshop import connected, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.live]

SCREEN = {"width": 360, "height": 640}
MEASURES = (("Solceller på skolorna", 600_000, 120, 200),
            ("Cykelgarage vid stationen", 300_000, 20, 40),
            ("Laddstolpar i hyreshus", 500_000, 60, 90))


def budget_event(server) -> dict:
    ids = []
    for title, cost, low, high in MEASURES:
        made = requests.post(server.url + "/api/v1/measures", headers=server.auth("rev@live.se"),
                             json={"title": title, "investment_sek": cost,
                                   "reduction_low": low, "reduction_high": high})
        assert made.status_code == 201, made.text
        ids.append(made.json()["measure"]["id"])
    event = server.create_event(title="Klimatbudget", prompt="Mest klimat för våra pengar",
                                kind="radslag", voting={"method": "budget",
                                                        "budget_sek": 1_000_000,
                                                        "measure_ids": ids})
    for phase in ("collect", "vote"):
        server.set_phase(event["id"], phase)
    return {**event, "measure_ids": ids}


def outcome(server, event_id) -> dict:
    answer = requests.get(f"{server.url}/api/v1/events/{event_id}/results",
                          headers=server.auth())
    assert answer.status_code == 200
    return answer.json()["budget"]


def test_a_resident_fills_a_budget_ballot_and_the_projector_fills(live_server, contexts,
                                                                 facilitator, shots):
    event = budget_event(live_server)
    solar, bikes, chargers = event["measure_ids"]
    projector = facilitator.new_page()
    projector.set_viewport_size(DESKTOP)
    projector.goto(f"{live_server.url}/events/{event['id']}/projector")
    connected(projector, "#projector-status")
    expect(projector.locator("#budget-box")).to_be_visible()
    expect(projector.locator(".budget-figure")).to_contain_text("0 av 1 000 000 kr")
    assert projector.locator(".budget-fill").evaluate("n => n.getBoundingClientRect().width") == 0

    # Without JavaScript: all three ticked is over budget; the page says so, nothing is stored.
    plain = contexts(viewport=SCREEN, is_mobile=True, java_script_enabled=False).new_page()
    plain.goto(f"{live_server.url}/j/{event['code']}")
    for measure in (solar, bikes, chargers):
        plain.check(f"#measure-{measure}")
    plain.click("#budget-form button[type=submit]")
    expect(plain.locator(".error-box[role=alert]").first).to_contain_text(
        "Dina val kostar mer än budgeten. Inget sparades")
    expect(plain.locator("#budget-over")).to_contain_text("400 000 kr mer än budgeten")
    assert outcome(live_server, event["id"])["voters"] == 0
    shots(plain, "budget-phone-over-budget-nojs", full_page=False)

    phone = contexts(viewport=SCREEN, is_mobile=True, has_touch=True).new_page()
    phone.goto(f"{live_server.url}/j/{event['code']}")
    connected(phone, "#connection")
    card = phone.locator(f"label[for=measure-{solar}]")
    expect(card).to_contain_text("600 000 kr")
    expect(card).to_contain_text("ungefär 120–200 ton CO₂e per år, cirka 375 kr per ton")
    expect(phone.locator("#budget-left")).to_have_text("1 000 000")
    phone.check(f"#measure-{solar}")
    expect(phone.locator("#budget-left")).to_have_text("400 000")
    # 500 000 does not fit in what is left: it cannot be ticked; 300 000 still can.
    expect(phone.locator(f"#measure-{chargers}")).to_be_disabled()
    expect(phone.locator(f"#measure-{bikes}")).to_be_enabled()
    phone.check(f"#measure-{bikes}")
    expect(phone.locator("#budget-left")).to_have_text("100 000")
    expect(phone.locator("#bar-budget-left")).to_have_text("100 000")
    no_horizontal_scroll(phone)
    assert run_axe(phone) == []
    shots(phone, "budget-phone-ballot", full_page=False)
    phone.click("#budget-form button[type=submit]")
    expect(phone.locator("#budget-saved")).to_be_visible()
    assert sorted(outcome(live_server, event["id"])["funded"]) == sorted([solar, bikes])

    expect(projector.locator(".budget-figure")).to_contain_text("900 000 av 1 000 000 kr")
    expect(projector.locator(".budget-measures li.funded")).to_have_count(2)
    expect(projector.locator(".budget-measures li.funded").first).to_contain_text("1 har valt den")
    # The bar grows (a short transition) to 90 % of the meter: waited on, not slept.
    projector.wait_for_function("""() => {
        const fill = document.querySelector('.budget-fill');
        const share = fill.getBoundingClientRect().width / fill.parentElement.clientWidth;
        return Math.abs(share - 0.9) < 0.005;
    }""")
    assert run_axe(projector) == []
    shots(projector, "budget-projector", full_page=False)

    # Results: the phone shows what was funded, from the phase push (no reload).
    phone.evaluate("window.__marker = 'never reloaded'")
    live_server.set_phase(event["id"], "results")
    results = phone.locator("#budget-results")
    expect(results).to_be_visible()
    expect(results).to_contain_text("Finansieras med lika andelar: 900 000 av 1 000 000 kr.")
    expect(results.locator("li")).to_have_count(2)
    expect(results).to_contain_text("Solceller på skolorna")
    assert phone.evaluate("window.__marker") == "never reloaded"
    shots(phone, "budget-phone-results", full_page=False)
