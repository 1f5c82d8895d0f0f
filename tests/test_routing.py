"""The routing cookie nginx hashes on (core/routing.py), in-process: set once, random, inert."""

import pytest


@pytest.fixture
def routed(tmp_path):
    return make_app_with(tmp_path, LB_COOKIE="lb", SERVER_NAME_TAG="proc-a")


def make_app_with(tmp_path, **config):
    from participation import create_app

    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'r.db'}",
                       "SOCKETIO_ASYNC_MODE": "threading", "SECRET_KEY": "t", **config})


def _routing_cookies(response):
    return [c for c in response.headers.getlist("Set-Cookie") if c.startswith("lb=")]


def test_the_first_answer_sets_a_random_httponly_lax_cookie(routed):
    first, second = routed.test_client(), routed.test_client()
    cookies = [_routing_cookies(c.get("/healthz")) for c in (first, second)]
    assert all(len(found) == 1 for found in cookies)
    header = cookies[0][0]
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Path=/" in header
    assert cookies[0][0].split(";")[0] != cookies[1][0].split(";")[0]  # random per browser
    assert len(header.split(";")[0]) == len("lb=") + 16
    # Sent back, it is kept: no new cookie, so the phone stays on its process.
    assert _routing_cookies(first.get("/healthz")) == []


def test_socket_io_polling_answers_carry_it_too(routed):
    response = routed.test_client().get("/socket.io/?EIO=4&transport=polling")
    assert response.status_code == 200
    assert len(_routing_cookies(response)) == 1
    assert response.headers["X-Served-By"] == "proc-a"


def test_off_by_default(app, client):
    response = client.get("/healthz")
    assert _routing_cookies(response) == [] and "X-Served-By" not in response.headers


def test_secure_follows_the_session_cookie(tmp_path):
    app = make_app_with(tmp_path, LB_COOKIE="lb", SESSION_COOKIE_SECURE=True)
    assert "Secure" in _routing_cookies(app.test_client().get("/healthz"))[0]
