"""What every resident's write to an activity checks first, in one place: the activity's event
locked (its version bumped, as every write on an event does), a joined resident who may take
part, the client_id's receipt (a retry replays), an open event, and an activity of the right
kind that is live now (409 not_live otherwise). poll.py, panel.py and evaluation.py write
after it."""

from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core.errors import OperationError, not_found
from ..core.validate import is_id
from ..events.models import Event
from ..events.operations import lock_event_where
from ..participants import identity
from ..proposals.operations import person_for
from .models import Activity


class Locked(NamedTuple):
    event: Event
    version: int
    participant: object
    activity: Activity


def not_live() -> OperationError:
    return OperationError("not_live", _l(
        "This activity is not running now. Follow what the facilitator shows."), 409)


def live_activity_write(session, activity_id, token: str, client_id: str, receipt_kind: str,
                        kind: str, *, activity_of=None) -> Locked:
    """Lock the event of `activity_id` (or of the activity `activity_of` names: a
    subquery giving the activity id, as for a like on a question) and check the writer."""
    if activity_of is None:
        if not is_id(activity_id):
            raise not_found("activity_not_found")
        activity_of = activity_id
    event = lock_event_where(session, Event.id == select(Activity.event_id).where(
        Activity.id == activity_of).scalar_subquery())
    if event is None:
        raise not_found("activity_not_found")
    identity.require_take_part(session, event, token)
    participant = person_for(session, event.id, token, client_id, receipt_kind)
    if event.phase == "closed":
        raise OperationError("event_closed", _l("The event is closed."), 409)
    activity = session.scalar(select(Activity).where(Activity.id == activity_of))
    if activity is None:  # removed (or its question erased) while this write waited
        raise not_found("activity_not_found")
    if activity.kind != kind:
        raise OperationError("wrong_activity", _l(
            "This activity takes another kind of answer."), 409)
    if not activity.live:
        raise not_live()
    return Locked(event, event.version, participant, activity)
