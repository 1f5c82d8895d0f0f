"""An event's team: the colleagues who run it with its creator, as facilitators or moderators
(what each may do is access.py's). Adding and removing them is one write path for the console
form, REST and the socket: validate, lock the event, check, write with an audit line, commit,
publish."""

from typing import Annotated, Literal

from flask_babel import lazy_gettext as _l
from pydantic import Field
from sqlalchemy import select
from typing_extensions import TypedDict

from .. import access
from ..accounts.models import User
from ..core.bus import publish
from ..core.declare import Version, request
from ..core.errors import OperationError, forbidden, not_found
from ..core.time import Time, iso
from ..core.tx import write_transaction
from ..core.validate import Id, clean_text, is_id
from ..ops.audit import audit
from .models import TEAM_ROLES, Event, EventTeamMember
from .operations import locked_event

EMAIL_MAX = 254


class TeamMember(TypedDict):
    user_id: Id
    email: str
    role: Literal[TEAM_ROLES]
    creator: Annotated[bool, Field(description=(
        "The event's creator: its facilitator without being added, and never removed."))]
    added_at: Annotated[Time, Field(description="For the creator: when the event was made.")]
    added_by: Annotated[str | None, Field(description=(
        "Who added them (the e-mail); null for the creator or a deleted account."))]


class Team(TypedDict):
    event_id: Id
    team: Annotated[list[TeamMember], Field(description="The creator first, then by when added.")]


class TeamChange(TypedDict):
    member: TeamMember
    team: list[TeamMember]
    version: Version


class TeamRemoval(TypedDict):
    removed_user_id: Id
    team: list[TeamMember]
    version: Version


@request
class NewTeamMember(TypedDict):
    email: Annotated[str, Field(min_length=1, max_length=EMAIL_MAX, description=(
        "A staff account's e-mail. A facilitator needs a facilitator or admin account; a "
        "moderator may be any staff account."))]
    role: Literal[TEAM_ROLES]


def team_info(session, event: Event) -> list[TeamMember]:
    """The creator (if their account still exists), then the added colleagues."""
    ids = {m.user_id for m in event.team} | {m.added_by_id for m in event.team}
    ids |= {event.created_by_id}
    ids.discard(None)
    emails = dict(session.execute(select(User.id, User.email).where(User.id.in_(ids))).all())
    team: list[TeamMember] = []
    if event.created_by_id in emails:
        team.append({"user_id": event.created_by_id, "email": emails[event.created_by_id],
                     "role": access.TEAM_FACILITATOR, "creator": True,
                     "added_at": iso(event.created_at), "added_by": None})
    for member in event.team:
        team.append({"user_id": member.user_id, "email": emails[member.user_id],
                     "role": member.role, "creator": False, "added_at": iso(member.added_at),
                     "added_by": emails.get(member.added_by_id)})
    return team


def list_team(session, user, event: Event) -> Team:
    """The team, for whoever may see the event as its staff do (access.may_review: the team
    itself, reviewers and admins)."""
    access.require_review(user, event)
    return {"event_id": event.id, "team": team_info(session, event)}


def _clean_role(role) -> str:
    if role not in TEAM_ROLES:
        raise OperationError("invalid_role", _l("Choose facilitator or moderator."),
                             field="role")
    return role


def add_team_member(actor, event_id, email, role) -> TeamChange:
    """Put the staff account with this e-mail on the event's team as `role`."""
    role = _clean_role(role)
    email = clean_text(email, "email", EMAIL_MAX, multiline=False).lower()
    if not is_id(event_id):
        raise not_found("event_not_found")
    with write_transaction() as session:
        event, version = locked_event(session, event_id)
        if not access.may_manage_team(actor, event):
            raise forbidden()
        user = session.scalar(select(User).where(User.email == email))
        if user is None:
            raise OperationError(
                "unknown_user", _l("There is no staff account with that e-mail. Ask an "
                                   "administrator to create one first."), 404, field="email")
        if user.id == event.created_by_id or any(m.user_id == user.id for m in event.team):
            raise OperationError("already_on_team",
                                 _l("%(email)s is already on the team.", email=user.email), 409,
                                 field="email")
        if not access.may_join_team(user, role):
            raise OperationError(
                "role_not_allowed", _l("A reviewer's account can be on the team as moderator "
                                       "only."), 400, field="role")
        member = EventTeamMember(user_id=user.id, role=role, added_by_id=actor.id)
        event.team.append(member)
        session.flush()
        audit(session, actor, "team.add", f"{user.email} {role}", event.id)
        team = team_info(session, event)
    publish("team.changed", event.id, version, team=team, left_user_id=None)
    shape = next(m for m in team if m["user_id"] == user.id)
    return {"member": shape, "team": team, "version": version}


def remove_team_member(actor, event_id, user_id) -> TeamRemoval:
    """Take a colleague off the event's team; what they may do there ends with this commit."""
    if not is_id(event_id):
        raise not_found("event_not_found")
    if not is_id(user_id):
        raise not_found("team_member_not_found")
    with write_transaction() as session:
        event, version = locked_event(session, event_id)
        if not access.may_manage_team(actor, event):
            raise forbidden()
        if user_id == event.created_by_id:
            raise OperationError("creator_stays",
                                 _l("The event's creator stays on the team."), 409)
        member = next((m for m in event.team if m.user_id == user_id), None)
        if member is None:
            raise not_found("team_member_not_found")
        user = session.get(User, user_id)
        event.team.remove(member)
        session.flush()
        audit(session, actor, "team.remove", f"{user.email} {member.role}", event.id)
        team = team_info(session, event)
        # Their open staff sockets close, unless they may still moderate (an admin).
        left = None if access.may_moderate(user, event) else user_id
    publish("team.changed", event.id, version, team=team, left_user_id=left)
    return {"removed_user_id": user_id, "team": team, "version": version}
