"""What the server pushes, and which domain event causes which push: two tables.

PUSHES names every Socket.IO event the server sends, its room and the declaration of its
payload (its fields come from there; the AsyncAPI document, /api/v1/asyncapi.json, is built
from it). RELAYS maps every domain event the
operations publish (core/bus.py) to what it becomes: a push of the shapes the operation already
built (the public shape to everyone, the staff shape to the staff room), a coalesced tally or
theme refresh, or nothing. Routing only: which proposal shape a viewer gets is decided in the
domain (proposals/shapes.py, access.py); a shape that is None (a proposal waiting for approval)
is not sent.
"""

import types
from dataclasses import dataclass
from typing import Annotated, Literal, NotRequired, Union, get_args, get_origin

from pydantic import Field
from typing_extensions import TypedDict

from ... import access
from ...activities import evaluation, panel, words
from ...activities import plan as activities
from ...activities import poll as polls
from ...activities.panel import PanelResults
from ...activities.plan import ActivityShape
from ...activities.poll import PollResults
from ...activities.words import Cloud
from ...budgets.queries import BudgetOutcome
from ...core.declare import Version
from ...core.time import Time, iso, utcnow
from ...core.validate import Id
from ...events.languages import Language
from ...events.models import PHASES, Event
from ...events.questions import QuestionInfo
from ...events.tables import TableInfo
from ...extensions import db, socketio
from ...members.operations import MeetingInfo, MemberCounts
from ...proposals.ranking import Tally
from ...proposals.shapes import HiddenProposal, PublicProposal, StaffProposal
from ...proposals.themes import Theme
from ..snapshot import (
    BudgetResults,
    ResidentState,
    Results,
    StaffState,
    TableResults,
    results,
)
from .rooms import ROOMS

# --- what each push carries ---------------------------------------------------------------


class ProposalPush(TypedDict):
    version: Version
    proposal: PublicProposal


class StaffProposalPush(TypedDict):
    version: Version
    proposal: Annotated[StaffProposal | HiddenProposal, Field(description=(
        "In full; an erased proposal (privacy/erase.py) as the hidden shape everyone gets."))]


class MergePush(TypedDict):
    version: Version
    source_id: Id
    target_id: Id
    undone: Annotated[bool, Field(description="The merge was undone: two proposals again.")]


class PhasePush(TypedDict):
    version: Version
    phase: Literal[PHASES]
    by: NotRequired[Annotated[Literal["schedule"], Field(description=(
        "It moved on its own at a scheduled time (events/schedule.py)."))]]
    results: NotRequired[Results]
    table_results: NotRequired[TableResults]
    budget_results: NotRequired[BudgetResults]


class TimerPush(TypedDict):
    version: Version
    ends_at: Annotated[Time | None, Field(description="Null: stopped.")]
    server_time: Time


class SchedulePush(TypedDict):
    version: Version
    opens_at: Time | None
    voting_opens_at: Time | None
    closes_at: Time | None


class QuestionsPush(TypedDict):
    version: Version
    questions: list[QuestionInfo]


class TablesPush(TypedDict):
    version: Version
    tables: list[TableInfo]


class RevealPush(TypedDict):
    version: Version
    revealed: bool


class ThemesDisplayPush(TypedDict):
    version: Version
    show: bool


class LanguagesPush(TypedDict):
    version: Version
    languages: Annotated[list[Language], Field(description="What the phones' menu offers.")]
    projector_language: Annotated[Language, Field(description=(
        "The projector reloads when it shows another language."))]


class TalliesPush(TypedDict):
    version: Version
    tallies: Annotated[dict[str, Tally], Field(description="Proposal id to its tally.")]
    voters: Annotated[int, Field(ge=0, description="People who have voted.")]


class BudgetPush(TypedDict):
    version: Version
    budget: BudgetOutcome


class ThemesPush(TypedDict):
    version: Version
    themes: list[Theme]


class PresencePush(TypedDict):
    connected: Annotated[int, Field(ge=0, description=(
        "People connected now: participants with a resident socket open, each counted once "
        "however many tabs or sockets they have."))]


class MembersPush(TypedDict):
    version: Version
    counts: MemberCounts


class MeetingPush(TypedDict):
    version: Version
    meeting: MeetingInfo


def keys(payload) -> tuple[str, ...]:
    """The keys a payload declaration names (of every shape, for a union), in order."""
    if get_origin(payload) in (Union, types.UnionType):
        return tuple(dict.fromkeys(k for member in get_args(payload) for k in keys(member)))
    return tuple(payload.__annotations__)


@dataclass(frozen=True)
class Push:
    room: str  # "event": every phone, console and projector; "staff": console and projector
    payload: object  # its declaration: a TypedDict (or a union of them)
    summary: str

    @property
    def fields(self) -> tuple[str, ...]:
        """What it carries besides "version"."""
        return tuple(k for k in keys(self.payload) if k != "version")

    @property
    def versioned(self) -> bool:
        return "version" in keys(self.payload)


