"""Fair scores from stored votes, for dots and scale, against a count made by hand.

The reference below does not reuse the scoring module's sums: it lays out every voter's cell
for every proposal (zeros included; a raised hand is one more voter giving one dot) and takes
means and spreads of those lists with `statistics`, as docs/ranking.md describes them. Three
events with different voters are scored together and alone: each keeps its own denominator.
What the review page and the API export must be those numbers, field by field.
"""

import json
from math import sqrt
from statistics import fmean, pvariance

import pytest

from participation.core.interval import Z, wilson
from participation.events.models import Event
from participation.events.operations import change_phase
from participation.extensions import db
from participation.proposals.operations import cast_vote, submit_proposal
from participation.proposals.paper import add_paper_proposal, set_hand_count
from participation.proposals.ranking import PRIOR_WEIGHT as SCALE_PRIOR
from participation.review import scoring
from participation.review.listing import rows_for

from .conftest import login

DOTS = {"method": "dots", "dots": 5, "max_per_proposal": 3}
CAP = 3
EXPORTED = ("fair_score", "fair_low", "fair_high", "norm_score", "norm_low", "norm_high")


def _propose(event, n, title):
    answer = submit_proposal(event.id, f"author-{event.id}-{n}", title, "",
                             f"proposal-{event.id}-{n}")
    return answer["proposal"]["id"]


def _ballots(staff, event, ballots: dict[str, dict[int, int]], *, scale=False):
    change_phase(staff.facilitator, event.id, "vote")
    for voter, picks in ballots.items():
        for k, (pid, value) in enumerate(picks.items()):
            extra = {"score": value} if scale else {"dots": value}
            cast_vote(pid, lambda _e, v=voter: v, f"vote-{voter}-{k}-x", **extra)


# --- the hand count ------------------------------------------------------------------------


def dots_reference(ids, phone: dict[str, dict[int, int]], hands: dict[int, int], cap: int):
    """Every cell: phone voters' dots (0 where they gave none), then one row per raised hand up
    to the largest count, one dot where that proposal had that many hands."""
    rows = [[ballot.get(p, 0) for p in ids] for ballot in phone.values()]
    most = max(hands.values(), default=0)
    rows += [[1 if hands.get(p, 0) > h else 0 for p in ids] for h in range(most)]
    cells = [cell for row in rows for cell in row]
    prior_mean, prior_var = fmean(cells), pvariance(cells)
    out = {}
    for column, p in enumerate(ids):
        values = [row[column] for row in rows]
        weight = scoring.DOTS_PRIOR + len(values)
        score = (scoring.DOTS_PRIOR * prior_mean + sum(values)) / weight
        var = (scoring.DOTS_PRIOR * prior_var + len(values) * pvariance(values)) / weight
        half = Z * sqrt(var / weight)
        low, high = max(0, score - half), min(cap, score + half)
        supporters = sum(1 for b in phone.values() if b.get(p)) + hands.get(p, 0)
        out[p] = {"fair_score": score, "fair_low": low, "fair_high": high,
                  "norm_score": score / cap, "norm_low": low / cap, "norm_high": high / cap,
                  "supporters": supporters, "voters": len(rows)}
    return out


def scale_reference(ids, ratings: dict[str, dict[int, int]]):
    every = [r for ballot in ratings.values() for r in ballot.values()]
    if every:
        prior_mean, prior_var = fmean(every), pvariance(every)
    else:  # a uniform 1..5: mean 3, variance (5² − 1) / 12 = 2
        prior_mean, prior_var = 3, 2
    out = {}
    for p in ids:
        values = [b[p] for b in ratings.values() if p in b]
        weight = SCALE_PRIOR + len(values)
        score = (SCALE_PRIOR * prior_mean + sum(values)) / weight
        own = pvariance(values) if values else 0
        var = (SCALE_PRIOR * prior_var + len(values) * own) / weight
        half = Z * sqrt(var / weight)
        low, high = max(1, score - half), min(5, score + half)
        out[p] = {"fair_score": score, "fair_low": low, "fair_high": high,
                  "norm_score": (score - 1) / 4, "norm_low": (low - 1) / 4,
                  "norm_high": (high - 1) / 4, "supporters": len(values),
                  "voters": len(ratings)}
    return out


def approval_reference(ids, phone: dict[str, set[int]], hands: dict[int, int]):
    voters = len(phone) + max(hands.values(), default=0)
    out = {}
    for p in ids:
        k = sum(1 for picks in phone.values() if p in picks) + hands.get(p, 0)
        low, high = wilson(k, voters)
        out[p] = {"fair_score": low, "fair_low": low, "fair_high": high, "norm_score": low,
                  "norm_low": low, "norm_high": high, "supporters": k, "voters": voters}
    return out


# --- the room ------------------------------------------------------------------------------


