"""The 1-5 scale: one replaceable rating per person and proposal, Bayesian-ranked."""

import pytest

from participation.core.errors import OperationError
from participation.events.operations import change_phase, create_event
from participation.extensions import db
from participation.proposals.operations import cast_vote, withdraw_vote
from participation.proposals.paper import add_paper_proposal, set_hand_count
from participation.proposals.ranking import ranked, tallies
from participation.review.export import results_csv

from .conftest import csrf_from, join, login
from .support.sockets import new_id

SCALE = {"method": "scale"}


def _phone(app, event):
    http = app.test_client()
    http.csrf = join(http, event)
    return http


def _rate(http, pid, score, key="score"):
    answer = http.post(f"/api/v1/proposals/{pid}/votes", headers={"X-CSRFToken": http.csrf},
                       json={"client_id": new_id(), key: score})
    db.session.rollback()  # the test's own session then reads what the request committed
    return answer


def _scale_event(make_event, staff, titles=("Fler träd",)):
    event = make_event(voting=SCALE, phase="collect")
    ids = [add_paper_proposal(staff.facilitator, event.id, t)["proposal"]["id"] for t in titles]
    change_phase(staff.facilitator, event.id, "vote")
    return event, ids


def test_scale_is_a_voting_method_on_every_channel(app, staff, client):
    event = create_event(staff.facilitator, "Rådslag", "Vad är viktigt?", "radslag", SCALE)
    assert (event.voting_method, event.voting_dict()) == (
        "scale", {"method": "scale", "min": 1, "max": 5})
    made = client.post("/api/v1/events", headers=staff.auth(staff.facilitator), json={
        "title": "Rådslag", "prompt": "Vad?", "kind": "radslag", "voting": SCALE})
    assert made.status_code == 201 and made.get_json()["voting"]["method"] == "scale"
    login(client, staff.facilitator)
    csrf = csrf_from(client.get("/events/new").get_data(as_text=True))
    page = client.get("/events/new").get_data(as_text=True)
    assert 'value="scale"' in page
    posted = client.post("/events/new", data={
        "csrf_token": csrf, "title": "Formulär", "prompt": "Vad?", "kind": "radslag",
        "voting_method": "scale", "moderation": "post", "dots": "5", "max_per_proposal": "3"})
    assert posted.status_code == 302


def test_rating_again_replaces_and_withdrawing_removes(app, make_event, staff):
    event, (pid,) = _scale_event(make_event, staff)
    phone = _phone(app, event)
    first = _rate(phone, pid, 4)
    assert first.status_code == 201
    assert first.get_json()["ballot"] == {"votes": {str(pid): 4}, "spent": 1, "remaining": None}
    again = _rate(phone, pid, 2)
    assert again.get_json()["ballot"]["votes"] == {str(pid): 2}
    assert tallies(event.id)[pid]["sum"] == 2  # replaced, never stacked
    # `dots` is still understood as the score, for older clients.
    assert _rate(phone, pid, 5, key="dots").get_json()["ballot"]["votes"] == {str(pid): 5}
    gone = phone.delete(f"/api/v1/proposals/{pid}/votes", headers={"X-CSRFToken": phone.csrf},
                        json={"client_id": new_id()})
    db.session.rollback()
    assert gone.get_json()["ballot"] == {"votes": {}, "spent": 0, "remaining": None}
    assert pid not in tallies(event.id)


def test_a_retry_with_the_same_client_id_is_replayed_not_rerated(app, make_event, staff):
    event, (pid,) = _scale_event(make_event, staff)
    phone = _phone(app, event)
    body = {"client_id": "scale-retry-1", "score": 3}
    assert phone.post(f"/api/v1/proposals/{pid}/votes", headers={"X-CSRFToken": phone.csrf},
                      json=body).status_code == 201
    _rate(phone, pid, 5)
    replay = phone.post(f"/api/v1/proposals/{pid}/votes", headers={"X-CSRFToken": phone.csrf},
                        json=body)
    db.session.rollback()
    assert replay.status_code == 200 and replay.get_json()["replayed"] is True
    assert tallies(event.id)[pid]["sum"] == 5


