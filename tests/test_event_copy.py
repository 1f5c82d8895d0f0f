"""Repeat a session (issue 18): "Kopiera" makes a new event from another's setup, in the
lobby with a new code and nothing residents sent, over REST and the plain form."""

import re
import uuid

import pytest
from sqlalchemy import Boolean, func, inspect, select

from participation.activities import plan, repeat
from participation.activities.models import Activity, PanelQuestion, PollAnswer
from participation.backlog.operations import create_measure
from participation.core.bus import published
from participation.events import team
from participation.events.copying import COPIED, NOT_COPIED
from participation.events.models import Event, EventTeamMember
from participation.events.operations import change_phase, reveal_tallies, set_timer
from participation.extensions import db
from participation.ops.models import StaffAudit
from participation.participants.models import Participant
from participation.proposals.models import Proposal, Vote

from .conftest import join
from .support.colleagues import Colleague
from .support.documents import fetch, openapi_answer_schema, problems

API = "/api/v1"
DOTS = {"method": "dots", "dots": 5, "max_per_proposal": 3}


def new_id() -> str:
    return uuid.uuid4().hex


def _phone_post(phone, csrf, path, body):
    answer = phone.post(f"{API}{path}", json={**body, "client_id": new_id()},
                        headers={"X-CSRFToken": csrf})
    assert answer.status_code in (200, 201), answer.get_json()
    return answer.get_json()


@pytest.fixture
def source(app, make_event, staff):
    """An event that has run: every setting away from its default, a plan with a poll people
    answered, proposals, votes, a team, a countdown and a schedule."""
    event = make_event(voting=DOTS, moderation="post", hide_tallies=True, shuffle_ballot=True,
                       focus_areas=["Modig mobilitet", "Grönare gårdar"],
                       questions=["Vad saknas?", "Vad ska bli bättre?"], tables=3,
                       opens_at="2090-05-04T17:00", voting_opens_at="2090-05-04T18:00",
                       closes_at="2090-05-04T20:00")
    event_id, question = event.id, event.questions[0].id
    # Every yes-or-no setting on, so a copy that drops one is caught.
    for name in COPIED:
        if isinstance(inspect(Event).columns[name].type, Boolean):
            setattr(event, name, True)
    event.focus_areas[0].description = "Cykel, buss och gång"
    db.session.commit()
    facilitator = staff.facilitator
    poll = plan.add_activity(facilitator, event_id, {
        "kind": "poll", "title": "Hur kom du hit?", "options": ["Cykel", "Buss", "Bil"],
        "multiple": True, "show_results": True})["activity"]["id"]
    plan.add_activity(facilitator, event_id, {"kind": "questions", "title": "Frågor"})
    plan.add_activity(facilitator, event_id, {"kind": "evaluation"})
    team.add_team_member(facilitator, event_id, staff.other.email, "moderator")

    change_phase(facilitator, event_id, "collect")
    phone = app.test_client()
    csrf = join(phone, event)
    proposal = _phone_post(phone, csrf, f"/events/{event_id}/proposals",
                           {"title": "Fler cykelbanor", "question_id": question}
                           )["proposal"]["id"]
    change_phase(facilitator, event_id, "vote")
    _phone_post(phone, csrf, f"/proposals/{proposal}/votes", {"dots": 2})
    plan.start_activity(facilitator, event_id, poll)
    _phone_post(phone, csrf, f"/activities/{poll}/responses", {"choices": [0, 1]})
    reveal_tallies(facilitator, event_id, True)
    set_timer(facilitator, event_id, 300)
    db.session.rollback()  # a fresh read of what the requests committed
    return db.session.get(Event, event_id)


def _columns() -> set[str]:
    return {column.key for column in inspect(Event).column_attrs}


def _plan(event_id):
    return [(a.position, a.kind, a.title, a.multiple, a.show_results,
             [(o.position, o.text) for o in a.options])
            for a in db.session.scalars(select(Activity).where(Activity.event_id == event_id)
                                        .order_by(Activity.position))]


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_every_event_column_is_copied_or_not_on_purpose(app):
    assert not set(COPIED) & NOT_COPIED.keys()
    assert len(set(COPIED)) == len(COPIED)
    assert set(COPIED) | NOT_COPIED.keys() == _columns(), (
        "say in events/copying.py whether a copy takes the new column")


