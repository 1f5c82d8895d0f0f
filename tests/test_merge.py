"""Merging duplicate proposals: the vote arithmetic, provenance, undo, and every channel."""

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from participation.core.errors import OperationError
from participation.events.models import SCALE_MAX, Event
from participation.events.operations import change_phase
from participation.extensions import db
from participation.participants.models import Participant
from participation.proposals import merge as merging
from participation.proposals import moderation
from participation.proposals import operations as ops
from participation.proposals.merge import combine, merge_proposals, undo_merge
from participation.proposals.models import Proposal, ProposalMerge, Vote
from participation.proposals.paper import set_hand_count
from participation.proposals.ranking import ranked, tallies

from .conftest import csrf_from, login

API = "/api/v1"
DOTS = {"method": "dots", "dots": 5, "max_per_proposal": 3}


def tokens(event_id, token):
    return lambda eid: token if eid == event_id else None


def propose(event, title, token="author-token"):
    return ops.submit_proposal(event.id, token, title, "", uuid.uuid4().hex)["proposal"]["id"]


def vote(event, pid, token, dots=1):
    return ops.cast_vote(pid, tokens(event.id, token), uuid.uuid4().hex, dots)


def vote_set(event_id):
    db.session.expire_all()
    rows = db.session.execute(select(Participant.token, Vote.proposal_id, Vote.dots)
                              .join(Participant, Participant.id == Vote.participant_id)
                              .where(Vote.event_id == event_id))
    return {(token, pid): dots for token, pid, dots in rows}


def ballot(event, token):
    from participation.participants import identity

    db.session.expire_all()
    return ops.my_ballot(db.session.get(Event, event.id), identity.find(event.id, token))


def refused(call) -> str:
    with pytest.raises(OperationError) as error:
        call()
    db.session.rollback()
    return error.value.code


def voting_event(make_event, titles, voting=None, **kwargs):
    event = make_event(voting=voting, phase="collect", **kwargs)
    ids = [propose(event, title, f"author-{i}") for i, title in enumerate(titles)]
    change_phase(_creator(event), event.id, "vote")
    return db.session.get(Event, event.id), ids


def _creator(event):
    from participation.accounts.models import User

    return db.session.get(User, event.created_by_id)


def test_combine_rule_for_each_method():
    # approval: one vote whether they supported one or both
    assert combine("approval", 0, 1, 1) == 1
    assert combine("approval", 1, 1, 1) == 1
    # dots: the sum, capped at the per-proposal limit
    assert combine("dots", 0, 2, 3) == 2
    assert combine("dots", 1, 2, 3) == 3
    assert combine("dots", 2, 3, 3) == 3
    # scale (1-5 rating): the higher rating wins, the other is dropped
    assert combine("scale", 0, 4, 5) == 4
    assert combine("scale", 2, 5, 5) == 5
    assert combine("scale", 5, 1, 5) == 5
    with pytest.raises(ValueError):
        combine("ranked", 1, 1, 1)


def test_approval_both_voters_count_once_and_source_only_voters_carry_over(
        any_db_app, make_event, staff):
    event, (target, source, other) = voting_event(make_event, ["Cykelbanor", "Fler cykelbanor",
                                                               "Bussar"])
    for token, picks in {"both": [target, source], "source": [source], "target": [target],
                         "elsewhere": [other]}.items():
        for pid in picks:
            vote(event, pid, token)
    assert tallies(event.id)[target]["votes"] == 2 and tallies(event.id)[source]["votes"] == 2

    result = merge_proposals(staff.facilitator, source, target, "Samma förslag")
    assert (result["source"]["status"], result["source"]["merged_into"]) == ("merged", target)
    assert [m["id"] for m in result["target"]["merged_from"]] == [source]
    counts = tallies(event.id)
    assert counts[target]["votes"] == 3  # both, source, target: distinct supporters
    assert source not in counts
    assert vote_set(event.id) == {("both", target): 1, ("source", target): 1,
                                  ("target", target): 1, ("elsewhere", other): 1}
    assert [r["id"] for r in ranked(db.session.get(Event, event.id))] == [target, other]
    assert ballot(event, "source")["votes"] == {str(target): 1}
    # The merged source takes no votes; the person who voted both cannot vote twice.
    assert refused(lambda: vote(event, source, "newcomer")) == "proposal_merged"
    assert refused(lambda: vote(event, target, "both")) == "already_voted"


