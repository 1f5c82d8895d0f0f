"""What a command's payload holds beyond the REST body of the same operation: the row it acts
on, which REST puts in the path. Everything else is the domain's request declaration."""

from typing_extensions import TypedDict

from ...core.declare import request
from ...core.validate import Id
from ...members.operations import AttendanceRequest
from ...proposals.merge import UndoRequest
from ...proposals.moderation import EditRequest, HideRequest, RestoreRequest
from ...proposals.operations import VoteRequest, WithdrawRequest
from ...proposals.paper import HandCountRequest


@request
class Nothing(TypedDict):
    """No fields (an empty object, or none at all)."""


@request
class ProposalRef(TypedDict):
    proposal_id: Id


@request
class MemberRef(TypedDict):
    member_id: Id


class VoteCommand(VoteRequest, ProposalRef):
    pass


class WithdrawCommand(WithdrawRequest, ProposalRef):
    pass


class HandCountCommand(HandCountRequest, ProposalRef):
    pass


class HideCommand(HideRequest, ProposalRef):
    pass


class RestoreCommand(RestoreRequest, ProposalRef):
    pass


class EditCommand(EditRequest, ProposalRef):
    pass


class UndoCommand(UndoRequest):
    merge_id: Id


class AttendanceCommand(AttendanceRequest, MemberRef):
    meeting_id: Id
