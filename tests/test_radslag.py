"""A rådslag: question cards, and a schedule that opens and closes the event on its own."""

from datetime import datetime, timedelta

import pytest

from participation.core.errors import OperationError
from participation.core.time import iso, utcnow
from participation.events.models import Event
from participation.events.operations import change_phase
from participation.events.questions import set_questions
from participation.events.schedule import next_step, run_due, set_schedule
from participation.extensions import db
from participation.proposals.models import Proposal
from participation.proposals.operations import submit_proposal
from participation.proposals.paper import add_paper_proposal

from .conftest import csrf_from, join, login
from .support.sockets import new_id

# 3 December is winter time in Stockholm: UTC+1.
OPENS = datetime(2026, 12, 3, 17, 0)
CLOSES = datetime(2026, 12, 3, 19, 0)


def _fresh(event_id) -> Event:
    db.session.rollback()
    return db.session.get(Event, event_id)


# --- schedule: run_due -------------------------------------------------------------------------

def test_run_due_opens_on_time_not_before_and_pushes_the_phase(room, staff):
    workshop = room(phase="lobby")
    set_schedule(staff.facilitator, workshop.id, OPENS, CLOSES)
    phone = workshop.phone()
    phone.forget()
    assert run_due(now=OPENS - timedelta(seconds=1)) == []
    assert _fresh(workshop.id).phase == "lobby"
    assert run_due(now=OPENS) == [(workshop.id, "collect")]
    event = _fresh(workshop.id)
    assert event.phase == "collect"
    (push,) = phone.received("phase")
    assert (push["phase"], push["by"], push["version"]) == ("collect", "schedule", event.version)
    # Idempotent: a second run, or a second process, finds nothing to do.
    assert run_due(now=OPENS + timedelta(minutes=1)) == []
    assert _fresh(workshop.id).version == event.version


def test_run_due_closes_from_vote_and_from_collect_through_the_transitions(app, make_event,
                                                                          staff):
    voting = make_event(phase="vote", kind="radslag")
    collecting = make_event(phase="collect", kind="radslag")
    for event in (voting, collecting):
        set_schedule(staff.facilitator, event.id, None, CLOSES)
    assert run_due(now=CLOSES - timedelta(minutes=1)) == []
    assert sorted(run_due(now=CLOSES)) == [(voting.id, "results"), (collecting.id, "results")]
    assert _fresh(voting.id).phase == _fresh(collecting.id).phase == "results"
    assert run_due(now=CLOSES + timedelta(hours=1)) == []


def test_run_due_leaves_events_the_schedule_does_not_cover(app, make_event, staff):
    lobby_closing = make_event(kind="radslag")  # never opened: closing time alone moves nothing
    set_schedule(staff.facilitator, lobby_closing.id, None, CLOSES)
    shown = make_event(phase="results", kind="radslag")
    set_schedule(staff.facilitator, shown.id, OPENS, CLOSES)
    unscheduled = make_event(phase="collect")
    assert run_due(now=CLOSES + timedelta(days=1)) == []
    assert [_fresh(e.id).phase for e in (lobby_closing, shown, unscheduled)] == [
        "lobby", "results", "collect"]


def test_a_late_run_opens_then_closes_in_order(app, make_event, staff):
    event = make_event(kind="radslag")
    set_schedule(staff.facilitator, event.id, OPENS, CLOSES)
    assert run_due(now=CLOSES + timedelta(minutes=5)) == [(event.id, "collect"),
                                                          (event.id, "results")]


def test_the_cli_runs_the_schedule(app, make_event, staff):
    event = make_event(kind="radslag")
    past = utcnow() - timedelta(minutes=1)
    set_schedule(staff.facilitator, event.id, past, None)
    result = app.test_cli_runner().invoke(args=["schedule", "run"])
    assert result.exit_code == 0, result.output
    assert f"event {event.id} -> collect" in result.output
    assert _fresh(event.id).phase == "collect"


