"""What became of residents' input, as the public may see it: an event's outcome, a person's own
proposals, and a measure with the proposals behind it. No login, no names of residents, no
single votes; built from the public shapes and the rules in access.py, so the pages and REST
show the same thing:

- support, ranks and counts of an event appear once its results are out (access.may_see_results),
  on the event's page, the follow page, the measure pages and their exports alike;
- a referensgrupp's names and texts never reach a public page (access.is_public_event): its
  proposals behind a measure are counted, not quoted.
"""

from collections import Counter
from typing import Annotated, Literal, NotRequired

from flask_babel import lazy_gettext as _l
from pydantic import Field
from sqlalchemy import func, select
from typing_extensions import TypedDict

from .. import access
from ..backlog import costs
from ..backlog.costs import CostFigures
from ..backlog.links import measure_path
from ..backlog.models import LINK_KINDS, MEASURE_STATUSES, Measure, MeasureStatusEntry, ProposalLink
from ..backlog.queries import HistoryEntry, history_shapes
from ..backlog.shapes import MeasureShape, PublicSupport, measure_dict, public_support
from ..backlog.support import support
from ..budgets.queries import BudgetBallot, BudgetOutcome, ballot, outcome
from ..core.time import Time, iso
from ..core.validate import Id
from ..events.models import KINDS, PHASES, VOTING_METHODS, Event
from ..extensions import db
from ..participants.models import Participant
from ..proposals.models import SOURCES, STATUSES, Proposal, Vote
from ..proposals.ranking import ranked, voter_count
from ..proposals.shapes import public_proposal
from ..proposals.similarity import content_words
from . import listing, scoring
from .export import Share
from .models import REVIEW_STATUSES, ProposalReview, ReviewEntry

# Counts that would sway a vote still running: public only once the results are out.
VOTE_COLUMNS = ("rank", "fair_rank", "norm_score", "norm_low", "norm_high", "voters",
                "supporters", "ratings", "mean")
PUBLIC_COLUMNS = ("proposal_id", "title", "body", "focus_area", "table", "source",
                  "rank", "fair_rank", "norm_score", "norm_low", "norm_high", "voters",
                  "supporters", "ratings", "mean", "review_status", "public_answer",
                  "link_kind", "link_reason", "lang")
# Linked proposals the public may read about: a hidden one keeps its reason on the event page.
LINKED_STATUSES = ("visible", "merged")
GROUP_EVENT = _l("A reference group")
Figure = Annotated[float | None, Field(description="Null until the results are out.")]


class MeasureLine(TypedDict):
    id: Id
    title: str
    status: Literal[MEASURE_STATUSES]
    url: Annotated[str, Field(description="/atgarder/<id>")]


class PublicEvent(TypedDict):
    code: str
    title: str
    prompt: str
    kind: Literal[KINDS]
    phase: Literal[PHASES]
    voting_method: Literal[VOTING_METHODS]


class OutcomeRow(TypedDict):
    proposal_id: Id
    title: str
    body: str
    focus_area: str | None
    table: int | None
    source: Literal[SOURCES]
    rank: Annotated[int | None, Field(description="Null until the results are out.")]
    fair_rank: Annotated[int | None, Field(description="Null until the results are out.")]
    norm_score: Share | None
    norm_low: Share | None
    norm_high: Share | None
    voters: int | None
    supporters: int | None
    ratings: int | None
    mean: Figure
    review_status: Literal[REVIEW_STATUSES]
    public_answer: str
    link_kind: Literal[LINK_KINDS] | None
    link_reason: str | None
    measure: MeasureLine | None
    lang: Annotated[str | None, Field(description="The language it is written in (BCP 47).")]


class EventOutcome(TypedDict):
    """What was proposed at a public event, how it ranked, what was decided and why. Before
    the results are out every vote figure is null and the proposals come in the order they
    were written, so the page cannot sway a vote still running."""

    event: PublicEvent
    voters: int | None
    results_revealed: bool
    proposals: list[OutcomeRow]
    budget: Annotated[BudgetBallot | None, Field(description=(
        "A climate budget event's ballot (docs/budget.md); null for other events."))]
    budget_results: Annotated[BudgetOutcome | None, Field(description=(
        "What Equal Shares funds, greedy-by-votes alongside; null until the results are out."))]


class FollowEvent(TypedDict):
    code: str
    title: str
    kind: Literal[KINDS]
    phase: Literal[PHASES]
    public: Annotated[bool, Field(description="Not a referensgrupp.")]


class TimelineEntry(TypedDict):
    kind: Literal["submitted", "review", "measure"]
    at: Time | None
    status: NotRequired[str]
    answer: NotRequired[str]
    reason: NotRequired[str | None]


