"""Configuration from environment variables and the settings file (core/settings.py).

Defaults give embedded SQLite and one process (`make run`, the tests). In production mode
(PARTICIPATION_ENV=production, or whenever PARTICIPATION_CONFIG names a settings file) nothing
important is guessed: a missing DATABASE_URL or SECRET_KEY stops the server and every CLI
command with a message saying what to set, instead of quietly using a SQLite file in instance/.
"""

import hashlib
import secrets
from pathlib import Path

from sqlalchemy.engine import make_url

from .core.settings import CONFIG_VARIABLE, ConfigError, Settings

MODES = ("production", "embedded")
MIN_SECRET_KEY = 32
KEY_COMMAND = "python -c 'import secrets; print(secrets.token_urlsafe(48))'"


def mode(env: Settings) -> str:
    chosen = (env.get("PARTICIPATION_ENV") or "").strip()
    if not chosen:
        return "production" if env.path else "embedded"
    if chosen not in MODES:
        raise ConfigError(f"PARTICIPATION_ENV={chosen!r}: use production or embedded.")
    return chosen


def _where(env: Settings) -> str:
    return f"in {env.path}" if env.path else "in the environment (or a settings file named by " \
        f"{CONFIG_VARIABLE})"


def check_production(env: Settings) -> None:
    """Everything missing at once, so one edit of the file fixes it."""
    problems = []
    if not env.get("DATABASE_URL"):
        problems.append(
            f"DATABASE_URL is not set. Set it {_where(env)}, e.g. "
            "DATABASE_URL=postgresql://participation:PASSWORD@localhost/participation")
    key = env.get("SECRET_KEY") or ""
    if len(key) < MIN_SECRET_KEY:
        state = "is not set" if not key else f"is only {len(key)} characters"
        problems.append(
            f"SECRET_KEY {state}; it needs at least {MIN_SECRET_KEY}. Generate one with\n"
            f"      {KEY_COMMAND}\n"
            f"    and set SECRET_KEY=<that value> {_where(env)}; every process of the "
            "installation needs the same one.")
    if problems:
        why = (f"{CONFIG_VARIABLE} is set" if not env.get("PARTICIPATION_ENV")
               else "PARTICIPATION_ENV=production")
        raise ConfigError("production mode (" + why + ") needs:\n  - "
                          + "\n  - ".join(problems))