# --- schedule: the write path refuses after closing, without waiting for the runner -----------

def test_writes_after_closing_time_are_refused_before_the_runner_has_been(app, make_event,
                                                                         staff):
    event = make_event(phase="collect", kind="radslag")
    pid = add_paper_proposal(staff.facilitator, event.id, "Fler bänkar")["proposal"]["id"]
    phone = app.test_client()
    csrf = join(phone, event)
    set_schedule(staff.facilitator, event.id, None, utcnow() - timedelta(seconds=1))
    answer = phone.post(f"/api/v1/events/{event.id}/proposals", headers={"X-CSRFToken": csrf},
                        json={"title": "För sent", "client_id": new_id()})
    assert (answer.status_code, answer.get_json()["error"]) == (409, "event_closed")
    db.session.rollback()
    assert db.session.query(Proposal).count() == 1
    # Voting that is open when the closing time passes takes nothing more either.
    set_schedule(staff.facilitator, event.id, None, None)
    change_phase(staff.facilitator, event.id, "vote")
    set_schedule(staff.facilitator, event.id, None, utcnow() - timedelta(seconds=1))
    vote = phone.post(f"/api/v1/proposals/{pid}/votes", headers={"X-CSRFToken": csrf},
                      json={"client_id": new_id()})
    assert (vote.status_code, vote.get_json()["error"]) == (409, "event_closed")
    # Moving the closing time on lets people in again.
    set_schedule(staff.facilitator, event.id, None, utcnow() + timedelta(hours=1))
    again = phone.post(f"/api/v1/proposals/{pid}/votes", headers={"X-CSRFToken": csrf},
                       json={"client_id": new_id()})
    assert again.status_code == 201


def test_a_phase_set_by_hand_after_closing_time_holds_and_takes_votes(app, make_event, staff):
    """The facilitator reopens voting after the schedule closed the event: the schedule does
    not undo it, and the votes count; saving the schedule makes its closing count again."""
    event = make_event(phase="collect", kind="radslag")
    pid = add_paper_proposal(staff.facilitator, event.id, "Fler bänkar")["proposal"]["id"]
    closes = utcnow() - timedelta(minutes=5)
    set_schedule(staff.facilitator, event.id, None, closes)
    assert run_due() == [(event.id, "results")]
    change_phase(staff.facilitator, event.id, "vote")  # by hand, after the closing time
    assert run_due() == [] and _fresh(event.id).phase == "vote"
    assert next_step(_fresh(event.id)) is None
    phone = app.test_client()
    csrf = join(phone, event)
    vote = phone.post(f"/api/v1/proposals/{pid}/votes", headers={"X-CSRFToken": csrf},
                      json={"client_id": new_id()})
    assert vote.status_code == 201, vote.get_json()
    set_schedule(staff.facilitator, event.id, None, closes)  # the plan again: closed now
    assert next_step(_fresh(event.id)) == {"phase": "results", "at": iso(closes)}
    assert run_due() == [(event.id, "results")]


# --- schedule: setting it ----------------------------------------------------------------------

def test_times_without_an_offset_are_local_and_answers_are_utc(app, make_event, staff, client):
    event = make_event(kind="radslag")
    answer = client.put(f"/api/v1/events/{event.id}/schedule",
                        headers=staff.auth(staff.facilitator),
                        json={"opens_at": "2026-12-03T18:00", "closes_at": "2026-12-03T19:00Z"})
    assert answer.status_code == 200, answer.get_json()
    assert (answer.get_json()["opens_at"], answer.get_json()["closes_at"]) == (
        "2026-12-03T17:00:00.000Z", "2026-12-03T19:00:00.000Z")
    phone = app.test_client()
    page = phone.get(f"/j/{event.code}").get_data(as_text=True)
    assert "Öppnar 3 december kl. 18:00" in page and "Stänger 3 december kl. 20:00" in page
    cleared = client.put(f"/api/v1/events/{event.id}/schedule",
                         headers=staff.auth(staff.facilitator),
                         json={"opens_at": None, "closes_at": None})
    assert cleared.get_json()["opens_at"] is None


