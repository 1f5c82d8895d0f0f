from flask_babel import lazy_gettext as _l

from ..core.errors import OperationError
from ..core.tx import write_transaction
from ..events.operations import locked_event
from ..members import access
from . import identity

NAME_MAX = 60


def set_display_name(event_id: int, token: str | None, name) -> str | None:
    if token is None:
        raise OperationError("not_joined", _l("Join the event first."), 403)
    if not isinstance(name, str):
        raise OperationError("invalid_type", _l("This field must be text."), field="display_name")
    name = " ".join(name.split())
    if len(name) > NAME_MAX:
        raise OperationError(
            "too_long", _l("At most %(n)d characters.", n=NAME_MAX), field="display_name"
        )
    with write_transaction() as session:
        # Only to serialise with other writes on the event; names are not pushed.
        event, _version = locked_event(session, event_id)
        access.require_member(session, event, token)
        identity.ensure(session, event_id, token, display_name=name or "")
    return name or None
