import os
from datetime import UTC, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from babel.dates import format_date
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import Field

from .errors import OperationError

# Where the people in the room read their clocks; stored times stay UTC.
LOCAL_ZONE = ZoneInfo(os.environ.get("TIMEZONE", "Europe/Stockholm"))


def utcnow() -> datetime:
    """Naive UTC, stored the same way on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


def from_iso(value: str | datetime | None) -> datetime | None:
    """A time from a JSON shape ("…Z", UTC) as naive UTC; a datetime stays as it is."""
    if isinstance(value, str):
        return datetime.fromisoformat(value.removesuffix("Z"))
    return value


def local_time(value: str | datetime | None) -> str:
    value = from_iso(value)
    if value is None:
        return ""
    return value.replace(tzinfo=UTC).astimezone(LOCAL_ZONE).strftime("%H:%M")


def local_date(value: str | datetime | None) -> str:
    """The room's calendar date, e.g. 2026-12-03 (printed invitations, attendance)."""
    value = from_iso(value)
    if value is None:
        return ""
    return value.replace(tzinfo=UTC).astimezone(LOCAL_ZONE).strftime("%Y-%m-%d")


# How the API documents declare the two: `Time` as the answers give it (iso), `When` as a
# request may write it (parse_when).
Time = Annotated[str, Field(json_schema_extra={"format": "date-time"},
                            description="UTC, ISO 8601 to the millisecond, with a Z.")]
WHEN_MAX = 40
When = Annotated[str, Field(max_length=WHEN_MAX, description=(
    "ISO 8601 (years 2000 to 2100); with a UTC offset or Z, or else read as the room's local "
    "time (TIMEZONE, Europe/Stockholm). Null or empty clears it."))] | None


def iso(value: datetime | None) -> str | None:
    """How times travel in JSON: UTC, to the millisecond, with a Z."""
    return value.isoformat(timespec="milliseconds") + "Z" if value else None


def parse_when(value, field: str) -> datetime | None:
    """An ISO 8601 time from a form, JSON or a socket as naive UTC; None clears it.

    A text with an offset is converted; one without is read as the room's local time, as a
    facilitator in Stockholm types it. A datetime object is taken as UTC when naive.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        # From Python code: naive means UTC, as everywhere else in the app.
        return value if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, str) and len(value) <= WHEN_MAX:
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            parsed = None
    else:
        parsed = None
    # Years this far out are typing mistakes, and near year 1 or 9999 converting overflows.
    if parsed is None or not 2000 <= parsed.year <= 2100:
        raise OperationError("invalid_time",
                             _l("Give a date and time, e.g. 2026-12-03 18:00."), field=field)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=LOCAL_ZONE)
    return parsed.astimezone(UTC).replace(tzinfo=None)


def local_datetime(value: str | datetime | None) -> str:
    """"3 december kl. 18:00" in the page's language, on the room's clock."""
    value = from_iso(value)
    if value is None:
        return ""
    local = value.replace(tzinfo=UTC).astimezone(LOCAL_ZONE)
    return _("%(date)s at %(time)s", date=format_date(local, "d MMMM", locale=get_locale()),
             time=local.strftime("%H:%M"))
