"""Review across events: statuses and public answers, the discussion, filters, permissions."""

import re

import pytest

from participation.core.errors import OperationError
from participation.events.operations import change_phase
from participation.extensions import db
from participation.participants.models import Participant
from participation.proposals.moderation import hide_proposal
from participation.proposals.operations import cast_vote, submit_proposal
from participation.review import operations
from participation.review.models import ReviewComment, ReviewEntry

from .conftest import csrf_from, login


def workshop(make_event, staff, titles, ballots, **kwargs):
    """An event in `results` with proposals by their own authors and votes cast by tokens.

    ballots: token -> list of proposal positions (0-based) the person votes for."""
    event = make_event(phase="collect", **kwargs)
    ids = []
    for n, title in enumerate(titles):
        result = submit_proposal(event.id, f"author-{event.id}-{n}", title, f"Text {n}",
                                 f"client-{event.id}-{n}")
        ids.append(result["proposal"]["id"])
    change_phase(staff.facilitator if event.created_by_id == staff.facilitator.id
                 else staff.admin, event.id, "vote")
    for token, picks in ballots.items():
        for pick in picks:
            cast_vote(ids[pick], lambda _eid, t=token: t, f"vote-{event.id}-{token}-{pick}")
    return event, ids


def test_set_review_and_comment_write_history_and_publish(any_db_app, make_event, staff,
                                                         monkeypatch):
    published = []
    monkeypatch.setattr("participation.review.operations.publish",
                        lambda name, event_id, version, **data: published.append(
                            (name, event_id, version, data)))
    event, (pid, _other) = workshop(make_event, staff, ["Fler träd", "Bänkar"], {"a": [0]})
    result = operations.set_review(staff.reviewer, pid, "reviewing", "Vi tittar på det.")
    assert (result["status"], result["changed"]) == ("reviewing", True)
    again = operations.set_review(staff.reviewer, pid, "reviewing", "Vi tittar på det.")
    assert again["changed"] is False  # unchanged: no new history entry, no push
    operations.set_review(staff.admin, pid, "not_pursued", "Marken är privat.")
    history = db.session.query(ReviewEntry).filter_by(proposal_id=pid).all()
    assert [h.status for h in history] == ["reviewing", "not_pursued"]
    assert [p[0] for p in published] == ["proposal.reviewed", "proposal.reviewed"]
    assert published[0][2] < published[1][2]  # each write bumps the event's version
    comment = operations.add_comment(staff.facilitator, pid, "  Kolla med parkförvaltningen ")
    assert comment["comment"]["body"] == "Kolla med parkförvaltningen"
    assert published[-1][0] == "proposal.commented"
    assert "body" not in published[-1][3]  # the push never carries staff text


@pytest.mark.parametrize("status, answer, code, field", [
    ("in_backlog", "", "invalid_status", "status"),  # comes from linking, not by hand
    ("bogus", "", "invalid_status", "status"),
    (3, "", "invalid_status", "status"),
    (None, "", "invalid_status", "status"),
    ("not_pursued", "", "answer_required", "public_answer"),
    ("reviewing", ["a"], "invalid_type", "public_answer"),
    ("reviewing", "x" * 2001, "too_long", "public_answer"),
])
def test_bad_review_input_is_refused_with_its_field(app, make_event, staff, status, answer,
                                                    code, field):
    _event, (pid,) = workshop(make_event, staff, ["Fler träd"], {})
    with pytest.raises(OperationError) as refused:
        operations.set_review(staff.reviewer, pid, status, answer)
    assert (refused.value.code, refused.value.field, refused.value.status) == (code, field, 400)
    assert db.session.query(ReviewEntry).count() == 0


def test_who_may_review(any_db_app, make_event, staff):
    _event, (pid,) = workshop(make_event, staff, ["Fler träd"], {})
    for user in (staff.reviewer, staff.admin, staff.facilitator):
        operations.set_review(user, pid, "reviewing", f"Av {user.email}")
    for user in (staff.other, None):
        with pytest.raises(OperationError) as refused:
            operations.set_review(user, pid, "reviewing", "Nej")
        assert refused.value.status == 403
        with pytest.raises(OperationError) as refused:
            operations.add_comment(user, pid, "Nej")
        assert refused.value.status == 403
    # Not an id at all is the caller's mistake (400 on the field); a well-formed id of no
    # proposal is 404.
    for bad, expected in (("abc", (400, "invalid_type")), (1.5, (400, "invalid_type")),
                          (True, (400, "invalid_type")), (None, (400, "invalid_type")),
                          (99999, (404, "proposal_not_found"))):
        with pytest.raises(OperationError) as refused:
            operations.set_review(staff.reviewer, bad, "reviewing", "")
        assert (refused.value.status, refused.value.code) == expected, bad
    for bad in (None, "", "   ", 7, "x" * 2001):
        with pytest.raises(OperationError) as refused:
            operations.add_comment(staff.reviewer, pid, bad)
        assert (refused.value.status, refused.value.field) == (400, "body")
    assert db.session.query(ReviewComment).count() == 0


