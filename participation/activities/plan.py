"""The activity plan: add an activity, start one (the live one), list them. One write path for
REST (and the console and socket when they come): validate, lock the event, write, commit,
publish "activities.changed" with the event's version. See docs/activities.md."""

from typing import Annotated, Literal, NotRequired

from flask_babel import lazy_gettext as _l
from pydantic import Field
from sqlalchemy import func, select, update
from typing_extensions import TypedDict

from ..core.bus import publish
from ..core.declare import Version, request
from ..core.errors import OperationError, not_found
from ..core.tx import write_transaction
from ..core.validate import Id, clean_text, is_id
from ..events.operations import managed_event
from ..extensions import db
from .models import (
    ACTIVITIES_MAX,
    ACTIVITY_KINDS,
    OPTION_MAX,
    OPTIONS_MAX,
    OPTIONS_MIN,
    TITLE_MAX,
    Activity,
    PollOption,
)

ActivityTitle = Annotated[str, Field(min_length=1, max_length=TITLE_MAX)]
NEW_KINDS = ("poll", "questions", "evaluation", "words")  # the proposal flow comes in by itself


class ActivityShape(TypedDict):
    """An activity of the plan, as staff and the residents' phones see it (no answers)."""

    id: Id
    position: Annotated[int, Field(ge=1, description="Its place in the plan.")]
    kind: Literal[ACTIVITY_KINDS]
    title: str
    live: Annotated[bool, Field(description="The one the phones and projector show now.")]
    options: Annotated[list[str], Field(description="A poll's options, in order; [] otherwise.")]
    multiple: Annotated[bool, Field(description="A poll where a person may pick several.")]
    show_results: Annotated[bool, Field(description=(
        "A poll whose bars a person sees once they have answered."))]


class Plan(TypedDict):
    event_id: Id
    version: Version
    activities: Annotated[list[ActivityShape], Field(description=(
        "In plan order. Empty for an event that runs only its proposal flow."))]


class ActivityAdded(TypedDict):
    activity: ActivityShape
    version: Version


@request
class NewActivity(TypedDict):
    kind: Annotated[Literal["poll", "questions", "evaluation", "words"], Field(description=(
        "poll: a quick poll; questions: questions to the panel; evaluation: the evening's "
        "short survey (three ratings and a free text); words: a word cloud."))]
    title: NotRequired[Annotated[ActivityTitle, Field(description=(
        "Required but for an evaluation, which is titled 'Hur var kvällen?' unless given."))]]
    options: NotRequired[Annotated[
        list[Annotated[str, Field(min_length=1, max_length=OPTION_MAX)]],
        Field(min_length=OPTIONS_MIN, max_length=OPTIONS_MAX, description=(
            "A poll's options, 2 to 8, no two the same; only for a poll."))]]
    multiple: NotRequired[Annotated[bool, Field(description="A poll: several choices per person.")]]
    show_results: NotRequired[Annotated[bool, Field(description=(
        "A poll: a person sees the bars once they have answered."))]]


def activity_shape(activity: Activity) -> ActivityShape:
    return {"id": activity.id, "position": activity.position, "kind": activity.kind,
            "title": activity.title, "live": activity.live,
            "options": [o.text for o in activity.options], "multiple": activity.multiple,
            "show_results": activity.show_results}


def plan(event_id: int) -> list[ActivityShape]:
    return [activity_shape(a) for a in db.session.scalars(
        select(Activity).where(Activity.event_id == event_id).order_by(Activity.position))]


def live_shape(event_id: int) -> ActivityShape | None:
    """The event's live activity (None: no plan). Starting one moves the event's version, so a
    snapshot may keep this once per version."""
    live = db.session.scalar(select(Activity).where(Activity.event_id == event_id,
                                                    Activity.live))
    return activity_shape(live) if live else None


def event_of(activity_id) -> int | None:
    """The event an activity belongs to (None: no such activity)."""
    if not is_id(activity_id):
        return None
    return db.session.scalar(select(Activity.event_id).where(Activity.id == activity_id))