@pytest.mark.parametrize("score", [0, 6, -1, "4", 3.5, True, [4], {"s": 4}])
def test_bad_scores_are_refused_with_the_score_field(app, make_event, staff, score):
    event, (pid,) = _scale_event(make_event, staff)
    answer = _rate(_phone(app, event), pid, score)
    assert answer.status_code == 400, answer.get_json()
    assert answer.get_json()["error"] == "invalid_score"
    assert answer.get_json()["field"] == "score"
    assert tallies(event.id) == {}


def test_a_missing_score_and_a_score_on_other_methods_are_refused(app, make_event, staff):
    event, (pid,) = _scale_event(make_event, staff)
    phone = _phone(app, event)
    missing = phone.post(f"/api/v1/proposals/{pid}/votes", headers={"X-CSRFToken": phone.csrf},
                         json={"client_id": new_id()})
    assert (missing.status_code, missing.get_json()["error"]) == (400, "invalid_score")
    approval = make_event(phase="collect")
    other = add_paper_proposal(staff.facilitator, approval.id, "Bänkar")["proposal"]["id"]
    change_phase(staff.facilitator, approval.id, "vote")
    refused = _rate(_phone(app, approval), other, 3)
    assert (refused.status_code, refused.get_json()["field"]) == (400, "score")


def test_tallies_give_count_sum_mean_and_distribution(app, make_event, staff):
    event, (pid,) = _scale_event(make_event, staff)
    for score in (5, 4, 4, 1):
        _rate(_phone(app, event), pid, score)
    assert tallies(event.id)[pid] == {
        "votes": 4, "ratings": 4, "sum": 14, "mean": 3.5,
        "distribution": {"1": 1, "2": 0, "3": 0, "4": 2, "5": 1}}


def test_bayesian_ranking_matches_the_worked_example_in_the_docs(app, make_event, staff):
    """docs/ranking.md: A has one 5, B has 5, 4, 5, 5, C has 2, 3; D is not rated."""
    event, (a, b, c, d) = _scale_event(make_event, staff, ("A", "B", "C", "D"))
    for pid, scores in ((a, [5]), (b, [5, 4, 5, 5]), (c, [2, 3])):
        for score in scores:
            _rate(_phone(app, event), pid, score)
    rows = ranked(event)
    assert [(r["title"], r["rank"], r["score"], r["mean"], r["ratings"]) for r in rows] == [
        ("B", 1, 4.55, 4.75, 4), ("A", 2, 4.43, 5.0, 1), ("D", 3, 4.14, None, 0),
        ("C", 4, 3.32, 2.5, 2)]
    assert rows[2]["distribution"] == {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0}


def test_equal_bayesian_scores_rank_by_number_of_ratings(app, make_event, staff):
    event, (a, b) = _scale_event(make_event, staff, ("Få", "Många"))
    for pid, scores in ((a, [3]), (b, [3, 3])):
        for score in scores:
            _rate(_phone(app, event), pid, score)
    assert [(r["title"], r["rank"]) for r in ranked(event)] == [("Många", 1), ("Få", 2)]


def test_hand_counts_do_not_apply_to_a_scale(app, make_event, staff, client):
    event, (pid,) = _scale_event(make_event, staff)
    with pytest.raises(OperationError) as refused:
        set_hand_count(staff.facilitator, pid, 3)
    assert refused.value.code == "hand_count_not_for_scale"
    with pytest.raises(OperationError) as other:
        set_hand_count(staff.other, pid, 3)
    assert other.value.code == "forbidden"
    answer = client.put(f"/api/v1/proposals/{pid}/hand-count",
                        headers=staff.auth(staff.facilitator), json={"count": 3})
    assert (answer.status_code, answer.get_json()["error"]) == (409, "hand_count_not_for_scale")


