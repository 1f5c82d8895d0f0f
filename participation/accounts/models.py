import hashlib
import secrets
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from ..core.time import utcnow
from ..extensions import db

ROLES = ("facilitator", "reviewer", "admin")


class User(db.Model):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('facilitator', 'reviewer', 'admin')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when an admin disables the account: it keeps its history but can no longer log in.
    disabled_at: Mapped[datetime | None] = mapped_column(default=None)
    # The TOTP secret, encrypted (accounts/sealed.py), never in a shape or an answer. Set
    # while the person enrols; the second factor counts only once totp_enabled_at is set.
    totp_secret: Mapped[str | None] = mapped_column(String(255), default=None)
    totp_enabled_at: Mapped[datetime | None] = mapped_column(default=None)
    # The last 30-second step a code was accepted for: the same code never works twice.
    totp_last_step: Mapped[int | None] = mapped_column(default=None)
    # Raised by accounts/sessions.end_sessions: every session signed in before it is over.
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")

    # The members Flask-Login asks of a logged-in user (web/auth.py), said here so that the
    # domain needs no import from the login library. A disabled account is not active: its
    # sessions stop loading (web/auth.py load_user) and login_user refuses it.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None

    @property
    def totp_enabled(self) -> bool:
        return self.totp_enabled_at is not None

    def get_id(self) -> str:
        # Flask-Login's "alternative token": the session names the account and the epoch it
        # was signed in at, so raising the epoch ends every session at once (web/auth.py).
        return f"{self.id}:{self.session_epoch or 0}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


TOKEN_NAME_MAX = 80


class ApiToken(db.Model):
    """Bearer tokens are stored only as a SHA-256 digest; the token itself is shown once.

    A token is live until `expires_at` or until it is revoked (`revoked_at`); rows are kept
    after either, so the owner's list still says what ended and when.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(TOKEN_NAME_MAX))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    # Written at most once a minute (accounts/tokens.py), so reads stay reads.
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    def state(self, now: datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= now else "active"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return "pt_" + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """How one-time secrets (reset links, recovery codes) are stored: long random values need
    no slow hash, and only the digest is kept."""
    return hashlib.sha256(secret.encode()).hexdigest()


class PasswordReset(db.Model):
    """A one-time link to set a password (a reset, or the first one after an invitation)."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)


class RecoveryCode(db.Model):
    """One of the codes that stand in for the authenticator app once each."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(default=None)
