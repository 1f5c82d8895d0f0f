"""Backlog writes: measures, their status, and links from proposals. One path for pages and API.

Measures belong to the programme, not to an event, so their writes lock the measure row
(`FOR UPDATE` on PostgreSQL; SQLite's `BEGIN IMMEDIATE` already serialises writers). A link
writes on a proposal, so it takes that proposal's event lock and version like every review write.
"""

from typing import Annotated, Literal, NotRequired

from flask_babel import lazy_gettext as _l
from pydantic import Field
from sqlalchemy import func, select
from typing_extensions import TypedDict

from .. import access
from ..core.bus import publish
from ..core.declare import request
from ..core.errors import OperationError, not_found
from ..core.tx import write_transaction
from ..core.validate import Id, clean_text
from ..events.models import BallotMeasure
from ..ops.audit import audit
from .models import (
    MEASURE_STATUSES,
    REASON_MAX,
    TITLE_MAX,
    Measure,
    MeasureStatusEntry,
    ProposalLink,
)
from .shapes import MeasureShape, measure_dict

# The order a measure normally moves in; `rejected` stands beside it.
FORWARD = ("idea", "assessing", "planned", "in_progress", "done")
DESCRIPTION_MAX = 5000
CO_BENEFITS_MAX = 2000
# A whole city's reduction is far below this; a bigger figure is a typing error.
REDUCTION_MAX = 10_000_000
SEK_MAX = 1_000_000_000_000
TEXT_FIELDS = {"description": DESCRIPTION_MAX, "co_benefits": CO_BENEFITS_MAX}
SHORT_FIELDS = {"focus_area": 80, "owner": 120, "time_frame": 80}
FIELDS = ("title", "description", "focus_area", "owner", "reduction_low", "reduction_high",
          "investment_sek", "yearly_cost_sek", "co_benefits", "time_frame")

Reduction = Annotated[Annotated[float, Field(ge=0, le=REDUCTION_MAX)] | None, Field(
    description="tCO2e per year; give low and high together (low <= high).")]
Sek = Annotated[Annotated[int, Field(ge=0, le=SEK_MAX)] | None, Field(
    description="Whole kronor.")]
MeasureTitle = Annotated[str, Field(min_length=1, max_length=TITLE_MAX)]
Reason = Annotated[str, Field(max_length=REASON_MAX)] | None


def _text(limit: int):
    return Annotated[str, Field(max_length=limit)] | None


# Closed, unlike other requests: a field the backlog does not know is refused (unknown_field).
class _MeasureDetails(TypedDict, total=False):
    description: _text(DESCRIPTION_MAX)
    focus_area: _text(SHORT_FIELDS["focus_area"])
    owner: Annotated[_text(SHORT_FIELDS["owner"]), Field(
        description="A department or a partner organisation.")]
    reduction_low: Reduction
    reduction_high: Reduction
    investment_sek: Sek
    yearly_cost_sek: Sek
    co_benefits: _text(CO_BENEFITS_MAX)
    time_frame: _text(SHORT_FIELDS["time_frame"])


class MeasureFields(_MeasureDetails, total=False):
    """Some fields of a measure; the others stay as they are."""

    title: MeasureTitle


class NewMeasure(_MeasureDetails):
    title: MeasureTitle
    status: NotRequired[Annotated[Literal[MEASURE_STATUSES], Field(
        description="Left out: idea.")]]
    reason: NotRequired[Annotated[Reason, Field(description=(
        "Public; required for rejected."))]]


@request
class StatusChange(TypedDict):
    status: Literal[MEASURE_STATUSES]
    reason: NotRequired[Annotated[Reason, Field(description=(
        "Public; required to go back, to rejected or out of it."))]]


class MeasureResult(TypedDict):
    measure: MeasureShape


class Deleted(TypedDict):
    deleted: Id


def _require_manager(user):
    access.require_manage_backlog(user)


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def clean_reduction(value, field: str):
    if value is None:
        return None
    if not _is_number(value) or value != value:  # NaN is not a number either
        raise OperationError("invalid_number", _l("Write a number that is 0 or more, e.g. 12,5."),
                             field=field)
    if not 0 <= value <= REDUCTION_MAX:
        raise OperationError("out_of_range",
                             _l("Write a number from 0 to %(n)d.", n=REDUCTION_MAX), field=field)
    # A thousandth of a tonne is the finest estimate anyone makes; finer values are noise that
    # would make the cost per tonne overflow.
    value = round(float(value), 3)
    return value + 0.0  # no negative zero


def clean_sek(value, field: str):
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= SEK_MAX:
        raise OperationError("invalid_sek", _l("Write whole kronor, 0 or more, e.g. 1 200 000."),
                             field=field)
    return value


def clean_field(name: str, value):
    """One field of a measure, checked the same way for forms, REST and CSV rows."""
    if name == "title":
        return clean_text(value, "title", TITLE_MAX, required=True, multiline=False)
    if name in TEXT_FIELDS:
        return clean_text(value, name, TEXT_FIELDS[name], required=False)
    if name in SHORT_FIELDS:
        return clean_text(value, name, SHORT_FIELDS[name], required=False, multiline=False) or None
    if name.startswith("reduction_"):
        return clean_reduction(value, name)
    return clean_sek(value, name)


