"""The activity plan of an event and what residents send to its activities: poll answers,
questions to the panel with their likes, and evaluation answers.

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
# "questions": questions to the panel; "evaluation": the evening's short survey; "words": a
# word cloud (docs/activities.md).
ACTIVITY_KINDS = ("proposals", "poll", "questions", "evaluation", "words")
TITLE_MAX = 200
OPTION_MAX = 120
OPTIONS_MIN, OPTIONS_MAX = 2, 8
ACTIVITIES_MAX = 30


class Activity(db.Model):
    __tablename__ = "activities"
    __table_args__ = (
        UniqueConstraint("event_id", "position"),
        CheckConstraint("kind IN ('proposals', 'poll', 'questions', 'evaluation', 'words')",
                        name="kind"),
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


# --- questions to the panel ---------------------------------------------------------------

QUESTION_MAX = 280
# open: waiting; live: being answered on stage now (one per activity); answered; hidden: by a
# moderator; pending: asked at an event that approves first (moderation "pre"). Hidden and
# pending ones are seen only by staff and their author.
QUESTION_STATUSES = ("open", "live", "answered", "hidden", "pending")


class PanelQuestion(db.Model):
    __tablename__ = "panel_questions"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'live', 'answered', 'hidden', 'pending')",
                        name="status"),
        Index("uq_panel_questions_live", "activity_id", unique=True,
              sqlite_where=text("status = 'live'"), postgresql_where=text("status = 'live'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(QUESTION_MAX))
    status: Mapped[str] = mapped_column(String(10), default="open", server_default="open")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PanelLike(db.Model):
    """One person's like of one question: the unique constraint counts it once."""

    __tablename__ = "panel_likes"
    __table_args__ = (UniqueConstraint("question_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("panel_questions.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True)


# --- the evaluation -------------------------------------------------------------------------

# The fixed form: three ratings from 1 to 5 and one free text (evaluation.py has the wording).
RATINGS = ("overall", "heard", "next_steps")
EVALUATION_TEXT_MAX = 1000


class EvaluationAnswer(db.Model):
    """One person's evaluation, replaced by a new one. Staff see only the sums and the texts,
    never who wrote them; the person is kept for the one-per-person rule and for erasure."""

    __tablename__ = "evaluation_answers"
    __table_args__ = (
        UniqueConstraint("activity_id", "participant_id"),
        *(CheckConstraint(f"{name} BETWEEN 1 AND 5", name=name) for name in RATINGS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    overall: Mapped[int | None] = mapped_column(Integer)
    heard: Mapped[int | None] = mapped_column(Integer)
    next_steps: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(String(EVALUATION_TEXT_MAX))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- the word cloud -----------------------------------------------------------------------

WORDS_PER_PERSON = 3
WORD_MAX = 30
STEM_MAX = 64


class CloudWord(db.Model):
    """One of a person's (at most three) words; `stem` is what the cloud groups by (its content
    words' Swedish stems). A person's new words replace the earlier ones."""

    __tablename__ = "cloud_words"
    __table_args__ = (
        UniqueConstraint("activity_id", "participant_id", "position"),
        CheckConstraint(f"position BETWEEN 0 AND {WORDS_PER_PERSON - 1}", name="position"),
        Index("ix_cloud_words_activity_stem", "activity_id", "stem"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    word: Mapped[str] = mapped_column(String(WORD_MAX))
    stem: Mapped[str] = mapped_column(String(STEM_MAX))


class HiddenStem(db.Model):
    """A word a moderator took out of the cloud: every spelling with its stem, also later ones."""

    __tablename__ = "cloud_hidden_stems"
    __table_args__ = (UniqueConstraint("activity_id", "stem"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"))
    stem: Mapped[str] = mapped_column(String(STEM_MAX))
