"""The project team's answer to a proposal in terms of the measure backlog: a new measure made
from it, support for or a duplicate of an existing measure, or out of scope. One answer per
proposal; it sets the proposal's review status (what the resident's follow page shows) in the
same transaction. The one path for the backlog pages and REST.

Measures themselves are the backlog's (backlog/operations.py); linking writes on a proposal, so
it takes that proposal's event lock and version like every review write.
"""

from typing import Annotated, Literal, NotRequired

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import Field
from sqlalchemy import select
from typing_extensions import TypedDict

from .. import access
from ..backlog.models import LINK_KINDS, REASON_MAX, TITLE_MAX, Measure, ProposalLink
from ..backlog.operations import (
    FIELDS,
    MeasureFields,
    check_range,
    clean_field,
    clean_measure,
    new_measure,
)
from ..backlog.shapes import LinkShape, link_dict
from ..core.bus import publish
from ..core.declare import Version, request
from ..core.errors import OperationError
from ..core.tx import write_transaction
from ..core.validate import Id, clean_text, is_id
from ..events.models import FocusArea
from ..proposals.operations import locked_proposal
from . import state

# What linking does to the proposal's review status (the resident's follow page shows it).
LINK_STATUS = {"created_from": "in_backlog", "supports": "in_backlog",
               "duplicate": "duplicate", "out_of_scope": "out_of_scope"}
LinkReason = Annotated[str, Field(max_length=REASON_MAX, description="Public.")]


@request
class CreatedFrom(TypedDict):
    """A new measure made from the proposal (a second time: the one made then)."""

    kind: Literal["created_from"]
    reason: NotRequired[LinkReason | None]
    new_measure: NotRequired[Annotated[MeasureFields | None, Field(description=(
        "Fields that replace the ones taken from the proposal."))]]


@request
class SupportsMeasure(TypedDict):
    """Support for, or a duplicate of, an existing measure."""

    kind: Literal["supports", "duplicate"]
    measure_id: Id
    reason: NotRequired[LinkReason | None]


@request
class OutOfScope(TypedDict):
    """Outside what the programme can do: say why, publicly."""

    kind: Literal["out_of_scope"]
    reason: Annotated[LinkReason, Field(min_length=1)]


LinkRequest = CreatedFrom | SupportsMeasure | OutOfScope


class LinkResult(TypedDict):
    link: LinkShape | None
    version: Version


def _require_manager(user):
    access.require_manage_backlog(user)


def _clean_link(kind, measure_id, reason):
    if not isinstance(kind, str) or kind not in LINK_KINDS:
        raise OperationError("invalid_kind", _l("Choose what to do with the proposal."),
                             field="kind")
    reason = clean_text(reason, "reason", REASON_MAX, required=kind == "out_of_scope") or None
    if kind in ("supports", "duplicate"):
        if measure_id is None:
            raise OperationError("measure_required", _l("Choose a measure."), field="measure_id")
        if not is_id(measure_id):
            raise OperationError("invalid_type", _l("Choose a measure."), field="measure_id")
    return reason


def _focus_name(session, focus_area_id):
    if focus_area_id is None:
        return None
    return session.scalar(select(FocusArea.name).where(FocusArea.id == focus_area_id))


def _measure_from(session, proposal, event) -> dict:
    """A new measure's first draft from the proposal. Measures are public: a referensgrupp's
    words stay within the group, so its proposal gives a neutral title and no text (the team
    writes its own, as `new_measure` or on the measure's page)."""
    focus = {"focus_area": _focus_name(session, proposal.focus_area_id)}
    if access.is_public_event(event):
        return focus | {"title": proposal.title[:TITLE_MAX], "description": proposal.body}
    with force_locale("sv"):  # measures are written in the city's language
        title = _("Measure from a reference group's proposal (no. %(id)d)", id=proposal.id)
    return focus | {"title": title, "description": ""}


def link_proposal(user, proposal_id, kind, measure_id=None, reason=None,
                  new_measure_fields=None) -> LinkResult:
    """One answer per proposal; linking again replaces the answer. Sets the review status."""
    _require_manager(user)
    reason = _clean_link(kind, measure_id, reason)
    extra = clean_measure(new_measure_fields or {}, partial=True) if kind == "created_from" \
        else {}
    with write_transaction() as session:
        proposal, event, version = locked_proposal(session, proposal_id)
        if proposal.status == "pending":
            raise OperationError("proposal_pending",
                                 _l("The proposal is waiting for approval."), 409)
        if proposal.status != "visible":
            # A hidden proposal may hold what was hidden for a reason; a merged one answers
            # through the proposal it joined.
            raise OperationError("not_linkable",
                                 _l("Only proposals that are shown can be linked."), 409)
        link = session.scalar(select(ProposalLink).where(ProposalLink.proposal_id == proposal.id))
        if kind == "created_from" and link is not None and link.kind == "created_from":
            # A second press (or a re-link) keeps the measure already made from it.
            measure_id = link.measure_id
        elif kind == "created_from":
            fields = _measure_from(session, proposal, event) | extra
            fields = {n: clean_field(n, fields.get(n)) for n in FIELDS}
            check_range(fields["reduction_low"], fields["reduction_high"])
            measure_id = new_measure(session, user, fields).id
        elif kind != "out_of_scope" and session.scalar(
                select(Measure.id).where(Measure.id == measure_id).with_for_update()) is None:
            # Locked: a delete of the measure cannot slip in before the link is written.
            raise OperationError("measure_not_found", _l("We could not find that."), 404,
                                 field="measure_id")
        values = {"kind": kind, "reason": reason, "actor_id": user.id,
                  "measure_id": None if kind == "out_of_scope" else measure_id}
        if link is None:
            link = ProposalLink(proposal_id=proposal.id, **values)
            session.add(link)
        for name, value in values.items():
            setattr(link, name, value)
        review = state.current(session, proposal.id)
        answer = reason or (review.public_answer if review is not None else "")
        state.record_status(session, proposal.id, LINK_STATUS[kind], answer, user)
        session.flush()
        result = {"link": link_dict(link), "version": version}
    publish("proposal.linked", event.id, version, proposal_id=proposal.id, link=result["link"])
    return result


def unlink_proposal(user, proposal_id) -> LinkResult:
    """Takes the answer back; the proposal is `reviewing` again (its history keeps the link)."""
    _require_manager(user)
    with write_transaction() as session:
        proposal, event, version = locked_proposal(session, proposal_id)
        link = session.scalar(select(ProposalLink).where(ProposalLink.proposal_id == proposal.id))
        if link is None:
            raise OperationError("not_linked", _l("The proposal is not linked."), 409)
        session.delete(link)
        review = state.current(session, proposal.id)
        state.record_status(session, proposal.id, "reviewing",
                            review.public_answer if review is not None else "", user)
        result = {"link": None, "version": version}
    publish("proposal.linked", event.id, version, proposal_id=proposal.id, link=None)
    return result