def test_scale_over_the_socket_with_score_and_the_push(room, staff):
    workshop = room(voting=SCALE)
    phone = workshop.phone()
    console = workshop.facilitator()
    pid = workshop.propose(phone)
    workshop.to("vote")
    console.forget()
    ack = phone.call("vote", {"proposal_id": pid, "client_id": new_id(), "score": 4})
    assert ack["ok"] and ack["ballot"]["votes"] == {str(pid): 4}
    (push,) = console.received("tallies")
    assert push["tallies"][str(pid)]["mean"] == 4.0
    assert push["tallies"][str(pid)]["distribution"]["4"] == 1
    bad = phone.call("vote", {"proposal_id": pid, "client_id": new_id(), "score": 9})
    assert (bad["ok"], bad["error"], bad["field"]) == (False, "invalid_score", "score")
    state = phone.call("snapshot", {})["state"]
    assert state["me"]["ballot"]["votes"] == {str(pid): 4}
    assert state["event"]["voting"]["method"] == "scale"


def test_scale_without_javascript(app, make_event, staff):
    event, (pid,) = _scale_event(make_event, staff)
    phone = app.test_client()
    page = phone.get(f"/j/{event.code}").get_data(as_text=True)
    assert 'name="score"' in page and "Inte alls viktigt" in page and "Mycket viktigt" in page
    csrf = csrf_from(page)
    url = f"/j/{event.code}/proposals/{pid}/vote"
    assert phone.post(url, data={"csrf_token": csrf, "client_id": new_id(), "scale": "1",
                                 "score": "3"}).status_code == 303
    db.session.rollback()
    assert tallies(event.id)[pid]["sum"] == 3
    phone.post(url, data={"csrf_token": csrf, "client_id": new_id(), "scale": "1", "score": "5"})
    db.session.rollback()
    assert tallies(event.id)[pid]["sum"] == 5
    page = phone.get(f"/j/{event.code}").get_data(as_text=True)
    assert 'value="5" checked' in page
    missing = phone.post(url, data={"csrf_token": csrf, "client_id": new_id(), "scale": "1"})
    assert missing.status_code == 400 and "Välj ett betyg" in missing.get_data(as_text=True)
    phone.post(f"/j/{event.code}/proposals/{pid}/withdraw",
               data={"csrf_token": csrf, "client_id": new_id()})
    db.session.rollback()
    assert tallies(event.id) == {}


def test_results_pages_and_csv_show_mean_and_ratings(app, make_event, staff):
    event, (pid,) = _scale_event(make_event, staff)
    for score in (4, 5):
        _rate(_phone(app, event), pid, score)
    change_phase(staff.facilitator, event.id, "results")
    csv = results_csv(event, ranked(event))
    header, row = csv.lstrip("\ufeff").splitlines()[:2]
    assert header.split(",")[7:10] == ["ratings", "mean", "score"]
    assert row.split(",")[7:9] == ["2", "4.5"]
    phone = app.test_client()
    page = phone.get(f"/j/{event.code}").get_data(as_text=True)
    assert "medel 4,5" in page and "2 betyg" in page
    console = app.test_client()
    login(console, staff.facilitator)
    review = console.get(f"/review/events/{event.id}").get_data(as_text=True)
    assert "4,5" in review
    rows = console.get(f"/events/{event.id}/console/proposals").get_data(as_text=True)
    assert "medel 4,5" in rows


def test_a_vote_on_a_scale_event_needs_the_vote_phase(app, make_event, staff):
    event = make_event(voting=SCALE, phase="collect")
    pid = add_paper_proposal(staff.facilitator, event.id, "Träd")["proposal"]["id"]
    with pytest.raises(OperationError) as refused:
        cast_vote(pid, lambda _eid: "token-x", new_id(), score=3)
    assert refused.value.code in ("wrong_phase", "not_joined")
    with pytest.raises(OperationError):
        withdraw_vote(pid, lambda _eid: None, new_id())
