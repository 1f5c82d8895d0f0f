"""The review's and open data's part of the OpenAPI description: proposals across events with
fair scores, aggregated votes, a proposal's review and discussion, the public pages as JSON."""

from ..review.export import PROPOSAL_COLUMNS, VOTE_COLUMNS
from ..review.models import ANSWER_MAX, COMMENT_MAX, REVIEW_STATUSES
from ..review.operations import MANUAL_STATUSES
from .openapi_parts import ID
from .openapi_parts import body as _body
from .openapi_parts import errors as _errors
from .openapi_parts import json_response as _json
from .openapi_parts import ref as _ref

TIME = {"type": ["string", "null"], "description": "UTC, ISO 8601 with Z."}
NUMBER = {"type": ["number", "null"]}
SHARE = {"type": "number", "minimum": 0, "maximum": 1}


def _columns(names, types):
    return {name: types.get(name, NUMBER) for name in names}


_TEXT = {"type": ["string", "null"]}
_TYPES = {
    "event_id": ID, "proposal_id": ID, "event_code": {"type": "string"},
    "event_kind": {"enum": ["radslag", "referensgrupp", "medborgarverkstad"]},
    "voting_method": {"enum": ["approval", "dots", "scale"]},
    "title": {"type": "string"}, "body": {"type": "string"}, "focus_area": _TEXT,
    "table": {"type": ["integer", "null"]}, "source": {"enum": ["phone", "paper"]},
    "created_at": TIME, "review_status": {"enum": list(REVIEW_STATUSES)},
    "public_answer": {"type": "string"},
    "link_kind": {"enum": ["created_from", "supports", "duplicate", "out_of_scope", None]},
    "link_reason": _TEXT, "measure_id": {"type": ["integer", "null"]},
    "merged_from": {"type": "array", "items": ID,
                    "description": "In CSV and XLSX: the ids separated by spaces."},
    "norm_score": SHARE, "norm_low": SHARE, "norm_high": SHARE,
}
_FORMAT = {"name": "format", "in": "query", "required": False,
           "schema": {"enum": ["json", "csv", "xlsx"], "default": "json"}}
_FILTERS = [
    {"name": "event_id", "in": "query", "required": False, "schema": ID},
    {"name": "kind", "in": "query", "required": False,
     "schema": {"enum": ["radslag", "referensgrupp", "medborgarverkstad"]}},
    {"name": "focus_area", "in": "query", "required": False,
     "schema": {"type": "string", "maxLength": 60}},
    {"name": "theme", "in": "query", "required": False,
     "schema": {"type": "string", "maxLength": 60},
     "description": "A word in the title or text."},
    {"name": "status", "in": "query", "required": False,
     "schema": {"enum": list(REVIEW_STATUSES)}},
    {"name": "sort", "in": "query", "required": False,
     "schema": {"enum": ["fair", "event", "newest"], "default": "fair"}},
    _FORMAT,
]


def _table(row_schema, name):
    return {"description": "JSON, or a CSV / XLSX file with the same columns",
            "content": {
                "application/json": {"schema": {"type": "object", "properties": {
                    "columns": {"type": "array", "items": {"type": "string"}},
                    "rows": {"type": "array", "items": _ref(row_schema)}}}},
                "text/csv": {"schema": {"type": "string"}},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
                    {"schema": {"type": "string", "format": "binary"}},
            }, "headers": {"Content-Disposition": {
                "schema": {"type": "string"},
                "description": f'attachment; filename="{name}.<format>"'}}}


SCHEMAS = {
    "ProposalData": {
        "type": "object", "description": "Open data: aggregates only, never who proposed or "
        "who voted. Fair scores: docs/ranking.md.",
        "properties": _columns(PROPOSAL_COLUMNS, _TYPES),
    },
    "VoteAggregate": {
        "type": "object", "description": "Votes per proposal as counts and the distribution "
        "of ratings (rated_1..rated_5, scale events only); never a ballot.",
        "properties": _columns(VOTE_COLUMNS, _TYPES),
    },
    "ReviewUpdate": {
        "type": "object", "required": ["status"],
        "properties": {"status": {"enum": list(MANUAL_STATUSES),
                                  "description": "in_backlog, duplicate and out_of_scope come "
                                                 "from linking the proposal to the backlog."},
                       "public_answer": {"type": "string", "maxLength": ANSWER_MAX,
                                         "description": "Required for not_pursued."}},
    },
    "ReviewResult": {
        "type": "object",
        "properties": {"proposal_id": ID, "status": {"enum": list(MANUAL_STATUSES)},
                       "public_answer": {"type": "string"},
                       "changed": {"type": "boolean",
                                   "description": "false: same as before, nothing written"},
                       "version": {"type": "integer"}},
    },
    "ReviewComment": {
        "type": "object", "description": "Staff only; never public or exported.",
        "properties": {"id": ID, "proposal_id": ID, "body": {"type": "string"},
                       "by": {"type": ["string", "null"]}, "created_at": TIME},
    },
    "ReviewDetail": {
        "type": "object",
        "properties": {
            "proposal": {"type": "object"}, "score": {"oneOf": [_ref("ProposalData"),
                                                               {"type": "null"}]},
            "tables": {"type": "integer", "description": "tables its phone voters sat at"},
            "status": {"enum": list(REVIEW_STATUSES)}, "public_answer": {"type": "string"},
            "history": {"type": "array", "items": {"type": "object", "properties": {
                "status": {"enum": list(REVIEW_STATUSES)}, "public_answer": {"type": "string"},
                "by": {"type": ["string", "null"]}, "at": TIME}}},
            "comments": {"type": "array", "items": _ref("ReviewComment")},
            "merges": {"type": "array", "items": {"type": "object"}},
            "link": {"type": ["object", "null"]}, "version": {"type": "integer"},
        },
    },
    "TimelineEntry": {
        "type": "object", "required": ["kind", "at"],
        "properties": {"kind": {"enum": ["submitted", "review", "measure"]}, "at": TIME,
                       "status": {"type": "string"}, "answer": {"type": "string"},
                       "reason": {"type": ["string", "null"]}},
    },
    "PublicMeasure": {
        "type": ["object", "null"],
        "properties": {"id": ID, "title": {"type": "string"}, "status": {"type": "string"},
                       "url": {"type": "string", "description": "/atgarder/<id>"}},
    },
}