def test_an_event_can_be_created_with_a_schedule_and_questions(app, staff, client):
    made = client.post("/api/v1/events", headers=staff.auth(staff.facilitator), json={
        "title": "Rådslag Kvarnholmen", "prompt": "Hur vill du leva här 2030?",
        "kind": "radslag", "voting": {"method": "scale"},
        "questions": ["Hur reser du?", "  Var handlar du?  ", "", "Hur reser du?"],
        "opens_at": "2026-12-03T18:00+01:00", "closes_at": "2026-12-10T18:00+01:00"})
    assert made.status_code == 201, made.get_json()
    data = made.get_json()
    assert [q["text"] for q in data["questions"]] == ["Hur reser du?", "Var handlar du?"]
    assert data["opens_at"] == "2026-12-03T17:00:00.000Z"


@pytest.mark.parametrize("body, field", [
    ({"opens_at": 1700000000}, "opens_at"),
    ({"opens_at": ["2026-12-03"]}, "opens_at"),
    ({"closes_at": True}, "closes_at"),
    ({"opens_at": "imorgon"}, "opens_at"),
    ({"closes_at": "2026-13-40T25:00"}, "closes_at"),
    ({"opens_at": "2026-12-03T18:00", "closes_at": "2026-12-03T18:00"}, "closes_at"),
    ({"opens_at": "2026-12-03T18:00", "closes_at": "2026-12-03T17:00"}, "closes_at"),
    ({"opens_at": "x" * 500}, "opens_at"),
])
def test_bad_schedules_are_refused_with_the_field(app, make_event, staff, client, body, field):
    event = make_event(kind="radslag")
    answer = client.put(f"/api/v1/events/{event.id}/schedule",
                        headers=staff.auth(staff.facilitator), json=body)
    assert answer.status_code == 400, answer.get_json()
    assert answer.get_json()["field"] == field
    assert _fresh(event.id).opens_at is None
    created = client.post("/api/v1/events", headers=staff.auth(staff.facilitator), json={
        "title": "T", "prompt": "P", "kind": "radslag", "voting": {"method": "approval"},
        **body})
    assert (created.status_code, created.get_json()["field"]) == (400, field)


def test_only_the_events_facilitator_sets_its_schedule(app, make_event, staff, client):
    event = make_event(kind="radslag")
    with pytest.raises(OperationError) as refused:
        set_schedule(staff.other, event.id, OPENS, CLOSES)
    assert refused.value.code == "forbidden"
    answer = client.put(f"/api/v1/events/{event.id}/schedule", headers=staff.auth(staff.other),
                        json={"opens_at": "2026-12-03T18:00"})
    assert answer.status_code == 403
    assert client.put(f"/api/v1/events/{event.id}/schedule",
                      json={"opens_at": "2026-12-03T18:00"}).status_code == 401


def test_schedule_over_the_socket_and_the_console_form(room, staff, app):
    workshop = room(phase="lobby")
    phone = workshop.phone()
    console = workshop.facilitator()
    phone.forget()
    ack = console.call("set_schedule", {"opens_at": "2026-12-03T18:00",
                                        "closes_at": "2026-12-03T21:00"})
    assert ack["ok"] and ack["opens_at"] == "2026-12-03T17:00:00.000Z"
    (push,) = phone.received("schedule")
    assert push == {"version": ack["version"], "opens_at": "2026-12-03T17:00:00.000Z",
                    "voting_opens_at": None, "closes_at": "2026-12-03T20:00:00.000Z"}
    bad = console.call("set_schedule", {"opens_at": "snart"})
    assert (bad["ok"], bad["field"]) == (False, "opens_at")
    refused = phone.call("set_schedule", {"opens_at": "2026-12-03T18:00"})
    assert refused["error"] == "forbidden"

    web = app.test_client()
    login(web, staff.facilitator)
    page = web.get(f"/events/{workshop.id}/console").get_data(as_text=True)
    assert 'value="2026-12-03T18:00"' in page and 'type="datetime-local"' in page
    csrf = csrf_from(page)
    posted = web.post(f"/events/{workshop.id}/schedule", data={
        "csrf_token": csrf, "opens_at": "2026-12-04T09:30", "closes_at": ""})
    assert posted.status_code == 302
    event = _fresh(workshop.id)
    assert (event.opens_at, event.closes_at) == (datetime(2026, 12, 4, 8, 30), None)
    web.post(f"/events/{workshop.id}/schedule", data={
        "csrf_token": csrf, "opens_at": "2026-12-04T09:30", "closes_at": "2026-12-04T09:00"})
    page = web.get(f"/events/{workshop.id}/console").get_data(as_text=True)
    assert "Aktiviteten måste stänga efter att den har öppnat." in page


