"""A resident's own settings in an event: the name shown with their proposals, their table."""

from typing import Annotated, NotRequired

from flask_babel import lazy_gettext as _l
from pydantic import Field
from typing_extensions import TypedDict

from ..core.declare import Version, request
from ..core.errors import OperationError
from ..core.tx import write_transaction
from ..core.validate import clean_name
from ..events.operations import locked_event
from ..events.tables import table_by_number, table_label
from . import identity

NAME_MAX = 60


def require_joined(token):
    if token is None:
        raise OperationError(
            "not_joined", _l("Join the event first: scan the QR code or enter the code."), 403)


def set_display_name(event_id: int, token: str | None, name) -> str | None:
    if token is None:
        raise OperationError("not_joined", _l("Join the event first."), 403)
    name = clean_name(name, "display_name", NAME_MAX)
    with write_transaction() as session:
        # Only to serialise with other writes on the event; names are not pushed.
        event, _version = locked_event(session, event_id)
        identity.require_take_part(session, event, token)
        identity.ensure(session, event_id, token, display_name=name or "")
    return name or None


@request
class TableChoice(TypedDict):
    table: NotRequired[Annotated[int | None, Field(description=(
        "The table's number; null or left out: no table."))]]


class Seat(TypedDict):
    table: int | None
    table_name: Annotated[str | None, Field(description=(
        "The table's name in the language of the request."))]
    version: Version


def choose_table(event_id: int, token, number) -> Seat:
    """Seat this phone at table `number` (None: no table)."""
    if token is None:
        raise OperationError("not_joined", _l("Join the event first."), 403)
    if number is not None and (not isinstance(number, int) or isinstance(number, bool)):
        raise OperationError("unknown_table", _l("There is no such table."), 404, field="table")
    with write_transaction() as session:
        event, version = locked_event(session, event_id)
        identity.require_take_part(session, event, token)
        table = table_by_number(event, number)
        if number is not None and table is None:
            raise OperationError("unknown_table", _l("There is no such table."), 404,
                                 field="table")
        participant = identity.ensure(session, event.id, token)
        participant.table_id = table.id if table else None
        name = table_label(table) if table else None
    return {"table": number, "table_name": name, "version": version}
