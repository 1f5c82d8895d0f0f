"""The referensgrupp's part of the OpenAPI description: members, invitations, meetings."""

from .openapi_parts import ID
from .openapi_parts import body as _body
from .openapi_parts import errors as _errors
from .openapi_parts import json_response as _json
from .openapi_parts import ref as _ref

TIME = {"type": ["string", "null"], "description": "UTC, ISO 8601 with Z."}


SCHEMAS = {
    "Member": {
        "type": "object", "required": ["id", "name", "status"],
        "description": "Staff only. Names and e-mails never reach phones of other members "
                       "(except a name with the member's consent) or the CSV export.",
        "properties": {
            "id": ID, "name": {"type": "string", "maxLength": 80},
            "email": {"type": ["string", "null"], "maxLength": 254},
            "organisation": {"type": ["string", "null"], "maxLength": 120},
            "show_name": {"type": "boolean",
                          "description": "The member's consent to show their name."},
            "status": {"enum": ["invited", "joined", "revoked", "expired"]},
            "invite_expires_at": TIME, "joined_at": TIME, "revoked_at": TIME,
            "created_at": TIME,
        },
    },
    "MemberCounts": {
        "type": "object",
        "properties": {k: {"type": "integer"} for k in
                       ("total", "invited", "joined", "revoked", "expired")},
    },
    "MemberResult": {
        "type": "object", "required": ["member", "version"],
        "properties": {"member": _ref("Member"), "version": {"type": "integer"}},
    },
    "Invitation": {
        "type": "object", "required": ["member", "invite_url", "version"],
        "properties": {"member": _ref("Member"), "version": {"type": "integer"},
                       "invite_url": {"type": "string", "format": "uri",
                                      "description": "Shown only in this answer: only a "
                                                     "digest of its token is stored."}},
    },
    "Meeting": {
        "type": "object", "required": ["id", "title", "starts_at", "present"],
        "properties": {"id": ID, "title": {"type": "string", "maxLength": 120},
                       "starts_at": {"type": "string", "description": "UTC, ISO 8601 with Z."},
                       "present": {"type": "array", "items": ID,
                                   "description": "Ids of the members who were there."}},
    },
}


def paths(event_id, staff, participant) -> dict:
    member_id = {"name": "member_id", "in": "path", "required": True, "schema": ID}
    meeting_id = {"name": "meeting_id", "in": "path", "required": True, "schema": ID}
    return {
        "/events/{event_id}/members": {
            "get": {
                "summary": "A referensgrupp's members with their status", "security": staff,
                "parameters": [event_id],
                "responses": {"200": _json({"type": "object", "properties": {
                    "event_id": ID, "version": {"type": "integer"},
                    "counts": _ref("MemberCounts"),
                    "members": {"type": "array", "items": _ref("Member")}}}),
                    **_errors(401, 403, 404)},
            },
            "post": {
                "summary": "Invite a member; the answer holds the invitation link once",
                "security": staff, "parameters": [event_id],
                "requestBody": _body({"type": "object", "required": ["name"], "properties": {
                    "name": {"type": "string", "minLength": 1, "maxLength": 80},
                    "email": {"type": ["string", "null"], "maxLength": 254},
                    "organisation": {"type": ["string", "null"], "maxLength": 120}}}),
                "responses": {"201": _json(_ref("Invitation"), "Invited"),
                              **_errors(400, 401, 403, 404, 409)},
            },
        },
        "/members/{member_id}/revoke": {"post": {
            "summary": "Revoke a membership: the member's phones are refused at once",
            "security": staff, "parameters": [member_id],
            "responses": {"200": _json(_ref("MemberResult")), **_errors(401, 403, 404, 409)},
        }},
        "/members/{member_id}/invitation": {"post": {
            "summary": "Issue a new invitation link (new expiry; the old link stops working)",
            "security": staff, "parameters": [member_id],
            "responses": {"200": _json(_ref("Invitation")), **_errors(401, 403, 404, 409)},
        }},
        "/events/{event_id}/meetings": {
            "get": {
                "summary": "The group's meetings with attendance", "security": staff,
                "parameters": [event_id],
                "responses": {"200": _json({"type": "object", "properties": {
                    "event_id": ID, "version": {"type": "integer"},
                    "meetings": {"type": "array", "items": _ref("Meeting")}}}),
                    **_errors(401, 403, 404)},
            },
            "post": {
                "summary": "Add a meeting", "security": staff, "parameters": [event_id],
                "requestBody": _body({"type": "object", "required": ["title", "starts_at"],
                                      "properties": {
                    "title": {"type": "string", "minLength": 1, "maxLength": 120},
                    "starts_at": {"type": "string", "description": "ISO 8601. With an offset "
                                  "or Z it is UTC-converted; without, it is local time "
                                  "(TIMEZONE)."}}}),
                "responses": {"201": _json({"type": "object", "properties": {
                    "meeting": _ref("Meeting"), "version": {"type": "integer"}}}, "Added"),
                    **_errors(400, 401, 403, 404, 409)},
            },
        },
        "/meetings/{meeting_id}/attendance/{member_id}": {"put": {
            "summary": "Record whether a member was at a meeting", "security": staff,
            "parameters": [meeting_id, member_id],
            "requestBody": _body({"type": "object", "required": ["present"], "properties": {
                "present": {"type": "boolean"}}}),
            "responses": {"200": _json({"type": "object", "properties": {
                "meeting_id": ID, "member_id": ID, "present": {"type": "boolean"},
                "meeting": _ref("Meeting"), "version": {"type": "integer"}}}),
                **_errors(400, 401, 403, 404, 409)},
        }},
        "/invitations/accept": {"post": {
            "summary": "Open an invitation: bind this browser's cookie to the member (the same "
                       "participant on every device). Always needs X-CSRFToken.",
            "security": [{"csrfHeader": []}],
            "requestBody": _body({"type": "object", "required": ["token"], "properties": {
                "token": {"type": "string", "maxLength": 100}}}),
            "responses": {"200": _json({"type": "object", "properties": {
                "event_id": ID, "code": {"type": "string"}, "member_id": ID,
                "version": {"type": "integer"}}}), **_errors(400, 404, 410)},
        }},
        "/events/{event_id}/show-name": {"post": {
            "summary": "A member's consent to show their name with their proposals in the "
                       "group; their earlier proposals change too", "security": participant,
            "parameters": [event_id],
            "requestBody": _body({"type": "object", "required": ["show"], "properties": {
                "show": {"type": "boolean"}}}),
            "responses": {"200": _json({"type": "object", "properties": {
                "show_name": {"type": "boolean"},
                "proposal_ids": {"type": "array", "items": ID},
                "version": {"type": "integer"}}}), **_errors(400, 403, 404, 409)},
        }},
    }
