"""Import an existing portfolio from CSV: every row checked first, then all rows in one write.

Headers may be English or Swedish (see HEADERS and docs/backlog.md); numbers may use a
decimal comma and spaces between thousands. The file is UTF-8 (with or without BOM); a file
that is not valid UTF-8 is read as Windows-1252, what Excel on Swedish Windows saves as "CSV".
Separators: semicolon (Swedish Excel), comma or tab, read from the header line.
A bad row anywhere stores nothing and the answer lists row, column and message per problem.
"""

import csv
import io
from typing import Annotated, Literal

from flask_babel import lazy_gettext as _l
from pydantic import Field
from typing_extensions import TypedDict

from ..core.bus import publish
from ..core.csvfile import (  # noqa: F401  (ImportProblems, ImportRefused: the API names them here)
    ENCODINGS,
    ImportProblems,
    ImportRefused,
    decode,
    normalise,
    problem,
    separator,
)
from ..core.errors import OperationError
from ..core.tx import write_transaction
from ..core.validate import Id
from . import operations
from .models import MEASURE_STATUSES
from .numbers import parse_decimal, parse_whole

MAX_ROWS = 2000
# Normalised header (lower case, spaces and hyphens as _, any "(unit)" dropped) -> field.
HEADERS = {
    "title": "title", "titel": "title", "åtgärd": "title", "namn": "title",
    "description": "description", "beskrivning": "description",
    "focus_area": "focus_area", "fokusområde": "focus_area",
    "owner": "owner", "ansvarig": "owner", "ägare": "owner",
    "status": "status",
    "rejected_reason": "reason", "reason": "reason", "skäl": "reason", "motivering": "reason",
    "reduction_low": "reduction_low", "minskning_låg": "reduction_low",
    "minskning_min": "reduction_low",
    "reduction_high": "reduction_high", "minskning_hög": "reduction_high",
    "minskning_max": "reduction_high",
    "investment_sek": "investment_sek", "investment": "investment_sek",
    "investering_sek": "investment_sek", "investering": "investment_sek",
    "yearly_cost_sek": "yearly_cost_sek", "yearly_cost": "yearly_cost_sek",
    "årlig_kostnad_sek": "yearly_cost_sek", "årlig_kostnad": "yearly_cost_sek",
    "driftkostnad": "yearly_cost_sek",
    "co_benefits": "co_benefits", "nyttor": "co_benefits", "sidonyttor": "co_benefits",
    "mervärden": "co_benefits",
    "time_frame": "time_frame", "tidsram": "time_frame", "tidsplan": "time_frame",
}
# Status names as a portfolio in Swedish writes them.
STATUS_WORDS = {"idé": "idea", "ide": "idea", "utreds": "assessing", "utredning": "assessing",
                "planerad": "planned", "pågår": "in_progress", "pågående": "in_progress",
                "genomförd": "done", "klar": "done", "avslagen": "rejected",
                "avvisad": "rejected"} | {s: s for s in MEASURE_STATUSES}


class Imported(TypedDict):
    imported: int
    measure_ids: list[Id]
    encoding: Annotated[Literal[ENCODINGS], Field(description="How the file was read.")]



def _columns(header: list[str]) -> tuple[list, list[dict]]:
    fields, problems, seen = [], [], set()
    for name in header:
        field = HEADERS.get(normalise(name))
        if field is None:
            problems.append(problem(1, name, _l("Unknown column. See the list of columns.")))
        elif field in seen:
            problems.append(problem(1, name, _l("This column comes twice.")))
        seen.add(field)
        fields.append(field)
    if "title" not in seen:
        problems.append(problem(1, "title", _l("The file needs a title column.")))
    return fields, problems


def _row(cells: dict, header_of: dict, number: int) -> tuple[dict, list[dict]]:
    """One row's fields as the operations take them, or its problems (all of them)."""
    problems, values = [], {}

    def check(field, func_, *args, keep=True):
        try:
            value = func_(*args)
        except OperationError as error:
            problems.append(problem(number, header_of.get(error.field or field, field),
                                     error.message))
        else:
            if keep:
                values[field] = value

    for field in operations.FIELDS:
        text = cells.get(field)
        if field.startswith("reduction_"):
            check(field, lambda t=text, f=field: operations.clean_reduction(
                parse_decimal(t, f), f))
        elif field.endswith("_sek"):
            check(field, lambda t=text, f=field: operations.clean_sek(parse_whole(t, f), f))
        else:
            check(field, operations.clean_field, field, text)
    word = (cells.get("status") or "").strip().lower() or "idea"
    status = STATUS_WORDS.get(word)
    if status is None:
        problems.append(problem(number, header_of.get("status", "status"),
                                 _l("Unknown status. Use: idé, utreds, planerad, pågår, "
                                    "genomförd or avslagen.")))
    else:
        check("status", operations.clean_status, status, cells.get("reason"))
        values["status"], values["reason"] = values.get("status") or (status, None)
    if "reduction_low" in values and "reduction_high" in values:
        check("reduction_low", operations.check_range, values["reduction_low"],
              values["reduction_high"], keep=False)
    return values, problems


def parse(text: str) -> list[dict]:
    """The rows as checked values; raises ImportRefused listing every problem."""
    lines = text.splitlines()
    reader = csv.reader(io.StringIO(text), delimiter=separator(lines[0] if lines else ""))
    try:
        records = list(reader)
    except csv.Error:
        raise ImportRefused([problem(reader.line_num, "", _l("The CSV file is broken here."))])\
            from None
    if not records:  # e.g. only a byte-order mark
        raise OperationError("empty_file", _l("The file is empty."), field="file")
    header, body = records[0], records[1:]
    fields, problems = _columns(header)
    if problems:
        raise ImportRefused(problems)
    header_of = {field: name for field, name in zip(fields, header, strict=True)}
    header_of["reason"] = header_of.get("reason", "rejected_reason")
    rows = []
    for number, record in enumerate(body, start=2):
        if not any(cell.strip() for cell in record):
            continue  # spreadsheets leave empty lines at the end
        if len(record) != len(fields):
            problems.append(problem(number, "", _l(
                "This row has %(found)d cells; the header has %(expected)d.",
                found=len(record), expected=len(fields))))
            continue
        values, row_problems = _row(dict(zip(fields, record, strict=True)), header_of, number)
        problems.extend(row_problems)
        rows.append(values)
    if not rows and not problems:
        problems.append(problem(2, "", _l("The file has no measures.")))
    if len(rows) > MAX_ROWS:
        problems.append(problem(MAX_ROWS + 2, "", _l("At most %(n)d measures per file.",
                                                      n=MAX_ROWS)))
    if problems:
        raise ImportRefused(problems)
    return rows


def import_csv(user, raw: bytes, limit: int) -> Imported:
    """All measures of the file, or none: one transaction after every row passed."""
    operations._require_manager(user)
    text, encoding = decode(raw, limit)
    rows = parse(text)
    with write_transaction() as session:
        ids = []
        for values in rows:
            status, reason = values.pop("status"), values.pop("reason")
            ids.append(operations.new_measure(session, user, values, status, reason).id)
    publish("measure.imported", 0, 0, measure_ids=ids)
    return {"imported": len(ids), "measure_ids": ids, "encoding": encoding}
