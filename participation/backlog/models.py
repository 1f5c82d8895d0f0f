"""The measure backlog (*åtgärdsportfölj*) and the links from citizen proposals into it."""

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.time import utcnow
from ..extensions import db

MEASURE_STATUSES = ("idea", "assessing", "planned", "in_progress", "done", "rejected")
# Forward along the list, or to `rejected` (with a reason) from anywhere; see operations.
LINK_KINDS = ("created_from", "supports", "duplicate", "out_of_scope")
TITLE_MAX = 200
REASON_MAX = 500


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Measure(db.Model):
    """One measure of the portfolio. Reductions are tCO2e per year as a low–high range."""

    __tablename__ = "measures"
    __table_args__ = (
        CheckConstraint(_in("status", MEASURE_STATUSES), name="status"),
        CheckConstraint(f"length(title) BETWEEN 1 AND {TITLE_MAX}", name="title_length"),
        CheckConstraint("status <> 'rejected' OR rejected_reason IS NOT NULL",
                        name="rejected_reason"),
        CheckConstraint("reduction_low >= 0 AND reduction_low <= reduction_high",
                        name="reduction_range"),
        CheckConstraint("(reduction_low IS NULL) = (reduction_high IS NULL)",
                        name="reduction_both"),
        CheckConstraint("investment_sek >= 0 AND yearly_cost_sek >= 0", name="costs"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    description: Mapped[str] = mapped_column(Text, default="")
    # The programme's focus areas span events, so this is a name, not an event's FocusArea.
    focus_area: Mapped[str | None] = mapped_column(String(80), default=None, index=True)
    # A department or a partner organisation.
    owner: Mapped[str | None] = mapped_column(String(120), default=None)
    status: Mapped[str] = mapped_column(String(12), default="idea", index=True)
    rejected_reason: Mapped[str | None] = mapped_column(String(REASON_MAX), default=None)
    reduction_low: Mapped[float | None] = mapped_column(Float, default=None)
    reduction_high: Mapped[float | None] = mapped_column(Float, default=None)
    investment_sek: Mapped[int | None] = mapped_column(BigInteger, default=None)
    yearly_cost_sek: Mapped[int | None] = mapped_column(BigInteger, default=None)
    co_benefits: Mapped[str] = mapped_column(Text, default="")
    time_frame: Mapped[str | None] = mapped_column(String(80), default=None)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class MeasureStatusEntry(db.Model):
    """Every status a measure has had, public: residents follow it from their proposals."""

    __tablename__ = "measure_status_log"
    __table_args__ = (CheckConstraint(_in("status", MEASURE_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measures.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str | None] = mapped_column(String(REASON_MAX), default=None)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProposalLink(db.Model):
    """What the project team did with a proposal: one answer per proposal.

    `created_from` and `supports` and `duplicate` point at a measure; `out_of_scope` points at
    none and must say why, publicly.
    """

    __tablename__ = "proposal_links"
    __table_args__ = (
        CheckConstraint(_in("kind", LINK_KINDS), name="kind"),
        CheckConstraint("(kind = 'out_of_scope') = (measure_id IS NULL)", name="measure"),
        CheckConstraint("kind <> 'out_of_scope' OR reason IS NOT NULL", name="reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), unique=True
    )
    measure_id: Mapped[int | None] = mapped_column(
        ForeignKey("measures.id", ondelete="CASCADE"), default=None, index=True
    )
    kind: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str | None] = mapped_column(String(REASON_MAX), default=None)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
