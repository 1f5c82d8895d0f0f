"""/admin/konton: admins manage staff accounts in the browser (accounts/manage.py): invite
with a role, change a role, disable and enable, a reset link, sign out everywhere, reset a
lost second factor. Every change is in the staff audit log. Works without JavaScript."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import access
from ..accounts import listing, manage, resets
from ..core.errors import OperationError
from ..ops.audit import recent
from ..web.auth import staff_page
from .account_forms import ActionForm, InviteForm, RoleForm
from .reset_mail import link_and_mail
from .second_factor import no_store

bp = Blueprint("account_admin", __name__)
admin_page = staff_page(access.may_manage_accounts)
AUDIT_SHOWN = 20


def _index(form=None, status=200):
    entries = [e for e in recent(200) if e["action"].startswith("account.")][:AUDIT_SHOWN]
    return render_template("accounts/admin_list.html", accounts=listing.accounts(),
                           form=form or InviteForm(), entries=entries), status


@bp.get("/admin/konton")
@admin_page
def index():
    return _index()


@bp.post("/admin/konton")
@admin_page
def invite():
    form = InviteForm()
    if form.validate_on_submit():
        try:
            result = manage.invite(current_user, form.email.data, form.role.data)
        except OperationError as error:
            field = getattr(form, error.field or "", None)
            if field is None:
                raise
            field.errors.append(str(error.message))
        else:
            return _link_page(result, invited=True)
    return _index(form, 422)


def _link_page(result: dict, invited: bool):
    link = link_and_mail(result, invited)
    return no_store(render_template("accounts/admin_link.html", link=link, invited=invited,
                                    user_id=result.get("user_id")))


def _account_or_404(user_id: int) -> dict:
    account = listing.account(user_id)
    if account is None:
        abort(404)
    return account


@bp.get("/admin/konton/<int:user_id>")
@admin_page
def account(user_id):
    shown = _account_or_404(user_id)
    form = RoleForm(data={"role": shown["role"]})
    return render_template("accounts/admin_account.html", account=shown, form=form,
                           action_form=ActionForm(), own=user_id == current_user.id)


def _done(user_id: int, message: str):
    flash(message, "success")
    return redirect(url_for("account_admin.account", user_id=user_id), 303)


@bp.post("/admin/konton/<int:user_id>/roll")
@admin_page
def set_role(user_id):
    _account_or_404(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    manage.change_role(current_user, user_id, form.role.data)
    return _done(user_id, _("The role is changed; the person is signed out everywhere."))


@bp.post("/admin/konton/<int:user_id>/stang-av")
@admin_page
def disable(user_id):
    _account_or_404(user_id)
    manage.disable(current_user, user_id)
    return _done(user_id, _("The account is disabled and signed out everywhere."))


@bp.post("/admin/konton/<int:user_id>/aktivera")
@admin_page
def enable(user_id):
    _account_or_404(user_id)
    manage.enable(current_user, user_id)
    return _done(user_id, _("The account is enabled again."))


@bp.post("/admin/konton/<int:user_id>/aterstallningslank")
@admin_page
def reset_link(user_id):
    _account_or_404(user_id)
    return _link_page({**resets.issue_reset(current_user, user_id), "user_id": user_id},
                      invited=False)


@bp.post("/admin/konton/<int:user_id>/logga-ut")
@admin_page
def sign_out(user_id):
    _account_or_404(user_id)
    manage.sign_out_everywhere(current_user, user_id)
    return _done(user_id, _("The person is signed out on every device."))


@bp.post("/admin/konton/<int:user_id>/tvastegs")
@admin_page
def reset_mfa(user_id):
    _account_or_404(user_id)
    manage.reset_second_factor(current_user, user_id)
    return _done(user_id, _("Two-step verification is reset: the person sets it up again."))
