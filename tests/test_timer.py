"""The phase countdown: server-authoritative end time, pushed live, kept across reconnects."""

import re
from datetime import datetime, timedelta

import pytest

from participation.core.errors import OperationError
from participation.core.time import utcnow
from participation.events.operations import change_phase, set_timer

from .conftest import csrf_from, login


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value.removesuffix("Z"))


def test_timer_is_pushed_with_the_server_clock_and_kept_in_snapshots(room, staff):
    workshop = room()
    phone = workshop.phone()
    phone.forget()
    before = utcnow()
    event = set_timer(staff.facilitator, workshop.id, 300)
    (push,) = phone.received("timer")
    ends = parse(push["ends_at"])
    assert timedelta(seconds=299) <= ends - before <= timedelta(seconds=301)
    assert abs(parse(push["server_time"]) - utcnow()) < timedelta(seconds=5)
    assert push["version"] == event.version

    # A phone that reconnects gets the same end time, not a fresh five minutes.
    again = workshop.phone()
    state = again.call("snapshot", {})["state"]
    assert state["event"]["timer_ends_at"] == push["ends_at"]
    assert "server_time" in state


def test_stopping_and_changing_phase_clear_the_timer(room, staff):
    workshop = room()
    phone = workshop.phone()
    set_timer(staff.facilitator, workshop.id, 120)
    set_timer(staff.facilitator, workshop.id, 0)
    assert phone.received("timer")[-1]["ends_at"] is None
    set_timer(staff.facilitator, workshop.id, 120)
    change_phase(staff.facilitator, workshop.id, "vote")
    assert phone.call("snapshot", {})["state"]["event"]["timer_ends_at"] is None


@pytest.mark.parametrize("seconds", [-1, 4 * 3600 + 1, "300", 2.5, True])
def test_bad_timer_values_are_refused(app, make_event, staff, seconds):
    event = make_event(phase="collect")
    with pytest.raises(OperationError) as refused:
        set_timer(staff.facilitator, event.id, seconds)
    assert refused.value.code == "invalid_timer"


def test_only_the_events_facilitator_sets_its_timer(app, make_event, staff):
    event = make_event(phase="collect")
    with pytest.raises(OperationError) as refused:
        set_timer(staff.other, event.id, 60)
    assert refused.value.code == "forbidden"
    closed = make_event(phase="closed")
    with pytest.raises(OperationError) as late:
        set_timer(staff.facilitator, closed.id, 60)
    assert late.value.code == "event_closed"


def test_timer_over_rest_and_console_form_and_shown_without_javascript(app, make_event, staff):
    event = make_event(phase="collect")
    http = app.test_client()
    response = http.post(f"/api/v1/events/{event.id}/timer", json={"seconds": 600},
                         headers=staff.auth(staff.facilitator))
    assert response.status_code == 200
    assert response.get_json()["timer_ends_at"].endswith("Z")
    bad = http.post(f"/api/v1/events/{event.id}/timer", json={"seconds": "ten"},
                    headers=staff.auth(staff.facilitator))
    assert (bad.status_code, bad.get_json()["error"]) == (400, "invalid_timer")

    phone = app.test_client().get(f"/j/{event.code}").get_data(as_text=True)
    # Without JavaScript the end time, as a person says it: "Slutar kl. 09:31".
    assert 'role="timer"' in phone
    assert re.search(r"Slutar kl\.</span>\s*<strong[^>]*>\d\d:\d\d<", phone)

    console = app.test_client()
    login(console, staff.facilitator)
    csrf = csrf_from(console.get(f"/events/{event.id}/console").get_data(as_text=True))
    assert console.post(f"/events/{event.id}/timer",
                        data={"csrf_token": csrf, "minutes": "0"}).status_code == 302
    page = app.test_client().get(f"/j/{event.code}").get_data(as_text=True)
    assert not re.search(r"Slutar kl\.</span>\s*<strong[^>]*>\d", page)

