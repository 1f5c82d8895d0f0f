"""One-time links to set a password: after an admin's reset, or the first password of an
invited account. Only a digest of the token is stored; the link is shown once (and mailed
when SMTP is configured). A link works once, for 24 hours, and a newer link replaces it."""

import secrets
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update

from .. import access
from ..core.errors import OperationError
from ..core.time import iso, utcnow
from ..core.tx import write_transaction
from ..extensions import db
from ..ops.audit import audit
from .models import PasswordReset, User, digest
from .operations import check_new_password
from .sessions import end_sessions
from .tokens import revoke_tokens_in

VALID_FOR = timedelta(hours=24)
TOKEN_MAX = 100


def new_reset(session, user: User) -> dict:
    """Inside the caller's write transaction: a fresh link for this account; its earlier
    unused links stop working."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.execute(delete(PasswordReset).where(PasswordReset.user_id == user.id,
                                                PasswordReset.used_at.is_(None)))
    session.add(PasswordReset(user_id=user.id, digest=digest(token), created_at=now,
                              expires_at=now + VALID_FOR))
    return {"email": user.email, "reset_token": token, "expires_at": iso(now + VALID_FOR)}


def issue_reset(actor, user_id: int) -> dict:
    """An admin makes a reset link for an account, to hand on (or mail)."""
    access.require_manage_accounts(actor)
    with write_transaction() as session:
        user = session.get(User, user_id)
        if user is None:
            raise OperationError("unknown_user", _l("No staff account with that e-mail."), 404)
        if not user.is_active:
            raise OperationError("account_disabled",
                                 _l("The account is disabled: enable it first."), 409)
        result = new_reset(session, user)
        audit(session, actor, "account.reset_link", user.email)
    return result


def invalid_link() -> OperationError:
    return OperationError("invalid_link", _l(
        "This link is not valid: it has been used, has expired or was replaced by a newer one. "
        "Ask an administrator for a new link."), 404)


def _valid(token) -> PasswordReset | None:
    if not isinstance(token, str) or not token or len(token) > TOKEN_MAX:
        return None
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.digest == digest(token)))
    if reset is None or reset.used_at is not None or reset.expires_at <= utcnow():
        return None
    user = db.session.get(User, reset.user_id)
    return reset if user is not None and user.is_active else None


def reset_email(token) -> str | None:
    """The account a link sets the password of, while the link is valid; else None."""
    reset = _valid(token)
    return db.session.get(User, reset.user_id).email if reset else None


def use_reset(token, password: str) -> User:
    """Set the password with the link; the link is spent, and every session of the account
    ends. Two tabs sending the same link at once: exactly one wins (the conditional UPDATE)."""
    check_new_password(password)
    refused = invalid_link()
    if _valid(token) is None:
        raise refused
    now = utcnow()
    with write_transaction() as session:
        spent = session.execute(
            update(PasswordReset)
            .where(PasswordReset.digest == digest(token), PasswordReset.used_at.is_(None),
                   PasswordReset.expires_at > now)
            .values(used_at=now).returning(PasswordReset.user_id))
        user_id = spent.scalar()
        user = session.get(User, user_id) if user_id is not None else None
        if user is None or not user.is_active:
            raise refused
        user.set_password(password)
        revoke_tokens_in(session, user)  # a reset is often a suspected leak: tokens go too
        audit(session, user, "account.password_reset", user.email)
    end_sessions(user.id, "password_reset")
    return user
