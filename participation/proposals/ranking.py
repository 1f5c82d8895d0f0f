"""Tallies are always computed from the stored votes; rank is standard competition ranking."""

from typing import Annotated, NotRequired

from pydantic import Field
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from typing_extensions import TypedDict

from ..events.models import SCALE_MAX, SCALE_MIN, Event
from ..extensions import db
from .models import Proposal, Vote
from .shapes import ProposalContent, public_proposal

# How many ratings at the event's overall mean every scale proposal starts with, so that one
# lone 5 does not beat many 4s and 5s (see docs/ranking.md).
PRIOR_WEIGHT = 2

Distribution = Annotated[dict[str, int], Field(description=(
    "Each score (\"1\" to \"5\") to how many gave it."))]


class CountTally(TypedDict):
    """Approval and dot voting: people and dots, from the stored votes and hand counts."""

    votes: Annotated[int, Field(ge=0, description="People supporting it, hands included.")]
    dots: Annotated[int, Field(ge=0)]
    paper_votes: NotRequired[Annotated[int, Field(ge=1, description="Of those, hands.")]]


class ScaleTally(TypedDict):
    """A scale proposal's ratings."""

    votes: Annotated[int, Field(ge=0, description="Ratings given.")]
    ratings: Annotated[int, Field(ge=0)]
    sum: Annotated[int, Field(ge=0)]
    mean: Annotated[float | None, Field(description="Rounded to 2 decimals.")]
    distribution: Distribution


Tally = CountTally | ScaleTally


class RankedProposal(ProposalContent):
    """A shown proposal with its place and counts."""

    votes: Annotated[int, Field(ge=0, description="People supporting it.")]
    paper_votes: Annotated[int, Field(ge=0, description="Of those, hands counted.")]
    rank: Annotated[int, Field(ge=1, description="Equal scores share a rank (1, 2, 2, 4).")]
    dots: NotRequired[Annotated[int, Field(ge=0, description="Dot voting: dots received.")]]
    ratings: NotRequired[Annotated[int, Field(ge=0, description="Scale: ratings given.")]]
    sum: NotRequired[int]
    mean: NotRequired[float | None]
    distribution: NotRequired[Distribution]
    score: NotRequired[Annotated[float, Field(description=(
        "Scale: the Bayesian average it is ranked by (docs/ranking.md)."))]]


def _scale_tallies(session, event_id: int) -> dict[int, ScaleTally]:
    rows = session.execute(
        select(Vote.proposal_id, Vote.dots, func.count(Vote.id))
        .join(Proposal, Proposal.id == Vote.proposal_id)
        .where(Vote.event_id == event_id, Proposal.status == "visible")
        .group_by(Vote.proposal_id, Vote.dots)
    )
    counts: dict[int, dict] = {}
    for pid, score, n in rows:
        entry = counts.setdefault(pid, {
            "votes": 0, "ratings": 0, "sum": 0,
            "distribution": {str(s): 0 for s in range(SCALE_MIN, SCALE_MAX + 1)}})
        entry["distribution"][str(score)] = n
        entry["ratings"] += n
        entry["votes"] += n
        entry["sum"] += score * n
    for entry in counts.values():
        entry["mean"] = round(entry["sum"] / entry["ratings"], 2)
    return counts


def empty_tally(event) -> Tally:
    if event.is_scale:
        return {"votes": 0, "ratings": 0, "sum": 0, "mean": None,
                "distribution": {str(s): 0 for s in range(SCALE_MIN, SCALE_MAX + 1)}}
    return {"votes": 0, "dots": 0}


