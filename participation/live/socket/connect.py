"""Connecting: origin, CSRF token, the event, who this is (staff of the event, or a joined
phone that may take part), rate limits; then the rooms and the first snapshot."""

import math
from typing import Annotated, Literal, NotRequired

from flask import current_app, request, session
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room
from flask_wtf.csrf import ValidationError, validate_csrf
from pydantic import Field
from typing_extensions import TypedDict

from ... import access
from ...core.declare import request as declared_request
from ...core.validate import Id, form_number, is_id
from ...events.models import Event
from ...extensions import db, socketio
from ...participants import identity as participants
from ...web import identity
from ...web.limits import address_key, client_address
from ...web.sessions import session_key
from ..snapshot import state_for
from . import ratelimit
from .connections import Connection, connections
from .origins import origin_checker
from .presence import participant_key
from .relay import relay
from .rooms import event_room, staff_room
from .staff_sockets import staff_sockets

# Every reason a connect is refused, in the order they are checked.
REFUSALS = ("rate_limited", "bad_origin", "csrf_failed", "event_not_found", "not_joined",
            "not_a_member")


@declared_request
class ConnectAuth(TypedDict):
    """Socket.IO's `auth` object of the connect."""

    csrf_token: Annotated[str, Field(description=(
        "The page's csrf-token meta tag: the session cookie alone is never enough."))]
    event: NotRequired[Annotated[Id | None, Field(description=(
        "The event; phones may leave it out for the last event they joined (/j/<code>). "
        "Staff always send it."))]]


class RefusalData(TypedDict):
    error: Literal[REFUSALS]
    retry_after: NotRequired[Annotated[int, Field(ge=1, description=(
        "rate_limited: seconds before a reload may connect."))]]


class ConnectRefusal(TypedDict):
    """A refused connect: the payload of Socket.IO's CONNECT_ERROR packet (socket.io-client's
    connect_error gives it as err.message and err.data). Not retried by the client."""

    message: Annotated[str, Field(description="Translated, for people.")]
    data: RefusalData


def _origin_allowed() -> bool:
    return origin_checker(current_app)(request.headers.get("Origin"), request.environ)


def _requested_event_id(auth: dict):
    value = auth.get("event") or session.get("current_event")
    if isinstance(value, str):
        value = form_number(value)
    return value if is_id(value) else None


def _refused(code: str, message: str, **data) -> ConnectionRefusedError:
    # Arrives at the client as {"message": message, "data": {"error": code, **data}}.
    return ConnectionRefusedError(message, {"error": code, **data})


def _limit_connect(scope: str, key: str) -> None:
    wait = ratelimit.connect_wait(current_app, scope, key)
    if wait:
        seconds = max(1, math.ceil(wait))
        # socket.io-client does not retry a refused connect by itself: the page must reload.
        message = _("Too many connections. Wait %(seconds)s seconds and reload the page.",
                    seconds=seconds)
        raise _refused("rate_limited", message, retry_after=seconds)


def snapshot_for(event, connection: Connection) -> dict:
    state = state_for(event, connection.token, connection.staff)
    if connection.staff:
        state["connected"] = relay.connected_total(event.id)
    return state


@socketio.on("connect")
def on_connect(auth):
    try:
        # Every attempt counts against the address, before any other work is done for it.
        _limit_connect("ip", address_key(client_address(request.environ)))
        auth = auth if isinstance(auth, dict) else {}
        if not _origin_allowed():
            raise _refused("bad_origin", _("Wrong origin."))
        try:
            validate_csrf(auth.get("csrf_token"))
        except ValidationError:
            raise _refused("csrf_failed", _("Reload the page and try again.")) from None
        event_id = _requested_event_id(auth)
        event = db.session.get(Event, event_id) if event_id else None
        if event is None:
            raise _refused("event_not_found", _("We could not find that."))
        # The event's whole team joins the staff room (moderators included); each staff
        # command's operation then asks its own rule (access.may_manage or may_moderate).
        staff = current_user.is_authenticated and access.may_moderate(current_user, event)
        token = identity.token_for(event.id)
        if not staff and token is None:
            raise _refused("not_joined", _("Join the event first."))
        # Before the snapshot, the one costly part of a connect.
        _limit_connect("session", f"user:{current_user.id}" if staff
                       else f"participant:{event.id}:{token}")
        if not staff and not participants.may_take_part(event, token):
            raise _refused("not_a_member",
                           _("Only invited members of this reference group can take part."))
        connection = Connection(event.id, token, staff, group=event.is_group,
                                user_id=current_user.id if staff else None)
        if staff:
            connection.session_key = session_key()
            staff_sockets.opened(request.sid, connection.user_id, connection.session_key)
        connections[request.sid] = connection
        join_room(event_room(event.id))
        if staff:
            join_room(staff_room(event.id))
        else:
            relay.presence(event.id, participant_key(token), +1)
        socketio.emit("snapshot", snapshot_for(event, connection), to=request.sid)
    finally:
        db.session.remove()


@socketio.on("disconnect")
def on_disconnect(*_args):
    connection = connections.pop(request.sid, None)
    if connection and connection.staff:
        staff_sockets.closed(request.sid, connection.user_id)
    elif connection:
        relay.presence(connection.event_id, participant_key(connection.token), -1)
