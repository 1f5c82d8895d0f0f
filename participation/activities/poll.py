"""A quick poll's one write (a person's answer, replacing the one before) and its results.

The write follows the vote's rules (proposals/operations.py): a client_id, replayed on retry;
a joined resident (a referensgrupp's active member); the event's row lock, so 64 answers at
once from one phone leave one answer. Only the live activity takes answers (409 not_live).
"""

from typing import Annotated, NotRequired

from flask_babel import lazy_gettext as _l
from pydantic import Field
from sqlalchemy import delete, func, insert, select
from typing_extensions import TypedDict

from ..core import receipts
from ..core.bus import publish
from ..core.declare import Version, request
from ..core.errors import OperationError
from ..core.tx import write_transaction
from ..core.validate import Id, form_number
from ..extensions import db
from ..participants.operations import require_joined
from ..proposals.operations import ClientId, Replayed, checked_client_id, replayable
from .models import OPTIONS_MAX, PollAnswer
from .plan import ActivityShape
from .writes import live_activity_write

KIND = "poll_answer"  # the receipts' kind
_answers = PollAnswer.__table__


@request
class PollResponse(TypedDict):
    choices: Annotated[list[Annotated[int, Field(ge=0, le=OPTIONS_MAX - 1)]],
                       Field(min_length=1, max_length=OPTIONS_MAX, description=(
                           "Option numbers (0 = the first). One unless the poll is multiple; "
                           "it replaces this person's earlier answer."))]
    client_id: ClientId


class PollAnswered(TypedDict):
    activity_id: Id
    version: Version
    choices: Annotated[list[int], Field(description="This person's answer, in option order.")]
    replayed: NotRequired[Replayed]


class OptionCount(TypedDict):
    position: Annotated[int, Field(ge=0)]
    text: str
    people: Annotated[int, Field(ge=0, description="People who chose it.")]


class PollResults(TypedDict):
    activity_id: Id
    title: str
    multiple: bool
    people: Annotated[int, Field(ge=0, description="People who answered.")]
    options: list[OptionCount]


def _choices(value) -> list[int]:
    """Option numbers from JSON (ints) or a form (digit strings); a repeat counts once."""
    if not isinstance(value, list | tuple) or not 1 <= len(value) <= OPTIONS_MAX:
        raise OperationError("invalid_choices", _l("Choose an answer."), field="choices")
    chosen = []
    for item in value:
        if isinstance(item, str):
            item = form_number(item) if item != "0" else 0
        if not isinstance(item, int) or isinstance(item, bool) or not 0 <= item < OPTIONS_MAX:
            raise OperationError("invalid_choices", _l("Choose an answer from the list."),
                                 field="choices")
        if item not in chosen:
            chosen.append(item)
    return sorted(chosen)


@replayable
def answer_poll(activity_id, token, choices, client_id) -> PollAnswered:
    require_joined(token)
    client_id = checked_client_id(client_id)
    chosen = _choices(choices)
    with write_transaction() as session:
        event, version, participant, activity = live_activity_write(
            session, activity_id, token, client_id, KIND, "poll")
        event_id = event.id
        if any(c >= len(activity.options) for c in chosen):
            raise OperationError("invalid_choices", _l("Choose an answer from the list."),
                                 field="choices")
        if len(chosen) > 1 and not activity.multiple:
            raise OperationError("one_choice", _l("This poll takes one answer."),
                                 field="choices")
        session.execute(delete(_answers).where(_answers.c.activity_id == activity.id,
                                               _answers.c.participant_id == participant.id))
        session.execute(insert(_answers), [{"activity_id": activity.id, "position": c,
                                            "participant_id": participant.id} for c in chosen])
        result = {"activity_id": activity.id, "version": version, "choices": chosen}
        receipts.store(session, participant.id, client_id, KIND, result)
    publish("poll.answered", event_id, version)
    return result


def results(shape: ActivityShape) -> PollResults:
    """Per option the people who chose it, from the stored answers."""
    counts = dict(db.session.execute(
        select(PollAnswer.position, func.count(PollAnswer.participant_id))
        .where(PollAnswer.activity_id == shape["id"]).group_by(PollAnswer.position)).all())
    people = db.session.scalar(select(func.count(func.distinct(PollAnswer.participant_id)))
                               .where(PollAnswer.activity_id == shape["id"]))
    return {"activity_id": shape["id"], "title": shape["title"],
            "multiple": shape["multiple"], "people": people or 0,
            "options": [{"position": i, "text": text, "people": counts.get(i, 0)}
                        for i, text in enumerate(shape["options"])]}


class LivePoll(TypedDict):
    """The live quick poll as one person sees it: the poll, their answer, and the bars once
    they have answered where the poll shows them (staff always get the bars)."""

    poll: ActivityShape
    choices: Annotated[list[int], Field(description="This person's answer; [] before one.")]
    results: Annotated[PollResults | None, Field(description=(
        "Null for a resident who has not answered, or where show_results is off."))]


def my_choices(activity_id: int, participant_id: int | None) -> list[int]:
    if participant_id is None:
        return []
    return list(db.session.scalars(
        select(PollAnswer.position).where(PollAnswer.activity_id == activity_id,
                                          PollAnswer.participant_id == participant_id)
        .order_by(PollAnswer.position)))


def live_poll(shape: ActivityShape | None, participant_id: int | None, *,
              staff: bool = False) -> LivePoll | None:
    """The live poll (`plan.live_shape`; None: no poll is live) as one person or staff see
    it."""
    if shape is None or shape["kind"] != "poll":
        return None
    chosen = [] if staff else my_choices(shape["id"], participant_id)
    shown = staff or (shape["show_results"] and bool(chosen))
    return {"poll": shape, "choices": chosen, "results": results(shape) if shown else None}
