"""Data out and accountability: exports without identities, the public event page, the
resident's follow page."""

import io
import json
import zipfile

import pytest

from participation.backlog.models import Measure, MeasureStatusEntry, ProposalLink
from participation.extensions import db
from participation.participants.models import Participant
from participation.proposals.moderation import hide_proposal
from participation.review import operations
from participation.review.export import PROPOSAL_COLUMNS, VOTE_COLUMNS

from .conftest import csrf_from, join, login
from .test_review import workshop

NAME = "Anna Andersdotter"


def _named_event(app, make_event, staff):
    """A proposal written by a resident who gave her name, voted on by two tokens."""
    event = make_event(phase="collect")
    phone = app.test_client()
    csrf = join(phone, event)
    phone.post(f"/j/{event.code}/name", data={"csrf_token": csrf, "display_name": NAME})
    made = phone.post(f"/api/v1/events/{event.id}/proposals", headers={"X-CSRFToken": csrf},
                      json={"title": "Fler träd på torget", "client_id": "named-client-1"})
    assert made.status_code == 201, made.get_json()
    pid = made.get_json()["proposal"]["id"]
    assert made.get_json()["proposal"]["author_name"] == NAME
    from participation.events.operations import change_phase
    from participation.proposals.operations import cast_vote

    change_phase(staff.facilitator, event.id, "vote")
    cast_vote(pid, lambda _e: "secret-voter-token-1", "named-vote-1")
    operations.set_review(staff.reviewer, pid, "reviewing", "Parkförvaltningen tittar på det.")
    return event, pid


def _xlsx_text(body: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(body)) as book:
        return b"".join(book.read(name) for name in book.namelist())


@pytest.mark.parametrize("path", ["/review/proposals", "/review/votes"])
def test_exports_hold_no_identities_in_any_format(app, make_event, staff, path):
    event, pid = _named_event(app, make_event, staff)
    operations.add_comment(staff.reviewer, pid, "Intern anteckning om förslaget")
    secrets = [NAME.encode(), b"secret-voter-token-1", b"Intern anteckning"]
    for participant in db.session.query(Participant).all():
        secrets.append(participant.token.encode())
        if participant.follow_code:
            secrets.append(participant.follow_code.encode())
    assert any(p.follow_code for p in db.session.query(Participant))
    browser = app.test_client()
    login(browser, staff.reviewer)
    for fmt in ("csv", "xlsx", "json"):
        response = browser.get(f"{path}.{fmt}")
        assert response.status_code == 200, fmt
        body = response.data if fmt != "xlsx" else _xlsx_text(response.data)
        for secret in secrets:
            assert secret not in body, (fmt, secret)
        assert b"rev@example.se" not in body  # nor the staff who reviewed it
    got = json.loads(browser.get(f"{path}.json").data)
    assert got["columns"] == list(PROPOSAL_COLUMNS if "proposals" in path else VOTE_COLUMNS)
    (row,) = got["rows"]
    assert row["proposal_id"] == pid and row["supporters"] == 1
    if "proposals" in path:
        assert row["review_status"] == "reviewing"
        assert row["public_answer"] == "Parkförvaltningen tittar på det."
    assert browser.get(f"{path}.pdf").status_code == 404


def test_exports_over_rest_with_filters(app, make_event, staff):
    event, pid = _named_event(app, make_event, staff)
    other, _ = workshop(make_event, staff, ["Något annat"], {})
    http = app.test_client()
    headers = staff.auth(staff.reviewer)
    listed = http.get(f"/api/v1/proposals?event_id={event.id}", headers=headers).get_json()
    assert [r["proposal_id"] for r in listed["rows"]] == [pid]
    assert NAME not in json.dumps(listed)
    csv = http.get("/api/v1/proposals?format=csv&status=reviewing", headers=headers)
    assert csv.mimetype == "text/csv" and b"Fler tr" in csv.data and b"Annat" not in csv.data
    xlsx = http.get("/api/v1/votes/aggregated?format=xlsx", headers=headers)
    assert xlsx.data[:2] == b"PK" and NAME.encode() not in _xlsx_text(xlsx.data)
    for bad, field in (("format=pdf", "format"), ("event_id=x", "event_id"),
                       ("status=klar", "status"), ("kind=fest", "kind")):
        refused = http.get(f"/api/v1/proposals?{bad}", headers=headers)
        assert (refused.status_code, refused.get_json()["field"]) == (400, field)
    assert http.get("/api/v1/proposals").status_code == 401
    # A facilitator sees only the events they may review.
    mine = http.get("/api/v1/proposals", headers=staff.auth(staff.other)).get_json()
    assert mine["rows"] == []
    assert other.id


