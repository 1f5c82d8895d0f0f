"""The staff audit log (admins only) and a resident's own erasure, in the OpenAPI description."""

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
    }}, "/follow/{follow_code}/erase": {"post": {
        "summary": "Erase every proposal and vote of the holder of this follow link",
        "description": "The secret link is the key. Other people's proposals merged into an "
                       "erased one are split off again; repeated calls erase nothing more.",
        "security": [],
        "parameters": [{"name": "follow_code", "in": "path", "required": True,
                        "schema": {"type": "string", "minLength": 8, "maxLength": 24}}],
        "responses": {"200": _json({"type": "object",
                                    "required": ["proposals", "votes", "version"],
                                    "properties": {
                                        "proposals": {"type": "integer", "minimum": 0},
                                        "votes": {"type": "integer", "minimum": 0},
                                        "version": {"type": "integer"}}}),
                      **_errors(400, 404)},
    }}}
