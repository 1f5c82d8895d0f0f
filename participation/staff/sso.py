"""Single sign-on for staff with OpenID Connect, through Authlib's Flask client.

The authorization code flow with state, nonce and PKCE (S256). Authlib keeps the state, nonce
and code verifier in the session, exchanges the code and checks the ID token (signature from
the provider's JWKS, issuer, audience, nonce, expiry); here the answer becomes a staff
session through `sign_in`, or a refusal page that says what to do. Off unless OIDC_ISSUER is
set: the routes answer 404 and the login page shows only the password form. The password
login's lockout is not involved: the provider does its own.
"""

from authlib.common.errors import AuthlibBaseError
from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from joserfc.errors import JoseError
from requests import RequestException

from ..accounts.single_sign_on import (
    account_for_email,
    create_sso_account,
    role_from_claim,
    verified_email,
)
from ..core.errors import OperationError
from ..extensions import oauth
from ..ops.audit import audit
from ..web.links import base_url
from ..web.redirects import safe_next
from .accounts import sign_in

bp = Blueprint("sso", __name__)

# The client's name: Authlib keys the session's state data by it ("_state_oidc_<state>").
NAME = "oidc"
EXTENSION = "participation.sso"


def init_app(app) -> None:
    """Register the routes; bind Authlib's client only when a provider is configured."""
    app.register_blueprint(bp)
    issuer = app.config.get("OIDC_ISSUER")
    if not issuer:
        return
    oauth.init_app(app)
    # Authlib caches one client per name in the process; every app (tests make many) with its
    # own provider gets its own, kept on the app.
    oauth._clients.pop(NAME, None)
    app.extensions[EXTENSION] = oauth.register(
        NAME,
        client_id=app.config["OIDC_CLIENT_ID"],
        client_secret=app.config["OIDC_CLIENT_SECRET"],
        server_metadata_url=issuer.rstrip("/") + "/.well-known/openid-configuration",
        # A provider that hangs must not hold a server worker: every call to it gives up.
        client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256",
                       "default_timeout": 10},
    )


def _client():
    client = current_app.extensions.get(EXTENSION)
    if client is None:
        abort(404)
    return client


def _refused(status: int, reason: str):
    """The page for every way a sign-in can fail; nobody is logged in by it."""
    return render_template("accounts/sso_refused.html", reason=reason), status


@bp.get("/login/oidc")
def start():
    client = _client()
    target = safe_next(request.args.get("next"), url_for("dashboard.index"))
    # PUBLIC_BASE_URL when set: the address registered with the provider must match exactly.
    redirect_uri = base_url() + url_for("sso.callback")
    try:
        authorization = client.create_authorization_url(redirect_uri)
    except (RequestException, ValueError, RuntimeError, AuthlibBaseError):
        current_app.logger.exception("sso: the provider's discovery document failed")
        return _refused(502, _("The organisation's login service did not answer. Try again "
                               "in a while, or log in with your password."))
    url = authorization.pop("url")
    # Where to go afterwards travels with this one flow's state, not loose in the session.
    client.save_authorize_data(redirect_uri=redirect_uri, next=target, **authorization)
    return redirect(url)


@bp.get("/login/oidc/callback")
def callback():
    client = _client()
    state = request.args.get("state")
    flow = client.framework.get_state_data(session, state) if state else None
    if request.args.get("error"):
        # access_denied (the person said no) or the provider's own refusal.
        if state:
            client.framework.clear_state_data(session, state)
        current_app.logger.info("sso: the provider answered %s",
                                request.args.get("error", "")[:100])
        return _refused(403, _("The organisation's login service did not let you in. Ask "
                               "your IT support if you should have access."))
    if flow is None:
        # No state, another browser's, an expired one, or a replayed answer.
        return _refused(400, _("This sign-in link is not valid any more, or was not started "
                               "in this browser. Start again from the login page."))
    issuer = current_app.config["OIDC_ISSUER"]
    try:
        token = client.authorize_access_token(claims_options={
            "iss": {"essential": True, "values": [issuer]}})
    except RequestException:
        current_app.logger.exception("sso: the provider did not answer")
        return _refused(502, _("The organisation's login service did not answer. Try again "
                               "in a while, or log in with your password."))
    except (AuthlibBaseError, JoseError, ValueError, KeyError, TypeError):
        current_app.logger.exception("sso: the provider's answer was refused")
        return _refused(400, _("The answer from the organisation's login service could not "
                               "be verified. Start again from the login page."))
    claims = token.get("userinfo")
    if not claims:  # no ID token: nothing Authlib could check
        return _refused(400, _("The answer from the organisation's login service could not "
                               "be verified. Start again from the login page."))
    email = verified_email(claims)
    if email is None:
        return _refused(403, _("Your organisation account has no verified e-mail address, "
                               "so we cannot tell which staff account is yours. Ask your IT "
                               "support to check the account."))
    user = account_for_email(email)
    if user is None:
        user = _new_account(email, claims)
    if user is None:
        current_app.logger.info("sso: no staff account for a verified address")
        return _refused(403, _("There is no staff account for %(email)s. Ask an administrator "
                               "of this service to create one for you.", email=email))
    return sign_in(user, flow.get("next"), how="login_sso")


def _new_account(email: str, claims):
    """An account for a person the provider names a role for, when OIDC_ROLE_CLAIM says so."""
    claim = current_app.config.get("OIDC_ROLE_CLAIM")
    role = role_from_claim(claims.get(claim)) if claim else None
    if role is None:
        return None  # no self-signup: only the provider's say-so creates an account

    def record(db_session, user):
        audit(db_session, user, "account.create_sso", role)

    try:
        return create_sso_account(email, role, record)
    except OperationError:
        return None
