"""A proposal's number within its event: #1, #2, … as residents and facilitators call it.

Ids stay global (URLs, the API, foreign keys); the number is what screens print. It is handed
out inside the write transaction that inserts the proposal, from a counter on the event's row
(events.last_proposal_number). Every write on an event locks that row first
(events.operations.lock_event_where: PostgreSQL's row lock, SQLite's BEGIN IMMEDIATE), so two
proposals written at the same moment are numbered one after the other, never alike; the unique
constraint (event_id, number) would refuse a duplicate anyway. A counter, not the highest
number so far: a number erased with its proposal is never given to another one.
"""

from ..events.models import Event


def next_number(event: Event) -> int:
    """Inside the event's locked write transaction: the next number, counted on the event."""
    event.last_proposal_number = (event.last_proposal_number or 0) + 1
    return event.last_proposal_number