class ActivityPush(TypedDict):
    version: Version
    live: Annotated[ActivityShape | None, Field(description=(
        "The live activity; phones and projector show it (a page reloads to paint it)."))]


class PollPush(TypedDict):
    version: Version
    results: PollResults


class PanelPush(TypedDict):
    version: Version
    panel: Annotated[PanelResults, Field(description=(
        "The questions as the public sees them (hidden ones left out); a phone marks its own "
        "and its likes from its snapshot and its answers."))]


class StaffPanelPush(TypedDict):
    version: Version
    panel: Annotated[PanelResults, Field(description="Every question, hidden ones too.")]


class CloudPush(TypedDict):
    version: Version
    cloud: Annotated[Cloud, Field(description="The word cloud as the public sees it.")]


class EvaluationPush(TypedDict):
    version: Version
    activity_id: Id
    people: Annotated[int, Field(ge=0, description="People who have answered (no answers).")]


PUSHES = {
    "snapshot": Push("connection", ResidentState | StaffState,
                     "The whole state for this viewer, sent to the new connection on connect."),
    "proposal": Push("event", ProposalPush, "A proposal, as the public sees it (new, "
                     "moderated, merged, erased); never one waiting for approval."),
    "staff_proposal": Push("staff", StaffProposalPush, "A proposal in full, for the console."),
    "merge": Push("event", MergePush,
                  "Two proposals were merged (or split again): phones holding votes or "
                  "proposals among them ask for a fresh snapshot."),
    "phase": Push("event", PhasePush, "The event's phase; with the results once they are out."),
    "timer": Push("event", TimerPush, "The countdown's end (null: stopped)."),
    "schedule": Push("event", SchedulePush, "When the event opens and closes."),
    "questions": Push("event", QuestionsPush, "The question cards."),
    "tables": Push("event", TablesPush, "The tables (number and name)."),
    "reveal": Push("staff", RevealPush, "Whether the projector shows the vote bars."),
    "themes_display": Push("staff", ThemesDisplayPush,
                           "Whether the projector shows the theme cloud."),
    "languages": Push("staff", LanguagesPush, "The event's languages (events/languages.py)."),
    "tallies": Push("staff", TalliesPush,
                    "Live tallies from the stored votes, at most once per coalescing interval."),
    "themes": Push("staff", ThemesPush, "The theme cloud, coalesced like the tallies."),
    "budget": Push("staff", BudgetPush, "A budget event's outcome from the stored ballots "
                   "(what Equal Shares funds), coalesced with the tallies."),
    "presence": Push("staff", PresencePush,
                     "People (participants, not sockets) connected now, coalesced."),
    "members": Push("staff", MembersPush, "Referensgrupp membership counts (no names)."),
    "meeting": Push("staff", MeetingPush, "A referensgrupp meeting and who was present."),
    "activity": Push("event", ActivityPush, "The activity plan changed: which one is live."),
    "poll": Push("staff", PollPush, "The live quick poll's results, after each answer."),
    "panel": Push("event", PanelPush, "The questions to the panel after each question, like "
                  "or moderation, as the public sees them."),
    "staff_panel": Push("staff", StaffPanelPush, "The questions to the panel, for the console."),
    "evaluation": Push("staff", EvaluationPush, "How many have answered the evaluation."),
    "cloud": Push("event", CloudPush, "The word cloud after each send or moderation, as the "
                  "public sees it (hidden words left out)."),
}


def emit(name: str, event_id: int, version: int | None, **fields):
    push = PUSHES[name]
    payload = ({"version": version} if push.versioned else {}) | fields
    socketio.emit(name, payload, to=ROOMS[push.room](event_id))


# --- what a domain event becomes ------------------------------------------------------------


def _proposal(event_id, version, shapes):
    emit("staff_proposal", event_id, version, proposal=shapes["staff"])
    if shapes["public"] is not None:
        emit("proposal", event_id, version, proposal=shapes["public"])


def proposal_shapes(relay, domain_event):
    _proposal(domain_event.event_id, domain_event.version, domain_event.data)


def merged_shapes(relay, domain_event):
    data = domain_event.data
    for key in ("source", "target"):
        _proposal(domain_event.event_id, domain_event.version, data[key])
    emit("merge", domain_event.event_id, domain_event.version,
         source_id=data["merge"]["source_id"], target_id=data["merge"]["target_id"],
         undone=domain_event.name == "proposal.unmerged")


def renamed_shapes(relay, domain_event):
    for shapes in domain_event.data["proposals"]:
        _proposal(domain_event.event_id, domain_event.version, shapes)


