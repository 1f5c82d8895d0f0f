"""AsyncAPI 3.0 of the live channel (Socket.IO), served at /api/v1/asyncapi.json.

Built from the two tables the socket code runs on: COMMANDS (live/socket/commands.py: name,
operation, who may call it, its payload's and its answer's declarations) and PUSHES
(live/socket/pushes.py: name, room, payload declaration), with the connect handshake of
connect.py. Seen from the server: a command is an operation it receives, with a reply (the
ack); a push is one it sends. docs/realtime.md tells the rest (versions, retries, rooms).
"""

from functools import cache
from typing import Literal

from ..live.socket.commands import COMMANDS, MANAGE, MODERATE, Command, Refused
from ..live.socket.connect import ConnectAuth, ConnectRefusal
from ..live.socket.pushes import PUSHES
from .schemas import Schemas, reachable

INFO = {
    "title": "participation live channel",
    "version": "1",
    "description": (
        "Socket.IO 4 (Engine.IO v4), default namespace `/`, on the web app's own host and "
        "port; at most 64 KiB per message, ping interval 10 s, timeout 10 s. A client emits "
        "a command with a JSON object and an acknowledgement callback; the ack is "
        "`{\"ok\": true, ...}` with the answer, or `{\"ok\": false, \"error\", \"message\", "
        "\"field\"?, \"retry_after\"?}`. Every write runs the same operation as the forms and "
        "REST (/api/v1/openapi.json), and pushes go out only after it has committed. Every "
        "push but `presence` carries the event's `version`: apply a push only if its version "
        "is newer than what the client holds, and ask for a `snapshot` after a gap. "
        "`x-who` on each command says who may call it: `moderate` (the event's team or an "
        "admin: access.may_moderate, decided at connect), `manage` (those who may run the "
        "event: access.may_manage, asked for each command; a team moderator is refused) — "
        "anyone else is refused `forbidden` — or "
        "`member` (any connection to the event; the operation checks joining, membership "
        "and the phase). Whole numbers (ids, counts) are written without a fraction: 1, not "
        "1.0. Texts in `message` are translated (Swedish unless the session chose English). "
        "docs/realtime.md tells the rest."),
}
SECURITY_SCHEMES = {
    "session": {
        "type": "httpApiKey", "in": "cookie", "name": "session",
        "description": (
            "The signed session cookie of the page (a phone that joined by /j/<code>, or a "
            "staff login). The cookie alone is never enough: the connect's auth also carries "
            "the page's CSRF token (csrf-token meta tag)."),
    },
}
SESSION = [{"$ref": "#/components/securitySchemes/session"}]
CHANNELS = {
    "socket": {"title": "This connection", "description": (
        "The client's own socket: it sends the connect and the commands (each acknowledged) "
        "and receives its snapshot on every connect and reconnect.")},
    "event": {"title": "The event's room", "address": "event:{event_id}", "description": (
        "Every connection to the event: phones, projector and console.")},
    "staff": {"title": "The event's staff room", "address": "event:{event_id}:staff",
              "description": "The event's staff connections only (projector and console)."},
}
EVENT_ID = {"event_id": {"description": "The event's id."}}
WHO = {MANAGE: "Those who may run the event (its creator, its team's facilitators, admins); "
              "anyone else gets `forbidden`.",
       MODERATE: "The event's team (its creator, facilitators and moderators) and admins; "
                 "anyone else gets `forbidden`.",
       "member": "Any connection to the event; the operation checks the rest."}


def _pascal(name: str) -> str:
    return "".join(part.title() for part in name.split("_"))


def acknowledged(command: Command) -> type:
    """The declaration of a command's ok ack: its answer, and "ok": true."""

    class Ack(command.answer):
        ok: Literal[True]

    Ack.__name__ = Ack.__qualname__ = f"{_pascal(command.name)}Ack"
    Ack.__doc__ = f"{command.name} was done: ok, and the answer."
    return Ack


