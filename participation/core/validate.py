"""Input checks shared by the operations: wrong types and lengths become OperationErrors."""

from flask_babel import lazy_gettext as _l

from .errors import OperationError


def clean_text(value, field: str, maximum: int, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise OperationError("invalid_type", _l("This field must be text."), field=field)
    value = value.strip()
    if required and not value:
        raise OperationError("required", _l("Write something here."), field=field)
    if len(value) > maximum:
        raise OperationError("too_long", _l("At most %(n)d characters.", n=maximum), field=field)
    return value
