"""Security headers, cookie flags, session rotation and the socket's allowed origins."""

import re
from pathlib import Path

import pytest

from participation.extensions import db, socketio
from participation.live.socket.origins import origin_checker

from .conftest import join, login, make_app

ROOT = Path(__file__).resolve().parents[1]


def _csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: " ".join(part.split()[1:]) for part in policy.split("; ")}


def _assert_strict(response, embeddable=False):
    csp = _csp(response)
    assert csp["script-src"] == "'self'"
    assert csp["style-src"] == "'self'"
    assert "unsafe" not in response.headers["Content-Security-Policy"]
    assert csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'none'"
    assert csp["form-action"] == "'self'"
    assert csp["img-src"] == "'self' data:"
    assert csp["connect-src"].split() == ["'self'", "ws://localhost", "wss://localhost"]
    assert csp["frame-ancestors"] == ("'self'" if embeddable else "'none'")
    assert response.headers["X-Frame-Options"] == ("SAMEORIGIN" if embeddable else "DENY")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP here


def test_every_kind_of_page_carries_the_strict_headers(client, staff, make_event):
    event = make_event()
    login(client, staff.facilitator)
    pages = {
        "phone": f"/j/{event.code}",
        "console": f"/events/{event.id}/console",
        "poster": f"/events/{event.id}/poster",
        "table cards": f"/events/{event.id}/tables/cards",
        "api json": f"/api/v1/events/{event.id}",
        "home": "/",
        "not found": "/no-such-page",
        "login": "/login",
        "qr": f"/j/{event.code}/qr.svg",
        "review": "/review/",
    }
    for name, path in pages.items():
        response = client.get(path)
        expected = 404 if name == "not found" else 200
        assert response.status_code == expected, (name, response.status_code)
        _assert_strict(response)


def test_only_the_projector_may_be_framed_and_only_by_our_own_pages(client, staff, make_event):
    event = make_event()
    login(client, staff.facilitator)
    response = client.get(f"/events/{event.id}/projector")
    assert response.status_code == 200
    _assert_strict(response, embeddable=True)


def test_public_pages_and_the_follow_link_carry_the_headers(client, make_event):
    event = make_event(phase="results")
    for path in (f"/offentligt/{event.code}", "/folj/nosuchcode", "/healthz"):
        _assert_strict(client.get(path))


def test_hsts_and_secure_cookie_only_over_tls_via_the_proxy(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 't.db'}", PROXY_HOPS=1)
    client = app.test_client()
    plain = client.get("/login")
    assert "Strict-Transport-Security" not in plain.headers
    assert "Secure" not in plain.headers["Set-Cookie"]
    tls = app.test_client().get("/login", headers={"X-Forwarded-Proto": "https"})
    assert tls.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    cookie = tls.headers["Set-Cookie"]
    assert "; Secure" in cookie and "; HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_session_cookie_secure_setting_applies_over_plain_http(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 't.db'}", SESSION_COOKIE_SECURE=True)
    cookie = app.test_client().get("/login").headers["Set-Cookie"]
    assert "; Secure" in cookie and "; HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_no_template_has_inline_script_or_style():
    """The CSP forbids them; a JSON data block is not executed, so it may stay."""
    for path in sorted((ROOT / "templates").rglob("*.html")):
        html = path.read_text()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (path.name, tag)
        assert not re.search(r"\sstyle\s*=", html), path.name
        assert not re.search(r"\son[a-z]+\s*=", html), path.name
        assert "javascript:" not in html, path.name


def _session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def test_login_rotates_the_session_and_the_old_cookie_is_not_logged_in(app, client, staff,
                                                                      make_event):
    event = make_event(phase="collect")
    csrf_before = join(client, event)
    before = _session_cookie(client)
    response = login(client, staff.facilitator)
    assert response.status_code == 302
    after = _session_cookie(client)
    assert after != before
    # The old (pre-login) cookie, replayed, is not a staff session.
    replay = app.test_client()
    replay.set_cookie("session", before)
    assert replay.get("/events").status_code == 302
    # The new one is, the resident's token survived, and a fresh CSRF token works for forms.
    assert client.get("/events").status_code == 200
    page = client.get(f"/j/{event.code}").get_data(as_text=True)
    csrf_after = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    assert csrf_after != csrf_before
    url = f"/api/v1/events/{event.id}/proposals"
    stale = client.post(url, json={"title": "Gammal token", "client_id": "rot-0001"},
                        headers={"X-CSRFToken": csrf_before})
    assert stale.status_code == 400 and stale.get_json()["error"] == "csrf_failed"
    sent = client.post(url, json={"title": "Efter inloggning", "client_id": "rot-0002"},
                       headers={"X-CSRFToken": csrf_after})
    assert sent.status_code == 201, sent.get_json()


def test_a_fixed_session_set_before_login_does_not_carry_over(app, client, staff):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(client, staff.facilitator)
    db.session.rollback()  # the test's own read snapshot predates the login's session record
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("_user_id") == f"{staff.facilitator.id}:0"


def test_socket_origins_are_never_a_wildcard(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 't.db'}", CORS_ALLOWED_ORIGINS=["*"])
    server = socketio.server
    assert server is not None
    allowed_setting = server.eio.cors_allowed_origins
    assert allowed_setting != "*" and callable(allowed_setting)
    allowed = origin_checker(app)
    environ = {"HTTP_HOST": "testserver"}
    assert not allowed("https://evil.example", environ)
    assert allowed("http://testserver", environ)


@pytest.mark.parametrize("value", ["", "https://partner.example"])
def test_configured_origins_are_exact(tmp_path, value):
    app = make_app(f"sqlite:///{tmp_path / 't.db'}",
                   CORS_ALLOWED_ORIGINS=[value] if value else None)
    allowed = origin_checker(app)
    assert allowed("https://partner.example", {"HTTP_HOST": "testserver"}) == bool(value)
    assert not allowed("https://partner.example.evil", {"HTTP_HOST": "testserver"})


def test_only_a_changed_session_sends_the_cookie(app, make_event):
    """A phone's requests overlap (a form post while the page's script and QR image load): had
    each response written back the session it started with, the last would win and a flash or a
    just-joined event's token be lost (config SESSION_REFRESH_EACH_REQUEST)."""
    event = make_event(phase="collect")
    phone = app.test_client()
    join(phone, event)
    for path in ("/static/css/app.css", f"/j/{event.code}/qr.svg",
                 f"/api/v1/events/{event.id}/state"):
        answer = phone.get(path)
        assert answer.status_code == 200 and "Set-Cookie" not in answer.headers, path
    # A change still sends it: a new name is kept in the signed cookie.
    other = make_event(phase="collect")
    assert "Set-Cookie" in phone.get(f"/j/{other.code}").headers
