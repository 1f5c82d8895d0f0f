"""Staff pages: log in first, then the rule from access.py; the HTTP answer when it says no.

The decisions themselves are access.py's; this only turns them into 302 (log in), 403 and 404.
"""

from functools import wraps

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import BadRequest

from .. import access
from ..accounts.models import User
from ..core.validate import form_number
from ..events.models import Event
from ..extensions import db, login_manager


@login_manager.user_loader
def load_user(value):
    """The account a session names (User.get_id: "id:epoch"), while it may still be used: the
    epoch must be the account's (accounts/sessions.end_sessions raises it, and every older
    session is over); a disabled account's sessions stop at their next request, and so do
    those of a role that must use a second factor the account has not set up (the next login
    sets it up first) — unless the session was started by single sign-on, where the
    provider's own MFA applies."""
    user_id, _sep, epoch = str(value).partition(":")
    user_id, epoch = form_number(user_id), form_number(epoch)
    if not user_id or epoch is None:
        return None
    user = db.session.get(User, user_id)
    if user is None or (user.session_epoch or 0) != epoch or not user.is_active:
        return None
    # Signed in through the organisation's provider, whose own MFA applies (staff/signin.py).
    if session.get("signed_in_with") == "sso":
        return user
    if not user.totp_enabled and access.must_use_second_factor(
            user, current_app.config["REQUIRE_MFA_ROLES"]):
        return None
    return user


@login_manager.unauthorized_handler
def unauthorized():
    if request.blueprint == "api" or request.accept_mimetypes.best == "application/json":
        raise BadRequest()
    flash(_("Log in to continue."), "info")
    return redirect(url_for("accounts.login", next=request.path))


def staff_page(rule=None):
    """A page for logged-in staff; with `rule` (e.g. access.may_run_events), only for those
    staff the rule allows."""

    def decorate(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if rule is not None and not rule(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def event_or_404(event_id) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    return event


def managed_event(event_id: int) -> Event:
    """The event, for those who may run it (access.may_manage); 404 or 403 otherwise."""
    event = event_or_404(event_id)
    if not access.may_manage(current_user, event):
        abort(403)
    return event


def moderated_event(event_id: int) -> Event:
    """The event, for those who may moderate it (access.may_moderate); 404 or 403 otherwise."""
    event = event_or_404(event_id)
    if not access.may_moderate(current_user, event):
        abort(403)
    return event


def reviewable_event(event_id: int) -> Event:
    event = event_or_404(event_id)
    if not access.may_review(current_user, event):
        abort(403)
    return event


def viewer_context() -> dict:
    """What the pages' header and navigation know of the person: never the account object."""
    user = current_user
    if not user.is_authenticated:
        return {"authenticated": False}
    return {"authenticated": True, "email": user.email, "role": user.role,
            "may_run_events": access.may_run_events(user),
            "may_manage_backlog": access.may_manage_backlog(user),
            "may_manage_accounts": access.may_manage_accounts(user)}
