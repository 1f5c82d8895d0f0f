"""Reads for the backlog's pages, API and exports (writes are in operations)."""

from typing import Literal

from sqlalchemy import select
from typing_extensions import TypedDict

from ..core.time import Time, iso
from ..core.validate import Id
from ..events.operations import may_be_on_ballot
from ..extensions import db
from . import costs
from .models import MEASURE_STATUSES, Measure, MeasureStatusEntry
from .shapes import MeasureShape, PublicSupport, measure_dict, public_support
from .support import support_for


class MeasureExport(TypedDict):
    """One line of the open-data file (its columns, in order): the measure, its cost figures
    and its public support; support_share = supporters (counted for the share) / support_voters
    with its Wilson 95 % interval (docs/backlog.md)."""

    id: Id
    title: str
    focus_area: str | None
    owner: str | None
    status: Literal[MEASURE_STATUSES]
    rejected_reason: str | None
    reduction_low_t: float | None
    reduction_high_t: float | None
    investment_sek: int | None
    yearly_cost_sek: int | None
    annualised_cost_sek: float | None
    sek_per_t: int | None
    sek_per_t_low: int | None
    sek_per_t_high: int | None
    supporters: int
    supporters_phone: int
    hand_counts: int
    linked_proposals: int
    events: int
    tables: int
    support_voters: int
    support_share: float | None
    support_low: float | None
    support_high: float | None
    time_frame: str | None
    co_benefits: str
    url: str


EXPORT_COLUMNS = tuple(MeasureExport.__annotations__)


class MeasureRow(MeasureShape):
    """A measure with its cost per tonne and the support the public may see."""

    cost_effectiveness: costs.CostFigures
    support: PublicSupport


class HistoryEntry(TypedDict):
    status: Literal[MEASURE_STATUSES]
    reason: str | None
    at: Time


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


def investment_rows(focus_area=None, status=None, *, public: bool = False) -> list[dict]:
    """Cheapest tonne first, with the support alongside (`public`: as the public may see it,
    from events whose results are out)."""
    chosen = measures(focus_area, status)
    support = support_for([m.id for m in chosen], revealed_only=public)
    return [{"measure": measure_dict(m), "figures": f, "support": support[m.id]}
            for m, f in costs.ordered(chosen)]


def ballot_candidates() -> list[dict]:
    """The measures a budget ballot may hold (events/operations.may_be_on_ballot), cheapest
    tonne first, as the create form lists them: that order becomes the ballot's."""
    chosen = db.session.scalars(select(Measure).where(may_be_on_ballot(Measure))
                                .order_by(Measure.id))
    return [{"measure": measure_dict(m), "figures": f} for m, f in costs.ordered(list(chosen))]


def export_row(row: dict) -> MeasureExport:
    """One line of the open-data file: the measure's shape, its cost figures, its support."""
    m, f, s = row["measure"], row["figures"], row["support"]
    return {"id": m["id"], "title": m["title"], "focus_area": m["focus_area"],
            "owner": m["owner"], "status": m["status"], "rejected_reason": m["rejected_reason"],
            "reduction_low_t": m["reduction_low"], "reduction_high_t": m["reduction_high"],
            "investment_sek": m["investment_sek"], "yearly_cost_sek": m["yearly_cost_sek"],
            "annualised_cost_sek": f["yearly_cost_sek"], "sek_per_t": f["sek_per_t"],
            "sek_per_t_low": f["sek_per_t_low"], "sek_per_t_high": f["sek_per_t_high"],
            "supporters": s["people"], "supporters_phone": s["phone_people"],
            "hand_counts": s["hand_counts"], "linked_proposals": s["proposals"],
            "events": s["broad"]["events"], "tables": s["broad"]["tables"],
            "support_voters": s["share"]["voters"], "support_share": s["share"]["share"],
            "support_low": s["share"]["low"], "support_high": s["share"]["high"],
            "time_frame": m["time_frame"], "co_benefits": m["co_benefits"], "url": m["url"]}


def api_row(row: dict) -> MeasureRow:
    """A measure in REST and its public exports: support as the public may see it."""
    return row["measure"] | {"cost_effectiveness": dict(row["figures"]),
                             "support": public_support(row["support"])}


def history(measure_id: int) -> list[MeasureStatusEntry]:
    return list(db.session.scalars(select(MeasureStatusEntry).where(
        MeasureStatusEntry.measure_id == measure_id).order_by(MeasureStatusEntry.id)))


def history_shapes(measure_id: int) -> list[HistoryEntry]:
    """The measure's public status history (who changed it stays in the audit trail)."""
    return [{"status": e.status, "reason": e.reason, "at": iso(e.created_at)}
            for e in history(measure_id)]
