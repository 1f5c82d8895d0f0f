"""The project team's review of proposals: a status and a public answer, and their discussion."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.time import utcnow
from ..extensions import db

# What a resident sees become of their proposal. Linking it to the backlog sets in_backlog,
# duplicate or out_of_scope; the reviewer sets the others by hand.
REVIEW_STATUSES = ("received", "reviewing", "in_backlog", "duplicate", "out_of_scope",
                   "not_pursued")
ANSWER_MAX = 2000
COMMENT_MAX = 2000


def _statuses() -> str:
    return "status IN (" + ", ".join(repr(s) for s in REVIEW_STATUSES) + ")"


class ProposalReview(db.Model):
    """The current review state; absent means `received`."""

    __tablename__ = "proposal_reviews"
    __table_args__ = (
        CheckConstraint(_statuses(), name="status"),
        CheckConstraint(f"length(public_answer) <= {ANSWER_MAX}", name="answer_length"),
    )

    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(12), default="received", index=True)
    public_answer: Mapped[str] = mapped_column(Text, default="")
    reviewer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ReviewEntry(db.Model):
    """Each status change with its public answer: the timeline a resident's follow page shows."""

    __tablename__ = "review_log"
    __table_args__ = (CheckConstraint(_statuses(), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(12))
    public_answer: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReviewComment(db.Model):
    """The project team's discussion of a proposal; staff only, never public or exported."""

    __tablename__ = "review_comments"
    __table_args__ = (
        CheckConstraint(f"length(body) BETWEEN 1 AND {COMMENT_MAX}", name="body_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
