"""audit(): one call inside a staff operation's write transaction."""

from typing import Annotated

from pydantic import Field
from sqlalchemy import select
from typing_extensions import TypedDict

from ..extensions import db
from .models import StaffAudit

TARGET_MAX = 120


class AuditEntry(TypedDict):
    id: int
    at: Annotated[str, Field(description="UTC, ISO 8601 with a Z.")]
    actor: Annotated[str | None, Field(description="The staff e-mail then.")]
    action: Annotated[str, Field(description=(
        "e.g. login, logout, event.create, event.phase, event.timer, event.tables, "
        "event.reveal, event.themes; staff accounts: account.invite, account.role, "
        "account.disable, account.enable, account.reset_link, account.sign_out_all, "
        "account.mfa_reset, account.password, account.password_reset, account.mfa_on, "
        "account.mfa_off, account.recovery_code"))]
    event_id: int | None
    target: str | None


def audit(session, user, action: str, target=None, event_id: int | None = None) -> None:
    """Record a staff action in the same transaction as the action itself."""
    session.add(StaffAudit(
        actor_id=getattr(user, "id", None), actor=getattr(user, "email", None), action=action,
        event_id=event_id, target=None if target is None else str(target)[:TARGET_MAX]))


def record(user, action: str, target=None, event_id: int | None = None) -> None:
    """For a staff action that writes nothing else (logging in or out): its own transaction."""
    from ..core.tx import write_transaction

    with write_transaction() as session:
        audit(session, user, action, target, event_id)


def entry_dict(entry: StaffAudit) -> AuditEntry:
    from ..core.time import iso

    return {"id": entry.id, "at": iso(entry.created_at), "actor": entry.actor,
            "action": entry.action, "event_id": entry.event_id, "target": entry.target}


def recent(limit: int = 200, before: int | None = None) -> list[AuditEntry]:
    query = select(StaffAudit).order_by(StaffAudit.id.desc()).limit(limit)
    if before is not None:
        query = query.where(StaffAudit.id < before)
    return [entry_dict(e) for e in db.session.scalars(query)]
