"""/konto/aterstall/<token>: a staff member sets a new password with a one-time link from an
administrator (accounts/resets.py). The link is the key, so the page is never cached."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..accounts import resets
from ..core.errors import OperationError
from .account_forms import NewPasswordForm
from .second_factor import no_store

bp = Blueprint("password_reset", __name__)


@bp.route("/konto/aterstall/<token>", methods=["GET", "POST"])
def page(token):
    email = resets.reset_email(token)
    if email is None:
        raise resets.invalid_link()
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            resets.use_reset(token, form.password.data)
        except OperationError as error:
            if error.field != "password":
                raise
            form.password.errors.append(str(error.message))
        else:
            flash(_("Your password is set. Log in with it."), "success")
            return redirect(url_for("accounts.login"), 303)
    return no_store(render_template("accounts/reset.html", form=form, email=email),
                    422 if form.errors else 200)
