import os
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

# Where the people in the room read their clocks; stored times stay UTC.
LOCAL_ZONE = ZoneInfo(os.environ.get("TIMEZONE", "Europe/Stockholm"))


def utcnow() -> datetime:
    """Naive UTC, stored the same way on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


def local_time(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.replace(tzinfo=UTC).astimezone(LOCAL_ZONE).strftime("%H:%M")


def iso(value: datetime | None) -> str | None:
    """How times travel in JSON: UTC, to the millisecond, with a Z."""
    return value.isoformat(timespec="milliseconds") + "Z" if value else None