def test_dots_add_up_capped_and_the_excess_goes_back_to_the_budget(
        any_db_app, make_event, staff):
    event, (target, source) = voting_event(make_event, ["Träd", "Fler träd"], voting=DOTS)
    vote(event, target, "anna", 2)
    vote(event, source, "anna", 3)  # 5 of 5 spent; 2 + 3 > cap 3
    vote(event, target, "bo", 1)
    vote(event, source, "bo", 1)
    vote(event, source, "cecilia", 3)
    merge_proposals(staff.facilitator, source, target)
    assert vote_set(event.id) == {("anna", target): 3, ("bo", target): 2,
                                  ("cecilia", target): 3}
    assert tallies(event.id)[target] == {"votes": 3, "dots": 8}
    assert ballot(event, "anna") == {"votes": {str(target): 3}, "spent": 3, "remaining": 2}
    assert ballot(event, "bo")["remaining"] == 3
    # The two dots Anna got back are hers to place again, the cap still holds.
    assert refused(lambda: vote(event, target, "anna", 1)) == "proposal_dot_limit"


def test_hand_counts_add_up_and_go_back_on_undo(any_db_app, make_event, staff):
    event, (target, source) = voting_event(make_event, ["Bänkar", "Fler bänkar"])
    set_hand_count(staff.facilitator, target, 4)
    set_hand_count(staff.facilitator, source, 3)
    vote(event, source, "phone")
    merged = merge_proposals(staff.facilitator, source, target)
    assert tallies(event.id)[target] == {"votes": 8, "dots": 1, "paper_votes": 7}
    undone = undo_merge(staff.facilitator, merged["merge"]["id"])
    counts = tallies(event.id)
    assert (counts[target]["paper_votes"], counts[source]["paper_votes"]) == (4, 3)
    assert not undone["recount_hands"]


def test_a_recount_after_the_merge_is_kept_on_undo(app, make_event, staff):
    event, (target, source) = voting_event(make_event, ["Bänkar", "Fler bänkar"])
    set_hand_count(staff.facilitator, target, 3)
    set_hand_count(staff.facilitator, source, 5)
    merged = merge_proposals(staff.facilitator, source, target)
    set_hand_count(staff.facilitator, target, 6)  # the room counted the merged idea again
    undone = undo_merge(staff.facilitator, merged["merge"]["id"])
    counts = tallies(event.id)
    # Not 6 - 5 = 1: the source keeps its own count, the recount stays, and staff are told.
    assert (counts[target]["paper_votes"], counts[source]["paper_votes"]) == (6, 5)
    assert undone["recount_hands"]


def test_undo_restores_exactly_the_earlier_votes_and_tallies(any_db_app, make_event, staff):
    event, (target, source, other) = voting_event(make_event, ["A", "B", "C"], voting=DOTS)
    for token, picks in {"anna": {target: 2, source: 3}, "bo": {source: 2, other: 3},
                         "cecilia": {target: 1}, "dani": {target: 3, source: 1, other: 1}}.items():
        for pid, dots in picks.items():
            vote(event, pid, token, dots)
    before, counts = vote_set(event.id), tallies(event.id)
    merged = merge_proposals(staff.facilitator, source, target)
    assert vote_set(event.id) != before
    undone = undo_merge(staff.facilitator, merged["merge"]["id"])
    assert (undone["source"]["status"], undone["source"]["merged_into"]) == ("visible", None)
    assert undone["target"]["merged_from"] == [] and undone["restored_votes"] == 3
    assert vote_set(event.id) == before
    assert tallies(event.id) == counts
    assert refused(lambda: undo_merge(staff.facilitator, merged["merge"]["id"])) == (
        "already_undone")