# --- question cards ----------------------------------------------------------------------------

def _with_questions(make_event, staff, texts=("Hur reser du?", "Var handlar du?")):
    return make_event(phase="collect", kind="radslag", questions=list(texts))


def test_a_proposal_answers_one_of_the_events_questions(room, staff):
    workshop = room(phase="lobby")
    set_questions(staff.facilitator, workshop.id, ["Hur reser du?", "Var handlar du?"])
    workshop.to("collect")
    phone = workshop.phone()
    state = phone.call("snapshot", {})["state"]
    q1, q2 = state["event"]["questions"]
    assert q1["text"] == "Hur reser du?"
    ack = phone.call("submit_proposal", {"title": "Cykelbana", "client_id": new_id(),
                                         "question_id": q2["id"]})
    assert ack["ok"] and ack["proposal"]["question_id"] == q2["id"]
    for bad in (None, 999, "abc", True, [q1["id"]], 1.5):
        refused = phone.call("submit_proposal", {"title": "X", "client_id": new_id(),
                                                 "question_id": bad})
        assert (refused["ok"], refused["error"], refused["field"]) == (
            False, "invalid_question", "question_id"), bad


def test_without_questions_a_question_id_is_refused(app, make_event, staff):
    event = make_event(phase="collect")
    phone = app.test_client()
    csrf = join(phone, event)
    answer = phone.post(f"/api/v1/events/{event.id}/proposals", headers={"X-CSRFToken": csrf},
                        json={"title": "X", "client_id": new_id(), "question_id": 1})
    assert (answer.status_code, answer.get_json()["error"]) == (400, "invalid_question")
    ok = phone.post(f"/api/v1/events/{event.id}/proposals", headers={"X-CSRFToken": csrf},
                    json={"title": "X", "client_id": new_id()})
    assert ok.status_code == 201 and ok.get_json()["proposal"]["question_id"] is None


def test_editing_questions_keeps_ids_and_refuses_removing_one_in_use(room, staff, app):
    workshop = room(phase="lobby")
    event = set_questions(staff.facilitator, workshop.id, ["A?", "B?", "C?"])
    ids = {q.text: q.id for q in event.questions}
    workshop.to("collect")
    phone = workshop.phone()
    phone.call("submit_proposal", {"title": "Svar", "client_id": new_id(),
                                   "question_id": ids["B?"]})
    phone.forget()
    event = set_questions(staff.facilitator, workshop.id, ["Nya?", "B?", "A?"])
    assert [(q.text, q.id if q.text != "Nya?" else None) for q in event.questions] == [
        ("Nya?", None), ("B?", ids["B?"]), ("A?", ids["A?"])]
    (push,) = phone.received("questions")
    assert [q["text"] for q in push["questions"]] == ["Nya?", "B?", "A?"]
    assert push["version"] == _fresh(workshop.id).version
    with pytest.raises(OperationError) as in_use:
        set_questions(staff.facilitator, workshop.id, ["A?"])
    assert in_use.value.code == "question_in_use"
    assert [q.text for q in _fresh(workshop.id).questions] == ["Nya?", "B?", "A?"]


