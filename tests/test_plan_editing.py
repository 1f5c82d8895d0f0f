"""Preparing the plan (issue 17, docs/activities.md): moving, editing, removing and copying
activities, over REST and the console's plain forms, never losing what residents sent."""

import uuid

import pytest

from .conftest import csrf_from, join, login


def new_id() -> str:
    return uuid.uuid4().hex


POLL = {"kind": "poll", "title": "Hur tar du dig hit?", "options": ["Cykel", "Buss"]}


@pytest.fixture
def event(make_event):
    return make_event(phase="collect")


class Plan:
    def __init__(self, app, staff, event):
        self.http, self.event = app.test_client(), event
        self.headers = staff.auth(staff.facilitator)
        self.base = f"/api/v1/events/{event.id}/activities"

    def add(self, body):
        answer = self.http.post(self.base, json=body, headers=self.headers)
        assert answer.status_code == 201, answer.get_json()
        return answer.get_json()["activity"]["id"]

    def call(self, method, path="", body=None):
        return self.http.open(self.base + path, method=method, json=body, headers=self.headers)

    def titles(self):
        return [(a["kind"], a["title"], a["position"])
                for a in self.call("GET").get_json()["activities"]]


def test_moving_an_activity_shifts_the_others(app, staff, event):
    plan = Plan(app, staff, event)
    poll = plan.add(POLL)
    panel = plan.add({"kind": "questions", "title": "Frågor"})
    plan.add({"kind": "evaluation"})
    moved = plan.call("POST", f"/{panel}/move", {"position": 1})
    assert moved.status_code == 200
    assert [(kind, position) for kind, _t, position in plan.titles()] == [
        ("questions", 1), ("proposals", 2), ("poll", 3), ("evaluation", 4)]
    assert plan.call("POST", f"/{poll}/move", {"position": 30}).status_code == 200  # the end
    assert [kind for kind, _t, _p in plan.titles()][-1] == "poll"
    for wrong in (0, 31, "1", True):
        bad = plan.call("POST", f"/{poll}/move", {"position": wrong})
        assert bad.status_code == 400 and bad.get_json()["field"] == "position", wrong


def test_a_polls_options_change_only_before_anyone_answered(app, staff, event):
    plan = Plan(app, staff, event)
    poll = plan.add(POLL)
    edited = plan.call("PATCH", f"/{poll}", {"title": "Hur kom du hit?",
                                             "options": ["Cykel", "Buss", "Till fots"]})
    assert edited.status_code == 200
    shape = next(a for a in edited.get_json()["activities"] if a["id"] == poll)
    assert (shape["title"], shape["options"]) == ("Hur kom du hit?",
                                                  ["Cykel", "Buss", "Till fots"])
    plan.call("POST", f"/{poll}/start")
    phone = app.test_client()
    phone.post(f"/api/v1/activities/{poll}/responses", json={"choices": [2], "client_id": new_id()},
               headers={"X-CSRFToken": join(phone, event)})
    refused = plan.call("PATCH", f"/{poll}", {"options": ["Bil", "Tåg"]})
    assert refused.status_code == 409 and refused.get_json()["error"] == "has_answers"
    assert plan.call("PATCH", f"/{poll}", {"title": "Ny rubrik"}).status_code == 200
    not_a_poll = plan.call("PATCH", f"/{plan.add({'kind': 'evaluation'})}",
                           {"options": ["a", "b"]})
    assert not_a_poll.status_code == 400 and not_a_poll.get_json()["error"] == "poll_only"


