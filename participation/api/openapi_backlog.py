"""The measure backlog's part of the OpenAPI description: measures, import, links, investment."""

from ..backlog.models import LINK_KINDS, MEASURE_STATUSES
from ..backlog.queries import EXPORT_COLUMNS
from .openapi_parts import ID
from .openapi_parts import body as _body
from .openapi_parts import errors as _errors
from .openapi_parts import json_response as _json
from .openapi_parts import ref as _ref

NUMBER = {"type": ["number", "null"], "minimum": 0, "maximum": 10_000_000,
          "description": "tCO2e per year; give low and high together (low ≤ high)."}
SEK = {"type": ["integer", "null"], "minimum": 0, "description": "Whole kronor."}
TEXT = {"type": ["string", "null"]}


FIELDS = {
    "title": {"type": "string", "minLength": 1, "maxLength": 200},
    "description": {"type": ["string", "null"], "maxLength": 5000},
    "focus_area": {"type": ["string", "null"], "maxLength": 80},
    "owner": {"type": ["string", "null"], "maxLength": 120,
              "description": "A department or a partner organisation."},
    "reduction_low": NUMBER, "reduction_high": NUMBER,
    "investment_sek": SEK, "yearly_cost_sek": SEK,
    "co_benefits": {"type": ["string", "null"], "maxLength": 2000},
    "time_frame": {"type": ["string", "null"], "maxLength": 80},
}
SUPPORT = {
    "type": "object",
    "description": "Counted once per person and event over the linked proposals "
                   "(created_from, supports, duplicate); hand counts added as they are.",
    "properties": {
        "people": {"type": "integer"}, "phone_people": {"type": "integer"},
        "hand_counts": {"type": "integer"}, "proposals": {"type": "integer"},
        "broad": {"type": "object", "properties": {k: {"type": "integer"} for k in
                                                   ("events", "tables", "kinds")}},
        "events": {"type": "array", "items": {"type": "object", "properties": {
            "event_id": ID, "title": {"type": "string"}, "kind": {"type": "string"},
            "people": {"type": "integer"}, "phone_people": {"type": "integer"},
            "hand_counts": {"type": "integer"}, "proposals": {"type": "integer"}}}},
        "tables": {"type": "array", "items": {"type": "object", "properties": {
            "event_id": ID, "table": {"type": "integer"}, "name": {"type": "string"},
            "phone_people": {"type": "integer"}}}},
    },
}
COSTS = {
    "type": "object",
    "description": "yearly_cost_sek = investment_sek / lifetime (10 years) + yearly_cost_sek; "
                   "sek_per_t = yearly cost / midpoint of the reduction; low uses "
                   "reduction_high, high uses reduction_low (null when that is 0).",
    "properties": {k: {"type": ["number", "null"]} for k in
                   ("yearly_cost_sek", "sek_per_t", "sek_per_t_low", "sek_per_t_high",
                    "reduction_mid")},
}
SCHEMAS = {
    "MeasureFields": {"type": "object", "additionalProperties": False, "properties": FIELDS},
    "Measure": {
        "type": "object", "required": ["id", "title", "status", "url"],
        "properties": {"id": ID, **FIELDS, "status": {"enum": list(MEASURE_STATUSES)},
                       "rejected_reason": TEXT,
                       "url": {"type": "string", "description": "The public measure page."},
                       "created_at": {"type": "string"}, "updated_at": {"type": "string"}},
    },
    "MeasureWithFigures": {"allOf": [_ref("Measure"), {"type": "object", "properties": {
        "cost_effectiveness": COSTS, "support": SUPPORT}}]},
    "MeasureResult": {"type": "object", "required": ["measure"],
                      "properties": {"measure": _ref("Measure")}},
    "ProposalLink": {
        "type": "object", "required": ["proposal_id", "kind"],
        "properties": {"proposal_id": ID, "kind": {"enum": list(LINK_KINDS)},
                       "measure_id": {"type": ["integer", "null"]}, "reason": TEXT,
                       "created_at": {"type": "string"}},
    },
    "ImportProblems": {
        "type": "object", "required": ["error", "message", "problems"],
        "properties": {"error": {"const": "import_refused"}, "message": {"type": "string"},
                       "problems": {"type": "array", "items": {"type": "object", "properties": {
                           "row": {"type": "integer", "description": "1 is the header."},
                           "column": {"type": "string",
                                      "description": "The header as in the file."},
                           "message": {"type": "string", "description": "Translated."}}}}},
    },
}