def test_undo_keeps_a_target_vote_changed_after_the_merge(any_db_app, make_event, staff):
    event, (target, source) = voting_event(make_event, ["A", "B"], voting=DOTS)
    vote(event, target, "anna", 1)
    vote(event, source, "anna", 1)
    vote(event, source, "bo", 2)
    vote(event, target, "cecilia", 1)
    vote(event, source, "cecilia", 2)  # merged to 3, one dot of the 3 back...
    merged = merge_proposals(staff.facilitator, source, target)
    vote(event, target, "anna", 1)  # Anna changed her mind on the target: 3 dots now
    ops.withdraw_vote(target, tokens(event.id, "bo"))  # Bo withdrew
    undone = undo_merge(staff.facilitator, merged["merge"]["id"])
    assert undone["restored_votes"] == 1  # only Cecilia's ballot is as the merge left it
    assert vote_set(event.id) == {("anna", target): 3, ("cecilia", target): 1,
                                  ("cecilia", source): 2}


def test_undo_does_not_overspend_dots_given_back_and_spent_again(any_db_app, make_event, staff):
    event, (target, source, other) = voting_event(make_event, ["A", "B", "C"], voting=DOTS)
    vote(event, target, "anna", 2)
    vote(event, source, "anna", 2)
    merged = merge_proposals(staff.facilitator, source, target)  # 3 on target, 1 back
    vote(event, other, "anna", 2)  # 5 of 5 spent again
    undo_merge(staff.facilitator, merged["merge"]["id"])
    assert vote_set(event.id) == {("anna", target): 3, ("anna", other): 2}
    assert ballot(event, "anna")["remaining"] == 0


def test_one_skipped_over_spender_does_not_stop_the_others_getting_theirs_back(
        any_db_app, make_event, staff):
    """Each person is decided alone: Anna (whose votes come first) would overspend, so she
    keeps what she has; Bo and Cecilia, after her, still get their earlier ballots back."""
    event, (target, source, other) = voting_event(make_event, ["A", "B", "C"], voting=DOTS)
    vote(event, target, "anna", 2)
    vote(event, source, "anna", 2)
    vote(event, source, "bo", 1)
    vote(event, target, "cecilia", 1)
    vote(event, source, "cecilia", 1)
    merged = merge_proposals(staff.facilitator, source, target)
    vote(event, other, "anna", 2)  # Anna spends the dot the merge gave back, and one more
    undone = undo_merge(staff.facilitator, merged["merge"]["id"])
    assert undone["restored_votes"] == 2
    assert vote_set(event.id) == {("anna", target): 3, ("anna", other): 2, ("bo", source): 1,
                                  ("cecilia", target): 1, ("cecilia", source): 1}
    assert [ballot(event, who)["remaining"] for who in ("anna", "bo", "cecilia")] == [0, 4, 3]


def test_chained_merges_and_the_refusals(any_db_app, make_event, staff):
    event, (a, b, c, d) = voting_event(make_event, ["A", "B", "C", "D"])
    vote(event, a, "anna")
    first = merge_proposals(staff.facilitator, a, b)
    second = merge_proposals(staff.facilitator, b, c)
    assert [m["id"] for m in second["target"]["merged_from"]] == [a, b]
    assert tallies(event.id)[c]["votes"] == 1
    fac = staff.facilitator
    for call, code in (
        (lambda: merge_proposals(fac, a, d), "already_merged"),
        (lambda: merge_proposals(fac, d, b), "already_merged"),
        (lambda: merge_proposals(fac, d, d), "same_proposal"),
        (lambda: merge_proposals(fac, "1", d), "invalid_type"),
        (lambda: merge_proposals(fac, d, True), "invalid_type"),
        (lambda: merge_proposals(fac, d, 99999), "proposal_not_found"),
        (lambda: merge_proposals(fac, d, c, "x" * 301), "too_long"),
        (lambda: merge_proposals(staff.other, d, c), "forbidden"),
        (lambda: merge_proposals(None, d, c), "forbidden"),
        (lambda: undo_merge(fac, first["merge"]["id"]), "merge_not_last"),
        (lambda: undo_merge(fac, 99999), "merge_not_found"),
        (lambda: undo_merge(fac, "1"), "invalid_type"),
        (lambda: undo_merge(staff.other, second["merge"]["id"]), "forbidden"),
    ):
        assert refused(call) == code
    undo_merge(fac, second["merge"]["id"])
    undo_merge(fac, first["merge"]["id"])
    assert vote_set(event.id) == {("anna", a): 1}
    moderation.hide_proposal(fac, d, "Reklam")
    assert refused(lambda: merge_proposals(fac, d, c)) == "proposal_hidden"
    assert refused(lambda: merge_proposals(fac, c, d)) == "proposal_hidden"


