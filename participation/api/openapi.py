"""OpenAPI 3.1 of /api/v1, served at /api/v1/openapi.json: built from the route table
(contract.ROUTES) and the declarations it names, so it describes the code's own shapes."""

import re
from functools import cache

from pydantic import TypeAdapter

from ..core.errors import Refusal
from ..core.validate import Id
from ..web.limits import RateLimited
from .contract import CSRF, PUBLIC, RESIDENT, RESIDENT_OR_STAFF, ROUTES, STAFF, Route
from .schemas import Schemas, reachable

INFO = {
    "title": "participation API",
    "version": "1",
    "description": (
        "Live citizen proposals and votes. Staff use a bearer token (`flask --app wsgi users "
        "token EMAIL`) or their login's session cookie; residents use the cookie set by "
        "/j/<code>. A write that carries a cookie sends the page's CSRF token as X-CSRFToken. "
        "Every write may be answered 429. Whole numbers (ids, counts) are written without a "
        "fraction: 1, not 1.0. The live channel (Socket.IO) is described by "
        "/api/v1/asyncapi.json."),
}
SECURITY_SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer",
               "description": "A staff account's API token."},
    "session": {"type": "apiKey", "in": "cookie", "name": "session",
                "description": "The signed session cookie: a staff login, or a phone that "
                               "joined an event (/j/<code>) or opened an invitation."},
    "csrfHeader": {"type": "apiKey", "in": "header", "name": "X-CSRFToken",
                   "description": "The page's csrf-token meta tag."},
}
PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")
FILES = {"text/csv": {"schema": {"type": "string"}},
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
             {"schema": {"type": "string", "format": "binary"}}}
UPLOAD = {"required": True, "content": {
    "text/csv": {"schema": {"type": "string"}},
    "multipart/form-data": {"schema": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary"}}}}}}


def _security(route: Route) -> list[dict]:
    cookie = {"session": [], "csrfHeader": []} if route.writes else {"session": []}
    return {PUBLIC: [], STAFF: [{"bearer": []}, cookie], RESIDENT: [cookie],
            RESIDENT_OR_STAFF: [cookie, {"bearer": []}],
            CSRF: [{"csrfHeader": []}]}[route.auth]


def _path(rule: str) -> str:
    return PARAMETER.sub(lambda match: "{" + match.group(2) + "}", rule)


def _path_parameters(route: Route) -> list[dict]:
    found = []
    for converter, name in PARAMETER.findall(route.rule):
        declaration = Id if converter == "int" else route.path.get(name, str)
        found.append({"name": name, "in": "path", "required": True,
                      "schema": TypeAdapter(declaration).json_schema()})
    return found


def _query_parameters(schemas: Schemas, query) -> list[dict]:
    """A query declaration's keys, each one parameter (its schema, its description)."""
    declared = schemas.component(query)
    found = []
    for name, schema in declared["properties"].items():
        schema = dict(schema)
        parameter = {"name": name, "in": "query",
                     "required": name in declared.get("required", ())}
        if "description" in schema:
            parameter["description"] = schema.pop("description")
        found.append(parameter | {"schema": schema})
    return found


def _operation(route: Route, schemas: Schemas) -> dict:
    operation = {"operationId": route.endpoint.removeprefix("api."), "summary": route.summary}
    if route.description:
        operation["description"] = route.description
    operation["security"] = _security(route)
    parameters = _path_parameters(route)
    if route.query is not None:
        parameters += _query_parameters(schemas, route.query)
    if parameters:
        operation["parameters"] = parameters
    if route.body is not None:
        operation["requestBody"] = {"required": route.body_required, "content": {
            "application/json": {"schema": schemas.schema(route.body)}}}
    elif route.upload:
        operation["requestBody"] = UPLOAD
    responses = {}
    for status, answer in sorted(route.answers.items()):
        content = {"application/json": {"schema": schemas.schema(answer.shape)}}
        described = {"description": answer.description or "OK", "content": content}
        if answer.filename:
            content |= FILES
            described["headers"] = {"Content-Disposition": {
                "schema": {"type": "string"},
                "description": f'With ?format=: attachment; filename="{answer.filename}.'
                               '<format>"'}}
        responses[str(status)] = described
    for status in route.errors:
        responses[str(status)] = {"$ref": "#/components/responses/Error"}
    if route.writes:
        # Every write may be refused for its rate (participation/web/limits.py); reads are not.
        responses["429"] = {"$ref": "#/components/responses/RateLimited"}
    operation["responses"] = responses
    return operation


@cache
def spec() -> dict:
    schemas = Schemas([Refusal, RateLimited] + [
        part for route in ROUTES
        for part in (route.body, route.query, *(a.shape for a in route.answers.values()))
        if part is not None]).build()
    paths: dict[str, dict] = {}
    for route in ROUTES:
        paths.setdefault(_path(route.rule), {})[route.method.lower()] = _operation(
            route, schemas)
    responses = {
        "Error": {"description": "Refused, with a machine-readable code", "content": {
            "application/json": {"schema": schemas.schema(Refusal)}}},
        "RateLimited": {"description": "Too many writes: wait and retry",
                        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                        "content": {"application/json": {
                            "schema": schemas.schema(RateLimited)}}},
    }
    return {
        "openapi": "3.1.0",
        "info": INFO,
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {"schemas": reachable(schemas.components, [paths, responses]),
                       "responses": responses, "securitySchemes": SECURITY_SCHEMES},
    }
