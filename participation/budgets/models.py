"""A person's budget ballot: one row per measure they approve."""

from sqlalchemy import ForeignKey, ForeignKeyConstraint, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class BudgetChoice(db.Model):
    """One approved measure of one person's budget ballot.

    The unique constraint keeps a measure once per ballot under races; the foreign key to
    event_ballot_measures keeps every choice on the event's own ballot.
    """

    __tablename__ = "budget_ballots"
    __table_args__ = (
        UniqueConstraint("event_id", "participant_id", "measure_id"),
        ForeignKeyConstraint(["event_id", "measure_id"],
                             ["event_ballot_measures.event_id",
                              "event_ballot_measures.measure_id"],
                             ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="RESTRICT"),
                                            index=True)
