"""The acknowledged Socket.IO commands: one table, name -> operation, who may call it, answer.

A client emits `name` with a JSON object and an ack callback; the answer is `{"ok": true, ...}`
with the operation's result, or `{"ok": false, "error": code, "message": ..., "field": ...}`.
Every command runs the same operation as the form and REST; the operation validates, commits,
publishes. `who`: "staff" commands are for the event's staff (access.may_manage, checked at
connect) and anyone else gets `forbidden` before the operation runs; "member" commands are for
any connection to the event (the operation checks joining, membership, the phase). The
AsyncAPI document (/api/v1/asyncapi.json) is built from this table.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user

from ...core.errors import OperationError
from ...core.time import iso
from ...events import operations as events
from ...events import questions, schedule, tables
from ...events.operations import get_event
from ...extensions import db, socketio
from ...members import operations as members
from ...participants import identity as participants
from ...participants.operations import choose_table
from ...proposals import duplicates, merge, moderation, paper
from ...proposals import operations as proposals
from ...web import identity
from ...web.links import with_follow_url, with_invite_url
from . import ratelimit
from .connect import snapshot_for
from .connections import Connection, connections

STAFF, MEMBER = "staff", "member"


@dataclass(frozen=True)
class Command:
    name: str
    who: str  # STAFF or MEMBER
    run: Callable[[Connection, dict], dict]  # the operation, called with the payload's fields
    summary: str


def _event_fields(*fields: str):
    """The answer of an event write: the changed fields of the event, and its version."""
    def answer(event) -> dict:
        shape = {"phase": event.phase, "timer_ends_at": iso(event.timer_ends_at),
                 "tallies_revealed": event.tallies_revealed, "show_themes": event.show_themes,
                 "opens_at": iso(event.opens_at), "closes_at": iso(event.closes_at),
                 "tables": tables.tables_info(event),
                 "questions": questions.questions_info(event)}
        return {f: shape[f] for f in fields} | {"version": event.version}
    return answer


def _snapshot(connection, _data):
    return {"state": snapshot_for(get_event(connection.event_id), connection)}


def _similar(connection, data):
    event = get_event(connection.event_id)
    return {"matches": duplicates.similar_to(event, data.get("title", ""), data.get("body"))}


def _scribe(connection, data):
    return paper.add_scribe_proposal(connection.event_id,
                                     identity.scribe_grant(connection.event_id),
                                     data.get("title"), data.get("body"), token=connection.token)


def _staff(operation, *fields, answer=None):
    """A staff command: operation(user, event_id, *payload fields), its answer shaped."""
    def run(connection, data):
        result = operation(current_user, connection.event_id, *(data.get(f) for f in fields))
        return answer(result) if answer else result
    return run


def _staff_on(operation, *fields, in_event: bool = False):
    """A staff command on one row (a proposal, merge, member, meeting): operation(user,
    *payload fields); `in_event` also passes the connection's event, which the row must be in."""
    def run(connection, data):
        named = {"event_id": connection.event_id} if in_event else {}
        return operation(current_user, *(data.get(f) for f in fields), **named)
    return run


