"""Security headers on every response: a strict CSP (no inline script, no inline style), no
framing except the projector by our own pages, HSTS only where the request came over TLS."""

import copy
import time

from flask import has_request_context, request
from flask.sessions import SecureCookieSessionInterface

# Pages that another page of ours may show in a frame (a console previewing the projector).
EMBEDDABLE = {"projector.page"}
HSTS_SECONDS = 60 * 60 * 24 * 365

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()" for feature in (
        "camera", "microphone", "geolocation", "payment", "usb",
    )
)


def content_security_policy(host: str, embeddable: bool) -> str:
    # 'self' covers ws:/wss: in CSP 3, but older Safari and Firefox want the socket spelled out.
    sockets = f"ws://{host} wss://{host}" if host else ""
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": f"'self' {sockets}".strip(),
        "object-src": "'none'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "frame-ancestors": "'self'" if embeddable else "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def set_headers(response):
    embeddable = request.endpoint in EMBEDDABLE
    headers = response.headers
    headers.setdefault("Content-Security-Policy",
                       content_security_policy(request.host, embeddable))
    headers.setdefault("X-Frame-Options", "SAMEORIGIN" if embeddable else "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        # Only over TLS: sent over plain HTTP it would be ignored, or lock out a LAN install.
        headers.setdefault("Strict-Transport-Security",
                           f"max-age={HSTS_SECONDS}; includeSubDomains")
    return response


class TlsAwareSessions(SecureCookieSessionInterface):
    """The cookie is Secure when configured so, and whenever the request itself came by TLS.

    A Socket.IO connection keeps the environ of its handshake, and Flask-SocketIO opens a
    request context on it for every event: the same cookie was verified and decoded again for
    every vote (a tenth of a vote's server time under load). The decoded session is kept on
    that environ, for that cookie value, and re-verified after SOCKET_SESSION_RECHECK seconds
    so the cookie's age limit still applies. Each event gets its own copy; an HTTP request has
    a fresh environ, so it decodes as before. Only residents' signed cookies are kept so: staff
    identity is never honoured from a signed cookie, and a staff session's record is read
    again for every event (web/sessions.py), so a revoked one stops at once.
    """

    SOCKET_SESSION_RECHECK = 60.0

    def get_cookie_secure(self, app) -> bool:
        configured = super().get_cookie_secure(app)
        return configured or (has_request_context() and request.is_secure)

    def open_session(self, app, request_):
        cookie = request_.cookies.get(self.get_cookie_name(app))
        cached = request_.environ.get(_DECODED)
        now = time.monotonic()
        if cached and cached[0] == cookie and now - cached[1] < self.SOCKET_SESSION_RECHECK:
            return self.session_class(copy.deepcopy(cached[2]))
        session = super().open_session(app, request_)
        if session is not None:
            request_.environ[_DECODED] = (cookie, now, copy.deepcopy(dict(session)))
        return session


_DECODED = "participation.decoded_session"


def init_app(app):
    app.after_request(set_headers)