def _ref(channel: str, message: str) -> dict:
    return {"$ref": f"#/channels/{channel}/messages/{message}"}


@cache
def _document() -> dict:
    acks = {name: acknowledged(command) for name, command in COMMANDS.items()}
    schemas = Schemas([ConnectAuth, ConnectRefusal, Refused]
                      + [command.request for command in COMMANDS.values()]
                      + list(acks.values()) + [push.payload for push in PUSHES.values()]).build()
    messages = {
        "connect": {"name": "connect", "title": "Connect", "payload": schemas.schema(ConnectAuth),
                    "summary": "Socket.IO's auth object of the connect, with the session "
                               "cookie; then the rooms and a snapshot."},
        "connect_error": {"name": "connect_error", "title": "Connect refused",
                          "payload": schemas.schema(ConnectRefusal),
                          "summary": "The refusal of a connect (CONNECT_ERROR); the page must "
                                     "reload to try again."},
        "refused": {"name": "ack", "title": "Refused", "payload": schemas.schema(Refused),
                    "summary": "Any command's ack when it is refused."},
    }
    channel_messages = {"socket": ["connect", "connect_error", "refused"], "event": [],
                        "staff": []}
    operations = {"connect": {
        "action": "receive", "channel": {"$ref": "#/channels/socket"},
        "summary": "Connect to one event, as its staff or as a phone that joined it.",
        "security": SESSION, "messages": [_ref("socket", "connect")],
        "reply": {"channel": {"$ref": "#/channels/socket"},
                  "messages": [_ref("socket", "connect_error")]}}}
    for name, command in COMMANDS.items():
        messages[name] = {"name": name, "title": name, "summary": command.summary,
                          "payload": schemas.schema(command.request)}
        messages[f"{name}.ack"] = {"name": "ack", "title": f"{name} done",
                                   "payload": schemas.schema(acks[name])}
        channel_messages["socket"] += [name, f"{name}.ack"]
        operations[name] = {
            "action": "receive", "channel": {"$ref": "#/channels/socket"},
            "summary": command.summary, "description": WHO[command.who],
            "tags": [{"name": command.who}], "x-who": command.who, "security": SESSION,
            "messages": [_ref("socket", name)],
            "reply": {"channel": {"$ref": "#/channels/socket"},
                      "messages": [_ref("socket", f"{name}.ack"), _ref("socket", "refused")]}}
    for name, push in PUSHES.items():
        channel = "socket" if push.room == "connection" else push.room
        messages[f"push.{name}"] = {"name": name, "title": name, "summary": push.summary,
                                    "payload": schemas.schema(push.payload)}
        channel_messages[channel].append(f"push.{name}")
        operations[f"push.{name}"] = {
            "action": "send", "channel": {"$ref": f"#/channels/{channel}"},
            "summary": push.summary, "x-room": push.room,
            "messages": [_ref(channel, f"push.{name}")]}
    channels = {}
    for key, channel in CHANNELS.items():
        channels[key] = channel | {"messages": {
            message: {"$ref": f"#/components/messages/{message}"}
            for message in channel_messages[key]}}
        if "address" in channel:
            channels[key]["parameters"] = EVENT_ID
    return {
        "asyncapi": "3.0.0",
        "info": INFO,
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"schemas": reachable(schemas.components, messages),
                       "messages": messages, "securitySchemes": SECURITY_SCHEMES},
    }


def document(host: str, scheme: str) -> dict:
    """The document for the server it is served from (Socket.IO runs on the same host)."""
    built = _document()
    return {"asyncapi": built["asyncapi"], "info": built["info"], "servers": {"live": {
        "host": host, "protocol": "wss" if scheme == "https" else "ws",
        "pathname": "/socket.io/", "security": SESSION,
        "description": "Socket.IO on the web app's own host (Engine.IO path /socket.io/)."}},
        **built}
