"""Open data out: one table of aggregates written as CSV, XLSX or JSON, the same columns in each.

Callers pass rows of plain values (never a person's identity or an individual vote). Column
names are lower-case ASCII snake_case, so they work as open-data field names in every tool.

CSV comes in two dialects (docs/exports.md): "standard" (RFC 4180: comma, decimal point, the
machine column names, no BOM) for programs, and "excel-sv" for people: Swedish Excel splits
on its list separator ";" and reads "0,42" as a number but "0.42" as text, and it takes the
file as UTF-8 only with a BOM, so that dialect writes all three, under Swedish headers.
"""

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Annotated, Literal

from flask import Response
from flask_babel import force_locale
from openpyxl import Workbook
from pydantic import Field
from typing_extensions import TypedDict

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
DIALECTS = ("standard", "excel-sv")
# The query parameter's declaration (the REST API documents it with this).
Dialect = Annotated[Literal[DIALECTS], Field(description=(
    "CSV only. standard: comma, decimal point, the machine column names, no BOM. excel-sv, "
    "for Swedish Excel: semicolon, decimal comma, UTF-8 with BOM, Swedish headers "
    "(docs/exports.md)."))]
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


def _as_is(value):
    return value


def _swedish(value):
    # Only non-integers change: a whole number has no separator to get wrong. No thousands
    # separator either: which one Excel expects depends on the machine's settings.
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    return value


def to_csv(columns: Sequence[str], rows: Iterable[dict], dialect: str = "standard",
           labels: dict | None = None) -> bytes:
    """`labels` (column -> a lazy string) heads the excel-sv dialect's columns, in Swedish
    whatever the page's language: that dialect is for Swedish Excel."""
    buffer = io.StringIO()
    if dialect == "excel-sv":
        buffer.write("\ufeff")  # Excel reads UTF-8 only with the BOM
        writer = csv.writer(buffer, delimiter=";")
        with force_locale("sv"):
            writer.writerow([str((labels or {}).get(c, c)) for c in columns])
        cell = _swedish
    else:
        writer = csv.writer(buffer)
        writer.writerow(columns)
        cell = _as_is
    for row in rows:
        # _safe first: a number is never a formula, so "-0,5" stays a number.
        writer.writerow(["" if row.get(c) is None else cell(_safe(row.get(c)))
                         for c in columns])
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


def download(name: str, columns: Sequence[str], rows: Iterable[dict], fmt: str,
             dialect: str = "standard", labels: dict | None = None) -> Response:
    """A file response; `fmt` must be one of FORMATS and `dialect` one of DIALECTS (callers
    check them and answer 400). The dialect and labels touch CSV only."""
    rows = list(rows)
    if fmt == "csv":
        body = to_csv(columns, rows, dialect, labels)
    elif fmt == "xlsx":
        body = to_xlsx(columns, rows, title=name)
    else:
        body = to_json(columns, rows)
    response = Response(body, mimetype=FORMATS[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
