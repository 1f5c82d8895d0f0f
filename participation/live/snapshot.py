"""The whole live event as one viewer sees it, tagged with the event's version.

One builder per viewer: `resident_state` (a phone: the public shapes, its own proposals in
full, its ballot) and `staff_state` (console and projector: everything, with live tallies).
The phone's first paint, the socket snapshot on every (re)connect and REST's /state all come
from here, so a page can never show what a snapshot would not.
"""

from typing import Annotated, NotRequired

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from typing_extensions import TypedDict

from .. import access
from ..activities import plan as activities
from ..activities.live import LiveParts, live_parts
from ..budgets import queries as budgets
from ..budgets.queries import BudgetBallot, BudgetOutcome
from ..core.declare import Version, keys_of
from ..core.time import Time, iso, utcnow
from ..core.validate import Id
from ..core.version_cache import cached
from ..events.shapes import EventShape, StaffEventShape, event_shape, staff_event_shape
from ..extensions import db
from ..participants import identity
from ..proposals import ranking, themes
from ..proposals.models import Proposal
from ..proposals.operations import Ballot, my_ballot
from ..proposals.order import ballot_seed
from ..proposals.ranking import RankedProposal, Tally
from ..proposals.shapes import (
    AuthorProposal,
    PublicProposal,
    StaffProposal,
    author_proposal,
    public_proposal,
    staff_proposal,
)
from ..proposals.themes import Theme
from ..web.identity import scribe_grant
from ..web.links import FollowUrl, follow_url, join_url

CACHED_VERSIONS = 16
JoinUrl = Annotated[str, Field(description="The link (and QR code) phones join by.")]
EventView = TypedDict("EventView", {**keys_of(EventShape), "join_url": JoinUrl})
StaffEventView = TypedDict("StaffEventView", {**keys_of(StaffEventShape), "join_url": JoinUrl})
ServerTime = Annotated[Time, Field(description=(
    "The server's clock: a client with a wrong clock still counts down to timer_ends_at."))]
Results = Annotated[list[RankedProposal], Field(description=(
    "The ranking, best first: only once the results are out (phase results or closed)."))]
TableResults = Annotated[dict[str, list[RankedProposal]], Field(description=(
    "Each table's (by number) best three, with the results, at an event with tables."))]


class Me(TypedDict):
    """The phone's own state in the event."""

    joined: bool
    display_name: str | None
    table: Annotated[int | None, Field(description="The number of the table it sits at.")]
    proposal_ids: Annotated[list[Id], Field(description="Its own proposals.")]
    ballot: Ballot
    seed: Annotated[str | None, Field(description=(
        "Orders its ballot when shuffle_ballot is on."))]
    follow_url: FollowUrl | None
    budget_choice: NotRequired[Annotated[list[Id], Field(description=(
        "A budget event: the measures this person approves, in ballot order."))]]


BudgetResults = Annotated[BudgetOutcome, Field(description=(
    "A budget event's outcome: only once the results are out (phase results or closed)."))]


class ResidentState(LiveParts):
    """The whole event as a phone sees it: the public shapes, its own proposals in full (also
    waiting for approval), its ballot; no running tallies."""

    version: Version
    server_time: ServerTime
    event: EventView
    proposals: list[PublicProposal | AuthorProposal]
    results: NotRequired[Results]
    table_results: NotRequired[TableResults]
    budget: NotRequired[Annotated[BudgetBallot, Field(description="A budget event's ballot.")]]
    budget_results: NotRequired[BudgetResults]
    me: Me


class StaffState(LiveParts):
    """The whole event as its staff (console, projector) see it, with live tallies."""

    version: Version
    server_time: ServerTime
    event: StaffEventView
    proposals: list[StaffProposal]
    tallies: Annotated[dict[str, Tally], Field(description="Proposal id to its tally.")]
    voters: Annotated[int, Field(ge=0, description="People who have voted.")]
    themes: list[Theme]
    results: NotRequired[Results]
    table_results: NotRequired[TableResults]
    budget: NotRequired[Annotated[BudgetOutcome, Field(description=(
        "A budget event's ballot and live outcome from the stored ballots."))]]
    connected: NotRequired[Annotated[int, Field(ge=0, description=(
        "People (participants, not sockets) connected now: in the socket's snapshot only."))]]


