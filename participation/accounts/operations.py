import re
import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core.errors import OperationError
from ..core.tx import write_transaction
from ..core.validate import clean_text
from ..extensions import db
from ..ops.audit import audit
from .models import ROLES, User
from .sessions import end_sessions
from .tokens import revoke_tokens_in

# NCSC and NIST advice: length over composition rules; long enough for a passphrase.
PASSWORD_MIN = 12
PASSWORD_MAX = 200
# A plain work address: no markup, no spreadsheet formula (=, +, -, @ first), no spaces.
EMAIL = re.compile(r"[a-z0-9][a-z0-9._%+'-]*@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
                   r"(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+")


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def clean_email(email: str) -> str:
    email = clean_text(email, "email", 254, multiline=False).strip().lower()
    if not EMAIL.fullmatch(email):
        raise OperationError("invalid_email", _l("Enter a valid e-mail address."), field="email")
    return email


def check_new_password(password, field: str = "password") -> str:
    if not isinstance(password, str) or len(password) < PASSWORD_MIN:
        raise OperationError("weak_password", _l(
            "The password must be at least %(n)d characters.", n=PASSWORD_MIN), field=field)
    if len(password) > PASSWORD_MAX:
        raise OperationError("invalid_password", _l(
            "The password can be at most %(n)d characters.", n=PASSWORD_MAX), field=field)
    return password


def create_or_update_user(email: str, role: str, password: str) -> User:
    """`flask users create`: a new account, or a new role or password for an existing one
    (whose sessions and API tokens then end; the same role and password again change
    nothing)."""
    email = clean_email(email)
    if role not in ROLES:
        raise OperationError("invalid_role", _l("Unknown role."), field="role")
    check_new_password(password)
    with write_transaction() as session:
        user = session.scalar(select(User).where(User.email == email))
        # Run again with the same role and password (configuration management does): nothing
        # changes, nobody is signed out.
        changed = user is not None and (user.role != role or not user.check_password(password))
        if user is None:
            user = User(email=email, role=role)
            user.set_password(password)
            session.add(user)
            session.flush()
            audit(session, None, "account.create", f"{email} ({role})")
        elif changed:
            before = user.role
            user.role = role
            user.set_password(password)
            revoke_tokens_in(session, user)  # a new password ends what the old one started
            audit(session, None, "account.set", f"{email}: {before} → {role}, new password")
    if changed:
        end_sessions(user.id, "password_changed")
    return user


def change_password(user_id: int, current: str, new: str) -> User:
    """A staff member changes their own password: the current one first. Every session of
    theirs ends (the caller starts a new one for this browser)."""
    check_new_password(new, "new_password")
    with write_transaction() as session:
        user = session.get(User, user_id)
        if user is None or not user.is_active:
            raise OperationError("unknown_user", _l("No staff account with that e-mail."), 404)
        if not user.check_password(current or ""):
            raise OperationError("wrong_password", _l("That is not your current password."),
                                 field="current_password")
        user.set_password(new)
        revoke_tokens_in(session, user)  # a token made with the old password goes with it
        audit(session, user, "account.password", user.email)
    end_sessions(user.id, "password_changed")
    return user


_dummy: list[User] = []


def authenticate(email: str, password: str) -> User | None:
    """The account when the password is right (disabled or not: the caller says which)."""
    try:
        email = clean_text(email, "email", 254, multiline=False).lower()
    except OperationError:
        email = None  # answered as a wrong e-mail, with the same hashing time
    user = email and db.session.scalar(select(User).where(User.email == email))
    if user is None:
        # Hash anyway, so the time taken does not tell whether the account exists.
        if not _dummy:
            _dummy.append(User(email="", role="facilitator"))
            _dummy[0].set_password(secrets.token_urlsafe(16))
        _dummy[0].check_password(password)
        return None
    return user if user.check_password(password) else None
