"""/healthz: the database and, when configured, Redis (the Socket.IO message queue)."""

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from ..extensions import db

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
        db.session.execute(text("SELECT 1"))
    except Exception:  # the point of a health check is to report, not raise
        db.session.rollback()
        return "unavailable"
    return "ok"


@bp.get("/healthz")
def healthz():
    database = database_status()
    redis_state = redis_status(current_app.config.get("REDIS_URL"))
    healthy = database == "ok" and redis_state != "unavailable"
    body = {"status": "ok" if healthy else "unavailable", "database": database,
            "redis": redis_state}
    return jsonify(body), 200 if healthy else 503
