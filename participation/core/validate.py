"""Input checks shared by the operations: wrong types and lengths become OperationErrors."""

import re

from flask_babel import lazy_gettext as _l

from .errors import OperationError

# Control characters (but tab and line breaks) and lone UTF-16 surrogates, which JSON can
# carry but no database can store.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def clean_text(value, field: str, maximum: int, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise OperationError("invalid_type", _l("This field must be text."), field=field)
    if _CONTROL.search(value):
        # A NUL byte would crash PostgreSQL; other control characters only hide text.
        raise OperationError("invalid_characters",
                             _l("Remove the invisible control characters from the text."),
                             field=field)
    value = value.strip()
    if required and not value:
        raise OperationError("required", _l("Write something here."), field=field)
    if len(value) > maximum:
        raise OperationError("too_long", _l("At most %(n)d characters.", n=maximum), field=field)
    return value


# Every database we run on stores ids this large; a bigger number can only be an attack or a
# mistake, and must be a refusal rather than a driver overflow.
ID_MAX = 2**31 - 1


def is_id(value) -> bool:
    """A row id from JSON or a socket: a whole number (not a bool) that a database can hold."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= ID_MAX


def form_number(text) -> int | None:
    """A whole number typed in a form: ASCII digits only (no "²"), at most ID_MAX; else None."""
    if isinstance(text, str) and text.isascii() and text.isdigit() and len(text) <= 10:
        value = int(text)
        return value if value <= ID_MAX else None
    return None


def clean_name(value, field: str, maximum: int) -> str:
    """A single-line name: runs of whitespace become one space; empty is allowed."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise OperationError("invalid_type", _l("This field must be text."), field=field)
    value = " ".join(value.split())
    if len(value) > maximum:
        raise OperationError("too_long", _l("At most %(n)d characters.", n=maximum), field=field)
    return value
