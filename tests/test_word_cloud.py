"""A word cloud (issue 17, docs/activities.md): up to three words per person replacing the
earlier ones, grouped by Swedish stems with stop words dropped, a word hidden by a moderator
reaching only staff (also its later spellings), refusals that store nothing, one person's
parallel sends leaving one set, the phone without JavaScript, and erasure."""

import uuid

import pytest
from sqlalchemy import select

from participation.activities.models import CloudWord
from participation.extensions import db

from .conftest import csrf_from, join, login
from .test_races import BURST, burst, phone_clients


def new_id() -> str:
    return uuid.uuid4().hex


@pytest.fixture
def event(make_event):
    return make_event(phase="collect")


def live_cloud(app, staff, event, title="Vad tar du med dig från i kväll?") -> int:
    http = app.test_client()
    headers = staff.auth(staff.facilitator)
    added = http.post(f"/api/v1/events/{event.id}/activities",
                      json={"kind": "words", "title": title}, headers=headers)
    assert added.status_code == 201, added.get_json()
    activity = added.get_json()["activity"]["id"]
    http.post(f"/api/v1/events/{event.id}/activities/{activity}/start", headers=headers)
    return activity


def send(app, event, activity, words, phone=None):
    phone = phone or app.test_client()
    return phone.post(f"/api/v1/activities/{activity}/responses",
                      headers={"X-CSRFToken": join(phone, event)},
                      json={"words": words, "client_id": new_id()})


def results(app, staff, activity) -> dict:
    return app.test_client().get(f"/api/v1/activities/{activity}/results",
                                 headers=staff.auth(staff.facilitator)).get_json()


def stored(activity) -> list[tuple[int, str]]:
    db.session.remove()
    return [tuple(row) for row in db.session.execute(
        select(CloudWord.participant_id, CloudWord.word).where(CloudWord.activity_id == activity)
        .order_by(CloudWord.participant_id, CloudWord.position))]


def test_words_group_by_their_stems_and_stop_words_count_for_nothing(app, staff, event):
    activity = live_cloud(app, staff, event)
    anna = app.test_client()
    assert send(app, event, activity, ["Bussen", "och", "bussar"], anna).get_json()[
        "words"] == ["Bussen"]  # "och" counts for nothing, "bussar" is her "Bussen" again
    send(app, event, activity, ["buss", "cykel"])
    send(app, event, activity, ["Gemenskapen", "BUSS"])
    cloud = results(app, staff, activity)
    assert cloud["people"] == 3
    assert [(w["word"], w["people"]) for w in cloud["words"]] == [
        ("buss", 3), ("cykel", 1), ("gemenskapen", 1)]
    # A new send replaces her words.
    assert send(app, event, activity, ["Trygghet"], anna).status_code == 200
    words = {w["word"]: w["people"] for w in results(app, staff, activity)["words"]}
    assert words == {"buss": 2, "cykel": 1, "gemenskapen": 1, "trygghet": 1}
    state = anna.get(f"/api/v1/events/{event.id}/state").get_json()["cloud"]
    assert state["mine"] == ["Trygghet"] and "hidden" not in state["words"][0]


@pytest.mark.parametrize(("words", "code"), [
    ([], "invalid_words"), (["a", "b", "c", "d"], "invalid_words"), ("x" * 31, "too_long"),
    (["och", "att"], "no_words"), ([" "], "required"), ([3], "invalid_type"),
    (["ord\x00"], "invalid_characters"), ({"ord": 1}, "invalid_words"),
])
def test_bad_words_are_refused_and_nothing_is_stored(app, staff, event, words, code):
    activity = live_cloud(app, staff, event)
    refused = send(app, event, activity, words)
    assert refused.status_code == 400, refused.get_json()
    assert (refused.get_json()["error"], refused.get_json()["field"]) == (code, "words")
    assert stored(activity) == []