class FollowLink(TypedDict):
    kind: Literal[LINK_KINDS]
    reason: str | None


class FairScore(TypedDict):
    norm: Share
    low: Share
    high: Share


class FollowJoined(TypedDict):
    """What became of the proposal a merged one joined, as far as its public shape allows:
    nothing of it when it has been hidden (or waits for approval), only that it was."""

    hidden: Annotated[bool, Field(description=(
        "It is not shown to the public (hidden by the facilitator): no title, no outcome."))]
    number: Annotated[int | None, Field(description="Its number within the event.")]
    title: str | None
    review_status: Literal[REVIEW_STATUSES] | None
    public_answer: Annotated[str | None, Field(description="The project team's answer.")]
    link: FollowLink | None
    measure: MeasureLine | None


class FollowItem(TypedDict):
    """One of the person's proposals with its public timeline."""

    id: Id
    number: Annotated[int, Field(ge=1, description="Its number within the event.")]
    title: str
    status: Literal[STATUSES]
    hidden_reason: str | None
    merged_into: Annotated[str | None, Field(description=(
        "The title of the proposal it joined, as the public sees it."))]
    joined: Annotated[FollowJoined | None, Field(description=(
        "Status merged: the outcome of the proposal it joined (the last of a chain of "
        "merges), as the public may see it."))]
    review_status: Literal[REVIEW_STATUSES]
    link: FollowLink | None
    measure: MeasureLine | None
    fair_score: Annotated[FairScore | None, Field(description=(
        "Once the results are out, for a shown proposal."))]
    timeline: list[TimelineEntry]


class LinkedProposal(TypedDict):
    """A proposal behind a measure; a referensgrupp's without its words or its group's name."""

    proposal_id: Id
    event_id: Id
    status: Literal[STATUSES]
    title: str | None
    event_title: str | None
    event_kind: Literal[KINDS]
    link_kind: Literal[LINK_KINDS]
    answer: str


class MeasurePage(TypedDict):
    measure: MeasureShape
    history: list[HistoryEntry]
    cost_effectiveness: CostFigures
    support: PublicSupport
    linked: list[LinkedProposal]


def _measures(ids) -> dict[int, Measure]:
    ids = [i for i in ids if i]
    if not ids:
        return {}
    return {m.id: m for m in db.session.scalars(select(Measure).where(Measure.id.in_(ids)))}


def _measure_line(measure) -> MeasureLine | None:
    if measure is None:
        return None
    return {"id": measure.id, "title": measure.title, "status": measure.status,
            "url": measure_path(measure.id)}


def public_event(event) -> PublicEvent:
    return {"code": event.code, "title": event.title, "prompt": event.prompt,
            "kind": event.kind, "phase": event.phase, "voting_method": event.voting_method}


def event_outcome(event) -> EventOutcome | None:
    """What was proposed at a public event, how it ranked, what was decided and why."""
    if event is None or not access.is_public_event(event):
        return None
    rows = listing.rows_for(None, {"event_id": event.id, "sort": "event"})
    measures = _measures(r["measure_id"] for r in rows)
    revealed = access.may_see_results(event)
    if not revealed:
        rows = sorted(rows, key=lambda r: r["proposal_id"])  # the order would tell the ranking
    proposals = []
    for row in rows:
        shown = {c: (row[c] if revealed or c not in VOTE_COLUMNS else None)
                 for c in PUBLIC_COLUMNS}
        proposals.append(shown | {"measure": _measure_line(measures.get(row["measure_id"]))})
    return {"event": public_event(event),
            "voters": rows[0]["voters"] if rows and revealed else None,
            "results_revealed": revealed, "proposals": proposals,
            "budget": ballot(event), "budget_results": outcome(event) if revealed else None}


def _measure_steps(link, log) -> list[TimelineEntry]:
    """The measure's history as the resident lived it: its state when their proposal was
    linked (dated then), and every change since. What came before is not their story."""
    before = [m for m in log if m.created_at <= link.created_at]
    since = [m for m in log if m.created_at > link.created_at]
    steps = [{"kind": "measure", "status": m.status, "reason": m.reason,
              "at": iso(m.created_at)} for m in since]
    if before:
        m = before[-1]
        steps.insert(0, {"kind": "measure", "status": m.status, "reason": m.reason,
                         "at": iso(link.created_at)})
    return steps


def _merged_into_title(target, event) -> str | None:
    """The title of the proposal this one joined, as the public sees it: none once that one
    has been hidden (or while it waits for approval)."""
    shape = public_proposal(target, event) if target is not None else None
    return shape.get("title") if shape else None


