"""Staff log in and out (residents never do): the session is renewed on login. A password
alone starts the session only for an account without a second factor whose role does not
require one; otherwise the second step comes first (second_factor.py)."""

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from .. import access
from ..accounts import lockout
from ..accounts.operations import authenticate
from ..accounts.sessions import session_ended
from ..core.mail import mail_configured
from ..ops import audit
from ..web import sessions
from .account_forms import LoginForm
from .signin import KEPT_ON_LOGIN, rotate_session, sign_in, start_pending

__all__ = ["KEPT_ON_LOGIN", "bp", "rotate_session", "sign_in"]

bp = Blueprint("accounts", __name__)


def _locked_out(form, seconds: int):
    form.password.errors.append(_(
        "Too many failed logins. Wait %(seconds)s seconds and try again.", seconds=seconds))
    response = current_app.make_response(render_template("accounts/login.html", form=form))
    response.status_code = 429
    response.headers["Retry-After"] = str(seconds)
    return response


def after_password(user, next_target):
    """The password was right: the session, or first the second factor, or setting it up."""
    if user.totp_enabled:
        start_pending(user, "code", next_target)
        return redirect(url_for("second_factor.code"), 303)
    if access.must_use_second_factor(user, current_app.config["REQUIRE_MFA_ROLES"]):
        start_pending(user, "enrol", next_target)
        return redirect(url_for("second_factor.enrol"), 303)
    return sign_in(user, next_target)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        email, ip = form.email.data, request.remote_addr or ""
        if seconds := lockout.locked_for(current_app, email, ip):
            return _locked_out(form, seconds)
        user = authenticate(email, form.password.data)
        if user is None:
            if seconds := lockout.record_failure(current_app, email, ip):
                return _locked_out(form, seconds)
            form.password.errors.append(_("Wrong e-mail or password."))
        elif not user.is_active:
            # Said only to whoever knows the password: it tells no one else the account exists.
            form.password.errors.append(_(
                "This account is disabled. Ask an administrator if you need it again."))
        else:
            lockout.record_success(current_app, email, ip)
            return after_password(user, request.args.get("next"))
    return render_template("accounts/login.html", form=form), 200 if not form.errors else 422


@bp.get("/login/glomt")
def forgot():
    """No self-service: an administrator makes a one-time link (and mails it when SMTP is
    configured), so a password never resets on a mailbox alone."""
    return render_template("accounts/forgot.html",
                           mailed=mail_configured(current_app.config))


@bp.post("/logout")
@login_required
def logout():
    """Ends this session: its server-side record is deleted (web/sessions.py), so a copy of
    the cookie is worth nothing, and the sockets it opened are closed."""
    audit.record(current_user, "logout")
    user_id, key = current_user.id, sessions.session_key()
    logout_user()
    session_ended(user_id, key)
    return redirect(url_for("pages.home"))
