"""audit(): one call inside a staff operation's write transaction."""

from sqlalchemy import select

from ..extensions import db
from .models import StaffAudit

TARGET_MAX = 120


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


def entry_dict(entry: StaffAudit) -> dict:
    from ..core.time import iso

    return {"id": entry.id, "at": iso(entry.created_at), "actor": entry.actor,
            "action": entry.action, "event_id": entry.event_id, "target": entry.target}


def recent(limit: int = 200, before: int | None = None) -> list[dict]:
    query = select(StaffAudit).order_by(StaffAudit.id.desc()).limit(limit)
    if before is not None:
        query = query.where(StaffAudit.id < before)
    return [entry_dict(e) for e in db.session.scalars(query)]