def test_hidden_and_linked_proposals_are_not_reviewed_by_hand(app, make_event, staff):
    from participation.backlog.models import Measure, ProposalLink

    event, (pid, hidden) = workshop(make_event, staff, ["Fler träd", "Dubblett"], {})
    hide_proposal(staff.facilitator, hidden, "Dubblett")
    with pytest.raises(OperationError) as refused:
        operations.set_review(staff.reviewer, hidden, "reviewing", "")
    assert (refused.value.code, refused.value.status) == ("not_reviewable", 409)
    measure = Measure(title="Trädplan")
    db.session.add(measure)
    db.session.flush()
    db.session.add(ProposalLink(proposal_id=pid, measure_id=measure.id, kind="supports"))
    db.session.commit()
    with pytest.raises(OperationError) as refused:
        operations.set_review(staff.reviewer, pid, "reviewing", "")
    assert (refused.value.code, refused.value.status) == ("linked_to_backlog", 409)


def test_review_over_rest(app, make_event, staff):
    _event, (pid,) = workshop(make_event, staff, ["Fler träd"], {"a": [0]})
    http = app.test_client()
    url = f"/api/v1/proposals/{pid}/review"
    put = http.put(url, headers=staff.auth(staff.reviewer),
                   json={"status": "not_pursued", "public_answer": "Ingen plats."})
    assert put.status_code == 200 and put.get_json()["status"] == "not_pursued"
    bad = http.put(url, headers=staff.auth(staff.reviewer), json={"status": ["reviewing"]})
    assert (bad.status_code, bad.get_json()["field"]) == (400, "status")
    assert http.put(url, headers=staff.auth(staff.reviewer), json=[1]).status_code == 400
    assert http.put(url, headers=staff.auth(staff.other),
                    json={"status": "reviewing"}).status_code == 403
    assert http.put(url, json={"status": "reviewing"}).status_code == 401
    posted = http.post(f"/api/v1/proposals/{pid}/comments", headers=staff.auth(staff.admin),
                       json={"body": "Ring förvaltningen"})
    assert posted.status_code == 201
    assert http.post(f"/api/v1/proposals/{pid}/comments", headers=staff.auth(staff.admin),
                     json={"body": 5}).get_json()["field"] == "body"
    got = http.get(url, headers=staff.auth(staff.reviewer)).get_json()
    assert got["status"] == "not_pursued" and got["public_answer"] == "Ingen plats."
    assert [c["body"] for c in got["comments"]] == ["Ring förvaltningen"]
    assert got["score"]["supporters"] == 1 and got["score"]["fair_rank"] == 1
    assert http.get(url, headers=staff.auth(staff.other)).status_code == 403
    assert http.get("/api/v1/proposals/999999/review",
                    headers=staff.auth(staff.reviewer)).status_code == 404


def test_review_forms_without_javascript(app, make_event, staff):
    _event, (pid,) = workshop(make_event, staff, ["Fler träd"], {})
    browser = app.test_client()
    login(browser, staff.reviewer)
    page = browser.get(f"/review/proposals/{pid}")
    assert page.status_code == 200
    csrf = csrf_from(page.get_data(as_text=True))
    refused = browser.post(f"/review/proposals/{pid}/review",
                           data={"csrf_token": csrf, "status": "not_pursued",
                                 "public_answer": ""})
    assert refused.status_code == 422
    assert "varför" in refused.get_data(as_text=True)  # the Swedish message, at the field
    saved = browser.post(f"/review/proposals/{pid}/review",
                         data={"csrf_token": csrf, "status": "not_pursued",
                               "public_answer": "Marken är privat."})
    assert saved.status_code == 303
    bogus = browser.post(f"/review/proposals/{pid}/review",
                         data={"csrf_token": csrf, "status": "in_backlog"})
    assert bogus.status_code == 422
    commented = browser.post(f"/review/proposals/{pid}/comments",
                             data={"csrf_token": csrf, "body": "Fråga fastighetskontoret"})
    assert commented.status_code == 303
    html = browser.get(f"/review/proposals/{pid}").get_data(as_text=True)
    assert "Marken är privat." in html and "Fråga fastighetskontoret" in html
    assert "Drivs inte vidare" in html
    empty = browser.post(f"/review/proposals/{pid}/comments", data={"csrf_token": csrf,
                                                                     "body": " "})
    assert empty.status_code == 422

    other = app.test_client()
    login(other, staff.other)
    assert other.get(f"/review/proposals/{pid}").status_code == 403
    assert other.post(f"/review/proposals/{pid}/review",
                      data={"csrf_token": csrf_from(other.get("/events").get_data(as_text=True)),
                            "status": "reviewing"}).status_code == 403
    assert app.test_client().get(f"/review/proposals/{pid}").status_code == 302  # to login


