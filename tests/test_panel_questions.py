"""Questions to the panel (issue 17, docs/activities.md): asking and liking on the live
activity only, a like counted once (also under 64 parallel sends), a retried question replayed,
a hidden question reaching only its author and staff on every channel (REST state, the phone's
HTML, the public push, the projector), one question answered at a time, erasure."""

import uuid

import pytest
from sqlalchemy import func, select

from participation.activities import panel
from participation.activities.models import PanelLike, PanelQuestion
from participation.extensions import db

from .conftest import csrf_from, join
from .test_races import BURST, burst, phone_clients

QUESTIONS = {"kind": "questions", "title": "Frågor till panelen"}


def new_id() -> str:
    return uuid.uuid4().hex


def staff_post(app, staff, path, body=None):
    return app.test_client().post(f"/api/v1{path}", json=body or {},
                                  headers=staff.auth(staff.facilitator))


def live_questions(app, staff, event) -> int:
    activity = staff_post(app, staff, f"/events/{event.id}/activities",
                          QUESTIONS).get_json()["activity"]["id"]
    assert staff_post(app, staff, f"/events/{event.id}/activities/{activity}/start"
                      ).status_code == 200
    return activity


class Phone:
    def __init__(self, app, event):
        self.http = app.test_client()
        self.event = event
        self.headers = {"X-CSRFToken": join(self.http, event)}

    def ask(self, activity, text, client_id=None):
        return self.http.post(f"/api/v1/activities/{activity}/responses", headers=self.headers,
                              json={"text": text, "client_id": client_id or new_id()})

    def like(self, question, liked=True, client_id=None):
        send = self.http.post if liked else self.http.delete
        return send(f"/api/v1/questions/{question}/likes", headers=self.headers,
                    json={"client_id": client_id or new_id()})

    def state(self):
        return self.http.get(f"/api/v1/events/{self.event.id}/state").get_json()


def stored(activity) -> list[tuple[str, str, int]]:
    db.session.remove()
    likes = (select(func.count(PanelLike.id)).where(PanelLike.question_id == PanelQuestion.id)
             .correlate(PanelQuestion).scalar_subquery())
    return [tuple(row) for row in db.session.execute(
        select(PanelQuestion.text, PanelQuestion.status, likes)
        .where(PanelQuestion.activity_id == activity).order_by(PanelQuestion.id))]


@pytest.fixture
def event(make_event):
    return make_event(phase="collect")


def test_questions_are_ordered_by_likes_and_a_like_counts_once(app, staff, event):
    activity = live_questions(app, staff, event)
    anna, bo, cia = (Phone(app, event) for _ in range(3))
    first = anna.ask(activity, "När byggs cykelbanan till Ersboda?")
    second = bo.ask(activity, "  Vad kostar   laddstolparna? ")
    assert first.status_code == second.status_code == 200
    assert second.get_json()["question"]["text"] == "Vad kostar laddstolparna?"
    assert second.get_json()["question"]["mine"] is True
    q1, q2 = (r.get_json()["question"]["id"] for r in (first, second))
    for phone in (anna, cia, cia):  # Cia sends twice: it counts once
        assert phone.like(q2).status_code == 200
    liked = bo.like(q2)
    assert liked.get_json()["likes"] == 3 and liked.get_json()["liked"] is True
    assert cia.like(q2, liked=False).get_json()["likes"] == 2
    assert stored(activity) == [("När byggs cykelbanan till Ersboda?", "open", 0),
                                ("Vad kostar laddstolparna?", "open", 2)]
    state = anna.state()["panel"]
    assert [q["id"] for q in state["questions"]] == [q2, q1]
    assert [q["mine"] for q in state["questions"]] == [False, True]
    assert state["liked"] == [q2]
    results = app.test_client().get(f"/api/v1/activities/{activity}/results",
                                    headers=staff.auth(staff.facilitator)).get_json()
    assert [(q["id"], q["likes"]) for q in results["questions"]] == [(q2, 2), (q1, 0)]
    refused = app.test_client().get(f"/api/v1/activities/{activity}/results",
                                    headers=anna.headers)
    assert refused.status_code == 401