def test_removing_keeps_what_residents_sent(app, staff, event):
    plan = Plan(app, staff, event)
    poll, panel = plan.add(POLL), plan.add({"kind": "questions", "title": "Frågor"})
    empty = plan.add({"kind": "words", "title": "Ett ord"})
    proposals = plan.call("GET").get_json()["activities"][0]["id"]
    assert plan.call("DELETE", f"/{proposals}").get_json()["error"] == "proposal_flow"
    assert plan.call("DELETE", f"/{proposals}").status_code == 409
    plan.call("POST", f"/{panel}/start")
    assert plan.call("DELETE", f"/{panel}").get_json()["error"] == "live_activity"
    phone = app.test_client()
    asked = phone.post(f"/api/v1/activities/{panel}/responses",
                       json={"text": "Varför?", "client_id": new_id()},
                       headers={"X-CSRFToken": join(phone, event)})
    assert asked.status_code == 200
    plan.call("POST", f"/{poll}/start")
    kept = plan.call("DELETE", f"/{panel}")
    assert kept.status_code == 409 and kept.get_json()["error"] == "has_responses"
    removed = plan.call("DELETE", f"/{empty}")
    assert removed.status_code == 200
    assert [(kind, position) for kind, _t, position in plan.titles()] == [
        ("proposals", 1), ("poll", 2), ("questions", 3)]


def test_copying_another_events_plan(app, staff, make_event):
    source, target = make_event(phase="collect"), make_event(phase="collect")
    first = Plan(app, staff, source)
    first.add(POLL | {"multiple": True})
    first.add({"kind": "evaluation"})
    second = Plan(app, staff, target)
    copied = second.call("POST", "/copy", {"from_event_id": source.id})
    assert copied.status_code == 200, copied.get_json()
    activities = copied.get_json()["activities"]
    assert [(a["kind"], a["position"], a["live"]) for a in activities] == [
        ("proposals", 1, True), ("poll", 2, False), ("evaluation", 3, False)]
    assert activities[1]["options"] == POLL["options"] and activities[1]["multiple"] is True
    assert activities[0]["title"] == target.title
    # Not one's own event, not one this person may not read, not one without activities.
    assert second.call("POST", "/copy", {"from_event_id": target.id}).status_code == 404
    from participation.activities import plan as activities
    others = make_event(phase="collect", user=staff.other)  # another facilitator's
    activities.add_activity(staff.other, others.id, POLL)
    assert second.call("POST", "/copy", {"from_event_id": others.id}).status_code == 404
    bare = make_event(phase="collect")
    nothing = second.call("POST", "/copy", {"from_event_id": bare.id})
    assert nothing.status_code == 409 and nothing.get_json()["error"] == "nothing_to_copy"


def test_the_console_prepares_the_programme_without_javascript(app, staff, make_event):
    source, event = make_event(phase="collect"), make_event(phase="collect")
    Plan(app, staff, source).add({"kind": "questions", "title": "Frågor till panelen"})
    plan = Plan(app, staff, event)
    poll = plan.add(POLL)
    console = app.test_client()
    login(console, staff.facilitator)
    page = console.get(f"/events/{event.id}/console").get_data(as_text=True)
    csrf = csrf_from(page)
    assert "Kopiera aktiviteterna från en annan aktivitet" in page
    moved = console.post(f"/events/{event.id}/plan/{poll}/move",
                         data={"csrf_token": csrf, "position": "1"})
    assert "Flyttad." in console.get(moved.headers["Location"]).get_data(as_text=True)
    console.post(f"/events/{event.id}/plan/{poll}/edit",
                 data={"csrf_token": csrf, "title": "Hur kom du hit i kväll?"})
    copied = console.post(f"/events/{event.id}/plan/copy",
                          data={"csrf_token": csrf, "from_event_id": str(source.id)})
    assert "hamnade sist" in console.get(copied.headers["Location"]).get_data(as_text=True)
    removed = console.post(f"/events/{event.id}/plan/{poll}/remove", data={"csrf_token": csrf})
    assert "Borttagen ur programmet." in console.get(removed.headers["Location"]).get_data(
        as_text=True)
    assert [(kind, title) for kind, title, _p in plan.titles()] == [
        ("proposals", event.title), ("questions", "Frågor till panelen")]
