"""Accountability to residents, no login: an event's outcome, and a person's own proposals.

Neither page names a resident: no author names, no tokens, no single votes.
"""

from flask import Blueprint, abort, render_template
from sqlalchemy import select

from ..backlog.links import measure_path
from ..backlog.models import Measure, MeasureStatusEntry, ProposalLink
from ..core.time import iso
from ..events.models import Event
from ..events.operations import event_by_code
from ..extensions import db
from ..participants.models import Participant
from ..proposals.models import Proposal
from . import listing, scoring
from .models import ReviewEntry

bp = Blueprint("public", __name__)
# Counts that would sway a vote still running (the bandwagon the projector's held-back bars and
# the phones' missing tallies guard against): public only once the results are out.
VOTE_COLUMNS = ("rank", "fair_rank", "norm_score", "norm_low", "norm_high", "voters",
                "supporters", "ratings", "mean")
REVEALED = ("results", "closed")
PUBLIC_COLUMNS = ("proposal_id", "title", "body", "focus_area", "table", "source", "rank",
                  "fair_rank", "norm_score", "norm_low", "norm_high", "voters", "supporters",
                  "ratings", "mean", "review_status", "public_answer", "link_kind",
                  "link_reason")


def _measures(ids) -> dict[int, Measure]:
    ids = [i for i in ids if i]
    if not ids:
        return {}
    return {m.id: m for m in db.session.scalars(select(Measure).where(Measure.id.in_(ids)))}


def event_outcome(code) -> dict | None:
    """What was proposed at a public event, how it ranked, what was decided and why."""
    event = event_by_code(code)
    # A referensgrupp's proposals stay within the group; what came of them shows on the
    # measure pages.
    if event is None or event.kind == "referensgrupp":
        return None
    rows = listing.rows_for(None, {"event_id": event.id, "sort": "event"})
    measures = _measures(r["measure_id"] for r in rows)
    public, revealed = [], event.phase in REVEALED
    if not revealed:
        rows = sorted(rows, key=lambda r: r["proposal_id"])  # the order would tell the ranking
    for row in rows:
        measure = measures.get(row["measure_id"])
        shown = {c: (row[c] if revealed or c not in VOTE_COLUMNS else None)
                 for c in PUBLIC_COLUMNS}
        public.append(shown | {
            "measure": {"id": measure.id, "title": measure.title, "status": measure.status,
                        "url": measure_path(measure.id)} if measure else None})
    return {"event": {"code": event.code, "title": event.title, "prompt": event.prompt,
                      "kind": event.kind, "phase": event.phase,
                      "voting_method": event.voting_method},
            "voters": rows[0]["voters"] if rows and revealed else None,
            "results_revealed": revealed, "proposals": public}


@bp.get("/offentligt/<code>")
def event_page(code):
    outcome = event_outcome(code)
    if outcome is None:
        abort(404)
    return render_template("review/public_event.html", **outcome)


def _measure_steps(link, log) -> list[dict]:
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


def follow_items(participant) -> tuple[Event, list[dict]]:
    """The person's proposals, newest first, each with its public timeline."""
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
        target = targets.get(p.merged_into_id)
        items.append({
            "id": p.id, "title": p.title, "status": p.status, "hidden_reason": p.hidden_reason,
            "merged_into": target.title if target else None,
            "review_status": next((e.status for e in reversed(entries)
                                   if e.proposal_id == p.id), "received"),
            "link": {"kind": link.kind, "reason": link.reason} if link else None,
            "measure": {"title": measure.title, "status": measure.status,
                        "url": measure_path(measure.id)} if measure else None,
            "timeline": timeline,
        })
    return event, items


def follow_participant(follow_code: str) -> Participant | None:
    if not 8 <= len(follow_code) <= 24:
        return None
    return db.session.scalar(select(Participant).where(Participant.follow_code == follow_code))


@bp.get("/folj/<follow_code>")
def follow(follow_code):
    participant = follow_participant(follow_code)
    if participant is None:
        abort(404)
    event, items = follow_items(participant)
    scores = scoring.event_scores([event]) if event.phase in REVEALED else {}
    response = render_template("review/follow.html", event=event, items=items, scores=scores,
                               follow_code=follow_code)
    # A personal link: keep it out of shared caches and other sites' referrers.
    return response, 200, {"Cache-Control": "private, no-store",
                           "Referrer-Policy": "no-referrer"}
