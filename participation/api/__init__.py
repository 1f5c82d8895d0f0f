"""REST API under /api/v1: JSON in and out, described by /api/v1/openapi.json (built from the
route table, contract.py); the live channel by /api/v1/asyncapi.json."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import (  # noqa: E402,F401
    activity_views,
    audit_views,
    backlog_views,
    documents,
    group_views,
    privacy_views,
    review_views,
    team_views,
    token_views,
    views,
)
