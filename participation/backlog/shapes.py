"""The shapes of measures, links and support in answers, pages and exports: plain values, no
identities."""

from ..core.time import iso
from ..events.models import GROUP
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


def public_support(summary: dict) -> dict:
    """A measure's support as the public sees it: counts per event and table; a referensgrupp
    is named only as one (access.is_public_event), never by its title."""
    events = [{k: e[k] for k in ("event_id", "kind", "people", "phone_people", "hand_counts",
                                 "proposals")}
              | {"title": e["title"] if e["kind"] != GROUP else None} for e in summary["events"]]
    titles = {e["event_id"]: e["title"] for e in events}
    return {k: summary[k] for k in ("people", "phone_people", "hand_counts", "proposals",
                                    "broad")} | {
        "events": events,
        "tables": [t | {"event_title": titles.get(t["event_id"])} for t in summary["tables"]]}
