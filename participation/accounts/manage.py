"""What admins do to staff accounts (the accounts pages, and `flask users`): invite, change a
role, disable and enable, sign out everywhere, reset a lost second factor. Each checks
access.may_manage_accounts, is audited in its own transaction, and ends the person's sessions
after the commit where what they may do has changed."""

from types import SimpleNamespace

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import access
from ..core.errors import OperationError
from ..core.time import utcnow
from ..core.tx import write_transaction
from ..ops.audit import audit
from . import totp
from .models import ROLES, User
from .operations import clean_email, generate_password
from .resets import new_reset
from .sessions import end_sessions
from .tokens import revoke_tokens_in

# `flask users …` runs on the server itself: whoever has that shell is an administrator.
# Audited with no actor and this name.
COMMAND_LINE = SimpleNamespace(id=None, email="(flask users)", role=access.ADMIN)


def _account(session, user_id) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise OperationError("unknown_user", _l("No staff account with that e-mail."), 404)
    return user


def account_id(email: str) -> int:
    """For the command line: the account with this e-mail (404 when there is none)."""
    from ..extensions import db

    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise OperationError("unknown_user", _l("No staff account with that e-mail."), 404)
    return user.id


def _not_yourself(actor, user: User) -> None:
    # An admin who demotes or disables themselves could leave no admin at all.
    if actor.id is not None and actor.id == user.id:
        raise OperationError("own_account", _l(
            "You cannot do that to your own account; ask another admin."), 409)


def invite(actor, email: str, role: str) -> dict:
    """A new account with a role; it gets no usable password, only a set-password link."""
    access.require_manage_accounts(actor)
    email = clean_email(email)
    if role not in ROLES:
        raise OperationError("invalid_role", _l("Unknown role."), field="role")
    with write_transaction() as session:
        if session.scalar(select(User.id).where(User.email == email)) is not None:
            raise OperationError("account_exists", _l(
                "There is already an account with that e-mail."), 409, field="email")
        user = User(email=email, role=role)
        user.set_password(generate_password() + generate_password())  # never told to anyone
        session.add(user)
        session.flush()
        result = new_reset(session, user)
        audit(session, actor, "account.invite", f"{email} ({role})")
    return {**result, "user_id": user.id}


def change_role(actor, user_id: int, role: str) -> None:
    access.require_manage_accounts(actor)
    if role not in ROLES:
        raise OperationError("invalid_role", _l("Unknown role."), field="role")
    with write_transaction() as session:
        user = _account(session, user_id)
        _not_yourself(actor, user)
        if user.role == role:
            return
        before, user.role = user.role, role
        audit(session, actor, "account.role", f"{user.email}: {before} → {role}")
    end_sessions(user_id, "role_changed")


def disable(actor, user_id: int) -> None:
    access.require_manage_accounts(actor)
    with write_transaction() as session:
        user = _account(session, user_id)
        _not_yourself(actor, user)
        if not user.is_active:
            return
        user.disabled_at = utcnow()
        # Revoked, not only refused while disabled: enabling the account again must not
        # bring back tokens that may have leaked meanwhile.
        revoke_tokens_in(session, user)
        audit(session, actor, "account.disable", user.email)
    end_sessions(user.id, "disabled")  # after the commit: its sessions and staff sockets end


def enable(actor, user_id: int) -> None:
    access.require_manage_accounts(actor)
    with write_transaction() as session:
        user = _account(session, user_id)
        if user.is_active:
            return
        user.disabled_at = None
        audit(session, actor, "account.enable", user.email)


def sign_out_everywhere(actor, user_id: int) -> None:
    """Every session of the account ends; the person's own, or an admin's for anyone."""
    if getattr(actor, "id", None) != user_id:
        access.require_manage_accounts(actor)
    with write_transaction() as session:
        user = _account(session, user_id)
        audit(session, actor, "account.sign_out_all", user.email)
    end_sessions(user_id, "signed_out_everywhere")


def reset_second_factor(actor, user_id: int) -> None:
    """For a lost phone and used-up recovery codes: the second factor is off until the person
    sets it up again (at their next login, where their role requires it)."""
    access.require_manage_accounts(actor)
    with write_transaction() as session:
        user = _account(session, user_id)
        if user.totp_secret is None and not user.totp_enabled:
            return
        totp.clear(session, user)
        audit(session, actor, "account.mfa_reset", user.email)
    end_sessions(user_id, "second_factor_reset")