def test_review_page_filters_across_events(app, make_event, staff):
    bikes, _ = workshop(make_event, staff, ["Säkra cykelvägar", "Fler bänkar"],
                        {"a": [0], "b": [0, 1]}, title="Cykelverkstad")
    dialogue, (tree,) = workshop(make_event, staff, ["Cykelgarage vid stationen"], {"c": [0]},
                                 title="Rådslag om resor", kind="radslag",
                                 focus_areas=["Modig mobilitet"])
    operations.set_review(staff.reviewer, tree, "reviewing", "")
    browser = app.test_client()
    login(browser, staff.reviewer)
    html = browser.get("/review/").get_data(as_text=True)
    assert "Säkra cykelvägar" in html and "Cykelgarage vid stationen" in html
    only = browser.get(f"/review/?event_id={dialogue.id}").get_data(as_text=True)
    assert "Cykelgarage" in only and "Fler bänkar" not in only
    kind = browser.get("/review/?kind=medborgarverkstad").get_data(as_text=True)
    assert "Fler bänkar" in kind and "Cykelgarage" not in kind
    status = browser.get("/review/?status=reviewing").get_data(as_text=True)
    assert "Cykelgarage" in status and "Säkra" not in status
    theme = browser.get("/review/?theme=cykel").get_data(as_text=True)
    assert "Säkra cykelvägar" in theme and "Cykelgarage" in theme and "Fler bänkar" not in theme
    assert "Över de visade aktiviteterna" in theme  # the combined score across events
    for bad in ("event_id=abc", "kind=fest", "status=x", "sort=random", "theme=" + "x" * 61):
        assert browser.get(f"/review/?{bad}").status_code == 400
    assert browser.get("/review/?fmt=csv&_anchor=x&theme=cykel").status_code == 200
    # The download keeps the filter (and asks for the Swedish-Excel dialect: docs/exports.md).
    assert re.search(rf'/review/proposals\.csv\?[^"]*event_id={dialogue.id}', browser.get(
        f"/review/?event_id={dialogue.id}").get_data(as_text=True))
    other = app.test_client()
    login(other, staff.other)
    assert "Säkra cykelvägar" not in other.get("/review/").get_data(as_text=True)
    assert browser.get(f"/review/events/{bikes.id}").status_code == 200  # per-event page kept
    assert browser.get("/review/events").status_code == 200


def test_follow_code_is_made_once_on_the_first_proposal(app, make_event, staff):
    event = make_event(phase="collect")
    first = submit_proposal(event.id, "tok-1", "Ett", "", "client-one-1")
    second = submit_proposal(event.id, "tok-1", "Två", "", "client-one-2")
    # The operation hands out the code; the screens make it the follow link.
    assert first["follow_code"] == second["follow_code"]
    participant = db.session.query(Participant).filter_by(token="tok-1").one()
    assert first["follow_code"] == participant.follow_code
    assert len(participant.follow_code) == 16


def test_openapi_describes_the_review_routes(app):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    expected = {"/proposals": {"get"}, "/votes/aggregated": {"get"},
                "/proposals/{proposal_id}/review": {"get", "put"},
                "/proposals/{proposal_id}/comments": {"post"},
                "/public/events/{code}": {"get"}, "/follow/{follow_code}": {"get"}}
    for path, methods in expected.items():
        assert methods <= set(spec["paths"][path]), path
    data = spec["components"]["schemas"]["ProposalData"]["properties"]
    assert "fair_score" in data and "author_name" not in data
    assert spec["components"]["schemas"]["ReviewUpdate"]["properties"]["status"]["enum"] == [
        "received", "reviewing", "not_pursued"]


def test_proposal_page_shows_merges_and_scale_votes(app, make_event, staff):
    from participation.proposals.merge import merge_proposals

    event, (a, b) = workshop(make_event, staff, ["Cykelställ", "Cykelställ med tak"], {},
                             voting={"method": "scale"}, kind="radslag")
    for n, (pid, score) in enumerate([(a, 5), (a, 4), (b, 2)]):
        cast_vote(pid, lambda _e, n=n: f"rater-{n}", f"scale-vote-{n}-x", score=score)
    merge_proposals(staff.facilitator, b, a, "Samma idé")
    browser = app.test_client()
    login(browser, staff.reviewer)
    html = browser.get(f"/review/proposals/{a}").get_data(as_text=True)
    assert "Cykelställ med tak" in html and "Samma idé" in html
    assert "Hur många som gav varje betyg" in html
    source = browser.get(f"/review/proposals/{b}").get_data(as_text=True)
    assert "inte rangordnat" in source  # merged: shown, but not ranked on its own
    rows = browser.get(f"/review/votes.json?event_id={event.id}").get_json()["rows"]
    assert [(r["proposal_id"], r["rated_5"], r["rated_4"], r["rated_2"]) for r in rows] == [
        (a, 1, 1, 1)]  # the source's rating moved to the target


def test_the_theme_filter_finds_the_consoles_themes_by_their_stem(app, make_event, staff):
    workshop(make_event, staff, ["Cykelbanan längs älven", "Fler bänkar i parken"], {"a": [0]})
    browser = app.test_client()
    login(browser, staff.reviewer)
    # "cykelbanor" is not in "Cykelbanan", but both are the theme cykelban on the console.
    page = browser.get("/review/?theme=cykelbanor").get_data(as_text=True)
    assert "Cykelbanan längs älven" in page and "Fler bänkar" not in page
