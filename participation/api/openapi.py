"""OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json."""

from functools import cache

from . import openapi_backlog, openapi_group, openapi_ops, openapi_review
from .openapi_parts import ID
from .openapi_parts import body as _body
from .openapi_parts import errors as _errors
from .openapi_parts import json_response as _json
from .openapi_parts import ref as _ref

WHEN = {"type": ["string", "null"], "format": "date-time",
        "description": "ISO 8601; with a UTC offset, or read as local time (TIMEZONE, "
                       "Europe/Stockholm). Answers give UTC with a Z."}
QUESTIONS = {"type": "array", "maxItems": 8, "items": {"type": "string", "minLength": 1,
                                                       "maxLength": 300},
             "description": "The event's question cards, in order."}
CLIENT_ID = {"type": "string", "pattern": "^[A-Za-z0-9_.:-]{8,64}$",
             "description": "Client-generated idempotency key; a retry with it changes nothing."}

SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error", "message"],
        "properties": {
            "error": {"type": "string", "description": "Machine-readable code, e.g. wrong_phase."},
            "message": {"type": "string", "description": "Translated, for people."},
            "field": {"type": "string"},
        },
    },
    "RateLimited": {
        "type": "object",
        "required": ["error", "message", "retry_after"],
        "properties": {
            "error": {"const": "rate_limited"},
            "message": {"type": "string", "description": "Translated, for people."},
            "retry_after": {"type": "integer", "minimum": 1,
                            "description": "Seconds to wait; also in the Retry-After header."},
        },
    },
    "Voting": {
        "oneOf": [
            {"type": "object", "required": ["method"],
             "properties": {"method": {"const": "approval"}}},
            {"type": "object", "required": ["method", "dots"],
             "properties": {"method": {"const": "dots"},
                            "dots": {"type": "integer", "minimum": 1, "maximum": 100},
                            "max_per_proposal": {"type": "integer", "minimum": 1,
                                                 "maximum": 100}}},
            {"type": "object", "required": ["method"],
             "description": "Each person rates each proposal 1 to 5 (answers add min and max).",
             "properties": {"method": {"const": "scale"},
                            "min": {"const": 1}, "max": {"const": 5}}},
        ]
    },
    "ScaleTally": {
        "type": "object",
        "description": "A scale proposal's ratings, derived from the stored votes.",
        "properties": {
            "ratings": {"type": "integer"}, "sum": {"type": "integer"},
            "mean": {"type": ["number", "null"], "description": "Rounded to 2 decimals."},
            "distribution": {"type": "object", "description": "Score 1..5 to how many gave it.",
                             "additionalProperties": {"type": "integer"}},
        },
    },
    "Schedule": {
        "type": "object",
        "properties": {"opens_at": WHEN, "closes_at": WHEN},
    },
    "NewEvent": {
        "type": "object",
        "required": ["title", "prompt", "kind", "voting"],
        "properties": {
            "title": {"type": "string", "minLength": 1, "maxLength": 200},
            "prompt": {"type": "string", "minLength": 1, "maxLength": 500},
            "kind": {"enum": ["radslag", "referensgrupp", "medborgarverkstad"]},
            "voting": _ref("Voting"),
            "focus_areas": {"type": "array", "maxItems": 12,
                            "items": {"type": "string", "maxLength": 80}},
            "moderation": {"enum": ["post", "pre"], "default": "post",
                           "description": "pre: proposals wait for approval."},
            "hide_tallies": {"type": "boolean", "default": False,
                             "description": "Keep live vote bars off the projector until "
                                            "revealed."},
            "shuffle_ballot": {"type": "boolean", "default": False,
                               "description": "Each person sees the ballot in their own "
                                              "random order."},
            "questions": QUESTIONS,
            "opens_at": WHEN | {"description": "Lobby -> collect on its own at this time."},
            "closes_at": WHEN | {"description": "Collect/vote -> results on its own; no "
                                                "writes after it. Later than opens_at."},
        },
    },
    "Event": {
        "type": "object",
        "required": ["id", "code", "join_url", "phase", "version"],
        "properties": {
            "id": ID, "code": {"type": "string"}, "title": {"type": "string"},
            "prompt": {"type": "string"}, "kind": {"type": "string"},
            "phase": {"enum": ["lobby", "collect", "vote", "results", "closed"]},
            "voting": _ref("Voting"), "join_url": {"type": "string", "format": "uri"},
            "moderation": {"enum": ["post", "pre"]},
            "timer_ends_at": {"type": ["string", "null"],
                              "description": "When the current phase's countdown ends (UTC)."},
            "hide_tallies": {"type": "boolean"},
            "tallies_revealed": {"type": "boolean"},
            "shuffle_ballot": {"type": "boolean"},
            "show_themes": {"type": "boolean", "description": "The projector draws the theme "
                            "cloud; only in the staff snapshot and the themes-display answer."},
            "tables": {"type": "array", "items": {"type": "object", "properties": {
                "number": {"type": "integer"}, "name": {"type": "string"}}}},
            "focus_areas": {"type": "array", "items": {
                "type": "object", "properties": {"id": ID, "name": {"type": "string"}}}},
            "questions": {"type": "array", "items": {
                "type": "object", "properties": {"id": ID, "text": {"type": "string"}}}},
            "opens_at": {"type": ["string", "null"], "description": "UTC, with a Z."},
            "closes_at": {"type": ["string", "null"], "description": "UTC, with a Z."},
            "version": {"type": "integer"},
        },
    },
    "Proposal": {
        "type": "object",
        "required": ["id", "status"],
        "properties": {
            "id": ID, "status": {"enum": ["pending", "visible", "hidden", "merged"]},
            "title": {"type": "string"}, "body": {"type": "string"},
            "focus_area_id": {"type": ["integer", "null"]},
            "focus_area": {"type": ["string", "null"]},
            "question_id": {"type": ["integer", "null"],
                            "description": "The question card it answers."},
            "author_name": {"type": ["string", "null"]},
            "source": {"enum": ["phone", "paper"]},
            "table": {"type": ["integer", "null"]},
            "created_at": {"type": "string"},
            "hidden_reason": {"type": ["string", "null"]},
            "edit_reason": {"type": ["string", "null"],
                            "description": "Why a facilitator changed the text."},
            "merged_into": {"type": ["integer", "null"],
                            "description": "Status merged: the proposal it was merged into."},
            "merged_from": {"type": "array", "items": _ref("MergedText"),
                            "description": "The texts merged into this proposal (also those "
                                           "merged into them), oldest first."},
        },
    },
    "MergedText": {
        "type": "object", "required": ["id", "title", "body", "author_name"],
        "properties": {"id": ID, "title": {"type": "string"}, "body": {"type": "string"},
                       "author_name": {"type": ["string", "null"]}},
    },
    "Merge": {
        "type": "object",
        "required": ["id", "event_id", "source_id", "target_id", "created_at", "active"],
        "properties": {
            "id": ID, "event_id": ID, "source_id": ID, "target_id": ID,
            "reason": {"type": ["string", "null"]},
            "by": {"type": ["string", "null"], "description": "The staff account."},
            "created_at": {"type": "string"},
            "undone_at": {"type": ["string", "null"]},
            "undone_by": {"type": ["string", "null"]},
            "active": {"type": "boolean", "description": "Not undone."},
        },
    },
    "MergeResult": {
        "type": "object", "required": ["merge", "target", "source", "version"],
        "properties": {"merge": _ref("Merge"), "target": _ref("Proposal"),
                       "source": _ref("Proposal"), "version": {"type": "integer"},
                       "restored_votes": {"type": "integer",
                                          "description": "Undo only: people whose earlier "
                                                         "votes came back."}},
    },
    "ModerationResult": {
        "type": "object", "required": ["proposal", "version"],
        "properties": {"proposal": _ref("Proposal"), "version": {"type": "integer"}},
    },
    "RankedProposal": {
        "allOf": [_ref("Proposal"), {
            "type": "object", "required": ["votes", "rank"],
            "properties": {"votes": {"type": "integer", "description": "People supporting it."},
                           "paper_votes": {"type": "integer",
                                           "description": "Of those, hands counted."},
                           "dots": {"type": "integer", "description": "Dots received."},
                           "rank": {"type": "integer", "minimum": 1},
                           "score": {"type": "number",
                                     "description": "Scale: the Bayesian average ranked by."}}},
            {"description": "Scale events add ratings, sum, mean and distribution."},
            _ref("ScaleTally")],
    },
    "Ballot": {
        "type": "object",
        "properties": {
            "votes": {"type": "object", "additionalProperties": {"type": "integer"},
                      "description": "Proposal id to this person's dots (1 for approval, "
                                     "the score 1..5 for scale)."},
            "spent": {"type": "integer", "description": "Scale: proposals rated."},
            "remaining": {"type": ["integer", "null"]},
        },
    },
    "VoteResult": {
        "type": "object",
        "required": ["proposal_id", "version", "ballot"],
        "properties": {"proposal_id": ID, "version": {"type": "integer"},
                       "ballot": _ref("Ballot"), "replayed": {"type": "boolean"}},
    },
    "Theme": {
        "type": "object",
        "required": ["stem", "label", "count"],
        "properties": {
            "stem": {"type": "string", "description": "Snowball Swedish stem; ?theme= value."},
            "label": {"type": "string", "description": "The commonest surface form."},
            "count": {"type": "integer", "description": "Visible proposals holding it."},
            "proposal_ids": {"type": "array", "items": ID,
                             "description": "Only in GET /events/{id}/themes."},
        },
    },
    "State": {
        "type": "object",
        "required": ["version", "event", "proposals"],
        "properties": {
            "version": {"type": "integer"},
            "event": _ref("SnapshotEvent"),
            "server_time": {"type": "string", "description": "The server's clock (UTC)."},
            "proposals": {"type": "array", "items": _ref("Proposal")},
            "results": {"type": "array", "items": _ref("RankedProposal")},
            "tallies": {"type": "object"},
            "themes": {"type": "array", "description": "Staff only: the theme cloud.",
                       "items": _ref("Theme")},
            "table_results": {"type": "object", "description": "Table number to its best "
                              "proposals, once results are revealed.",
                              "additionalProperties": {"type": "array",
                                                       "items": _ref("RankedProposal")}},
            "me": {"type": "object", "properties": {
                "joined": {"type": "boolean"}, "display_name": {"type": ["string", "null"]},
                "proposal_ids": {"type": "array", "items": ID}, "ballot": _ref("Ballot"),
                "table": {"type": ["integer", "null"]},
                "seed": {"type": ["string", "null"],
                         "description": "Orders the ballot when shuffle_ballot is on."}}},
        },
    },
}


