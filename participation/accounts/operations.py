import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core.errors import OperationError
from ..core.tx import write_transaction
from ..core.validate import clean_text
from ..extensions import db
from .models import ROLES, ApiToken, User
from .sessions import end_sessions


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def _check_password(password) -> None:
    if not isinstance(password, str) or len(password) < 10:
        raise OperationError(
            "weak_password", _l("The password must be at least 10 characters."), field="password"
        )


def _clean_email(email) -> str:
    email = clean_text(email, "email", 254, multiline=False).lower()
    if "@" not in email or len(email) > 254:
        raise OperationError("invalid_email", _l("Enter a valid e-mail address."), field="email")
    return email


def create_or_update_user(email: str, role: str, password: str) -> User:
    """A new account, or new role and password for an existing one: then whoever was signed in
    with the old password is signed out everywhere."""
    email = _clean_email(email)
    if role not in ROLES:
        raise OperationError("invalid_role", _l("Unknown role."), field="role")
    _check_password(password)
    with write_transaction() as session:
        user = session.scalar(select(User).where(User.email == email))
        existed = user is not None
        if user is None:
            user = User(email=email, role=role)
            session.add(user)
        user.role = role
        user.set_password(password)
    if existed:
        end_sessions(user.id, "password_changed")
    return user


def change_password(user: User, new_password: str) -> None:
    """A new password; every session signed in with the old one ends (this one too: the
    caller signs the person in again if they are the one who changed it)."""
    _check_password(new_password)
    with write_transaction() as session:
        row = session.get(User, user.id)
        if row is None:
            raise OperationError("unknown_user", _l("No such staff account."), 404)
        row.set_password(new_password)
    end_sessions(user.id, "password_changed")


def sign_out_everywhere(email: str) -> User:
    """An admin's "sign out everywhere" for an account (`flask users signout EMAIL`)."""
    user = db.session.scalar(select(User).where(User.email == _clean_email(email)))
    if user is None:
        raise OperationError("unknown_user", _l("No staff account with that e-mail."), 404)
    end_sessions(user.id, "signout_everywhere")
    return user


def issue_token(email: str) -> str:
    token = ApiToken.generate()
    with write_transaction() as session:
        user = session.scalar(select(User).where(User.email == email.strip().lower()))
        if user is None:
            raise OperationError("unknown_user", _l("No staff account with that e-mail."), 404)
        session.add(ApiToken(user_id=user.id, digest=ApiToken.hash(token)))
    return token


def user_for_token(token: str) -> User | None:
    row = db.session.scalar(select(ApiToken).where(ApiToken.digest == ApiToken.hash(token)))
    return db.session.get(User, row.user_id) if row else None


_dummy: list[User] = []


def authenticate(email: str, password: str) -> User | None:
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