def test_merge_refused_across_events_pending_and_closed(any_db_app, make_event, staff):
    event, (a, b) = voting_event(make_event, ["A", "B"])
    elsewhere, (x,) = voting_event(make_event, ["X"])
    assert refused(lambda: merge_proposals(staff.facilitator, a, x)) == "other_event"
    assert refused(lambda: merge_proposals(staff.facilitator, a, b, event_id=elsewhere.id)) == (
        "proposal_not_found")
    pre = make_event(phase="collect", moderation="pre")
    waiting, approved = propose(pre, "Väntar"), propose(pre, "Godkänt")
    moderation.approve_proposal(staff.facilitator, approved)
    assert refused(lambda: merge_proposals(staff.facilitator, waiting, approved)) == (
        "proposal_pending")
    merged = merge_proposals(staff.facilitator, a, b)
    change_phase(staff.facilitator, event.id, "results")
    change_phase(staff.facilitator, event.id, "closed")
    assert refused(lambda: undo_merge(staff.facilitator, merged["merge"]["id"])) == (
        "event_closed")
    # A merged source cannot be moderated as if it were on the wall.
    assert refused(lambda: moderation.hide_proposal(staff.facilitator, a, "Dubblett")) == (
        "already_merged")


def test_shapes_the_author_and_everyone_else_see(app, room, staff):
    workshop = room()
    author, other = workshop.phone(), workshop.phone()
    source = workshop.propose(author, "Belys cykelbanan", body="Hela vintern")
    target = workshop.propose(other, "Belysning på cykelvägar")
    merge_proposals(staff.facilitator, source, target)
    mine = author.call("snapshot", {})["state"]
    assert source in mine["me"]["proposal_ids"]
    (own,) = [p for p in mine["proposals"] if p["id"] == source]
    assert (own["status"], own["merged_into"], own["title"]) == (
        "merged", target, "Belys cykelbanan")
    theirs = {p["id"]: p for p in other.call("snapshot", {})["state"]["proposals"]}
    # Numbers within the event (#1, #2) travel with the ids, for people to read.
    assert theirs[source] == {"id": source, "number": 1, "status": "merged",
                              "merged_into": target, "merged_into_number": 2}
    assert theirs[target]["merged_from"] == [{"id": source, "number": 1,
                                              "title": "Belys cykelbanan",
                                              "body": "Hela vintern", "lang": "sv",
                                              "author_name": None}]
    page = other.http.get(f"/j/{workshop.code}").get_data(as_text=True)
    assert "Sammanslaget av 2 förslag" in page and "Sammanslaget med förslaget" in page
    assert "Hela vintern" in page


def test_socket_merge_pushes_to_phones_and_staff(room, staff):
    workshop = room(phase="collect")
    phone = workshop.phone()
    a = workshop.propose(phone, "Laddstolpar")
    b = workshop.propose(phone, "Fler laddstolpar")
    workshop.to("vote")
    assert phone.call("vote", {"proposal_id": a, "client_id": uuid.uuid4().hex})["ok"]
    console = workshop.facilitator()
    assert phone.call("merge_proposals", {"source_id": a, "target_id": b})["error"] == (
        "forbidden")
    phone.forget()
    console.forget()
    ack = console.call("merge_proposals", {"source_id": a, "target_id": b, "reason": "Samma"})
    assert ack["ok"], ack
    pushed = {p["proposal"]["id"]: p for p in phone.received("proposal")}
    assert pushed[a]["proposal"] == {"id": a, "number": 1, "status": "merged",
                                     "merged_into": b, "merged_into_number": 2}
    assert pushed[b]["version"] == ack["version"]
    assert phone.received("merge") == [{"version": ack["version"], "source_id": a,
                                        "target_id": b, "undone": False}]
    assert {p["proposal"]["id"] for p in console.received("staff_proposal")} == {a, b}
    assert console.received("tallies")[-1]["tallies"][str(b)]["votes"] == 1
    # The phone asks again, and its ballot now holds the target.
    state = phone.call("snapshot", {})["state"]
    assert state["me"]["ballot"]["votes"] == {str(b): 1}

    bad = console.call("undo_merge", {"merge_id": "x"})
    assert (bad["ok"], bad["error"], bad["field"]) == (False, "invalid_type", "merge_id")
    phone.forget()
    undone = console.call("undo_merge", {"merge_id": ack["merge"]["id"]})
    assert undone["ok"] and undone["source"]["status"] == "visible"
    assert phone.received("merge")[-1]["undone"] is True
    assert phone.call("snapshot", {})["state"]["me"]["ballot"]["votes"] == {str(a): 1}


