"""Socket connects are rate limited per address and per participant or staff account.

The shared test config turns socket limits off; here they are on and low. Each test lowers
the one limit it is about (the limits are read on every connect)."""

import pytest
from flask_socketio import ConnectionRefusedError

from participation.extensions import socketio
from participation.live.socket import connect as handlers
from participation.web.limits import client_address

from .conftest import IsolatedClient, app_on_sqlite, csrf_from, isolated, login

HIGH = 1000
NO_REFILL = 0.001  # within a test an empty bucket stays empty


@pytest.fixture
def app(tmp_path):
    for app in app_on_sqlite(tmp_path / "connects.db", SOCKET_RATELIMIT_ENABLED=True,
                             SOCKET_CONNECT_BURST_PER_IP=HIGH,
                             SOCKET_CONNECT_RATE_PER_IP=NO_REFILL,
                             SOCKET_CONNECT_BURST_PER_SESSION=HIGH,
                             SOCKET_CONNECT_RATE_PER_SESSION=NO_REFILL):
        assert issubclass(app.test_client_class, IsolatedClient)
        yield app


@pytest.fixture
def event(make_event):
    return make_event(phase="collect")


def joined(app, event):
    http = app.test_client()
    http.csrf = csrf_from(http.get(f"/j/{event.code}").get_data(as_text=True))
    return http


def connects(app, http, event, csrf=None, headers=None) -> bool:
    """One connect attempt: True if it was accepted (and it got its snapshot)."""
    client = isolated(socketio.test_client, app, flask_test_client=http, headers=headers,
                      auth={"csrf_token": csrf or http.csrf, "event": event.id})
    accepted = client.is_connected()
    assert accepted == any(p["name"] == "snapshot" for p in client.queue)
    if accepted:
        isolated(client.disconnect)
    return accepted


def test_one_browser_connecting_in_a_loop_is_refused_and_others_are_not(app, event):
    app.config["SOCKET_CONNECT_BURST_PER_SESSION"] = 3
    phone = joined(app, event)
    assert [connects(app, phone, event) for _ in range(4)] == [True, True, True, False]
    # The next phone behind the same address has its own bucket.
    assert connects(app, joined(app, event), event)
    # Refused connects joined no room and left no presence behind.
    assert handlers.relay.connected_total(event.id) == 0


def test_a_staff_account_has_one_bucket_across_its_browsers(app, event, staff):
    app.config["SOCKET_CONNECT_BURST_PER_SESSION"] = 2
    consoles = []
    for _ in range(3):
        http = app.test_client()
        assert login(http, staff.facilitator).status_code in (302, 303)
        http.csrf = csrf_from(http.get("/events").get_data(as_text=True))
        consoles.append(http)
    assert [connects(app, http, event) for http in consoles] == [True, True, False]
    assert connects(app, joined(app, event), event)  # residents are not held back by staff


def test_the_address_counts_every_attempt_of_every_phone(app, event):
    app.config["SOCKET_CONNECT_BURST_PER_IP"] = 3
    first = joined(app, event)
    assert not connects(app, first, event, csrf="forged")  # refused, but counted
    assert connects(app, first, event)
    assert connects(app, joined(app, event), event)
    assert not connects(app, joined(app, event), event)


def test_behind_a_proxy_the_forwarded_address_counts(app, event):
    app.config.update(SOCKET_CONNECT_BURST_PER_IP=1, PROXY_HOPS=1)
    venue = {"X-Forwarded-For": "203.0.113.7"}
    assert connects(app, joined(app, event), event, headers=venue)
    assert not connects(app, joined(app, event), event, headers=venue)
    # Another public address (a second venue, a phone on mobile data) is another bucket.
    assert connects(app, joined(app, event), event, headers={"X-Forwarded-For": "198.51.100.2"})


def test_without_a_trusted_proxy_a_forged_forwarded_for_does_not_help(app, event):
    app.config["SOCKET_CONNECT_BURST_PER_IP"] = 2
    answers = [connects(app, joined(app, event), event, headers={"X-Forwarded-For": f"10.0.0.{n}"})
               for n in range(3)]
    assert answers == [True, True, False]


def test_connect_limits_are_off_with_the_socket_limits(app, event):
    app.config.update(SOCKET_RATELIMIT_ENABLED=False, SOCKET_CONNECT_BURST_PER_IP=1,
                      SOCKET_CONNECT_BURST_PER_SESSION=1)
    phone = joined(app, event)
    assert all(connects(app, phone, event) for _ in range(4))


def test_the_refusal_says_how_long_to_wait_in_swedish_first(app):
    app.config.update(SOCKET_CONNECT_BURST_PER_IP=1, SOCKET_CONNECT_RATE_PER_IP=0.1)
    with app.test_request_context("/socket.io/"):
        with pytest.raises(ConnectionRefusedError) as first:
            handlers.on_connect({})
        assert first.value.error_args["data"]["error"] == "csrf_failed"  # the address allowed it
        with pytest.raises(ConnectionRefusedError) as limited:
            handlers.on_connect({})
    error = limited.value.error_args
    assert error["data"] == {"error": "rate_limited", "retry_after": 10}
    assert error["message"] == "För många anslutningar. Vänta 10 sekunder och ladda om sidan."


@pytest.mark.parametrize(("hops", "forwarded", "expected"), [
    (0, "203.0.113.7", "127.0.0.9"),  # no proxy trusted: the header is anyone's to forge
    (1, "10.1.1.1, 203.0.113.7", "203.0.113.7"),  # nginx appended the phone's address
    (2, "203.0.113.7, 10.0.0.2", "203.0.113.7"),  # a load balancer, then nginx
    (2, "203.0.113.7", "127.0.0.9"),  # fewer hops than configured: trust none of them
])
def test_the_socket_address_is_what_proxyfix_makes_of_it(app, hops, forwarded, expected):
    app.config["PROXY_HOPS"] = hops
    environ = {"REMOTE_ADDR": "127.0.0.9", "HTTP_X_FORWARDED_FOR": forwarded}
    assert client_address(environ) == expected
    assert environ["REMOTE_ADDR"] == "127.0.0.9"  # the socket's own environ is not changed