def test_a_hidden_question_reaches_only_its_author_and_staff(app, staff, room):
    workshop = room(phase="collect")
    activity = live_questions(app, staff, workshop.event)
    author, other = workshop.phone(), workshop.phone()
    console = workshop.facilitator()
    asked = author.http.post(f"/api/v1/activities/{activity}/responses",
                             headers={"X-CSRFToken": author.http.csrf},
                             json={"text": "Ring mig på 070-1234567", "client_id": new_id()})
    question = asked.get_json()["question"]["id"]
    assert other.received("panel")[-1]["panel"]["questions"][0]["id"] == question
    hidden = staff_post(app, staff, f"/questions/{question}/status", {"status": "hidden"})
    assert hidden.status_code == 200
    assert hidden.get_json()["questions"][0]["status"] == "hidden"
    # The public push (every phone and the projector) leaves it out; the staff push has it.
    assert other.received("panel")[-1]["panel"]["questions"] == []
    assert console.received("staff_panel")[-1]["panel"]["questions"][0]["status"] == "hidden"
    # Another phone: not in its state, not in its page, and it cannot like it.
    other_state = other.http.get(f"/api/v1/events/{workshop.event.id}/state").get_json()
    assert other_state["panel"]["questions"] == []
    page = other.http.get(f"/j/{workshop.event.code}").get_data(as_text=True)
    assert "070-1234567" not in page
    like = other.http.post(f"/api/v1/questions/{question}/likes",
                           headers={"X-CSRFToken": other.http.csrf},
                           json={"client_id": new_id()})
    assert like.status_code == 404 and like.get_json()["error"] == "question_not_found"
    # Its author sees what happened to it; the projector does not show it.
    mine = author.http.get(f"/j/{workshop.event.code}").get_data(as_text=True)
    assert "070-1234567" in mine and "Dold av en moderator" in mine
    projector = app.test_client()
    from .conftest import login
    login(projector, staff.facilitator)
    wall = projector.get(f"/events/{workshop.event.id}/projector").get_data(as_text=True)
    assert "Frågor till panelen" in wall and "070-1234567" not in wall


def test_one_question_is_answered_at_a_time(app, staff, event):
    activity = live_questions(app, staff, event)
    phone = Phone(app, event)
    ids = [phone.ask(activity, f"Fråga {n}").get_json()["question"]["id"] for n in range(3)]
    for question in ids[:2]:
        assert staff_post(app, staff, f"/questions/{question}/status",
                          {"status": "live"}).status_code == 200
    assert [status for _text, status, _likes in stored(activity)] == [
        "answered", "live", "open"]
    live = phone.state()["panel"]["live"]
    assert live["id"] == ids[1]
    bad = staff_post(app, staff, f"/questions/{ids[2]}/status", {"status": "gone"})
    assert bad.status_code == 400 and bad.get_json()["field"] == "status"
    missing = staff_post(app, staff, "/questions/999999/status", {"status": "live"})
    assert missing.status_code == 404


@pytest.mark.parametrize(("text", "code"), [
    ("", "required"), (" \u200b ", "required"), ("x" * 281, "too_long"),
    ("Fråga\x00", "invalid_characters"), (["en", "lista"], "invalid_type"),
])
def test_a_bad_question_is_refused_and_stores_nothing(app, staff, event, text, code):
    activity = live_questions(app, staff, event)
    answer = Phone(app, event).ask(activity, text)
    assert answer.status_code == 400, answer.get_json()
    assert (answer.get_json()["error"], answer.get_json()["field"]) == (code, "text")
    assert stored(activity) == []


def test_writes_to_questions_that_are_not_live_are_refused(app, staff, event):
    activity = live_questions(app, staff, event)
    phone = Phone(app, event)
    question = phone.ask(activity, "Hur går det med bussarna?").get_json()["question"]["id"]
    proposals = app.test_client().get(f"/api/v1/events/{event.id}/activities",
                                      headers=staff.auth(staff.facilitator)
                                      ).get_json()["activities"][0]["id"]
    staff_post(app, staff, f"/events/{event.id}/activities/{proposals}/start")
    asked, liked = phone.ask(activity, "En till?"), phone.like(question)
    assert (asked.status_code, asked.get_json()["error"]) == (409, "not_live")
    assert (liked.status_code, liked.get_json()["error"]) == (409, "not_live")
    assert stored(activity) == [("Hur går det med bussarna?", "open", 0)]
    assert "panel" not in phone.state()


def test_a_retried_question_is_replayed_and_a_person_asks_at_most_ten(app, staff, event):
    activity = live_questions(app, staff, event)
    phone = Phone(app, event)
    first = phone.ask(activity, "Varför just nu?", client_id="ask-retry-1")
    retry = phone.ask(activity, "Varför just nu?", client_id="ask-retry-1")
    assert retry.get_json()["replayed"] is True
    assert retry.get_json()["question"]["id"] == first.get_json()["question"]["id"]
    for n in range(panel.QUESTIONS_PER_PERSON - 1):
        assert phone.ask(activity, f"Fråga {n}").status_code == 200
    eleventh = phone.ask(activity, "En elfte")
    assert (eleventh.status_code, eleventh.get_json()["error"]) == (409, "too_many_questions")
    assert len(stored(activity)) == panel.QUESTIONS_PER_PERSON


def test_parallel_likes_from_one_phone_count_once(any_db_app, make_event, staff):
    event = make_event(phase="collect")
    activity = live_questions(any_db_app, staff, event)
    asker = Phone(any_db_app, event)
    question = asker.ask(activity, "Kan bussen gå oftare?").get_json()["question"]["id"]
    clients, csrf = phone_clients(any_db_app, event, BURST)
    results = burst(any_db_app, clients, csrf, lambda c, h, i: c.post(
        f"/api/v1/questions/{question}/likes", json={"client_id": f"race-like-{i:03d}"},
        headers=h))
    assert {status for status, _ in results} == {200}
    assert stored(activity) == [("Kan bussen gå oftare?", "open", 1)]


