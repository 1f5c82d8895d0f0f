"""Fair ranking: scores that account for how much evidence a proposal has, within and across
events. The formulas, the choices behind them and worked examples are in docs/ranking.md.

The arithmetic is pure (numbers in, numbers out) so the documented examples are pinned by
tests; `event_scores` gathers the numbers from the stored votes.
"""

from dataclasses import dataclass
from math import sqrt

from sqlalchemy import func, select

from ..core.interval import Z, wilson
from ..events.models import SCALE_MAX, SCALE_MIN
from ..extensions import db
from ..proposals import supporters
from ..proposals.models import Proposal, Vote
from ..proposals.ranking import PRIOR_WEIGHT as SCALE_PRIOR

# Pseudo-voters at the event's mean every dot-voted proposal starts with.
DOTS_PRIOR = 5
# An event with this many voting participants weighs half as much as an infinitely large one.
EVENT_HALF_WEIGHT = 10
# "Broad support": supporters in at least this many events, event kinds or tables.
BROAD_EVENTS, BROAD_KINDS, BROAD_TABLES = 2, 2, 3


@dataclass(frozen=True)
class Score:
    """`score` orders proposals within their event (in the method's own unit); `norm` is the
    same on 0..1, comparable across events and voting methods."""

    score: float
    low: float
    high: float
    norm: float
    norm_low: float
    norm_high: float
    supporters: int  # people (phone voters + hands) who gave it anything
    voters: int  # voting participants of the event, the denominator

    def as_dict(self) -> dict:
        return {"fair_score": round(self.score, 4), "fair_low": round(self.low, 4),
                "fair_high": round(self.high, 4), "norm_score": round(self.norm, 4),
                "norm_low": round(self.norm_low, 4), "norm_high": round(self.norm_high, 4)}


def shrunk_mean(total: float, squares: float, n: int, prior_mean: float, prior_var: float,
                prior_weight: float, bounds: tuple[float, float],
                z: float = Z) -> tuple[float, float, float]:
    """The mean of n values (their sum and sum of squares) shrunk toward `prior_mean` as if
    `prior_weight` values at that mean were added; the interval uses the variance blended the
    same way, so a proposal with few or identical values is not falsely certain."""
    weight = prior_weight + n
    mean = (prior_weight * prior_mean + total) / weight
    own_var = max(0.0, squares / n - (total / n) ** 2) if n else 0.0
    variance = (prior_weight * prior_var + n * own_var) / weight
    half = z * sqrt(variance / weight)
    return mean, max(bounds[0], mean - half), min(bounds[1], mean + half)


def event_weight(voters: int) -> float:
    """How much one event counts in a combined score: grows with its voters, but saturates,
    so a large event counts at most about twice as much as one with EVENT_HALF_WEIGHT."""
    return voters / (voters + EVENT_HALF_WEIGHT) if voters > 0 else 0.0


def combine(parts: list[tuple[int, float, float, float]]) -> dict:
    """One score across events from each event's (voters, norm, norm_low, norm_high)."""
    weights = [event_weight(n) for n, *_ in parts]
    total = sum(weights)
    if not total:
        return {"score": 0.0, "low": 0.0, "high": 1.0, "events": len(parts)}
    mean = [sum(w * part[i] for w, part in zip(weights, parts, strict=True)) / total
            for i in (1, 2, 3)]
    return {"score": mean[0], "low": mean[1], "high": mean[2], "events": len(parts)}


def broad(events: int, kinds: int, tables: int) -> bool:
    return events >= BROAD_EVENTS or kinds >= BROAD_KINDS or tables >= BROAD_TABLES


# --- the three methods, from plain tallies -------------------------------------------------

def approval_scores(tallies: dict[int, dict], phone_voters: int) -> dict[int, Score]:
    """tallies: proposal id -> {"votes": phone votes, "paper": hands}."""
    voters = phone_voters + max((t["paper"] for t in tallies.values()), default=0)
    scores = {}
    for pid, t in tallies.items():
        k = t["votes"] + t["paper"]
        low, high = wilson(k, voters)
        scores[pid] = Score(low, low, high, low, low, high, k, voters)
    return scores


def dots_scores(tallies: dict[int, dict], phone_voters: int, cap: int) -> dict[int, Score]:
    """tallies: id -> {"votes": people, "dots": sum, "squares": sum of dots², "paper": hands}.

    A raised hand is one dot from one more voter (the least support a person can give)."""
    hands = max((t["paper"] for t in tallies.values()), default=0)
    voters = phone_voters + hands
    cells = voters * len(tallies)
    total = sum(t["dots"] + t["paper"] for t in tallies.values())
    squares = sum(t["squares"] + t["paper"] for t in tallies.values())
    mean = total / cells if cells else 0.0
    variance = max(0.0, squares / cells - mean * mean) if cells else 0.0
    scores = {}
    if not voters:  # nobody has voted: nothing is known yet
        return {pid: Score(0.0, 0.0, cap, 0.0, 0.0, 1.0, 0, 0) for pid in tallies}
    for pid, t in tallies.items():
        score, low, high = shrunk_mean(t["dots"] + t["paper"], t["squares"] + t["paper"],
                                       voters, mean, variance, DOTS_PRIOR, (0, cap))
        scores[pid] = Score(score, low, high, score / cap, low / cap, high / cap,
                            t["votes"] + t["paper"], voters)
    return scores