def phase(relay, domain_event):
    """The new phase to every screen, with the results once they are out."""
    event = db.session.get(Event, domain_event.event_id)
    fields = {"phase": domain_event.data["phase"]}
    if domain_event.data.get("by"):
        fields["by"] = domain_event.data["by"]  # "schedule": it opened or closed on its own
    emit("phase", event.id, domain_event.version, **fields, **results(event, access.PUBLIC))


def results_if_out(relay, domain_event):
    """Moderation after the results are out changes the ranking every screen shows."""
    event = db.session.get(Event, domain_event.event_id)
    shown = results(event, access.PUBLIC)
    if shown:
        emit("phase", event.id, domain_event.version, phase=event.phase, **shown)


def timer(relay, domain_event):
    emit("timer", domain_event.event_id, domain_event.version,
         ends_at=domain_event.data["ends_at"], server_time=iso(utcnow()))


def plain(push: str, *fields: str):
    """A push carrying fields of the domain event as they are."""
    def send(relay, domain_event):
        emit(push, domain_event.event_id, domain_event.version,
             **{f: domain_event.data[f] for f in fields})
    return send


def poll_results(relay, domain_event):
    """The live poll's bars to the console and projector (residents get theirs on answering,
    where the poll shows them)."""
    if shape := activities.live_kind(domain_event.event_id, "poll"):
        emit("poll", domain_event.event_id, domain_event.version, results=polls.results(shape))


def panel_lists(relay, domain_event):
    """The live questions to everyone (the public shape) and to the staff room (all of them)."""
    if shape := activities.live_kind(domain_event.event_id, "questions"):
        emit("panel", domain_event.event_id, domain_event.version,
             panel=panel.results(shape, access.PUBLIC))
        emit("staff_panel", domain_event.event_id, domain_event.version,
             panel=panel.results(shape))


def cloud_words(relay, domain_event):
    if shape := activities.live_kind(domain_event.event_id, "words"):
        emit("cloud", domain_event.event_id, domain_event.version, cloud=words.cloud(shape))


def evaluation_count(relay, domain_event):
    if shape := activities.live_kind(domain_event.event_id, "evaluation"):
        emit("evaluation", domain_event.event_id, domain_event.version,
             activity_id=shape["id"], people=evaluation.people(shape["id"]))


def tallies(relay, domain_event):
    relay.mark_tallies(domain_event.event_id)


def themes(relay, domain_event):
    relay.mark_themes(domain_event.event_id)


def close_member_sockets(relay, domain_event):
    """A revoked member's phones (or those of a replaced invitation) stop at once."""
    relay.disconnect_participant(domain_event.event_id, domain_event.data["participant_token"])


def close_team_sockets(relay, domain_event):
    """Someone taken off the event's team stops receiving its staff room at once."""
    if domain_event.data["left_user_id"] is not None:
        relay.disconnect_staff(domain_event.event_id, domain_event.data["left_user_id"])


RELAYS = {
    "proposal.submitted": (proposal_shapes, tallies, themes),
    "proposal.moderated": (proposal_shapes, results_if_out, tallies, themes),
    "proposal.erased": (proposal_shapes, results_if_out, tallies, themes),
    "proposal.merged": (merged_shapes, results_if_out, tallies, themes),
    "proposal.unmerged": (merged_shapes, results_if_out, tallies, themes),
    "proposal.updated": (renamed_shapes, themes),
    "vote.changed": (tallies,),
    "budget.changed": (tallies,),
    "event.phase_changed": (phase, tallies),
    "event.timer": (timer,),
    "event.schedule": (plain("schedule", "opens_at", "voting_opens_at", "closes_at"),),
    "event.questions": (plain("questions", "questions"),),
    "event.tables": (plain("tables", "tables"),),
    "event.tallies_revealed": (plain("reveal", "revealed"),),
    "event.themes_display": (plain("themes_display", "show"),),
    "event.languages": (plain("languages", "languages", "projector_language"),),
    "members.changed": (plain("members", "counts"),),
    "meeting.changed": (plain("meeting", "meeting"),),
    "member.revoked": (close_member_sockets,),
    "team.changed": (close_team_sockets,),
    # Writes no live screen shows: the console reloads what it needs, the rest is review.
    "event.created": (),
    "event.scribe_card": (),
    "proposal.reviewed": (),
    "proposal.commented": (),
    "proposal.linked": (),
    "measure.changed": (),
    "measure.deleted": (),
    "measure.imported": (),
    # The activity plan and poll answers (issue 17, docs/activities.md).
    "activities.changed": (plain("activity", "live"),),
    "poll.answered": (poll_results,),
    "panel.changed": (panel_lists,),
    "evaluation.answered": (evaluation_count,),
    "cloud.changed": (cloud_words,),
}
