"""The activity plan and the quick poll (issue 17, first part): the plan over REST, the one
write of a poll answer (live only, replace, replay, refusals with nothing stored), results
counted from stored answers, and 64 answers at once from one phone leaving one answer."""

import uuid

import pytest
from sqlalchemy import select

from participation.activities.models import Activity, PollAnswer
from participation.extensions import db

from .conftest import join
from .test_races import BURST, burst, phone_clients

POLL = {"kind": "poll", "title": "Hur tar du dig till jobbet?",
        "options": ["Cykel", "Buss", "Bil", "Till fots"]}


def new_id() -> str:
    return uuid.uuid4().hex


def stored(activity_id) -> dict[int, list[int]]:
    db.session.remove()
    answers: dict[int, list[int]] = {}
    for participant, position in db.session.execute(
            select(PollAnswer.participant_id, PollAnswer.position)
            .where(PollAnswer.activity_id == activity_id).order_by(PollAnswer.position)):
        answers.setdefault(participant, []).append(position)
    return answers


@pytest.fixture
def event(make_event):
    return make_event(phase="collect")


def add(app, staff, event, body=POLL, user=None):
    return app.test_client().post(f"/api/v1/events/{event.id}/activities", json=body,
                                  headers=staff.auth(user or staff.facilitator))


def start(app, staff, event, activity_id):
    return app.test_client().post(
        f"/api/v1/events/{event.id}/activities/{activity_id}/start",
        headers=staff.auth(staff.facilitator))


def test_an_event_without_a_plan_lists_none_and_the_first_poll_brings_the_proposal_flow(
        app, staff, event):
    http = app.test_client()
    listed = http.get(f"/api/v1/events/{event.id}/activities",
                      headers=staff.auth(staff.facilitator))
    assert listed.status_code == 200 and listed.get_json()["activities"] == []
    added = add(app, staff, event)
    assert added.status_code == 201
    poll = added.get_json()["activity"]
    assert (poll["kind"], poll["position"], poll["live"]) == ("poll", 2, False)
    assert poll["options"] == POLL["options"] and poll["multiple"] is False
    plan = http.get(f"/api/v1/events/{event.id}/activities",
                    headers=staff.auth(staff.facilitator)).get_json()["activities"]
    assert [(a["kind"], a["position"], a["live"]) for a in plan] == [
        ("proposals", 1, True), ("poll", 2, False)]
    assert plan[0]["title"] == event.title


def test_starting_a_poll_makes_it_the_only_live_one(app, staff, event):
    poll = add(app, staff, event).get_json()["activity"]
    answer = start(app, staff, event, poll["id"])
    assert answer.status_code == 200
    assert [(a["kind"], a["live"]) for a in answer.get_json()["activities"]] == [
        ("proposals", False), ("poll", True)]
    proposals = answer.get_json()["activities"][0]["id"]
    back = start(app, staff, event, proposals).get_json()["activities"]
    assert [a["live"] for a in back] == [True, False]
    db.session.remove()
    assert db.session.scalar(select(db.func.count(Activity.id)).where(
        Activity.event_id == event.id, Activity.live)) == 1


def test_a_poll_answer_replaces_the_earlier_one_and_results_count_people(app, staff, event):
    poll = add(app, staff, event).get_json()["activity"]
    phone = app.test_client()
    headers = {"X-CSRFToken": join(phone, event)}
    path = f"/api/v1/activities/{poll['id']}/responses"
    not_live = phone.post(path, json={"choices": [0], "client_id": new_id()}, headers=headers)
    assert not_live.status_code == 409 and not_live.get_json()["error"] == "not_live"
    assert stored(poll["id"]) == {}
    start(app, staff, event, poll["id"])
    first = phone.post(path, json={"choices": [0], "client_id": new_id()}, headers=headers)
    assert first.status_code == 200 and first.get_json()["choices"] == [0]
    again = phone.post(path, json={"choices": [2], "client_id": new_id()}, headers=headers)
    assert again.status_code == 200
    assert list(stored(poll["id"]).values()) == [[2]]
    for n in range(3):  # three more people: two say Buss, one Bil
        other = app.test_client()
        answer = other.post(path, json={"choices": [1 if n < 2 else 2], "client_id": new_id()},
                            headers={"X-CSRFToken": join(other, event)})
        assert answer.status_code == 200
    results = app.test_client().get(f"/api/v1/activities/{poll['id']}/results",
                                    headers=staff.auth(staff.facilitator)).get_json()
    assert results["people"] == 4
    assert [(o["text"], o["people"]) for o in results["options"]] == [
        ("Cykel", 0), ("Buss", 2), ("Bil", 2), ("Till fots", 0)]


