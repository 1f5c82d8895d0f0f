"""The worked examples of docs/ranking.md ("Fair ranking"), number by number."""

import pytest

from participation.events.operations import change_phase
from participation.extensions import db
from participation.proposals.operations import cast_vote, submit_proposal
from participation.proposals.paper import add_paper_proposal, set_hand_count
from participation.review import scoring
from participation.review.listing import rows_for

approx = pytest.approx


def test_wilson_interval_small_and_large_samples():
    # 3 of 4 is a higher share than 50 of 100, but much less certain.
    assert scoring.wilson(3, 4) == (approx(0.3006, abs=1e-4), approx(0.9544, abs=1e-4))
    assert scoring.wilson(50, 100) == (approx(0.4038, abs=1e-4), approx(0.5962, abs=1e-4))
    assert scoring.wilson(0, 0) == (0.0, 1.0)
    assert scoring.wilson(0, 10)[0] == 0.0


def test_example_1_approval_with_a_hand_count():
    """20 phone voters; hands for the paper proposal P2: 5. n = 20 + 5 = 25."""
    scores = scoring.approval_scores({1: {"votes": 14, "paper": 0},
                                      2: {"votes": 3, "paper": 5},
                                      3: {"votes": 2, "paper": 0},
                                      4: {"votes": 3, "paper": 0}}, phone_voters=20)
    assert {p: s.voters for p, s in scores.items()} == {1: 25, 2: 25, 3: 25, 4: 25}
    assert [round(scores[p].score, 3) for p in (1, 2, 3, 4)] == [0.371, 0.172, 0.022, 0.042]
    assert [round(scores[p].high, 3) for p in (1, 2, 3, 4)] == [0.733, 0.516, 0.250, 0.300]
    assert scores[2].supporters == 8


def test_example_2_dots_shrunk_toward_the_event_mean():
    """6 voters, 3 dots each, at most 2 on one proposal (ballots in docs/ranking.md)."""
    tallies = {1: {"votes": 4, "dots": 7, "squares": 13, "paper": 0},
               2: {"votes": 6, "dots": 8, "squares": 12, "paper": 0},
               3: {"votes": 1, "dots": 2, "squares": 4, "paper": 0}}
    scores = scoring.dots_scores(tallies, phone_voters=6, cap=2)
    # m = 17 / (6 × 3) = 0.944; P1 = (5 × 0.944 + 7) / (5 + 6) = 1.066
    assert [round(scores[p].score, 3) for p in (1, 2, 3)] == [1.066, 1.157, 0.611]
    assert [round(scores[p].low, 3) for p in (1, 2, 3)] == [0.548, 0.761, 0.142]
    assert [round(scores[p].high, 3) for p in (1, 2, 3)] == [1.583, 1.552, 1.080]
    assert [round(scores[p].norm, 3) for p in (1, 2, 3)] == [0.533, 0.578, 0.306]


def test_scale_example_keeps_the_bayesian_average_and_adds_an_interval():
    tallies = {"A": {"ratings": 1, "sum": 5, "squares": 25},
               "B": {"ratings": 4, "sum": 19, "squares": 91},
               "C": {"ratings": 2, "sum": 5, "squares": 13},
               "D": {"ratings": 0, "sum": 0, "squares": 0}}
    scores = scoring.scale_scores(tallies, raters=5)
    assert {p: round(s.score, 2) for p, s in scores.items()} == {
        "A": 4.43, "B": 4.55, "C": 3.32, "D": 4.14}
    assert (round(scores["B"].low, 2), scores["B"].high) == (3.96, 5)
    assert (round(scores["C"].low, 2), round(scores["C"].high, 2)) == (2.47, 4.17)
    assert (round(scores["A"].low, 2), round(scores["D"].low, 2)) == (3.39, 2.58)
    assert round(scores["B"].norm, 3) == 0.887  # (4.548 − 1) / 4


