"""Socket.IO events reuse the session their connection's cookie decoded (core/headers.py)."""

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request


def _signed_cookie(app, data: dict) -> str:
    return app.session_interface.signed.get_signing_serializer(app).dumps(data)


def _request(environ):
    return Request(environ)


def test_events_on_one_connection_each_get_a_copy_of_the_decoded_session(app, monkeypatch):
    interface = app.session_interface.signed
    name = interface.get_cookie_name(app)
    cookie = _signed_cookie(app, {"participants": [[1, "token-a"]], "current_event": 1})
    # One environ for the connection, as Flask-SocketIO keeps the handshake's for every event.
    environ = EnvironBuilder(path="/socket.io/", headers={"Cookie": f"{name}={cookie}"}
                             ).get_environ()
    first = interface.open_session(app, _request(environ))
    assert first["participants"] == [[1, "token-a"]]
    first["participants"].append([2, "changed-in-one-event"])

    decoded = []
    original = type(interface).__mro__[1].open_session
    monkeypatch.setattr(type(interface).__mro__[1], "open_session",
                        lambda self, app_, request_: decoded.append(1) or original(
                            self, app_, request_))
    second = interface.open_session(app, _request(environ))
    assert decoded == [], "the same cookie on the same connection is not decoded again"
    assert second["participants"] == [[1, "token-a"]], "an event's change leaks into no other"
    second["participants"].append([3, "changed-in-another-event"])
    second["current_event"] = 3
    third = interface.open_session(app, _request(environ))
    assert third == {"participants": [[1, "token-a"]], "current_event": 1}


def test_a_forged_or_other_cookie_is_still_verified(app):
    interface = app.session_interface.signed
    name = interface.get_cookie_name(app)
    environ = EnvironBuilder(path="/socket.io/", headers={
        "Cookie": f"{name}={_signed_cookie(app, {'current_event': 1})}"}).get_environ()
    assert interface.open_session(app, _request(environ))["current_event"] == 1
    # The same environ with a different, unsigned cookie: decoded (and refused) afresh.
    environ["HTTP_COOKIE"] = f"{name}=forged.value.here"
    assert "current_event" not in interface.open_session(app, _request(environ))


def test_the_cookie_is_verified_again_after_the_recheck_interval(app, monkeypatch):
    interface = app.session_interface.signed
    name = interface.get_cookie_name(app)
    environ = EnvironBuilder(path="/socket.io/", headers={
        "Cookie": f"{name}={_signed_cookie(app, {'current_event': 3})}"}).get_environ()
    interface.open_session(app, _request(environ))
    monkeypatch.setattr(type(interface), "SOCKET_SESSION_RECHECK", 0.0)
    decoded = []
    original = type(interface).__mro__[1].open_session
    monkeypatch.setattr(type(interface).__mro__[1], "open_session",
                        lambda self, app_, request_: decoded.append(1) or original(
                            self, app_, request_))
    assert interface.open_session(app, _request(environ))["current_event"] == 3
    assert decoded == [1]