def scale_scores(tallies: dict[int, dict], raters: int) -> dict[int, Score]:
    """tallies: id -> {"ratings": n, "sum": Σ, "squares": Σ score²}."""
    n = sum(t["ratings"] for t in tallies.values())
    total = sum(t["sum"] for t in tallies.values())
    mean = total / n if n else (SCALE_MIN + SCALE_MAX) / 2
    if n:
        variance = max(0.0, sum(t["squares"] for t in tallies.values()) / n - mean * mean)
    else:  # nobody has rated yet: the spread of a uniform 1..5
        variance = ((SCALE_MAX - SCALE_MIN + 1) ** 2 - 1) / 12
    span = SCALE_MAX - SCALE_MIN
    scores = {}
    for pid, t in tallies.items():
        score, low, high = shrunk_mean(t["sum"], t["squares"], t["ratings"], mean, variance,
                                       SCALE_PRIOR, (SCALE_MIN, SCALE_MAX))
        scores[pid] = Score(score, low, high, (score - SCALE_MIN) / span,
                            (low - SCALE_MIN) / span, (high - SCALE_MIN) / span,
                            t["ratings"], raters)
    return scores


# --- from the database ---------------------------------------------------------------------

def _vote_rows(event_ids):
    return db.session.execute(
        select(Vote.event_id, Vote.proposal_id, func.count(Vote.id), func.sum(Vote.dots),
               func.sum(Vote.dots * Vote.dots))
        .join(Proposal, Proposal.id == Vote.proposal_id)
        .where(Vote.event_id.in_(event_ids), Proposal.status == "visible")
        .group_by(Vote.event_id, Vote.proposal_id)
    ).all()


def event_scores(events) -> dict[int, Score]:
    """Every visible proposal of these events: its fair Score, by proposal id."""
    events = list(events)
    if not events:
        return {}
    ids = [e.id for e in events]
    proposals = db.session.execute(
        select(Proposal.id, Proposal.event_id, Proposal.paper_votes)
        .where(Proposal.event_id.in_(ids), Proposal.status == "visible")
    ).all()
    votes = {pid: (n, int(d or 0), int(s or 0)) for _e, pid, n, d, s in _vote_rows(ids)}
    voters = dict(db.session.execute(
        select(Vote.event_id, func.count(func.distinct(Vote.participant_id)))
        .where(Vote.event_id.in_(ids)).group_by(Vote.event_id)
    ).all())
    by_event: dict[int, dict] = {e.id: {} for e in events}
    for pid, event_id, paper in proposals:
        n, dots, squares = votes.get(pid, (0, 0, 0))
        by_event[event_id][pid] = {"votes": n, "dots": dots, "squares": squares,
                                   "paper": paper, "ratings": n, "sum": dots}
    scores: dict[int, Score] = {}
    for event in events:
        tallies, phone = by_event[event.id], voters.get(event.id, 0)
        if event.is_scale:
            scores |= scale_scores(tallies, phone)
        elif event.is_dots:
            scores |= dots_scores(tallies, phone, event.max_dots_per_proposal)
        else:
            scores |= approval_scores(tallies, phone)
    return scores


def fair_ranks(scores: dict[int, Score], proposal_ids) -> dict[int, int]:
    """Standard competition ranks within one event by fair score, then supporters, then id."""
    ordered = sorted(proposal_ids, key=lambda p: (-round(scores[p].score, 9),
                                                  -scores[p].supporters, p))
    ranks, previous, rank = {}, None, 0
    for position, pid in enumerate(ordered, start=1):
        key = (round(scores[pid].score, 9), scores[pid].supporters)
        if key != previous:
            rank, previous = position, key
        ranks[pid] = rank
    return ranks


def supporter_tables(proposal_ids) -> dict[int, set]:
    """The tables its supporters sat at, per proposal: one half of "broad support". The same
    definition as the measure pages' (proposals/supporters.py)."""
    return supporters.supporter_tables(proposal_ids)


def group_support(rows: list[dict]) -> dict:
    """A combined score and the broad-support signal for a group of proposals (e.g. those a
    filter matched) from several events. Each event contributes its best matching proposal,
    so splitting one idea into three proposals does not count it three times."""
    best: dict[int, dict] = {}
    for row in rows:
        current = best.get(row["event_id"])
        if current is None or row["norm_score"] > current["norm_score"]:
            best[row["event_id"]] = row
    supported = [r for r in rows if r["supporters"] > 0]
    combined = combine([(r["voters"], r["norm_score"], r["norm_low"], r["norm_high"])
                        for r in best.values()])
    events = len({r["event_id"] for r in supported})
    kinds = len({r["event_kind"] for r in supported})
    tables = len({t for r in supported for t in r.get("supporter_tables", ())})
    return combined | {"events": events, "kinds": kinds, "tables": tables,
                       "broad": broad(events, kinds, tables)}