@pytest.mark.parametrize(("choices", "code"), [
    ([0, 1], "one_choice"), ([4], "invalid_choices"), ([], "invalid_choices"),
    (["ett"], "invalid_choices"), ([True], "invalid_choices"), ("0", "invalid_choices"),
])
def test_a_bad_answer_is_refused_and_stores_nothing(app, staff, event, choices, code):
    poll = add(app, staff, event).get_json()["activity"]
    start(app, staff, event, poll["id"])
    phone = app.test_client()
    answer = phone.post(f"/api/v1/activities/{poll['id']}/responses",
                        json={"choices": choices, "client_id": new_id()},
                        headers={"X-CSRFToken": join(phone, event)})
    assert answer.status_code == 400 and answer.get_json()["error"] == code
    assert answer.get_json()["field"] == "choices"
    assert stored(poll["id"]) == {}


def test_a_multiple_choice_poll_keeps_each_option_once(app, staff, event):
    poll = add(app, staff, event, POLL | {"multiple": True}).get_json()["activity"]
    start(app, staff, event, poll["id"])
    phone = app.test_client()
    answer = phone.post(f"/api/v1/activities/{poll['id']}/responses",
                        json={"choices": [3, 0, 3], "client_id": new_id()},
                        headers={"X-CSRFToken": join(phone, event)})
    assert answer.status_code == 200 and answer.get_json()["choices"] == [0, 3]
    assert list(stored(poll["id"]).values()) == [[0, 3]]


def test_a_retried_answer_is_replayed_and_changes_nothing(app, staff, event):
    poll = add(app, staff, event).get_json()["activity"]
    start(app, staff, event, poll["id"])
    phone = app.test_client()
    headers = {"X-CSRFToken": join(phone, event)}
    path = f"/api/v1/activities/{poll['id']}/responses"
    first = phone.post(path, json={"choices": [1], "client_id": "poll-retry-1"}, headers=headers)
    phone.post(path, json={"choices": [2], "client_id": new_id()}, headers=headers)
    retry = phone.post(path, json={"choices": [1], "client_id": "poll-retry-1"}, headers=headers)
    assert retry.status_code == 200 and retry.get_json()["replayed"] is True
    assert retry.get_json()["version"] == first.get_json()["version"]
    assert list(stored(poll["id"]).values()) == [[2]]


@pytest.mark.parametrize(("body", "code", "field"), [
    ({**POLL, "kind": "slideshow"}, "invalid_kind", "kind"),
    ({"kind": "words", "title": "Ord", "options": ["a", "b"]}, "poll_only", "options"),
    ({**POLL, "options": ["Bara ett"]}, "invalid_options", "options"),
    ({**POLL, "options": [f"Val {n}" for n in range(9)]}, "invalid_options", "options"),
    ({**POLL, "options": ["Cykel", "cykel"]}, "duplicate_option", "options"),
    ({**POLL, "options": ["Cykel", "  "]}, "required", "options"),
    ({**POLL, "title": " "}, "required", "title"),
    ({**POLL, "multiple": "ja"}, "invalid_flag", "multiple"),
])
def test_a_bad_activity_is_refused_on_its_field_and_nothing_is_added(app, staff, event, body,
                                                                       code, field):
    answer = add(app, staff, event, body)
    assert answer.status_code == 400, answer.get_json()
    assert (answer.get_json()["error"], answer.get_json()["field"]) == (code, field)
    db.session.remove()
    assert db.session.scalar(select(db.func.count(Activity.id))) == 0


