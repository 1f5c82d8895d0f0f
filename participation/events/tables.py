"""Tables at a medborgarverkstad: how many there are, and each table's scribe card."""

import secrets
from typing import Annotated

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import Field
from typing_extensions import TypedDict

from ..core.bus import publish
from ..core.declare import Version, request
from ..core.errors import OperationError
from ..core.references import in_use
from ..core.tx import write_transaction
from ..ops.audit import audit
from .models import TABLES_MAX, Event, Table, is_default_table_name
from .operations import managed_event


class TableInfo(TypedDict):
    number: Annotated[int, Field(ge=1, description="Printed on the table's card.")]
    name: str
    default_name: Annotated[bool, Field(description=(
        "The name is the default \"Table n\": screens print it in the reader's language "
        "(\"Bord n\" in Swedish); otherwise the name is shown as typed."))]


@request
class TableCount(TypedDict):
    count: Annotated[int, Field(ge=0, le=TABLES_MAX, description=(
        "Tables 1..count exist afterwards; a table someone sits at or wrote from stays."))]


@request
class ScribeCardRequest(TypedDict):
    table: Annotated[int, Field(description="The table's number.")]


class ScribeCard(TypedDict):
    table: int
    version: Version


def table_info(table: Table) -> TableInfo:
    return {"number": table.number, "name": table.name,
            "default_name": is_default_table_name(table.number, table.name)}


def tables_info(event: Event) -> list[TableInfo]:
    return [table_info(t) for t in event.tables]


def table_label(table) -> str:
    """A table's name for the reader: "Bord 3" / "Table 3" in the page's language when it has
    the default name, the name as typed otherwise. `table`: a TableInfo, a Table, or nothing
    (None, or a template's undefined first of no tables): ""."""
    if not table:
        return ""
    number, name = ((table["number"], table["name"]) if isinstance(table, dict)
                    else (table.number, table.name))
    if is_default_table_name(number, name):
        return _("Table %(n)d", n=number)
    return name


def table_number(event: Event, table_id: int | None) -> int | None:
    return next((t.number for t in event.tables if t.id == table_id), None)


def table_by_number(event, number) -> Table | None:
    return next((t for t in event.tables if t.number == number), None)


def set_table_count(user, event_id: int, count) -> Event:
    """Tables 1..count exist afterwards; a table someone sits at or wrote from stays."""
    if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= TABLES_MAX:
        raise OperationError("invalid_count", _l("Between 0 and %(n)d tables.", n=TABLES_MAX),
                             field="count")
    with write_transaction() as session:
        event, version = managed_event(session, user, event_id)
        audit(session, user, "event.tables", count, event.id)
        existing = {t.number: t for t in event.tables}
        for number in range(1, count + 1):
            if number not in existing:
                event.tables.append(Table.numbered(number))
        for number, table in existing.items():
            if number <= count:
                continue
            if in_use(session, Table.__table__, table.id):
                raise OperationError(
                    "table_in_use",
                    _l("%(name)s already has people or proposals and cannot be removed.",
                       name=table_label(table)), 409, field="count")
            event.tables.remove(table)
        session.flush()
        tables = tables_info(event)
    publish("event.tables", event.id, version, tables=tables)
    return event


def new_scribe_card(user, event_id: int, number) -> ScribeCard:
    """A new scribe card for table `number`: the old card (a lost or leaked one) stops working
    at once, also on the phone that scanned it; print the new one from the table cards."""
    if not isinstance(number, int) or isinstance(number, bool):
        raise OperationError("unknown_table", _l("There is no such table."), 404, field="table")
    with write_transaction() as session:
        event, version = managed_event(session, user, event_id, open_only=True)
        table = table_by_number(event, number)
        if table is None:
            raise OperationError("unknown_table", _l("There is no such table."), 404,
                                 field="table")
        table.scribe_token = secrets.token_urlsafe(16)
        audit(session, user, "event.scribe_card", number, event.id)
    publish("event.scribe_card", event.id, version, table=number)
    return {"table": number, "version": version}