def _secret_key(instance_path: Path, env: Settings) -> str:
    """A stable secret per installation, so restarts keep residents' cookies valid."""
    if key := env.get("SECRET_KEY"):
        return key
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _database_url(instance_path: Path, env: Settings) -> str:
    url = env.get("DATABASE_URL")
    if not url:
        instance_path.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{instance_path / 'participation.db'}"
    # Accept the common postgres:// and postgresql:// spellings; we drive psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def default_channel(database_url: str) -> str:
    """One Socket.IO channel (and Redis key prefix) per installation: installations sharing a
    Redis must not receive each other's pushes, and each has its own database. The password is
    left out, so changing it does not split a running installation in two."""
    try:
        shown = make_url(database_url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL fails later, with the database's own error
        shown = database_url
    return "participation-" + hashlib.sha256(shown.encode()).hexdigest()[:12]


def load(instance_path: Path, environ=None) -> dict:
    env = Settings(environ)
    running_mode = mode(env)
    if running_mode == "production":
        check_production(env)
    url = _database_url(instance_path, env)
    engine_options = {"pool_pre_ping": True}
    if url.startswith("postgresql"):
        # A database host that does not answer fails a request (and /healthz/ready) within
        # seconds instead of hanging it until the kernel gives up on TCP.
        engine_options["connect_args"] = {"connect_timeout": 5}
    if url.startswith("sqlite"):
        engine_options = {"connect_args": {"timeout": 15, "check_same_thread": False}}
    origins = env.get("CORS_ALLOWED_ORIGINS", "").split()
    return {
        "PARTICIPATION_ENV": running_mode,
        # For `flask config show`: the file, and each setting's origin (core/settings.py).
        "SETTINGS_FILE": env.path,
        "SETTINGS": env,
        "SECRET_KEY": _secret_key(instance_path, env),
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
        "SOCKETIO_ASYNC_MODE": env.get("SOCKETIO_ASYNC_MODE", "gevent"),
        # None means same-origin only (python-engineio's default); never "*".
        "CORS_ALLOWED_ORIGINS": origins or None,
        "REDIS_URL": env.get("REDIS_URL") or None,
        # The Redis pub/sub channel the processes of one installation share, and the prefix of
        # its Redis keys; by default derived from DATABASE_URL, so two installations (or test
        # runs) on one Redis keep apart. Set it when machines spell DATABASE_URL differently.
        "SOCKETIO_CHANNEL": env.get("SOCKETIO_CHANNEL") or default_channel(url),
        # Behind nginx with several processes: the routing cookie it hashes on (core/routing.py),
        # e.g. "lb"; empty (the default) sets none.
        "LB_COOKIE": env.get("LB_COOKIE", "").strip() or None,
        # For debugging only: sent as X-Served-By on every answer, which process answered.
        # Unset in production (the shipped unit leaves it out): it tells clients host names.
        "SERVER_NAME_TAG": env.get("SERVER_NAME_TAG", "").strip() or None,
        # Tally pushes per event are coalesced to at most one per this many seconds.
        "REALTIME_COALESCE_SECONDS": float(env.get("REALTIME_COALESCE_SECONDS", "0.1")),
        # How often the serving process opens and closes scheduled events; 0 turns it off
        # (then run `flask --app wsgi schedule run` from cron).
        "SCHEDULE_INTERVAL_SECONDS": float(env.get("SCHEDULE_INTERVAL_SECONDS", "5")),
        "PUBLIC_BASE_URL": env.get("PUBLIC_BASE_URL", "").rstrip("/") or None,
        # Where `python wsgi.py` listens (participation/serve.py); ACCESS_LOG=1 logs addresses.
        "HOST": env.get("HOST", "0.0.0.0"),
        "PORT": int(env.get("PORT", "5000")),
        "ACCESS_LOG": env.get("ACCESS_LOG", "") == "1",
        # On SIGTERM, at most this long to answer what is in flight (participation/shutdown.py);
        # systemd's TimeoutStopSec must be longer (deploy/systemd/participation@.service).
        "DRAIN_SECONDS": float(env.get("DRAIN_SECONDS", "20")),
        "BABEL_DEFAULT_LOCALE": "sv",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SECURE": env.get("SESSION_COOKIE_SECURE", "") == "1",
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 24 * 30,
        # The cookie is sent only when the session changed. Refreshed on every response, a
        # phone's requests at once (a form post while the page's script and QR image still
        # load) each wrote back the session they started with, and the last one won: a
        # "Ditt svar är sparat" or a just-joined event's token could be lost.
        "SESSION_REFRESH_EACH_REQUEST": False,
        # Flask-Login's "basic" protection only marks a session not fresh (we never ask for a
        # fresh login), and did so in every resident's cookie on every request, so the cookie
        # changed and was sent each time. Staff sessions have their own defences: a server-side
        # record, a new id on signing in, an absolute lifetime (web/sessions.py).
        "SESSION_PROTECTION": None,
        # A staff session (server-side, web/sessions.py) ends this long after signing in.
        "STAFF_SESSION_HOURS": float(env.get("STAFF_SESSION_HOURS", "12")),
        "WTF_CSRF_TIME_LIMIT": None,  # a rådslag phone may sit open for days
        "MAX_CONTENT_LENGTH": 64 * 1024,
        "PROXY_HOPS": int(env.get("PROXY_HOPS", "0")),
        # Rate limits (docs/deploy.md#security). Per IP high: a town hall shares one address.
        "RATELIMIT_ENABLED": env.get("RATELIMIT_ENABLED", "1") != "0",
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI")
        or env.get("REDIS_URL") or "memory://",
        "RATELIMIT_WRITES_PER_PARTICIPANT": env.get(
            "RATELIMIT_WRITES_PER_PARTICIPANT", "30/10 seconds;240/minute"),
        "RATELIMIT_WRITES_PER_IP": env.get("RATELIMIT_WRITES_PER_IP", "6000/minute"),
        "RATELIMIT_JOINS_PER_IP": env.get("RATELIMIT_JOINS_PER_IP", "3000/minute"),
        "RATELIMIT_LOGINS_PER_IP": env.get("RATELIMIT_LOGINS_PER_IP", "60/minute"),
        # Socket events: a token bucket per connection and per participant.
        "SOCKET_RATELIMIT_ENABLED": env.get("SOCKET_RATELIMIT_ENABLED", "1") != "0",
        "SOCKET_RATE_PER_SECOND": float(env.get("SOCKET_RATE_PER_SECOND", "5")),
        "SOCKET_RATE_BURST": int(env.get("SOCKET_RATE_BURST", "30")),
        # Socket connects (also off with SOCKET_RATELIMIT_ENABLED=0), a token bucket per address
        # and one per participant or staff account. A venue puts every phone behind one NAT
        # address: 2000 phones joining in 20 s is 100 a second, and a server restart or a Wi-Fi
        # blip brings them all back within about a second (socket.io-client's first reconnect
        # waits 0.5-1.5 s), hence a burst of 3000. One phone reconnects after a reload, a
        # network change or a new tab: 30 at once and one more every 2 s is far more than a
        # person does, and stops one browser looping on connect (each connect builds a snapshot).
        "SOCKET_CONNECT_RATE_PER_IP": float(env.get("SOCKET_CONNECT_RATE_PER_IP", "100")),
        "SOCKET_CONNECT_BURST_PER_IP": int(env.get("SOCKET_CONNECT_BURST_PER_IP", "3000")),
        "SOCKET_CONNECT_RATE_PER_SESSION": float(
            env.get("SOCKET_CONNECT_RATE_PER_SESSION", "0.5")),
        "SOCKET_CONNECT_BURST_PER_SESSION": int(
            env.get("SOCKET_CONNECT_BURST_PER_SESSION", "30")),
        # Failed logins per account and per IP before a lockout, which doubles from the base.
        "LOGIN_FAILURES_PER_ACCOUNT": int(env.get("LOGIN_FAILURES_PER_ACCOUNT", "5")),
        "LOGIN_FAILURES_PER_IP": int(env.get("LOGIN_FAILURES_PER_IP", "50")),
        "LOGIN_LOCKOUT_SECONDS": int(env.get("LOGIN_LOCKOUT_SECONDS", "60")),
        "LOGIN_LOCKOUT_MAX_SECONDS": int(env.get("LOGIN_LOCKOUT_MAX_SECONDS", "3600")),
        # Staff roles that must use a second factor (TOTP): they set it up at their next login.
        "REQUIRE_MFA_ROLES": tuple(role.strip() for role in env.get(
            "REQUIRE_MFA_ROLES", "admin").split(",") if role.strip()),
        # Wrong second-factor codes per account before a lockout (doubling, as for passwords).
        "MFA_FAILURES_PER_ACCOUNT": int(env.get("MFA_FAILURES_PER_ACCOUNT", "5")),
        # The name authenticator apps show beside the account.
        "MFA_ISSUER": env.get("MFA_ISSUER", "Participation"),
        # Encrypts stored TOTP secrets; derived from SECRET_KEY when unset (docs/deploy.md).
        "MFA_ENCRYPTION_KEY": env.get("MFA_ENCRYPTION_KEY") or None,
        # Outgoing mail (password reset links); no SMTP_HOST, no mail: links are handed on.
        "SMTP_HOST": env.get("SMTP_HOST", "").strip() or None,
        "SMTP_PORT": int(env.get("SMTP_PORT", "587")),
        # MAIL_FROM is the documented name; SMTP_FROM the older one, still read.
        "SMTP_FROM": (env.get("MAIL_FROM") or env.get("SMTP_FROM") or "").strip() or None,
        # How often the server sends waiting messages to residents (0: never; then run
        # `flask mail send` from cron).
        "MAIL_INTERVAL_SECONDS": float(env.get("MAIL_INTERVAL_SECONDS", "10")),
        "SMTP_USER": env.get("SMTP_USER") or None,
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD") or None,
        "SMTP_STARTTLS": env.get("SMTP_STARTTLS", "1") != "0",
        # How long a referensgrupp invitation link stays valid.
        "INVITE_DAYS": int(env.get("INVITE_DAYS", "60")),
        # Days after an event is closed until `flask privacy purge` removes its personal data.
        "RETENTION_DAYS": int(env.get("RETENTION_DAYS", "365")),
        # The accessibility statement (/tillganglighet): who runs the service, where to report
        # a barrier, and the date of the last test (axe-core and keyboard, ISO date).
        "ACCESSIBILITY_ORGANISATION": env.get("ACCESSIBILITY_ORGANISATION", ""),
        "ACCESSIBILITY_CONTACT": env.get("ACCESSIBILITY_CONTACT", ""),
        "ACCESSIBILITY_TESTED_ON": env.get("ACCESSIBILITY_TESTED_ON", "2026-12-01"),
        # "json": one JSON object a line (web/logs.py, web/writes.py), what deploy/ ships for
        # production; anything else: plain text (make run, the tests).
        "LOG_FORMAT": env.get("LOG_FORMAT", "text"),
        # Who may read /metrics (web/metrics.py) besides an admin's bearer token: addresses or
        # networks, space- or comma-separated. Never the public: Prometheus scrapes each process.
        "METRICS_ALLOW": env.get("METRICS_ALLOW", "127.0.0.1/32 ::1/128"),
        # Single sign-on for staff (staff/sso.py, docs/deploy.md): off unless OIDC_ISSUER is set.
        # The provider's settings come from <issuer>/.well-known/openid-configuration.
        # Exactly as the provider writes it in its tokens (`iss`): some end in a slash.
        "OIDC_ISSUER": env.get("OIDC_ISSUER", "").strip() or None,
        "OIDC_CLIENT_ID": env.get("OIDC_CLIENT_ID", "").strip() or None,
        "OIDC_CLIENT_SECRET": env.get("OIDC_CLIENT_SECRET", "").strip() or None,
        # The ID-token claim whose value (facilitator, reviewer or admin) gives a person without
        # an account one on their first sign-in; unset, only existing accounts may sign in.
        "OIDC_ROLE_CLAIM": env.get("OIDC_ROLE_CLAIM", "").strip() or None,
        # The largest portfolio CSV the backlog import takes (the page's own request limit).
        "BACKLOG_IMPORT_MAX_BYTES": int(env.get("BACKLOG_IMPORT_MAX_BYTES", str(1024 * 1024))),
    }
