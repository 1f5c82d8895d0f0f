"""The activity plan of an event and the answers to a quick poll.

An event made before activities, or never given a second one, has no rows here and runs its
proposal flow as it always did. Adding the first activity adds the proposal flow as activity 1
(live), so the plan always lists it (plan.py). One activity per event is live at a time: the
partial unique index keeps it so under races.
"""

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.time import utcnow
from ..extensions import db

# "proposals": the event's proposal flow (collect, vote, results; tables, budgets).
# words, questions and evaluation come with the rest of issue 17 (docs/activities.md).
ACTIVITY_KINDS = ("proposals", "poll")
TITLE_MAX = 200
OPTION_MAX = 120
OPTIONS_MIN, OPTIONS_MAX = 2, 8
ACTIVITIES_MAX = 30


class Activity(db.Model):
    __tablename__ = "activities"
    __table_args__ = (
        UniqueConstraint("event_id", "position"),
        CheckConstraint("kind IN ('proposals', 'poll')", name="kind"),
        CheckConstraint("position >= 1", name="position"),
        Index("uq_activities_live", "event_id", unique=True,
              sqlite_where=text("live"), postgresql_where=text("live")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(12))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    # A poll: one choice or several; whether a person sees the bars once they have answered.
    multiple: Mapped[bool] = mapped_column(default=False, server_default=false())
    show_results: Mapped[bool] = mapped_column(default=False, server_default=false())
    live: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    options: Mapped[list["PollOption"]] = relationship(
        order_by="PollOption.position", cascade="all, delete-orphan", passive_deletes=True)


class PollOption(db.Model):
    __tablename__ = "poll_options"
    __table_args__ = (
        UniqueConstraint("activity_id", "position"),
        CheckConstraint("position >= 0", name="position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"))
    # 0, 1, …: what a response's `choices` name.
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(OPTION_MAX))


class PollAnswer(db.Model):
    """One chosen option of one person's answer. The unique constraint keeps an option once per
    person; the foreign key keeps every answer on one of the poll's own options."""

    __tablename__ = "poll_answers"
    __table_args__ = (
        UniqueConstraint("activity_id", "participant_id", "position"),
        ForeignKeyConstraint(["activity_id", "position"],
                             ["poll_options.activity_id", "poll_options.position"],
                             ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
