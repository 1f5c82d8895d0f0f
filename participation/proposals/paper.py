"""Input for the room as a whole: proposals written on paper (typed in by staff), proposals a
table's scribe enters for the table, and hand counts of votes.

Paper and scribe proposals are kept apart by their `source` ("paper", "scribe"); both belong to
a table rather than a person (no participant), so they are counted, ranked, merged and
supported exactly alike.
"""

from typing import Annotated, NotRequired

from flask_babel import lazy_gettext as _l
from pydantic import Field
from typing_extensions import TypedDict

from .. import access
from ..core.bus import publish
from ..core.declare import Version, request
from ..core.errors import OperationError
from ..core.tx import write_transaction
from ..core.validate import Id, clean_text, is_id
from ..events.operations import locked_event, moderated_event
from ..events.schedule import is_past_closing
from ..events.tables import table_by_number
from ..participants import identity
from . import language
from .models import BODY_MAX, TITLE_MAX, ModerationEntry, Proposal
from .numbering import next_number
from .operations import locked_proposal
from .shapes import (
    AuthorProposal,
    Body,
    StaffProposal,
    Title,
    author_proposal,
    shapes_of,
    staff_proposal,
)

HAND_COUNT_MAX = 100_000


@request
class ScribeProposalRequest(TypedDict):
    title: Annotated[Title, Field(min_length=1)]
    body: NotRequired[Body | None]


class PaperProposalRequest(ScribeProposalRequest):
    table: NotRequired[Annotated[int | None, Field(description="The table's number.")]]
    focus_area_id: NotRequired[Id | None]


class PaperProposal(TypedDict):
    proposal: StaffProposal
    version: Version


class ScribeProposal(TypedDict):
    proposal: AuthorProposal
    version: Version


@request
class HandCountRequest(TypedDict):
    count: Annotated[int, Field(ge=0, le=HAND_COUNT_MAX, description=(
        "Replaces the earlier count."))]


class HandCount(TypedDict):
    proposal_id: Id
    paper_votes: int
    version: Version


def add_paper_proposal(user, event_id: int, title, body=None, table=None,
                       focus_area_id=None) -> PaperProposal:
    """A proposal someone wrote on paper, typed in by staff; visible at once, marked as paper."""
    title = clean_text(title, "title", TITLE_MAX, required=True, multiline=False)
    body = clean_text(body, "body", BODY_MAX, required=False)
    lang = written_in(title, body)
    with write_transaction() as session:
        event, version = moderated_event(session, user, event_id, open_only=True)
        table_row = table_by_number(event, table)
        if table is not None and table_row is None:
            raise OperationError("unknown_table", _l("There is no such table."), 404,
                                 field="table")
        # is_id first: a list or an object is no focus area either (and cannot be hashed).
        if focus_area_id is not None and (not is_id(focus_area_id) or focus_area_id not in {
                f.id for f in event.focus_areas}):
            raise OperationError("invalid_focus_area", _l("Choose a focus area."),
                                 field="focus_area_id")
        result = _table_proposal(session, event, version, "paper", title, body, lang,
                                 table_row, focus_area_id)
    publish("proposal.submitted", event.id, version, **result["published"])
    return result["answer"]


def written_in(title: str, body: str) -> str:
    """A table's text, typed in as written on the note or agreed at the table: detected, with
    Swedish as the hint. Before the transaction: nothing is detected under the event's lock."""
    return language.detect(title, body, None)


def _table_proposal(session, event, version, source, title, body, lang, table_row,
                    focus_area_id=None, status="visible", shape=staff_proposal):
    """A proposal of a table, not of a person: from paper, or from the table's scribe."""
    proposal = Proposal(event_id=event.id, number=next_number(event), title=title, body=body,
                        source=source, lang=lang,
                        table_id=table_row.id if table_row else None,
                        focus_area_id=focus_area_id, status=status)
    session.add(proposal)
    session.flush()
    return {"published": shapes_of(proposal, event),
            "answer": {"proposal": shape(proposal, event), "version": version}}


def add_scribe_proposal(event_id: int, grant, title, body=None,
                        token=None) -> ScribeProposal:
    """The table scribe enters a proposal the table agreed on (`grant`: number and secret);
    it is the table's (its `table`, no participant), marked `source: "scribe"`.

    It follows the event's moderation like any resident's proposal: with approval first it
    waits for the facilitator. In a referensgrupp the scribe must also be an active member
    (`token`: the phone's own).
    """
    title = clean_text(title, "title", TITLE_MAX, required=True, multiline=False)
    body = clean_text(body, "body", BODY_MAX, required=False)
    lang = written_in(title, body)
    with write_transaction() as session:
        event, version = locked_event(session, event_id)
        identity.require_take_part(session, event, token)
        number, secret = grant if grant else (None, None)
        table_row = table_by_number(event, number)
        access.require_scribe(table_row, secret)
        if is_past_closing(event):
            raise OperationError("event_closed", _l("The event is closed."), 409)
        if event.phase != "collect":
            raise OperationError(
                "wrong_phase",
                _l("Proposals can only be written while the event is collecting them."), 409)
        result = _table_proposal(session, event, version, "scribe", title, body, lang, table_row,
                                 status="pending" if event.moderation == "pre" else "visible",
                                 shape=author_proposal)
    publish("proposal.submitted", event.id, version, **result["published"])
    return result["answer"]


def set_hand_count(user, proposal_id, count) -> HandCount:
    """Record how many hands went up for a proposal in the room (replaces the earlier count)."""
    if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= HAND_COUNT_MAX:
        raise OperationError("invalid_count", _l("Give the number of hands as a whole number."),
                             field="count")
    with write_transaction() as session:
        proposal, event, version = locked_proposal(session, proposal_id)
        access.require_moderate(user, event)
        if event.is_scale:
            # A raised hand is not a score from 1 to 5.
            raise OperationError(
                "hand_count_not_for_scale",
                _l("Hand counts cannot be added to a scale vote."), 409, field="count")
        if proposal.status == "pending":
            raise OperationError("proposal_pending",
                                 _l("That proposal is waiting for approval."), 409)
        if not proposal.is_visible:
            raise OperationError("proposal_hidden", _l("That proposal has been hidden."), 409)
        before = proposal.paper_votes
        proposal.paper_votes = count
        # Hand counts change results, so they are part of the audit trail too.
        session.add(ModerationEntry(event_id=event.id, proposal_id=proposal.id, actor_id=user.id,
                                    action="count", reason=f"{before} → {count}"))
    publish("vote.changed", event.id, version, proposal_id=proposal.id)
    return {"proposal_id": proposal.id, "paper_votes": count, "version": version}
