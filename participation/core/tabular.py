"""Open data out: one table of aggregates written as CSV, XLSX or JSON, the same columns in each.

Callers pass rows of plain values (never a person's identity or an individual vote). Column
names are lower-case ASCII snake_case, so they work as open-data field names in every tool.
"""

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from flask import Response
from openpyxl import Workbook
from typing_extensions import TypedDict

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
# A cell starting like a formula stays text when someone opens the file in a spreadsheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def table_of(name: str, row) -> type:
    """The declaration of the JSON format of a table whose rows are `row` (a TypedDict that
    lists the columns, in order)."""
    return TypedDict(name, {"columns": list[str], "rows": list[row]})


def _plain(value):
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds") + ("Z" if value.tzinfo is None else "")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    return value


def _safe(value):
    value = _plain(value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(columns: Sequence[str], rows: Iterable[dict]) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel reads UTF-8 only with the BOM
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else _safe(row.get(c)) for c in columns])
    return buffer.getvalue().encode("utf-8")


def to_xlsx(columns: Sequence[str], rows: Iterable[dict], title: str = "data") -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31] or "data")
    sheet.append(list(columns))
    for row in rows:
        sheet.append([_safe(row.get(c)) for c in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _json_value(value):
    return [_plain(v) for v in value] if isinstance(value, list | tuple) else _plain(value)


def to_json(columns: Sequence[str], rows: Iterable[dict]) -> bytes:
    data = {"columns": list(columns),
            # A list stays a list in JSON; only the flat formats join it with spaces.
            "rows": [{c: _json_value(row.get(c)) for c in columns} for row in rows]}
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def download(name: str, columns: Sequence[str], rows: Iterable[dict], fmt: str) -> Response:
    """A file response; `fmt` must be one of FORMATS (callers check it and answer 400)."""
    rows = list(rows)
    if fmt == "csv":
        body = to_csv(columns, rows)
    elif fmt == "xlsx":
        body = to_xlsx(columns, rows, title=name)
    else:
        body = to_json(columns, rows)
    response = Response(body, mimetype=FORMATS[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