def _final_target(proposal) -> Proposal | None:
    """The proposal a merged one ended up in: the last of a chain of merges (None if none)."""
    target, seen = proposal, {proposal.id}
    while target.merged_into_id is not None and target.merged_into_id not in seen:
        seen.add(target.merged_into_id)
        found = db.session.get(Proposal, target.merged_into_id)
        if found is None:
            break
        target = found
    return target if target is not proposal else None


def _joined(target, event) -> FollowJoined | None:
    """The outcome of the proposal a merged one joined, only as far as its public shape goes:
    once it is hidden (or while it waits for approval) just that, neutrally, with no text."""
    if target is None:
        return None
    shape = public_proposal(target, event)
    if not shape or shape["status"] != "visible":
        return {"hidden": True, "number": shape["number"] if shape else None, "title": None,
                "review_status": None, "public_answer": None, "link": None, "measure": None}
    review = db.session.get(ProposalReview, target.id)
    link = db.session.scalar(select(ProposalLink).where(ProposalLink.proposal_id == target.id))
    measure = db.session.get(Measure, link.measure_id) if link and link.measure_id else None
    return {"hidden": False, "number": shape["number"], "title": shape["title"],
            "review_status": review.status if review else "received",
            "public_answer": (review.public_answer or None) if review else None,
            "link": {"kind": link.kind, "reason": link.reason} if link else None,
            "measure": _measure_line(measure)}


def follow_items(participant) -> tuple[FollowEvent, list[FollowItem]]:
    """The person's proposals, newest first, each with its public timeline; and their event."""
    proposals = db.session.scalars(select(Proposal)
                                   .where(Proposal.participant_id == participant.id)
                                   .order_by(Proposal.id.desc())).all()
    ids = [p.id for p in proposals]
    entries = db.session.scalars(select(ReviewEntry).where(ReviewEntry.proposal_id.in_(ids))
                                 .order_by(ReviewEntry.id)).all()
    links = {link.proposal_id: link for link in db.session.scalars(
        select(ProposalLink).where(ProposalLink.proposal_id.in_(ids)))}
    measures = _measures(link.measure_id for link in links.values())
    measure_log = db.session.scalars(select(MeasureStatusEntry)
                                     .where(MeasureStatusEntry.measure_id.in_(list(measures)))
                                     .order_by(MeasureStatusEntry.id)).all()
    event = db.session.get(Event, participant.event_id)
    targets = {p.id: p for p in db.session.scalars(select(Proposal).where(
        Proposal.id.in_([p.merged_into_id for p in proposals if p.merged_into_id])))}
    scores = scoring.event_scores([event]) if access.may_see_results(event) else {}
    items = []
    for p in proposals:
        timeline = [{"kind": "submitted", "at": iso(p.created_at)}]
        timeline += [{"kind": "review", "status": e.status, "answer": e.public_answer,
                      "at": iso(e.created_at)} for e in entries if e.proposal_id == p.id]
        link = links.get(p.id)
        measure = measures.get(link.measure_id) if link else None
        if measure is not None:
            timeline += _measure_steps(link, [m for m in measure_log
                                              if m.measure_id == measure.id])
        # Times are to the second; within one, the review step (the link) reads first.
        timeline.sort(key=lambda entry: (entry["at"] or "", entry["kind"] == "measure"))
        score = scores.get(p.id) if p.status == "visible" else None
        items.append({
            "id": p.id, "number": p.number, "title": p.title, "status": p.status,
            "hidden_reason": p.hidden_reason,
            "merged_into": _merged_into_title(targets.get(p.merged_into_id), event),
            "joined": _joined(_final_target(p), event) if p.status == "merged" else None,
            "review_status": next((e.status for e in reversed(entries)
                                   if e.proposal_id == p.id), "received"),
            "link": {"kind": link.kind, "reason": link.reason} if link else None,
            "measure": _measure_line(measure),
            "fair_score": {"norm": score.norm, "low": score.norm_low,
                           "high": score.norm_high} if score else None,
            "timeline": timeline,
        })
    return {"code": event.code, "title": event.title, "kind": event.kind,
            "phase": event.phase, "public": access.is_public_event(event)}, items


class SupportedItem(TypedDict):
    number: int
    title: str
    review_status: Literal[REVIEW_STATUSES]
    public_answer: str | None


