"""Citizen support of a measure, from all proposals linked to it, counted once per person.

A resident is pseudonymous per event (one participant row per event and phone), so one person
is one (event, participant): someone who voted for two proposals linked to the same measure
counts once; the same phone at two events counts twice, since nothing may tie the two together.
Hand counts (`paper_votes`) are added as they are: a show of hands cannot be de-duplicated.
On a 1–5 scale a rating of 4 or 5 counts as support. Only visible proposals count; a merged
proposal counts through the one it joined, where its votes went. Tables are those the
supporters sat at, by the same definition as the review pages' (proposals/supporters.py).

The support share (`share`) puts the supporters over the people who could have supported it,
as the fair ranking does (docs/ranking.md, "Who counts as a voting participant"): over the
events with a linked proposal, each event's voting participants (phones with at least one vote
there) plus its largest hand count; a show of hands counts at most that largest count, so the
share stays <= 1. People who joined but never voted are not counted. The interval is Wilson's
(95 %). See docs/backlog.md, "The support share".
"""

from collections import defaultdict
from typing import NamedTuple

from sqlalchemy import func, select

from .. import access
from ..core.interval import wilson
from ..events.models import Event, Table
from ..extensions import db
from ..proposals.models import Proposal, Vote
from ..proposals.supporters import is_support, supporters_by_table
from .models import ProposalLink

SUPPORTING = ("created_from", "supports", "duplicate")


class _Linked(NamedTuple):
    measure_id: int
    id: int
    event_id: int
    table_id: int | None
    paper_votes: int | None
    status: str
    title: str
    code: str
    kind: str
    voting_method: str


def _effective_links(session, measure_ids) -> dict[int, set[int]]:
    """measure id -> the proposals that carry its support now.

    A linked proposal merged into another counts through the one it joined, since its votes
    moved there; chains of merges are followed to their end. Linking both halves counts once.
    """
    rows = session.execute(
        select(ProposalLink.measure_id, ProposalLink.proposal_id)
        .where(ProposalLink.measure_id.in_(measure_ids), ProposalLink.kind.in_(SUPPORTING))
    ).all()
    merged_into: dict[int, int | None] = {}
    frontier = {pid for _, pid in rows}
    while frontier:
        found = session.execute(
            select(Proposal.id, Proposal.merged_into_id).where(Proposal.id.in_(frontier))
        ).all()
        merged_into.update(found)
        frontier = {into for _, into in found if into is not None and into not in merged_into}

    def final(pid):
        seen = set()
        while merged_into.get(pid) is not None and pid not in seen:
            seen.add(pid)
            pid = merged_into[pid]
        return pid

    links = defaultdict(set)
    for mid, pid in rows:
        links[mid].add(final(pid))
    return links


def supporting_proposals(measure_ids, session=None) -> dict[int, set[int]]:
    """measure id -> the proposals that carry its support now (merges followed to their end):
    review/agreement.py counts the same people per group."""
    return _effective_links(session or db.session, list(measure_ids))


def _empty() -> dict:
    return {"people": 0, "phone_people": 0, "hand_counts": 0, "proposals": 0,
            "events": [], "tables": [], "broad": {"events": 0, "tables": 0, "kinds": 0},
            "share": share_of(0, 0)}


def share_of(supporters: int, voters: int) -> dict:
    """supporters of voters with its Wilson 95 % interval; no share without a voter."""
    if voters <= 0:
        return {"supporters": supporters, "voters": 0, "share": None, "low": None,
                "high": None}
    low, high = wilson(supporters, voters)
    return {"supporters": supporters, "voters": voters,
            "share": round(supporters / voters, 4), "low": round(low, 4),
            "high": round(high, 4)}


def _voting(session, event_ids) -> dict[int, tuple[int, int]]:
    """event id -> (phones with a vote there, the largest hand count of a visible proposal;
    0 on a 1-5 scale, where hands are not counted)."""
    if not event_ids:
        return {}
    phones = dict(session.execute(
        select(Vote.event_id, func.count(func.distinct(Vote.participant_id)))
        .where(Vote.event_id.in_(event_ids)).group_by(Vote.event_id)).all())
    hands = dict(session.execute(
        select(Proposal.event_id, func.max(Proposal.paper_votes))
        .join(Event, Event.id == Proposal.event_id)
        .where(Proposal.event_id.in_(event_ids), Proposal.status == "visible",
               Event.voting_method != "scale")
        .group_by(Proposal.event_id)).all())
    return {eid: (phones.get(eid, 0), hands.get(eid) or 0) for eid in event_ids}