@pytest.mark.parametrize("questions", [None, "En fråga", [1], [["A?"]],
                                       [f"Fråga {n}?" for n in range(9)], ["x" * 301]])
def test_bad_question_lists_are_refused(app, make_event, staff, client, questions):
    event = make_event(kind="radslag")
    answer = client.put(f"/api/v1/events/{event.id}/questions",
                        headers=staff.auth(staff.facilitator), json={"questions": questions})
    assert answer.status_code == 400, answer.get_json()
    assert answer.get_json()["field"] == "questions"


def test_only_the_events_facilitator_edits_its_questions(app, make_event, staff, client):
    event = make_event(kind="radslag")
    with pytest.raises(OperationError) as refused:
        set_questions(staff.other, event.id, ["A?"])
    assert refused.value.code == "forbidden"
    answer = client.put(f"/api/v1/events/{event.id}/questions", headers=staff.auth(staff.other),
                        json={"questions": ["A?"]})
    assert answer.status_code == 403
    ok = client.put(f"/api/v1/events/{event.id}/questions",
                    headers=staff.auth(staff.facilitator), json={"questions": ["A?"]})
    assert [q["text"] for q in ok.get_json()["questions"]] == ["A?"]


def test_questions_over_the_socket(room, staff):
    workshop = room(phase="lobby")
    console = workshop.facilitator()
    ack = console.call("set_questions", {"questions": ["Hur reser du?"]})
    assert ack["ok"] and [q["text"] for q in ack["questions"]] == ["Hur reser du?"]
    bad = console.call("set_questions", {"questions": "Hur reser du?"})
    assert (bad["ok"], bad["field"]) == (False, "questions")


def test_question_cards_without_javascript(app, make_event, staff):
    event = make_event(kind="radslag", phase="collect", questions=["Hur reser du?",
                                                                   "Var handlar du?"])
    q1 = event.questions[0].id
    phone = app.test_client()
    page = phone.get(f"/j/{event.code}").get_data(as_text=True)
    assert 'name="question_id"' in page and "Var handlar du?" in page
    csrf = csrf_from(page)
    missing = phone.post(f"/j/{event.code}/proposals", data={
        "csrf_token": csrf, "title": "Utan fråga", "client_id": new_id()})
    assert missing.status_code == 422
    assert "Välj vilken fråga ditt förslag svarar på." in missing.get_data(as_text=True)
    posted = phone.post(f"/j/{event.code}/proposals", data={
        "csrf_token": csrf, "title": "Med fråga", "client_id": new_id(), "question_id": str(q1)})
    assert posted.status_code == 303
    db.session.rollback()
    (proposal,) = db.session.query(Proposal).all()
    assert proposal.question_id == q1
    page = phone.get(f"/j/{event.code}").get_data(as_text=True)
    assert f'data-question-id="{q1}"' in page


def test_questions_from_the_create_form_and_the_console(app, staff):
    web = app.test_client()
    login(web, staff.facilitator)
    csrf = csrf_from(web.get("/events/new").get_data(as_text=True))
    posted = web.post("/events/new", data={
        "csrf_token": csrf, "title": "Rådslag", "prompt": "Framtiden", "kind": "radslag",
        "voting_method": "approval", "moderation": "post", "dots": "5",
        "max_per_proposal": "3", "questions": "Hur reser du?\n\nVar handlar du?\n",
        "opens_at": "2026-12-03T18:00", "closes_at": "2026-12-03T21:00"})
    assert posted.status_code == 302, posted.get_data(as_text=True)
    event_id = int(posted.headers["Location"].split("/")[-2])
    event = _fresh(event_id)
    assert [q.text for q in event.questions] == ["Hur reser du?", "Var handlar du?"]
    assert event.opens_at == datetime(2026, 12, 3, 17, 0)
    bad = web.post("/events/new", data={
        "csrf_token": csrf, "title": "Rådslag", "prompt": "Framtiden", "kind": "radslag",
        "voting_method": "approval", "moderation": "post", "dots": "5",
        "max_per_proposal": "3", "opens_at": "imorgon"})
    assert bad.status_code == 422 and "Ange datum och tid" in bad.get_data(as_text=True)
    console = web.get(f"/events/{event_id}/console").get_data(as_text=True)
    assert "Hur reser du?\nVar handlar du?" in console
    web.post(f"/events/{event_id}/questions", data={
        "csrf_token": csrf, "questions": "Var handlar du?\nHur bor du?"})
    assert [q.text for q in _fresh(event_id).questions] == ["Var handlar du?", "Hur bor du?"]


