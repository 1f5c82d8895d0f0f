"""The evening's activities in the event's report (issue 17): the review page and the file
show each activity's results as staff see them, the evaluation without who wrote what."""

import csv
import io
import uuid

from .conftest import join, login


def new_id() -> str:
    return uuid.uuid4().hex


def test_the_report_shows_every_activity_and_the_file_has_a_line_per_item(app, staff,
                                                                          make_event):
    event = make_event(phase="collect")
    api = app.test_client()
    headers = staff.auth(staff.facilitator)
    ids = {}
    for body in ({"kind": "poll", "title": "Hur kom du hit?", "options": ["Cykel", "Buss"]},
                 {"kind": "questions", "title": "Frågor"},
                 {"kind": "words", "title": "Ett ord"}, {"kind": "evaluation"}):
        ids[body["kind"]] = api.post(f"/api/v1/events/{event.id}/activities", json=body,
                                     headers=headers).get_json()["activity"]["id"]
    phone = app.test_client()
    phone_headers = {"X-CSRFToken": join(phone, event)}
    answers = {"poll": {"choices": [1]}, "questions": {"text": "Varför nu?"},
               "words": {"words": ["Bussen"]},
               "evaluation": {"ratings": {"overall": 4}, "text": "Bra kväll"}}
    for kind, body in answers.items():
        api.post(f"/api/v1/events/{event.id}/activities/{ids[kind]}/start", headers=headers)
        sent = phone.post(f"/api/v1/activities/{ids[kind]}/responses", headers=phone_headers,
                          json=body | {"client_id": new_id()})
        assert sent.status_code == 200, sent.get_json()
    reviewer = app.test_client()
    login(reviewer, staff.reviewer)
    page = reviewer.get(f"/review/events/{event.id}").get_data(as_text=True)
    assert "Kvällens aktiviteter" in page
    for text in ("Buss: 1 person", "Varför nu?", "bussen (1)", "Kvällen var väl använd tid.",
                 "4,0", "Bra kväll"):
        assert text in page, text
    download = reviewer.get(f"/review/events/{event.id}/activities.csv")
    assert download.status_code == 200
    rows = list(csv.DictReader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
    assert {(r["kind"], r["item"], r["people"]) for r in rows} >= {
        ("poll", "Buss", "1"), ("questions", "Varför nu?", "0"), ("words", "bussen", "1"),
        ("evaluation", "Kvällen var väl använd tid.", "1")}
    assert [r["status"] for r in rows if r["item"] == "Bra kväll"] == ["comment"]
    assert "participant" not in download.get_data(as_text=True)
    bare = make_event(phase="collect")
    assert reviewer.get(f"/review/events/{bare.id}/activities.csv").status_code == 404
    assert phone.get(f"/review/events/{event.id}/activities.csv").status_code in (302, 303)
