"""The acknowledged Socket.IO commands: one table, name -> operation, who may call it, the
declarations of its payload and of its answer.

A client emits `name` with a JSON object and an ack callback; the answer is `{"ok": true, ...}`
with the operation's result, or `{"ok": false, "error": code, "message": ..., "field": ...}`.
Every command runs the same operation as the form and REST; the operation validates, commits,
publishes. `who`: "moderate" commands (moderation, merges, paper, hand counts) are for the
event's staff connections (access.may_moderate, checked at connect: its whole team), "manage"
commands (phase, countdown, settings, tables, the referensgrupp) also need access.may_manage,
asked for each command; anyone else gets `forbidden` before the operation runs. The operation
asks its rule again under the event's lock, so a colleague taken off the team a moment ago is
refused at once. "member" commands are for
any connection to the event (the operation checks joining, membership, the phase). The
AsyncAPI document (/api/v1/asyncapi.json) is built from this table; tests/test_asyncapi.py
checks real acks against it, tests/test_contract_inputs.py each `request` against `run`.
"""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Literal, NotRequired

from flask import current_app, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import Field
from typing_extensions import TypedDict

from ... import access
from ...backlog import similar as hints
from ...budgets import operations as budgets
from ...core.declare import Version, keys_of
from ...core.errors import OperationError
from ...core.time import iso
from ...events import operations as events
from ...events import questions, schedule, tables
from ...events.operations import get_event
from ...events.shapes import StaffEventShape
from ...extensions import db, socketio
from ...members import operations as members
from ...participants import identity as participants
from ...participants.operations import Seat, TableChoice, choose_table
from ...proposals import duplicates, merge, moderation, paper
from ...proposals import operations as proposals
from ...web import identity, writes
from ...web.draining import drain
from ...web.links import InvitationLink, SubmittedWithLink, with_follow_url, with_invite_url
from ..snapshot import ResidentState, StaffState
from . import ratelimit
from .connect import snapshot_for
from .connections import Connection, connections
from .requests import (
    AttendanceCommand,
    EditCommand,
    HandCountCommand,
    HideCommand,
    MemberRef,
    Nothing,
    ProposalRef,
    RestoreCommand,
    UndoCommand,
    VoteCommand,
    WithdrawCommand,
)

# Who may send a command: "manage" and "moderate" ones only a staff connection (the event's
# team, access.may_moderate at connect), "manage" ones only those who may manage the event
# (access.may_manage, asked again for each command); "member" ones any connection.
MANAGE, MODERATE, MEMBER = "manage", "moderate", "member"
STAFF = (MANAGE, MODERATE)
# Commands that write nothing: counted, but logged at DEBUG (`similar` runs while one types).
READS = {"snapshot", "similar"}


@dataclass(frozen=True)
class Command:
    name: str
    who: str  # MANAGE, MODERATE or MEMBER
    run: Callable[[Connection, dict], dict]  # the operation, called with the payload's fields
    summary: str
    request: type  # the payload's declaration (a TypedDict)
    answer: type  # the ok answer's declaration, without "ok"


class Refused(TypedDict):
    """A refused command: the operation's code and message, as REST gives them."""

    ok: Literal[False]
    error: Annotated[str, Field(description="Machine-readable code, e.g. wrong_phase.")]
    message: Annotated[str, Field(description="Translated, for people.")]
    field: NotRequired[Annotated[str, Field(description="The input it is about.")]]
    retry_after: NotRequired[Annotated[int, Field(ge=1, description=(
        "rate_limited: seconds to wait before the next command."))]]


class SnapshotAnswer(TypedDict):
    state: ResidentState | StaffState


class _EventFields:
    """The answer of an event write: the changed fields of the event, and its version."""

    def __init__(self, name: str, *fields: str):
        self.fields = fields
        declared = keys_of(StaffEventShape)
        self.shape = TypedDict(name, {f: declared[f] for f in fields} | {"version": Version})

    def __call__(self, event) -> dict:
        shape = {"phase": event.phase, "timer_ends_at": iso(event.timer_ends_at),
                 "tallies_revealed": event.tallies_revealed, "show_themes": event.show_themes,
                 "opens_at": iso(event.opens_at), "closes_at": iso(event.closes_at),
                 "voting_opens_at": iso(event.voting_opens_at),
                 "tables": tables.tables_info(event),
                 "questions": questions.questions_info(event)}
        return {f: shape[f] for f in self.fields} | {"version": event.version}