def test_a_submission_from_the_operation_needs_the_question(app, make_event, staff):
    event = _with_questions(make_event, staff)
    with pytest.raises(OperationError) as refused:
        submit_proposal(event.id, "token-radslag-1", "Titel", "", new_id())
    assert (refused.value.code, refused.value.field) == ("invalid_question", "question_id")


def test_a_runner_that_lost_the_race_changes_nothing(app, make_event, staff):
    """Two runners list the same due event; the second finds it moved under the lock."""
    from participation.events import schedule

    event = make_event(kind="radslag")
    set_schedule(staff.facilitator, event.id, OPENS, None)
    assert schedule._move(event.id, OPENS) == ["collect"]
    version = _fresh(event.id).version
    assert schedule._move(event.id, OPENS) == []
    assert _fresh(event.id).version == version  # the lost race rolled its version bump back


def test_the_loop_is_off_at_zero_seconds(app):
    from participation.events.schedule import start_loop

    app.config["SCHEDULE_INTERVAL_SECONDS"] = 0
    assert start_loop(app) is None


# --- schedule: a rådslag that runs for days on its own, with a rating window ------------------

def test_a_scheduled_radslag_with_ratings_collects_rates_and_shows_results_on_its_own(room,
                                                                                      staff):
    """Days of collecting, days of rating, then the results: all on the schedule's clock
    (run_due's `now`), with nobody at the console; the ratings given in the window count."""
    now = utcnow()
    opens, voting, closes = (now + timedelta(hours=1), now + timedelta(days=3),
                             now + timedelta(days=7))
    workshop = room(phase="lobby", kind="radslag", voting={"method": "scale"})
    set_schedule(staff.facilitator, workshop.id, opens, closes, voting)
    assert next_step(_fresh(workshop.id)) == {"phase": "collect", "at": iso(opens)}
    ann, bo = workshop.phone(), workshop.phone()
    assert run_due(now=opens - timedelta(seconds=1)) == []
    assert run_due(now=opens) == [(workshop.id, "collect")]
    bikes = workshop.propose(ann, "Fler cykelbanor")
    buses = workshop.propose(bo, "Tätare bussar")
    # Still collecting a day later: a rating before the window is refused, nothing moves.
    assert run_due(now=opens + timedelta(days=1)) == []
    early = ann.call("vote", {"proposal_id": bikes, "score": 5, "client_id": new_id()})
    assert (early["ok"], early["error"]) == (False, "wrong_phase")
    assert next_step(_fresh(workshop.id)) == {"phase": "vote", "at": iso(voting)}

    ann.forget()
    assert run_due(now=voting) == [(workshop.id, "vote")]
    (push,) = ann.received("phase")
    assert (push["phase"], push["by"]) == ("vote", "schedule")
    for phone, proposal, score in ((ann, bikes, 5), (ann, buses, 2), (bo, bikes, 4)):
        ack = phone.call("vote", {"proposal_id": proposal, "score": score, "client_id": new_id()})
        assert ack["ok"], ack
    assert run_due(now=closes - timedelta(minutes=1)) == []
    assert _fresh(workshop.id).phase == "vote"

    bo.forget()
    assert run_due(now=closes) == [(workshop.id, "results")]
    assert _fresh(workshop.id).phase == "results"
    (push,) = bo.received("phase")
    assert (push["phase"], push["by"]) == ("results", "schedule")
    first, second = push["results"]
    assert (first["id"], first["ratings"], first["mean"]) == (bikes, 2, 4.5)
    assert (second["id"], second["ratings"], second["mean"]) == (buses, 1, 2.0)
    assert next_step(_fresh(workshop.id)) is None


