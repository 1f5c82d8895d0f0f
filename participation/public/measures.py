"""/atgarder/<id>: a measure of the climate investment plan as the public sees it, and its
printable decision dossier. Support counts come only from events whose results are out, and a
referensgrupp's proposals are counted, never quoted (review/outcomes.py)."""

from flask import abort, render_template

from ..review.outcomes import dossier as dossier_of
from ..review.outcomes import measure_page
from ..web.labels import BACKLOG_STATUS_NAMES, PUBLIC_LINK_NAMES
from . import bp


@bp.get("/atgarder/<int:measure_id>")
def measure(measure_id):
    page = measure_page(measure_id)
    if page is None:
        abort(404)
    return render_template("backlog/public.html", **page, status_names=BACKLOG_STATUS_NAMES,
                           link_names=PUBLIC_LINK_NAMES)


@bp.get("/atgarder/<int:measure_id>/underlag")
def dossier(measure_id):
    page = dossier_of(measure_id)
    if page is None:
        abort(404)
    return render_template("backlog/dossier.html", **page, status_names=BACKLOG_STATUS_NAMES,
                           link_names=PUBLIC_LINK_NAMES)
