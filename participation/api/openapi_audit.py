"""The staff audit log's part of the OpenAPI description (admins only)."""

from .openapi_parts import ID
from .openapi_parts import errors as _errors
from .openapi_parts import json_response as _json

ENTRY = {"type": "object", "required": ["id", "at", "actor", "action", "event_id", "target"],
         "properties": {
             "id": ID, "at": {"type": "string", "description": "UTC, ISO 8601 with Z."},
             "actor": {"type": ["string", "null"], "description": "The staff e-mail then."},
             "action": {"type": "string",
                        "description": "e.g. login, logout, event.create, event.phase, "
                                       "event.timer, event.tables, event.reveal, event.themes"},
             "event_id": {"type": ["integer", "null"]},
             "target": {"type": ["string", "null"]}}}


def paths(staff) -> dict:
    return {"/audit": {"get": {
        "summary": "The staff audit log, newest first (admins only)",
        "security": staff,
        "parameters": [
            {"name": "limit", "in": "query", "required": False,
             "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 200}},
            {"name": "before", "in": "query", "required": False, "schema": ID,
             "description": "Only entries older than this id (the next page)."}],
        "responses": {"200": _json({"type": "object", "required": ["entries"], "properties": {
            "entries": {"type": "array", "items": ENTRY}}}), **_errors(400, 401, 403)},
    }}}
