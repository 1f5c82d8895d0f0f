"""The shapes of measures, links and support in answers, pages and exports: plain values, no
identities."""

from typing import Annotated, Literal

from pydantic import Field
from typing_extensions import TypedDict

from ..core.time import Time, iso
from ..core.validate import Id
from ..events.models import GROUP, KINDS
from .links import measure_path
from .models import LINK_KINDS, MEASURE_STATUSES, TITLE_MAX

Tonnes = Annotated[float | None, Field(description=(
    "tCO2e per year; low and high come together (low <= high)."))]
Kronor = Annotated[int | None, Field(description="Whole kronor.")]


class MeasureShape(TypedDict):
    """A measure of the backlog (åtgärdsportfölj); public, like its page."""

    id: Id
    title: Annotated[str, Field(max_length=TITLE_MAX)]
    description: str
    focus_area: str | None
    owner: Annotated[str | None, Field(description="A department or a partner organisation.")]
    status: Literal[MEASURE_STATUSES]
    rejected_reason: str | None
    reduction_low: Tonnes
    reduction_high: Tonnes
    investment_sek: Kronor
    yearly_cost_sek: Kronor
    co_benefits: str
    time_frame: str | None
    url: Annotated[str, Field(description="The public measure page.")]
    created_at: Time
    updated_at: Time


class LinkShape(TypedDict):
    """What the project team did with a proposal, in terms of the backlog."""

    proposal_id: Id
    kind: Literal[LINK_KINDS]
    measure_id: Id | None
    reason: Annotated[str | None, Field(description="Public; always given for out_of_scope.")]
    created_at: Time


Share = Annotated[float | None, Field(ge=0, le=1, description=(
    "0..1; null while no one has voted in these events."))]


class SupportShare(TypedDict):
    """supporters / voters with the Wilson 95 % interval (docs/backlog.md, the support share):
    voters are the phones with a vote in the events of the linked proposals plus each event's
    largest hand count; hands count at most that largest count."""

    supporters: Annotated[int, Field(ge=0)]
    voters: Annotated[int, Field(ge=0, description="Who could have supported it.")]
    share: Share
    low: Share
    high: Share


class EventSupport(TypedDict):
    event_id: Id
    title: Annotated[str | None, Field(description="Null for a referensgrupp.")]
    kind: Literal[KINDS]
    people: int
    phone_people: int
    hand_counts: int
    proposals: int
    share: SupportShare


class TableSupport(TypedDict):
    event_id: Id
    event_title: str | None
    table: int
    name: str
    phone_people: int


class Breadth(TypedDict):
    events: int
    tables: int
    kinds: int


class PublicSupport(TypedDict):
    """Counted once per person and event over the linked proposals (created_from, supports,
    duplicate), from events whose results are out; hand counts added as they are."""

    people: int
    phone_people: int
    hand_counts: int
    proposals: int
    broad: Breadth
    share: SupportShare
    events: list[EventSupport]
    tables: list[TableSupport]


def measure_dict(measure) -> MeasureShape:
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


def link_dict(link) -> LinkShape:
    return {"proposal_id": link.proposal_id, "kind": link.kind, "measure_id": link.measure_id,
            "reason": link.reason, "created_at": iso(link.created_at)}


def public_support(summary: dict) -> PublicSupport:
    """A measure's support as the public sees it: counts per event and table; a referensgrupp
    is named only as one (access.is_public_event), never by its title."""
    events = [{k: e[k] for k in ("event_id", "kind", "people", "phone_people", "hand_counts",
                                 "proposals", "share")}
              | {"title": e["title"] if e["kind"] != GROUP else None} for e in summary["events"]]
    titles = {e["event_id"]: e["title"] for e in events}
    return {k: summary[k] for k in ("people", "phone_people", "hand_counts", "proposals",
                                    "broad", "share")} | {
        "events": events,
        "tables": [t | {"event_title": titles.get(t["event_id"])} for t in summary["tables"]]}
