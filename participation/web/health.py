"""Health for load balancers and monitoring, per process.

/healthz/live: the process answers (restart it when this fails). /healthz/ready: it can serve,
the database and, when configured, Redis (the Socket.IO message queue) answer; 503 with which
one does not (take it out of rotation), or "draining" while a graceful stop answers what is
in flight. /healthz is /healthz/ready, as before.
"""

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from ..extensions import db
from .draining import drain

bp = Blueprint("health", __name__)


def redis_status(url: str | None) -> str:
    if not url:
        return "not_configured"
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        try:
            client.ping()
        finally:
            client.close()
    except Exception:  # any failure to answer is "unavailable", never a 500
        return "unavailable"
    return "ok"


def database_status() -> str:
    try:
        if db.engine.dialect.name == "postgresql":
            # A server that accepts but does not answer (locked up, disk full) is unready
            # within 2 s; the connect itself has its own timeout (config.py).
            db.session.execute(text("SET LOCAL statement_timeout = 2000"))
        db.session.execute(text("SELECT 1"))
    except Exception:  # the point of a health check is to report, not raise
        db.session.rollback()
        return "unavailable"
    return "ok"


@bp.get("/healthz/live")
def live():
    # Touches nothing outside the process: a database outage must not make every process
    # look dead to a supervisor that restarts dead ones.
    return jsonify({"status": "ok"}), 200, {"Cache-Control": "no-store"}


@bp.get("/healthz/ready")
@bp.get("/healthz")
def healthz():
    if drain.draining:
        # Stopping (participation/shutdown.py): answering what is in flight, taking nothing new.
        return jsonify({"status": "draining"}), 503, {"Cache-Control": "no-store"}
    database = database_status()
    redis_state = redis_status(current_app.config.get("REDIS_URL"))
    healthy = database == "ok" and redis_state != "unavailable"
    body = {"status": "ok" if healthy else "unavailable", "database": database,
            "redis": redis_state}
    return jsonify(body), 200 if healthy else 503, {"Cache-Control": "no-store"}
