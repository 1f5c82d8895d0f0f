"""Socket.IO handlers: authenticate on connect, then call the same operations as forms and REST."""

import functools
import math
from dataclasses import dataclass

from flask import current_app, request, session
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room
from flask_wtf.csrf import ValidationError, validate_csrf

from ..core.errors import OperationError
from ..core.limits import address_key, client_address
from ..core.time import iso
from ..core.validate import form_number, is_id
from ..events import operations as event_ops
from ..events import questions, schedule, tables
from ..events.models import Event
from ..events.snapshot import snapshot
from ..extensions import db, socketio
from ..members.access import may_take_part
from ..participants import identity
from ..proposals import duplicates, merge, moderation, paper
from ..proposals import operations as proposal_ops
from . import event_room, ratelimit, staff_room
from .origins import origin_checker
from .relay import relay


@dataclass
class Connection:
    event_id: int
    token: str | None
    staff: bool
    # A referensgrupp: every call re-checks the membership, so a revoked member reads no more.
    group: bool = False


connections: dict[str, Connection] = {}


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
        staff = current_user.is_authenticated and current_user.can_manage(event)
        token = identity.token_for(event.id)
        if not staff and token is None:
            raise _refused("not_joined", _("Join the event first."))
        # Before the snapshot, the one costly part of a connect.
        _limit_connect("session", f"user:{current_user.id}" if staff
                       else f"participant:{event.id}:{token}")
        if not staff and not may_take_part(event, token):
            raise _refused("not_a_member",
                           _("Only invited members of this reference group can take part."))
        connections[request.sid] = Connection(event.id, token, staff,
                                              group=event.kind == "referensgrupp")
        join_room(event_room(event.id))
        if staff:
            join_room(staff_room(event.id))
        else:
            relay.presence(event.id, +1)
        state = snapshot(event, token, staff=staff)
        if staff:
            state["connected"] = relay.connected_total(event.id)
        socketio.emit("snapshot", state, to=request.sid)
    finally:
        db.session.remove()


@socketio.on("disconnect")
def on_disconnect(*_args):
    connection = connections.pop(request.sid, None)
    if connection and not connection.staff:
        relay.presence(connection.event_id, -1)


def _require_member(connection):
    event = db.session.get(Event, connection.event_id)
    if event is None or not may_take_part(event, connection.token):
        raise OperationError("not_a_member",
                             _("Only invited members of this reference group can take part."),
                             403)


def _rate_limited(connection) -> dict | None:
    wait = ratelimit.wait_seconds(current_app, request.sid, connection.event_id, connection.token)
    if not wait:
        return None
    seconds = max(1, math.ceil(wait))
    return {"ok": False, "error": "rate_limited", "retry_after": seconds,
            "message": _("Too many requests. Wait %(seconds)s seconds and try again.",
                         seconds=seconds)}


def handler(event_name: str, staff_only: bool = False):
    """Register a handler that answers through the ack: {"ok": true, ...} or an error."""

    def decorate(func):
        @socketio.on(event_name)
        @functools.wraps(func)
        def wrapper(data=None):
            connection = connections.get(request.sid)
            try:
                if connection is None:
                    raise OperationError("not_connected", _("Reconnect and try again."), 401)
                if limited := _rate_limited(connection):
                    return limited
                if staff_only and not connection.staff:
                    raise OperationError("forbidden", _("You are not allowed to do that."), 403)
                if connection.group and not connection.staff:
                    _require_member(connection)
                if data is None:
                    data = {}
                if not isinstance(data, dict):
                    raise OperationError("invalid_payload", _("The message must be an object."))
                return {"ok": True, **(func(connection, data) or {})}
            except OperationError as error:
                return {"ok": False, **error.to_dict()}
            except Exception:
                current_app.logger.exception("socket handler %s failed", event_name)
                return {"ok": False, "error": "server_error",
                        "message": _("Something went wrong. Try again.")}
            finally:
                db.session.remove()

        return wrapper

    return decorate


def _token_for(connection):
    return lambda event_id: connection.token if event_id == connection.event_id else None


@handler("snapshot")
def on_snapshot(connection, _data):
    event = event_ops.get_event(connection.event_id)
    state = snapshot(event, connection.token, staff=connection.staff)
    if connection.staff:
        state["connected"] = relay.connected_total(event.id)
    return {"state": state}


