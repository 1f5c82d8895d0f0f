"""Deeply nested JSON on REST and Socket.IO: a clean refusal, never a RecursionError.

Unit tests of participation/core/jsonsafe.py, then through the wired app: Flask's JSON provider
(request.get_json) and the `json=` module of python-socketio and python-engineio.
"""

import json
import time

import pytest
from engineio import json as engineio_json
from engineio import packet as eio_packet
from engineio import socket as eio_socket
from socketio import packet as sio_packet

from participation.core import jsonsafe
from participation.core.errors import OperationError
from participation.core.jsonsafe import (
    DEPTH_LIMIT,
    REFUSED,
    SafeJSONProvider,
    SocketJSON,
    TooDeep,
    check_depth,
    decode_body,
    nesting_depth,
    too_deep,
)
from participation.extensions import socketio

from .support.sockets import new_id

DEEP = 5000


def arrays(depth: int) -> str:
    return "[" * depth + "]" * depth


def objects(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


def nested_list(depth: int) -> list:
    """A Python list `depth` deep, built without recursion."""
    root = node = []
    for _ in range(depth - 1):
        node.append([])
        node = node[0]
    return root


# --- the raw scan -------------------------------------------------------------------------

@pytest.mark.parametrize("text, depth", [
    ("", 0), ("1", 0), ('"[[[["', 0), ("[]", 1), ("{}", 1), ('{"a": [1, {"b": []}]}', 4),
    ('[[1], [2], [[3]]]', 3), ('{"t": "]]]]"}', 1), ('{"t": "{{{{"}', 1),
    (r'{"t": "a \" [[[[ \\"}', 1), (r'{"t": "\\", "u": [[]]}', 3), (r'["\\\"[[["]', 1),
    ('{"t": "å [ 🚲 \u2028"}', 1), (arrays(40), 40), (objects(40), 40),
])
def test_nesting_depth_counts_brackets_outside_strings(text, depth):
    assert nesting_depth(text) == depth


def test_an_unclosed_string_hides_nothing_json_would_parse():
    # json.loads stops at the unclosed string: nothing after its quote is ever nested into.
    assert nesting_depth('[[ "abc' + "[" * 100) == 2
    with pytest.raises(ValueError):
        json.loads('[[ "abc' + "[" * 100)


def test_the_limit_is_inclusive():
    assert not too_deep(arrays(DEPTH_LIMIT)) and not too_deep(objects(DEPTH_LIMIT))
    assert too_deep(arrays(DEPTH_LIMIT + 1)) and too_deep(objects(DEPTH_LIMIT + 1))
    mixed = "[{" * 17 + "}]" * 17  # 34 deep, no two openers of a kind in a row
    assert too_deep(mixed) and nesting_depth(mixed) == 34
    steps = "[[]" * 40  # never two closers: climbs one level every three characters
    assert too_deep(steps)


@pytest.mark.parametrize("text", [arrays(DEEP), objects(DEEP), "[" * DEEP, "{" * DEEP,
                                  '{"a":' * DEEP, "[{" * DEEP, "[[]" * DEEP])
def test_loads_refuses_deep_text_with_a_value_error(text):
    with pytest.raises(TooDeep) as caught:
        jsonsafe.loads(text)
    assert isinstance(caught.value, ValueError)
    with pytest.raises(TooDeep):
        jsonsafe.loads(text.encode())


NORMAL = [
    {"title": "Grönare skolgårdar", "body": "Mer träd.\nOch buskar.", "client_id": "abc12345"},
    {"voting": {"method": "dots", "dots": 5}, "focus_areas": ["Mobilitet"], "questions": []},
    {"t": "[[[[{{{{" * 1000, "u": "\\\"]]]" * 100, "emoji": "👩‍👩‍👧‍👦", "n": None, "x": -1.5e3},
    [1, 2.5, True, False, None, "s"],
    "plain string", 42, None,
    {"big": list(range(5000)), "objects": [{"a": i, "b": [i]} for i in range(2000)]},
    json.loads(arrays(DEPTH_LIMIT)),
]


@pytest.mark.parametrize("value", NORMAL, ids=range(len(NORMAL)))
def test_normal_bodies_decode_exactly_as_json_loads(value):
    for text in (json.dumps(value), json.dumps(value, ensure_ascii=False, indent=2)):
        assert jsonsafe.loads(text) == json.loads(text)
        for encoding in ("utf-8", "utf-16", "utf-32"):
            assert jsonsafe.loads(text.encode(encoding)) == json.loads(text.encode(encoding))
        assert SocketJSON.loads(text) == engineio_json.loads(text)


def test_broken_bodies_fail_as_json_loads_does():
    for raw in (b'{"title": "\xff\xfe T\xe5g"}', b'{"title": "T', b"", b"{,}", "\ufeff{}",
                '{"a": NaN}'):
        try:
            expected = json.loads(raw)
        except ValueError as error:
            with pytest.raises(type(error)):
                jsonsafe.loads(raw)
        else:
            got = jsonsafe.loads(raw)
            assert got == expected or (got != got and expected != expected)  # NaN


def test_the_depth_scan_of_a_64_kib_body_costs_about_a_json_loads():
    size = 64 * 1024
    bodies = {
        "text": json.dumps({"title": "Tåg", "body": "å" * (size - 40)}, ensure_ascii=False),
        "small objects": json.dumps([{"a": 1, "b": [2]} for _ in range(size // 20)]),
        "deep": "[" * size,
        "steps": "[[]" * (size // 3),
    }
    for name, text in bodies.items():
        started = time.perf_counter()
        for _ in range(10):
            too_deep(text)
        # ~2 ms at worst on the development machine; generous for a busy shared one.
        assert (time.perf_counter() - started) / 10 < 0.05, name


# --- decoded values -------------------------------------------------------------------------

def test_check_depth_walks_deep_values_without_recursion():
    assert check_depth(nested_list(DEPTH_LIMIT)) == nested_list(DEPTH_LIMIT)
    for value in (nested_list(DEPTH_LIMIT + 1), nested_list(100_000)):
        with pytest.raises(OperationError) as caught:
            check_depth(value)
        assert (caught.value.code, caught.value.status) == ("invalid_json", 400)
    deep_dict = {}
    node = deep_dict
    for _ in range(DEEP):
        node["a"] = {}
        node = node["a"]
    with pytest.raises(OperationError):
        check_depth(deep_dict)


def test_check_depth_counts_values():
    assert check_depth(list(range(10_000))) and check_depth({"a": list(range(9_999))})
    too_many = (list(range(10_001)), [[1] * 5000, [2] * 5000], {str(i): i for i in range(10_001)})
    for value in too_many:
        with pytest.raises(OperationError) as caught:
            check_depth(value)
        assert caught.value.code == "invalid_json"
    assert check_depth(list(range(100)), max_items=100)
    for scalar in ("text", 1, None, 1.5, True):
        assert check_depth(scalar) == scalar


def test_check_depth_ends_on_a_cycle():
    cycle: list = []
    cycle.append(cycle)
    with pytest.raises(OperationError):
        check_depth(cycle)


def test_decode_body(app):
    assert decode_body(b'{"title": "T\xc3\xa5g"}') == {"title": "Tåg"}
    assert decode_body(b"[1, 2]", object_only=False) == [1, 2]
    with app.test_request_context():
        for raw in (b"[1]", b'"x"', b"", b"{", b'{"t": "\xff"}', arrays(DEEP).encode(),
                    objects(DEEP).encode(), b"[" + b"1," * 10_001 + b"1]", None):
            with pytest.raises(OperationError) as caught:
                decode_body(raw)
            error = caught.value
            assert (error.code, error.status) == ("invalid_json", 400)
            assert str(error.message).startswith("Skicka ett JSON-objekt")
        with pytest.raises(OperationError) as caught:
            decode_body(objects(DEEP).encode())
        assert str(caught.value.message) == ("Skicka ett JSON-objekt som är nästlat högst 32 "
                                             "nivåer djupt.")


# --- the Socket.IO json module ---------------------------------------------------------------

def test_socket_json_keeps_engineio_guards_and_round_trips():
    payload = ["vote", {"proposal_id": 1, "client_id": "abc12345", "t": "å 🚲"}]
    assert SocketJSON.loads(SocketJSON.dumps(payload)) == payload
    with pytest.raises(ValueError):
        SocketJSON.loads("[" + "9" * 101 + "]")  # engine.io's 100-digit cap on integers


def test_socket_json_stands_in_for_deep_payloads():
    assert SocketJSON.loads('["submit_proposal",' + arrays(DEEP) + "]") == [
        "submit_proposal", REFUSED]
    assert SocketJSON.loads(' [ "vote" , ' + objects(DEEP) + ', 1]') == ["vote", REFUSED]
    assert SocketJSON.loads(objects(DEEP)) is REFUSED
    assert not REFUSED and not isinstance(REFUSED, dict)
    with pytest.raises(TooDeep):
        SocketJSON.loads(arrays(DEEP))


def test_deep_packets_decode_in_both_protocol_layers():
    with pytest.raises(RecursionError):  # what the libraries do on their own
        json.loads(arrays(DEEP))
    old = sio_packet.Packet.json, eio_packet.Packet.json
    sio_packet.Packet.json = eio_packet.Packet.json = SocketJSON
    try:
        pkt = sio_packet.Packet(encoded_packet='21["vote",' + objects(DEEP) + "]")
        assert (pkt.id, pkt.data) == (1, ["vote", REFUSED])
        # Engine.IO tries JSON on a message that does not start with a digit; a ValueError
        # keeps the raw text, as for any other text.
        raw = "4" + arrays(DEEP)
        assert eio_packet.Packet(encoded_packet=raw).data == raw[1:]
    finally:
        sio_packet.Packet.json, eio_packet.Packet.json = old


def test_a_deep_engineio_message_no_longer_drops_the_websocket():
    import engineio

    previous = eio_packet.Packet.json  # the json= of a Server is global to engine.io
    server = engineio.Server(async_mode="threading", json=SocketJSON)
    seen = []
    server.on("message", lambda sid, data: seen.append(data))
    socket = eio_socket.Socket(server, "sid")
    server.sockets["sid"] = socket
    frames = iter(["4first", "4" + arrays(DEEP), "4after"])

    class FakeWebSocket:
        def wait(self):
            return next(frames, None)

        def send(self, data):
            pass

        def close(self):
            pass

    try:
        socket._websocket_handler(FakeWebSocket())  # RecursionError escaped here before
    finally:
        eio_packet.Packet.json = previous
    assert seen == ["first", arrays(DEEP), "after"]
    assert socket.closed  # closed the orderly way, when the client went


# --- through the app ------------------------------------------------------------------------

def test_the_app_is_wired(app):
    assert isinstance(app.json, SafeJSONProvider)
    assert socketio.server.packet_class.json is SocketJSON
    assert eio_packet.Packet.json is SocketJSON


@pytest.mark.parametrize("body", [arrays(DEEP), objects(DEEP), '{"title": ' + arrays(DEEP) + "}",
                                  "[" * 60_000])
def test_rest_answers_a_deep_body_with_invalid_json(client, staff, make_event, body):
    event = make_event(phase="collect")
    headers = staff.auth(staff.facilitator)
    response = client.post(f"/api/v1/events/{event.id}/paper-proposals", data=body,
                           content_type="application/json", headers=headers)
    assert response.status_code == 400
    assert response.get_json() == {"error": "invalid_json", "message": "Skicka ett JSON-objekt."}
    # The routes that read request.get_json themselves treat it like any broken body.
    for method, url in (("DELETE", "/api/v1/merges/1"),
                        ("POST", "/api/v1/proposals/1/restore")):
        response = client.open(url, method=method, data=body, content_type="application/json",
                               headers=headers)
        assert response.status_code < 500, (url, response.status_code)


def test_rest_takes_normal_bodies_as_before(client, staff, make_event):
    event = make_event(phase="collect")
    body = {"title": "Fler [cykel]{banor}", "body": "[[[[" * 100}
    response = client.post(f"/api/v1/events/{event.id}/paper-proposals",
                           data=json.dumps(body), content_type="application/json",
                           headers=staff.auth(staff.facilitator))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["proposal"]["title"] == body["title"]


def send_raw(socket, encoded: str, through_engineio: bool = False):
    """Send an encoded Socket.IO packet as the server would receive it; return the ack."""
    from .conftest import isolated

    client = socket.client
    client.acks = None
    server = socketio.server
    if through_engineio:  # how a real server dispatches: errors logged and swallowed there
        isolated(server.eio._trigger_event, "message", client.eio_sid, encoded, run_async=False)
    else:
        isolated(server._handle_eio_message, client.eio_sid, encoded)
    return client.acks and client.acks["args"][0]


@pytest.mark.parametrize("through_engineio", [False, True], ids=["direct", "engineio"])
def test_a_deep_socket_event_gets_a_clean_refusal_in_its_ack(room, through_engineio):
    workshop = room()
    phone = workshop.phone()
    for data in (arrays(DEEP), objects(DEEP), '{"title": ' + arrays(DEEP) + "}"):
        ack = send_raw(phone, f'27["submit_proposal",{data}]', through_engineio)
        assert ack == {"ok": False, "error": "invalid_payload",
                       "message": "Meddelandet måste vara ett objekt."}
    assert phone.connected
    ack = phone.call("submit_proposal", {"title": "Fler cykelbanor", "client_id": new_id()})
    assert ack["ok"], ack


def test_a_deep_connect_is_refused_not_left_hanging(room, app):
    from .conftest import csrf_from, isolated

    workshop = room()
    http = app.test_client()
    csrf = csrf_from(http.get(f"/j/{workshop.code}").get_data(as_text=True))
    client = isolated(socketio.test_client, app, flask_test_client=http,
                      auth={"csrf_token": csrf, "event": workshop.id})
    assert client.is_connected()
    isolated(client.disconnect)
    refused = []
    server = socketio.server
    original = server._send_packet

    def capture(eio_sid, pkt):
        if eio_sid == client.eio_sid:
            refused.append(pkt)
        return original(eio_sid, pkt)

    server._send_packet = capture
    try:
        isolated(server._handle_eio_message, client.eio_sid, "0" + objects(DEEP))
    finally:
        server._send_packet = original
    assert [p.packet_type for p in refused] == [sio_packet.CONNECT_ERROR]
    assert refused[0].data["data"]["error"] == "csrf_failed"


def test_our_deepest_payloads_stay_far_below_the_limit(room):
    """The relay's Redis messages go through the same loads: a snapshot must never reach it."""
    workshop = room(voting={"method": "dots", "dots": 5, "max_per_proposal": 3})
    desk, phone = workshop.facilitator(), workshop.phone()
    ids = [workshop.propose(phone, title=f"Förslag {n}") for n in range(3)]
    workshop.to("vote")
    for proposal_id in ids:
        assert phone.call("vote", {"proposal_id": proposal_id, "client_id": new_id()})["ok"]
    for socket in (desk, phone):
        state = socket.call("snapshot", {})
        envelope = {"method": "emit", "event": "snapshot", "data": [state], "room": "r"}
        assert nesting_depth(json.dumps(envelope)) <= DEPTH_LIMIT // 2
        for pushed in socket.received():
            assert nesting_depth(json.dumps(pushed)) <= DEPTH_LIMIT // 2


def test_loads_refuses_what_json_loads_refuses_by_type():
    for value in (None, 1, ["[]"]):
        with pytest.raises(TypeError):
            json.loads(value)
        with pytest.raises(TypeError):
            jsonsafe.loads(value)
