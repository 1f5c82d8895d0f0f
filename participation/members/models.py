import hashlib
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from ..core.time import utcnow
from ..extensions import db

NAME_MAX = 80
EMAIL_MAX = 254
ORGANISATION_MAX = 120
MEETING_TITLE_MAX = 120


def invite_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_invite_token() -> str:
    return secrets.token_urlsafe(24)


class Member(db.Model):
    """A person invited to a referensgrupp. Known to the organisers, never to the public.

    The invitation link is stored only as a SHA-256 digest (like API tokens): it is shown once,
    and a new one can be issued. Accepting binds the member to one participant row; every phone
    that opens the link becomes that same participant (unique `participant_id`).
    """

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    email: Mapped[str | None] = mapped_column(String(EMAIL_MAX), default=None)
    organisation: Mapped[str | None] = mapped_column(String(ORGANISATION_MAX), default=None)
    # Consent, given by the member: their name is shown with their proposals inside the group.
    show_name: Mapped[bool] = mapped_column(default=False, server_default=false())
    invite_digest: Mapped[str] = mapped_column(String(64), unique=True)
    invite_expires_at: Mapped[datetime]
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), unique=True, default=None
    )
    joined_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.participant_id is not None:
            return "joined"
        if self.invite_expires_at <= utcnow():
            return "expired"
        return "invited"


class Meeting(db.Model):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(MEETING_TITLE_MAX))
    starts_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Attendance(db.Model):
    """A member was present at a meeting; absence is the missing row."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
