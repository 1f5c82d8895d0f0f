"""Event writes: create, change phase. Each validates, commits, then publishes."""

import secrets
from datetime import timedelta
from typing import Annotated, Literal, NotRequired

from flask_babel import lazy_gettext as _l
from pydantic import Field
from sqlalchemy import and_, column, select, table, update
from typing_extensions import TypedDict

from .. import access
from ..core.bus import publish
from ..core.declare import request
from ..core.errors import OperationError, not_found
from ..core.time import When, iso, utcnow
from ..core.tx import write_transaction
from ..core.validate import clean_text
from ..extensions import db
from ..ops.audit import audit
from .inputs import QuestionTexts, clean_questions, parse_budget, parse_schedule
from .models import (
    BALLOT_MEASURES_MAX,
    DOTS_MAX,
    KINDS,
    MODERATIONS,
    PHASES,
    TABLES_MAX,
    BallotMeasure,
    BudgetSek,
    Dots,
    Event,
    FocusArea,
    Question,
    Table,
)

# No 0/O, 1/I/L: the code is read off a projector across a room.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
TITLE_MAX = 200
PROMPT_MAX = 500
FOCUS_MAX = 12
FOCUS_NAME_MAX = 80
# Facilitators step forward, or one step back to fix a mistake; a closed event can be reopened.
TRANSITIONS = {
    "lobby": {"collect"},
    "collect": {"lobby", "vote"},
    "vote": {"collect", "results"},
    "results": {"vote", "closed"},
    "closed": {"results"},
}


def lock_event_where(session, condition) -> Event | None:
    """Bump the version of the event matching `condition` and load its row, in one statement.

    Every write on an event starts here: the UPDATE takes the event's row lock (on PostgreSQL;
    on SQLite BEGIN IMMEDIATE already holds the write lock), so writes on one event are
    serialised and their versions are gap-free and ordered as they commit. RETURNING refreshes
    the event in the session, so no second SELECT reloads it; its relationships (focus areas,
    questions, tables) load only when an operation uses them.
    """
    return session.scalars(
        update(Event)
        .where(condition)
        .values(version=Event.version + 1)
        .returning(Event)
        .execution_options(populate_existing=True, synchronize_session=False)
    ).one_or_none()


def locked_event(session, event_id: int) -> tuple[Event, int]:
    event = lock_event_where(session, Event.id == event_id)
    if event is None:
        raise not_found("event_not_found")
    return event, event.version


def managed_event(session, user, event_id: int, *, open_only: bool = False) -> tuple[Event, int]:
    """Inside a write transaction: the locked event, for those who may manage it only
    (access.may_manage: its creator, team facilitators, admins)."""
    return _checked_event(session, user, event_id, access.require_manage, open_only)


def moderated_event(session, user, event_id: int, *, open_only: bool = False
                    ) -> tuple[Event, int]:
    """The same for those who may moderate it (access.may_moderate: team moderators too)."""
    return _checked_event(session, user, event_id, access.require_moderate, open_only)


def _checked_event(session, user, event_id, require, open_only) -> tuple[Event, int]:
    event, version = locked_event(session, event_id)
    require(user, event)
    if open_only and event.phase == "closed":
        raise OperationError("event_closed", _l("The event is closed."), 409)
    return event, version


@request
class ApprovalChoice(TypedDict):
    method: Literal["approval"]


@request
class DotsChoice(TypedDict):
    method: Literal["dots"]
    dots: Dots
    max_per_proposal: NotRequired[Annotated[Dots, Field(description=(
        "At most `dots`; left out: `dots`."))]]


@request
class ScaleChoice(TypedDict):
    """Each person rates each proposal 1 to 5 (answers add min and max)."""

    method: Literal["scale"]


@request
class BudgetChoice(TypedDict):
    """A climate budget ballot (docs/budget.md): each person approves measures of the backlog
    whose costs together fit in the budget; Equal Shares decides what is funded."""

    method: Literal["budget"]
    budget_sek: BudgetSek
    measure_ids: Annotated[list[Annotated[int, Field(ge=1)]], Field(
        min_length=1, max_length=BALLOT_MEASURES_MAX, description=(
            "Backlog measures, not rejected, with an investment_sek above 0; no repeats. "
            "Their order is the ballot's."))]


