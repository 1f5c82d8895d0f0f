"""What an event looks like to those who see it: the same dict on pages, pushes and REST.

Nothing here is secret: the scribe cards' secrets and the staff's own settings are added by
the staff shape only. Links (join_url) are the screens' business; they add them.
"""

from typing import Annotated, Literal

from pydantic import Field
from typing_extensions import TypedDict

from ..core.languages import parse_list
from ..core.time import Time, iso
from ..core.validate import Id
from .languages import EventText, Language
from .models import KINDS, MODERATIONS, PHASES, Voting
from .questions import QuestionInfo
from .schedule import ScheduleNext, next_step
from .tables import TableInfo, tables_info


class FocusAreaInfo(TypedDict):
    id: Id
    name: str


class EventShape(TypedDict):
    """An event as everyone who may see it sees it."""

    id: Id
    code: Annotated[str, Field(description="What phones join with (/j/<code>).")]
    title: str
    prompt: str
    kind: Literal[KINDS]
    phase: Literal[PHASES]
    voting: Voting
    moderation: Annotated[Literal[MODERATIONS], Field(
        description="pre: proposals wait for approval.")]
    timer_ends_at: Annotated[Time | None, Field(
        description="When the current phase's countdown ends (UTC).")]
    hide_tallies: Annotated[bool, Field(
        description="Live vote bars stay off the projector until revealed.")]
    tallies_revealed: bool
    shuffle_ballot: Annotated[bool, Field(
        description="Each person sees the ballot in their own random order.")]
    asks_demographics: Annotated[bool, Field(
        description="Phones offer the voluntary questions on who took part.")]
    focus_areas: list[FocusAreaInfo]
    questions: list[QuestionInfo]
    opens_at: Annotated[Time | None, Field(description="Lobby -> collect on its own then.")]
    voting_opens_at: Annotated[Time | None, Field(description=(
        "Collect -> vote on its own then: the rating or voting window opens."))]
    closes_at: Annotated[Time | None, Field(description="-> results on its own then.")]
    tables: list[TableInfo]
    languages: Annotated[list[Language], Field(description=(
        "What the phones' language menu offers (docs/languages.md)."))]
    projector_language: Language
    texts: Annotated[dict[Language, EventText], Field(description=(
        "Title and question in other languages; a screen shows the reader's, else Swedish."))]


class StaffEventShape(EventShape):
    """The event as its staff (console, projector) see it."""

    show_themes: Annotated[bool, Field(description="The projector draws the theme cloud.")]
    schedule_next: Annotated[ScheduleNext | None, Field(description=(
        "What the schedule will do next; null: it will not move the event again."))]
    phase_set_by_hand_at: Annotated[Time | None, Field(description=(
        "When staff last changed the phase by hand: scheduled times up to then are passed over "
        "(saving the schedule clears it)."))]
    browser_language: Annotated[bool, Field(description=(
        "A phone's own language setting counts on its first visit."))]


class EventSummary(TypedDict):
    id: Id
    code: str
    title: str
    kind: Literal[KINDS]
    phase: Literal[PHASES]
    voting: Voting
    created_at: Time
    created_by_id: int | None


def event_shape(event) -> EventShape:
    """Every viewer of the event: residents, the projector, the console, REST."""
    return {
        "id": event.id,
        "code": event.code,
        "title": event.title,
        "prompt": event.prompt,
        "kind": event.kind,
        "phase": event.phase,
        "voting": event.voting_dict(),
        "moderation": event.moderation,
        "timer_ends_at": iso(event.timer_ends_at),
        "hide_tallies": event.hide_tallies,
        "tallies_revealed": event.tallies_revealed,
        "shuffle_ballot": event.shuffle_ballot,
        "asks_demographics": event.asks_demographics,
        "focus_areas": [{"id": f.id, "name": f.name} for f in event.focus_areas],
        "questions": [{"id": q.id, "text": q.text} for q in event.questions],
        "opens_at": iso(event.opens_at),
        "voting_opens_at": iso(event.voting_opens_at),
        "closes_at": iso(event.closes_at),
        "tables": tables_info(event),
        "languages": list(parse_list(event.languages)),
        "projector_language": event.projector_language,
        "texts": dict(event.texts or {}),
    }


def staff_event_shape(event) -> StaffEventShape:
    """The event's staff: also what only the console and projector use."""
    return event_shape(event) | {"show_themes": event.show_themes,
                                 "schedule_next": next_step(event),
                                 "phase_set_by_hand_at": iso(event.phase_set_by_hand_at),
                                 "browser_language": event.browser_language}


def summary_shape(event) -> EventSummary:
    """One line of a list of events (the dashboard, the review's event list)."""
    return {"id": event.id, "code": event.code, "title": event.title, "kind": event.kind,
            "phase": event.phase, "voting": event.voting_dict(),
            "created_at": iso(event.created_at), "created_by_id": event.created_by_id}
