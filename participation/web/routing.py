"""Stickiness behind one public address: a random routing cookie that nginx hashes on.

At a venue every phone shares the venue's public IP, so hashing on the client address would
put them all on one process. Instead each browser gets a random `lb` cookie on its first
answer (`LB_COOKIE`), and nginx picks the process with `hash $cookie_lb consistent`
(deploy/nginx/participation.conf). The cookie carries nothing about the person. Socket.IO's
long-polling requests carry it like any other request, so every poll of one Engine.IO session
reaches the process that holds it. Wraps the whole WSGI app, Engine.IO included.
"""

import secrets

from werkzeug.http import dump_cookie, parse_cookie

MAX_AGE = 60 * 60 * 24 * 30  # as long as the session cookie


class RoutingCookie:
    def __init__(self, wsgi_app, cookie_name: str | None, served_by: str | None = None,
                 secure: bool = False):
        self.wsgi_app = wsgi_app
        self.cookie_name = cookie_name
        # SERVER_NAME_TAG: which process answered, for tests and for reading nginx logs.
        self.served_by = served_by
        self.secure = secure

    def __call__(self, environ, start_response):
        extra = []
        if self.served_by:
            extra.append(("X-Served-By", self.served_by))
        if self.cookie_name and self.cookie_name not in parse_cookie(environ):
            extra.append(("Set-Cookie", dump_cookie(
                self.cookie_name, secrets.token_hex(8), max_age=MAX_AGE, path="/",
                secure=self.secure, httponly=True, samesite="Lax")))
        if not extra:
            return self.wsgi_app(environ, start_response)

        def start(status, headers, exc_info=None):
            return start_response(status, [*headers, *extra], exc_info)

        return self.wsgi_app(environ, start)
