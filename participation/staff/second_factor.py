"""The login's second step: the code from the authenticator app (or a recovery code), or,
for a role that must use one and has none yet, setting it up. Only then does sign_in start
the session. The step has its own count of wrong codes (accounts/lockout.py), kept on the
server, so replaying the pending cookie does not buy more tries."""

import base64

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _

from ..accounts import lockout, totp
from ..core.errors import OperationError
from ..web.qr import qr_svg
from .account_forms import CodeForm
from .signin import clear_pending, pending, sign_in, start_pending

bp = Blueprint("second_factor", __name__)


def no_store(response, status: int = 200):
    """Secrets and one-time codes: never in a cache, never in the back button's copy."""
    response = current_app.make_response((response, status))
    response.headers["Cache-Control"] = "no-store"
    # A reset link's token is in the address: it must not ride along as a Referer.
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _start_again():
    clear_pending()
    flash(_("Log in again: the time for the second step ran out."), "info")
    return redirect(url_for("accounts.login"), 303)


def _code_locked(form, seconds: int):
    form.code.errors.append(_(
        "Too many wrong codes. Wait %(seconds)s seconds and try again.", seconds=seconds))
    response = no_store(render_template("accounts/second_factor.html", form=form), 429)
    response.headers["Retry-After"] = str(seconds)
    return response


@bp.route("/login/kod", methods=["GET", "POST"])
def code():
    user, next_target = pending("code")
    if user is None:
        return _start_again()
    form = CodeForm()
    if form.validate_on_submit():
        if seconds := lockout.second_factor_locked_for(current_app, user.id):
            return _code_locked(form, seconds)
        how = totp.verify(user.id, form.code.data)
        if how is not None:
            lockout.record_second_factor_success(current_app, user.id)
            if how == "recovery":
                flash(_("You used a recovery code; it will not work again. %(left)d left.",
                        left=totp.recovery_codes_left(user.id)), "info")
            return sign_in(user, next_target)
        if seconds := lockout.record_second_factor_failure(current_app, user.id):
            return _code_locked(form, seconds)
        form.code.errors.append(_("That code is not right."))
    status = 422 if form.errors else 200
    return no_store(render_template("accounts/second_factor.html", form=form), status)


def enrolment_page(user_id: int, form, action: str, status: int = 200):
    """The QR code and the secret to type by hand, and the form for the first code."""
    secret = totp.enrolment(user_id)
    image = "data:image/svg+xml;base64," + base64.b64encode(qr_svg(secret["uri"])).decode()
    spaced = " ".join(secret["secret"][i:i + 4] for i in range(0, len(secret["secret"]), 4))
    return no_store(render_template("accounts/enrol.html", form=form, qr=image, secret=spaced,
                                    action=action), status)


def confirm(user_id: int, form):
    """The recovery codes when the code confirms the set-up; None (errors on the form) if not."""
    try:
        return totp.confirm_enrolment(user_id, form.code.data)
    except OperationError as error:
        form.code.errors.append(str(error.message))
        return None


@bp.route("/login/tvastegs", methods=["GET", "POST"])
def enrol():
    """A role that must use a second factor sets it up before its first session."""
    user, next_target = pending("enrol")
    if user is None:
        return _start_again()
    if user.totp_enabled:  # set up in another tab meanwhile: the code is the step now
        start_pending(user, "code", next_target)
        return redirect(url_for("second_factor.code"), 303)
    form = CodeForm()
    if form.validate_on_submit():
        codes = confirm(user.id, form)
        if codes is not None:
            onward = sign_in(user, next_target).location
            return no_store(render_template("accounts/recovery_codes.html", codes=codes,
                                            onward=onward))
    return enrolment_page(user.id, form, url_for("second_factor.enrol"),
                          422 if form.errors else 200)
