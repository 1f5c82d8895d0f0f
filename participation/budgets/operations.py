"""The budget ballot's one write, for forms, REST and Socket.IO: a person's whole ballot,
replacing the one before (docs/budget.md)."""

from typing import Annotated, NotRequired

from flask_babel import lazy_gettext as _l
from pydantic import Field
from sqlalchemy import delete, insert
from typing_extensions import TypedDict

from ..core import receipts
from ..core.bus import publish
from ..core.declare import Version, request
from ..core.errors import OperationError
from ..core.tx import write_transaction
from ..core.validate import Id, form_number
from ..events.models import BALLOT_MEASURES_MAX
from ..events.operations import locked_event
from ..participants import identity
from ..participants.operations import require_joined

# The checks every ballot write shares with a vote: the same client_id rules, replays, phase.
from ..proposals.operations import (
    ClientId,
    Replayed,
    checked_client_id,
    person_for,
    replayable,
    require_phase,
)
from .models import BudgetChoice

KIND = "budget_ballot"  # the receipts' kind
_choices = BudgetChoice.__table__
_INSERT = insert(_choices)


@request
class BudgetBallotRequest(TypedDict):
    measure_ids: Annotated[list[Id], Field(max_length=BALLOT_MEASURES_MAX, description=(
        "Every measure this person approves; it replaces their earlier ballot. Empty: none. "
        "Their costs together at most the event's budget_sek."))]
    client_id: ClientId


class BudgetBallotResult(TypedDict):
    event_id: Id
    version: Version
    measure_ids: Annotated[list[Id], Field(description="This person's ballot, in ballot order.")]
    spent_sek: Annotated[int, Field(ge=0, description="What the chosen measures cost.")]
    remaining_sek: Annotated[int, Field(ge=0, description="What is left of the budget.")]
    replayed: NotRequired[Replayed]


def _measure_ids(value) -> list[int]:
    """Ids from JSON (ints) or a form (digit strings); a repeat counts once."""
    if not isinstance(value, list | tuple) or len(value) > BALLOT_MEASURES_MAX:
        raise OperationError("invalid_measures", _l("Choose measures from the ballot."),
                             field="measure_ids")
    ids = []
    for item in value:
        if isinstance(item, str):
            item = form_number(item)
        if not isinstance(item, int) or isinstance(item, bool) or item < 1:
            raise OperationError("invalid_measures", _l("Choose measures from the ballot."),
                                 field="measure_ids")
        if item not in ids:
            ids.append(item)
    return ids


def _not_budget():
    return OperationError("not_budget", _l("This event has no budget ballot."), 409)


@replayable
def submit_budget_ballot(event_id: int, token, measure_ids, client_id) -> BudgetBallotResult:
    """Store this person's ballot (all or nothing): only in the vote phase, only measures on
    the event's ballot, together costing at most its budget."""
    require_joined(token)
    client_id = checked_client_id(client_id)
    ids = _measure_ids(measure_ids)
    with write_transaction() as session:
        event, version = locked_event(session, event_id)
        identity.require_take_part(session, event, token)
        participant = person_for(session, event.id, token, client_id, KIND)
        require_phase(event, "vote")
        if not event.is_budget:
            raise _not_budget()
        on_ballot = {m.measure_id: m for m in event.ballot_measures}
        if any(i not in on_ballot for i in ids):
            raise OperationError("not_on_ballot", _l("That measure is not on this ballot."),
                                 field="measure_ids")
        spent = sum(on_ballot[i].cost_sek for i in ids)
        if spent > event.budget_sek:
            raise OperationError(
                "over_budget",
                _l("Your choices cost more than the budget. Nothing was saved; untick a "
                   "measure and try again."), 409, field="measure_ids")
        # Under the event's lock: the old ballot out, the new one in, in one transaction.
        session.execute(delete(_choices).where(_choices.c.event_id == event.id,
                                               _choices.c.participant_id == participant.id))
        if ids:
            session.execute(_INSERT, [{"event_id": event.id, "participant_id": participant.id,
                                       "measure_id": i} for i in ids])
        ordered = sorted(ids, key=lambda i: on_ballot[i].position)
        result = {"event_id": event.id, "version": version, "measure_ids": ordered,
                  "spent_sek": spent, "remaining_sek": event.budget_sek - spent}
        receipts.store(session, participant.id, client_id, KIND, result)
    # result's event_id, not event.id: the committed Event is expired, and reloading it would
    # hold a second connection while the relay (coalescing at 0 s) takes one to flush.
    publish("budget.changed", result["event_id"], version)
    return result
