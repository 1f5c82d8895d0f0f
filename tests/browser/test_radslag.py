"""A rådslag in headless Chromium: question cards, 1-5 ratings with JS, schedule line, projector."""

import re
import uuid

import pytest
import requests
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_question_cards_and_scale_ratings_with_javascript(live_server, phone, facilitator,
                                                          shots):
    event = live_server.create_event(
        title="Rådslag Kvarnholmen", kind="radslag", voting={"method": "scale"},
        questions=["Hur reser du i vardagen?", "Var vill du handla?"],
        closes_at="2030-12-10T18:00")
    assert event["closes_at"] == "2030-12-10T17:00:00.000Z"
    live_server.set_phase(event["id"], "collect")
    resident = phone()
    resident.goto(f"{live_server.url}/j/{event['code']}")
    expect(resident.locator("#connection")).to_have_attribute("data-state", "connected")
    expect(resident.locator("#schedule-line .schedule-closes")).to_have_text(
        re.compile(r"Stänger 10 december( kl\.)? 18:00"))
    resident.fill("#title", "Fler cykelställ vid bussen")
    resident.get_by_label("Var vill du handla?").check()
    resident.locator("#proposal-form button[type=submit]").click()
    expect(resident.locator("#proposal-form .form-status")).to_have_text(re.compile("Tack"))
    item = resident.locator(".proposal").first
    expect(item.locator(".p-question")).to_have_text("Var vill du handla?")

    # A second question card arrives live.
    requests.put(f"{live_server.url}/api/v1/events/{event['id']}/questions",
                 json={"questions": ["Hur reser du i vardagen?", "Var vill du handla?",
                                     "Hur vill du bo?"]}, headers=live_server.auth())
    expect(resident.get_by_label("Hur vill du bo?")).to_be_visible()

    projector = facilitator.new_page()
    projector.goto(f"{live_server.url}/events/{event['id']}/projector")
    expect(projector.locator("#projector-status")).to_have_attribute("data-state", "connected")
    live_server.set_phase(event["id"], "vote")
    expect(item.locator(".scale-form")).to_be_visible()
    expect(item.locator(".scale-ends")).to_contain_text("1 = Inte alls viktigt")
    item.get_by_label("4").check()
    item.locator(".scale-form button[type=submit]").click()
    expect(item.locator(".my-score")).to_have_text("4")
    other = live_server.phone(event["code"])
    proposal_id = int(item.get_attribute("data-proposal-id"))
    answer = other.http.post(f"{live_server.url}/api/v1/proposals/{proposal_id}/votes",
                             json={"client_id": uuid.uuid4().hex, "score": 5})
    assert answer.status_code == 201, answer.text
    expect(projector.locator("#bars .bar-value")).to_have_text("medel 4,5 · 2 betyg")
    expect(projector.locator("#bars .bar-spread")).to_contain_text("4: 1 · 5: 1")
    shots(resident, "radslag-scale-phone")
    shots(projector, "radslag-scale-projector", full_page=False)

    item.get_by_label("2").check()
    item.locator(".scale-form button[type=submit]").click()
    expect(item.locator(".my-score")).to_have_text("2")
    expect(projector.locator("#bars .bar-value")).to_have_text("medel 3,5 · 2 betyg")
    item.locator(".withdraw-form button").click()
    expect(item.locator(".voted-note")).to_be_hidden()
    expect(projector.locator("#bars .bar-value")).to_have_text("medel 5 · 1 betyg")


def test_create_form_follows_the_choices_and_the_console_tells_the_schedule(live_server,
                                                                            facilitator):
    """With JavaScript the create form shows a kind's and a method's fields only when chosen;
    a rådslag with 1-5 ratings gets a rating window, and its console says what comes next."""
    page = facilitator.new_page()
    page.goto(f"{live_server.url}/events/new")
    tables = page.locator('[data-for-kind="medborgarverkstad"]')
    schedule = page.locator('[data-for-kind="radslag"]')
    dots = page.locator('[data-for-method="dots"]')
    page.select_option("#kind", "medborgarverkstad")
    expect(tables).to_be_visible()
    expect(schedule).to_be_hidden()
    expect(dots).to_be_hidden()
    page.check("input[name=voting_method][value=dots]")
    expect(dots).to_be_visible()
    page.fill("#title", "Rådslag om vardagsresor")
    page.fill("#prompt", "Hur gör vi det lättare att resa hållbart?")
    page.fill("#dots", "3")
    page.fill("#max_per_proposal", "5")
    with page.expect_navigation():
        page.get_by_role("button", name="Skapa aktivitet").click()
    expect(page.locator("#max_per_proposal-error")).to_contain_text("Högst 3")
    expect(page.locator("#title")).to_have_value("Rådslag om vardagsresor")

    page.select_option("#kind", "radslag")
    expect(schedule).to_be_visible()
    expect(tables).to_be_hidden()
    page.check("input[name=voting_method][value=scale]")
    expect(dots).to_be_hidden()
    page.fill("#questions", "Hur reser du till jobbet?\nVar handlar du?")
    page.fill("#opens_at", "2030-12-05T18:00")
    page.fill("#voting_opens_at", "2030-12-12T18:00")
    page.fill("#closes_at", "2030-12-19T18:00")
    page.screenshot(path="/tmp/plan-create.png", full_page=True, animations="disabled")
    with page.expect_navigation():
        page.get_by_role("button", name="Skapa aktivitet").click()
    assert re.search(r"/events/\d+/console", page.url), page.url
    expect(page.locator("#schedule-next")).to_have_text(
        "Schemat öppnar för förslag 5 december kl. 18:00.")
    page.locator(".schedule-card").screenshot(path="/tmp/plan-console.png",
                                              animations="disabled")
