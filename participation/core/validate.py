"""Input checks shared by the operations: wrong types and lengths become OperationErrors."""

import re
import unicodedata
from typing import Annotated

from flask_babel import lazy_gettext as _l
from pydantic import Field

from .errors import OperationError

# Refused even in a value that is otherwise blank: nobody types these. Control characters (but
# tab and line breaks; C1 included), lone UTF-16 surrogates, which JSON can carry but no
# database can store, and the noncharacters (U+FFFE shows up from a byte-swapped BOM).
_BROKEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}"
              for plane in range(17))
    + "]"
)
# Refused in a value that has something to see (a value of nothing else is blank): format
# characters that reorder text (bidi embeddings, overrides, isolates) or hide it (zero-width
# space, word joiner, invisible operators, BOM, old shaping controls, annotations, tags).
# Refused rather than stripped: what is stored never differs unseen from what the writer saw
# (bidi controls change what is shown), and no name or title carries an invisible difference
# or a hidden message. Inside blank values they are only more blank.
_HIDING = re.compile(
    "[\u200b\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)
# Tag characters have one honest use: the flags of England, Scotland and Wales.
_FLAG_TAGS = re.compile("\U0001f3f4[\U000e0030-\U000e0039\U000e0061-\U000e007a]+\U000e007f")
# Letters and symbols that draw nothing; trimmed from the ends like spaces, and never enough
# to make a value non-blank.
_BLANK_LETTERS = "\u115f\u1160\u3164\uffa0\u2800"
_BLANK = frozenset(_BLANK_LETTERS)
# str.strip with a set of characters is linear; a regex anchored at the end is not.
_TRIM = "".join(chr(code) for code in range(0x3001) if chr(code).isspace()) + _BLANK_LETTERS
# Format characters that are drawn: signs that span the digits after them.
_DRAWN_FORMAT = frozenset("\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891"
                          "\u08e2\U000110bd\U000110cd")
_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029]")
# The Stream-Safe Text Format's bound (UAX #15): no writing system stacks more marks on one
# letter; more is "Zalgo" text drawn over the lines around it.
MARKS_MAX = 30


def _visible(char: str) -> bool:
    category = unicodedata.category(char)
    if category[0] in "ZM":
        return False
    if category[0] == "C":  # but unassigned (emoji newer than Python's tables) and private use
        return category in ("Cn", "Co") or char in _DRAWN_FORMAT
    return char not in _BLANK


def _hides(value: str) -> bool:
    found = _HIDING.search(value)
    if found and found.group() >= "\U000e0000":
        return _HIDING.search(_FLAG_TAGS.sub("", value)) is not None
    return found is not None


def _longest_mark_run(value: str) -> int:
    if max(value) < "\u0300":  # ASCII and Latin-1 (åäö...) carry no combining marks
        return 0
    longest = run = 0
    for char in value:
        if unicodedata.category(char) in ("Mn", "Mc", "Me", "Cf") and char not in _DRAWN_FORMAT:
            run += 1
            longest = max(longest, run)
        else:
            run = 0
    return longest


def clean_text(value, field: str, maximum: int, required: bool = True, *,
               multiline: bool = True) -> str:
    """Text a person typed, checked and normalised (NFC), or an OperationError.

    A value with nothing visible in it (spaces of any kind, zero-width and format characters,
    lone combining marks, Hangul fillers) is blank: "required", or "" when optional.
    `multiline=False` for one-line fields: every run of whitespace, line breaks and tabs
    included, becomes one space. In multi-line fields every line break becomes "\\n".
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise OperationError("invalid_type", _l("This field must be text."), field=field)
    if _BROKEN.search(value):
        # A NUL byte would crash PostgreSQL; other control characters only hide text.
        raise OperationError("invalid_characters",
                             _l("Remove the invisible control characters from the text."),
                             field=field)
    value = _LINE_BREAKS.sub("\n", value) if multiline else " ".join(value.split())
    value = unicodedata.normalize("NFC", value).strip(_TRIM)
    # Each distinct character once: 64 KiB of zero-width joiners is one look-up, not 65,536.
    if not any(_visible(char) for char in set(value)):
        if required:
            raise OperationError("required", _l("Write something here."), field=field)
        return ""
    if _hides(value):
        raise OperationError("invalid_characters",
                             _l("Remove the invisible control characters from the text."),
                             field=field)
    if len(value) > maximum:
        raise OperationError("too_long", _l("At most %(n)d characters.", n=maximum), field=field)
    if _longest_mark_run(value) > MARKS_MAX:
        raise OperationError("too_many_marks",
                             _l("Too many accents or invisible marks in a row. Remove some."),
                             field=field)
    return value


def clean_name(value, field: str, maximum: int, required: bool = False) -> str:
    """A one-line name (a display name, a title): clean_text with whitespace collapsed."""
    return clean_text(value, field, maximum, required, multiline=False)


# Every database we run on stores ids this large; a bigger number can only be an attack or a
# mistake, and must be a refusal rather than a driver overflow.
ID_MAX = 2**31 - 1
# What is_id takes, as the API documents declare it.
Id = Annotated[int, Field(ge=1, le=ID_MAX)]


def is_id(value) -> bool:
    """A row id from JSON or a socket: a whole number (not a bool) that a database can hold."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= ID_MAX


def form_number(text) -> int | None:
    """A whole number typed in a form: ASCII digits only (no "²"), at most ID_MAX; else None."""
    if isinstance(text, str) and text.isascii() and text.isdigit() and len(text) <= 10:
        value = int(text)
        return value if value <= ID_MAX else None
    return None
