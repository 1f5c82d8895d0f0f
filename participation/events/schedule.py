"""An event that runs on its own: it opens at `opens_at` (lobby -> collect), opens its voting
at `voting_opens_at` (collect -> vote) and closes at `closes_at` (-> results).

A rådslag can so collect for days, let people vote or rate for days, then show its results,
without anyone at a console. Without `voting_opens_at` closing walks from collecting through
voting straight to the results (nobody gets to vote: the console says so).

A facilitator's own phase change holds: the schedule acts on a time only if it is later than
the last change by hand (`phase_set_by_hand_at`), so moving a closed rådslag back to voting is
not undone seconds later, and the next scheduled time after that change still comes. Saving
the schedule clears the mark: the saved times are the plan again. `next_step` is what the
console tells the facilitator the schedule will do next.

`run_due` is called every SCHEDULE_INTERVAL_SECONDS by the serving process (`start_loop`) and
by `flask --app wsgi schedule run` from cron. Each due event is moved in its own locked write
transaction that checks again that it is still due, so several processes running at once move
an event once and the others do nothing. Writes after `closes_at` are refused at once anyway
(`proposals.operations.require_phase`), whether or not a runner has been by yet.
"""

from typing import Annotated, Literal, NotRequired

import click
from flask import current_app
from pydantic import Field
from sqlalchemy import or_, select
from typing_extensions import TypedDict

from ..core.bus import publish
from ..core.declare import request
from ..core.every import start_every
from ..core.time import Time, When, iso, utcnow
from ..core.tx import write_transaction
from ..extensions import db
from .inputs import parse_schedule
from .models import Event
from .operations import apply_phase, locked_event, managed_event

# The phases a scheduled time moves an event from, and the ordinary transitions it walks:
# closing goes from collecting through voting to the results.
STEPS = {
    "opens_at": {"lobby": ("collect",)},
    "voting_opens_at": {"collect": ("vote",)},
    "closes_at": {"collect": ("vote", "results"), "vote": ("results",)},
}
SCHEDULED = tuple(STEPS)


@request
class ScheduleChange(TypedDict):
    opens_at: NotRequired[Annotated[When, Field(description="Lobby -> collect at this time.")]]
    voting_opens_at: NotRequired[Annotated[When, Field(description=(
        "Collect -> vote at this time (the rating or voting window opens). Later than "
        "opens_at."))]]
    closes_at: NotRequired[Annotated[When, Field(description=(
        "Collect or vote -> results at this time; nothing is written after it. Later than "
        "opens_at and voting_opens_at."))]]


class ScheduleNext(TypedDict):
    """What the schedule will do next, unless someone changes the phase or the times first."""

    phase: Annotated[Literal["collect", "vote", "results"], Field(description=(
        "The phase it moves the event to."))]
    at: Time


def set_schedule(user, event_id: int, opens_at, closes_at, voting_opens_at=None) -> Event:
    """Set (or clear, with None) when the event opens, opens its voting and closes on its own.

    Saving the times makes them the plan again: a phase set by hand before no longer holds
    against them."""
    opens, voting, closes = parse_schedule(opens_at, closes_at, voting_opens_at)
    with write_transaction() as session:
        event, version = managed_event(session, user, event_id, open_only=True)
        event.opens_at, event.voting_opens_at, event.closes_at = opens, voting, closes
        event.phase_set_by_hand_at = None
    publish("event.schedule", event.id, version, opens_at=iso(opens),
            voting_opens_at=iso(voting), closes_at=iso(closes))
    return event


def _holds(event, when) -> bool:
    """A scheduled time still counts: no facilitator changed the phase by hand at or after it."""
    return event.phase_set_by_hand_at is None or event.phase_set_by_hand_at < when


def is_past_closing(event, now=None) -> bool:
    """Past its closing time, unless the facilitator has changed the phase by hand since."""
    closes = event.closes_at
    if closes is None or (now or utcnow()) < closes:
        return False
    return _holds(event, closes)


def steps_due(event, now) -> list[tuple[str, ...]]:
    """The walks the schedule makes with `event` at `now`, one per scheduled time acted on, in
    order: e.g. [("collect",), ("vote", "results")] for a late run (empty: nothing is due)."""
    phase, walks = event.phase, []
    for name in SCHEDULED:
        when = getattr(event, name)
        if when is None or when > now or not _holds(event, when):
            continue
        walk = STEPS[name].get(phase)
        if walk:
            walks.append(walk)
            phase = walk[-1]
    return walks


def next_step(event) -> ScheduleNext | None:
    """The schedule's next move of this event (its time may be past if no runner has been by
    yet); None when it will not move the event again."""
    phase = event.phase
    for name in SCHEDULED:
        when = getattr(event, name)
        if when is None or not _holds(event, when):
            continue
        walk = STEPS[name].get(phase)
        if walk:
            return {"phase": walk[-1], "at": iso(when)}
    return None


class _NotDue(Exception):
    """Someone else moved the event first (or changed its times): roll back, do nothing."""


def _move(event_id: int, now) -> list[str]:
    """Walk one due event in its own locked transaction; the phases its scheduled times reached
    (empty when another runner, a facilitator or new times got there first)."""
    try:
        with write_transaction() as session:
            event, version = locked_event(session, event_id)
            walks = steps_due(event, now)
            if not walks:
                raise _NotDue
            previous = event.phase
            for walk in walks:
                for phase in walk:
                    apply_phase(event, phase)
    except _NotDue:
        return []
    reached = [walk[-1] for walk in walks]
    publish("event.phase_changed", event_id, version, phase=reached[-1], previous=previous,
            by="schedule")
    return reached


def run_due(now=None) -> list[tuple[int, str]]:
    """Move every event whose time has come; returns (event id, phase reached) for each
    scheduled time acted on, in order (a late run may open and close an event at once)."""
    now = now or utcnow()
    due = db.session.scalars(
        select(Event.id).where(
            Event.phase.in_(("lobby", "collect", "vote")),
            or_(Event.opens_at <= now, Event.voting_opens_at <= now, Event.closes_at <= now))
        .order_by(Event.id)).all()
    db.session.rollback()  # each move takes its own fresh transaction
    return [(event_id, phase) for event_id in due for phase in _move(event_id, now)]


def start_loop(app):
    """Run the schedule in the serving process every SCHEDULE_INTERVAL_SECONDS (0: never)."""
    return start_every(app, app.config["SCHEDULE_INTERVAL_SECONDS"], run_due, "schedule run")


@click.group("schedule", help="Open and close events at their scheduled times.")
def schedule_cli():
    pass


@schedule_cli.command("run")
def run_command():
    """Move every event that is due now (for cron, when the loop is off)."""
    moved = run_due()
    for event_id, phase in moved:
        click.echo(f"event {event_id} -> {phase}")
    current_app.logger.info("schedule: %d events moved", len(moved))
