"""An event that opens and closes on its own at `opens_at` and `closes_at`.

`run_due` is called every SCHEDULE_INTERVAL_SECONDS by the serving process (`start_loop`) and
by `flask --app wsgi schedule run` from cron. Each due event is moved in its own locked write
transaction that checks again that it is still due, so several processes running at once move
an event once and the others do nothing. Writes after `closes_at` are refused at once anyway
(`proposals.operations._require_phase`), whether or not a runner has been by yet.
"""

from typing import Annotated, NotRequired

import click
from flask import current_app
from pydantic import Field
from sqlalchemy import select
from typing_extensions import TypedDict

from ..core.bus import publish
from ..core.declare import request
from ..core.time import When, iso, utcnow
from ..core.tx import write_transaction
from ..extensions import db, socketio
from .inputs import parse_schedule
from .models import Event
from .operations import apply_phase, locked_event, managed_event

# Closing walks the ordinary transitions: from collecting, through voting, to the results.
CLOSE_PATH = {"collect": ("vote", "results"), "vote": ("results",)}


@request
class ScheduleChange(TypedDict):
    opens_at: NotRequired[Annotated[When, Field(description="Lobby -> collect at this time.")]]
    closes_at: NotRequired[Annotated[When, Field(description=(
        "Collect or vote -> results at this time; nothing is written after it. Later than "
        "opens_at."))]]


def set_schedule(user, event_id: int, opens_at, closes_at) -> Event:
    """Set (or clear, with None) when the event opens and closes on its own."""
    opens, closes = parse_schedule(opens_at, closes_at)
    with write_transaction() as session:
        event, version = managed_event(session, user, event_id, open_only=True)
        event.opens_at, event.closes_at = opens, closes
    publish("event.schedule", event.id, version, opens_at=iso(opens), closes_at=iso(closes))
    return event


def is_past_closing(event, now=None) -> bool:
    return event.closes_at is not None and (now or utcnow()) >= event.closes_at


class _NotDue(Exception):
    """Someone else moved the event first (or changed its times): roll back, do nothing."""


def _move(event_id: int, now, due, steps_for) -> str | None:
    try:
        with write_transaction() as session:
            event, version = locked_event(session, event_id)
            if not due(event, now):
                raise _NotDue
            previous = event.phase
            for phase in steps_for(event):
                apply_phase(event, phase)
            reached = event.phase
    except _NotDue:
        return None
    publish("event.phase_changed", event_id, version, phase=reached, previous=previous,
            by="schedule")
    return reached


def _opening(event, now) -> bool:
    return event.phase == "lobby" and event.opens_at is not None and event.opens_at <= now


def _closing(event, now) -> bool:
    return event.phase in CLOSE_PATH and is_past_closing(event, now)


def run_due(now=None) -> list[tuple[int, str]]:
    """Open and close every event whose time has come; returns (event id, new phase) moved."""
    now = now or utcnow()
    moved = []
    opening = db.session.scalars(
        select(Event.id).where(Event.phase == "lobby", Event.opens_at <= now)
        .order_by(Event.id)).all()
    db.session.rollback()  # each move takes its own fresh transaction
    for event_id in opening:
        if (phase := _move(event_id, now, _opening, lambda _e: ("collect",))) is not None:
            moved.append((event_id, phase))
    closing = db.session.scalars(
        select(Event.id).where(Event.phase.in_(tuple(CLOSE_PATH)), Event.closes_at <= now)
        .order_by(Event.id)).all()
    db.session.rollback()
    for event_id in closing:
        if (phase := _move(event_id, now, _closing,
                           lambda e: CLOSE_PATH[e.phase])) is not None:
            moved.append((event_id, phase))
    return moved


def start_loop(app):
    """Run the schedule in the serving process every SCHEDULE_INTERVAL_SECONDS (0: never)."""
    interval = app.config["SCHEDULE_INTERVAL_SECONDS"]
    if interval <= 0:
        return None

    def loop():
        while True:
            socketio.sleep(interval)
            with app.app_context():
                try:
                    run_due()
                except Exception:  # keep the clock running; the next tick tries again
                    app.logger.exception("schedule run failed")
                finally:
                    db.session.remove()

    return socketio.start_background_task(loop)


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
