"""The REST API against its own OpenAPI document (/api/v1/openapi.json), with schemathesis.

Every operation gets a few generated requests -- valid ones (positive) and ones that break the
schema (negative) -- as a facilitator with a bearer token and as an anonymous caller, with the
path's ids both generated and pointing at real rows. Each answer must not be a server error,
must have a status the document lists, and must match the document's response schema.
Deterministic: derandomized, no example database, no shrinking.
"""

import uuid

import pytest

from .support.required import import_or_missing

schemathesis = import_or_missing("schemathesis", "pip install -e '.[dev]'")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.generation import GenerationMode  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    response_schema_conformance,
    status_code_conformance,
)

from participation.accounts.tokens import issue_token  # noqa: E402
from participation.backlog.operations import create_measure  # noqa: E402
from participation.events import team  # noqa: E402
from participation.extensions import db  # noqa: E402
from participation.members import operations as members  # noqa: E402
from participation.proposals.merge import merge_proposals  # noqa: E402
from participation.proposals.operations import cast_vote, submit_proposal  # noqa: E402
from participation.review.links import link_proposal  # noqa: E402

from .conftest import isolated  # noqa: E402

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
EXAMPLES = 4
SETTINGS = settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
                    phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=list(HealthCheck))


def _seed(make_event, staff) -> dict:
    """Real rows for the path ids: an event with proposals, votes, a merge, a measure, a group."""
    event = make_event(phase="collect", user=staff.facilitator)
    ids = [submit_proposal(event.id, f"author-{n}", title, "", uuid.uuid4().hex)["proposal"]["id"]
           for n, title in enumerate(("Fler träd", "Cykelbana", "Cykelbanor", "Solceller"))]
    merge = merge_proposals(staff.facilitator, ids[2], ids[1], "Samma förslag",
                            event_id=event.id)
    measure = create_measure(staff.reviewer, {"title": "Solceller på skolor"})["measure"]["id"]
    link_proposal(staff.reviewer, ids[3], "supports", measure_id=measure)
    group = make_event(kind="referensgrupp", phase="collect", user=staff.facilitator)
    member = members.add_member(staff.facilitator, group.id, "Anna Andersson")
    meeting = members.add_meeting(staff.facilitator, group.id, "Möte ett", "2030-05-04T18:00")
    from participation.events.operations import change_phase

    change_phase(staff.facilitator, event.id, "vote")
    team.add_team_member(staff.facilitator, event.id, staff.reviewer.email, "moderator")
    cast_vote(ids[0], lambda _e: "author-0", uuid.uuid4().hex)
    db.session.rollback()
    return {"event_id": event.id, "proposal_id": ids[0], "merge_id": merge["merge"]["id"],
            "measure_id": measure, "member_id": member["member"]["id"],
            "meeting_id": meeting["meeting"]["id"], "code": event.code,
            "follow_code": "ABCDEFGHJK", "user_id": staff.reviewer.id,
            "token_id": issue_token(staff.facilitator, "Schemathesis")[1].id}


def _run(operation, app, headers, path_parameters, mode) -> list[str]:
    found = []
    fixed = {k: v for k, v in path_parameters.items()
             if k in {p.name for p in operation.path_parameters}} if path_parameters else None

    @SETTINGS
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=fixed or None))
    def examples(case):
        response = isolated(case.call, app=app, headers=headers)
        case.validate_response(response, checks=CHECKS)

    try:
        examples()
    except Unsatisfiable:
        pass  # nothing of this operation can break its schema (e.g. no parameters, no body)
    except (AssertionError, BaseExceptionGroup) as failure:  # one report for the whole API
        lines = [line.strip(" |") for line in str(failure).splitlines()]
        detail = " / ".join(line for line in lines if line.strip())[:600]
        found.append(f"{operation.label} [{mode.value}, {'real ids' if fixed else 'any ids'}, "
                     f"{'staff' if headers else 'anonymous'}]: {detail}")
    return found


@pytest.mark.parametrize("who", ["facilitator", "anonymous"])
def test_api_answers_as_its_openapi_document_says(app, staff, make_event, who):
    seeded = _seed(make_event, staff)
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    schema = schemathesis.openapi.from_dict(spec)
    headers = staff.auth(staff.facilitator) if who == "facilitator" else {}
    failures = []
    # Revoking one's own tokens runs last: a generated id may be the token these calls use.
    operations = sorted((result.ok() for result in schema.get_all_operations()),
                        key=lambda op: op.method.upper() == "DELETE" and "/me/tokens" in op.path)
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for ids in (None, seeded):
                if ids is None and not operation.path_parameters:
                    continue
                failures += _run(operation, app, headers, ids, mode)
    assert not failures, f"{len(failures)} mismatches:\n" + "\n".join(
        dict.fromkeys(failures))
