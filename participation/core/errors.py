"""The one error type operations raise; every entry point turns it into its own answer."""

from contextvars import ContextVar
from typing import Annotated, NotRequired

from flask_babel import lazy_gettext as _l
from pydantic import Field
from typing_extensions import TypedDict


class Refusal(TypedDict):
    """Refused, with a machine-readable code."""

    error: Annotated[str, Field(description="Machine-readable code, e.g. wrong_phase.")]
    message: Annotated[str, Field(description="Translated, for people.")]
    field: NotRequired[Annotated[str, Field(description="The input it is about.")]]


# The code of the last refusal made in this context (one request, one socket command): the write
# log (web/writes.py) names a refused form post or REST call by it, whichever screen caught it.
last_refusal: ContextVar[str | None] = ContextVar("last_refusal", default=None)


class OperationError(Exception):
    """A refused write. `code` is machine-readable; `message` is shown to people, translated."""

    def __init__(self, code: str, message, status: int = 400, field: str | None = None):
        super().__init__(code)
        self.code = code
        self.message = message
        self.status = status
        self.field = field
        last_refusal.set(code)

    def to_dict(self) -> Refusal:
        data = {"error": self.code, "message": str(self.message)}
        if self.field:
            data["field"] = self.field
        return data


def not_found(what: str = "not_found"):
    return OperationError(what, _l("We could not find that."), 404)


def forbidden():
    return OperationError("forbidden", _l("You are not allowed to do that."), 403)
