"""The evening's evaluation (issue 17, docs/activities.md): three ratings 1-5 and a free text,
one answer per person (a new one replaces it), refusals that store nothing, results only for
staff with no trace of who wrote what, the projector showing only how many have answered, and
a phone answering without JavaScript."""

import uuid

import pytest
from sqlalchemy import select

from participation.activities.models import EvaluationAnswer
from participation.extensions import db

from .conftest import csrf_from, join, login


def new_id() -> str:
    return uuid.uuid4().hex


@pytest.fixture
def event(make_event):
    return make_event(phase="collect")


def live_evaluation(app, staff, event) -> int:
    http = app.test_client()
    headers = staff.auth(staff.facilitator)
    added = http.post(f"/api/v1/events/{event.id}/activities", json={"kind": "evaluation"},
                      headers=headers)
    assert added.status_code == 201
    activity = added.get_json()["activity"]
    assert activity["title"] == "Hur var kvällen?"
    http.post(f"/api/v1/events/{event.id}/activities/{activity['id']}/start", headers=headers)
    return activity["id"]


def answer(app, event, activity, body, phone=None):
    phone = phone or app.test_client()
    headers = {"X-CSRFToken": join(phone, event)}
    return phone.post(f"/api/v1/activities/{activity}/responses", headers=headers,
                      json=body | {"client_id": new_id()})


def stored(activity):
    db.session.remove()
    return [(r.overall, r.heard, r.next_steps, r.text) for r in db.session.scalars(
        select(EvaluationAnswer).where(EvaluationAnswer.activity_id == activity)
        .order_by(EvaluationAnswer.id))]


def test_answers_replace_and_staff_see_counts_averages_and_texts(app, staff, event):
    activity = live_evaluation(app, staff, event)
    phone = app.test_client()
    first = answer(app, event, activity, {"ratings": {"overall": 2}}, phone)
    assert first.status_code == 200
    again = answer(app, event, activity, {"ratings": {"overall": 5, "heard": 4},
                                          "text": "Bra kväll, mer tid vid borden."}, phone)
    assert again.get_json()["ratings"] == {"overall": 5, "heard": 4}
    answer(app, event, activity, {"ratings": {"overall": 3, "next_steps": 1},
                                  "text": "Ännu oklart vad som händer sen."})
    answer(app, event, activity, {"ratings": {}, "text": "Alltför kort!"})
    assert stored(activity)[0] == (5, 4, None, "Bra kväll, mer tid vid borden.")
    results = app.test_client().get(f"/api/v1/activities/{activity}/results",
                                    headers=staff.auth(staff.facilitator)).get_json()
    assert results["people"] == 3
    overall, heard, next_steps = results["ratings"]
    assert (overall["answers"], overall["average"], overall["counts"]) == (2, 4.0,
                                                                           [0, 0, 1, 0, 1])
    assert (heard["average"], next_steps["average"]) == (4.0, 1.0)
    assert overall["question"] == "Kvällen var väl använd tid."
    # Alphabetical, so their order says nothing about who answered when.
    assert results["texts"] == ["Alltför kort!", "Bra kväll, mer tid vid borden.",
                                "Ännu oklart vad som händer sen."]
    mine = phone.get(f"/api/v1/events/{event.id}/state").get_json()["evaluation"]
    assert mine["mine"] == {"ratings": {"overall": 5, "heard": 4},
                            "text": "Bra kväll, mer tid vid borden."}
    assert "results" not in mine


@pytest.mark.parametrize(("body", "code", "field"), [
    ({"ratings": {"overall": 0}}, "invalid_rating", "ratings.overall"),
    ({"ratings": {"overall": 6}}, "invalid_rating", "ratings.overall"),
    ({"ratings": {"heard": True}}, "invalid_rating", "ratings.heard"),
    ({"ratings": {"heard": 2.5}}, "invalid_rating", "ratings.heard"),
    ({"ratings": {"mood": 3}}, "invalid_ratings", "ratings"),
    ({"ratings": [3, 4]}, "invalid_ratings", "ratings"),
    ({"ratings": {}, "text": "  "}, "empty_evaluation", "ratings"),
    ({"ratings": {"overall": 3}, "text": "x" * 1001}, "too_long", "text"),
    ({"choices": [0]}, "empty_evaluation", "ratings"),
])
def test_a_bad_evaluation_is_refused_and_stores_nothing(app, staff, event, body, code, field):
    activity = live_evaluation(app, staff, event)
    refused = answer(app, event, activity, body)
    assert refused.status_code == 400, refused.get_json()
    assert (refused.get_json()["error"], refused.get_json()["field"]) == (code, field)
    assert stored(activity) == []


def test_the_projector_shows_how_many_answered_and_never_what(app, staff, room):
    workshop = room(phase="collect")
    activity = live_evaluation(app, staff, workshop.event)
    console = workshop.facilitator()
    answer(app, workshop.event, activity, {"ratings": {"overall": 4},
                                           "text": "Hemligt omdöme"})
    assert console.received("evaluation")[-1]["people"] == 1
    projector = app.test_client()
    login(projector, staff.facilitator)
    wall = projector.get(f"/events/{workshop.event.id}/projector").get_data(as_text=True)
    assert "Hur var kvällen?" in wall and "1 person har svarat" in wall
    assert "Hemligt omdöme" not in wall
    panel = projector.get(f"/events/{workshop.event.id}/console").get_data(as_text=True)
    assert "Hemligt omdöme" in panel, panel[panel.find("plan-heading"):][:3000]
    assert "4,0" in panel  # the console is staff's


def test_the_phone_evaluates_without_javascript(app, staff, event):
    activity = live_evaluation(app, staff, event)
    phone = app.test_client()
    page = phone.get(f"/j/{event.code}").get_data(as_text=True)
    assert page.index('id="evaluation"') < page.index('id="welcome-heading"')
    assert 'name="rating-overall"' in page and "Anonymt" in page
    csrf = csrf_from(page)
    sent = phone.post(f"/j/{event.code}/evaluation", data={
        "evaluation-csrf_token": csrf, "evaluation-client_id": new_id(),
        "rating-overall": "4", "rating-heard": "5", "evaluation-text": "Tack!"})
    assert sent.status_code == 303
    page = phone.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Tack! Ditt svar är sparat." in page
    assert 'id="rating-overall-4" value="4" checked' in page and "Ändra mitt svar" in page
    bad = phone.post(f"/j/{event.code}/evaluation", data={
        "evaluation-csrf_token": csrf, "evaluation-client_id": new_id(), "rating-heard": "9"})
    assert bad.status_code == 400 and "Välj en siffra från 1 till 5." in bad.get_data(
        as_text=True)
    assert stored(activity) == [(4, 5, None, "Tack!")]