def test_only_those_who_run_the_event_change_its_plan(app, staff, event):
    # Another facilitator is staff: the event is no secret to them, only not theirs to run.
    assert add(app, staff, event, user=staff.other).status_code == 403
    poll = add(app, staff, event).get_json()["activity"]
    answer = app.test_client().post(
        f"/api/v1/events/{event.id}/activities/{poll['id']}/start",
        headers=staff.auth(staff.other))
    assert answer.status_code == 403
    other_event_poll = start(app, staff, event, 10_000)
    assert other_event_poll.status_code == 404


def test_parallel_answers_from_one_phone_leave_one_answer(any_db_app, make_event, staff):
    event = make_event(phase="collect")
    poll = add(any_db_app, staff, event).get_json()["activity"]
    start(any_db_app, staff, event, poll["id"])
    clients, csrf = phone_clients(any_db_app, event, BURST)
    results = burst(any_db_app, clients, csrf, lambda c, h, i: c.post(
        f"/api/v1/activities/{poll['id']}/responses",
        json={"choices": [i % 4], "client_id": f"race-poll-{i:03d}"}, headers=h))
    assert {status for status, _ in results} == {200}
    answers = stored(poll["id"])
    assert len(answers) == 1
    last = max((body for _, body in results), key=lambda b: b["version"])
    assert list(answers.values()) == [last["choices"]]


def test_erasing_ones_input_erases_ones_poll_answer(app, staff, event):
    poll = add(app, staff, event, POLL | {"multiple": True}).get_json()["activity"]
    start(app, staff, event, poll["id"])
    phone = app.test_client()
    headers = {"X-CSRFToken": join(phone, event)}
    made = phone.post(f"/api/v1/events/{event.id}/proposals",
                      json={"title": "Cykelgarage vid stationen", "client_id": new_id()},
                      headers=headers).get_json()
    phone.post(f"/api/v1/activities/{poll['id']}/responses",
               json={"choices": [0, 1], "client_id": new_id()}, headers=headers)
    other = app.test_client()
    other.post(f"/api/v1/activities/{poll['id']}/responses",
               json={"choices": [3], "client_id": new_id()},
               headers={"X-CSRFToken": join(other, event)})
    code = made["follow_url"].rstrip("/").rsplit("/", 1)[-1]
    erased = phone.post(f"/api/v1/follow/{code}/erase", headers=headers)
    assert erased.status_code == 200 and erased.get_json()["votes"] == 2
    assert list(stored(poll["id"]).values()) == [[3]]  # the other person's stays


def test_the_phone_page_paints_the_live_poll_and_answers_without_javascript(app, staff, event):
    from .conftest import csrf_from
    poll = add(app, staff, event, POLL | {"show_results": True}).get_json()["activity"]
    phone = app.test_client()
    page = phone.get(f"/j/{event.code}").get_data(as_text=True)
    assert 'id="poll"' not in page  # the proposal flow is live
    start(app, staff, event, poll["id"])
    page = phone.get(f"/j/{event.code}").get_data(as_text=True)
    assert "Hur tar du dig till jobbet?" in page and 'type="radio"' in page
    assert page.index('id="poll"') < page.index('id="welcome-heading"')  # first on the page
    state = phone.get(f"/api/v1/events/{event.id}/state").get_json()
    assert state["poll"]["poll"]["id"] == poll["id"] and state["poll"]["results"] is None
    csrf = csrf_from(page)
    client_id = new_id()
    nothing = phone.post(f"/j/{event.code}/poll", data={"csrf_token": csrf,
                                                        "client_id": client_id})
    assert nothing.status_code == 400 and "Välj ett svar." in nothing.get_data(as_text=True)
    saved = phone.post(f"/j/{event.code}/poll", data={"csrf_token": csrf, "client_id": new_id(),
                                                      "choices": "1"})
    assert saved.status_code == 303
    page = phone.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Ditt svar är sparat." in page and 'value="1" checked' in page
    # show_results: once answered, this person sees the bars.
    assert "1 person har svarat" in page and "Buss: 1 person (100 %)" in page
    start(app, staff, event, plan_ids(app, staff, event)[0])
    moved_on = phone.post(f"/j/{event.code}/poll", data={"csrf_token": csrf,
                                                         "client_id": new_id(), "choices": "0"})
    assert moved_on.status_code == 303
    assert list(stored(poll["id"]).values()) == [[1]]