VotingChoice = ApprovalChoice | DotsChoice | ScaleChoice | BudgetChoice

# The backlog's measures table, named here without importing the backlog (a layer above):
# creating a budget event reads which measures may be on its ballot and what they cost.
_measures = table("measures", column("id"), column("status"), column("investment_sek"))


def may_be_on_ballot(measures):
    """The one rule for which measures a budget ballot may hold (the create form lists them,
    this module checks them): not rejected, with an investment above 0 SEK to cost it by.
    `measures` is anything with `status` and `investment_sek` columns."""
    return and_(measures.status != "rejected", measures.investment_sek > 0)


def parse_voting(voting) -> tuple[str, int, int]:
    if not isinstance(voting, dict):
        raise OperationError("invalid_voting", _l("Choose a voting method."), field="voting")
    method = voting.get("method")
    if method == "approval":
        return "approval", 1, 1
    if method == "scale":
        # Each person rates each proposal 1..5; no budget to spread.
        return "scale", 1, 1
    if method == "budget":
        parse_budget(voting)
        return "budget", 1, 1
    if method != "dots":
        raise OperationError("invalid_voting", _l("Choose a voting method."), field="voting")
    dots, cap = voting.get("dots"), voting.get("max_per_proposal", voting.get("dots"))
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in (dots, cap)):
        raise OperationError("invalid_voting", _l("Dots must be whole numbers."), field="voting")
    if not 1 <= dots <= DOTS_MAX:
        raise OperationError(
            "invalid_voting", _l("Each person can have 1 to 100 dots."), field="voting"
        )
    if not 1 <= cap <= dots:
        raise OperationError(
            "invalid_voting",
            _l("Dots on one proposal must be between 1 and the dots per person."),
            field="voting",
        )
    return "dots", dots, cap


def new_code(session) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if session.scalar(select(Event.id).where(Event.code == code)) is None:
            return code


@request
class NewEvent(TypedDict):
    title: Annotated[str, Field(min_length=1, max_length=TITLE_MAX)]
    prompt: Annotated[str, Field(min_length=1, max_length=PROMPT_MAX)]
    kind: Literal[KINDS]
    voting: VotingChoice
    focus_areas: NotRequired[Annotated[
        list[Annotated[str, Field(max_length=FOCUS_NAME_MAX)]], Field(max_length=FOCUS_MAX)
    ] | None]
    moderation: NotRequired[Annotated[Literal[MODERATIONS], Field(
        description="pre: proposals wait for approval. Left out: post.")]]
    hide_tallies: NotRequired[Annotated[bool, Field(description=(
        "Keep live vote bars off the projector until revealed."))]]
    shuffle_ballot: NotRequired[Annotated[bool, Field(description=(
        "Each person sees the ballot in their own random order."))]]
    asks_demographics: NotRequired[Annotated[bool, Field(description=(
        "Phones offer the voluntary questions on who took part (age band, district, the "
        "city's own question), stored apart from what the person wrote or voted."))]]
    questions: NotRequired[QuestionTexts | None]
    opens_at: NotRequired[Annotated[When, Field(description=(
        "Lobby -> collect on its own at this time."))]]
    voting_opens_at: NotRequired[Annotated[When, Field(description=(
        "Collect -> vote on its own at this time. Later than opens_at."))]]
    closes_at: NotRequired[Annotated[When, Field(description=(
        "Collect or vote -> results on its own; no writes after it. Later than opens_at and "
        "voting_opens_at."))]]
    tables: NotRequired[Annotated[int, Field(ge=0, le=TABLES_MAX, description=(
        "Tables 1..n, named \"Bord 1\" … (a medborgarverkstad's). Left out: none."))]]


