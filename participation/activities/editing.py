"""Preparing the evening's plan (docs/activities.md): move an activity, edit it, remove it, or
copy another event's activities into this plan. The same write path as plan.py: checked, the
event locked, written, committed, then "activities.changed" published.

What residents sent is never lost by editing: a poll's options change only before anyone has
answered, and an activity with answers, questions or words is not removed (nor the live one,
nor the proposal flow, which holds the event's proposals)."""

from typing import Annotated, NotRequired

from flask_babel import lazy_gettext as _l
from pydantic import Field
from sqlalchemy import exists, func, select, update
from typing_extensions import TypedDict

from .. import access
from ..core.bus import publish
from ..core.declare import request
from ..core.errors import OperationError, not_found
from ..core.tx import write_transaction
from ..core.validate import clean_text, is_id
from ..events.models import Event
from ..events.operations import managed_event
from .models import (
    ACTIVITIES_MAX,
    TITLE_MAX,
    Activity,
    CloudWord,
    EvaluationAnswer,
    PanelQuestion,
    PollAnswer,
    PollOption,
)
from .plan import (
    ActivityTitle,
    Plan,
    bring_in_proposal_flow,
    checked_flag,
    checked_options,
    plan,
)

# Where each kind keeps what residents sent.
RESPONSES = {"poll": PollAnswer, "questions": PanelQuestion, "evaluation": EvaluationAnswer,
             "words": CloudWord}


@request
class MoveActivity(TypedDict):
    position: Annotated[int, Field(ge=1, le=ACTIVITIES_MAX, description=(
        "Its new place in the plan, 1 = first; the others shift."))]


@request
class EditActivity(TypedDict):
    title: NotRequired[ActivityTitle]
    options: NotRequired[Annotated[list[Annotated[str, Field(min_length=1)]], Field(
        description="A poll's options; only before anyone has answered.")]]
    multiple: NotRequired[bool]
    show_results: NotRequired[bool]


@request
class CopyPlan(TypedDict):
    from_event_id: Annotated[int, Field(ge=1, description=(
        "An event whose plan you may read: its activities but the proposal flow are added "
        "after this plan's, without anything residents sent."))]


def _locked_activity(session, user, event_id, activity_id):
    if not is_id(activity_id):
        raise not_found("activity_not_found")
    event, version = managed_event(session, user, event_id, open_only=True)
    activity = session.get(Activity, activity_id)
    if activity is None or activity.event_id != event.id:
        raise not_found("activity_not_found")
    return event, version, activity


def _has_responses(session, activity) -> bool:
    table = RESPONSES.get(activity.kind)
    return table is not None and session.scalar(
        select(exists().where(table.activity_id == activity.id)))


def _renumber(session, event_id: int, ordered: list[int]) -> None:
    """Positions 1..n in this order. Out of the way first: (event, position) is unique."""
    session.execute(update(Activity).where(Activity.event_id == event_id)
                    .values(position=Activity.position + ACTIVITIES_MAX * 2)
                    .execution_options(synchronize_session=False))
    for position, activity_id in enumerate(ordered, start=1):
        session.execute(update(Activity).where(Activity.id == activity_id)
                        .values(position=position).execution_options(synchronize_session=False))
    session.expire_all()


def _order(session, event_id: int) -> list[int]:
    return list(session.scalars(select(Activity.id).where(Activity.event_id == event_id)
                                .order_by(Activity.position)))


def _done(event_id: int, version: int) -> Plan:
    return {"event_id": event_id, "version": version, "activities": plan(event_id)}


def _publish(result: Plan) -> Plan:
    publish("activities.changed", result["event_id"], result["version"],
            live=next((a for a in result["activities"] if a["live"]), None))
    return result


def move_activity(user, event_id: int, activity_id, position) -> Plan:
    if not isinstance(position, int) or isinstance(position, bool) or not (
            1 <= position <= ACTIVITIES_MAX):
        raise OperationError("invalid_position", _l(
            "Choose a place from 1 to %(n)d.", n=ACTIVITIES_MAX), field="position")
    with write_transaction() as session:
        event, version, activity = _locked_activity(session, user, event_id, activity_id)
        order = [a for a in _order(session, event.id) if a != activity.id]
        order.insert(min(position, len(order) + 1) - 1, activity.id)
        _renumber(session, event.id, order)
        result = _done(event.id, version)
    return _publish(result)