def plan_ids(app, staff, event) -> list[int]:
    return [a["id"] for a in app.test_client().get(
        f"/api/v1/events/{event.id}/activities",
        headers=staff.auth(staff.facilitator)).get_json()["activities"]]


def test_starting_and_answering_push_the_live_activity_and_the_bars(app, staff, room):
    workshop = room(phase="collect")
    poll = add(app, staff, workshop.event).get_json()["activity"]
    phone, console = workshop.phone(), workshop.facilitator()
    start(app, staff, workshop.event, poll["id"])
    pushed = phone.received("activity")
    assert pushed[-1]["live"]["id"] == poll["id"] and pushed[-1]["live"]["kind"] == "poll"
    answer = phone.http.post(f"/api/v1/activities/{poll['id']}/responses",
                             json={"choices": [2], "client_id": new_id()},
                             headers={"X-CSRFToken": phone.http.csrf})
    assert answer.status_code == 200
    bars = console.received("poll")[-1]
    assert bars["version"] == answer.get_json()["version"]
    assert [o["people"] for o in bars["results"]["options"]] == [0, 0, 1, 0]
    assert phone.received("poll") == []  # residents never get the staff's bars
    snapshot = console.call("snapshot", {})
    assert snapshot["state"]["poll"]["results"]["people"] == 1


def test_the_console_runs_the_programme_without_javascript(app, staff, event):
    from .conftest import csrf_from, login
    console = app.test_client()
    login(console, staff.facilitator)
    page = console.get(f"/events/{event.id}/console").get_data(as_text=True)
    assert "Kvällens program" in page and "I kväll körs bara förslagen." in page
    csrf = csrf_from(page)
    bad = console.post(f"/events/{event.id}/plan/poll", data={
        "csrf_token": csrf, "title": "Hur reser du?", "options": "Bara ett"})
    assert bad.status_code == 303
    page = console.get(bad.headers["Location"]).get_data(as_text=True)
    assert "En snabbfråga har 2 till 8 svarsalternativ." in page
    added = console.post(f"/events/{event.id}/plan/poll", data={
        "csrf_token": csrf, "title": "Hur reser du?", "options": "Cykel\n\n Buss \nBil",
        "show_results": "y"})
    page = console.get(added.headers["Location"]).get_data(as_text=True)
    assert "Snabbfrågan finns i programmet." in page
    poll_id = plan_ids(app, staff, event)[1]
    started = console.post(f"/events/{event.id}/plan/{poll_id}/start",
                           data={"csrf_token": csrf})
    # The projector tab in the same browser reloads on the push before the console follows its
    # redirect: it shows the poll but leaves the console's message for the laptop.
    projector = console.get(f"/events/{event.id}/projector").get_data(as_text=True)
    assert "Hur reser du?" in projector and "Pågår nu" not in projector
    page = console.get(started.headers["Location"]).get_data(as_text=True)
    assert "Pågår nu: Hur reser du?. Telefonerna och projektorn följer med." in page
    assert "0 personer har svarat" in page
    activities = app.test_client().get(f"/api/v1/events/{event.id}/activities",
                                       headers=staff.auth(staff.facilitator)).get_json()
    poll = activities["activities"][1]
    assert (poll["options"], poll["live"], poll["show_results"]) == (
        ["Cykel", "Buss", "Bil"], True, True)
