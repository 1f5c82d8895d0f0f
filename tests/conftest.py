"""Shared fixtures: an in-process app per test, and the real server process for live tests."""

import contextvars
import os
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import delete

os.environ.setdefault("SOCKETIO_ASYNC_MODE", "threading")

from participation import create_app  # noqa: E402
from participation.accounts.models import User  # noqa: E402
from participation.accounts.operations import create_or_update_user  # noqa: E402
from participation.accounts.tokens import issue_token  # noqa: E402
from participation.events.operations import create_event  # noqa: E402
from participation.extensions import db  # noqa: E402
from participation.ops.models import StaffAudit  # noqa: E402

from .support.live import LiveServer  # noqa: E402
from .support.required import missing  # noqa: E402
from .support.topology import behind_nginx, ensure_database, fresh_database  # noqa: E402

# Staff passwords are hashed in every test's fixture; the production work factor would dominate.
_models = __import__("participation.accounts.models", fromlist=["generate_password_hash"])
_real_hash = _models.generate_password_hash
_models.generate_password_hash = lambda password: _real_hash(password, "pbkdf2:sha256:1000")

PASSWORD = "correct horse battery"


def isolated(func_, *args, **kwargs):
    """Run a request or a socket call in a fresh context: its own app context, g and session."""
    return contextvars.Context().run(func_, *args, **kwargs)


class IsolatedClient(FlaskClient):
    """Runs each request outside the test's own app context, as a real server would.

    Flask reuses an active app context for a request, so `g` (Flask-Login's cached user,
    Flask-Babel's locale) and the database session would leak between requests otherwise.
    """

    def open(self, *args, **kwargs):
        return isolated(super().open, *args, **kwargs)


def make_app(database_url: str, **overrides):
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SOCKETIO_ASYNC_MODE": "threading",
        "REALTIME_COALESCE_SECONDS": 0,
        "SECRET_KEY": "test-secret",
        "PUBLIC_BASE_URL": "http://testserver",
        "SQLALCHEMY_ENGINE_OPTIONS": (
            {"connect_args": {"timeout": 15, "check_same_thread": False}}
            if database_url.startswith("sqlite") else {"pool_pre_ping": True}
        ),
        # Limits are off except where tests/test_rate_limits.py turns them on.
        "RATELIMIT_ENABLED": False,
        "SOCKET_RATELIMIT_ENABLED": False,
        # Admins log in with a password alone, except where tests/test_second_factor.py
        # requires the second factor (the production default: REQUIRE_MFA_ROLES=admin).
        "REQUIRE_MFA_ROLES": (),
        **overrides,
    })
    app.test_client_class = IsolatedClient
    return app


def app_on_sqlite(path, **overrides):
    """An app with `overrides` on a new SQLite file, its tables made, in its app context:
    for an `app` fixture (a test module may override it with its own settings)."""
    app = make_app(f"sqlite:///{path}", **overrides)
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(tmp_path):
    yield from app_on_sqlite(tmp_path / "test.db")


@pytest.fixture
def client(app):
    return app.test_client()


class Staff:
    """The staff accounts every test can use, with API tokens."""

    def __init__(self):
        self.facilitator = create_or_update_user("fac@example.se", "facilitator", PASSWORD)
        self.other = create_or_update_user("other@example.se", "facilitator", PASSWORD)
        self.reviewer = create_or_update_user("rev@example.se", "reviewer", PASSWORD)
        self.admin = create_or_update_user("admin@example.se", "admin", PASSWORD)
        self.tokens = {u.email: issue_token(u, "Test")[0] for u in
                       (self.facilitator, self.other, self.reviewer, self.admin)}
        # These are the fixture's setup, not staff actions: every test's audit log starts empty.
        db.session.execute(delete(StaffAudit))
        db.session.commit()

    def auth(self, user: User) -> dict:
        return {"Authorization": f"Bearer {self.tokens[user.email]}"}


