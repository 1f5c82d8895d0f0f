"""Numbers typed by people (forms, CSV): decimal comma, spaces between thousands, "kr"."""

import re

from flask_babel import lazy_gettext as _l

from ..core.errors import OperationError

_SPACES = re.compile(r"[\s\u00a0\u202f]")
_DECIMAL = re.compile(r"^\d+(?:[.,]\d+)?$")
_WHOLE = re.compile(r"^\d+$")


def _plain(text: str) -> str:
    text = _SPACES.sub("", text)
    lowered = text.lower()
    for unit in ("kr", "sek"):
        if lowered.endswith(unit):
            text = text[: -len(unit)]
            break
    return text


def parse_decimal(text, field: str):
    """'1 250,5' -> 1250.5; '' -> None. Negative numbers are refused here, not silently."""
    if text is None or not str(text).strip():
        return None
    plain = _plain(str(text))
    if len(plain) > 20 or not _DECIMAL.match(plain):
        raise OperationError("invalid_number",
                             _l("Write a number that is 0 or more, e.g. 12,5."), field=field)
    return float(plain.replace(",", "."))


def parse_whole(text, field: str):
    """'1 200 000 kr' -> 1200000; '' -> None."""
    if text is None or not str(text).strip():
        return None
    plain = _plain(str(text))
    if len(plain) > 15 or not _WHOLE.match(plain):
        raise OperationError("invalid_sek",
                             _l("Write whole kronor, 0 or more, e.g. 1 200 000."), field=field)
    return int(plain)
