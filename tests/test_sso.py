"""Single sign-on for staff (staff/sso.py) against a real OpenID provider process
(oidc-provider-mock, tests/support/oidc.py) and the real server process: the browser's part is
a requests.Session that follows the redirects and fills in the provider's form."""

from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests

from .support.live import LiveServer
from .support.oidc import Provider, require_provider

pytestmark = pytest.mark.live

CLIENT = {"OIDC_CLIENT_ID": "participation-test", "OIDC_CLIENT_SECRET": "not-a-real-secret"}
STAFF = (("fac@live.se", "facilitator"), ("admin@live.se", "admin"))


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    require_provider()
    provider = Provider(tmp_path_factory.mktemp("oidc")).start()
    yield provider
    provider.stop()


def _server(tmp_path_factory, provider, staff, **env):
    server = LiveServer(tmp_path_factory.mktemp("live-sso"),
                        {"OIDC_ISSUER": provider.url, **CLIENT, **env})
    server.start(staff=staff)
    return server


@pytest.fixture(scope="module")
def server(tmp_path_factory, provider):
    """Single sign-on without OIDC_ROLE_CLAIM: only existing accounts may sign in."""
    server = _server(tmp_path_factory, provider, STAFF)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def enrolling(tmp_path_factory, provider):
    """With OIDC_ROLE_CLAIM: the provider's role claim gives a new person an account."""
    server = _server(tmp_path_factory, provider, STAFF, OIDC_ROLE_CLAIM="participation_role")
    yield server
    server.stop()


def begin(server, provider, next_path=None):
    """The staff member's browser clicks the login page's button: it ends on the provider's
    authorization form. Returns the browser and the form's address."""
    http = requests.Session()
    page = http.get(server.url + "/login/oidc", params={"next": next_path} if next_path else None)
    assert page.status_code == 200, page.text
    assert page.url.startswith(provider.url + "/oauth2/authorize?"), page.url
    return http, page.url


def sign_in(server, provider, sub, next_path=None):
    """The whole flow as `sub`: the answer the browser ends on, and the browser."""
    http, form = begin(server, provider, next_path)
    return http.post(form, data={"sub": sub}), http


def logged_in(server, http) -> bool:
    """Is this browser a staff member's? The events list answers only them."""
    answer = http.get(server.url + "/events", allow_redirects=False)
    assert answer.status_code in (200, 302), answer.status_code
    return answer.status_code == 200


def audit(server) -> list[dict]:
    answer = requests.get(server.url + "/api/v1/audit", headers=server.auth("admin@live.se"))
    assert answer.status_code == 200, answer.text
    return answer.json()["entries"]


def test_login_page_offers_single_sign_on_and_carries_next(server):
    page = requests.get(server.url + "/login", params={"next": "/review"})
    assert "Logga in med organisationskonto" in page.text
    assert 'href="/login/oidc?next=/review"' in page.text


def test_known_staff_signs_in_and_lands_on_next(server, provider):
    # The provider's address differs in case from the account's: still the same person.
    provider.user("fac-sub", email="Fac@Live.se", email_verified=True)
    http, form = begin(server, provider, next_path="/review/")
    asked = parse_qs(urlsplit(form).query)
    assert asked["code_challenge_method"] == ["S256"] and asked["code_challenge"][0]
    assert asked["nonce"][0] and asked["state"][0]
    assert "openid" in asked["scope"][0].split() and "email" in asked["scope"][0].split()
    assert asked["redirect_uri"] == [server.url + "/login/oidc/callback"]

    landed = http.post(form, data={"sub": "fac-sub"})
    assert landed.status_code == 200
    assert urlsplit(landed.url).path == "/review/"
    assert logged_in(server, http)
    assert any(e["action"] == "login_sso" and e["actor"] == "fac@live.se" for e in audit(server))


def test_an_admin_signs_in_without_our_second_factor(server, provider):
    """REQUIRE_MFA_ROLES (admin by default) asks a password login for TOTP; single sign-on
    leaves that to the provider's own MFA, so an admin without TOTP here is in."""
    provider.user("admin-sub", email="admin@live.se", email_verified=True)
    landed, http = sign_in(server, provider, "admin-sub", next_path="/admin/konton")
    assert landed.status_code == 200 and urlsplit(landed.url).path == "/admin/konton"
    assert logged_in(server, http)


def test_next_off_site_falls_back_to_the_dashboard(server, provider):
    provider.user("fac-sub-2", email="fac@live.se", email_verified=True)
    landed, http = sign_in(server, provider, "fac-sub-2", next_path="//evil.example/x")
    assert landed.status_code == 200
    assert urlsplit(landed.url).netloc == urlsplit(server.url).netloc
    assert urlsplit(landed.url).path == "/events"


def test_unknown_person_is_refused(server, provider):
    provider.user("stranger", email="stranger@live.se", email_verified=True)
    landed, http = sign_in(server, provider, "stranger")
    assert landed.status_code == 403
    assert "Det finns inget personalkonto för stranger@live.se" in landed.text
    assert "administratör" in landed.text
    assert not logged_in(server, http)
    # No account was made for them: the password login does not know them either.
    assert not any(e["actor"] == "stranger@live.se" for e in audit(server))