def supported_items(participant) -> list[SupportedItem]:
    """Other people's proposals this person voted on, as the public sees them: a proposal that
    is hidden, merged or waiting is left out (its text is not the voter's to read)."""
    event = db.session.get(Event, participant.event_id)
    proposals = db.session.scalars(
        select(Proposal).join(Vote, Vote.proposal_id == Proposal.id)
        .where(Vote.participant_id == participant.id,
               Proposal.participant_id.is_distinct_from(participant.id))
        .distinct().order_by(Proposal.number)).all()
    reviews = {r.proposal_id: r for r in db.session.scalars(select(ProposalReview).where(
        ProposalReview.proposal_id.in_([p.id for p in proposals])))}
    items = []
    for proposal in proposals:
        shape = public_proposal(proposal, event)
        if not shape or shape["status"] != "visible":
            continue
        review = reviews.get(proposal.id)
        items.append({"number": shape["number"], "title": shape["title"],
                      "review_status": review.status if review else "received",
                      "public_answer": (review.public_answer or None) if review else None})
    return items


def linked_proposals(measure_id: int) -> list[dict]:
    """Every proposal behind the measure the public may read about, with the team's answer.
    A referensgrupp's proposal is there as a fact, without its words or its group's name."""
    rows = db.session.execute(
        select(Proposal, ProposalLink, Event, ProposalReview.public_answer)
        .join(ProposalLink, ProposalLink.proposal_id == Proposal.id)
        .join(Event, Event.id == Proposal.event_id)
        .outerjoin(ProposalReview, ProposalReview.proposal_id == Proposal.id)
        .where(ProposalLink.measure_id == measure_id, Proposal.status.in_(LINKED_STATUSES))
        .order_by(Event.id, Proposal.id)).all()
    items = []
    for proposal, link, event, answer in rows:
        public = access.is_public_event(event)
        items.append({
            "proposal_id": proposal.id, "event_id": event.id, "status": proposal.status,
            "title": proposal.title if public else None,
            "event_title": event.title if public else None, "event_kind": event.kind,
            "link_kind": link.kind, "answer": answer or "",
            "_words": f"{proposal.title} {proposal.body}" if public else "",
        })
    return items


def measure_page(measure_id: int) -> MeasurePage | None:
    """A measure as the public sees it: what it is, what it costs, what happened to it, the
    residents' support (from events whose results are out) and the proposals behind it."""
    measure = db.session.get(Measure, measure_id)
    if measure is None:
        return None
    linked = linked_proposals(measure.id)
    for item in linked:
        item.pop("_words")
    return {"measure": measure_dict(measure), "history": history_shapes(measure.id),
            "cost_effectiveness": costs.cost_effectiveness(measure),
            "support": public_support(support(measure.id, revealed_only=True)),
            "linked": linked}


def dossier(measure_id: int) -> dict | None:
    """The printable decision dossier: per event, its participants and the linked proposals'
    votes and rank (once its results are out; a referensgrupp's only as counts)."""
    page = measure_page(measure_id)
    if page is None:
        return None
    linked = linked_proposals(measure_id)
    by_event: dict[int, dict] = {}
    for item in linked:
        by_event.setdefault(item["event_id"], {"items": []})["items"].append(item)
    events = db.session.scalars(select(Event).where(Event.id.in_(list(by_event)))
                                .order_by(Event.id)).all()
    sections = []
    for event in events:
        entry = by_event[event.id]
        revealed = access.may_see_results(event)
        public = access.is_public_event(event)
        rows = {row["id"]: row for row in ranked(event)} if revealed and public else {}
        items = [{k: v for k, v in item.items() if k != "_words"}
                 | {"result": _result_line(rows.get(item["proposal_id"]), event)}
                 for item in entry["items"]]
        sections.append({
            "event": {"title": event.title if public else None, "kind": event.kind,
                      "created_at": iso(event.created_at), "voting_method": event.voting_method,
                      "public": public, "results_revealed": revealed},
            "participants": db.session.scalar(select(func.count(Participant.id)).where(
                Participant.event_id == event.id)) or 0,
            "voters": voter_count(event.id) if revealed else None,
            "ranked_count": len(rows) if rows else None,
            "items": items if public else [],
            "linked_count": len(items),
        })
    words = Counter()
    for item in linked:
        words.update(set(content_words(item["_words"])))  # empty for a group's proposals
    themes = [w for w, n in words.most_common(8) if n > 1] or [w for w, _n in
                                                               words.most_common(5)]
    return page | {"events": sections, "themes": themes}


def _result_line(row, event) -> dict | None:
    """A ranked proposal's place and counts, as the dossier prints them."""
    if row is None:
        return None
    line = {"rank": row["rank"], "table": row["table"], "votes": row["votes"],
            "paper_votes": row["paper_votes"]}
    if event.is_dots:
        line["dots"] = row["dots"]
    if event.is_scale:
        line["distribution"] = row["distribution"]
    return line