def event_view(event, staff: bool = False) -> EventView | StaffEventView:
    """The event's shape with the link phones join by."""
    shape = staff_event_shape(event) if staff else event_shape(event)
    return shape | {"join_url": join_url(event.code)}


def results(event, viewer: access.Viewer) -> dict:
    """The ranking (and each table's best), once the viewer may see it."""
    if not access.may_see_results(event, viewer) or event.phase not in access.RESULTS_PHASES:
        return {}
    found = {"results": ranking.ranked(event)}
    if event.tables:
        found["table_results"] = ranking.ranked_by_table(event)
    if event.is_budget:
        found["budget_results"] = budgets.outcome(event)
    return found


def _proposals(event):
    return db.session.scalars(
        select(Proposal).where(Proposal.event_id == event.id).order_by(Proposal.id)
        .options(selectinload(Proposal.merged_sources))  # merged_from, in one query
    ).all()


def _shared(event, version: int) -> dict:
    """What every resident's state at this version has in common, built once per process:
    a join storm (thousands of phones at one version) then costs one build, not thousands."""

    def build():
        built = {"event": event_view(event),
                 "proposals": [(p.id, p.participant_id, p.status, public_proposal(p, event),
                                author_proposal(p, event)) for p in _proposals(event)],
                 # event_shape names tables by number only; a phone's seat is matched by id.
                 "table_ids": {t.id: t.number for t in event.tables}}
        built.update(results(event, access.PUBLIC))
        if event.is_budget:
            built["budget"] = budgets.ballot(event)
        built["live_activity"] = activities.live_shape(event.id)
        return built

    return cached("snapshot_shared", event.id, version, build, CACHED_VERSIONS)


def resident_state(event, token: str | None) -> ResidentState:
    # Read the version before the content: the content is then at least that new, and any
    # push with a higher version still applies on top of it.
    version = event.version
    shared = _shared(event, version)
    participant = identity.find(event.id, token)
    viewer = access.resident(participant)
    proposals = []
    for _id, author, status, public, own in shared["proposals"]:
        view = access.proposal_view(viewer, status, author)
        if view is not None:
            proposals.append(own if view == "author" else public)
    state = {
        "version": version,
        # Lets a client with a wrong clock still count down to the server's end time.
        "server_time": iso(utcnow()),
        "event": dict(shared["event"]),
        "proposals": proposals,
    }
    for key in ("results", "table_results", "budget", "budget_results"):
        if key in shared:
            state[key] = shared[key]
    me = viewer.participant_id
    state["me"] = {
        "joined": token is not None,
        "display_name": participant.display_name if participant else None,
        "table": shared["table_ids"].get(participant.table_id) if participant else None,
        "proposal_ids": [pid for pid, author, *_ in shared["proposals"]
                         if me is not None and author == me],
        "ballot": my_ballot(event, participant),
        "seed": ballot_seed(token) if event.shuffle_ballot and token else None,
        "follow_url": follow_url(participant.follow_code if participant else None),
    }
    if event.is_budget:
        state["me"]["budget_choice"] = budgets.my_choice(event.id, me)
    state.update(live_parts(shared["live_activity"], viewer))
    return state


def scribe_table(event, grant=None) -> dict | None:
    """The table this phone is the scribe of, if the card it scanned is still the table's."""
    number, secret = grant or scribe_grant(event.id) or (None, None)
    table = next((t for t in event.tables if t.number == number), None)
    return {"number": table.number, "name": table.name} if access.is_scribe(
        table, secret) else None


def staff_state(event) -> StaffState:
    version = event.version
    proposals = _proposals(event)
    state = {
        "version": version,
        "server_time": iso(utcnow()),
        "event": event_view(event, staff=True),
        "proposals": [staff_proposal(p, event) for p in proposals],
        "tallies": {str(k): v for k, v in ranking.tallies(event.id).items()},
        "voters": ranking.voter_count(event.id),
        "themes": themes.cloud(event),
        **{k: v for k, v in results(event, access.STAFF).items() if k != "budget_results"},
        **({"budget": budgets.outcome(event)} if event.is_budget else {}),
    }
    state.update(live_parts(activities.live_shape(event.id), access.STAFF))
    return state


def state_for(event, token: str | None, staff: bool) -> ResidentState | StaffState:
    return staff_state(event) if staff else resident_state(event, token)
