"""The limit of our stack: python-socketio on gevent speaking the bench's protocol, nothing else.

    PORT=5099 .venv/bin/python -m bench.bare_server

No database, no Flask, no rules: the HTTP routes bench/phones.py uses (create an event, set its
phase, log in, open the join page) and the socket events (connect → snapshot, submit_proposal,
vote and withdraw_vote → ack with a version, coalesced `tallies` to staff ten times a second),
all in memory. `python -m bench.phones --bare` runs the same load against it, so our figures
can be read as a ratio to this one.
"""

from gevent import monkey

monkey.patch_all()

import itertools  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
from collections import Counter  # noqa: E402

import socketio  # noqa: E402
from gevent import pywsgi  # noqa: E402
from geventwebsocket.handler import WebSocketHandler  # noqa: E402

sio = socketio.Server(async_mode="gevent", cors_allowed_origins=None)
events: dict[int, dict] = {}
ids = itertools.count(1)
dirty: set[int] = set()
PAGE = ('<html><head><meta name="csrf-token" content="bare"></head><body>'
        '<input id="csrf_token" name="csrf_token" type="hidden" value="bare"></body></html>')


def _json(start_response, status, body):
    start_response(status, [("Content-Type", "application/json")])
    return [json.dumps(body).encode()]


def http(environ, start_response):
    path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
    if method == "POST" and path == "/api/v1/events":
        event_id = next(ids)
        events[event_id] = {"version": 1, "phase": "lobby", "proposals": [], "votes": Counter()}
        return _json(start_response, "201 Created", {"id": event_id, "code": f"B{event_id}"})
    if method == "POST" and (match := re.fullmatch(r"/api/v1/events/(\d+)/phase", path)):
        body = json.loads(environ["wsgi.input"].read() or b"{}")
        event = events[int(match.group(1))]
        event["phase"], event["version"] = body.get("phase"), event["version"] + 1
        return _json(start_response, "200 OK", {"version": event["version"]})
    if path == "/healthz":
        return _json(start_response, "200 OK", {"status": "ok"})
    # /login, /events, /j/<code>: a page with the token the bench reads.
    start_response("200 OK", [("Content-Type", "text/html"), ("Set-Cookie", "session=bare")])
    return [PAGE.encode()]


@sio.event
def connect(sid, environ, auth):
    event_id = (auth or {}).get("event")
    event = events.get(event_id)
    if event is None:
        return False
    staff = bool((auth or {}).get("projector"))
    sio.enter_room(sid, f"event:{event_id}")
    if staff:
        sio.enter_room(sid, f"event:{event_id}:staff")
    sio.save_session(sid, {"event": event_id})
    sio.emit("snapshot", {"version": event["version"], "event": {"id": event_id,
             "phase": event["phase"]}, "proposals": event["proposals"]}, to=sid)


@sio.event
def submit_proposal(sid, data):
    event_id = sio.get_session(sid)["event"]
    event = events[event_id]
    event["version"] += 1
    proposal = {"id": next(ids), "title": data.get("title")}
    event["proposals"].append(proposal)
    sio.emit("proposal", {"version": event["version"], "proposal": proposal},
             to=f"event:{event_id}")
    return {"ok": True, "proposal": proposal, "version": event["version"]}


@sio.event
def vote(sid, data):
    event_id = sio.get_session(sid)["event"]
    event = events[event_id]
    event["version"] += 1
    event["votes"][data.get("proposal_id")] += 1
    dirty.add(event_id)
    return {"ok": True, "proposal_id": data.get("proposal_id"), "version": event["version"],
            "ballot": {"spent": 1}}


@sio.event
def withdraw_vote(sid, data):
    event_id = sio.get_session(sid)["event"]
    event = events[event_id]
    event["version"] += 1
    event["votes"][data.get("proposal_id")] -= 1
    dirty.add(event_id)
    return {"ok": True, "proposal_id": data.get("proposal_id"), "version": event["version"],
            "ballot": {"spent": 0}}


def flush_tallies():
    while True:
        sio.sleep(0.1)
        for event_id in list(dirty):
            dirty.discard(event_id)
            event = events[event_id]
            sio.emit("tallies", {"version": event["version"], "tallies": {
                str(k): {"votes": v} for k, v in event["votes"].items()}},
                to=f"event:{event_id}:staff")


if __name__ == "__main__":
    sio.start_background_task(flush_tallies)
    port = int(os.environ.get("PORT", "5099"))
    print(f"bare server on 127.0.0.1:{port}", flush=True)
    pywsgi.WSGIServer(("127.0.0.1", port), socketio.WSGIApp(sio, http),
                      handler_class=WebSocketHandler, log=None).serve_forever()