def test_merge_in_results_resends_the_ranking(room, staff):
    workshop = room(phase="collect")
    phone = workshop.phone()
    a, b = workshop.propose(phone, "A"), workshop.propose(phone, "B")
    workshop.to("vote")
    phone.call("vote", {"proposal_id": a, "client_id": uuid.uuid4().hex})
    workshop.to("results")
    phone.forget()
    merge_proposals(staff.facilitator, a, b)
    (phase,) = phone.received("phase")
    assert [(r["id"], r["votes"]) for r in phase["results"]] == [(b, 1)]


def test_rest_merge_list_undo_and_permissions(app, make_event, staff):
    event, (a, b) = voting_event(make_event, ["A", "B"])
    http, auth = app.test_client(), staff.auth(staff.facilitator)
    url = f"{API}/events/{event.id}/merges"
    assert http.post(url, json={"source_id": a, "target_id": b},
                     headers=staff.auth(staff.other)).status_code == 403
    assert http.post(url, json={"source_id": a, "target_id": b}).status_code == 401
    bad = http.post(url, json={"source_id": "a", "target_id": b}, headers=auth)
    assert (bad.status_code, bad.get_json()["field"]) == (400, "source_id")
    assert http.post(url, data="[]", headers=auth,
                     content_type="application/json").status_code == 400
    created = http.post(url, json={"source_id": a, "target_id": b, "reason": "Dubblett"},
                        headers=auth)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert set(body) == {"merge", "target", "source", "version"}
    assert body["merge"]["reason"] == "Dubblett" and body["merge"]["by"] == staff.facilitator.email
    again = http.post(url, json={"source_id": a, "target_id": b}, headers=auth)
    assert (again.status_code, again.get_json()["error"]) == (409, "already_merged")
    listed = http.get(url, headers=staff.auth(staff.reviewer)).get_json()["merges"]
    assert [(m["source_id"], m["target_id"], m["active"]) for m in listed] == [(a, b, True)]
    assert http.get(url, headers=staff.auth(staff.other)).status_code == 403
    merge_id = body["merge"]["id"]
    assert http.delete(f"{API}/merges/{merge_id}",
                       headers=staff.auth(staff.other)).status_code == 403
    undone = http.delete(f"{API}/merges/{merge_id}", headers=auth)
    assert undone.status_code == 200 and undone.get_json()["merge"]["active"] is False
    assert http.delete(f"{API}/merges/{merge_id}", headers=auth).status_code == 409
    assert http.delete(f"{API}/merges/99999", headers=auth).status_code == 404
    log = http.get(f"{API}/events/{event.id}/moderation", headers=auth).get_json()["entries"]
    assert [(e["action"], e["proposal_id"], e["reason"]) for e in log] == [
        ("merge", a, "Dubblett"), ("unmerge", a, None)]
    assert log[0]["after"]["target_id"] == b


def test_resident_cannot_merge(app, make_event):
    event, (a, b) = voting_event(make_event, ["A", "B"])
    phone = app.test_client()
    csrf = csrf_from(phone.get(f"/j/{event.code}").get_data(as_text=True))
    refused_ = phone.post(f"{API}/events/{event.id}/merges", headers={"X-CSRFToken": csrf},
                          json={"source_id": a, "target_id": b})
    # A joined phone is no staff login: not signed in (401), and nothing merged.
    assert refused_.status_code == 401, refused_.get_json()
    assert db.session.scalar(select(func.count(ProposalMerge.id))) == 0
    assert db.session.get(Proposal, a).status == "visible"