# In a snapshot the event's version is the snapshot's own, at the top.
SCHEMAS["SnapshotEvent"] = {**SCHEMAS["Event"], "required": [
    name for name in SCHEMAS["Event"]["required"] if name != "version"]}


@cache
def spec() -> dict:
    event_id = {"name": "event_id", "in": "path", "required": True, "schema": ID}
    proposal_id = {"name": "proposal_id", "in": "path", "required": True, "schema": ID}
    merge_id = {"name": "merge_id", "in": "path", "required": True, "schema": ID}
    staff = [{"bearer": []}]
    participant = [{"participantCookie": [], "csrfHeader": []}]
    return _rate_limited_writes({
        "openapi": "3.1.0",
        "info": {
            "title": "participation API",
            "version": "1",
            "description": "Live citizen proposals and votes. Staff use a bearer token "
                           "(`flask --app wsgi users token EMAIL`); residents use the cookie "
                           "set by /j/<code> and send the page's CSRF token as X-CSRFToken.",
        },
        "servers": [{"url": "/api/v1"}],
        "components": {
            "schemas": SCHEMAS | openapi_group.SCHEMAS | openapi_backlog.SCHEMAS
                       | openapi_review.SCHEMAS,
            "responses": {
                "Error": _json(_ref("Error"), "Refused, with a machine-readable code"),
                "RateLimited": {**_json(_ref("RateLimited"), "Too many writes: wait and retry"),
                                "headers": {"Retry-After": {"schema": {"type": "integer"}}}},
            },
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "participantCookie": {"type": "apiKey", "in": "cookie", "name": "session"},
                "csrfHeader": {"type": "apiKey", "in": "header", "name": "X-CSRFToken"},
            },
        },
        "paths": {
            "/events": {"post": {
                "summary": "Create an event", "security": staff,
                "requestBody": _body(_ref("NewEvent")),
                "responses": {"201": _json(_ref("Event"), "Created"),
                              **_errors(400, 401, 403)},
            }},
            "/events/{event_id}": {"get": {
                "summary": "An event's settings and phase", "security": staff,
                "parameters": [event_id],
                "responses": {"200": _json(_ref("Event")), **_errors(401, 403, 404)},
            }},
            "/events/{event_id}/phase": {"post": {
                "summary": "Move the event to another phase", "security": staff,
                "parameters": [event_id],
                "requestBody": _body({"type": "object", "required": ["phase"], "properties": {
                    "phase": {"enum": ["lobby", "collect", "vote", "results", "closed"]}}}),
                "responses": {"200": _json(_ref("Event")), **_errors(400, 401, 403, 404, 409)},
            }},
            "/events/{event_id}/reveal": {"post": {
                "summary": "Show (true) or hide (false) the live vote bars on the projector",
                "security": staff, "parameters": [event_id],
                "requestBody": _body({"type": "object", "properties": {
                    "revealed": {"type": "boolean", "default": True}}}),
                "responses": {"200": _json(_ref("Event")), **_errors(400, 401, 403, 404)},
            }},
            "/events/{event_id}/themes-display": {"put": {
                "summary": "Show (true) or hide (false) the theme cloud on the projector",
                "security": staff, "parameters": [event_id],
                "requestBody": _body({"type": "object", "required": ["show"], "properties": {
                    "show": {"type": "boolean"}}}),
                "responses": {"200": _json(_ref("Event")), **_errors(400, 401, 403, 404)},
            }},
            "/events/{event_id}/themes": {"get": {
                "summary": "The theme cloud: stems shared by the visible proposals",
                "security": staff, "parameters": [event_id],
                "responses": {"200": _json({
                    "type": "object", "required": ["event_id", "version", "themes"],
                    "properties": {"event_id": ID, "version": {"type": "integer"},
                                   "themes": {"type": "array", "items": _ref("Theme")}}}),
                    **_errors(401, 403, 404)},
            }},
            "/events/{event_id}/paper-proposals": {"post": {
                "summary": "Add a proposal written on paper, for a table", "security": staff,
                "parameters": [event_id],
                "requestBody": _body({"type": "object", "required": ["title"], "properties": {
                    "title": {"type": "string", "minLength": 1, "maxLength": 120},
                    "body": {"type": "string", "maxLength": 1000},
                    "table": {"type": ["integer", "null"]},
                    "focus_area_id": {"type": ["integer", "null"]}}}),
                "responses": {"201": _json(_ref("ModerationResult"), "Added"),
                              **_errors(400, 401, 403, 404, 409)},
            }},
            "/events/{event_id}/scribe-proposals": {"post": {
                "summary": "The table scribe enters a proposal for the table (the scribe "
                           "card's cookie grant)", "security": participant,
                "parameters": [event_id],
                "requestBody": _body({"type": "object", "required": ["title"], "properties": {
                    "title": {"type": "string", "minLength": 1, "maxLength": 120},
                    "body": {"type": "string", "maxLength": 1000}}}),
                "responses": {"201": _json(_ref("ModerationResult"), "Added"),
                              **_errors(400, 403, 404, 409)},
            }},
            "/proposals/{proposal_id}/hand-count": {"put": {
                "summary": "Record the hands counted in the room for a proposal",
                "security": staff, "parameters": [proposal_id],
                "requestBody": _body({"type": "object", "required": ["count"], "properties": {
                    "count": {"type": "integer", "minimum": 0, "maximum": 100000}}}),
                "responses": {"200": _json({"type": "object"}),
                              **_errors(400, 401, 403, 404, 409)},
                "description": "409 hand_count_not_for_scale on a scale event.",
            }},
            "/events/{event_id}/schedule": {"put": {
                "summary": "Set (or clear with null) when the event opens and closes on its own",
                "security": staff, "parameters": [event_id],
                "requestBody": _body(_ref("Schedule")),
                "responses": {"200": _json(_ref("Event")), **_errors(400, 401, 403, 404, 409)},
            }},
            "/events/{event_id}/questions": {"put": {
                "summary": "Replace the question cards (unchanged texts keep their ids)",
                "security": staff, "parameters": [event_id],
                "requestBody": _body({"type": "object", "required": ["questions"],
                                      "properties": {"questions": QUESTIONS}}),
                "responses": {"200": _json(_ref("Event")),
                              **_errors(400, 401, 403, 404, 409)},
                "description": "409 question_in_use when a removed question has proposals.",
            }},
            "/events/{event_id}/tables": {"post": {
                "summary": "Set how many tables the event has", "security": staff,
                "parameters": [event_id],
                "requestBody": _body({"type": "object", "required": ["count"], "properties": {
                    "count": {"type": "integer", "minimum": 0, "maximum": 60}}}),
                "responses": {"200": _json(_ref("Event")), **_errors(400, 401, 403, 404, 409)},
            }},
            "/events/{event_id}/table": {"post": {
                "summary": "Sit this phone at a table (null: none)", "security": participant,
                "parameters": [event_id],
                "requestBody": _body({"type": "object", "properties": {
                    "table": {"type": ["integer", "null"]}}}),
                "responses": {"200": _json({"type": "object"}), **_errors(400, 403, 404)},
            }},
            "/events/{event_id}/similar": {"get": {
                "summary": "Visible proposals similar to a text being typed",
                "security": participant + staff,
                "parameters": [event_id,
                               {"name": "title", "in": "query", "schema": {"type": "string"}},
                               {"name": "body", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": _json({"type": "object", "properties": {"matches": {
                    "type": "array", "items": {"type": "object", "properties": {
                        "id": ID, "title": {"type": "string"},
                        "score": {"type": "number"}}}}}}), **_errors(401, 403, 404)},
            }},
            "/events/{event_id}/duplicates": {"get": {
                "summary": "Suggested duplicate pairs for the facilitator", "security": staff,
                "parameters": [event_id],
                "responses": {"200": _json({"type": "object"}), **_errors(401, 403, 404)},
            }},
            "/events/{event_id}/timer": {"post": {
                "summary": "Start (seconds > 0) or stop (0 or null) the phase countdown",
                "security": staff, "parameters": [event_id],
                "requestBody": _body({"type": "object", "properties": {
                    "seconds": {"type": ["integer", "null"], "minimum": 0, "maximum": 14400,
                                "description": "0, null or left out: stop."}}}),
                "responses": {"200": _json(_ref("Event")), **_errors(400, 401, 403, 404, 409)},
            }},
            "/events/{event_id}/results": {"get": {
                "summary": "Visible proposals in rank order", "security": staff,
                "parameters": [event_id, {"name": "table", "in": "query", "required": False,
                                          "schema": {"type": "integer"},
                                          "description": "Only this table's proposals."}],
                "responses": {"200": _json({
                    "type": "object",
                    "required": ["event_id", "phase", "version", "voting", "results"],
                    "properties": {
                        "event_id": ID,
                        "phase": {"enum": ["lobby", "collect", "vote", "results", "closed"]},
                        "version": {"type": "integer"},
                        "voting": _ref("Voting"),
                        "table": {"type": ["integer", "null"]},
                        "results": {"type": "array", "items": _ref("RankedProposal")}}}),
                    **_errors(401, 403, 404)},
            }},
            "/events/{event_id}/state": {"get": {
                "summary": "The full snapshot, with version", "security": participant + staff,
                "parameters": [event_id],
                "responses": {"200": _json(_ref("State")), **_errors(401, 403, 404)},
            }},
            "/events/{event_id}/proposals": {"post": {
                "summary": "Submit a proposal (collect phase)", "security": participant,
                "parameters": [event_id],
                "requestBody": _body({"type": "object", "required": ["title", "client_id"],
                                      "properties": {
                    "title": {"type": "string", "minLength": 1, "maxLength": 120},
                    "body": {"type": "string", "maxLength": 1000},
                    "focus_area_id": {"type": ["integer", "null"]},
                    "question_id": {"type": ["integer", "null"],
                                    "description": "Required when the event has questions."},
                    "client_id": CLIENT_ID}}),
                "responses": {
                    "201": _json({"type": "object", "properties": {
                        "proposal": _ref("Proposal"), "version": {"type": "integer"}}},
                        "Created"),
                    "200": _json({"type": "object"}, "A retry with the same client_id"),
                    **_errors(400, 403, 404, 409)},
            }},
            "/proposals/{proposal_id}/votes": {
                "post": {
                    "summary": "Vote, add dots, or rate 1-5 (vote phase)",
                    "security": participant,
                    "parameters": [proposal_id],
                    "requestBody": _body({"type": "object", "required": ["client_id"],
                                          "properties": {
                        "client_id": CLIENT_ID,
                        "dots": {"type": "integer", "minimum": 1, "maximum": 100},
                        "score": {"type": "integer", "minimum": 1, "maximum": 5,
                                  "description": "Scale events: the rating; a new one "
                                                 "replaces the old. `dots` is accepted too."}}}),
                    "responses": {"201": _json(_ref("VoteResult"), "Counted"),
                                  "200": _json(_ref("VoteResult"), "A retry"),
                                  **_errors(400, 403, 404, 409)},
                },
                "delete": {
                    "summary": "Withdraw this person's vote or dots", "security": participant,
                    "parameters": [proposal_id],
                    "requestBody": _body({"type": "object", "properties": {
                        "client_id": CLIENT_ID}}, required=False),
                    "responses": {"200": _json(_ref("VoteResult")),
                                  **_errors(400, 403, 404, 409)},
                },
            },
            "/proposals/{proposal_id}/hide": {"post": {
                "summary": "Hide a proposal, with a public reason", "security": staff,
                "parameters": [proposal_id],
                "requestBody": _body({"type": "object", "required": ["reason"], "properties": {
                    "reason": {"type": "string", "minLength": 1, "maxLength": 300}}}),
                "responses": {"200": _json(_ref("ModerationResult")),
                              **_errors(400, 401, 403, 404, 409)},
            }},
            "/proposals/{proposal_id}/approve": {"post": {
                "summary": "Approve a proposal waiting for moderation", "security": staff,
                "parameters": [proposal_id],
                "responses": {"200": _json(_ref("ModerationResult")),
                              **_errors(401, 403, 404, 409)},
            }},
            "/proposals/{proposal_id}/restore": {"post": {
                "summary": "Show a hidden proposal again", "security": staff,
                "parameters": [proposal_id],
                "requestBody": _body({"type": "object", "properties": {
                    "reason": {"type": "string", "maxLength": 300}}}, required=False),
                "responses": {"200": _json(_ref("ModerationResult")),
                              **_errors(400, 401, 403, 404, 409)},
            }},
            "/proposals/{proposal_id}": {"patch": {
                "summary": "Edit a proposal's text, with a public reason", "security": staff,
                "parameters": [proposal_id],
                "requestBody": _body({"type": "object", "required": ["title", "reason"],
                                      "properties": {
                    "title": {"type": "string", "minLength": 1, "maxLength": 120},
                    "body": {"type": "string", "maxLength": 1000},
                    "reason": {"type": "string", "minLength": 1, "maxLength": 300}}}),
                "responses": {"200": _json(_ref("ModerationResult")),
                              **_errors(400, 401, 403, 404, 409)},
            }},
            "/events/{event_id}/merges": {
                "post": {
                    "summary": "Merge a duplicate (source) into another proposal (target): "
                               "votes carry over, both texts are kept", "security": staff,
                    "parameters": [event_id],
                    "requestBody": _body({"type": "object", "required": ["source_id", "target_id"],
                                          "properties": {
                        "source_id": ID, "target_id": ID,
                        "reason": {"type": ["string", "null"], "maxLength": 300}}}),
                    "responses": {"201": _json(_ref("MergeResult"), "Merged"),
                                  **_errors(400, 401, 403, 404, 409)},
                },
                "get": {
                    "summary": "The event's merges, undone ones included", "security": staff,
                    "parameters": [event_id],
                    "responses": {"200": _json({"type": "object", "properties": {
                        "event_id": ID,
                        "merges": {"type": "array", "items": _ref("Merge")}}}),
                        **_errors(401, 403, 404)},
                },
            },
            "/merges/{merge_id}": {"delete": {
                "summary": "Undo a merge (the latest one involving its target first)",
                "security": staff, "parameters": [merge_id],
                "requestBody": _body({"type": "object", "properties": {
                    "reason": {"type": ["string", "null"], "maxLength": 300}}}, required=False),
                "responses": {"200": _json(_ref("MergeResult")),
                              **_errors(400, 401, 403, 404, 409)},
            }},
            "/events/{event_id}/moderation": {"get": {
                "summary": "The moderation audit trail: who, when, what and why",
                "security": staff, "parameters": [event_id],
                "responses": {"200": _json({"type": "object", "properties": {
                    "entries": {"type": "array", "items": {"type": "object", "properties": {
                        "proposal_id": ID,
                        "action": {"enum": ["approve", "hide", "restore", "edit", "count",
                                            "merge", "unmerge"]},
                        "reason": {"type": ["string", "null"]},
                        "by": {"type": ["string", "null"]},
                        "at": {"type": "string"},
                        "before": {"type": ["object", "null"]},
                        "after": {"type": ["object", "null"]}}}}}}),
                    **_errors(401, 403, 404)},
            }},
            **openapi_group.paths(event_id, staff, participant),
            **openapi_backlog.paths(staff),
            **openapi_review.paths(event_id, staff),
            **openapi_ops.paths(staff),
        },
    })


def _rate_limited_writes(document: dict) -> dict:
    """Every write may be answered 429 (participation/core/limits.py); reads are not limited."""
    for operations in document["paths"].values():
        for method, operation in operations.items():
            if method in ("post", "put", "patch", "delete"):
                operation["responses"].setdefault(
                    "429", {"$ref": "#/components/responses/RateLimited"})
    return document
