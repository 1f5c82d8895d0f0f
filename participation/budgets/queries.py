"""What a budget ballot holds and what it funds, as shapes (no ORM objects leave here).

The outcome is derived from the stored ballots every time it is asked for, with the funding
rule of backlog/funding.py: Equal Shares decides, greedy-by-votes is shown alongside.
"""

from typing import Annotated, Literal

from pydantic import Field
from sqlalchemy import select
from typing_extensions import TypedDict

from ..backlog.costs import cost_effectiveness
from ..backlog.funding import EQUAL_SHARES, Measure, equal_shares, greedy_by_votes
from ..backlog.models import Measure as BacklogMeasure
from ..core.validate import Id
from ..events.models import BallotMeasure
from ..extensions import db
from .models import BudgetChoice


class BallotItem(TypedDict):
    """A measure on the ballot as everyone sees it: its cost when the ballot was made."""

    id: Id
    title: str
    position: Annotated[int, Field(ge=1, description="Its place on the ballot.")]
    cost_sek: Annotated[int, Field(ge=1)]
    reduction_low: Annotated[float | None, Field(description="tCO2e per year, low estimate.")]
    reduction_high: Annotated[float | None, Field(description="tCO2e per year, high estimate.")]
    sek_per_t: Annotated[int | None, Field(description=(
        "SEK per tonne CO2e (backlog/costs.py), null where the estimates allow none."))]


class BudgetBallot(TypedDict):
    """The budget and the measures on the ballot, in ballot order."""

    budget_sek: Annotated[int, Field(ge=1)]
    measures: list[BallotItem]


class OutcomeRow(BallotItem):
    supporters: Annotated[int, Field(ge=0, description="People who approved it.")]
    funded: Annotated[bool, Field(description="Funded by Equal Shares.")]


class BudgetOutcome(TypedDict):
    """What the crowd's ballots fund: Equal Shares (the rule used) and greedy alongside."""

    rule: Literal["equal_shares"]
    budget_sek: Annotated[int, Field(ge=1)]
    voters: Annotated[int, Field(ge=0, description="People with a ballot that is not empty.")]
    measures: Annotated[list[OutcomeRow], Field(description="Most supporters first.")]
    funded: Annotated[list[Id], Field(description="In the order Equal Shares funded them.")]
    spent_sek: Annotated[int, Field(ge=0)]
    reduction_low: Annotated[float, Field(description="tCO2e/yr of the funded set, low.")]
    reduction_high: Annotated[float, Field(description="tCO2e/yr of the funded set, high.")]
    greedy_funded: Annotated[list[Id], Field(description="What greedy-by-votes would fund.")]
    greedy_spent_sek: Annotated[int, Field(ge=0)]


class OutcomeExport(TypedDict):
    """One line of a budget's outcome file (its columns, in order): a measure on the ballot,
    its figures, and both rules' verdicts side by side."""

    measure_id: Id
    title: str
    position: int
    cost_sek: int
    reduction_low_t: float | None
    reduction_high_t: float | None
    sek_per_t: int | None
    supporters: int
    equal_shares_funded: bool
    greedy_funded: bool


EXPORT_COLUMNS = tuple(OutcomeExport.__annotations__)


def export_rows(found: BudgetOutcome) -> list[OutcomeExport]:
    greedy = set(found["greedy_funded"])
    return [{"measure_id": m["id"], "title": m["title"], "position": m["position"],
             "cost_sek": m["cost_sek"], "reduction_low_t": m["reduction_low"],
             "reduction_high_t": m["reduction_high"], "sek_per_t": m["sek_per_t"],
             "supporters": m["supporters"], "equal_shares_funded": m["funded"],
             "greedy_funded": m["id"] in greedy} for m in found["measures"]]


def ballot(event) -> BudgetBallot | None:
    """The event's ballot, or None when it is not a budget event."""
    if not event.is_budget:
        return None
    rows = db.session.execute(
        select(BallotMeasure.position, BallotMeasure.cost_sek, BacklogMeasure)
        .join(BacklogMeasure, BacklogMeasure.id == BallotMeasure.measure_id)
        .where(BallotMeasure.event_id == event.id).order_by(BallotMeasure.position)).all()
    return {"budget_sek": event.budget_sek,
            "measures": [_item(position, cost, measure) for position, cost, measure in rows]}


def _item(position: int, cost: int, measure) -> BallotItem:
    figures = cost_effectiveness(measure)
    return {"id": measure.id, "title": measure.title, "position": position, "cost_sek": cost,
            "reduction_low": measure.reduction_low, "reduction_high": measure.reduction_high,
            "sek_per_t": figures["sek_per_t"]}


def my_choice(event_id: int, participant_id: int | None) -> list[int]:
    """This person's approved measures (ids, in ballot order)."""
    if participant_id is None:
        return []
    return list(db.session.scalars(
        select(BudgetChoice.measure_id)
        .join(BallotMeasure, (BallotMeasure.event_id == BudgetChoice.event_id)
              & (BallotMeasure.measure_id == BudgetChoice.measure_id))
        .where(BudgetChoice.event_id == event_id,
               BudgetChoice.participant_id == participant_id)
        .order_by(BallotMeasure.position)))


def outcome(event) -> BudgetOutcome | None:
    """Equal Shares (with completion) over the stored ballots, greedy alongside."""
    shown = ballot(event)
    if shown is None:
        return None
    items = shown["measures"]
    measures = [Measure(id=m["id"], cost_sek=m["cost_sek"], order=m["position"]) for m in items]
    ballots: dict[int, set[int]] = {}
    for participant_id, measure_id in db.session.execute(
            select(BudgetChoice.participant_id, BudgetChoice.measure_id)
            .where(BudgetChoice.event_id == event.id)):
        ballots.setdefault(participant_id, set()).add(measure_id)
    fair = equal_shares(measures, event.budget_sek, ballots)
    greedy = greedy_by_votes(measures, event.budget_sek, ballots)
    counts = fair.approval_counts
    funded = set(fair.funded)
    rows = [{**m, "supporters": counts.get(m["id"], 0), "funded": m["id"] in funded}
            for m in items]
    rows.sort(key=lambda r: (-r["supporters"], r["position"]))
    chosen = [m for m in items if m["id"] in funded]
    return {
        "rule": EQUAL_SHARES, "budget_sek": event.budget_sek,
        "voters": sum(1 for chosen_ids in ballots.values() if chosen_ids),
        "measures": rows, "funded": list(fair.funded), "spent_sek": fair.spent_sek,
        "reduction_low": sum(m["reduction_low"] or 0 for m in chosen),
        "reduction_high": sum(m["reduction_high"] or 0 for m in chosen),
        "greedy_funded": list(greedy.funded), "greedy_spent_sek": greedy.spent_sek,
    }
