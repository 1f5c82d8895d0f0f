"""The optional second factor: a TOTP authenticator app (RFC 6238: six digits every 30
seconds), with ten recovery codes for a lost phone. Set up in two steps (the secret, then a
code from the app proves it was scanned); at login, a code or a recovery code after the
password (staff/second_factor.py)."""

import re
import secrets
import time

import pyotp
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

from .. import access
from ..core.errors import OperationError
from ..core.time import utcnow
from ..core.tx import write_transaction
from ..extensions import db
from ..ops.audit import audit
from .models import RecoveryCode, User, digest
from .sealed import seal, unseal

RECOVERY_CODES = 10
# No 0/o, 1/l/i: a code copied from paper is read without doubt.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
SIX_DIGITS = re.compile(r"[0-9]{6}")
CODE_MAX = 40
# One step either side: a phone's clock a little off, or a code typed as it turned over.
WINDOW = 1


def _clock() -> float:
    return time.time()


def _user(session, user_id) -> User:
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        raise OperationError("unknown_user", _l("No staff account with that e-mail."), 404)
    return user


def _recovery_code() -> str:
    text = "".join(secrets.choice(ALPHABET) for _ in range(10))
    return f"{text[:5]}-{text[5:]}"


def _normal(code) -> str:
    if not isinstance(code, str):
        return ""
    return re.sub(r"[\s-]+", "", code[:CODE_MAX]).lower()


def enrolment(user_id: int) -> dict:
    """The secret to scan (as an otpauth:// URI) and to type by hand. Kept until confirmed,
    so reloading the page shows the same one the app may already hold."""
    with write_transaction() as session:
        user = _user(session, user_id)
        if user.totp_enabled:
            raise OperationError("mfa_on", _l("Two-step verification is already on."), 409)
        secret = unseal(user.totp_secret)
        if secret is None:
            secret = pyotp.random_base32()
            user.totp_secret = seal(secret)
        email = user.email
    uri = pyotp.TOTP(secret).provisioning_uri(name=email,
                                              issuer_name=current_app.config["MFA_ISSUER"])
    return {"secret": secret, "uri": uri}


def _matching_step(secret: str, code: str, after: int | None) -> int | None:
    """The time step this code belongs to, if it is current and newer than the last used."""
    if not SIX_DIGITS.fullmatch(code):
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(_clock())
    for step in range(now - WINDOW, now + WINDOW + 1):
        if (after is None or step > after) and secrets.compare_digest(
                totp.generate_otp(step), code):
            return step
    return None


def confirm_enrolment(user_id: int, code) -> list[str]:
    """A code from the app turns the second factor on; answers the recovery codes, the only
    time they are shown."""
    code = _normal(code)
    codes = [_recovery_code() for _ in range(RECOVERY_CODES)]
    with write_transaction() as session:
        user = _user(session, user_id)
        if user.totp_enabled:
            raise OperationError("mfa_on", _l("Two-step verification is already on."), 409)
        secret = unseal(user.totp_secret)
        step = secret and _matching_step(secret, code, None)
        if not step:
            raise OperationError("wrong_code", _l(
                "That code is not right. Type the six digits the app shows now."), field="code")
        user.totp_enabled_at, user.totp_last_step = utcnow(), step
        session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
        session.add_all(RecoveryCode(user_id=user.id, digest=digest(_normal(c))) for c in codes)
        audit(session, user, "account.mfa_on", user.email)
    return codes


def verify(user_id: int, code) -> str | None:
    """At login: "totp" for a current code from the app, "recovery" for an unused recovery
    code (now spent), None otherwise. A code from the app is accepted once."""
    code = _normal(code)
    if not code:
        return None
    with write_transaction() as session:
        user = _user(session, user_id)
        if not user.totp_enabled:
            return None
        if SIX_DIGITS.fullmatch(code):
            secret = unseal(user.totp_secret)
            step = secret and _matching_step(secret, code, user.totp_last_step)
            if not step:
                return None
            user.totp_last_step = step
            return "totp"
        spent = session.execute(
            update(RecoveryCode)
            .where(RecoveryCode.user_id == user.id, RecoveryCode.digest == digest(code),
                   RecoveryCode.used_at.is_(None))
            .values(used_at=utcnow()).returning(RecoveryCode.id)).scalar()
        if spent is None:
            return None
        audit(session, user, "account.recovery_code", user.email)
        return "recovery"


def recovery_codes_left(user_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))) or 0


def clear(session, user: User) -> None:
    """Inside a write transaction: no second factor, no recovery codes."""
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def turn_off(user_id: int, password: str, required_roles) -> None:
    """The person turns their own second factor off (their password first), unless their
    role must use one."""
    with write_transaction() as session:
        user = _user(session, user_id)
        if access.must_use_second_factor(user, required_roles):
            raise OperationError("mfa_required", _l(
                "Your role must use two-step verification."), 403)
        if not user.check_password(password or ""):
            raise OperationError("wrong_password", _l("That is not your current password."),
                                 field="password")
        clear(session, user)
        audit(session, user, "account.mfa_off", user.email)