def test_a_copy_has_the_setup_and_nothing_residents_sent(app, staff, source):
    seen = []
    published.connect(seen.append, weak=False)
    try:
        answer = app.test_client().post(f"{API}/events/{source.id}/copy",
                                        headers=staff.auth(staff.facilitator))
    finally:
        published.disconnect(seen.append)
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    assert body["join_url"].endswith(f"/j/{body['code']}")
    openapi = fetch(app, "openapi")
    assert not problems(openapi, openapi_answer_schema(
        openapi, "/events/{event_id}/copy", "POST", 201), body)

    db.session.rollback()  # a fresh read of what the requests committed
    old, new = db.session.get(Event, source.id), db.session.get(Event, body["id"])
    assert new.id != old.id and new.code != old.code and body["code"] == new.code
    for name in COPIED:
        assert getattr(new, name) == getattr(old, name), name
    assert (new.phase, new.version, new.created_by_id) == ("lobby", 1, staff.facilitator.id)
    assert (new.opens_at, new.voting_opens_at, new.closes_at) == (None, None, None)
    assert old.opens_at is not None  # so the line above is about copying
    assert (new.timer_ends_at, new.tallies_revealed, new.last_proposal_number) == (
        None, False, 0)

    assert [(a.name, a.position, a.description) for a in new.focus_areas] == [
        (a.name, a.position, a.description) for a in old.focus_areas]
    assert old.focus_areas[0].description  # a column the form does not fill, copied too
    assert [(q.position, q.text) for q in new.questions] == [
        (q.position, q.text) for q in old.questions]
    assert [(t.number, t.name) for t in new.tables] == [(t.number, t.name) for t in old.tables]
    assert not {t.scribe_token for t in new.tables} & {t.scribe_token for t in old.tables}
    assert len(new.tables) == 3

    assert _plan(new.id) == _plan(old.id) and len(_plan(new.id)) == 4
    live = db.session.scalars(select(Activity.kind).where(Activity.event_id == new.id,
                                                          Activity.live)).all()
    assert live == ["proposals"]  # as a plan starts, whichever ran last in the old one
    copied = select(Activity.id).where(Activity.event_id == new.id)
    assert _count(PollAnswer, PollAnswer.activity_id.in_(copied)) == 0
    assert _count(PanelQuestion, PanelQuestion.activity_id.in_(copied)) == 0
    for model in (Proposal, Vote, Participant):
        assert _count(model, model.event_id == new.id) == 0, model
        assert _count(model, model.event_id == old.id) > 0, model
    assert _count(EventTeamMember, EventTeamMember.event_id == new.id) == 0

    assert [(e.name, e.event_id, e.version) for e in seen] == [("event.created", new.id, 1)]
    assert db.session.scalars(select(StaffAudit.action).where(
        StaffAudit.event_id == new.id)).all() == ["event.copy"]


def test_a_budget_ballot_is_copied_with_its_measures(app, make_event, staff):
    measures = [create_measure(staff.reviewer, {"title": title, "investment_sek": cost})
                ["measure"]["id"] for title, cost in (("Solceller", 300_000),
                                                        ("Laddstolpar", 120_000))]
    old = make_event(voting={"method": "budget", "budget_sek": 400_000,
                             "measure_ids": measures[::-1]}, kind="radslag")
    ids = old.id, repeat.copy_event(staff.facilitator, old.id).id
    db.session.rollback()  # a fresh read of what the requests committed
    old, new = (db.session.get(Event, event_id) for event_id in ids)
    assert new.voting_dict() == old.voting_dict()
    assert [(m.measure_id, m.position, m.cost_sek) for m in new.ballot_measures] == [
        (m.measure_id, m.position, m.cost_sek) for m in old.ballot_measures]


