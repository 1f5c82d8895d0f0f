"""A proposal as each viewer may see it: one function per shape, the rule in access.py.

Every screen and channel builds from these: the phone's first paint, snapshots, pushes, acks,
REST, the public and follow pages, exports. `staff` has everything; `author` is a resident's
own proposal (also while it waits for approval); `public` is what everyone else sees — a
hidden proposal keeps its id and reason and loses its content, a merged one points to where
it went, and a proposal waiting for approval has no public shape at all (None).
"""

from typing import Annotated, Literal, NotRequired

from pydantic import Field
from sqlalchemy.orm import object_session
from typing_extensions import TypedDict

from .. import access
from ..core.time import Time, iso
from ..core.validate import Id
from .models import BODY_MAX, SOURCES, STATUSES, TITLE_MAX

Title = Annotated[str, Field(max_length=TITLE_MAX)]
Body = Annotated[str, Field(max_length=BODY_MAX)]


Number = Annotated[int, Field(ge=1, description=(
    "Its number within the event (#1, #2, …), what screens show; the id stays for links."))]


class MergedText(TypedDict):
    """A text merged into a proposal: where it came from stays readable."""

    id: Id
    number: Number
    title: Title
    body: Body
    lang: str | None
    author_name: str | None


class ProposalContent(TypedDict):
    """What a shown proposal says, to anyone who may read it."""

    id: Id
    number: Number
    status: Literal[STATUSES]
    title: Title
    body: Body
    lang: Annotated[str | None, Field(description=(
        "The language it is written in (BCP 47), for the `lang` attribute; null: unknown."))]
    focus_area_id: Id | None
    focus_area: str | None
    question_id: Annotated[Id | None, Field(description="The question card it answers.")]
    author_name: Annotated[str | None, Field(description=(
        "The name its author chose to give; in a referensgrupp only with their consent."))]
    source: Annotated[Literal[SOURCES], Field(description=(
        "phone: a resident's own; paper: written on paper, typed in by staff; scribe: entered "
        "by the table's scribe for the table."))]
    table: Annotated[int | None, Field(description="The number of the table it came from.")]
    created_at: Time
    edit_reason: Annotated[str | None, Field(description="Why a facilitator changed the text.")]
    merged_from: Annotated[list[MergedText], Field(description=(
        "The texts merged into this proposal (also those merged into them), oldest first."))]


class AuthorProposal(ProposalContent):
    """A resident's own proposal, whatever became of it (also while it waits for approval)."""

    hidden_reason: str | None
    merged_into: Annotated[Id | None, Field(description=(
        "Status merged: the proposal it was merged into."))]
    merged_into_number: Annotated[int | None, Field(description=(
        "Status merged: that proposal's number within the event."))]


class StaffProposal(AuthorProposal):
    """A proposal in full, for the event's staff."""

    paper_votes: Annotated[int, Field(ge=0, description="Hands counted in the room.")]


class HiddenProposal(TypedDict):
    """A hidden proposal as the public sees it: that it was hidden and why, not its text."""

    id: Id
    number: Number
    status: Literal["hidden"]
    hidden_reason: str
    erased: NotRequired[Annotated[Literal[True], Field(description=(
        "Erased by the person who wrote it (privacy/erase.py); every viewer gets this shape."
    ))]]


class MergedProposal(TypedDict):
    """A merged proposal as the public sees it: where it went (its text is in the target's
    merged_from)."""

    id: Id
    number: Number
    status: Literal["merged"]
    merged_into: Id
    merged_into_number: Annotated[int, Field(ge=1, description=(
        "The number within the event of the proposal it joined."))]


PublicProposal = ProposalContent | HiddenProposal | MergedProposal


def _merged_into_number(proposal) -> int | None:
    """The number of the proposal it joined; from the session's identity map when it is there
    (a snapshot has loaded the whole event), else one lookup by primary key."""
    session = object_session(proposal)
    if proposal.merged_into_id is None or session is None:
        return None
    target = session.get(type(proposal), proposal.merged_into_id)
    return target.number if target is not None else None


def _table_number(event, table_id):
    return next((t.number for t in event.tables if t.id == table_id), None)


def _content(proposal, event) -> ProposalContent:
    """What a shown proposal says, to anyone who may read it."""
    focus = next((f for f in event.focus_areas if f.id == proposal.focus_area_id), None)
    return {
        "id": proposal.id,
        "number": proposal.number,
        "status": proposal.status,
        "title": proposal.title,
        "body": proposal.body,
        "lang": proposal.lang,
        "focus_area_id": proposal.focus_area_id,
        "focus_area": focus.name if focus else None,
        "question_id": proposal.question_id,
        "author_name": proposal.author_name,
        "source": proposal.source,
        "table": _table_number(event, proposal.table_id),
        "created_at": iso(proposal.created_at),
        "edit_reason": proposal.edit_reason,
        "merged_from": merged_from(proposal),
    }


def author_proposal(proposal, event) -> AuthorProposal:
    """The resident's own proposal, whatever became of it."""
    return _content(proposal, event) | {"hidden_reason": proposal.hidden_reason,
                                        "merged_into": proposal.merged_into_id,
                                        "merged_into_number": _merged_into_number(proposal)}


def staff_proposal(proposal, event) -> StaffProposal:
    """For the event's staff: also the hands counted in the room."""
    return author_proposal(proposal, event) | {"paper_votes": proposal.paper_votes}


def public_proposal(proposal, event) -> PublicProposal | None:
    """What everyone may see; None while it waits for approval."""
    if proposal.status == "pending":
        return None
    if proposal.status == "hidden":
        return {"id": proposal.id, "number": proposal.number, "status": "hidden",
                "hidden_reason": proposal.hidden_reason}
    if proposal.status == "merged":
        # Its text lives on under the target's merged_from; it is not a proposal of its own.
        return {"id": proposal.id, "number": proposal.number, "status": "merged",
                "merged_into": proposal.merged_into_id,
                "merged_into_number": _merged_into_number(proposal)}
    return _content(proposal, event)


SHAPES = {"staff": staff_proposal, "author": author_proposal, "public": public_proposal}


def proposal_for(viewer: access.Viewer, proposal, event) -> dict | None:
    """The shape this viewer gets of this proposal (None: they may not know it exists)."""
    view = access.proposal_view(viewer, proposal.status, proposal.participant_id)
    return SHAPES[view](proposal, event) if view else None


def shapes_of(proposal, event) -> dict:
    """Every shape at once, for a domain event: the push layer routes each to its room."""
    return {"public": public_proposal(proposal, event), "staff": staff_proposal(proposal, event),
            "author": author_proposal(proposal, event), "author_id": proposal.participant_id}


def merged_from(proposal) -> list[MergedText]:
    """The texts merged into this proposal, also those merged into them (oldest first)."""
    found, pending = [], list(proposal.merged_sources)
    while pending:
        source = pending.pop(0)
        found.append({"id": source.id, "number": source.number, "title": source.title,
                      "body": source.body, "lang": source.lang,
                      "author_name": source.author_name})
        pending.extend(source.merged_sources)
    return sorted(found, key=lambda entry: entry["id"])
