"""REST for admins: the staff audit log, newest first."""

from flask import jsonify, request
from flask_babel import gettext as _

from ..core.errors import OperationError, forbidden
from ..core.validate import is_id
from ..ops.audit import recent
from . import bp
from .auth import staff_user

LIMIT_MAX = 500


@bp.get("/audit")
def list_audit():
    user = staff_user()
    if not user.is_admin:
        raise forbidden()
    limit, before = request.args.get("limit", "200"), request.args.get("before")
    if not limit.isdigit() or not 1 <= int(limit) <= LIMIT_MAX:
        raise OperationError("invalid_type", _("Give a whole number from 1 to %(n)d.",
                                               n=LIMIT_MAX), field="limit")
    if before is not None and not (before.isdigit() and is_id(int(before))):
        raise OperationError("invalid_type", _("Give an entry id."), field="before")
    return jsonify(entries=recent(int(limit), int(before) if before else None))