def ballot_measures(session, measure_ids: list[int]) -> list[BallotMeasure]:
    """The ballot's rows, each measure's cost as it is now; refused unless every measure exists,
    is not rejected and has an investment above 0 SEK."""
    if not measure_ids:
        return []
    costs = dict(session.execute(
        select(_measures.c.id, _measures.c.investment_sek)
        .where(_measures.c.id.in_(measure_ids), may_be_on_ballot(_measures.c))).all())
    missing = [i for i in measure_ids if i not in costs]
    if missing:
        raise OperationError(
            "invalid_measure",
            _l("Measure %(id)d cannot be on a budget ballot: it does not exist, is rejected or "
               "has no investment cost.", id=missing[0]),
            field="measure_ids")
    return [BallotMeasure(measure_id=i, position=n, cost_sek=costs[i])
            for n, i in enumerate(measure_ids, start=1)]


def _table_count(tables) -> int:
    if tables is None:
        return 0
    if not isinstance(tables, int) or isinstance(tables, bool) or not 0 <= tables <= TABLES_MAX:
        raise OperationError("invalid_count", _l("Between 0 and %(n)d tables.", n=TABLES_MAX),
                             field="tables")
    return tables


def create_event(user, title, prompt, kind, voting, focus_areas=(), moderation="post", *,
                 hide_tallies=False, shuffle_ballot=False, questions=None, opens_at=None,
                 closes_at=None, voting_opens_at=None, tables=None,
                 asks_demographics=False) -> Event:
    access.require_run_events(user)
    title = clean_text(title, "title", TITLE_MAX, multiline=False)
    prompt = clean_text(prompt, "prompt", PROMPT_MAX)
    if kind not in KINDS:
        raise OperationError("invalid_kind", _l("Choose a kind of event."), field="kind")
    method, dots, cap = parse_voting(voting)
    budget_sek, measure_ids = parse_budget(voting) if method == "budget" else (None, [])
    flags = {"hide_tallies": hide_tallies, "shuffle_ballot": shuffle_ballot,
             "asks_demographics": asks_demographics}
    for name, flag in flags.items():
        if not isinstance(flag, bool):
            raise OperationError("invalid_type", _l("Choose yes or no."), field=name)
    if moderation not in MODERATIONS:
        raise OperationError(
            "invalid_moderation", _l("Choose how proposals are moderated."), field="moderation"
        )
    if not isinstance(focus_areas, list | tuple) or len(focus_areas) > FOCUS_MAX:
        raise OperationError(
            "invalid_focus_areas", _l("At most %(n)d focus areas.", n=FOCUS_MAX),
            field="focus_areas",
        )
    names = []
    for name in focus_areas:
        name = clean_text(name, "focus_areas", FOCUS_NAME_MAX, required=False,
                          multiline=False)
        if name and name not in names:
            names.append(name)
    question_texts = clean_questions(questions)
    opens, voting_opens, closes = parse_schedule(opens_at, closes_at, voting_opens_at)
    table_count = _table_count(tables)

    with write_transaction() as session:
        event = Event(
            code=new_code(session), title=title, prompt=prompt, kind=kind, phase="lobby",
            voting_method=method, dots_per_person=dots, max_dots_per_proposal=cap,
            version=1, created_by_id=user.id, moderation=moderation,
            hide_tallies=hide_tallies, shuffle_ballot=shuffle_ballot,
            asks_demographics=asks_demographics,
            focus_areas=[FocusArea(name=n, position=i) for i, n in enumerate(names)],
            questions=[Question(text=t, position=i) for i, t in enumerate(question_texts)],
            tables=[Table.numbered(n) for n in range(1, table_count + 1)],
            opens_at=opens, voting_opens_at=voting_opens, closes_at=closes,
            budget_sek=budget_sek, ballot_measures=ballot_measures(session, measure_ids),
        )
        session.add(event)
        session.flush()
        audit(session, user, "event.create", event.code, event.id)
    publish("event.created", event.id, event.version)
    return event


@request
class PhaseChange(TypedDict):
    phase: Literal[PHASES]