def test_a_hidden_word_reaches_only_staff_also_when_spelled_anew(app, staff, room):
    workshop = room(phase="collect")
    activity = live_cloud(app, staff, workshop.event)
    phone = workshop.phone()
    send(app, workshop.event, activity, ["Idioter", "buss"])
    stem = next(w["stem"] for w in results(app, staff, activity)["words"]
                if w["word"] == "idioter")
    hidden = app.test_client().post(f"/api/v1/activities/{activity}/words/hidden",
                                    json={"stem": stem, "hidden": True},
                                    headers=staff.auth(staff.facilitator))
    assert hidden.status_code == 200
    assert [w["hidden"] for w in hidden.get_json()["words"] if w["stem"] == stem] == [True]
    send(app, workshop.event, activity, ["idioterna"])  # a later spelling stays out too
    send(app, workshop.event, activity, ["dumma idioter"])  # and so does a phrase with it
    pushed = phone.received("cloud")[-1]["cloud"]
    assert [w["word"] for w in pushed["words"]] == ["buss"]
    state = phone.http.get(f"/api/v1/events/{workshop.event.id}/state").get_json()["cloud"]
    assert [w["word"] for w in state["words"]] == ["buss"]
    projector = app.test_client()
    login(projector, staff.facilitator)
    wall = projector.get(f"/events/{workshop.event.id}/projector").get_data(as_text=True)
    assert "buss" in wall and "idiot" not in wall.casefold() and "dumma" not in wall
    page = phone.http.get(f"/j/{workshop.event.code}").get_data(as_text=True)
    assert "idiot" not in page.casefold()
    console = projector.get(f"/events/{workshop.event.id}/console").get_data(as_text=True)
    assert "idioter" in console and "Visa" in console  # staff see it, to show it again
    shown = app.test_client().post(f"/api/v1/activities/{activity}/words/hidden",
                                   json={"stem": stem, "hidden": False},
                                   headers=staff.auth(staff.facilitator))
    assert {w["word"]: w["people"] for w in shown.get_json()["words"]}["idioter"] == 2


def test_parallel_sends_from_one_phone_leave_one_set(any_db_app, make_event, staff):
    event = make_event(phase="collect")
    activity = live_cloud(any_db_app, staff, event)
    clients, csrf = phone_clients(any_db_app, event, BURST)
    answers = burst(any_db_app, clients, csrf, lambda c, h, i: c.post(
        f"/api/v1/activities/{activity}/responses",
        json={"words": [f"ord{i}", "cykel"], "client_id": f"race-words-{i:03d}"}, headers=h))
    assert {status for status, _ in answers} == {200}
    rows = stored(activity)
    last = max((body for _, body in answers), key=lambda b: b["version"])
    assert [word for _person, word in rows] == last["words"]


def test_the_phone_sends_words_without_javascript(app, staff, event):
    activity = live_cloud(app, staff, event)
    phone = app.test_client()
    page = phone.get(f"/j/{event.code}").get_data(as_text=True)
    assert page.index('id="cloud"') < page.index('id="welcome-heading"')
    csrf = csrf_from(page)
    sent = phone.post(f"/j/{event.code}/words", data={
        "csrf_token": csrf, "client_id": new_id(), "words": ["Mod", "", "hopp"]})
    assert sent.status_code == 303
    page = phone.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Dina ord finns i molnet." in page and 'value="Mod"' in page
    assert "Ändra mina ord" in page
    only_small = phone.post(f"/j/{event.code}/words", data={
        "csrf_token": csrf, "client_id": new_id(), "words": ["och", "", ""]})
    assert only_small.status_code == 400
    assert "småord" in only_small.get_data(as_text=True)
    assert [word for _person, word in stored(activity)] == ["Mod", "hopp"]


def test_erasing_ones_input_erases_ones_words(app, staff, event):
    activity = live_cloud(app, staff, event)
    phone = app.test_client()
    made = phone.post(f"/api/v1/events/{event.id}/proposals",
                      headers={"X-CSRFToken": join(phone, event)},
                      json={"title": "Fler bänkar", "client_id": new_id()}).get_json()
    send(app, event, activity, ["Hopp", "Mod"], phone)
    send(app, event, activity, ["Buss"])
    code = made["follow_url"].rstrip("/").rsplit("/", 1)[-1]
    erased = phone.post(f"/api/v1/follow/{code}/erase",
                        headers={"X-CSRFToken": join(phone, event)})
    assert erased.status_code == 200 and erased.get_json()["proposals"] == 3
    assert [word for _person, word in stored(activity)] == ["Buss"]
