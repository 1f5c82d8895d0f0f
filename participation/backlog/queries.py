"""Reads for the backlog's pages, API and exports (writes are in operations)."""

from collections import Counter

from sqlalchemy import func, select

from ..events.models import Event
from ..extensions import db
from ..participants.models import Participant
from ..proposals.models import Proposal
from ..proposals.ranking import ranked, voter_count
from ..proposals.similarity import content_words
from ..review.models import ProposalReview
from . import costs
from .models import MEASURE_STATUSES, Measure, MeasureStatusEntry, ProposalLink
from .serialize import measure_dict
from .support import support_for

# Proposals the public may see: a hidden one keeps its reason on the event page, not here.
PUBLIC_STATUSES = ("visible", "merged")
EXPORT_COLUMNS = (
    "id", "title", "focus_area", "owner", "status", "rejected_reason", "reduction_low_t",
    "reduction_high_t", "investment_sek", "yearly_cost_sek", "annualised_cost_sek",
    "sek_per_t", "sek_per_t_low", "sek_per_t_high", "supporters", "supporters_phone",
    "hand_counts", "linked_proposals", "events", "tables", "time_frame", "co_benefits", "url")


def filters_from(args) -> dict:
    status = args.get("status") or None
    return {"focus_area": (args.get("focus_area") or "").strip() or None,
            "status": status if status in MEASURE_STATUSES else None}


def measures(focus_area=None, status=None) -> list[Measure]:
    query = select(Measure).order_by(Measure.id)
    if focus_area:
        query = query.where(Measure.focus_area == focus_area)
    if status:
        query = query.where(Measure.status == status)
    return list(db.session.scalars(query))


def focus_areas() -> list[str]:
    return list(db.session.scalars(select(Measure.focus_area).where(
        Measure.focus_area.is_not(None)).distinct().order_by(Measure.focus_area)))


def investment_rows(focus_area=None, status=None) -> list[dict]:
    """Cheapest tonne first, with the support alongside."""
    chosen = measures(focus_area, status)
    support = support_for([m.id for m in chosen])
    return [{"measure": m, "figures": f, "support": support[m.id]}
            for m, f in costs.ordered(chosen)]


def export_row(row: dict) -> dict:
    m, f, s = row["measure"], row["figures"], row["support"]
    return {"id": m.id, "title": m.title, "focus_area": m.focus_area, "owner": m.owner,
            "status": m.status, "rejected_reason": m.rejected_reason,
            "reduction_low_t": m.reduction_low, "reduction_high_t": m.reduction_high,
            "investment_sek": m.investment_sek, "yearly_cost_sek": m.yearly_cost_sek,
            "annualised_cost_sek": f["yearly_cost_sek"], "sek_per_t": f["sek_per_t"],
            "sek_per_t_low": f["sek_per_t_low"], "sek_per_t_high": f["sek_per_t_high"],
            "supporters": s["people"], "supporters_phone": s["phone_people"],
            "hand_counts": s["hand_counts"], "linked_proposals": s["proposals"],
            "events": s["broad"]["events"], "tables": s["broad"]["tables"],
            "time_frame": m.time_frame, "co_benefits": m.co_benefits,
            "url": measure_dict(m)["url"]}


def api_row(row: dict) -> dict:
    figures = {k: v for k, v in row["figures"].items()}
    return measure_dict(row["measure"]) | {"cost_effectiveness": figures,
                                           "support": public_support(row["support"])}


def public_support(summary: dict) -> dict:
    return {k: summary[k] for k in ("people", "phone_people", "hand_counts", "proposals",
                                    "broad")} | {
        "events": [{k: e[k] for k in ("event_id", "title", "kind", "people", "phone_people",
                                      "hand_counts", "proposals")} for e in summary["events"]],
        "tables": summary["tables"]}


def history(measure_id: int) -> list[MeasureStatusEntry]:
    return list(db.session.scalars(select(MeasureStatusEntry).where(
        MeasureStatusEntry.measure_id == measure_id).order_by(MeasureStatusEntry.id)))


def linked_proposals(measure_id: int) -> list[dict]:
    """Every public proposal linked to the measure, with the team's public answer."""
    rows = db.session.execute(
        select(Proposal, ProposalLink, Event, ProposalReview.public_answer)
        .join(ProposalLink, ProposalLink.proposal_id == Proposal.id)
        .join(Event, Event.id == Proposal.event_id)
        .outerjoin(ProposalReview, ProposalReview.proposal_id == Proposal.id)
        .where(ProposalLink.measure_id == measure_id, Proposal.status.in_(PUBLIC_STATUSES))
        .order_by(Event.id, Proposal.id)).all()
    return [{"proposal": p, "link": link, "event": e, "answer": answer or ""}
            for p, link, e, answer in rows]


def dossier(measure: Measure) -> dict:
    """The decision dossier: per event, its participants, the linked proposals' votes and rank."""
    linked = linked_proposals(measure.id)
    events = {}
    for item in linked:
        events.setdefault(item["event"].id, {"event": item["event"], "items": []})
        events[item["event"].id]["items"].append(item)
    for entry in events.values():
        event = entry["event"]
        by_id = {row["id"]: row for row in ranked(event)}
        entry["participants"] = db.session.scalar(select(func.count(Participant.id)).where(
            Participant.event_id == event.id)) or 0
        entry["voters"] = voter_count(event.id)
        entry["ranked_count"] = len(by_id)
        for item in entry["items"]:
            item["row"] = by_id.get(item["proposal"].id)
    words = Counter()
    for item in linked:
        if item["event"].kind == "referensgrupp":
            continue  # the group's words stay within the group
        words.update(set(content_words(f"{item['proposal'].title} {item['proposal'].body}")))
    themes = [w for w, n in words.most_common(8) if n > 1] or [w for w, _n in
                                                               words.most_common(5)]
    return {"events": list(events.values()), "themes": themes, "linked": linked}
