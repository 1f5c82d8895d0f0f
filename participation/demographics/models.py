"""Who took part: voluntary answers on age band, district and the city's own question, and the
population the city compares them with.

An answer is stored WITHOUT a link to the person: no participant id, no time, a random key.
What links to the person is only the fact that they answered (`demographic_answered`), so each
phone answers once; and a phone answers only after it has taken part (written, voted, chosen a
table), so the answer is not written with the person's first row. The answers therefore stay
when a person erases their input: they cannot be told apart (templates/privacy/notice.html
says so). Someone with the database itself could still compare the physical order of rows
with the order people answered in; nobody else sees anything but the suppressed totals.
"""

import uuid

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

# The age bands asked about, in order; a population CSV's age rows must use these labels.
AGE_BANDS = ("under 18", "18-29", "30-44", "45-64", "65-79", "80+")
DIMENSIONS = ("age", "district", "extra")
# What a population file looks like (shown on the import page).
FILE_EXAMPLE = ("fråga;grupp;invånare\nålder;18-29;21450\nålder;30-44;24310\n"
                "stadsdel;Centrum;18200\nstadsdel;Ersboda;9800")
LABEL_MAX = 80
EXTRA_OPTIONS_MAX = 12
DISTRICTS_MAX = 60


def _random_key() -> str:
    return uuid.uuid4().hex


class DemographicAnswer(db.Model):
    __tablename__ = "demographic_answers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_random_key)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"),
                                          index=True)
    # None: the person chose not to say.
    age_band: Mapped[str | None] = mapped_column(String(LABEL_MAX), default=None)
    district: Mapped[str | None] = mapped_column(String(LABEL_MAX), default=None)
    extra: Mapped[str | None] = mapped_column(String(LABEL_MAX), default=None)
    # The city's question as it was asked (it may be edited later); None: none was asked.
    extra_question: Mapped[str | None] = mapped_column(String(200), default=None)


class DemographicAnswered(db.Model):
    """That this participant has answered (or declined): nothing about what they said."""

    __tablename__ = "demographic_answered"

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True)


class PopulationGroup(db.Model):
    """The city's own figures: how many residents are in each age band and district. Also the
    list of districts the phones offer."""

    __tablename__ = "population_groups"
    __table_args__ = (
        UniqueConstraint("dimension", "label"),
        CheckConstraint("dimension IN ('age', 'district')", name="dimension"),
        CheckConstraint("residents >= 0", name="residents"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dimension: Mapped[str] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(String(LABEL_MAX))
    position: Mapped[int] = mapped_column(default=0)
    residents: Mapped[int] = mapped_column(default=0)


class ExtraQuestion(db.Model):
    """The one question the city may add (e.g. "Hur tar du dig oftast till jobbet?"): one row
    at most, its options one per line."""

    __tablename__ = "demographic_extra_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(200))
    options: Mapped[str] = mapped_column(String(2000))

    def option_list(self) -> list[str]:
        return [line for line in self.options.split("\n") if line]