PHASE = _EventFields("PhaseChanged", "phase")
TIMER = _EventFields("TimerChanged", "timer_ends_at")
REVEALED = _EventFields("RevealChanged", "tallies_revealed")
THEMES_SHOWN = _EventFields("ThemesDisplayChanged", "show_themes")
TABLES = _EventFields("TablesChanged", "tables")
SCHEDULE = _EventFields("ScheduleChanged", "opens_at", "voting_opens_at", "closes_at")
QUESTIONS = _EventFields("QuestionsChanged", "questions")


def _snapshot(connection, _data):
    return {"state": snapshot_for(get_event(connection.event_id), connection)}


def _similar(connection, data):
    event = get_event(connection.event_id)
    return hints.similar(event, data.get("title", ""), data.get("body"), str(get_locale()))


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
    Command("snapshot", MEMBER, _snapshot, "The whole state again (after a merge, a refund).",
            Nothing, SnapshotAnswer),
    Command("submit_proposal", MEMBER, lambda c, d: with_follow_url(proposals.submit_proposal(
        c.event_id, c.token, d.get("title"), d.get("body"), d.get("client_id"),
        focus_area_id=d.get("focus_area_id"), question_id=d.get("question_id"),
        lang=d.get("lang"), hint=str(get_locale()))),
        "Write a proposal (idempotent by client_id); the answer has the person's follow link.",
        proposals.NewProposal, SubmittedWithLink),
    Command("vote", MEMBER, lambda c, d: proposals.cast_vote(
        d.get("proposal_id"), c.token_for, d.get("client_id"), d.get("dots"),
        score=d.get("score"), event_hint=c.event_id),
        "Vote, give dots or rate 1–5 (idempotent by client_id).",
        VoteCommand, proposals.VoteResult),
    Command("withdraw_vote", MEMBER, lambda c, d: proposals.withdraw_vote(
        d.get("proposal_id"), c.token_for, d.get("client_id"), d.get("dots"),
        event_hint=c.event_id),
        "Take back a vote, a rating, or dots (all, or `dots` of them).", WithdrawCommand,
        proposals.VoteResult),
    Command("budget_ballot", MEMBER, lambda c, d: budgets.submit_budget_ballot(
        c.event_id, c.token, d.get("measure_ids"), d.get("client_id")),
        "Save this person's budget ballot, replacing the earlier one (idempotent by client_id).",
        budgets.BudgetBallotRequest, budgets.BudgetBallotResult),
    Command("similar", MEMBER, _similar,
            "Shown proposals and public measures like the text being typed.",
            duplicates.SimilarRequest, hints.Matches),
    Command("choose_table", MEMBER, lambda c, d: choose_table(c.event_id, c.token, d.get("table")),
            "Sit at a table (null: none).", TableChoice, Seat),
    Command("scribe_proposal", MEMBER, _scribe,
            "A table's scribe enters the proposal the table agreed on.",
            paper.ScribeProposalRequest, paper.ScribeProposal),
    Command("set_show_name", MEMBER, lambda c, d: members.set_show_name(
        c.event_id, c.token, d.get("show")),
        "A referensgrupp member's consent to show their name with their proposals.",
        members.ShowName, members.ShowNameResult),
    Command("set_phase", MANAGE, _staff(events.change_phase, "phase", answer=PHASE),
            "Change the phase.", events.PhaseChange, PHASE.shape),
    Command("set_timer", MANAGE, _staff(events.set_timer, "seconds", answer=TIMER),
            "Start a countdown of `seconds` (0 or null stops it).", events.TimerChange,
            TIMER.shape),
    Command("reveal_tallies", MANAGE, lambda c, d: REVEALED(
        events.reveal_tallies(current_user, c.event_id, d.get("revealed", True))),
        "Show (or hide) the vote bars on the projector.", events.Reveal, REVEALED.shape),
    Command("set_show_themes", MANAGE, _staff(events.set_show_themes, "show",
                                             answer=THEMES_SHOWN),
            "Show (or hide) the theme cloud on the projector.", events.ThemesDisplay,
            THEMES_SHOWN.shape),
    Command("set_tables", MANAGE, _staff(tables.set_table_count, "count", answer=TABLES),
            "Set the number of tables.", tables.TableCount, TABLES.shape),
    Command("new_scribe_card", MANAGE, _staff(tables.new_scribe_card, "table"),
            "A new scribe card for a table; the old one stops working.",
            tables.ScribeCardRequest, tables.ScribeCard),
    Command("set_schedule", MANAGE, _staff(schedule.set_schedule, "opens_at", "closes_at",
                                          "voting_opens_at", answer=SCHEDULE),
            "When the event opens, opens its voting and closes on its own.",
            schedule.ScheduleChange,
            SCHEDULE.shape),
    Command("set_questions", MANAGE, _staff(questions.set_questions, "questions",
                                           answer=QUESTIONS),
            "Replace the question cards.", questions.QuestionCards, QUESTIONS.shape),
    Command("add_paper_proposal", MODERATE, _staff(paper.add_paper_proposal, "title", "body",
                                                "table", "focus_area_id"),
            "A proposal written on paper, typed in for a table.", paper.PaperProposalRequest,
            paper.PaperProposal),
    Command("set_hand_count", MODERATE, _staff_on(paper.set_hand_count, "proposal_id", "count"),
            "The hands counted in the room for a proposal.", HandCountCommand,
            paper.HandCount),
    Command("approve_proposal", MODERATE, _staff_on(moderation.approve_proposal, "proposal_id"),
            "Approve a proposal waiting for approval.", ProposalRef,
            moderation.ModerationResult),
    Command("hide_proposal", MODERATE, _staff_on(moderation.hide_proposal, "proposal_id",
                                                 "reason"),
            "Hide a proposal, with a reason everyone sees; its votes go back.", HideCommand,
            moderation.ModerationResult),
    Command("restore_proposal", MODERATE, _staff_on(moderation.restore_proposal, "proposal_id",
                                                    "reason"), "Show a hidden proposal again.",
            RestoreCommand, moderation.ModerationResult),
    Command("edit_proposal", MODERATE, _staff_on(moderation.edit_proposal, "proposal_id",
                                                 "title", "body", "reason"),
            "Edit a proposal's text, with a reason everyone sees.", EditCommand,
            moderation.ModerationResult),
    Command("merge_proposals", MODERATE, _staff_on(merge.merge_proposals, "source_id",
                                                   "target_id", "reason", in_event=True),
            "Merge a duplicate into another proposal; votes carry over.", merge.MergeRequest,
            merge.MergeResult),
    Command("undo_merge", MODERATE, _staff_on(merge.undo_merge, "merge_id", "reason",
                                          in_event=True), "Split a merge again.",
            UndoCommand, merge.UnmergeResult),
    Command("add_member", MANAGE, lambda c, d: with_invite_url(members.add_member(
        current_user, c.event_id, d.get("name"), d.get("email"), d.get("organisation"))),
        "Invite a referensgrupp member; the answer has the invitation link, once.",
        members.NewMember, InvitationLink),
    Command("revoke_member", MANAGE, _staff_on(members.revoke_member, "member_id"),
            "Revoke a member; their phones are disconnected.", MemberRef,
            members.MemberResult),
    Command("reissue_invitation", MANAGE, lambda c, d: with_invite_url(
        members.reissue_invitation(current_user, d.get("member_id"))),
        "A new invitation link; the old one stops working.", MemberRef, InvitationLink),
    Command("add_meeting", MANAGE, _staff(members.add_meeting, "title", "starts_at"),
            "A referensgrupp meeting.", members.NewMeeting, members.MeetingResult),
    Command("set_attendance", MANAGE, _staff_on(members.set_attendance, "meeting_id",
                                                  "member_id", "present"),
            "Mark a member present or absent at a meeting.", AttendanceCommand,
            members.AttendanceResult),
)}


