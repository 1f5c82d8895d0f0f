"""A resident's opt-in e-mail (notifications/): asked for on the follow page, confirmed and
ended from the links in the messages. Without SMTP and PUBLIC_BASE_URL configured none of this
is offered, and the routes answer 404, so no page promises mail that would never come, and no
mailed link points at a host a request named.

Following a link changes nothing: the confirmation and unsubscribe pages each show one button.
The unsubscribe POST also takes the one-click request mail programs send (RFC 8058), which
carries no CSRF token: the secret in the URL is the only key, as it is for the page.
"""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from ..core.errors import OperationError
from ..core.mail import resident_mail_on
from ..extensions import csrf
from ..notifications import operations
from . import bp
from .follow import PERSONAL, follow_page


def _mail_on():
    if not resident_mail_on(current_app.config):
        abort(404)


@bp.post("/folj/<follow_code>/epost")
def subscribe(follow_code):
    _mail_on()
    email = request.form.get("email", "")
    try:
        operations.subscribe(follow_code, email, str(get_locale() or "sv"),
                             current_app.config["PUBLIC_BASE_URL"].rstrip("/"))
    except OperationError as error:
        if error.status == 404:
            raise
        return follow_page(follow_code, mail_error=str(error.message), email=email, status=422)
    flash(_("We have sent a message to the address. Follow the link in it to confirm."),
          "success")
    return redirect(url_for("public.follow", follow_code=follow_code) + "#mail")


@bp.get("/epost/<secret>")
def mail_page(secret):
    _mail_on()
    state = operations.find(secret)
    if state is None:
        abort(404)
    return render_template("privacy/mail.html", state=state, secret=secret), 200, PERSONAL


@bp.post("/epost/<secret>/bekrafta")
def mail_confirm(secret):
    _mail_on()
    if not operations.confirm(secret):
        abort(404)
    flash(_("Confirmed. We will write when something happens to what you took part in."),
          "success")
    return redirect(url_for("public.mail_page", secret=secret))


@bp.post("/epost/<secret>/avregistrera")
@csrf.exempt
def mail_unsubscribe(secret):
    _mail_on()
    operations.unsubscribe(secret)  # an unknown or spent link: the outcome is the same
    return render_template("privacy/mail_gone.html"), 200, PERSONAL
