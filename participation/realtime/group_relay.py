"""Closes a revoked referensgrupp member's open sockets in this process. The group's other
pushes (membership counts, attendance, renamed proposals) go through the relay like any other."""

from ..core.bus import published
from ..extensions import socketio
from . import handlers

_subscribed = False


def _on_published(domain_event):
    if domain_event.name != "member.revoked":
        return
    # A revoked member's phones stop receiving the group's pushes at once.
    for sid, connection in list(handlers.connections.items()):
        if (connection.event_id == domain_event.event_id and not connection.staff
                and connection.token == domain_event.data["participant_token"]):
            socketio.server.disconnect(sid, namespace="/")


def init_app(_app):
    global _subscribed
    if not _subscribed:
        published.connect(_on_published, weak=False)
        _subscribed = True
