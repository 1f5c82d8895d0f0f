"""The event report: a print view and the same page as a PDF (docs/report.md).

Both are for whoever may review the event (the review page's own rule, reviewable_event) and
are painted from one dict (review/report.py), so the PDF holds exactly what the print view
shows. Both are private: a shared cache or the browser's back-forward store must not keep a
copy of an event's report after the staff member has signed out.
"""

from flask import Blueprint, Response, render_template

from ..review.report import event_report
from ..web.auth import reviewable_event, staff_page
from ..web.pdf import render_pdf

bp = Blueprint("report", __name__)
PRIVATE = {"Cache-Control": "private, no-store"}


def _page(event_id: int, pdf: bool) -> tuple[str, str]:
    event = reviewable_event(event_id)
    html = render_template("review/report.html", report=event_report(event), pdf=pdf)
    return html, event.code.lower()


@bp.get("/events/<int:event_id>/report")
@staff_page()
def page(event_id):
    html, _code = _page(event_id, pdf=False)
    return html, 200, PRIVATE


@bp.get("/events/<int:event_id>/report.pdf")
@staff_page()
def pdf(event_id):
    html, code = _page(event_id, pdf=True)
    response = Response(render_pdf(html), mimetype="application/pdf", headers=PRIVATE)
    # Opened in the browser's viewer; saved under a name that says what it is.
    response.headers["Content-Disposition"] = f'inline; filename="rapport-{code}.pdf"'
    return response
