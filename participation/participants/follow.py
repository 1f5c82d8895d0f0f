"""The secret in a resident's "follow my proposals" link: no account, no e-mail."""

import secrets
from typing import Annotated

from pydantic import Field

# What a follow code may be at all (16 characters are made); anything else is no one's.
CODE_MIN, CODE_MAX = 8, 24
FollowCode = Annotated[str, Field(min_length=CODE_MIN, max_length=CODE_MAX, description=(
    "The secret of a resident's follow link (follow_url); the only key."))]


def plausible(follow_code) -> bool:
    return isinstance(follow_code, str) and CODE_MIN <= len(follow_code) <= CODE_MAX


def new_follow_code() -> str:
    """16 URL-safe characters (96 random bits); unique in the database as well."""
    return secrets.token_urlsafe(12)


def ensure_follow_code(participant) -> str:
    """Every participant row is made with a code; rows from before that get one on their next
    proposal."""
    if participant.follow_code is None:
        participant.follow_code = new_follow_code()
    return participant.follow_code
