"""A staff member's own API tokens ("Mina API-nycklar"): the list, the form that creates one
(the token is shown once, on the answer to that post) and a revoke button per token."""

from flask import Blueprint, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import InputRequired, NumberRange

from ..accounts import tokens
from ..accounts.models import TOKEN_NAME_MAX
from ..core.errors import OperationError
from ..web.auth import staff_page

bp = Blueprint("tokens", __name__)


class TokenForm(FlaskForm):
    # The name's rules are the operation's (accounts/tokens.py); the form only carries it.
    name = StringField(_l("Name"))
    days = IntegerField(_l("Valid for (days)"), default=tokens.DAYS_DEFAULT, validators=[
        InputRequired(_l("Give a number of days.")),
        NumberRange(tokens.DAYS_MIN, tokens.DAYS_MAX)])


def _page(form, issued=None, status=200):
    response = make_response(render_template(
        "accounts/tokens.html", form=form, issued=issued, tokens=tokens.list_tokens(current_user),
        name_max=TOKEN_NAME_MAX, days_min=tokens.DAYS_MIN, days_max=tokens.DAYS_MAX), status)
    # The token itself is on the page after creating one: never kept by a cache or the
    # back button.
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/account/tokens", methods=["GET", "POST"])
@staff_page()
def index():
    form = TokenForm()
    if form.validate_on_submit():
        try:
            value, row = tokens.issue_token(current_user, form.name.data, form.days.data)
        except OperationError as error:
            field = form._fields.get(error.field or "")
            (field.errors if field is not None else form.form_errors).append(str(error.message))
        else:
            # Shown on this answer only (no redirect): the token is stored as a digest.
            return _page(TokenForm(formdata=None), {"value": value, "name": row.name}, 201)
    return _page(form, status=422 if form.errors or form.form_errors else 200)


@bp.post("/account/tokens/<int:token_id>/revoke")
@staff_page()
def revoke(token_id):
    # CSRF is checked by CSRFProtect for every form post; another user's token is a 404.
    shape = tokens.revoke_token(current_user, token_id)
    flash(_("The API key “%(name)s” is revoked.", name=shape["name"]), "success")
    return redirect(url_for("tokens.index"))
