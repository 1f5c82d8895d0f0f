"""Configuration from environment variables; defaults give embedded SQLite and one process."""

import os
import secrets
from pathlib import Path


def _secret_key(instance_path: Path) -> str:
    """A stable secret per installation, so restarts keep residents' cookies valid."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        instance_path.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{instance_path / 'participation.db'}"
    # Accept the common postgres:// and postgresql:// spellings; we drive psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def load(instance_path: Path) -> dict:
    env = os.environ
    url = _database_url(instance_path)
    engine_options = {"pool_pre_ping": True}
    if url.startswith("sqlite"):
        engine_options = {"connect_args": {"timeout": 15, "check_same_thread": False}}
    origins = env.get("CORS_ALLOWED_ORIGINS", "").split()
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
        "SOCKETIO_ASYNC_MODE": env.get("SOCKETIO_ASYNC_MODE", "gevent"),
        # None means same-origin only (python-engineio's default); never "*".
        "CORS_ALLOWED_ORIGINS": origins or None,
        "REDIS_URL": env.get("REDIS_URL") or None,
        # Tally pushes per event are coalesced to at most one per this many seconds.
        "REALTIME_COALESCE_SECONDS": float(env.get("REALTIME_COALESCE_SECONDS", "0.1")),
        # How often the serving process opens and closes scheduled events; 0 turns it off
        # (then run `flask --app wsgi schedule run` from cron).
        "SCHEDULE_INTERVAL_SECONDS": float(env.get("SCHEDULE_INTERVAL_SECONDS", "5")),
        "PUBLIC_BASE_URL": env.get("PUBLIC_BASE_URL", "").rstrip("/") or None,
        "BABEL_DEFAULT_LOCALE": "sv",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
        "LANGUAGES": ("sv", "en"),
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SECURE": env.get("SESSION_COOKIE_SECURE", "") == "1",
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 24 * 30,
        "WTF_CSRF_TIME_LIMIT": None,  # a rådslag phone may sit open for days
        "MAX_CONTENT_LENGTH": 64 * 1024,
        "PROXY_HOPS": int(env.get("PROXY_HOPS", "0")),
        # How long a referensgrupp invitation link stays valid.
        "INVITE_DAYS": int(env.get("INVITE_DAYS", "60")),
        # Days after an event is closed until `flask privacy purge` removes its personal data.
        "RETENTION_DAYS": int(env.get("RETENTION_DAYS", "365")),
        # "json": one JSON object a line (participation/ops/logs.py); anything else: plain text.
        "LOG_FORMAT": env.get("LOG_FORMAT", "text"),
        # The largest portfolio CSV the backlog import takes (the page's own request limit).
        "BACKLOG_IMPORT_MAX_BYTES": int(env.get("BACKLOG_IMPORT_MAX_BYTES", str(1024 * 1024))),
    }
