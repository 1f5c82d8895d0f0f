"""Moderation: approve, hide, restore, edit. Each keeps who, when and why in the audit trail."""

import json
from typing import Annotated, Literal, NotRequired

from flask_babel import lazy_gettext as _l
from pydantic import Field
from sqlalchemy import delete, select
from typing_extensions import TypedDict

from .. import access
from ..accounts.models import User
from ..core.bus import publish
from ..core.declare import Version, request
from ..core.errors import OperationError
from ..core.time import utcnow
from ..core.tx import write_transaction
from ..core.validate import clean_text
from ..extensions import db
from .models import BODY_MAX, TITLE_MAX, ModerationEntry, Vote
from .operations import locked_proposal
from .shapes import Body, StaffProposal, Title, shapes_of

REASON_MAX = 300
Reason = Annotated[str, Field(max_length=REASON_MAX, description="Everyone sees it.")]
ACTIONS = ("approve", "hide", "restore", "edit", "count", "merge", "unmerge")


class ModerationResult(TypedDict):
    proposal: StaffProposal
    version: Version


@request
class HideRequest(TypedDict):
    reason: Annotated[Reason, Field(min_length=1)]


@request
class RestoreRequest(TypedDict):
    reason: NotRequired[Reason | None]


@request
class EditRequest(TypedDict):
    title: Annotated[Title, Field(min_length=1)]
    body: NotRequired[Annotated[Body | None, Field(description=(
        "Left out or null: the body stays; an empty string clears it."))]]
    reason: Annotated[Reason, Field(min_length=1)]


class ModerationLogEntry(TypedDict):
    """Who moderated what, when and why."""

    proposal_id: int
    action: Literal[ACTIONS]
    reason: str | None
    by: Annotated[str | None, Field(description="The staff account.")]
    at: Annotated[str, Field(description="UTC, ISO 8601 to the second, with a Z.")]
    before: Annotated[dict[str, str | int] | None, Field(description=(
        "An edit: the title and body before; an undone merge: its ids."))]
    after: Annotated[dict[str, str | int] | None, Field(description=(
        "An edit: the title and body after; a merge: its ids."))]


def _moderate(user, proposal_id, action: str, change, reason=None) -> ModerationResult:
    """Lock the event, check the moderator, apply `change(proposal)`, log it, publish it."""
    with write_transaction() as session:
        proposal, event, version = locked_proposal(session, proposal_id)
        access.require_moderate(user, event)
        before = {"title": proposal.title, "body": proposal.body}
        extra = change(session, proposal) or {}
        after = {"title": proposal.title, "body": proposal.body}
        session.add(ModerationEntry(
            event_id=event.id, proposal_id=proposal.id, actor_id=user.id, action=action,
            reason=reason,
            before=json.dumps(before, ensure_ascii=False) if action == "edit" else None,
            after=json.dumps(after, ensure_ascii=False) if action == "edit" else None,
        ))
        shapes = shapes_of(proposal, event)
    publish("proposal.moderated", event.id, version, action=action, **shapes, **extra)
    return {"proposal": shapes["staff"], "version": version}


def _require_status(proposal, *allowed):
    if proposal.status not in allowed:
        messages = {
            "pending": _l("That proposal is waiting for approval."),
            "visible": _l("That proposal is already visible."),
            "hidden": _l("That proposal is already hidden."),
            "merged": _l("That proposal has already been merged with another."),
        }
        raise OperationError(f"already_{proposal.status}", messages[proposal.status], 409)


def approve_proposal(user, proposal_id) -> ModerationResult:
    def change(_session, proposal):
        _require_status(proposal, "pending")
        proposal.status = "visible"

    return _moderate(user, proposal_id, "approve", change)


def hide_proposal(user, proposal_id, reason) -> ModerationResult:
    reason = clean_text(reason, "reason", REASON_MAX, required=True, multiline=False)

    def change(session, proposal):
        _require_status(proposal, "pending", "visible")
        proposal.status = "hidden"
        proposal.hidden_reason = reason
        proposal.hidden_by_id = user.id
        proposal.hidden_at = utcnow()
        # A hidden proposal's votes are returned to the voters, so budgets stay spendable.
        refunded = session.execute(delete(Vote).where(Vote.proposal_id == proposal.id)).rowcount
        return {"refunded": refunded}

    return _moderate(user, proposal_id, "hide", change, reason)


def restore_proposal(user, proposal_id, reason=None) -> ModerationResult:
    reason = clean_text(reason, "reason", REASON_MAX, required=False, multiline=False) or None

    def change(_session, proposal):
        _require_status(proposal, "hidden")
        proposal.status = "visible"
        proposal.hidden_reason = None

    return _moderate(user, proposal_id, "restore", change, reason)


def edit_proposal(user, proposal_id, title, body, reason) -> ModerationResult:
    title = clean_text(title, "title", TITLE_MAX, required=True, multiline=False)
    # Leaving the body out keeps it; an empty string clears it.
    body = None if body is None else clean_text(body, "body", BODY_MAX, required=False)
    reason = clean_text(reason, "reason", REASON_MAX, required=True, multiline=False)

    def change(_session, proposal):
        new_body = proposal.body if body is None else body
        if (proposal.title, proposal.body) == (title, new_body):
            raise OperationError("unchanged", _l("The text is the same as before."), 409)
        proposal.title, proposal.body, proposal.edit_reason = title, new_body, reason

    return _moderate(user, proposal_id, "edit", change, reason)


def moderation_log(event_id: int) -> list[ModerationLogEntry]:
    rows = db.session.execute(
        select(ModerationEntry, User.email)
        .outerjoin(User, User.id == ModerationEntry.actor_id)
        .where(ModerationEntry.event_id == event_id)
        .order_by(ModerationEntry.id)
    )
    return [
        {
            "proposal_id": entry.proposal_id, "action": entry.action, "reason": entry.reason,
            "by": email, "at": entry.created_at.isoformat(timespec="seconds") + "Z",
            "before": json.loads(entry.before) if entry.before else None,
            "after": json.loads(entry.after) if entry.after else None,
        }
        for entry, email in rows
    ]
