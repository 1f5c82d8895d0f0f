from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.time import utcnow
from ..extensions import db
from .follow import new_follow_code


class Participant(db.Model):
    """Created on a resident's first write, so scanning a QR code costs the database nothing."""

    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("event_id", "token"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    # Random, held only in the resident's signed session cookie: no IP, no user agent.
    token: Mapped[str] = mapped_column(String(43))
    display_name: Mapped[str | None] = mapped_column(String(60), default=None)
    table_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshop_tables.id", ondelete="SET NULL"), default=None
    )
    # The secret in the resident's "follow what I took part in" link: no account, no e-mail.
    # Made with the row, so a person who only voted has one too; cleared by the purge.
    follow_code: Mapped[str | None] = mapped_column(String(24), unique=True,
                                                    default=new_follow_code)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # A referensgrupp member's row (members/models.py), by name: the access rules read it
    # (access.may_take_part) without this package importing the group's.
    member = relationship("Member", primaryjoin="Member.participant_id == Participant.id",
                          foreign_keys="Member.participant_id", uselist=False, viewonly=True)
