"""Tables at a medborgarverkstad: how many there are, and which one a phone sits at."""

import hmac

from flask import session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from ..core.bus import publish
from ..core.errors import OperationError, forbidden
from ..core.tx import write_transaction
from ..members import access
from ..ops.audit import audit
from ..participants import identity
from ..participants.models import Participant
from ..proposals.models import Proposal
from .models import Event, Table
from .operations import locked_event

TABLES_MAX = 60


def tables_info(event: Event) -> list[dict]:
    return [{"number": t.number, "name": t.name} for t in event.tables]


def table_number(event: Event, table_id: int | None) -> int | None:
    return next((t.number for t in event.tables if t.id == table_id), None)


SCRIBE_KEY = "scribe"


def grant_scribe(event: Event, number: int, secret: str) -> bool:
    """Remember in the cookie that this phone scanned the table's scribe card."""
    table = next((t for t in event.tables if t.number == number), None)
    if table is None or not hmac.compare_digest(table.scribe_token, secret):
        return False
    grants = [g for g in session.get(SCRIBE_KEY, []) if g[0] != event.id]
    session[SCRIBE_KEY] = [*grants, [event.id, number, secret]][-4:]
    return True


def scribe_grant(event_id: int, source=None) -> tuple[int, str] | None:
    source = session if source is None else source
    return next(((n, s) for eid, n, s in source.get(SCRIBE_KEY, []) if eid == event_id), None)


def set_table_count(user, event_id: int, count) -> Event:
    """Tables 1..count exist afterwards; a table someone sits at or wrote from stays."""
    if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= TABLES_MAX:
        raise OperationError("invalid_count", _l("Between 0 and %(n)d tables.", n=TABLES_MAX),
                             field="count")
    with write_transaction() as session:
        event, version = locked_event(session, event_id)
        if user is None or not user.can_manage(event):
            raise forbidden()
        audit(session, user, "event.tables", count, event.id)
        existing = {t.number: t for t in event.tables}
        for number in range(1, count + 1):
            if number not in existing:
                event.tables.append(Table(number=number, name=_("Table %(n)d", n=number)))
        for number, table in existing.items():
            if number <= count:
                continue
            in_use = session.scalar(select(
                exists().where(Participant.table_id == table.id)
                | exists().where(Proposal.table_id == table.id)))
            if in_use:
                raise OperationError(
                    "table_in_use",
                    _l("%(name)s already has people or proposals and cannot be removed.",
                       name=table.name), 409, field="count")
            event.tables.remove(table)
        session.flush()
        tables = tables_info(event)
    publish("event.tables", event.id, version, tables=tables)
    return event


def choose_table(event_id: int, token, number) -> dict:
    """Seat this phone at table `number` (None: no table)."""
    if token is None:
        raise OperationError("not_joined", _l("Join the event first."), 403)
    if number is not None and (not isinstance(number, int) or isinstance(number, bool)):
        raise OperationError("unknown_table", _l("There is no such table."), 404, field="table")
    with write_transaction() as session:
        event, version = locked_event(session, event_id)
        access.require_member(session, event, token)
        table = next((t for t in event.tables if t.number == number), None)
        if number is not None and table is None:
            raise OperationError("unknown_table", _l("There is no such table."), 404,
                                 field="table")
        participant = identity.ensure(session, event.id, token)
        participant.table_id = table.id if table else None
        name = table.name if table else None
    return {"table": number, "table_name": name, "version": version}