def test_console_forms_merge_and_undo_without_javascript(app, make_event, staff):
    event = make_event(phase="collect")
    a = propose(event, "Fler cykelbanor i centrum", "t1")
    b = propose(event, "Fler cykelbanor i centrum nu", "t2")
    http = app.test_client()
    login(http, staff.facilitator)
    console = http.get(f"/events/{event.id}/console").get_data(as_text=True)
    assert "Slå ihop" in console
    csrf = csrf_from(console)
    response = http.post(f"/events/{event.id}/merges",
                         data={"csrf_token": csrf, "source_id": str(b), "target_id": str(a)})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#row-{a}")
    rows = http.get(f"/events/{event.id}/console/proposals").get_data(as_text=True)
    assert "Sammanslaget med:" in rows and "Ångra sammanslagning" in rows
    db.session.rollback()
    (merge,) = merging.list_merges(event.id)
    assert http.post(f"/events/{event.id}/merges",
                     data={"csrf_token": csrf, "source_id": "x"}).status_code == 302
    assert http.post(f"/events/{event.id}/merges/{merge['id']}/undo",
                     data={"csrf_token": csrf}).status_code == 302
    db.session.rollback()
    assert db.session.get(Proposal, b).status == "visible"
    other = app.test_client()
    login(other, staff.other)
    csrf_other = csrf_from(other.get("/events").get_data(as_text=True))
    forbidden = other.post(f"/events/{event.id}/merges", data={
        "csrf_token": csrf_other, "source_id": str(b), "target_id": str(a)})
    assert forbidden.status_code == 403
    db.session.rollback()
    assert db.session.get(Proposal, b).status == "visible"


def test_review_csv_lists_merged_from_and_leaves_sources_out(app, make_event, staff):
    event, (a, b, c) = voting_event(make_event, ["A", "B", "C"])
    merge_proposals(staff.facilitator, a, b)
    merge_proposals(staff.facilitator, c, b)
    http = app.test_client()
    login(http, staff.facilitator)
    lines = http.get(f"/review/events/{event.id}/proposals.csv").get_data(
        as_text=True).lstrip("\ufeff").splitlines()
    header = lines[0].split(",")
    assert "merged_from" in header
    (row,) = [line.split(",") for line in lines[1:]]
    assert row[header.index("id")] == str(b)
    assert row[header.index("merged_from")] == f"{a} {c}"
    page = http.get(f"/review/events/{event.id}").get_data(as_text=True)
    assert "Sammanslaget av 3 förslag" in page


# Property: random ballots, a random merge, then the invariants and an exact undo.
PEOPLE = 4
PROPOSALS = 3


def _ballots(method):
    if method == "approval":
        picks = st.lists(st.booleans(), min_size=PROPOSALS, max_size=PROPOSALS)
        return st.lists(picks.map(lambda row: [int(b) for b in row]),
                        min_size=PEOPLE, max_size=PEOPLE)
    if method == "scale":  # 0: not rated
        row = st.lists(st.integers(0, SCALE_MAX), min_size=PROPOSALS, max_size=PROPOSALS)
        return st.lists(row, min_size=PEOPLE, max_size=PEOPLE)
    row = st.lists(st.integers(0, DOTS["max_per_proposal"]), min_size=PROPOSALS,
                   max_size=PROPOSALS).filter(lambda r: sum(r) <= DOTS["dots"])
    return st.lists(row, min_size=PEOPLE, max_size=PEOPLE)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), method=st.sampled_from(["approval", "dots", "scale"]),
       pair=st.permutations(range(PROPOSALS)))