def check_range(low, high):
    if (low is None) != (high is None):
        field = "reduction_high" if high is None else "reduction_low"
        raise OperationError("reduction_incomplete",
                             _l("Give both the low and the high estimate, or neither."),
                             field=field)
    if low is not None and low > high:
        raise OperationError("reduction_range",
                             _l("The low estimate cannot be above the high one."),
                             field="reduction_low")


def clean_status(status, reason, current: str | None = None):
    if not isinstance(status, str) or status not in MEASURE_STATUSES:
        raise OperationError("invalid_status", _l("Choose a status."), field="status")
    reason = clean_text(reason, "reason", REASON_MAX, required=False) or None
    backwards = (current in FORWARD and status in FORWARD
                 and FORWARD.index(status) < FORWARD.index(current))
    # Rejecting, going back and reopening a rejected measure must say why, publicly.
    if reason is None and (status == "rejected" or backwards or current == "rejected"):
        raise OperationError("reason_required", _l("Write the reason; residents will see it."),
                             field="reason")
    return status, reason


def clean_measure(data, partial: bool = False) -> dict:
    if not isinstance(data, dict):
        raise OperationError("invalid_json", _l("Send a JSON object."))
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise OperationError("unknown_field", _l("Unknown field."), field=sorted(unknown)[0])
    names = [n for n in FIELDS if n in data] if partial else FIELDS
    return {name: clean_field(name, data.get(name)) for name in names}


def locked_measure(session, measure_id) -> Measure:
    if not isinstance(measure_id, int) or isinstance(measure_id, bool):
        raise not_found("measure_not_found")
    measure = session.scalar(select(Measure).where(Measure.id == measure_id).with_for_update()
                             .execution_options(populate_existing=True))
    if measure is None:
        raise not_found("measure_not_found")
    return measure


def new_measure(session, user, fields: dict, status="idea", reason=None) -> Measure:
    """Inside a write transaction: a measure and its first public status entry."""
    measure = Measure(**fields, status=status,
                      rejected_reason=reason if status == "rejected" else None,
                      created_by_id=user.id if user is not None else None)
    session.add(measure)
    session.flush()
    session.add(MeasureStatusEntry(measure_id=measure.id, status=status, reason=reason,
                                   actor_id=measure.created_by_id))
    return measure


def create_measure(user, data, status="idea", reason=None) -> MeasureResult:
    _require_manager(user)
    fields = clean_measure(data)
    check_range(fields["reduction_low"], fields["reduction_high"])
    status, reason = clean_status(status, reason)
    with write_transaction() as session:
        measure = new_measure(session, user, fields, status, reason)
        result = {"measure": measure_dict(measure)}
    publish("measure.changed", 0, 0, measure=result["measure"])
    return result


def update_measure(user, measure_id, data) -> MeasureResult:
    _require_manager(user)
    fields = clean_measure(data, partial=True)
    with write_transaction() as session:
        measure = locked_measure(session, measure_id)
        merged = {n: fields.get(n, getattr(measure, n)) for n in ("reduction_low",
                                                                    "reduction_high")}
        check_range(merged["reduction_low"], merged["reduction_high"])
        for name, value in fields.items():
            setattr(measure, name, value)
        session.flush()
        result = {"measure": measure_dict(measure)}
    publish("measure.changed", 0, 0, measure=result["measure"])
    return result


def change_status(user, measure_id, status, reason=None) -> MeasureResult:
    """Forward any number of steps; back, to `rejected` or out of it only with a reason."""
    _require_manager(user)
    with write_transaction() as session:
        measure = locked_measure(session, measure_id)
        status, reason = clean_status(status, reason, measure.status)
        if status == measure.status:
            raise OperationError("unchanged", _l("The measure already has that status."), 409,
                                 field="status")
        measure.status = status
        measure.rejected_reason = reason if status == "rejected" else None
        session.add(MeasureStatusEntry(measure_id=measure.id, status=status, reason=reason,
                                       actor_id=user.id))
        session.flush()
        result = {"measure": measure_dict(measure)}
    publish("measure.changed", 0, 0, measure=result["measure"])
    return result


def delete_measure(user, measure_id) -> Deleted:
    """Only a measure nothing points at: residents follow linked ones from their proposals."""
    _require_manager(user)
    with write_transaction() as session:
        measure = locked_measure(session, measure_id)
        if session.scalar(select(func.count(ProposalLink.id))
                          .where(ProposalLink.measure_id == measure.id)):
            raise OperationError("measure_has_links",
                                 _l("Proposals are linked to this measure; it cannot be deleted."),
                                 409)
        if session.scalar(select(func.count(BallotMeasure.id))
                          .where(BallotMeasure.measure_id == measure.id)):
            raise OperationError("measure_on_ballot",
                                 _l("This measure is on an event's budget ballot; it cannot be "
                                    "deleted."), 409)
        session.delete(measure)
        audit(session, user, "measure.delete", f"measure:{measure_id}")
    publish("measure.deleted", 0, 0, measure_id=measure_id)
    return {"deleted": measure_id}
