"""Referensgrupp writes: members and their invitations, consent to show a name, meetings."""

import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal, NotRequired

from flask import current_app
from flask_babel import lazy_gettext as _l
from pydantic import Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from typing_extensions import TypedDict

from .. import access
from ..core.bus import publish
from ..core.declare import Version, request
from ..core.errors import OperationError, not_found
from ..core.time import LOCAL_ZONE, WHEN_MAX, Time, iso, parse_when, utcnow
from ..core.tx import write_transaction
from ..core.validate import Id, clean_name, clean_text, is_id
from ..events.models import Event
from ..events.operations import locked_event
from ..extensions import db
from ..ops.audit import audit
from ..participants import identity
from ..participants.models import Participant
from ..proposals.models import AUTHOR_NAME_MAX, Proposal
from ..proposals.shapes import shapes_of
from .models import (
    EMAIL_MAX,
    MEETING_TITLE_MAX,
    NAME_MAX,
    ORGANISATION_MAX,
    Attendance,
    Meeting,
    Member,
    invite_digest,
    new_invite_token,
)

# Light on purpose: one @, something either side, a dot in the domain, no spaces.
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
TOKEN_MAX = 100
MEMBER_STATUSES = ("invited", "joined", "revoked", "expired")


class MemberInfo(TypedDict):
    """A referensgrupp member, for staff only: names and e-mails never reach other members'
    phones (a name only with the member's consent) or an export."""

    id: Id
    name: Annotated[str, Field(max_length=NAME_MAX)]
    email: Annotated[str, Field(max_length=EMAIL_MAX)] | None
    organisation: Annotated[str, Field(max_length=ORGANISATION_MAX)] | None
    show_name: Annotated[bool, Field(description="The member's consent to show their name.")]
    status: Literal[MEMBER_STATUSES]
    invite_expires_at: Time | None
    joined_at: Time | None
    revoked_at: Time | None
    created_at: Time | None


class MemberCounts(TypedDict):
    """How many members are in each state: numbers, no names."""

    total: int
    invited: int
    joined: int
    revoked: int
    expired: int


@request
class NewMember(TypedDict):
    name: Annotated[str, Field(min_length=1, max_length=NAME_MAX)]
    email: NotRequired[Annotated[str, Field(max_length=EMAIL_MAX, pattern=EMAIL.pattern)] | None]
    organisation: NotRequired[Annotated[str, Field(max_length=ORGANISATION_MAX)] | None]


class Invitation(TypedDict):
    member: MemberInfo
    invite_token: Annotated[str, Field(description=(
        "Once: only a digest of it is stored. The screens hand out its link instead."))]
    version: Version


class MemberResult(TypedDict):
    member: MemberInfo
    version: Version


@request
class ShowName(TypedDict):
    show: Annotated[bool, Field(description=(
        "The member's consent to show their name with their proposals in the group; their "
        "earlier proposals change too."))]


class ShowNameResult(TypedDict):
    show_name: bool
    proposal_ids: Annotated[list[Id], Field(description="Their proposals, renamed.")]
    version: Version


@request
class InvitationToken(TypedDict):
    token: Annotated[str, Field(max_length=TOKEN_MAX, description="From the invitation link.")]


class Accepted(TypedDict):
    event_id: Id
    code: str
    member_id: Id
    version: Version


class Acceptance(Accepted):
    participant_token: Annotated[str, Field(description=(
        "For the screen to put in the browser's cookie; never sent on."))]


class MeetingInfo(TypedDict):
    id: Id
    title: Annotated[str, Field(max_length=MEETING_TITLE_MAX)]
    starts_at: Time
    present: Annotated[list[Id], Field(description="The members who were there.")]


class MeetingResult(TypedDict):
    meeting: MeetingInfo
    version: Version


@request
class NewMeeting(TypedDict):
    title: Annotated[str, Field(min_length=1, max_length=MEETING_TITLE_MAX)]
    starts_at: Annotated[str, Field(max_length=WHEN_MAX, description=(
        "ISO 8601; with an offset or Z it is converted to UTC, without it is the room's "
        "local time (TIMEZONE)."))]