def test_example_3_one_large_event_does_not_drown_two_small_ones():
    a, b, c = scoring.wilson(60, 300), scoring.wilson(6, 8), scoring.wilson(9, 12)
    assert [round(x[0], 3) for x in (a, b, c)] == [0.159, 0.409, 0.468]
    assert [round(scoring.event_weight(n), 3) for n in (300, 8, 12)] == [0.968, 0.444, 0.545]
    combined = scoring.combine([(300, a[0], *a), (8, b[0], *b), (12, c[0], *c)])
    assert round(combined["score"], 3) == 0.302
    assert (round(combined["low"], 3), round(combined["high"], 3)) == (0.302, 0.588)
    pooled = scoring.wilson(60 + 6 + 9, 300 + 8 + 12)[0]
    assert round(pooled, 3) == 0.191  # counting everyone together: the large event decides


def test_without_any_voter_every_interval_is_the_whole_range():
    empty = {"votes": 0, "dots": 0, "squares": 0, "paper": 0}
    (dots,) = scoring.dots_scores({1: empty}, phone_voters=0, cap=3).values()
    assert (dots.score, dots.low, dots.high, dots.norm_high) == (0, 0, 3, 1)
    assert (dots.supporters, dots.voters) == (0, 0)  # nobody: no phantom voter
    (share,) = scoring.approval_scores({1: empty}, phone_voters=0).values()
    assert (share.score, share.low, share.high) == (0, 0, 1)
    (rating,) = scoring.scale_scores({1: {"ratings": 0, "sum": 0, "squares": 0}}, 0).values()
    # The spread of a uniform 1..5, (5² − 1) / 12 = 2, over the two pseudo-ratings.
    half = scoring.Z * (2 / scoring.SCALE_PRIOR) ** 0.5
    assert (rating.score, rating.low, rating.high) == (3, approx(3 - half), approx(3 + half))
    assert scoring.combine([(0, 0.5, 0.2, 0.8)]) == {"score": 0.0, "low": 0.0, "high": 1.0,
                                                      "events": 1}


def test_broad_support_thresholds():
    assert not scoring.broad(1, 1, 2)
    assert scoring.broad(1, 1, 3) and scoring.broad(2, 1, 0) and scoring.broad(1, 2, 0)


def _score(score, supporters):
    return scoring.Score(score, 0.0, 1.0, score, 0.0, 1.0, supporters, 10)


def test_fair_ranks_share_a_rank_only_on_equal_score_and_supporters():
    scores = {1: _score(0.62, 4), 2: _score(0.41, 4), 3: _score(0.41, 4), 4: _score(0.41, 3),
              5: _score(0.40000000001, 3), 6: _score(0.05, 1)}
    # 0.41 and 0.41 tie (rank 2, then 4 is skipped); fewer supporters rank below; scores
    # equal to nine decimals count as equal.
    assert scoring.fair_ranks(scores, [6, 5, 4, 3, 2, 1]) == {1: 1, 2: 2, 3: 2, 4: 4, 5: 5,
                                                              6: 6}


def _row(event_id, norm, voters, supporters, kind="medborgarverkstad", tables=()):
    return {"event_id": event_id, "event_kind": kind, "norm_score": norm,
            "norm_low": norm - 0.1, "norm_high": norm + 0.1, "voters": voters,
            "supporters": supporters, "supporter_tables": tables}


def test_group_support_takes_each_events_best_proposal_once():
    rows = [_row(1, 0.8, 20, 12, tables=(1, 2)), _row(1, 0.3, 20, 5, tables=(3,)),
            _row(2, 0.5, 10, 4, kind="rådslag"), _row(3, 0.0, 30, 0, tables=(9,))]
    group = scoring.group_support(rows)
    # Event 1 counts with its best (0.8), not its 0.3 nor both; event 3 (nobody supported
    # its proposal) weighs in the score but is no supporting event, and its table is no
    # supporter's.
    expected = scoring.combine([(20, 0.8, 0.7, 0.9), (10, 0.5, 0.4, 0.6), (30, 0.0, -0.1, 0.1)])
    assert {k: group[k] for k in ("score", "low", "high")} == expected_scores(expected)
    assert (group["events"], group["kinds"], group["tables"], group["broad"]) == (2, 2, 3, True)
    # The best comes first or last: the same.
    assert scoring.group_support(rows[::-1])["score"] == pytest.approx(group["score"])