def paths(event_id, staff) -> dict:
    proposal_id = {"name": "proposal_id", "in": "path", "required": True, "schema": ID}
    code = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
    follow = {"name": "follow_code", "in": "path", "required": True,
              "schema": {"type": "string", "minLength": 8, "maxLength": 24}}
    return {
        "/proposals": {"get": {
            "summary": "Proposals across the events the caller may review, with rank, fair "
                       "score, interval, review status, public answer and linked measure",
            "security": staff, "parameters": _FILTERS,
            "responses": {"200": _table("ProposalData", "forslag"), **_errors(400, 401)},
        }},
        "/votes/aggregated": {"get": {
            "summary": "Votes per proposal, aggregated (counts and distributions only)",
            "security": staff, "parameters": _FILTERS,
            "responses": {"200": _table("VoteAggregate", "roster-per-forslag"),
                          **_errors(400, 401)},
        }},
        "/proposals/{proposal_id}/review": {
            "get": {"summary": "A proposal's review: scores, status, history, discussion",
                    "security": staff, "parameters": [proposal_id],
                    "responses": {"200": _json(_ref("ReviewDetail")),
                                  **_errors(401, 403, 404)}},
            "put": {"summary": "Set the review status and the public answer",
                    "security": staff, "parameters": [proposal_id],
                    "requestBody": _body(_ref("ReviewUpdate")),
                    "responses": {"200": _json(_ref("ReviewResult")),
                                  **_errors(400, 401, 403, 404, 409)}},
        },
        "/proposals/{proposal_id}/comments": {"post": {
            "summary": "Add to the project team's discussion of a proposal",
            "security": staff, "parameters": [proposal_id],
            "requestBody": _body({"type": "object", "required": ["body"], "properties": {
                "body": {"type": "string", "minLength": 1, "maxLength": COMMENT_MAX}}}),
            "responses": {"201": _json({"type": "object", "properties": {
                "comment": _ref("ReviewComment"), "version": {"type": "integer"}}}, "Created"),
                **_errors(400, 401, 403, 404)},
        }},
        "/public/events/{code}": {"get": {
            "summary": "What was proposed at an event, how it ranked, what was decided and "
                       "why (no login; not for a referensgrupp)",
            "description": "Before the event's results are out (phase results or closed), "
                           "every vote figure is null and the proposals come in the order "
                           "they were written, so the page cannot sway a vote still running.",
            "security": [], "parameters": [code],
            "responses": {"200": _json({"type": "object", "properties": {
                "event": {"type": "object"}, "voters": {"type": ["integer", "null"]},
                "results_revealed": {"type": "boolean"},
                "proposals": {"type": "array", "items": {"type": "object", "properties": {
                    "proposal_id": ID, "title": {"type": "string"},
                    "fair_rank": {"type": ["integer", "null"]},
                    "norm_score": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
                    "review_status": {"enum": list(REVIEW_STATUSES)},
                    "public_answer": {"type": "string"},
                    "measure": _ref("PublicMeasure")}}}}}),
                **_errors(404)},
        }},
        "/follow/{follow_code}": {"get": {
            "summary": "A resident's own proposals with their status timelines (the secret "
                       "link is the only key)",
            "security": [], "parameters": [follow],
            "responses": {"200": _json({"type": "object", "properties": {
                "event": {"type": "object"},
                "proposals": {"type": "array", "items": {"type": "object", "properties": {
                    "id": ID, "title": {"type": "string"}, "status": {"type": "string"},
                    "review_status": {"enum": list(REVIEW_STATUSES)},
                    "measure": _ref("PublicMeasure"),
                    "timeline": {"type": "array", "items": _ref("TimelineEntry")}}}}}}),
                **_errors(404)},
        }},
    }