def test_a_late_run_walks_every_scheduled_time_in_order(app, make_event, staff):
    event = make_event(kind="radslag", voting={"method": "scale"})
    set_schedule(staff.facilitator, event.id, OPENS, CLOSES, OPENS + timedelta(hours=1))
    assert run_due(now=CLOSES) == [(event.id, "collect"), (event.id, "vote"),
                                   (event.id, "results")]


def test_a_phase_changed_by_hand_holds_until_the_next_scheduled_time(app, make_event, staff):
    """Pulled back to collecting during the rating window: the schedule leaves it there (no
    undo seconds later), and still closes it at the closing time."""
    now = utcnow()
    event = make_event(kind="radslag", voting={"method": "scale"})
    voting, closes = now - timedelta(hours=1), now + timedelta(days=2)
    set_schedule(staff.facilitator, event.id, now - timedelta(days=1), closes, voting)
    assert run_due(now=now) == [(event.id, "collect"), (event.id, "vote")]
    change_phase(staff.facilitator, event.id, "collect")  # more proposals first
    assert run_due(now=utcnow() + timedelta(seconds=5)) == []
    assert _fresh(event.id).phase == "collect"
    assert next_step(_fresh(event.id)) == {"phase": "results", "at": iso(closes)}
    change_phase(staff.facilitator, event.id, "vote")
    assert run_due(now=closes) == [(event.id, "results")]


@pytest.mark.parametrize("times, field", [
    (("2026-12-03T18:00", "2026-12-03T17:00", None), "voting_opens_at"),
    ((None, "2026-12-05T18:00", "2026-12-05T18:00"), "closes_at"),
    ((None, "2026-12-06T18:00", "2026-12-05T18:00"), "closes_at"),
    ((None, "nästa vecka", None), "voting_opens_at"),
])
def test_a_voting_window_out_of_order_is_refused_on_its_field(app, make_event, staff, client,
                                                              times, field):
    opens, voting, closes = times
    event = make_event(kind="radslag")
    answer = client.put(f"/api/v1/events/{event.id}/schedule",
                        headers=staff.auth(staff.facilitator),
                        json={"opens_at": opens, "voting_opens_at": voting, "closes_at": closes})
    assert (answer.status_code, answer.get_json()["field"]) == (400, field)
    assert _fresh(event.id).voting_opens_at is None


def test_the_console_says_what_the_schedule_does_next(app, make_event, staff):
    event = make_event(kind="radslag", voting={"method": "scale"}, phase="collect")
    web = app.test_client()
    login(web, staff.facilitator)
    csrf = csrf_from(web.get(f"/events/{event.id}/console").get_data(as_text=True))
    posted = web.post(f"/events/{event.id}/schedule", data={
        "csrf_token": csrf, "opens_at": "", "voting_opens_at": "2030-12-12T18:00",
        "closes_at": "2030-12-19T18:00"})
    assert posted.status_code == 302
    page = web.get(f"/events/{event.id}/console").get_data(as_text=True)
    assert "Schemat öppnar röstningen 12 december kl. 18:00." in page
    assert 'value="2030-12-12T18:00"' in page
    # Without a voting time it warns that nobody would get to vote.
    web.post(f"/events/{event.id}/schedule", data={
        "csrf_token": csrf, "opens_at": "", "voting_opens_at": "",
        "closes_at": "2030-12-19T18:00"})
    page = web.get(f"/events/{event.id}/console").get_data(as_text=True)
    assert "Schemat stänger aktiviteten och visar resultatet 19 december kl. 18:00." in page
    assert "Ingen tid för röstning" in page
