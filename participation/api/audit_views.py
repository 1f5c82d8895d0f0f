"""REST for admins: the staff audit log, newest first."""

import re

from flask import jsonify, request
from flask_babel import gettext as _

from .. import access
from ..core.errors import OperationError, forbidden
from ..core.validate import is_id
from ..ops.audit import recent
from . import bp
from .auth import staff_user

LIMIT_MAX = 500
DIGITS = re.compile(r"[0-9]{1,19}")


@bp.get("/audit")
def list_audit():
    user = staff_user()
    if not access.may_read_audit(user):
        raise forbidden()
    limit, before = _number(request.args.get("limit", "200")), request.args.get("before")
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
