"""Reading a CSV file people upload (a portfolio, population figures): what Excel on a Swedish
computer saves, and what any other tool does. UTF-8 with or without BOM, else Windows-1252;
semicolon, comma or tab as the separator, read from the header line. A file with bad rows is
refused whole (ImportRefused), with a message per row and column.
"""

import re
from typing import Annotated

from flask_babel import lazy_gettext as _l
from pydantic import Field
from typing_extensions import TypedDict

from .errors import OperationError, Refusal

_UNIT = re.compile(r"\(.*?\)")
ENCODINGS = ("utf-8", "windows-1252")


class ImportProblem(TypedDict):
    row: Annotated[int, Field(description="1 is the header.")]
    column: Annotated[str, Field(description="The header as in the file (empty: the row).")]
    message: Annotated[str, Field(description="Translated.")]


class ImportProblems(Refusal):
    """Nothing was imported: the problems per row."""

    problems: list[ImportProblem]


class ImportRefused(OperationError):
    """The file was read but some rows (or the header) are wrong: nothing was stored."""

    def __init__(self, problems: list[dict]):
        super().__init__("import_refused",
                         _l("Nothing was imported: correct the rows below and try again."), 422)
        self.problems = problems

    def to_dict(self) -> ImportProblems:
        return super().to_dict() | {"problems": [
            {"row": p["row"], "column": p["column"], "message": str(p["message"])}
            for p in self.problems]}


def problem(row: int, column: str, message) -> dict:
    """One entry of ImportRefused's list: the row (1 is the header), the column, what to fix."""
    return {"row": row, "column": column, "message": message}


def normalise(header: str) -> str:
    text = _UNIT.sub("", header).strip().lower()
    return re.sub(r"[\s\-]+", "_", text).strip("_")


def decode(raw: bytes, limit: int) -> tuple[str, str]:
    if not isinstance(raw, bytes | bytearray) or not raw.strip():
        raise OperationError("empty_file", _l("The file is empty."), field="file")
    if len(raw) > limit:
        raise OperationError("file_too_large",
                             _l("The file is too large: at most %(n)d kB.", n=limit // 1024),
                             413, field="file")
    if b"\x00" in raw:
        raise OperationError("not_csv", _l("This is not a CSV text file."), field="file")
    try:
        return raw.decode("utf-8-sig"), ENCODINGS[0]
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), ENCODINGS[1]
    except UnicodeDecodeError:
        raise OperationError("not_csv", _l("Save the file as CSV in UTF-8 and try again."),
                             field="file") from None


def separator(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (";", ",", "\t")}
    return max(counts, key=counts.get)


