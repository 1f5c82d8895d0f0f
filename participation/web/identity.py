"""Which participant this browser is, per event, and which scribe card it scanned: kept in the
signed session cookie. No account, nothing stored on joining (participants/identity.py writes
the row on the first write)."""

import secrets

from flask import session

KEY = "participants"
# Keep the cookie small: a phone remembers its most recent events only.
MAX_EVENTS = 8
SCRIBE_KEY = "scribe"


def _pairs(source) -> list[list]:
    value = source.get(KEY, [])
    return value if isinstance(value, list) else []


def join(event) -> str:
    """Bind this browser to the event; returns the pseudonymous token (no database write)."""
    pairs = _pairs(session)
    token = next((t for eid, t in pairs if eid == event.id), None)
    if token is None:
        token = secrets.token_urlsafe(32)
        # A list keeps the order of joining, so the oldest is the one a full cookie drops.
        session[KEY] = [*pairs, [event.id, token]][-MAX_EVENTS:]
    session["current_event"] = event.id
    return token


def token_for(event_id: int, source=None) -> str | None:
    pairs = _pairs(session if source is None else source)
    return next((t for eid, t in pairs if eid == event_id), None)


def token_lookup(source=None):
    """`token_for` bound to this browser: what the vote operations ask per event."""
    return lambda event_id: token_for(event_id, source)


def adopt(event_id: int, token: str) -> None:
    """Bind this browser to a given token, e.g. a referensgrupp member's from their invitation;
    it replaces any token the browser had for the event."""
    pairs = [p for p in _pairs(session) if p[0] != event_id]
    session[KEY] = [*pairs, [event_id, token]][-MAX_EVENTS:]
    session["current_event"] = event_id


def remember_scribe(event_id: int, number: int, secret: str) -> None:
    """This phone scanned table `number`'s scribe card (checked by the caller)."""
    grants = [g for g in session.get(SCRIBE_KEY, []) if g[0] != event_id]
    session[SCRIBE_KEY] = [*grants, [event_id, number, secret[:64]]][-4:]


def scribe_grant(event_id: int, source=None) -> tuple[int, str] | None:
    """(table number, card secret) this phone scanned for the event; access.is_scribe decides
    whether the card is still the table's."""
    source = session if source is None else source
    grants = source.get(SCRIBE_KEY, [])
    if not isinstance(grants, list):
        return None
    return next(((n, s) for eid, n, s in grants if eid == event_id), None)
