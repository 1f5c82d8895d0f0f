"""Socket.IO: authenticates connections, relays published domain events. No business rules."""

def event_room(event_id: int) -> str:
    return f"event:{event_id}"


def staff_room(event_id: int) -> str:
    return f"event:{event_id}:staff"