def _rate_limited(connection) -> Refused | None:
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


def _still_signed_in(connection) -> bool:
    """A staff socket's session is read again for each command (web/sessions.py: never cached
    for staff): logged out, signed out everywhere, or a new password, and it is over."""
    return current_user.is_authenticated and current_user.id == connection.user_id


def answer(command: Command, data) -> dict:
    """Run one command for this socket, make its acknowledgement, and log and count it (the one
    place every socket write is answered, so the one place it is logged: web/writes.py)."""
    started = time.perf_counter()
    connection = connections.get(request.sid)
    with drain.command(request.sid):  # a graceful stop answers this before closing the socket
        ack = _run(command, connection, data)
    writes.record("socket", command.name, "ok" if ack.get("ok") else ack.get("error", "?"),
                  started, event_id=connection.event_id if connection else None,
                  request_id=writes.new_request_id(), read=command.name in READS)
    return ack


def _run(command: Command, connection: Connection | None, data) -> dict:
    try:
        if connection is None:
            raise OperationError("not_connected", _("Reconnect and try again."), 401)
        if limited := _rate_limited(connection):
            return limited
        if connection.staff and not _still_signed_in(connection):
            # Its session ended where no disconnect could reach (the CLI without Redis), or the
            # disconnect is on its way: this answer first, then the socket goes.
            socketio.start_background_task(socketio.server.disconnect, request.sid, "/")
            raise OperationError("signed_out", _("You are signed out. Log in again."), 401)
        if command.who in STAFF and not (connection.staff and (
                command.who == MODERATE
                or access.may_manage(current_user, get_event(connection.event_id)))):
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