def test_merge_property(app, make_event, staff, data, method, pair):
    voting = {"dots": DOTS, "scale": {"method": "scale"}}.get(method)
    event, ids = voting_event(make_event, [f"P{i}" for i in range(PROPOSALS)], voting=voting)
    ballots = data.draw(_ballots(method))
    people = []
    for n, row in enumerate(ballots):
        person = Participant(event_id=event.id, token=f"voter-{event.id}-{n}")
        db.session.add(person)
        db.session.flush()
        people.append(person.id)
        for pid, dots in zip(ids, row, strict=True):
            if dots:
                db.session.add(Vote(event_id=event.id, proposal_id=pid,
                                    participant_id=person.id, dots=dots))
    db.session.commit()
    source, target = ids[pair[0]], ids[pair[1]]
    before = vote_set(event.id)
    supporters = {n for n, row in enumerate(ballots) if row[pair[0]] or row[pair[1]]}

    merged = merge_proposals(staff.facilitator, source, target)
    after = vote_set(event.id)
    # One row per person and proposal (vote_set would fold duplicates, so count the rows).
    assert db.session.scalar(select(func.count(Vote.id)).where(Vote.event_id == event.id)) == (
        len(after))
    assert all(pid != source for _token, pid in after)
    per_person: dict[str, int] = {}
    for (token, _pid), dots in after.items():
        assert 1 <= dots <= {"dots": DOTS["max_per_proposal"], "scale": SCALE_MAX}.get(method, 1)
        per_person[token] = per_person.get(token, 0) + dots
    if method == "dots":
        assert all(total <= DOTS["dots"] for total in per_person.values())
    for n, row in enumerate(ballots):
        token = f"voter-{event.id}-{n}"
        expected = combine(method, row[pair[1]], row[pair[0]], DOTS["max_per_proposal"]) \
            if row[pair[0]] else row[pair[1]]
        assert after.get((token, target), 0) == expected
    counts = tallies(event.id)
    for pid in ids:
        stored = [dots for (_token, p), dots in after.items() if p == pid]
        if stored and method == "scale":
            assert (counts[pid]["ratings"], counts[pid]["sum"]) == (len(stored), sum(stored))
        elif stored:
            assert counts[pid] == {"votes": len(stored), "dots": sum(stored)}
        else:
            assert pid not in counts
    if method != "dots":  # one vote or one rating per supporter of either
        assert counts.get(target, {"votes": 0})["votes"] == len(supporters)

    undo_merge(staff.facilitator, merged["merge"]["id"])
    assert vote_set(event.id) == before


def test_the_worked_example_in_ranking_md(any_db_app, make_event, staff):
    event, (p1, p2) = voting_event(make_event, ["Fler cykelbanor till centrum",
                                                "Fler cykelbanor in till centrum"], voting=DOTS)
    for token, picks in {"anna": {p1: 2, p2: 3}, "bo": {p1: 1, p2: 1}, "cecilia": {p2: 3},
                         "dani": {p1: 3}}.items():
        for pid, dots in picks.items():
            vote(event, pid, token, dots)
    assert (tallies(event.id)[p1], tallies(event.id)[p2]) == (
        {"votes": 3, "dots": 6}, {"votes": 3, "dots": 7})
    merge_proposals(staff.facilitator, p2, p1)
    assert vote_set(event.id) == {("anna", p1): 3, ("bo", p1): 2, ("cecilia", p1): 3,
                                  ("dani", p1): 3}
    assert tallies(event.id) == {p1: {"votes": 4, "dots": 11}}
    assert ballot(event, "anna")["remaining"] == 2


def test_snapshot_reads_merged_texts_without_a_query_per_proposal(app, make_event, staff):
    from sqlalchemy import event as sa_event

    from participation.live.snapshot import state_for

    def queries_for(count):
        event = make_event(phase="collect")
        ids = [propose(event, f"Förslag {n}", f"t{n}") for n in range(count)]
        for source, target in zip(ids[1::2], ids[::2], strict=False):
            merge_proposals(staff.facilitator, source, target)
        seen = []

        def record(*_args):
            seen.append(1)

        db.session.expire_all()
        sa_event.listen(db.engine, "before_cursor_execute", record)
        try:
            with app.test_request_context():  # the join URL in the event part
                state = state_for(db.session.get(Event, event.id), None, True)
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", record)
        assert sum(len(p["merged_from"]) for p in state["proposals"]) == count // 2
        return len(seen)

    assert queries_for(4) == queries_for(12)


def test_the_consoles_undo_buttons_are_for_merges_not_undone(app, make_event):
    event, (a, b, c) = voting_event(make_event, ["A", "B", "C"])
    user = _creator(event)
    first = merge_proposals(user, a, c)["merge"]["id"]
    second = merge_proposals(user, b, c)["merge"]["id"]
    assert {t: [m.id for m in ms] for t, ms in merging.active_merges(event.id).items()} == {
        c: [first, second]}
    undo_merge(user, second)
    assert {t: [m.id for m in ms] for t, ms in merging.active_merges(event.id).items()} == {
        c: [first]}
    assert [m["id"] for m in merging.list_merges(event.id)] == [first, second]  # the history
