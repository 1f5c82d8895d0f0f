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
    # Raised by accounts/sessions.end_sessions: every session signed in before it is over.
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")

    # The four members Flask-Login asks of a logged-in user (web/auth.py), said here so that
    # the domain needs no import from the login library. Every stored account may log in.
    is_active = True
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        # Flask-Login's "alternative token": the session names the account and the epoch it
        # was signed in at, so raising the epoch ends every session at once (web/auth.py).
        return f"{self.id}:{self.session_epoch or 0}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class ApiToken(db.Model):
    """Bearer tokens are stored only as a SHA-256 digest; the token itself is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return "pt_" + secrets.token_urlsafe(32)
