from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.exceptions import BadRequest

from ..core.validate import form_number
from ..extensions import db, login_manager
from ..ops import audit
from .forms import LoginForm
from .models import User
from .operations import authenticate

bp = Blueprint("accounts", __name__)


@login_manager.user_loader
def load_user(user_id):
    user_id = form_number(str(user_id))
    return db.session.get(User, user_id) if user_id else None


@login_manager.unauthorized_handler
def unauthorized():
    if request.blueprint == "api" or request.accept_mimetypes.best == "application/json":
        raise BadRequest()
    flash(_("Log in to continue."), "info")
    return redirect(url_for("accounts.login", next=request.path))


def _safe_next(target: str | None) -> str:
    # Only local paths: an open redirect would let a phishing link borrow our login page.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("events.dashboard")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Wrong e-mail or password."))
        else:
            # Keep the resident part of the cookie, drop anything else (session rotation).
            participants = session.get("participants")
            session.clear()
            if participants:
                session["participants"] = participants
            login_user(user)
            audit.record(user, "login")
            return redirect(_safe_next(request.args.get("next")))
    return render_template("accounts/login.html", form=form), 200 if not form.errors else 422


@bp.post("/logout")
@login_required
def logout():
    audit.record(current_user, "logout")
    logout_user()
    return redirect(url_for("pages.home"))
