"""The REST document (/api/v1/openapi.json) against the app: every route under /api/v1 is in
it with its method, nothing else is, it is valid OpenAPI 3.1, and its limits are the code's."""

import re

from openapi_spec_validator import validate

from participation.events import operations as events
from participation.events.tables import TABLES_MAX
from participation.members.models import NAME_MAX
from participation.proposals.models import BODY_MAX, TITLE_MAX
from participation.proposals.moderation import REASON_MAX

from .support.documents import fetch, refs, resolve

PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def test_every_api_route_is_in_the_document_and_nothing_else(app):
    spec = fetch(app, "openapi")
    served = {(PARAMETER.sub(r"{\1}", rule.rule.removeprefix("/api/v1")), method.lower())
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    described = {(path, method) for path, operations in spec["paths"].items()
                 for method in operations}
    assert served == described
    assert len(served) > 50


def test_the_document_is_valid_openapi_and_its_references_resolve(app):
    spec = fetch(app, "openapi")
    validate(spec)
    for ref in set(refs(spec)):
        assert resolve(spec, ref) is not None, ref


def test_the_limits_are_the_operations_constants(app):
    schemas = fetch(app, "openapi")["components"]["schemas"]
    proposal = schemas["NewProposal"]["properties"]
    assert proposal["title"]["maxLength"] == TITLE_MAX
    assert {"maxLength": BODY_MAX, "type": "string"} in proposal["body"]["anyOf"]
    assert schemas["HideRequest"]["properties"]["reason"]["maxLength"] == REASON_MAX
    assert schemas["TableCount"]["properties"]["count"]["maximum"] == TABLES_MAX
    assert schemas["NewEvent"]["properties"]["title"]["maxLength"] == events.TITLE_MAX
    assert schemas["NewMember"]["properties"]["name"]["maxLength"] == NAME_MAX
    timer = schemas["TimerChange"]["properties"]["seconds"]["anyOf"][0]
    assert timer["maximum"] == events.TIMER_MAX_SECONDS


def test_copying_an_event_answers_as_creating_one_does(app):
    paths = fetch(app, "openapi")["paths"]
    created, copied = paths["/events"]["post"], paths["/events/{event_id}/copy"]["post"]
    assert copied["responses"]["201"] == created["responses"]["201"]
    assert "requestBody" not in copied  # nothing to send: the event in the path is the setup