@pytest.fixture
def three_events(app, make_event, staff):
    """A dots workshop with a paper proposal and an unvoted one, a scale rådslag with an
    unrated proposal, and an approval event with fewer voters: different denominators."""
    dots = make_event(voting=DOTS, phase="collect", title="Prickar")
    d = [_propose(dots, n, t) for n, t in enumerate(("Cykelbanor", "Solceller", "Bilpool",
                                                    "Ingen röstade"))]
    paper = add_paper_proposal(staff.facilitator, dots.id, "Fler träd, från lapp")["proposal"]
    d_ids = [*d, paper["id"]]
    dots_ballots = {"a": {d[0]: 3, d[1]: 2}, "b": {d[0]: 1, d[2]: 1, paper["id"]: 3},
                    "c": {d[1]: 3}, "d": {d[0]: 2, d[1]: 1, d[2]: 2}}
    _ballots(staff, dots, dots_ballots)
    # Hands counted in the room: the paper proposal and one phone proposal.
    dots_hands = {paper["id"]: 4, d[2]: 1}
    for pid, count in dots_hands.items():
        set_hand_count(staff.facilitator, pid, count)

    scale = make_event(voting={"method": "scale"}, phase="collect", title="Skala",
                       kind="radslag")
    s_ids = [_propose(scale, n, t) for n, t in enumerate(("Grönare torg", "Laddstolpar",
                                                         "Ingen betygsatte"))]
    scale_ballots = {"r1": {s_ids[0]: 5, s_ids[1]: 2}, "r2": {s_ids[0]: 4},
                     "r3": {s_ids[0]: 5, s_ids[1]: 1}, "r4": {s_ids[1]: 3},
                     "r5": {s_ids[0]: 2}}
    _ballots(staff, scale, scale_ballots, scale=True)

    approval = make_event(phase="collect", title="Ja eller nej")
    a_ids = [_propose(approval, n, t) for n, t in enumerate(("Tåg", "Buss", "Båt"))]
    _ballots(staff, approval, {"x": {a_ids[0]: 1}, "y": {a_ids[0]: 1, a_ids[1]: 1}})
    approval_hands = {a_ids[2]: 3}
    set_hand_count(staff.facilitator, a_ids[2], 3)

    db.session.rollback()
    events = [db.session.get(Event, e.id) for e in (dots, scale, approval)]
    expected = (dots_reference(d_ids, dots_ballots, dots_hands, CAP)
                | scale_reference(s_ids, scale_ballots)
                | approval_reference(a_ids, {"x": {a_ids[0]}, "y": {a_ids[0], a_ids[1]}},
                                     approval_hands))
    return events, expected, {"dots": d_ids, "scale": s_ids, "approval": a_ids}


def _matches(got: dict, want: dict, *label):
    """Every figure of the hand count, the exported ones as rounded to four decimals."""
    for key, value in want.items():
        assert got[key] == pytest.approx(round(value, 4) if key in EXPORTED else value,
                                         abs=1e-4), (*label, key)


def _same(score: scoring.Score, want: dict):
    _matches(dict(score.as_dict(), supporters=score.supporters, voters=score.voters), want)


def test_dots_scores_from_stored_votes_match_the_hand_count(three_events):
    events, expected, ids = three_events
    scores = scoring.event_scores([events[0]])
    assert sorted(scores) == sorted(ids["dots"])
    for pid in ids["dots"]:
        _same(scores[pid], expected[pid])
    unvoted, paper = ids["dots"][3], ids["dots"][4]
    # 4 phones and 4 hands: 8 voters; nobody gave the fourth proposal anything.
    assert (scores[unvoted].supporters, scores[unvoted].voters) == (0, 8)
    assert scores[paper].supporters == 5  # one phone and four hands
    # By hand: 18 phone dots and 5 hands in 8 × 5 cells; the paper proposal's cells are
    # 0, 3, 0, 0 and four hands: 7.
    assert scores[paper].score == pytest.approx((5 * 23 / 40 + 7) / 13)


def test_scale_scores_from_stored_votes_match_the_hand_count(three_events):
    events, expected, ids = three_events
    scores = scoring.event_scores([events[1]])
    for pid in ids["scale"]:
        _same(scores[pid], expected[pid])
    unrated = ids["scale"][2]
    # Unrated: the event's mean (22 / 7) with the event's spread over two pseudo-ratings.
    assert scores[unrated].supporters == 0 and scores[unrated].voters == 5
    assert scores[unrated].score == pytest.approx(22 / 7)


def test_a_scale_event_nobody_has_rated_sits_at_the_middle_with_the_uniform_spread(
        app, make_event, staff):
    event = make_event(voting={"method": "scale"}, phase="collect")
    pid = _propose(event, 1, "Ingen har röstat än")
    (score,) = scoring.event_scores([event]).values()
    half = Z * sqrt(2 / SCALE_PRIOR)  # the variance of a uniform 1..5 is (25 − 1) / 12 = 2
    assert (score.score, score.low, score.high) == (3, pytest.approx(3 - half),
                                                    pytest.approx(3 + half))
    assert (score.supporters, score.voters) == (0, 0)
    assert pid in scoring.event_scores([event])


def test_events_scored_together_keep_their_own_denominators(three_events):
    events, expected, ids = three_events
    together = scoring.event_scores(events)
    for event in events:
        alone = scoring.event_scores([event])
        assert {p: together[p] for p in alone} == alone
    for pid, want in expected.items():
        _same(together[pid], want)
    assert {together[p].voters for p in ids["approval"]} == {5}  # 2 phones + 3 hands


def test_the_exports_carry_the_scores(app, three_events, staff):
    events, expected, _ids = three_events
    rows = {r["proposal_id"]: r for r in rows_for(None, {})}
    browser = app.test_client()
    login(browser, staff.reviewer)
    page = json.loads(browser.get("/review/proposals.json").data)["rows"]
    api = app.test_client().get("/api/v1/proposals?format=json",
                                headers=staff.auth(staff.reviewer)).get_json()["rows"]
    for name, listing in (("rows", rows), ("json export", {r["proposal_id"]: r for r in page}),
                          ("api", {r["proposal_id"]: r for r in api})):
        assert sorted(listing) == sorted(expected), name
        for pid, want in expected.items():
            _matches(listing[pid], want, name, pid)
