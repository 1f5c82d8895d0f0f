"""/offentligt/<code>: what was proposed at a public event, how it ranked, what became of it."""

from flask import abort, render_template

from ..events.operations import event_by_code
from ..review.outcomes import event_outcome
from . import bp


@bp.get("/offentligt/<code>")
def event_page(code):
    outcome = event_outcome(event_by_code(code))
    if outcome is None:
        abort(404)
    return render_template("review/public_event.html", **outcome)
