"""Which interface languages ship, and how far each translation has been checked: the page a
municipality reads before it offers a language in the room (docs/languages.md)."""

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

from ..core.languages import (
    OWN_NAMES,
    PENDING,
    SHIPPED,
    completeness,
    direction,
    review_state,
)
from ..web.auth import staff_page

bp = Blueprint("languages", __name__, url_prefix="/admin/languages")

STATE_NAMES = {
    "source": _l("Source text, written by the team"),
    "reviewed": _l("Reviewed by a native speaker"),
    "not_reviewed": _l("Not reviewed: have a native speaker check it before use"),
    "empty": _l("Keys only: waiting for a translator"),
}


@bp.get("")
@staff_page()
def page():
    rows = []
    for code in (*SHIPPED, *PENDING):
        done, total = completeness(code)
        rows.append({"code": code, "name": OWN_NAMES[code], "dir": direction(code),
                     "state": review_state(code), "shipped": code in SHIPPED,
                     "done": done, "total": total})
    return render_template("staff/languages.html", rows=rows, state_names=STATE_NAMES)