def change_phase(user, event_id: int, phase) -> Event:
    if phase not in PHASES:
        raise OperationError("invalid_phase", _l("Unknown phase."), field="phase")
    with write_transaction() as session:
        event, version = managed_event(session, user, event_id)
        previous = apply_phase(event, phase)
        # The facilitator's choice holds until the schedule's next time (events/schedule.py).
        event.phase_set_by_hand_at = utcnow()
        audit(session, user, "event.phase", phase, event.id)
    publish("event.phase_changed", event.id, version, phase=phase, previous=previous)
    return event


def apply_phase(event: Event, phase: str) -> str:
    """Inside the event's locked transaction: move it to `phase` if the rules allow, and return
    the phase it left. Facilitators and the schedule (events/schedule.py) both come here."""
    if phase == event.phase:
        raise OperationError(
            "same_phase", _l("The event is already in that phase."), 409, field="phase"
        )
    if phase not in TRANSITIONS[event.phase]:
        raise OperationError(
            "invalid_transition",
            _l("The event cannot go from this phase to that one."),
            409,
            field="phase",
        )
    previous = event.phase
    event.phase = phase
    event.closed_at = utcnow() if phase == "closed" else None
    # A countdown belongs to the phase it was set in.
    event.timer_ends_at = None
    return previous


@request
class Reveal(TypedDict):
    revealed: NotRequired[Annotated[bool, Field(description="Left out: true.")]]


def reveal_tallies(user, event_id: int, revealed) -> Event:
    """Show (or hide again) the live vote bars on the projector of a hide_tallies event."""
    if not isinstance(revealed, bool):
        raise OperationError("invalid_type", _l("Choose yes or no."), field="revealed")
    with write_transaction() as session:
        event, version = managed_event(session, user, event_id)
        event.tallies_revealed = revealed
        audit(session, user, "event.reveal", revealed, event.id)
    publish("event.tallies_revealed", event.id, version, revealed=revealed)
    return event


@request
class ThemesDisplay(TypedDict):
    show: bool


def set_show_themes(user, event_id: int, show) -> Event:
    """Show (or hide) the theme cloud under the projector's wall; the console always has it."""
    if not isinstance(show, bool):
        raise OperationError("invalid_type", _l("Choose yes or no."), field="show")
    with write_transaction() as session:
        event, version = managed_event(session, user, event_id)
        event.show_themes = show
        audit(session, user, "event.themes", show, event.id)
    publish("event.themes_display", event.id, version, show=show)
    return event


TIMER_MAX_SECONDS = 4 * 60 * 60


@request
class TimerChange(TypedDict):
    seconds: NotRequired[Annotated[Annotated[int, Field(ge=0, le=TIMER_MAX_SECONDS)] | None,
                                   Field(description="0, null or left out: stop.")]]


def set_timer(user, event_id: int, seconds) -> Event:
    """Start a countdown of `seconds` for the current phase, or stop it with None or 0."""
    if seconds is not None and (
        not isinstance(seconds, int) or isinstance(seconds, bool)
        or not 0 <= seconds <= TIMER_MAX_SECONDS
    ):
        raise OperationError(
            "invalid_timer",
            _l("Give the timer a whole number of seconds, at most %(n)d.", n=TIMER_MAX_SECONDS),
            field="seconds",
        )
    with write_transaction() as session:
        event, version = managed_event(session, user, event_id, open_only=True)
        event.timer_ends_at = utcnow() + timedelta(seconds=seconds) if seconds else None
        audit(session, user, "event.timer", seconds or 0, event.id)
    publish("event.timer", event.id, version, ends_at=iso(event.timer_ends_at))
    return event


def get_event(event_id) -> Event:
    event = db.session.get(Event, event_id) if isinstance(event_id, int) else None
    if event is None:
        raise not_found("event_not_found")
    return event


def event_by_code(code: str) -> Event | None:
    if not isinstance(code, str) or len(code) > 32:
        return None
    return db.session.scalar(select(Event).where(Event.code == code.strip().upper()))