def test_group_support_is_broad_by_tables_alone():
    rows = [_row(1, 0.6, 20, 8, tables=(1, 2)), _row(1, 0.2, 20, 3, tables=(3,))]
    group = scoring.group_support(rows)
    assert (group["events"], group["kinds"], group["tables"], group["broad"]) == (1, 1, 3, True)


def expected_scores(combined):
    return {k: pytest.approx(combined[k]) for k in ("score", "low", "high")}


def _vote(pid, token, n):
    cast_vote(pid, lambda _event_id: token, f"fair-vote-{token}-{n}")


def test_example_1_from_stored_votes(any_db_app, make_event, staff):
    """The same numbers from a real event: 20 phones, a paper proposal with 5 hands."""
    event = make_event(phase="collect")
    p1 = submit_proposal(event.id, "author-1", "Belys cykelbanorna", "", "fair-client-1")
    p3 = submit_proposal(event.id, "author-3", "Lånecyklar", "", "fair-client-3")
    p2 = add_paper_proposal(staff.facilitator, event.id, "Fler bänkar")
    p4 = submit_proposal(event.id, "author-4", "Fler träd", "", "fair-client-4")
    ids = [p1["proposal"]["id"], p2["proposal"]["id"], p3["proposal"]["id"]]
    change_phase(staff.facilitator, event.id, "vote")
    for n in range(20):
        token = f"phone-{n:02d}"
        picks = [ids[0]] if n < 14 else []
        picks += [ids[1]] if n in (0, 1, 14) else []
        picks += [ids[2]] if n in (15, 16) else []
        if not picks:  # the other three voted for a fourth proposal
            picks = [p4["proposal"]["id"]]
        for k, pid in enumerate(picks):
            _vote(pid, token, k)
    set_hand_count(staff.facilitator, ids[1], 5)
    event = db.session.get(type(event), event.id)
    scores = scoring.event_scores([event])
    assert [scores[i].supporters for i in ids] == [14, 8, 2]
    assert [scores[i].voters for i in ids] == [25, 25, 25]
    assert round(scores[ids[0]].score, 3) == 0.371
    assert round(scores[ids[1]].score, 3) == 0.172
    assert round(scores[ids[2]].score, 3) == 0.022
    rows = {r["proposal_id"]: r for r in rows_for(None, {"event_id": event.id})}
    assert [rows[i]["fair_rank"] for i in ids] == [1, 2, 4]  # P4 (3 of 25) is third
    assert rows[ids[1]]["paper_votes"] == 5 and rows[ids[1]]["phone_votes"] == 3


def test_merged_proposals_are_scored_as_their_target(app, make_event, staff):
    from participation.proposals.merge import merge_proposals

    event = make_event(phase="collect")
    a = submit_proposal(event.id, "author-a", "Cykelställ", "", "merge-client-a")["proposal"]
    b = submit_proposal(event.id, "author-b", "Cykelställ med tak", "", "merge-client-b")
    change_phase(staff.facilitator, event.id, "vote")
    _vote(a["id"], "both", 1)
    _vote(b["proposal"]["id"], "both", 2)
    _vote(b["proposal"]["id"], "only-b", 3)
    merge_proposals(staff.facilitator, b["proposal"]["id"], a["id"])
    scores = scoring.event_scores([db.session.get(type(event), event.id)])
    assert list(scores) == [a["id"]]  # the source is not ranked on its own
    assert (scores[a["id"]].supporters, scores[a["id"]].voters) == (2, 2)
