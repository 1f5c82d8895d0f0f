"""Tallies are always computed from the stored votes; rank is standard competition ranking."""

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from .models import Proposal, Vote
from .serialize import public_proposal


def tallies(event_id: int, session=None) -> dict[int, dict]:
    session = session or db.session
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


def ranked(event, table_number: int | None = None, counts: dict | None = None) -> list[dict]:
    """Visible proposals, best first. Dots: by dots, then people; approval: by people.

    Equal scores share a rank (1, 2, 2, 4); the earlier proposal is listed first among equals.
    """
    counts = tallies(event.id) if counts is None else counts
    query = select(Proposal).where(Proposal.event_id == event.id, Proposal.status == "visible")
    if table_number is not None:
        table = next((t for t in event.tables if t.number == table_number), None)
        query = query.where(Proposal.table_id == (table.id if table else None))
    proposals = db.session.scalars(
        query.order_by(Proposal.id).options(selectinload(Proposal.merged_sources))).all()

    def score(p):
        t = counts.get(p.id, {"votes": 0, "dots": 0})
        return (t["dots"], t["votes"]) if event.is_dots else (t["votes"],)

    ordered = sorted(proposals, key=score, reverse=True)
    results, previous, rank = [], None, 0
    for position, proposal in enumerate(ordered, start=1):
        current = score(proposal)
        if current != previous:
            rank, previous = position, current
        t = counts.get(proposal.id, {"votes": 0, "dots": 0})
        row = public_proposal(proposal, event) | {
            "votes": t["votes"], "paper_votes": t.get("paper_votes", 0), "rank": rank}
        if event.is_dots:
            row["dots"] = t["dots"]
        results.append(row)
    return results


def ranked_by_table(event, top: int = 3) -> dict[str, list[dict]]:
    """Each table's best proposals, for "results per table and overall"."""
    counts = tallies(event.id)
    return {str(t.number): ranked(event, t.number, counts)[:top] for t in event.tables}
