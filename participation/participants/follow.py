"""The secret in a resident's "follow my proposals" link: no account, no e-mail."""

import secrets


def ensure_follow_code(participant) -> str:
    """Inside the write transaction of the person's first proposal (the one place it is made).

    16 URL-safe characters (96 random bits); unique in the database as well."""
    if participant.follow_code is None:
        participant.follow_code = secrets.token_urlsafe(12)
    return participant.follow_code