@request
class AttendanceRequest(TypedDict):
    present: bool


class AttendanceResult(TypedDict):
    meeting_id: Id
    member_id: Id
    present: bool
    meeting: MeetingInfo
    version: Version


def _is_int(value) -> bool:
    return is_id(value)


def _staff_group(session, user, event_id):
    """The event locked for a staff write; only its managers, only a referensgrupp."""
    event, version = locked_event(session, event_id)
    access.require_manage(user, event)
    if not event.is_group:
        raise OperationError("not_a_group", _l("This event is not a reference group."), 409)
    return event, version


def _member_event_id(session, member_id) -> int:
    if not _is_int(member_id):
        raise not_found("member_not_found")
    event_id = session.scalar(select(Member.event_id).where(Member.id == member_id))
    if event_id is None:
        raise not_found("member_not_found")
    return event_id


def member_info(member: Member) -> MemberInfo:
    """For staff only: the group's own pages and the staff API."""
    return {
        "id": member.id, "name": member.name, "email": member.email,
        "organisation": member.organisation, "show_name": member.show_name,
        "status": member.status, "invite_expires_at": iso(member.invite_expires_at),
        "joined_at": iso(member.joined_at), "revoked_at": iso(member.revoked_at),
        "created_at": iso(member.created_at),
    }


def counts(session, event_id: int) -> MemberCounts:
    """What the staff room is pushed when membership changes: numbers, no names."""
    members = session.scalars(select(Member).where(Member.event_id == event_id)).all()
    tally = {"invited": 0, "joined": 0, "revoked": 0, "expired": 0}
    for member in members:
        tally[member.status] += 1
    return {"total": len(members), **tally}


def _invitation(member: Member) -> str:
    token = new_invite_token()
    member.invite_digest = invite_digest(token)
    member.invite_expires_at = utcnow() + timedelta(days=current_app.config.get("INVITE_DAYS",
                                                                                 60))
    return token


def _email(value):
    email = clean_text(value, "email", EMAIL_MAX, required=False, multiline=False)
    if email and not EMAIL.match(email):
        raise OperationError("invalid_email", _l("Check the e-mail address."), field="email")
    return email or None


def add_member(user, event_id: int, name, email=None, organisation=None) -> Invitation:
    """Invite a person. The answer holds the invitation token once; only its digest is kept."""
    name = clean_name(name, "name", NAME_MAX, required=True)
    email = _email(email)
    organisation = clean_name(organisation, "organisation", ORGANISATION_MAX) or None
    with write_transaction() as session:
        event, version = _staff_group(session, user, event_id)
        member = Member(event_id=event.id, name=name, email=email, organisation=organisation)
        token = _invitation(member)
        session.add(member)
        session.flush()
        audit(session, user, "member.add", f"member:{member.id}", event.id)
        info, tally = member_info(member), counts(session, event.id)
    publish("members.changed", event.id, version, counts=tally)
    return {"member": info, "invite_token": token, "version": version}


def revoke_member(user, member_id) -> MemberResult:
    with write_transaction() as session:
        event, version = _staff_group(session, user, _member_event_id(session, member_id))
        member = session.get(Member, member_id)
        if member.revoked_at is None:
            member.revoked_at = utcnow()
            audit(session, user, "member.revoke", f"member:{member.id}", event.id)
        info, tally = member_info(member), counts(session, event.id)
        participant = session.get(Participant, member.participant_id) if (
            member.participant_id) else None
    publish("members.changed", event.id, version, counts=tally)
    if participant is not None:
        # In-process only: lets the relay close the member's open sockets.
        publish("member.revoked", event.id, version, participant_token=participant.token)
    return {"member": info, "version": version}


