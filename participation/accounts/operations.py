import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core.errors import OperationError
from ..core.tx import write_transaction
from ..core.validate import clean_text
from ..extensions import db
from .models import ROLES, User


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def create_or_update_user(email: str, role: str, password: str) -> User:
    email = clean_text(email, "email", 254, multiline=False).lower()
    if "@" not in email or len(email) > 254:
        raise OperationError("invalid_email", _l("Enter a valid e-mail address."), field="email")
    if role not in ROLES:
        raise OperationError("invalid_role", _l("Unknown role."), field="role")
    if len(password) < 10:
        raise OperationError(
            "weak_password", _l("The password must be at least 10 characters."), field="password"
        )
    with write_transaction() as session:
        user = session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(email=email, role=role)
            session.add(user)
        user.role = role
        user.set_password(password)
    return user


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