@pytest.fixture
def current_app_fixture(request):
    """Whichever app the test asked for: `app` (SQLite) or `any_db_app` (SQLite and PostgreSQL)."""
    name = "any_db_app" if "any_db_app" in request.fixturenames else "app"
    return request.getfixturevalue(name)


@pytest.fixture
def staff(current_app_fixture):
    return Staff()


@pytest.fixture
def make_event(staff):
    def make(voting=None, phase=None, **kwargs):
        from participation.events.operations import change_phase

        event = create_event(
            kwargs.pop("user", staff.facilitator),
            kwargs.pop("title", "Verkstad"),
            kwargs.pop("prompt", "Hur reser vi hållbart?"),
            kwargs.pop("kind", "medborgarverkstad"),
            voting or {"method": "approval"},
            kwargs.pop("focus_areas", ["Modig mobilitet", "Smart samskapande"]),
            kwargs.pop("moderation", "post"),
            **kwargs,
        )
        order = ["lobby", "collect", "vote", "results", "closed"]
        if phase:
            for step in order[1: order.index(phase) + 1]:
                change_phase(staff.facilitator if event.created_by_id == staff.facilitator.id
                             else db.session.get(User, event.created_by_id), event.id, step)
        return db.session.get(type(event), event.id)

    return make


CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_META.search(html)
    assert match, "page has no csrf-token meta tag"
    return match.group(1)


def join(client, event) -> str:
    """Open /j/<code> like a phone and return the page's CSRF token."""
    response = client.get(f"/j/{event.code}")
    assert response.status_code == 200
    return csrf_from(response.get_data(as_text=True))


def login(client, user, password=PASSWORD):
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return client.post("/login", data={"email": user.email, "password": password,
                                       "csrf_token": token})


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("live"))
    server.start()
    yield server
    server.stop()


def postgres_url() -> str:
    """TEST_POSTGRES_URL: the test is skipped without it, but under CI its absence fails."""
    return os.environ.get("TEST_POSTGRES_URL") or missing(
        "TEST_POSTGRES_URL is not set (the PostgreSQL path)")


@pytest.fixture(scope="session")
def redis_url() -> str:
    """TEST_REDIS_URL: skipped without it, but under CI its absence fails the run."""
    url = os.environ.get("TEST_REDIS_URL") or missing("TEST_REDIS_URL is not set (the Redis path)")
    import redis

    redis.Redis.from_url(url).ping()  # a Redis that does not answer fails here, loudly
    return url


@pytest.fixture(params=["sqlite", "postgres"])
def any_db_app(request, tmp_path):
    """The same test on the embedded SQLite and on PostgreSQL (TEST_POSTGRES_URL)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
    else:
        url = postgres_url()
        ensure_database(url)
    app = make_app(url)
    with app.app_context():
        db.drop_all()
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def room(app, make_event, staff):
    from .support.sockets import room_fixture

    yield from room_fixture(app, make_event, staff)


@pytest.fixture(scope="session")
def topology(tmp_path_factory):
    """Two server processes behind nginx on PostgreSQL and Redis (deploy/): started once for
    tests/test_multiprocess.py and tests/test_rolling_restart.py (which restarts them, each
    one coming back on its port with the same database and key)."""
    import redis

    from .support.nginx import nginx_binary

    binary = nginx_binary()
    if binary is None:
        missing("nginx is not installed (apt-get install nginx) for the multi-process topology")
    redis_url = os.environ.get("TEST_REDIS_URL") or missing(
        "TEST_REDIS_URL is not set for the multi-process topology")
    redis.Redis.from_url(redis_url).ping()  # a missing Redis fails here, loudly
    base = postgres_url()
    database = fresh_database(base, "multiprocess")
    with behind_nginx(binary, tmp_path_factory.mktemp("topology"), database,
                      redis_url) as (proxy, servers):
        yield proxy, servers