def edit_activity(user, event_id: int, activity_id, body) -> Plan:
    if not isinstance(body, dict):
        raise OperationError("invalid_body", _l("Send the changes as a JSON object."))
    changes = {}
    if "title" in body:
        changes["title"] = clean_text(body["title"], "title", TITLE_MAX, multiline=False)
    for name in ("multiple", "show_results"):
        if name in body:
            changes[name] = checked_flag(body, name)
    options = checked_options(body["options"]) if "options" in body else None
    with write_transaction() as session:
        event, version, activity = _locked_activity(session, user, event_id, activity_id)
        poll_fields = options is not None or "multiple" in changes or "show_results" in changes
        if poll_fields and activity.kind != "poll":
            raise OperationError("poll_only", _l("Options belong to a quick poll only."),
                                 field="options")
        if (options is not None or "multiple" in changes) and _has_responses(session, activity):
            raise OperationError("has_answers", _l(
                "People have answered already: the options stay as they were. Add a new poll "
                "instead."), 409, field="options")
        for name, value in changes.items():
            setattr(activity, name, value)
        if options is not None:
            # The old ones go first: (activity, position) is unique, and the unit of work
            # would insert the new rows before deleting the old.
            activity.options.clear()
            session.flush()
            activity.options = [PollOption(position=n, text=t) for n, t in enumerate(options)]
        session.flush()
        result = _done(event.id, version)
    return _publish(result)


def remove_activity(user, event_id: int, activity_id) -> Plan:
    with write_transaction() as session:
        event, version, activity = _locked_activity(session, user, event_id, activity_id)
        if activity.kind == "proposals":
            raise OperationError("proposal_flow", _l(
                "The proposals stay in the plan: they hold the event's proposals."), 409)
        if activity.live:
            raise OperationError("live_activity", _l(
                "This one is running now. Start another one first."), 409)
        if _has_responses(session, activity):
            raise OperationError("has_responses", _l(
                "People have already answered this one, so it stays in the plan."), 409)
        session.delete(activity)
        session.flush()
        _renumber(session, event.id, _order(session, event.id))
        result = _done(event.id, version)
    return _publish(result)


def copy_activity(original: Activity, event_id: int, position: int, *,
                  live: bool = False) -> Activity:
    """A new activity like `original` (its kind, title, a poll's options and choices) at
    `position` of event `event_id`, with nothing residents sent. Here and in
    activities/repeat.py (a whole event copied)."""
    return Activity(event_id=event_id, position=position, kind=original.kind,
                    title=original.title, multiple=original.multiple,
                    show_results=original.show_results, live=live,
                    options=[PollOption(position=o.position, text=o.text)
                             for o in original.options])


def copy_plan(user, event_id: int, from_event_id) -> Plan:
    """Another event's activities (all but its proposal flow) added after this plan's."""
    if not is_id(from_event_id):
        raise OperationError("invalid_event", _l("Choose the event to copy from."),
                             field="from_event_id")
    with write_transaction() as session:
        event, version = managed_event(session, user, event_id, open_only=True)
        source = session.get(Event, from_event_id)
        if source is None or source.id == event.id or not access.may_review(user, source):
            raise not_found("event_not_found")
        copied = list(session.scalars(select(Activity).where(
            Activity.event_id == source.id, Activity.kind != "proposals")
            .order_by(Activity.position)))
        if not copied:
            raise OperationError("nothing_to_copy", _l(
                "That event has no activities besides its proposals."), 409,
                field="from_event_id")
        count = session.scalar(select(func.count(Activity.id))
                               .where(Activity.event_id == event.id))
        if count == 0:
            bring_in_proposal_flow(session, event)
            count = 1
        if count + len(copied) > ACTIVITIES_MAX:
            raise OperationError("too_many_activities", _l(
                "An event has at most %(n)d activities.", n=ACTIVITIES_MAX), 409)
        for n, original in enumerate(copied, start=count + 1):
            session.add(copy_activity(original, event.id, n))
        session.flush()
        result = _done(event.id, version)
    return _publish(result)