COMMANDS = {command.name: command for command in (
    Command("snapshot", MEMBER, _snapshot, "The whole state again (after a merge, a refund)."),
    Command("submit_proposal", MEMBER, lambda c, d: with_follow_url(proposals.submit_proposal(
        c.event_id, c.token, d.get("title"), d.get("body"), d.get("client_id"),
        focus_area_id=d.get("focus_area_id"), question_id=d.get("question_id"))),
        "Write a proposal (idempotent by client_id); the answer has the person's follow link."),
    Command("vote", MEMBER, lambda c, d: proposals.cast_vote(
        d.get("proposal_id"), c.token_for, d.get("client_id"), d.get("dots"),
        score=d.get("score")), "Vote, give dots or rate 1–5 (idempotent by client_id)."),
    Command("withdraw_vote", MEMBER, lambda c, d: proposals.withdraw_vote(
        d.get("proposal_id"), c.token_for, d.get("client_id")),
        "Take back a vote, dots or a rating."),
    Command("similar", MEMBER, _similar, "Shown proposals like the text being typed."),
    Command("choose_table", MEMBER, lambda c, d: choose_table(c.event_id, c.token, d.get("table")),
            "Sit at a table (null: none)."),
    Command("scribe_proposal", MEMBER, _scribe,
            "A table's scribe enters the proposal the table agreed on."),
    Command("set_show_name", MEMBER, lambda c, d: members.set_show_name(
        c.event_id, c.token, d.get("show")),
        "A referensgrupp member's consent to show their name with their proposals."),
    Command("set_phase", STAFF, _staff(events.change_phase, "phase",
                                       answer=_event_fields("phase")), "Change the phase."),
    Command("set_timer", STAFF, _staff(events.set_timer, "seconds",
                                       answer=_event_fields("timer_ends_at")),
            "Start a countdown of `seconds` (0 or null stops it)."),
    Command("reveal_tallies", STAFF, lambda c, d: _event_fields("tallies_revealed")(
        events.reveal_tallies(current_user, c.event_id, d.get("revealed", True))),
        "Show (or hide) the vote bars on the projector."),
    Command("set_show_themes", STAFF, _staff(events.set_show_themes, "show",
                                             answer=_event_fields("show_themes")),
            "Show (or hide) the theme cloud on the projector."),
    Command("set_tables", STAFF, _staff(tables.set_table_count, "count",
                                        answer=_event_fields("tables")),
            "Set the number of tables."),
    Command("new_scribe_card", STAFF, _staff(tables.new_scribe_card, "table"),
            "A new scribe card for a table; the old one stops working."),
    Command("set_schedule", STAFF, _staff(schedule.set_schedule, "opens_at", "closes_at",
                                          answer=_event_fields("opens_at", "closes_at")),
            "When the event opens and closes on its own."),
    Command("set_questions", STAFF, _staff(questions.set_questions, "questions",
                                           answer=_event_fields("questions")),
            "Replace the question cards."),
    Command("add_paper_proposal", STAFF, _staff(paper.add_paper_proposal, "title", "body",
                                                "table", "focus_area_id"),
            "A proposal written on paper, typed in for a table."),
    Command("set_hand_count", STAFF, _staff_on(paper.set_hand_count, "proposal_id", "count"),
            "The hands counted in the room for a proposal."),
    Command("approve_proposal", STAFF, _staff_on(moderation.approve_proposal, "proposal_id"),
            "Approve a proposal waiting for approval."),
    Command("hide_proposal", STAFF, _staff_on(moderation.hide_proposal, "proposal_id",
                                                 "reason"),
            "Hide a proposal, with a reason everyone sees; its votes go back."),
    Command("restore_proposal", STAFF, _staff_on(moderation.restore_proposal, "proposal_id",
                                                    "reason"), "Show a hidden proposal again."),
    Command("edit_proposal", STAFF, _staff_on(moderation.edit_proposal, "proposal_id",
                                                 "title", "body", "reason"),
            "Edit a proposal's text, with a reason everyone sees."),
    Command("merge_proposals", STAFF, _staff_on(merge.merge_proposals, "source_id",
                                                   "target_id", "reason", in_event=True),
            "Merge a duplicate into another proposal; votes carry over."),
    Command("undo_merge", STAFF, _staff_on(merge.undo_merge, "merge_id", "reason",
                                          in_event=True), "Split a merge again."),
    Command("add_member", STAFF, lambda c, d: with_invite_url(members.add_member(
        current_user, c.event_id, d.get("name"), d.get("email"), d.get("organisation"))),
        "Invite a referensgrupp member; the answer has the invitation link, once."),
    Command("revoke_member", STAFF, _staff_on(members.revoke_member, "member_id"),
            "Revoke a member; their phones are disconnected."),
    Command("reissue_invitation", STAFF, lambda c, d: with_invite_url(
        members.reissue_invitation(current_user, d.get("member_id"))),
        "A new invitation link; the old one stops working."),
    Command("add_meeting", STAFF, _staff(members.add_meeting, "title", "starts_at"),
            "A referensgrupp meeting."),
    Command("set_attendance", STAFF, _staff_on(members.set_attendance, "meeting_id",
                                                  "member_id", "present"),
            "Mark a member present or absent at a meeting."),
)}


def _rate_limited(connection) -> dict | None:
    wait = ratelimit.wait_seconds(current_app, request.sid, connection.event_id, connection.token)
    if not wait:
        return None
    seconds = max(1, math.ceil(wait))
    return {"ok": False, "error": "rate_limited", "retry_after": seconds,
            "message": _("Too many requests. Wait %(seconds)s seconds and try again.",
                         seconds=seconds)}


def _require_member(connection):
    """A referensgrupp re-checks the membership on every call: a revoked member reads no more."""
    participants.require_take_part(db.session, get_event(connection.event_id), connection.token)


def answer(command: Command, data) -> dict:
    """Run one command for this socket and make its acknowledgement."""
    connection = connections.get(request.sid)
    try:
        if connection is None:
            raise OperationError("not_connected", _("Reconnect and try again."), 401)
        if limited := _rate_limited(connection):
            return limited
        if command.who == STAFF and not connection.staff:
            raise OperationError("forbidden", _("You are not allowed to do that."), 403)
        if connection.group and not connection.staff:
            _require_member(connection)
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise OperationError("invalid_payload", _("The message must be an object."))
        return {"ok": True, **(command.run(connection, data) or {})}
    except OperationError as error:
        return {"ok": False, **error.to_dict()}
    except Exception:
        current_app.logger.exception("socket command %s failed", command.name)
        return {"ok": False, "error": "server_error",
                "message": _("Something went wrong. Try again.")}
    finally:
        db.session.remove()


def _register(command: Command):
    def handler(data=None):
        return answer(command, data)

    handler.__name__ = f"on_{command.name}"
    socketio.on_event(command.name, handler)


for _command in COMMANDS.values():
    _register(_command)