@pytest.mark.parametrize("claims", [
    {"email_verified": False},
    {},  # no word on it at all
    {"email_verified": "true"},  # a string is not JSON true
    {"email_verified": False, "xms_edov": True},  # the provider said no: that stands
], ids=["false", "missing", "string", "false-with-xms_edov"])
def test_unverified_email_is_refused(server, provider, claims):
    provider.user("unverified", email="fac@live.se", **claims)
    landed, http = sign_in(server, provider, "unverified")
    assert landed.status_code == 403
    assert "verifierad e-postadress" in landed.text
    assert not logged_in(server, http)


def test_entra_domain_verified_email_signs_in(server, provider):
    """Microsoft Entra ID sends no email_verified; its xms_edov (domain owner verified)
    stands in for it (docs/deploy.md)."""
    provider.user("entra-sub", email="fac@live.se", xms_edov=True)
    landed, http = sign_in(server, provider, "entra-sub")
    assert landed.status_code == 200
    assert logged_in(server, http)


def test_tampered_or_missing_state_is_refused(server, provider):
    provider.user("fac-sub-3", email="fac@live.se", email_verified=True)
    http, form = begin(server, provider)
    back = http.post(form, data={"sub": "fac-sub-3"}, allow_redirects=False)
    assert back.status_code == 302
    callback = urlsplit(back.headers["Location"])
    assert callback.path == "/login/oidc/callback"
    query = parse_qs(callback.query)
    assert query["state"][0] and query["code"][0]

    for state in ([query["state"][0] + "x"], None):
        params = {"code": query["code"][0], **({"state": state[0]} if state else {})}
        tampered = http.get(urlunsplit(callback._replace(query=urlencode(params))))
        assert tampered.status_code == 400
        assert "Börja om från inloggningssidan" in tampered.text
        assert not logged_in(server, http)


def test_the_provider_saying_no_is_a_refusal_page(server, provider):
    http, form = begin(server, provider)
    landed = http.post(form, data={"action": "deny"})
    assert urlsplit(landed.url).path == "/login/oidc/callback"
    assert "error=access_denied" in landed.url
    assert landed.status_code == 403
    assert "IT-support" in landed.text
    assert not logged_in(server, http)


def test_role_claim_creates_the_account(enrolling, provider):
    provider.user("newcomer", email="New.Reviewer@live.se", email_verified=True,
                  participation_role="reviewer")
    landed, http = sign_in(enrolling, provider, "newcomer")
    assert landed.status_code == 200
    assert logged_in(enrolling, http)
    # A reviewer's page: a facilitator would be refused it.
    assert http.get(enrolling.url + "/backlog/", allow_redirects=False).status_code == 200
    created = [e for e in audit(enrolling) if e["action"] == "account.create_sso"]
    assert [(e["actor"], e["target"]) for e in created] == [("new.reviewer@live.se", "reviewer")]

    # The second time is a plain sign-in to the same account.
    again, http = sign_in(enrolling, provider, "newcomer")
    assert again.status_code == 200
    assert len([e for e in audit(enrolling) if e["action"] == "account.create_sso"]) == 1


@pytest.mark.parametrize("role", [None, "superuser", ["reviewer", "admin"]],
                         ids=["no-claim", "unknown-role", "two-roles"])
def test_without_a_valid_role_claim_nobody_is_enrolled(enrolling, provider, role):
    claims = {"participation_role": role} if role is not None else {}
    provider.user("hopeful", email="hopeful@live.se", email_verified=True, **claims)
    landed, http = sign_in(enrolling, provider, "hopeful")
    assert landed.status_code == 403
    assert not logged_in(enrolling, http)
    assert not any(e["actor"] == "hopeful@live.se" for e in audit(enrolling))


def test_without_oidc_settings_nothing_changes(client):
    assert "organisationskonto" not in client.get("/login").get_data(as_text=True)
    assert client.get("/login/oidc").status_code == 404
    assert client.get("/login/oidc/callback?state=x&code=y").status_code == 404


@pytest.fixture
def unreachable(tmp_path):
    """An app whose provider does not answer (nothing listens on its port)."""
    from participation.extensions import db

    from .conftest import make_app
    from .support.live import free_port

    app = make_app(f"sqlite:///{tmp_path / 'sso.db'}", OIDC_ISSUER=f"http://127.0.0.1:{free_port()}",
                   OIDC_CLIENT_ID="x", OIDC_CLIENT_SECRET="y")
    with app.app_context():
        db.create_all()
        yield app.test_client()
        db.session.remove()
        db.engine.dispose()


def test_a_provider_that_does_not_answer_is_a_refusal_page(unreachable):
    answer = unreachable.get("/login/oidc")
    assert answer.status_code == 502
    assert "inloggningstjänst svarade inte" in answer.get_data(as_text=True)
    assert unreachable.get("/login/oidc/callback?error=server_error").status_code == 403
    assert unreachable.get("/login/oidc/callback?code=abc").status_code == 400
