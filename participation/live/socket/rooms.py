"""The two rooms of an event: every connection joins `event:<id>`; the event's staff (console,
projector) also join `event:<id>:staff`, where staff shapes, tallies and presence go."""


def event_room(event_id: int) -> str:
    return f"event:{event_id}"


def staff_room(event_id: int) -> str:
    return f"event:{event_id}:staff"


ROOMS = {"event": event_room, "staff": staff_room}
