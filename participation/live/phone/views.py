"""Joining: the QR code's target /j/<code>, a table card's /j/<code>/bord/<n>, a scribe card,
and the QR codes themselves."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ... import access
from ...core.errors import OperationError
from ...events.operations import event_by_code
from ...events.tables import table_by_number
from ...participants.operations import choose_table
from ...web import identity, svg_response
from ...web.language import page_event
from ...web.links import base_url, join_url
from ...web.qr import qr_svg
from . import bp
from .page import invite_only, render_phone


def _event(code):
    # /j/<code>/…: the event the language was chosen for, looked up once per request.
    return page_event() if request.view_args.get("code") == code else event_by_code(code)


def event_or_404(code):
    event = _event(code)
    if event is None:
        abort(404)
    return event


@bp.get("/j/<code>")
def join(code):
    event = _event(code)
    if event is None:
        return render_template(
            "home.html", code_error=_("No event has the code %(code)s. Check the code on the "
                                      "screen.", code=code[:12])
        ), 404
    if refused := invite_only(event):
        return refused
    identity.join(event)
    return render_phone(event)


@bp.get("/j/<code>/qr.svg")
def qr(code):
    return svg_response(qr_svg(join_url(event_or_404(code).code)))


@bp.get("/j/<code>/bord/<int:number>/qr.svg")
def table_qr(code, number):
    event = event_or_404(code)
    if table_by_number(event, number) is None:
        abort(404)
    return svg_response(qr_svg(base_url() + url_for("phone.join_table", code=event.code,
                                                    number=number)))


@bp.get("/j/<code>/bord/<int:number>")
def join_table(code, number):
    """A table card's QR target: join the event and sit at the table in one scan."""
    event = event_or_404(code)
    if refused := invite_only(event):
        return refused
    token = identity.join(event)
    try:
        seat = choose_table(event.id, token, number)
    except OperationError as error:
        flash(str(error.message), "error")
    else:
        flash(_("You are at %(table)s.", table=seat["table_name"]), "success")
    return redirect(url_for("phone.join", code=event.code), code=303)


@bp.get("/j/<code>/bord/<int:number>/skrivare/<secret>")
def join_as_scribe(code, number, secret):
    """The scribe card's QR target: sit at the table and enter its proposals."""
    event = event_or_404(code)
    if refused := invite_only(event):
        return refused
    token = identity.join(event)
    if not access.is_scribe(table_by_number(event, number), secret[:64]):
        abort(404)  # an old card (a new one was printed) or a guess
    identity.remember_scribe(event.id, number, secret)
    seat = choose_table(event.id, token, number)
    flash(_("You are the scribe for %(table)s.", table=seat["table_name"]), "success")
    return redirect(url_for("phone.join", code=event.code), code=303)