def paths(staff) -> dict:
    measure_id = {"name": "measure_id", "in": "path", "required": True, "schema": ID}
    proposal_id = {"name": "proposal_id", "in": "path", "required": True, "schema": ID}
    filters = [{"name": "focus_area", "in": "query", "schema": {"type": "string"}},
               {"name": "status", "in": "query", "schema": {"enum": list(MEASURE_STATUSES)}}]
    fmt = {"name": "format", "in": "query", "schema": {"enum": ["csv", "xlsx", "json"]},
           "description": "A file with the columns " + ", ".join(EXPORT_COLUMNS) + "."}
    return {
        "/measures": {
            "get": {"summary": "The measures with support and cost per tonne (public)",
                    "security": [], "parameters": [*filters, fmt],
                    "responses": {"200": {"description": "JSON, or the file in the chosen "
                                                         "format (ordered by id)",
                                          "content": {"application/json": {"schema": {
                                              "type": "object", "properties": {
                                                  "measures": {"type": "array", "items": _ref(
                                                      "MeasureWithFigures")}}}},
                                              "text/csv": {"schema": {"type": "string"}}}},
                                  **_errors(400)}},
            "post": {"summary": "Create a measure (reviewers, admins)", "security": staff,
                     "requestBody": _body({"allOf": [_ref("MeasureFields"), {
                         "type": "object", "required": ["title"], "properties": {
                             "status": {"enum": list(MEASURE_STATUSES)},
                             "reason": {"type": ["string", "null"], "maxLength": 500}}}]}),
                     "responses": {"201": _json(_ref("MeasureResult"), "Created"),
                                   **_errors(400, 401, 403)}},
        },
        "/measures/{measure_id}": {
            "get": {"summary": "One measure with its figures and public status history",
                    "security": [], "parameters": [measure_id],
                    "responses": {"200": _json({"allOf": [_ref("MeasureWithFigures"), {
                        "type": "object", "properties": {"history": {
                            "type": "array", "items": {"type": "object", "properties": {
                                "status": {"enum": list(MEASURE_STATUSES)}, "reason": TEXT,
                                "at": {"type": "string"}}}}}}]}), **_errors(404)}},
            "patch": {"summary": "Change some fields of a measure", "security": staff,
                      "parameters": [measure_id], "requestBody": _body(_ref("MeasureFields")),
                      "responses": {"200": _json(_ref("MeasureResult")),
                                    **_errors(400, 401, 403, 404)}},
            "delete": {"summary": "Delete a measure no proposal is linked to",
                       "security": staff, "parameters": [measure_id],
                       "responses": {"200": _json({"type": "object", "properties": {
                           "deleted": ID}}), **_errors(401, 403, 404, 409)}},
        },
        "/measures/{measure_id}/status": {"post": {
            "summary": "Change the status: forward freely; back, to rejected or out of it "
                       "only with a public reason", "security": staff,
            "parameters": [measure_id],
            "requestBody": _body({"type": "object", "required": ["status"], "properties": {
                "status": {"enum": list(MEASURE_STATUSES)},
                "reason": {"type": ["string", "null"], "maxLength": 500}}}),
            "responses": {"200": _json(_ref("MeasureResult")),
                          **_errors(400, 401, 403, 404, 409)},
        }},
        "/measures/import": {"post": {
            "summary": "Import a portfolio CSV: all rows or none (docs/backlog.md)",
            "security": staff,
            "requestBody": {"required": True, "content": {
                "text/csv": {"schema": {"type": "string"}},
                "multipart/form-data": {"schema": {"type": "object", "properties": {
                    "file": {"type": "string", "format": "binary"}}}}}},
            "responses": {"201": _json({"type": "object", "properties": {
                "imported": {"type": "integer"}, "measure_ids": {"type": "array", "items": ID},
                "encoding": {"enum": ["utf-8", "windows-1252"]}}}, "Imported"),
                "422": _json(_ref("ImportProblems"), "Nothing imported: the problems per row"),
                **_errors(400, 401, 403, 413)},
        }},
        "/measures/investment": {"get": {
            "summary": "The climate investment view's data: cheapest tonne first",
            "security": [], "parameters": [*filters, fmt],
            "responses": {"200": {"description": "JSON, or the file in the chosen format",
                                  "content": {"application/json": {"schema": {
                                      "type": "object", "properties": {
                                          "lifetime_years": {"type": "integer"},
                                          "measures": {"type": "array", "items": _ref(
                                              "MeasureWithFigures")}}}},
                                      "text/csv": {"schema": {"type": "string"}}}},
                          **_errors(400)},
        }},
        "/proposals/{proposal_id}/link": {
            "put": {"summary": "Link a proposal to the backlog (replaces its link); sets its "
                               "review status", "security": staff,
                    "parameters": [proposal_id],
                    "requestBody": _body({"type": "object", "required": ["kind"],
                                          "properties": {
                        "kind": {"enum": list(LINK_KINDS)},
                        "measure_id": {"type": ["integer", "null"],
                                       "description": "For supports and duplicate."},
                        "reason": {"type": ["string", "null"], "maxLength": 500,
                                   "description": "Public; required for out_of_scope."},
                        "new_measure": {"allOf": [_ref("MeasureFields")],
                                        "description": "For created_from: fields that "
                                                       "replace the ones taken from the "
                                                       "proposal."}}}),
                    "responses": {"200": _json({"type": "object", "properties": {
                        "link": _ref("ProposalLink"), "version": {"type": "integer"}}}),
                        **_errors(400, 401, 403, 404, 409)}},
            "delete": {"summary": "Remove the link; the proposal is back in review",
                       "security": staff, "parameters": [proposal_id],
                       "responses": {"200": _json({"type": "object", "properties": {
                           "link": {"type": "null"}, "version": {"type": "integer"}}}),
                           **_errors(401, 403, 404, 409)}},
        },
    }