def support_for(measure_ids, session=None, *, revealed_only: bool = False) -> dict[int, dict]:
    """measure id -> its support; measures without linked proposals get zeros.

    `revealed_only`: count only events whose results are out (the public pages and exports:
    access.may_see_results), so no support figure tells how a vote still running goes.
    """
    session = session or db.session
    measure_ids = list(measure_ids)
    result = {mid: _empty() for mid in measure_ids}
    if not measure_ids:
        return result
    links = _effective_links(session, measure_ids)
    proposal_ids = {pid for pids in links.values() for pid in pids}
    measures_of = defaultdict(set)
    for mid, pids in links.items():
        for pid in pids:
            measures_of[pid].add(mid)
    proposals = session.execute(
        select(Proposal.id, Proposal.event_id, Proposal.table_id, Proposal.paper_votes,
               Proposal.status, Event.title, Event.code, Event.kind, Event.voting_method)
        .join(Event, Event.id == Proposal.event_id)
        .where(Proposal.id.in_(proposal_ids), Proposal.status == "visible",
               *_revealed(revealed_only))
    ).all() if proposal_ids else []
    linked = [_Linked(mid, *row) for row in proposals for mid in sorted(measures_of[row.id])]
    votes = session.execute(
        select(Vote.proposal_id, Vote.event_id, Vote.participant_id)
        .join(Proposal, Proposal.id == Vote.proposal_id)
        .join(Event, Event.id == Vote.event_id)
        .where(Vote.proposal_id.in_(proposal_ids), Proposal.status == "visible",
               *_revealed(revealed_only), is_support())
    ).all() if proposal_ids else []
    voters = [(mid, event_id, participant_id)
              for pid, event_id, participant_id in votes
              for mid in measures_of[pid]]
    # The tables its supporters sat at (proposals/supporters.py), of the proposals counted here.
    seated = supporters_by_table({row.id for row in linked}, session)
    table_ids = {tid for tables_of in seated.values() for tid in tables_of}
    tables = {t.id: t for t in session.scalars(select(Table).where(Table.id.in_(table_ids)))} \
        if table_ids else {}

    people = defaultdict(set)                       # measure -> {(event, participant)}
    per_event = defaultdict(lambda: defaultdict(set))
    per_table = defaultdict(lambda: defaultdict(set))
    for mid, event_id, participant_id in voters:
        person = (event_id, participant_id)
        people[mid].add(person)
        per_event[mid][event_id].add(person)
    for row in linked:
        for table_id, persons in seated.get(row.id, {}).items():
            per_table[row.measure_id][(row.event_id, table_id)] |= {
                (row.event_id, participant_id) for participant_id in persons}

    voting = _voting(session, {row.event_id for row in linked})
    events = defaultdict(dict)
    for row in linked:
        entry = events[row.measure_id].setdefault(row.event_id, {
            "event_id": row.event_id, "title": row.title, "code": row.code, "kind": row.kind,
            "voting_method": row.voting_method, "proposals": 0, "hand_counts": 0})
        entry["proposals"] += 1
        if row.status == "visible" and row.voting_method != "scale":
            entry["hand_counts"] += row.paper_votes or 0
    for mid in measure_ids:
        summary = result[mid]
        summary["events"] = sorted(
            ({**e, "phone_people": len(per_event[mid][eid]),
              "people": len(per_event[mid][eid]) + e["hand_counts"],
              # Hands of two linked proposals may be the same hands: at most the largest count.
              "share": share_of(len(per_event[mid][eid]) + min(e["hand_counts"], voting[eid][1]),
                                sum(voting[eid]))}
             for eid, e in events[mid].items()),
            key=lambda e: (-e["people"], e["event_id"]))
        summary["tables"] = sorted(
            ({"event_id": eid, "table": tables[tid].number, "name": tables[tid].name,
              "phone_people": len(persons)}
             for (eid, tid), persons in per_table[mid].items() if tid in tables),
            key=lambda t: (t["event_id"], t["table"]))
        summary["phone_people"] = len(people[mid])
        summary["hand_counts"] = sum(e["hand_counts"] for e in summary["events"])
        summary["people"] = summary["phone_people"] + summary["hand_counts"]
        summary["proposals"] = sum(e["proposals"] for e in summary["events"])
        summary["broad"] = {"events": len(summary["events"]), "tables": len(per_table[mid]),
                            "kinds": len({e["kind"] for e in summary["events"]})}
        summary["share"] = share_of(sum(e["share"]["supporters"] for e in summary["events"]),
                                    sum(e["share"]["voters"] for e in summary["events"]))
    return result


def support(measure_id: int, session=None, *, revealed_only: bool = False) -> dict:
    return support_for([measure_id], session, revealed_only=revealed_only)[measure_id]


def _revealed(revealed_only: bool) -> tuple:
    return (Event.phase.in_(access.RESULTS_PHASES),) if revealed_only else ()
