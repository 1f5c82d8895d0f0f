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
from ..core.errors import OperationError, not_found
from ..core.tx import write_transaction
from ..core.validate import Id, form_number, is_id
from ..events.models import Event
from ..events.operations import lock_event_where
from ..extensions import db
from ..participants import identity
from ..participants.operations import require_joined
from ..proposals.operations import ClientId, Replayed, checked_client_id, person_for, replayable
from .models import OPTIONS_MAX, Activity, PollAnswer
from .plan import ActivityShape, activity_shape

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


def _not_live():
    return OperationError("not_live", _l(
        "This activity is not running now. Follow what the facilitator shows."), 409)


@replayable
def answer_poll(activity_id, token, choices, client_id) -> PollAnswered:
    require_joined(token)
    client_id = checked_client_id(client_id)
    chosen = _choices(choices)
    if not is_id(activity_id):
        raise not_found("activity_not_found")
    with write_transaction() as session:
        # The activity's event, locked in the same statement that finds it.
        event = lock_event_where(session, Event.id == select(Activity.event_id).where(
            Activity.id == activity_id).scalar_subquery())
        if event is None:
            raise not_found("activity_not_found")
        event_id, version = event.id, event.version
        identity.require_take_part(session, event, token)
        participant = person_for(session, event.id, token, client_id, KIND)
        if event.phase == "closed":
            raise OperationError("event_closed", _l("The event is closed."), 409)
        activity = session.get(Activity, activity_id)
        if activity.kind != "poll":
            raise OperationError("not_a_poll", _l("This activity is not a poll."), 409)
        if not activity.live:
            raise _not_live()
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


def live(event_id: int) -> Activity | None:
    """The event's live activity when it is a quick poll (None: the proposal flow runs)."""
    return db.session.scalar(select(Activity).where(
        Activity.event_id == event_id, Activity.live, Activity.kind == "poll"))


def my_choices(activity_id: int, participant_id: int | None) -> list[int]:
    if participant_id is None:
        return []
    return list(db.session.scalars(
        select(PollAnswer.position).where(PollAnswer.activity_id == activity_id,
                                          PollAnswer.participant_id == participant_id)
        .order_by(PollAnswer.position)))


def live_shape(event_id: int) -> ActivityShape | None:
    """The live quick poll's shape: starting or stopping one moves the event's version, so a
    snapshot may keep this once per version."""
    activity = live(event_id)
    return activity_shape(activity) if activity else None


def live_poll(shape: ActivityShape | None, participant_id: int | None, *,
              staff: bool = False) -> LivePoll | None:
    """The live poll (`live_shape`; None: none is live) as one person or staff see it."""
    if shape is None:
        return None
    chosen = [] if staff else my_choices(shape["id"], participant_id)
    shown = staff or (shape["show_results"] and bool(chosen))
    return {"poll": shape, "choices": chosen, "results": results(shape) if shown else None}
