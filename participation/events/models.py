import secrets
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import JSON
from typing_extensions import TypedDict

from ..core.languages import SHIPPED
from ..core.time import utcnow
from ..extensions import db

KINDS = ("radslag", "referensgrupp", "medborgarverkstad")
# The invited reference group: only its members take part, and nothing of it is public.
GROUP = "referensgrupp"
PHASES = ("lobby", "collect", "vote", "results", "closed")
# "post": proposals show at once and can be hidden; "pre": they wait for approval.
MODERATIONS = ("post", "pre")
VOTING_METHODS = ("approval", "dots", "scale", "budget")
# A scale rating: 1 = not important at all ... 5 = very important.
SCALE_MIN, SCALE_MAX = 1, 5
ALL_LANGUAGES = ",".join(SHIPPED)
# Dots per person (and on one proposal) at a dot vote.
DOTS_MAX = 100
Dots = Annotated[int, Field(ge=1, le=DOTS_MAX)]
# A climate budget ballot ("Mest klimat för våra pengar", docs/budget.md): its total in SEK
# (up to ten billion, far above any municipality's yearly climate budget) and 1–30 measures.
BUDGET_MAX_SEK = 10_000_000_000
BALLOT_MEASURES_MAX = 30
BudgetSek = Annotated[int, Field(ge=1, le=BUDGET_MAX_SEK)]


class ApprovalVoting(TypedDict):
    """One vote per person and proposal."""

    method: Literal["approval"]


class DotsVoting(TypedDict):
    """Each person spreads `dots` dots, at most `max_per_proposal` on one proposal."""

    method: Literal["dots"]
    dots: Dots
    max_per_proposal: Dots


class ScaleVoting(TypedDict):
    """Each person rates each proposal from min to max."""

    method: Literal["scale"]
    min: Literal[SCALE_MIN]
    max: Literal[SCALE_MAX]


class BudgetVoting(TypedDict):
    """Each person approves any measures on the ballot whose costs fit in `budget_sek`."""

    method: Literal["budget"]
    budget_sek: BudgetSek
    measure_ids: Annotated[list[int], Field(description="The ballot's measures, in order.")]


Voting = ApprovalVoting | DotsVoting | ScaleVoting | BudgetVoting
QUESTION_MAX = 300


class VotingMethod:
    """What the ballot asks of an event: the ORM Event, and the row the vote path locks."""

    __slots__ = ()
    voting_method: str
    kind: str

    @property
    def is_group(self) -> bool:
        return self.kind == GROUP

    @property
    def is_dots(self) -> bool:
        return self.voting_method == "dots"

    @property
    def is_scale(self) -> bool:
        return self.voting_method == "scale"

    @property
    def is_budget(self) -> bool:
        return self.voting_method == "budget"


