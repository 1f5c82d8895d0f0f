"""Repeat a session (issue 18): "Kopiera" makes a new event from another's setup, in the lobby
with a new code and no input. One write transaction, all or nothing, then "event.created" as
at creation; the form, REST and any later channel call copy_event.

What is copied is listed in events/copying.py (the event's columns and its setup's child
tables); the activity plan is copied here because activities sit a layer above events.
"""

from sqlalchemy import select

from .. import access
from ..core.bus import publish
from ..core.errors import not_found
from ..core.tx import write_transaction
from ..core.validate import is_id
from ..events.copying import copy_setup
from ..events.models import Event
from ..ops.audit import audit
from .editing import copy_activity
from .models import Activity


def copy_event(user, event_id) -> Event:
    """A new event with the setup of event `event_id`, run by `user`; refused (403) unless
    access.may_copy_event, 404 for an unknown event."""
    if not is_id(event_id):
        raise not_found("event_not_found")
    with write_transaction() as session:
        source = session.get(Event, event_id)
        if source is None:
            raise not_found("event_not_found")
        access.require_copy_event(user, source)
        event = copy_setup(session, source, user)
        _copy_plan(session, source, event)
        audit(session, user, "event.copy", f"{event.code} from {source.code}", event.id)
    publish("event.created", event.id, event.version)
    return event


def _copy_plan(session, source: Event, event: Event) -> None:
    """The whole plan at the same places, poll options included, nothing residents sent. The
    proposal flow is the live one, as in a plan just begun (plan.bring_in_proposal_flow)."""
    for original in session.scalars(select(Activity).where(Activity.event_id == source.id)
                                    .order_by(Activity.position)):
        session.add(copy_activity(original, event.id, original.position,
                                  live=original.kind == "proposals"))
    session.flush()
