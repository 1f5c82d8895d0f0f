"""Who is calling: a staff bearer token, or a browser cookie that must carry X-CSRFToken."""

from flask import g, request, session
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import ValidationError, validate_csrf

from ..accounts.tokens import authenticate_token
from ..core.errors import OperationError
from ..web.identity import KEY

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def authenticate_request():
    g.api_user = None
    if request.endpoint in ("api.openapi", "api.asyncapi"):
        return
    g.api_token = False
    token = bearer_token()
    if token is not None:
        # Unknown, expired, revoked, or its account disabled: 401 (views.py adds the
        # WWW-Authenticate header).
        g.api_user = authenticate_token(token)
        g.api_token = True
        return
    # CSRF matters only where the cookie carries authority: a staff login or a joined phone.
    # Without either, the endpoint answers 401 or 403 itself.
    if request.method in UNSAFE and (current_user.is_authenticated or session.get(KEY)):
        try:
            validate_csrf(request.headers.get("X-CSRFToken"))
        except ValidationError:
            raise OperationError(
                "csrf_failed",
                _("Send the page's CSRF token in the X-CSRFToken header."), 400,
            ) from None
    if current_user.is_authenticated:
        g.api_user = current_user._get_current_object()


def with_token() -> bool:
    """The caller authenticated with a bearer token (not a login's cookie)."""
    return bool(g.get("api_token"))


def staff_user():
    if g.api_user is None:
        raise OperationError("unauthorized", _("Log in or send a bearer token."), 401)
    return g.api_user


def json_body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise OperationError("invalid_json", _("Send a JSON object."), 400)
    return data


def json_body_or_empty() -> dict:
    """For a body that may be left out (an undo's optional reason): {} when there is none."""
    if not request.get_data(cache=True):
        return {}
    return json_body()