def live_kind(event_id: int, kind: str) -> ActivityShape | None:
    """The live activity when it is of `kind` (the phone's plain forms ask which is live)."""
    shape = live_shape(event_id)
    return shape if shape and shape["kind"] == kind else None


def checked_flag(body: dict, name: str) -> bool:
    value = body.get(name, False)
    if not isinstance(value, bool):
        raise OperationError("invalid_flag", _l("Choose yes or no."), field=name)
    return value


def checked_options(value) -> list[str]:
    if not isinstance(value, list) or not OPTIONS_MIN <= len(value) <= OPTIONS_MAX:
        raise OperationError("invalid_options", _l(
            "A poll has %(low)d to %(high)d options.", low=OPTIONS_MIN, high=OPTIONS_MAX),
            field="options")
    options = [clean_text(v, "options", OPTION_MAX, multiline=False) for v in value]
    if len({o.casefold() for o in options}) != len(options):
        raise OperationError("duplicate_option", _l("Two options say the same thing."),
                             field="options")
    return options


def _checked(body) -> dict:
    """The new activity's values, all checked before the event is locked."""
    if not isinstance(body, dict):
        raise OperationError("invalid_body", _l("Send the activity as a JSON object."))
    kind = body.get("kind")
    if kind not in NEW_KINDS:
        raise OperationError("invalid_kind", _l(
            "Choose the kind of activity: a quick poll (poll), questions to the panel "
            "(questions), an evaluation (evaluation) or a word cloud (words)."), field="kind")
    title = body.get("title")
    if kind == "evaluation" and title in (None, ""):
        title = str(_l("How was the evening?"))
    values = {"kind": kind, "title": clean_text(title, "title", TITLE_MAX, multiline=False),
              "options": []}
    if kind == "poll":
        values.update(options=checked_options(body.get("options")),
                      multiple=checked_flag(body, "multiple"),
                      show_results=checked_flag(body, "show_results"))
    elif any(name in body for name in ("options", "multiple", "show_results")):
        raise OperationError("poll_only", _l("Options belong to a quick poll only."),
                             field="options")
    return values


def bring_in_proposal_flow(session, event) -> None:
    """The first added activity brings the proposal flow into the plan, live, as number 1."""
    session.add(Activity(event_id=event.id, position=1, kind="proposals",
                         title=event.title, live=True))
    session.flush()


def add_activity(user, event_id: int, body) -> ActivityAdded:
    values = _checked(body)
    options = values.pop("options")
    with write_transaction() as session:
        event, version = managed_event(session, user, event_id, open_only=True)
        count = session.scalar(select(func.count(Activity.id))
                               .where(Activity.event_id == event.id))
        if count == 0:
            bring_in_proposal_flow(session, event)
            count = 1
        if count >= ACTIVITIES_MAX:
            raise OperationError("too_many_activities", _l(
                "An event has at most %(n)d activities.", n=ACTIVITIES_MAX), 409)
        activity = Activity(event_id=event.id, position=count + 1, **values,
                            options=[PollOption(position=n, text=t)
                                     for n, t in enumerate(options)])
        session.add(activity)
        session.flush()
        result = {"activity": activity_shape(activity), "version": version}
        now_live = live_shape(event.id)
    publish("activities.changed", event_id, version, live=now_live)
    return result


def start_activity(user, event_id: int, activity_id) -> Plan:
    """Make one activity the live one; the one live before stops taking answers."""
    if not is_id(activity_id):
        raise not_found("activity_not_found")
    with write_transaction() as session:
        event, version = managed_event(session, user, event_id, open_only=True)
        activity = session.get(Activity, activity_id)
        if activity is None or activity.event_id != event.id:
            raise not_found("activity_not_found")
        # Off first, then on: the partial unique index never sees two live ones.
        session.execute(update(Activity).where(Activity.event_id == event.id, Activity.live)
                        .values(live=False).execution_options(synchronize_session=False))
        session.execute(update(Activity).where(Activity.id == activity.id)
                        .values(live=True).execution_options(synchronize_session=False))
        session.expire_all()
        result = {"event_id": event_id, "version": version, "activities": plan(event_id)}
    publish("activities.changed", event_id, version,
            live=next(a for a in result["activities"] if a["live"]))
    return result