def test_public_event_page_shows_outcome_without_names(app, make_event, staff):
    event, pid = _named_event(app, make_event, staff)
    measure = Measure(title="Grönare torg", status="planned")
    db.session.add(measure)
    db.session.flush()
    operations.set_review(staff.reviewer, pid, "received", "")
    db.session.add(ProposalLink(proposal_id=pid, measure_id=measure.id, kind="supports"))
    from participation.review.state import record_status

    record_status(db.session, pid, "in_backlog", "Ingår i planen för torget.", staff.reviewer)
    db.session.commit()
    page = app.test_client().get(f"/offentligt/{event.code}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Fler träd på torget" in html and NAME not in html
    assert "Ingår i planen för torget." in html and "Finns i åtgärdsportföljen" in html
    assert f'href="/atgarder/{measure.id}"' in html and "Planerad av staden" in html
    data = app.test_client().get(f"/api/v1/public/events/{event.code}").get_json()
    assert data["proposals"][0]["measure"]["url"] == f"/atgarder/{measure.id}"
    assert NAME not in json.dumps(data)
    assert app.test_client().get("/offentligt/NOPE").status_code == 404
    group = make_event(kind="referensgrupp")
    assert app.test_client().get(f"/offentligt/{group.code}").status_code == 404


def test_follow_page_shows_each_proposal_with_its_timeline(app, make_event, staff):
    event = make_event(phase="collect")
    phone = app.test_client()
    csrf = join(phone, event)
    for n, title in enumerate(("Fler träd", "Bänkar vid ån", "Dubbel idé")):
        made = phone.post(f"/api/v1/events/{event.id}/proposals",
                          headers={"X-CSRFToken": csrf},
                          json={"title": title, "client_id": f"follow-client-{n}"})
        assert made.status_code == 201
    ids = [p["id"] for p in phone.get(f"/api/v1/events/{event.id}/state").get_json()
           ["proposals"]]
    snapshot = phone.get(f"/api/v1/events/{event.id}/state").get_json()
    url = snapshot["me"]["follow_url"]
    assert url.startswith("http://testserver/folj/")
    assert url in phone.get(f"/j/{event.code}").get_data(as_text=True)  # shown on the phone
    path = url.removeprefix("http://testserver")

    operations.set_review(staff.reviewer, ids[0], "reviewing", "Vi utreder platsen.")
    measure = Measure(title="Bänkprogram", status="assessing")
    db.session.add(measure)
    db.session.flush()
    db.session.add(MeasureStatusEntry(measure_id=measure.id, status="assessing",
                                      reason="Kostnaden räknas fram."))
    db.session.add(ProposalLink(proposal_id=ids[1], measure_id=measure.id, kind="created_from"))
    db.session.commit()
    hide_proposal(staff.facilitator, ids[2], "Samma som ett annat förslag")

    stranger = app.test_client()  # the link alone is enough: no cookie, no login
    page = stranger.get(path)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "private, no-store"
    html = page.get_data(as_text=True)
    for text in ("Fler träd", "Handläggs", "Vi utreder platsen.", "Bänkprogram",
                 "Utreds av staden", "Kostnaden räknas fram.", "Samma som ett annat förslag",
                 f'href="/atgarder/{measure.id}"'):
        assert text in html, text
    data = stranger.get("/api/v1" + path.replace("/folj/", "/follow/")).get_json()
    assert [p["id"] for p in data["proposals"]] == sorted(ids, reverse=True)
    timeline = next(p for p in data["proposals"] if p["id"] == ids[0])["timeline"]
    assert [t["kind"] for t in timeline] == ["submitted", "review"]
    for bad in ("/folj/short", "/folj/" + "x" * 30, "/folj/abcdefghijklmnop"):
        assert stranger.get(bad).status_code == 404
    assert stranger.get("/api/v1/follow/abcdefghijklmnop").status_code == 404
    assert csrf_from(page.get_data(as_text=True))


def test_follow_timeline_starts_the_measure_where_the_proposal_joined_it(app, make_event):
    from datetime import timedelta

    from participation.core.time import iso, utcnow

    event = make_event(phase="collect")
    phone = app.test_client()
    csrf = join(phone, event)
    phone.post(f"/api/v1/events/{event.id}/proposals", headers={"X-CSRFToken": csrf},
               json={"title": "Laddstolpar vid skolan", "client_id": "timeline-client-1"})
    snapshot = phone.get(f"/api/v1/events/{event.id}/state").get_json()
    pid = snapshot["proposals"][0]["id"]
    code = snapshot["me"]["follow_url"].rsplit("/", 1)[1]
    linked_at = utcnow() + timedelta(hours=1)
    db.session.rollback()  # a fresh snapshot: the phone wrote since this session last read
    measure = Measure(title="Laddinfrastruktur", status="assessing")
    db.session.add(measure)
    db.session.flush()
    for days, status, reason in ((-30, "idea", "Förslag från förvaltningen."),
                                 (-10, "assessing", "Kostnaden räknas fram."),
                                 (20, "planned", "Med i investeringsplanen.")):
        db.session.add(MeasureStatusEntry(measure_id=measure.id, status=status, reason=reason,
                                          created_at=linked_at + timedelta(days=days)))
    db.session.add(ProposalLink(proposal_id=pid, measure_id=measure.id, kind="supports",
                                created_at=linked_at))
    db.session.commit()

    data = app.test_client().get(f"/api/v1/follow/{code}").get_json()
    steps = [(t["kind"], t.get("status")) for t in data["proposals"][0]["timeline"]]
    # The idea stage before the link is not the resident's story; the state at the link is.
    assert steps == [("submitted", None), ("measure", "assessing"), ("measure", "planned")]
    assert data["proposals"][0]["timeline"][1]["at"] == iso(linked_at)