@handler("submit_proposal")
def on_submit(connection, data):
    return proposal_ops.submit_proposal(
        connection.event_id, connection.token, data.get("title"), data.get("body"),
        data.get("client_id"), focus_area_id=data.get("focus_area_id"),
        question_id=data.get("question_id"),
    )


@handler("vote")
def on_vote(connection, data):
    return proposal_ops.cast_vote(
        data.get("proposal_id"), _token_for(connection), data.get("client_id"), data.get("dots"),
        score=data.get("score"),
    )


@handler("withdraw_vote")
def on_withdraw(connection, data):
    return proposal_ops.withdraw_vote(
        data.get("proposal_id"), _token_for(connection), data.get("client_id")
    )


@handler("set_phase", staff_only=True)
def on_set_phase(connection, data):
    event = event_ops.change_phase(current_user, connection.event_id, data.get("phase"))
    return {"phase": event.phase, "version": event.version}


@handler("similar")
def on_similar(connection, data):
    event = event_ops.get_event(connection.event_id)
    return {"matches": duplicates.similar_to(event, data.get("title", ""), data.get("body"))}


@handler("add_paper_proposal", staff_only=True)
def on_add_paper(connection, data):
    return paper.add_paper_proposal(current_user, connection.event_id, data.get("title"),
                                    data.get("body"), data.get("table"),
                                    data.get("focus_area_id"))


@handler("scribe_proposal")
def on_scribe_proposal(connection, data):
    return paper.add_scribe_proposal(connection.event_id,
                                     tables.scribe_grant(connection.event_id),
                                     data.get("title"), data.get("body"),
                                     token=connection.token)


@handler("set_hand_count", staff_only=True)
def on_hand_count(connection, data):
    return paper.set_hand_count(current_user, data.get("proposal_id"), data.get("count"))


@handler("choose_table")
def on_choose_table(connection, data):
    return tables.choose_table(connection.event_id, connection.token, data.get("table"))


@handler("set_tables", staff_only=True)
def on_set_tables(connection, data):
    event = tables.set_table_count(current_user, connection.event_id, data.get("count"))
    return {"tables": tables.tables_info(event), "version": event.version}


@handler("reveal_tallies", staff_only=True)
def on_reveal(connection, data):
    event = event_ops.reveal_tallies(current_user, connection.event_id,
                                     data.get("revealed", True))
    return {"tallies_revealed": event.tallies_revealed, "version": event.version}


@handler("set_show_themes", staff_only=True)
def on_show_themes(connection, data):
    event = event_ops.set_show_themes(current_user, connection.event_id, data.get("show"))
    return {"show_themes": event.show_themes, "version": event.version}


@handler("set_timer", staff_only=True)
def on_set_timer(connection, data):
    event = event_ops.set_timer(current_user, connection.event_id, data.get("seconds"))
    return {"timer_ends_at": iso(event.timer_ends_at), "version": event.version}


@handler("hide_proposal", staff_only=True)
def on_hide(connection, data):
    return moderation.hide_proposal(current_user, data.get("proposal_id"), data.get("reason"))


@handler("approve_proposal", staff_only=True)
def on_approve(connection, data):
    return moderation.approve_proposal(current_user, data.get("proposal_id"))


@handler("restore_proposal", staff_only=True)
def on_restore(connection, data):
    return moderation.restore_proposal(current_user, data.get("proposal_id"), data.get("reason"))


@handler("edit_proposal", staff_only=True)
def on_edit(connection, data):
    return moderation.edit_proposal(current_user, data.get("proposal_id"), data.get("title"),
                                    data.get("body"), data.get("reason"))


@handler("merge_proposals", staff_only=True)
def on_merge(connection, data):
    return merge.merge_proposals(current_user, data.get("source_id"), data.get("target_id"),
                                 data.get("reason"), event_id=connection.event_id)


@handler("undo_merge", staff_only=True)
def on_undo_merge(connection, data):
    return merge.undo_merge(current_user, data.get("merge_id"), data.get("reason"),
                            event_id=connection.event_id)


@handler("set_schedule", staff_only=True)
def on_set_schedule(connection, data):
    event = schedule.set_schedule(current_user, connection.event_id, data.get("opens_at"),
                                  data.get("closes_at"))
    return {"opens_at": iso(event.opens_at), "closes_at": iso(event.closes_at),
            "version": event.version}


@handler("set_questions", staff_only=True)
def on_set_questions(connection, data):
    event = questions.set_questions(current_user, connection.event_id, data.get("questions"))
    return {"questions": questions.questions_info(event), "version": event.version}