def reissue_invitation(user, member_id) -> Invitation:
    """A new link with a new expiry; the old link stops working at once."""
    with write_transaction() as session:
        event, version = _staff_group(session, user, _member_event_id(session, member_id))
        member = session.get(Member, member_id)
        if member.revoked_at is not None:
            raise OperationError("member_revoked", _l("This member's invitation was revoked."),
                                 409)
        token = _invitation(member)
        audit(session, user, "member.reissue", f"member:{member.id}", event.id)
        # Phones that opened the old link lose the member's identity too: a leaked link is
        # shut out by a new one. The participant row (proposals, votes) stays; the member
        # takes it up again from the new link.
        participant = session.get(Participant, member.participant_id) if (
            member.participant_id) else None
        old_token = participant.token if participant else None
        if participant is not None:
            participant.token = secrets.token_urlsafe(32)
        info, tally = member_info(member), counts(session, event.id)
    publish("members.changed", event.id, version, counts=tally)
    if old_token is not None:
        publish("member.revoked", event.id, version, participant_token=old_token)
    return {"member": info, "invite_token": token, "version": version}


def _usable_member(session, token_string) -> Member:
    """The member an invitation link belongs to, if it may still be used (a read)."""
    unknown = OperationError("invitation_unknown", _l("We could not find that invitation."),
                             404, field="token")
    if not isinstance(token_string, str) or not 0 < len(token_string) <= TOKEN_MAX:
        raise unknown
    member = session.scalar(
        select(Member).where(Member.invite_digest == invite_digest(token_string)))
    if member is None:
        raise unknown
    if member.revoked_at is not None:
        raise OperationError("invitation_revoked", _l("This invitation has been revoked."),
                             410, field="token")
    if member.invite_expires_at <= utcnow():
        raise OperationError("invitation_expired", _l("This invitation has expired."), 410,
                             field="token")
    return member


def invitation_event(token_string):
    """For the page that asks before joining: the group an invitation is for."""
    return db.session.get(Event, _usable_member(db.session, token_string).event_id)


def accept_invitation(token_string) -> Acceptance:
    """Open an invitation: the member's participant (made on the first phone) for this browser.

    Every phone that opens the link gets the same participant token, so it is the same person.
    """
    with write_transaction() as session:
        event, version = locked_event(session, _usable_member(session, token_string).event_id)
        # Looked up again under the lock: a new invitation may have replaced this one.
        member = _usable_member(session, token_string)
        first = member.participant_id is None
        if first:
            participant = Participant(event_id=event.id, token=secrets.token_urlsafe(32))
            session.add(participant)
            session.flush()
            member.participant_id, member.joined_at = participant.id, utcnow()
        else:
            participant = session.get(Participant, member.participant_id)
        result = {"event_id": event.id, "code": event.code, "member_id": member.id,
                  "participant_token": participant.token, "version": version}
        tally = counts(session, event.id)
        marked = _mark_present_today(session, event.id, member.id)
    if first:
        publish("members.changed", event.id, version, counts=tally)
    for meeting in marked:
        publish("meeting.changed", event.id, version, meeting=meeting)
    return result


def _local_day(value: datetime):
    return value.replace(tzinfo=UTC).astimezone(LOCAL_ZONE).date()


def _mark_present_today(session, event_id: int, member_id: int) -> list[MeetingInfo]:
    """Opening the invitation on a meeting's day (local time) counts as being there."""
    today = _local_day(utcnow())
    marked = []
    for meeting in session.scalars(select(Meeting).where(Meeting.event_id == event_id)):
        if _local_day(meeting.starts_at) != today or session.scalar(select(Attendance.id).where(
                Attendance.meeting_id == meeting.id, Attendance.member_id == member_id)):
            continue
        session.add(Attendance(meeting_id=meeting.id, member_id=member_id))
        session.flush()
        marked.append(meeting_info(session, meeting))
    return marked


