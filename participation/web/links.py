"""Absolute links the screens hand out: join pages and QR codes, follow pages, invitations.

PUBLIC_BASE_URL when it is set (behind a proxy, or `make run` with the LAN address), else the
request's own host. Domain code never builds a URL: it returns codes, and these make links.
"""

from typing import Annotated

from flask import current_app, has_request_context, request, url_for
from pydantic import Field
from typing_extensions import TypedDict

from ..core.declare import keys_of
from ..members.operations import Invitation
from ..proposals.operations import Submitted

FollowUrl = Annotated[str, Field(description=(
    "The person's own page that follows what becomes of their proposals (the link is the "
    "key): shown to them, for them to keep."))]
InviteUrl = Annotated[str, Field(description=(
    "Shown only in this answer: only a digest of its token is stored."))]
SubmittedWithLink = TypedDict("SubmittedWithLink", {
    **keys_of(Submitted, leave_out=("follow_code",)), "follow_url": FollowUrl})
InvitationLink = TypedDict("InvitationLink", {
    **keys_of(Invitation, leave_out=("invite_token",)), "invite_url": InviteUrl})


def base_url() -> str:
    configured = current_app.config.get("PUBLIC_BASE_URL")
    if configured:
        return configured
    return request.host_url.rstrip("/") if has_request_context() else ""


def join_url(code: str) -> str:
    return base_url() + url_for("phone.join", code=code)


def follow_url(follow_code: str | None) -> str | None:
    """A resident's personal "follow my proposals" page (public/follow.py)."""
    return base_url() + url_for("public.follow", follow_code=follow_code) if follow_code else None


def reset_url(token: str) -> str:
    """A staff member's one-time link to set their password (staff/password_reset.py)."""
    return base_url() + url_for("password_reset.page", token=token)


def invite_url(token: str) -> str:
    return base_url() + url_for("phone.invitation", token=token)


def with_follow_url(result: Submitted) -> SubmittedWithLink:
    """A submitted proposal's answer with the person's follow link in place of its code."""
    if "follow_code" not in result:
        return result
    answer = dict(result)
    answer["follow_url"] = follow_url(answer.pop("follow_code"))
    return answer


def with_invite_url(result: Invitation) -> InvitationLink:
    """A new invitation's answer: the link goes once to the staff client that asked."""
    answer = dict(result)
    answer["invite_url"] = invite_url(answer.pop("invite_token"))
    return answer
