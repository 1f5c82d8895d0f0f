"""Relays the referensgrupp's domain events: membership counts and attendance to the staff
room, renamed proposals (a member's consent changed) like any other proposal push, and closes
a revoked member's sockets."""

from ..core.bus import published
from ..extensions import socketio
from . import event_room, handlers, staff_room

_subscribed = False


def _on_published(domain_event):
    name, event_id, version = domain_event.name, domain_event.event_id, domain_event.version
    data = domain_event.data
    if name == "members.changed":
        socketio.emit("members", {"version": version, "counts": data["counts"]},
                      to=staff_room(event_id))
    elif name == "meeting.changed":
        socketio.emit("meeting", {"version": version, "meeting": data["meeting"]},
                      to=staff_room(event_id))
    elif name == "member.revoked":
        # A revoked member's phones stop receiving the group's pushes at once.
        for sid, connection in list(handlers.connections.items()):
            if (connection.event_id == event_id and not connection.staff
                    and connection.token == data["participant_token"]):
                socketio.server.disconnect(sid, namespace="/")
    elif name == "proposal.updated":
        for item in data["proposals"]:
            socketio.emit("staff_proposal", {"version": version, "proposal": item["full"]},
                          to=staff_room(event_id))
            if item["proposal"]["status"] != "pending":
                socketio.emit("proposal", {"version": version, "proposal": item["proposal"]},
                              to=event_room(event_id))


def init_app(_app):
    global _subscribed
    if not _subscribed:
        published.connect(_on_published, weak=False)
        _subscribed = True