def test_nothing_is_stored_when_the_copy_fails_half_way(app, staff, source, monkeypatch):
    before = _count(Event)

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(repeat, "copy_activity", broken)
    with pytest.raises(RuntimeError):
        repeat.copy_event(staff.facilitator, source.id)
    db.session.rollback()  # a fresh read of what the requests committed
    assert _count(Event) == before


def test_those_who_do_not_run_the_event_are_refused(app, staff, source):
    http, before = app.test_client(), _count(Event)
    path = f"{API}/events/{source.id}/copy"
    # A facilitator not on its team (taken off it), and a reviewer (who may read it but not
    # create events).
    team.remove_team_member(staff.facilitator, source.id, staff.other.id)
    for user in (staff.other, staff.reviewer):
        refused = http.post(path, headers=staff.auth(user))
        assert refused.status_code == 403 and refused.get_json()["error"] == "forbidden"
    # A resident: joined the event, with its cookie and CSRF token, but no staff account.
    phone = app.test_client()
    csrf = join(phone, source)
    resident = phone.post(path, headers={"X-CSRFToken": csrf})
    assert resident.status_code == 401 and resident.get_json()["error"] == "unauthorized"
    form = phone.post(f"/events/{source.id}/copy", data={"csrf_token": csrf})
    assert form.status_code in (302, 303) and "/login" in form.headers["Location"]
    unknown = http.post(f"{API}/events/999999/copy", headers=staff.auth(staff.facilitator))
    assert unknown.status_code == 404 and unknown.get_json()["error"] == "event_not_found"
    db.session.rollback()  # a fresh read of what the requests committed
    assert _count(Event) == before


def test_a_team_moderator_who_runs_events_may_copy(app, staff, source):
    # staff.other is on the source's team as moderator: sees its console, may create events.
    answer = app.test_client().post(f"{API}/events/{source.id}/copy",
                                    headers=staff.auth(staff.other))
    assert answer.status_code == 201
    db.session.rollback()  # a fresh read of what the requests committed
    assert db.session.get(Event, answer.get_json()["id"]).created_by_id == staff.other.id


def _in_english(app, user) -> Colleague:
    """A logged-in browser that reads the pages in English (the msgids the tests look for)."""
    browser = Colleague(app, user.email, user=user)
    assert browser.form("/lang/en").status_code in (302, 303)
    return browser


FORM = re.compile(r'<form method="post" action="(/events/(\d+)/copy)"[^>]*>\s*'
                  r'<input type="hidden" name="csrf_token" value="([^"]+)">')


def test_the_consoles_copy_button_makes_the_copy_and_opens_it(app, staff, source):
    facilitator = _in_english(app, staff.facilitator)
    page = facilitator.http.get(f"/events/{source.id}/console").get_data(as_text=True)
    action, event_id, csrf = FORM.search(page).groups()
    assert int(event_id) == source.id
    assert facilitator.http.get(action).status_code == 405  # no GET side effects
    no_token = facilitator.http.post(action, data={})
    assert no_token.status_code == 400
    assert _count(Event) == 1

    copied = facilitator.http.post(action, data={"csrf_token": csrf})
    assert copied.status_code == 303
    db.session.rollback()  # a fresh read of what the requests committed
    new = db.session.scalars(select(Event).where(Event.id != source.id)).one()
    assert copied.headers["Location"].endswith(f"/events/{new.id}/console")
    console = facilitator.http.get(copied.headers["Location"]).get_data(as_text=True)
    assert new.code in console and "Times were not copied" in console
    assert (new.title, new.phase) == (source.title, "lobby")


def test_the_events_list_offers_copy_to_those_who_may(app, staff, source):
    facilitator = _in_english(app, staff.facilitator)
    listed = facilitator.http.get("/events").get_data(as_text=True)
    assert f'action="/events/{source.id}/copy"' in listed and "Times are not copied" in listed
    listed = facilitator.http.post(f"/events/{source.id}/copy",
                                   data={"csrf_token": facilitator.csrf})
    assert listed.status_code == 303
    reviewer = Colleague(app, staff.reviewer.email, user=staff.reviewer)
    assert "/copy" not in reviewer.http.get("/events").get_data(as_text=True)
    refused = reviewer.form(f"/events/{source.id}/copy")
    assert refused.status_code == 403
