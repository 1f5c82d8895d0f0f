"""How the shapes the code builds and the requests it takes are declared: TypedDicts.

Each shape a function returns (a proposal as the public sees it, an event, an answer) is a
TypedDict next to that function, and each request body a TypedDict next to the operation that
reads it, with its limits taken from the same constants the operation checks. pydantic turns
them into JSON Schema; /api/v1/openapi.json and /api/v1/asyncapi.json are built from them
(participation/api/schemas.py), so a limit or a field is written once.

The operations stay the validators (forms, the CLI and tests call them with raw values).
tests/test_contract_inputs.py ties the two: what a request declaration allows the operation
never refuses as a wrong type, and what it forbids the operation refuses.
"""

from typing import Annotated

from pydantic import ConfigDict, Field, with_config

# A request names what the operation reads; other keys are ignored, so the declaration leaves
# them open (additionalProperties: true). Shapes the code builds are closed: the documents say
# exactly which keys come back, and the tests check real answers and pushes against that.
request = with_config(ConfigDict(extra="allow"))

Version = Annotated[int, Field(ge=0, description=(
    "The event's version: every write on an event bumps it; clients apply pushes and answers "
    "in version order."))]


def keys_of(shape, *, leave_out: tuple[str, ...] = ()) -> dict:
    """A TypedDict's keys and their declarations, for a shape built from another (the screens
    swap a code for a link, a view adds the event's version)."""
    return {key: kind for key, kind in shape.__annotations__.items() if key not in leave_out}
