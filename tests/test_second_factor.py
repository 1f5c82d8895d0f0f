"""The optional second factor (TOTP): set up from the account page, then asked after the
password before any session starts; recovery codes work once; roles in REQUIRE_MFA_ROLES set
it up at their next login before reaching anything else."""

import re
import time
import uuid

import pyotp
import pytest

from participation.accounts import lockout, totp
from participation.accounts.models import User
from participation.extensions import db

from .conftest import PASSWORD, csrf_from, login

SECRET = re.compile(r'id="totp-secret">([A-Z2-7 ]+)<')
CODES = re.compile(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>")


class Clock:
    """The second factor's clock, moved on by whole 30-second steps (a code is accepted
    once, so each login in a test takes the next step's code)."""

    def __init__(self):
        self.now = time.time()

    def __call__(self):
        return self.now

    def step(self):
        self.now += 30


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(totp, "_clock", clock)
    return clock


def _code(secret: str, clock) -> str:
    return pyotp.TOTP(secret).at(clock())


def _post(client, path, **data):
    page = client.get(path)
    return client.post(path, data={"csrf_token": csrf_from(page.get_data(as_text=True)),
                                   **data})


def _enrol(client, path, clock):
    """Set up from the page at `path`: the secret read off it, a wrong code, then a right one.
    Returns (secret, recovery codes)."""
    page = client.get(path)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    secret = SECRET.search(html).group(1).replace(" ", "")
    assert 'src="data:image/svg+xml;base64,' in html  # the QR code of the otpauth URI
    wrong = client.post(path, data={"csrf_token": csrf_from(html), "code": "000000"
                                    if _code(secret, clock) != "000000" else "111111"})
    assert wrong.status_code == 422
    done = client.post(path, data={"csrf_token": csrf_from(html), "code": _code(secret, clock)})
    assert done.status_code == 200, done.get_data(as_text=True)
    codes = CODES.findall(done.get_data(as_text=True))
    assert len(codes) == 10 and len(set(codes)) == 10
    return secret, codes


def _signed_in(client) -> bool:
    return client.get("/events").status_code == 200


def _password_step(app, user):
    client = app.test_client()
    answer = login(client, user)
    return client, answer


def test_turned_on_it_asks_for_the_code_after_the_password(app, staff, clock):
    user = staff.facilitator
    own = app.test_client()
    assert login(own, user).status_code == 302
    secret, _codes = _enrol(own, "/konto/tvastegs", clock)
    assert "10 reservkoder kvar" in own.get("/konto").get_data(as_text=True)
    db.session.remove()
    stored = db.session.get(User, user.id)
    assert stored.totp_enabled and secret not in (stored.totp_secret or "")  # sealed

    clock.step()
    client, answer = _password_step(app, user)
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/login/kod")
    # The password alone is no session.
    assert not _signed_in(client)
    assert client.get("/konto").status_code == 302
    wrong = _post(client, "/login/kod", code="123456" if _code(secret, clock) != "123456"
                  else "654321")
    assert wrong.status_code == 422 and not _signed_in(client)
    right = _post(client, "/login/kod", code=_code(secret, clock))
    assert right.status_code == 302 and _signed_in(client)

    # The same code again (a replay) is refused, even in its own 30 seconds.
    again, _answer = _password_step(app, user)
    assert _post(again, "/login/kod", code=_code(secret, clock)).status_code == 422
    assert not _signed_in(again)


def test_a_recovery_code_works_once(any_db_app, staff, clock):
    app = any_db_app
    user = staff.reviewer
    own = app.test_client()
    login(own, user)
    _secret, codes = _enrol(own, "/konto/tvastegs", clock)
    first, _answer = _password_step(app, user)
    used = _post(first, "/login/kod", code=codes[3].upper().replace("-", " "))
    assert used.status_code == 302 and _signed_in(first)
    assert "9 reservkoder kvar" in first.get("/konto").get_data(as_text=True)
    second, _answer = _password_step(app, user)
    assert _post(second, "/login/kod", code=codes[3]).status_code == 422
    assert not _signed_in(second)


@pytest.mark.parametrize("store", ["memory", "redis"])
def test_wrong_codes_lock_the_second_step_on_the_server(app, staff, clock, store, request):
    if store == "redis":  # shared by every process, as in production with REDIS_URL
        app.config["LOGIN_LOCKOUT_REDIS_URL"] = request.getfixturevalue("redis_url")
        app.config["LOGIN_LOCKOUT_PREFIX"] = f"test-{uuid.uuid4().hex}:"
        app.extensions.pop("login_lockout", None)
    user = staff.facilitator
    own = app.test_client()
    login(own, user)
    secret, _codes = _enrol(own, "/konto/tvastegs", clock)
    clock.step()
    client, _answer = _password_step(app, user)
    wrong = "000000" if _code(secret, clock) != "000000" else "111111"
    statuses = [_post(client, "/login/kod", code=wrong).status_code for _ in range(5)]
    assert statuses == [422, 422, 422, 422, 429]
    # Locked: the right code waits too, from this browser or a fresh password step.
    assert _post(client, "/login/kod", code=_code(secret, clock)).status_code == 429
    fresh, _answer = _password_step(app, user)
    assert _post(fresh, "/login/kod", code=_code(secret, clock)).status_code == 429
    assert not _signed_in(fresh)
    assert type(lockout.store_for(app)).__name__ == ("RedisStore" if store == "redis"
                                                      else "MemoryStore")


def test_the_second_step_without_a_password_first_goes_back_to_login(client):
    assert client.get("/login/kod").headers["Location"].endswith("/login")
    assert client.get("/login/tvastegs").headers["Location"].endswith("/login")


def test_an_admin_in_require_mfa_roles_sets_it_up_before_anything_else(app, staff, clock):
    app.config["REQUIRE_MFA_ROLES"] = ("admin",)
    client, answer = _password_step(app, staff.admin)
    assert answer.headers["Location"].endswith("/login/tvastegs")
    assert not _signed_in(client)
    assert client.get("/admin/konton").status_code == 302
    _secret, _codes = _enrol(client, "/login/tvastegs", clock)
    assert _signed_in(client) and client.get("/admin/konton").status_code == 200
    # A facilitator is not in the list: the password is enough.
    other, answer = _password_step(app, staff.facilitator)
    assert answer.status_code == 302 and _signed_in(other)


def test_a_session_from_before_the_requirement_stops_until_it_is_set_up(app, staff):
    client, _answer = _password_step(app, staff.admin)
    assert _signed_in(client)
    app.config["REQUIRE_MFA_ROLES"] = ("admin",)
    assert not _signed_in(client)
    assert client.get("/api/v1/audit").status_code == 401


def test_turning_it_off_needs_the_password_and_is_refused_to_a_required_role(
        app, staff, clock):
    user = staff.facilitator
    client = app.test_client()
    login(client, user)
    _enrol(client, "/konto/tvastegs", clock)
    page = client.get("/konto").get_data(as_text=True)
    refused = client.post("/konto/tvastegs/av", data={"csrf_token": csrf_from(page),
                                                      "off-password": "fel lösenord här"})
    assert refused.status_code == 422
    app.config["REQUIRE_MFA_ROLES"] = ("facilitator",)
    forbidden = client.post("/konto/tvastegs/av", data={"csrf_token": csrf_from(page),
                                                        "off-password": PASSWORD})
    assert forbidden.status_code == 403
    app.config["REQUIRE_MFA_ROLES"] = ()
    done = client.post("/konto/tvastegs/av", data={"csrf_token": csrf_from(page),
                                                   "off-password": PASSWORD})
    assert done.status_code == 303
    db.session.remove()
    assert not db.session.get(User, user.id).totp_enabled
    assert login(app.test_client(), user).status_code == 302  # the password alone again
