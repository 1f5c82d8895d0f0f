"""Staff log in and out (residents never do): the session is renewed on login."""

from flask import (
    Blueprint,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from ..accounts import lockout
from ..accounts.operations import authenticate
from ..accounts.sessions import session_ended
from ..ops import audit
from ..web import sessions
from ..web.redirects import safe_next

bp = Blueprint("accounts", __name__)


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


# What a browser keeps across a login: its resident tokens and its language, nothing else.
KEPT_ON_LOGIN = ("participants", "current_event", "lang")


def rotate_session() -> None:
    """A new session on login: whatever a fixed pre-login cookie carried is not carried on,
    and the CSRF token is new (the next page rendered gets it)."""
    kept = {key: session[key] for key in KEPT_ON_LOGIN if key in session}
    session.clear()
    session.update(kept)
    sessions.renew()  # a staff browser signing in again: a new server-side id
    g.pop("csrf_token", None)


def sign_in(user, next_target=None, how: str = "login"):
    """The one way a staff member's session starts, whichever way they proved who they are
    (password, single sign-on): a new session, the login, the audit line, then `next`."""
    rotate_session()
    login_user(user)
    audit.record(user, how)
    # Only a path here: an open redirect would let phishing borrow our login page.
    return redirect(safe_next(next_target, url_for("dashboard.index")))


def _locked_out(form, seconds: int):
    form.password.errors.append(_(
        "Too many failed logins. Wait %(seconds)s seconds and try again.", seconds=seconds))
    response = current_app.make_response(render_template("accounts/login.html", form=form))
    response.status_code = 429
    response.headers["Retry-After"] = str(seconds)
    return response


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
        else:
            lockout.record_success(current_app, email, ip)
            return sign_in(user, request.args.get("next"))
    return render_template("accounts/login.html", form=form), 200 if not form.errors else 422


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