def test_the_phone_asks_and_likes_without_javascript(app, staff, event, make_event):
    activity = live_questions(app, staff, event)
    other = Phone(app, event)
    theirs = other.ask(activity, "Vem bestämmer om parkeringen?").get_json()["question"]["id"]
    phone = app.test_client()
    page = phone.get(f"/j/{event.code}").get_data(as_text=True)
    assert page.index('id="panel"') < page.index('id="welcome-heading"')  # first on the page
    # The list has the question; "no questions yet" is only in the script's <template>.
    assert "Vem bestämmer om parkeringen?" in page and page.count("Inga frågor ännu") == 1
    csrf = csrf_from(page)
    asked = phone.post(f"/j/{event.code}/questions", data={
        "panel-csrf_token": csrf, "panel-client_id": new_id(),
        "panel-text": "Hur når vi målet 2030?"})
    assert asked.status_code == 303
    page = phone.get(asked.headers["Location"]).get_data(as_text=True)
    assert "Din fråga är skickad." in page and "Hur når vi målet 2030?" in page
    empty = phone.post(f"/j/{event.code}/questions", data={
        "panel-csrf_token": csrf, "panel-client_id": new_id(), "panel-text": "   "})
    assert empty.status_code == 400 and "Skriv något här." in empty.get_data(as_text=True)
    liked = phone.post(f"/j/{event.code}/questions/{theirs}/like", data={
        "csrf_token": csrf, "client_id": new_id(), "liked": "1"})
    assert liked.status_code == 303 and liked.headers["Location"].endswith(
        f"#panel-question-{theirs}")
    page = phone.get(liked.headers["Location"]).get_data(as_text=True)
    assert 'aria-pressed="true"' in page and "1 gillar" in page
    # Through this event's page, another event's question is not there to like.
    elsewhere = Phone(app, make_event(phase="collect"))
    away = elsewhere.http.post(f"/j/{elsewhere.event.code}/questions/{theirs}/like", data={
        "csrf_token": csrf_from(elsewhere.http.get(f"/j/{elsewhere.event.code}").get_data(
            as_text=True)), "client_id": new_id(), "liked": "1"})
    assert away.status_code == 404
    newest = phone.get(f"/j/{event.code}?ordning=nya").get_data(as_text=True)
    assert newest.index("Hur når vi målet 2030?") < newest.index("Vem bestämmer")
    assert stored(activity) == [("Vem bestämmer om parkeringen?", "open", 1),
                                ("Hur når vi målet 2030?", "open", 0)]


def test_erasing_ones_input_erases_ones_questions_and_likes(app, staff, event):
    activity = live_questions(app, staff, event)
    phone, other = Phone(app, event), Phone(app, event)
    made = phone.http.post(f"/api/v1/events/{event.id}/proposals", headers=phone.headers,
                           json={"title": "Fler pendelparkeringar", "client_id": new_id()}
                           ).get_json()
    phone.ask(activity, "Min fråga")
    theirs = other.ask(activity, "Deras fråga").get_json()["question"]["id"]
    phone.like(theirs)
    code = made["follow_url"].rstrip("/").rsplit("/", 1)[-1]
    erased = phone.http.post(f"/api/v1/follow/{code}/erase", headers=phone.headers)
    assert erased.status_code == 200
    assert (erased.get_json()["proposals"], erased.get_json()["votes"]) == (2, 1)
    assert stored(activity) == [("Deras fråga", "open", 0)]
    # Nor does the text stay in the answers kept for retries.
    from participation.core.receipts import WriteReceipt
    db.session.remove()
    assert not any("Min fråga" in r or "pendelparkeringar" in r
                   for r in db.session.scalars(select(WriteReceipt.result)))


def test_at_an_event_that_approves_first_a_question_waits(app, staff, make_event):
    event = make_event(phase="collect", moderation="pre")
    activity = live_questions(app, staff, event)
    author, other = Phone(app, event), Phone(app, event)
    asked = author.ask(activity, "Varför dröjer bussen?")
    question = asked.get_json()["question"]
    assert question["status"] == "pending"
    assert other.state()["panel"]["questions"] == []
    assert other.like(question["id"]).status_code == 404
    page = author.http.get(f"/j/{event.code}").get_data(as_text=True)
    assert "Varför dröjer bussen?" in page and "Väntar på godkännande" in page
    approved = staff_post(app, staff, f"/questions/{question['id']}/status", {"status": "open"})
    assert approved.status_code == 200
    assert [q["text"] for q in other.state()["panel"]["questions"]] == ["Varför dröjer bussen?"]
    assert other.like(question["id"]).get_json()["likes"] == 1