def tallies(event_id: int, session=None, method: str | None = None) -> dict[int, Tally]:
    session = session or db.session
    if method is None:
        method = session.scalar(select(Event.voting_method).where(Event.id == event_id))
    if method == "scale":
        # Hand counts do not apply to a scale; each rating is a stored vote.
        return _scale_tallies(session, event_id)
    rows = session.execute(
        select(Vote.proposal_id, func.count(Vote.id), func.sum(Vote.dots))
        .join(Proposal, Proposal.id == Vote.proposal_id)
        .where(Vote.event_id == event_id, Proposal.status == "visible")
        .group_by(Vote.proposal_id)
    )
    counts = {pid: {"votes": votes, "dots": int(dots or 0)} for pid, votes, dots in rows}
    # Hands counted in the room add people, never dots, and stay visible as their own number.
    paper = session.execute(
        select(Proposal.id, Proposal.paper_votes)
        .where(Proposal.event_id == event_id, Proposal.status == "visible",
               Proposal.paper_votes > 0)
    )
    for pid, hands in paper:
        entry = counts.setdefault(pid, {"votes": 0, "dots": 0})
        entry["votes"] += hands
        entry["paper_votes"] = hands
    return counts


def voter_count(event_id: int) -> int:
    return db.session.scalar(
        select(func.count(func.distinct(Vote.participant_id))).where(Vote.event_id == event_id)
    ) or 0


def bayesian_scores(counts: dict[int, dict]) -> dict[int, float]:
    """Each rated proposal's mean shrunk toward the overall mean of all visible ratings:
    (PRIOR_WEIGHT * overall + sum) / (PRIOR_WEIGHT + ratings)."""
    total = sum(t["sum"] for t in counts.values())
    n = sum(t["ratings"] for t in counts.values())
    overall = total / n if n else (SCALE_MIN + SCALE_MAX) / 2
    scores = {pid: (PRIOR_WEIGHT * overall + t["sum"]) / (PRIOR_WEIGHT + t["ratings"])
              for pid, t in counts.items()}
    scores[None] = overall  # what a proposal nobody has rated yet gets
    return scores


def ranked(event, table_number: int | None = None,
           counts: dict | None = None) -> list[RankedProposal]:
    """Visible proposals, best first. Dots: by dots, then people; approval: by people;
    scale: by Bayesian average, then number of ratings.

    Equal scores share a rank (1, 2, 2, 4); the earlier proposal is listed first among equals.
    """
    counts = tallies(event.id) if counts is None else counts
    query = select(Proposal).where(Proposal.event_id == event.id, Proposal.status == "visible")
    if table_number is not None:
        table = next((t for t in event.tables if t.number == table_number), None)
        query = query.where(Proposal.table_id == (table.id if table else None))
    proposals = db.session.scalars(
        query.order_by(Proposal.id).options(selectinload(Proposal.merged_sources))).all()

    empty = empty_tally(event)
    # The shrinkage uses every visible rating in the event, also when one table is shown.
    bayes = bayesian_scores(counts) if event.is_scale else {}

    def score(p):
        t = counts.get(p.id, empty)
        if event.is_scale:
            # Rounded so float noise never splits a tie.
            return (round(bayes.get(p.id, bayes[None]), 9), t["ratings"])
        return (t["dots"], t["votes"]) if event.is_dots else (t["votes"],)

    ordered = sorted(proposals, key=score, reverse=True)
    results, previous, rank = [], None, 0
    for position, proposal in enumerate(ordered, start=1):
        current = score(proposal)
        if current != previous:
            rank, previous = position, current
        t = counts.get(proposal.id, empty)
        row = public_proposal(proposal, event) | {
            "votes": t["votes"], "paper_votes": t.get("paper_votes", 0), "rank": rank}
        if event.is_dots:
            row["dots"] = t["dots"]
        if event.is_scale:
            row |= {"ratings": t["ratings"], "sum": t["sum"], "mean": t["mean"],
                    "distribution": t["distribution"], "score": round(current[0], 2)}
        results.append(row)
    return results


def ranked_by_table(event, top: int = 3) -> dict[str, list[RankedProposal]]:
    """Each table's best proposals, for "results per table and overall"."""
    counts = tallies(event.id)
    return {str(t.number): ranked(event, t.number, counts)[:top] for t in event.tables}
