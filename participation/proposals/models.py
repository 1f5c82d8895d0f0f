from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.time import utcnow
from ..extensions import db

TITLE_MAX = 120
BODY_MAX = 1000
AUTHOR_NAME_MAX = 60
STATUSES = ("pending", "visible", "hidden", "merged")
# Where a proposal came from: a resident's own phone, a paper note typed in by staff, or the
# table's scribe ("Bordets sekreterare") entering what the table agreed on.
SOURCES = ("phone", "paper", "scribe")
SOURCE_MAX = 8


class Proposal(db.Model):
    __tablename__ = "proposals"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'visible', 'hidden', 'merged')", name="status"),
        CheckConstraint(f"length(title) BETWEEN 1 AND {TITLE_MAX}", name="title_length"),
        CheckConstraint(f"length(body) <= {BODY_MAX}", name="body_length"),
        CheckConstraint("source IN ('phone', 'paper', 'scribe')", name="source"),
        CheckConstraint("paper_votes >= 0", name="paper_votes"),
        CheckConstraint("number >= 1", name="number"),
        # What residents and facilitators call it: #1, #2, … within its event (ids stay global).
        UniqueConstraint("event_id", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    # Its number within the event, given by proposals/numbering.py when it is written.
    number: Mapped[int] = mapped_column(Integer)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), index=True
    )
    focus_area_id: Mapped[int | None] = mapped_column(
        ForeignKey("focus_areas.id", ondelete="SET NULL"), default=None
    )
    # The question card it answers, when the event has several; a question in use is kept.
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("questions.id"), default=None, index=True
    )
    # "paper": written on paper and typed in by staff for a table, for people without a phone;
    # "scribe": entered by the table's scribe from a phone, for the whole table (proposals/
    # paper.py). Neither has a participant: the proposal is the table's, not a person's.
    source: Mapped[str] = mapped_column(String(SOURCE_MAX), default="phone",
                                        server_default="phone")
    # A show of hands counted in the room, kept apart from the phone votes it is added to.
    paper_votes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The table it came from, at a medborgarverkstad.
    table_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshop_tables.id", ondelete="SET NULL"), default=None, index=True
    )
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    body: Mapped[str] = mapped_column(Text, default="")
    # The language it is written in (a BCP 47 code: detected, else the writer's interface
    # language; proposals/language.py), shown as its `lang` and used by the text analysis.
    lang: Mapped[str | None] = mapped_column(String(8), default=None)
    # The optional name the resident gave, copied when they wrote it.
    author_name: Mapped[str | None] = mapped_column(String(AUTHOR_NAME_MAX), default=None)
    status: Mapped[str] = mapped_column(String(10), default="visible")
    hidden_reason: Mapped[str | None] = mapped_column(String(300), default=None)
    hidden_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    hidden_at: Mapped[datetime | None] = mapped_column(default=None)
    # Shown with the proposal when a facilitator changed its text, so an edit is never silent.
    edit_reason: Mapped[str | None] = mapped_column(String(300), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set while the proposal is merged into another (status "merged"); cleared by an undo.
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposals.id", ondelete="SET NULL"), default=None, index=True
    )
    # The proposals merged into this one right now; their own rows keep their texts.
    merged_sources: Mapped[list["Proposal"]] = relationship(
        foreign_keys=[merged_into_id], order_by="Proposal.id", viewonly=True
    )

    @property
    def is_visible(self) -> bool:
        return self.status == "visible"


class ModerationEntry(db.Model):
    """The audit trail: who approved, hid, restored or edited which proposal, when and why."""

    __tablename__ = "moderation_log"
    __table_args__ = (
        CheckConstraint(
            "action IN ('approve', 'hide', 'restore', 'edit', 'count', 'merge', 'unmerge')",
            name="action",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(String(300), default=None)
    # JSON of the title and body before and after an edit.
    before: Mapped[str | None] = mapped_column(Text, default=None)
    after: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Vote(db.Model):
    """One row per person and proposal; `dots` is 1 for approval voting, the score (1..5)
    for a scale event.

    The unique constraint is what makes "one vote per person per proposal" hold under races.
    """

    __tablename__ = "votes"
    __table_args__ = (
        UniqueConstraint("proposal_id", "participant_id"),
        CheckConstraint("dots >= 1", name="dots_positive"),
        # No budget exceeds 100 dots, and a scale rating is at most 5.
        CheckConstraint("dots <= 100", name="dots_max"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    dots: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProposalMerge(db.Model):
    """A facilitator merged `source` into `target`; undone when `undone_at` is set."""

    __tablename__ = "proposal_merges"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    source_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str | None] = mapped_column(String(300), default=None)
    # The target's hand count before the merge, so an undo can give both back their own.
    target_paper_before: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(default=None)
    undone_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )


class ProposalMergeVote(db.Model):
    """Each affected person's votes before a merge, so an undo can put them back exactly."""

    __tablename__ = "proposal_merge_votes"
    __table_args__ = (
        UniqueConstraint("merge_id", "participant_id"),
        CheckConstraint("target_dots_before >= 0", name="target_dots_before"),
        CheckConstraint("source_dots >= 1", name="source_dots"),
        CheckConstraint("merged_dots >= 1", name="merged_dots"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    merge_id: Mapped[int] = mapped_column(
        ForeignKey("proposal_merges.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    target_dots_before: Mapped[int] = mapped_column(Integer)  # 0: no vote on the target
    source_dots: Mapped[int] = mapped_column(Integer)
    merged_dots: Mapped[int] = mapped_column(Integer)