def set_show_name(event_id: int, participant_token, show) -> ShowNameResult:
    """The member's own consent; their proposals so far are renamed in the same write."""
    if not isinstance(show, bool):
        raise OperationError("invalid_type", _l("Choose yes or no."), field="show_name")
    if participant_token is None:
        raise OperationError("not_joined", _l("Join the event first."), 403)
    with write_transaction() as session:
        event, version = locked_event(session, event_id)
        if not event.is_group:
            raise OperationError("not_a_group", _l("This event is not a reference group."), 409)
        member = identity.require_take_part(session, event, participant_token)
        member.show_name = show
        proposals = session.scalars(select(Proposal).where(
            Proposal.event_id == event.id, Proposal.participant_id == member.participant_id)
        ).all()
        for proposal in proposals:
            proposal.author_name = access.author_name(member, None, AUTHOR_NAME_MAX)
        session.flush()
        changed = [shapes_of(p, event) for p in proposals]
    if changed:
        publish("proposal.updated", event.id, version, proposals=changed)
    return {"show_name": show, "proposal_ids": [c["staff"]["id"] for c in changed],
            "version": version}


def parse_starts_at(value) -> datetime:
    """A meeting's start: ISO 8601, converted to UTC; without an offset it is local time."""
    when = parse_when(value, "starts_at")
    if when is None:
        raise OperationError("invalid_time", _l("Give a date and time, e.g. 2026-12-03 18:00."),
                             field="starts_at")
    return when


def meeting_info(session, meeting: Meeting) -> MeetingInfo:
    present = session.scalars(select(Attendance.member_id).where(
        Attendance.meeting_id == meeting.id).order_by(Attendance.member_id)).all()
    return {"id": meeting.id, "title": meeting.title, "starts_at": iso(meeting.starts_at),
            "present": list(present)}


def add_meeting(user, event_id: int, title, starts_at) -> MeetingResult:
    title = clean_text(title, "title", MEETING_TITLE_MAX, multiline=False)
    starts = parse_starts_at(starts_at)
    with write_transaction() as session:
        event, version = _staff_group(session, user, event_id)
        meeting = Meeting(event_id=event.id, title=title, starts_at=starts)
        session.add(meeting)
        session.flush()
        info = meeting_info(session, meeting)
    publish("meeting.changed", event.id, version, meeting=info)
    return {"meeting": info, "version": version}


def set_attendance(user, meeting_id, member_id, present) -> AttendanceResult:
    if not isinstance(present, bool):
        raise OperationError("invalid_type", _l("Choose yes or no."), field="present")
    if not _is_int(meeting_id):
        raise not_found("meeting_not_found")
    if not _is_int(member_id):
        raise not_found("member_not_found")
    with write_transaction() as session:
        event_id = session.scalar(select(Meeting.event_id).where(Meeting.id == meeting_id))
        if event_id is None:
            raise not_found("meeting_not_found")
        event, version = _staff_group(session, user, event_id)
        member = session.get(Member, member_id)
        if member is None or member.event_id != event.id:
            raise not_found("member_not_found")
        row = session.scalar(select(Attendance).where(
            Attendance.meeting_id == meeting_id, Attendance.member_id == member_id))
        if present and row is None:
            try:
                with session.begin_nested():
                    session.add(Attendance(meeting_id=meeting_id, member_id=member_id,
                                           recorded_by_id=user.id))
            except IntegrityError:
                pass  # recorded already by a writer that slipped past the lock: same outcome
        elif not present and row is not None:
            session.delete(row)
        session.flush()
        info = meeting_info(session, session.get(Meeting, meeting_id))
    publish("meeting.changed", event.id, version, meeting=info)
    return {"meeting_id": meeting_id, "member_id": member_id, "present": present,
            "meeting": info, "version": version}


def list_members(user, event) -> list[MemberInfo]:
    access.require_manage(user, event)
    members = db.session.scalars(select(Member).where(Member.event_id == event.id)
                                 .order_by(Member.id)).all()
    return [member_info(m) for m in members]


def list_meetings(user, event) -> list[MeetingInfo]:
    access.require_manage(user, event)
    meetings = db.session.scalars(select(Meeting).where(Meeting.event_id == event.id)
                                  .order_by(Meeting.starts_at, Meeting.id)).all()
    return [meeting_info(db.session, m) for m in meetings]
