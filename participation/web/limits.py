"""HTTP rate limits (Flask-Limiter): every write is counted per participant and per IP.

A town hall puts hundreds of phones behind ONE public address, so the per-IP limits are high
and the per-participant ones (the browser's pseudonymous token for the event, or the staff
account) do the real work. Limits are strings like "120/minute" from the environment.
"""

import hashlib
import time
from typing import Annotated, Literal

from flask import current_app, g, jsonify, render_template, request, session
from flask_babel import gettext as _
from flask_limiter import ApplicationLimit, Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user
from pydantic import Field
from typing_extensions import TypedDict
from werkzeug.middleware.proxy_fix import ProxyFix

from ..core.addresses import address_key as hashed_address
from ..core.validate import form_number
from ..events.operations import event_by_code
from . import identity
from .language import page_event

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
JOIN_ENDPOINTS = {"phone.join", "phone.join_table", "phone.join_as_scribe"}
LOGIN_ENDPOINT = "accounts.login"


def _event_id() -> int | None:
    args = request.view_args or {}
    if isinstance(args.get("event_id"), int):
        return args["event_id"]
    if isinstance(args.get("code"), str):
        if "limit_event_id" not in g:
            # A phone page's event, looked up once for the language, the limit and the view.
            event = page_event() if request.path.startswith("/j/") else None
            event = event or event_by_code(args["code"])
            g.limit_event_id = event.id if event else None
        return g.limit_event_id
    current = form_number(str(session.get("current_event", "")))
    return current or None


def caller_key() -> str | None:
    """Who is writing, when we know: a staff account or API token, else the event's token."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return "bearer:" + hashlib.sha256(header[7:].strip().encode()).hexdigest()[:24]
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    event_id = _event_id()
    token = identity.token_for(event_id) if event_id else None
    return f"participant:{event_id}:{token}" if token else None


def address_key(address: str | None = None) -> str:
    """This request's client address (or `address`) as a keyed hash (core/addresses.py)."""
    return hashed_address(get_remote_address() if address is None else address)


def client_address(environ) -> str:
    """The address the HTTP limits would see for this WSGI environ. Engine.IO's middleware
    sits outside ProxyFix, so a socket's environ still has the proxy's REMOTE_ADDR: the same
    ProxyFix, with the same PROXY_HOPS, is applied to a copy here."""
    hops = current_app.config.get("PROXY_HOPS", 0)
    if not hops or "werkzeug.proxy_fix.orig" in environ:
        return environ.get("REMOTE_ADDR") or ""
    fixed = {}
    ProxyFix(lambda env, _start: fixed.update(env) or [], x_for=hops)(dict(environ), None)
    return fixed.get("REMOTE_ADDR") or ""


def _participant_key() -> str:
    return caller_key() or address_key()


def _ip_key() -> str:
    return address_key()


def _config(name: str):
    return lambda: current_app.config[name]


def _not_write() -> bool:
    # A login has its own limit and the lockout (accounts/lockout.py).
    return request.method not in WRITES or request.endpoint == LOGIN_ENDPOINT


def _anonymous_or_not_write() -> bool:
    # Without an identity the per-IP limit is the only one: the shared address is not a person.
    return _not_write() or caller_key() is None


def _not_join() -> bool:
    return request.endpoint not in JOIN_ENDPOINTS


def _not_login() -> bool:
    return request.endpoint != LOGIN_ENDPOINT or request.method != "POST"


class RateLimited(TypedDict):
    """Too many writes: wait and retry."""

    error: Literal["rate_limited"]
    message: Annotated[str, Field(description="Translated, for people.")]
    retry_after: Annotated[int, Field(ge=1, description=(
        "Seconds to wait; also in the Retry-After header."))]


def retry_after(reset_at: float) -> int:
    return max(1, int(reset_at - time.time()))


def too_many_response(seconds: int):
    message = _("Too many requests. Wait %(seconds)s seconds and try again.", seconds=seconds)
    if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
        response = jsonify(error="rate_limited", message=message, retry_after=seconds)
    else:
        response = current_app.make_response(
            render_template("error.html", status=429, message=message))
    response.status_code = 429
    response.headers["Retry-After"] = str(seconds)
    return response


def _on_breach(limit):
    return too_many_response(retry_after(limit.reset_at))


def _limits() -> list[ApplicationLimit]:
    return [
        ApplicationLimit(_config("RATELIMIT_WRITES_PER_PARTICIPANT"), scope="writes-caller",
                         key_function=_participant_key, exempt_when=_anonymous_or_not_write),
        ApplicationLimit(_config("RATELIMIT_WRITES_PER_IP"), scope="writes-ip",
                         key_function=_ip_key, exempt_when=_not_write),
        ApplicationLimit(_config("RATELIMIT_JOINS_PER_IP"), scope="joins-ip",
                         key_function=_ip_key, exempt_when=_not_join),
        ApplicationLimit(_config("RATELIMIT_LOGINS_PER_IP"), scope="logins-ip",
                         key_function=_ip_key, exempt_when=_not_login),
    ]


def init_app(app):
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    # Per installation (SOCKETIO_CHANNEL), like every other Redis key of ours: two
    # installations on one Redis never share counters.
    app.config.setdefault("RATELIMIT_KEY_PREFIX", f"{app.config['SOCKETIO_CHANNEL']}:limits")
    # One limiter per app: the in-memory counters of one test app never leak into the next.
    limiter = Limiter(_ip_key, application_limits=_limits(), on_breach=_on_breach,
                      strategy="moving-window")
    limiter.init_app(app)
    app.extensions["participation_limiter"] = limiter
    return limiter
