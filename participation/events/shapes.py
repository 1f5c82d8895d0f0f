"""What an event looks like to those who see it: the same dict on pages, pushes and REST.

Nothing here is secret: the scribe cards' secrets and the staff's own settings are added by
the staff shape only. Links (join_url) are the screens' business; they add them.
"""

from ..core.time import iso
from .tables import tables_info


def event_shape(event) -> dict:
    """Every viewer of the event: residents, the projector, the console, REST."""
    return {
        "id": event.id,
        "code": event.code,
        "title": event.title,
        "prompt": event.prompt,
        "kind": event.kind,
        "phase": event.phase,
        "voting": event.voting_dict(),
        "moderation": event.moderation,
        "timer_ends_at": iso(event.timer_ends_at),
        "hide_tallies": event.hide_tallies,
        "tallies_revealed": event.tallies_revealed,
        "shuffle_ballot": event.shuffle_ballot,
        "focus_areas": [{"id": f.id, "name": f.name} for f in event.focus_areas],
        "questions": [{"id": q.id, "text": q.text} for q in event.questions],
        "opens_at": iso(event.opens_at),
        "closes_at": iso(event.closes_at),
        "tables": tables_info(event),
    }


def staff_event_shape(event) -> dict:
    """The event's staff: also what only the console and projector use."""
    return event_shape(event) | {"show_themes": event.show_themes}


def summary_shape(event) -> dict:
    """One line of a list of events (the dashboard, the review's event list)."""
    return {"id": event.id, "code": event.code, "title": event.title, "kind": event.kind,
            "phase": event.phase, "voting": event.voting_dict(),
            "created_at": iso(event.created_at), "created_by_id": event.created_by_id}
