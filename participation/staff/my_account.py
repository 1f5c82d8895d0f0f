"""/konto: a staff member's own account: the password, the second factor (on, off, recovery
codes left), and signing out on every device."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from .. import access
from ..accounts import lockout, manage, totp
from ..accounts.operations import change_password
from ..core.errors import OperationError
from ..web.auth import staff_page
from .account_forms import ActionForm, ChangePasswordForm, CodeForm, PasswordCheckForm
from .second_factor import confirm, enrolment_page, no_store
from .signin import sign_in

bp = Blueprint("my_account", __name__)


def _page(password_form=None, off_form=None, status=200):
    user = current_user
    return render_template(
        "accounts/account.html", email=user.email, role=user.role, mfa=user.totp_enabled,
        codes_left=totp.recovery_codes_left(user.id) if user.totp_enabled else 0,
        mfa_required=access.must_use_second_factor(user,
                                                    current_app.config["REQUIRE_MFA_ROLES"]),
        password_form=password_form or ChangePasswordForm(),
        off_form=off_form or PasswordCheckForm(prefix="off"), action_form=ActionForm(),
    ), status


@bp.get("/konto")
@staff_page()
def page():
    return _page()


def _guessing():
    """Seconds this account may not try its password here from this address: a stolen session
    must not guess the current password (which outlives the session) faster than the login
    may. Wrong passwords here count in the login's own lockout."""
    return lockout.locked_for(current_app, current_user.email, request.remote_addr or "")


def _wrong_password(error) -> None:
    if error.code == "wrong_password":
        lockout.record_failure(current_app, current_user.email, request.remote_addr or "")


def _too_many(form_field, seconds: int, **page):
    form_field.errors.append(_(
        "Too many wrong passwords. Wait %(seconds)s seconds and try again.", seconds=seconds))
    response = current_app.make_response(_page(**page))
    response.headers["Retry-After"] = str(seconds)
    return response


@bp.post("/konto/losenord")
@staff_page()
def password():
    form = ChangePasswordForm()
    if form.validate_on_submit() and (seconds := _guessing()):
        return _too_many(form.current_password, seconds, password_form=form, status=429)
    if form.validate_on_submit():
        try:
            user = change_password(current_user.id, form.current_password.data,
                                   form.new_password.data)
        except OperationError as error:
            field = getattr(form, error.field or "", None)
            if field is None:
                raise
            _wrong_password(error)
            field.errors.append(str(error.message))
        else:
            flash(_("Your password is changed. You are signed out everywhere else."), "success")
            # Every session ended, this browser's too: it gets a new one.
            return sign_in(user, url_for("my_account.page"))
    return _page(password_form=form, status=422)


@bp.route("/konto/tvastegs", methods=["GET", "POST"])
@staff_page()
def enrol():
    if current_user.totp_enabled:
        return redirect(url_for("my_account.page"), 303)
    form = CodeForm()
    if form.validate_on_submit():
        codes = confirm(current_user.id, form)
        if codes is not None:
            return no_store(render_template("accounts/recovery_codes.html", codes=codes,
                                            onward=url_for("my_account.page")))
    return enrolment_page(current_user.id, form, url_for("my_account.enrol"),
                          422 if form.errors else 200)


@bp.post("/konto/tvastegs/av")
@staff_page()
def turn_off():
    form = PasswordCheckForm(prefix="off")
    if form.validate_on_submit() and (seconds := _guessing()):
        return _too_many(form.password, seconds, off_form=form, status=429)
    if form.validate_on_submit():
        try:
            totp.turn_off(current_user.id, form.password.data,
                          current_app.config["REQUIRE_MFA_ROLES"])
        except OperationError as error:
            if error.field != "password":
                raise
            _wrong_password(error)
            form.password.errors.append(str(error.message))
        else:
            flash(_("Two-step verification is off."), "success")
            return redirect(url_for("my_account.page"), 303)
    return _page(off_form=form, status=422)


@bp.post("/konto/logga-ut-overallt")
@staff_page()
def sign_out_everywhere():
    manage.sign_out_everywhere(current_user, current_user.id)
    logout_user()
    flash(_("You are signed out on every device."), "success")
    return redirect(url_for("pages.home"), 303)
