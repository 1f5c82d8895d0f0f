"""The served API documents, and real answers checked against them with jsonschema."""

import json
from pathlib import Path

from jsonschema import Draft7Validator, Draft202012Validator

ROOT = Path(__file__).resolve().parents[2]
ASYNCAPI_SCHEMA = ROOT / "node_modules/@asyncapi/specs/schemas/3.0.0-without-$id.json"
COMPONENTS = "#/components/schemas/"


def fetch(app, name: str) -> dict:
    response = app.test_client().get(f"/api/v1/{name}.json")
    assert response.status_code == 200, response.status_code
    return response.get_json()


def asyncapi_meta_schema() -> Draft7Validator:
    """The official AsyncAPI 3.0.0 JSON Schema (npm @asyncapi/specs, installed by make setup);
    its $refs are all inside the file."""
    assert ASYNCAPI_SCHEMA.exists(), "npm's @asyncapi/specs is missing: run make setup"
    return Draft7Validator(json.loads(ASYNCAPI_SCHEMA.read_text()))


def problems(document: dict, schema: dict, instance) -> list[str]:
    """Why `instance` does not match `schema`, whose $refs point into the document's
    components (none: it matches)."""
    root = {**schema, "components": document["components"]}
    return [f"{'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message[:300]}"
            for error in Draft202012Validator(root).iter_errors(instance)]


def inline(schema, components: dict):
    """The schema with every $ref to a component replaced by the component (requests are not
    recursive), for hypothesis-jsonschema."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            target = components[schema["$ref"].removeprefix(COMPONENTS)]
            rest = {k: v for k, v in schema.items() if k != "$ref"}
            return inline({**target, **rest}, components)
        return {key: inline(value, components) for key, value in schema.items()}
    if isinstance(schema, list):
        return [inline(value, components) for value in schema]
    return schema


def refs(node):
    """Every $ref in a document."""
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def resolve(document: dict, ref: str):
    assert ref.startswith("#/"), ref
    node = document
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def openapi_answer_schema(openapi: dict, rule_path: str, method: str, status: int) -> dict | None:
    """The JSON schema the OpenAPI document gives for this answer (None: not listed)."""
    responses = openapi["paths"][rule_path][method.lower()]["responses"]
    answer = responses.get(str(status))
    if answer is None:
        return None
    if "$ref" in answer:
        answer = resolve(openapi, answer["$ref"])
    return answer["content"]["application/json"]["schema"]
