"""How a staff session starts (sign_in), and the short-lived marker between a right password
and the second factor, which is not yet a session."""

import hashlib
import hmac
import time

from flask import abort, g, redirect, session, url_for
from flask_login import login_user

from ..accounts.models import User
from ..extensions import db
from ..ops import audit
from ..web import sessions
from ..web.redirects import safe_next

# What a browser keeps across a login: its resident tokens and its language, nothing else.
KEPT_ON_LOGIN = ("participants", "current_event", "lang")
PENDING = "login_pending"
SIGNED_IN_WITH = "signed_in_with"
# Time from the password to the code: enough to find the phone, short enough to go stale.
PENDING_SECONDS = 10 * 60


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
    (password and second factor, single sign-on): a new session, the login, the audit line,
    then `next`."""
    if not user.is_active:  # e.g. disabled, then back through single sign-on
        abort(403)
    rotate_session()
    login_user(user)
    # Single sign-on leaves the second factor to the organisation's provider (Entra ID and
    # Keycloak enforce their own MFA): REQUIRE_MFA_ROLES asks it of password logins only.
    session[SIGNED_IN_WITH] = "sso" if how == "login_sso" else "password"
    audit.record(user, how)
    # Only a path here: an open redirect would let phishing borrow our login page.
    return redirect(safe_next(next_target, url_for("dashboard.index")))


def start_pending(user, step: str, next_target) -> None:
    """The password was right; the second factor (`code`) or setting it up (`enrol`) comes
    next. No login yet: a fresh session holding only who, which step, and until when."""
    rotate_session()
    session[PENDING] = {"user": user.id, "step": step, "until": time.time() + PENDING_SECONDS,
                        "next": safe_next(next_target, ""), "proof": _proof(user)}


def _proof(user) -> str:
    """What the right password was right for: the account's session epoch and a digest of its
    password hash. A new password, or "sign out everywhere", in the 10 minutes before the
    second step makes a marker earned with the old password worthless."""
    seen = f"{user.session_epoch or 0}:{user.password_hash}".encode()
    return hashlib.sha256(seen).hexdigest()[:32]


def pending(step: str):
    """(user, next) of a pending login at this step, or (None, None)."""
    marker = session.get(PENDING)
    if (not isinstance(marker, dict) or marker.get("step") != step
            or not isinstance(marker.get("until"), int | float) or marker["until"] < time.time()
            or not isinstance(marker.get("user"), int)):
        return None, None
    user = db.session.get(User, marker["user"])
    if user is None or not user.is_active or not hmac.compare_digest(
            str(marker.get("proof", "")), _proof(user)):
        return None, None
    return user, marker.get("next") or None


def clear_pending() -> None:
    session.pop(PENDING, None)
