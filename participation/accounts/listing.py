"""What the accounts pages show of staff accounts: plain dicts, never the rows."""

from datetime import datetime

from sqlalchemy import func, select
from typing_extensions import TypedDict

from ..core.time import iso
from ..extensions import db
from ..ops.models import StaffAudit
from .models import User


class Account(TypedDict):
    id: int
    email: str
    role: str
    mfa: bool
    disabled: bool
    disabled_at: str | None
    created_at: str | None
    last_login: str | None


def _shape(user: User, last_login: datetime | None) -> Account:
    return {"id": user.id, "email": user.email, "role": user.role, "mfa": user.totp_enabled,
            "disabled": not user.is_active, "disabled_at": iso(user.disabled_at),
            "created_at": iso(user.created_at), "last_login": iso(last_login)}


def _last_logins(user_ids=None) -> dict[int, datetime]:
    # The audit log already has every login (staff/accounts.py sign_in).
    query = (select(StaffAudit.actor_id, func.max(StaffAudit.created_at))
             .where(StaffAudit.action == "login").group_by(StaffAudit.actor_id))
    if user_ids is not None:
        query = query.where(StaffAudit.actor_id.in_(user_ids))
    return dict(db.session.execute(query).all())


def accounts() -> list[Account]:
    users = db.session.scalars(select(User).order_by(User.email)).all()
    logins = _last_logins()
    return [_shape(user, logins.get(user.id)) for user in users]


def account(user_id: int) -> Account | None:
    user = db.session.get(User, user_id)
    return _shape(user, _last_logins([user.id]).get(user.id)) if user else None
