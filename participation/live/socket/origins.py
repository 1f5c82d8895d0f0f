"""Which browser origins may open a Socket.IO connection: our own site, plus any configured.

Used by Engine.IO for every request (before a session exists) and again on connect.
"""

from urllib.parse import urlsplit


def origin_checker(app):
    # A "*" in the settings would mean any site may use a resident's cookie: never honoured.
    configured = set(app.config.get("CORS_ALLOWED_ORIGINS") or []) - {"*"}

    def allowed(origin, environ) -> bool:
        if not origin:
            return True  # not a browser: no ambient cookie to abuse, the CSRF token still applies
        if origin in configured:
            return True
        host = urlsplit(origin).netloc
        public = app.config.get("PUBLIC_BASE_URL")
        own_hosts = {environ.get("HTTP_HOST"), environ.get("HTTP_X_FORWARDED_HOST")}
        if public:
            own_hosts.add(urlsplit(public).netloc)
        # Same host is same site, whatever the scheme a TLS proxy in front of us used.
        return bool(host) and host in own_hosts

    return allowed