class Event(VotingMethod, db.Model):
    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("kind IN ('radslag', 'referensgrupp', 'medborgarverkstad')", name="kind"),
        CheckConstraint("phase IN ('lobby', 'collect', 'vote', 'results', 'closed')", name="phase"),
        CheckConstraint("voting_method IN ('approval', 'dots', 'scale', 'budget')",
                        name="voting_method"),
        CheckConstraint(f"budget_sek IS NULL OR budget_sek BETWEEN 1 AND {BUDGET_MAX_SEK}",
                        name="budget_sek"),
        CheckConstraint(f"dots_per_person BETWEEN 1 AND {DOTS_MAX}", name="dots_per_person"),
        CheckConstraint(
            "max_dots_per_proposal BETWEEN 1 AND dots_per_person", name="max_dots_per_proposal"
        ),
        CheckConstraint("version >= 0", name="version"),
        CheckConstraint("moderation IN ('pre', 'post')", name="moderation"),
        CheckConstraint(
            "opens_at IS NULL OR closes_at IS NULL OR closes_at > opens_at", name="schedule_order"
        ),
        CheckConstraint(
            "voting_opens_at IS NULL OR ((opens_at IS NULL OR voting_opens_at > opens_at) AND "
            "(closes_at IS NULL OR closes_at > voting_opens_at))", name="voting_window"
        ),
        CheckConstraint("last_proposal_number >= 0", name="last_proposal_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    prompt: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(20))
    phase: Mapped[str] = mapped_column(String(10), default="lobby")
    voting_method: Mapped[str] = mapped_column(String(10), default="approval")
    dots_per_person: Mapped[int] = mapped_column(Integer, default=1)
    max_dots_per_proposal: Mapped[int] = mapped_column(Integer, default=1)
    # A budget ballot's total (voting_method "budget"); its measures are BallotMeasure rows.
    budget_sek: Mapped[int | None] = mapped_column(BigInteger, default=None)
    # "post": proposals show at once and can be hidden; "pre": they wait for approval.
    moderation: Mapped[str] = mapped_column(String(4), default="post", server_default="post")
    # Bias controls: live bars stay off the projector until revealed; ballots in a per-person
    # random order, so the first proposal on the list gets no head start.
    hide_tallies: Mapped[bool] = mapped_column(default=False, server_default=false())
    tallies_revealed: Mapped[bool] = mapped_column(default=False, server_default=false())
    shuffle_ballot: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Whether phones offer the voluntary "who took part" questions (demographics/).
    asks_demographics: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The languages of the room (events/languages.py): what the phones' menu offers (a comma
    # list of codes, Swedish always), what the projector speaks, whether a phone's own
    # language setting counts on its first visit, and the title and question in other
    # languages: {"fi": {"title": …, "prompt": …}, …} (Swedish is title/prompt themselves).
    languages: Mapped[str] = mapped_column(String(40), default=ALL_LANGUAGES,
                                           server_default=ALL_LANGUAGES)
    projector_language: Mapped[str] = mapped_column(String(3), default="sv", server_default="sv")
    browser_language: Mapped[bool] = mapped_column(default=True, server_default=true())
    texts: Mapped[dict | None] = mapped_column(JSON, default=None)
    # The theme cloud (proposals/themes.py) under the projector's wall; always on the console.
    show_themes: Mapped[bool] = mapped_column(default=False, server_default=false())
    # A countdown for the current phase; the server's clock is the one that counts.
    timer_ends_at: Mapped[datetime | None] = mapped_column(default=None)
    # A rådslag can run on its own: it opens (lobby -> collect), opens its voting (collect ->
    # vote) and closes (-> results) at these UTC times, see events/schedule.py.
    opens_at: Mapped[datetime | None] = mapped_column(default=None)
    voting_opens_at: Mapped[datetime | None] = mapped_column(default=None)
    closes_at: Mapped[datetime | None] = mapped_column(default=None)
    # When a facilitator last changed the phase by hand: the schedule leaves that choice alone
    # until its next time after it (events/schedule.py). Cleared when the schedule is saved.
    phase_set_by_hand_at: Mapped[datetime | None] = mapped_column(default=None)
    # The last per-event proposal number handed out (#1, #2, …); counted on this row, which
    # every write locks first, so two proposals never get the same number.
    last_proposal_number: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Bumped in every write transaction on the event; clients order pushes by it.
    version: Mapped[int] = mapped_column(Integer, default=0)
    # When it was last closed (cleared on reopening): the retention period counts from here.
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    # When `flask privacy purge` removed its personal data (privacy/purge.py).
    purged_at: Mapped[datetime | None] = mapped_column(default=None)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    tables: Mapped[list["Table"]] = relationship(
        order_by="Table.number", cascade="all, delete-orphan"
    )
    focus_areas: Mapped[list["FocusArea"]] = relationship(
        order_by="FocusArea.position", cascade="all, delete-orphan"
    )
    questions: Mapped[list["Question"]] = relationship(
        order_by="Question.position", cascade="all, delete-orphan"
    )
    # The colleagues who run it with its creator (access.team_role reads this); the creator
    # is its facilitator without a row.
    team: Mapped[list["EventTeamMember"]] = relationship(
        order_by="EventTeamMember.id", cascade="all, delete-orphan", passive_deletes=True
    )

    ballot_measures: Mapped[list["BallotMeasure"]] = relationship(
        order_by="BallotMeasure.position", cascade="all, delete-orphan"
    )

    def voting_dict(self) -> Voting:
        if self.is_budget:
            return {"method": "budget", "budget_sek": self.budget_sek,
                    "measure_ids": [m.measure_id for m in self.ballot_measures]}
        if self.is_scale:
            return {"method": "scale", "min": SCALE_MIN, "max": SCALE_MAX}
        if self.is_dots:
            return {
                "method": "dots",
                "dots": self.dots_per_person,
                "max_per_proposal": self.max_dots_per_proposal,
            }
        return {"method": "approval"}


TABLES_MAX = 60
# A table's default name in each language the site speaks. A table named so is labelled in the
# reader's language (events/tables.table_label); any other name is kept as typed.
DEFAULT_TABLE_NAMES = ("Table {n}", "Bord {n}")


def is_default_table_name(number: int, name: str | None) -> bool:
    return name is None or name in {form.format(n=number) for form in DEFAULT_TABLE_NAMES}


class Table(db.Model):
    """A table at a *medborgarverkstad*; its card's QR code puts a phone at it."""

    __tablename__ = "workshop_tables"
    __table_args__ = (
        UniqueConstraint("event_id", "number"),
        CheckConstraint("number BETWEEN 1 AND 200", name="number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(60))
    # The secret on the scribe's card: whoever scans it may enter the table's proposals.
    scribe_token: Mapped[str] = mapped_column(String(24), default=lambda: secrets.token_urlsafe(16))

    @classmethod
    def numbered(cls, number: int) -> "Table":
        """A new table with the default name (stored in Swedish, labelled per reader)."""
        return cls(number=number, name=DEFAULT_TABLE_NAMES[1].format(n=number))


class FocusArea(db.Model):
    """A *fokusområde* residents tag their proposal with, e.g. "Modig mobilitet"."""

    __tablename__ = "focus_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str | None] = mapped_column(Text, default=None)


class BallotMeasure(db.Model):
    """A backlog measure on a budget event's ballot: its place and its cost when the ballot was
    made (the funding rule counts that cost, whatever the backlog says later)."""

    __tablename__ = "event_ballot_measures"
    __table_args__ = (
        UniqueConstraint("event_id", "measure_id"),
        UniqueConstraint("event_id", "position"),
        CheckConstraint("cost_sek > 0", name="cost_sek"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    # RESTRICT: a measure someone can vote on (or has) is not deleted from under the ballot.
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="RESTRICT"),
                                            index=True)
    position: Mapped[int] = mapped_column(Integer)
    cost_sek: Mapped[int] = mapped_column(BigInteger)


class Question(db.Model):
    """One of a rådslag's question cards; a proposal answers one of them."""

    __tablename__ = "questions"
    __table_args__ = (
        CheckConstraint(f"length(text) BETWEEN 1 AND {QUESTION_MAX}", name="text_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(String(QUESTION_MAX))


# What a colleague on an event's team may do (access.py): a facilitator all the creator may,
# a moderator the moderation, merges, paper proposals and hand counts.
TEAM_ROLES = ("facilitator", "moderator")


class EventTeamMember(db.Model):
    """A staff account that runs an event together with its creator (events/team.py)."""

    __tablename__ = "event_team_members"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id"),
        CheckConstraint("role IN ('facilitator', 'moderator')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The unique (event_id, user_id) index serves lookups by event; user_id's own index the
    # dashboard's "events I am on the team of".
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(12))
    # Who put them on the team (cleared with their account; the audit log keeps the e-mail).
    added_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
