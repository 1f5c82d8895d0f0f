"""REST for admins: the staff audit log, newest first."""

import re
from typing import Annotated, NotRequired

from flask import jsonify, request
from flask_babel import gettext as _
from pydantic import Field
from typing_extensions import TypedDict

from .. import access
from ..core.errors import OperationError, forbidden
from ..core.validate import Id, is_id
from ..ops.audit import AuditEntry, recent
from .auth import staff_user
from .contract import STAFF, route

LIMIT_MAX = 500
LIMIT_DEFAULT = 200
DIGITS = re.compile(r"[0-9]{1,19}")


class AuditQuery(TypedDict):
    limit: NotRequired[Annotated[int, Field(ge=1, le=LIMIT_MAX, json_schema_extra={
        "default": LIMIT_DEFAULT})]]
    before: NotRequired[Annotated[Id, Field(description=(
        "Only entries older than this id (the next page)."))]]


class AuditLog(TypedDict):
    entries: list[AuditEntry]


@route("GET", "/audit", "The staff audit log, newest first (admins only)", auth=STAFF,
       query=AuditQuery, answers={200: AuditLog}, errors=(400, 401, 403))
def list_audit():
    user = staff_user()
    if not access.may_read_audit(user):
        raise forbidden()
    limit = _number(request.args.get("limit", str(LIMIT_DEFAULT)))
    before = request.args.get("before")
    if limit is None or not 1 <= limit <= LIMIT_MAX:
        raise OperationError("invalid_type", _("Give a whole number from 1 to %(n)d.",
                                               n=LIMIT_MAX), field="limit")
    if before is not None:
        before = _number(before)
        if not is_id(before):
            raise OperationError("invalid_type", _("Give an entry id."), field="before")
    return jsonify(entries=recent(limit, before))


def _number(value: str) -> int | None:
    # ASCII digits only: str.isdigit() also takes "²", which int() refuses.
    return int(value) if DIGITS.fullmatch(value) else None
