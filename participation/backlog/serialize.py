"""The shapes of measures and links in answers and exports: plain values, no identities."""

from ..core.time import iso
from .links import measure_path


def measure_dict(measure) -> dict:
    return {
        "id": measure.id, "title": measure.title, "description": measure.description,
        "focus_area": measure.focus_area, "owner": measure.owner, "status": measure.status,
        "rejected_reason": measure.rejected_reason,
        "reduction_low": measure.reduction_low, "reduction_high": measure.reduction_high,
        "investment_sek": measure.investment_sek, "yearly_cost_sek": measure.yearly_cost_sek,
        "co_benefits": measure.co_benefits, "time_frame": measure.time_frame,
        "url": measure_path(measure.id),
        "created_at": iso(measure.created_at), "updated_at": iso(measure.updated_at),
    }


def link_dict(link) -> dict:
    return {"proposal_id": link.proposal_id, "kind": link.kind, "measure_id": link.measure_id,
            "reason": link.reason, "created_at": iso(link.created_at)}
