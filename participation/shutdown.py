"""Serve with gevent until SIGTERM, then stop without dropping anyone's write.

A rolling restart (docs/deploy.md, "Upgrading") stops one process at a time. On SIGTERM (or
Ctrl-C) the process:

1. stops accepting connections (the listening socket closes, so nginx's next connect is refused
   and goes to another process) and reports "draining" on /healthz/ready;
2. stops counting its phones as present (their Redis entry goes at once, not after its TTL)
   and pushes the new count to every console;
3. closes each socket as soon as nothing it sent is still being answered, at the Engine.IO
   level, which clients treat as a lost connection: they reconnect (through nginx, to another
   process), get a snapshot, and send again whatever was not acknowledged, with its client_id;
4. waits until every HTTP request and socket command in flight has been answered (a write is
   committed, then acknowledged), at most DRAIN_SECONDS, flushes the last coalesced pushes,
   and exits 0. A second SIGTERM or Ctrl-C exits at once.
"""

import logging
import os
import signal
import time

import gevent
from gevent import pywsgi

from .live.socket.connections import connections
from .live.socket.relay import relay
from .web.draining import drain

logger = logging.getLogger("participation.shutdown")
POLL_SECONDS = 0.02


def _handler_class():
    try:
        from geventwebsocket.handler import WebSocketHandler
    except ImportError:  # WebSocket then comes from simple-websocket, in Engine.IO itself
        return pywsgi.WSGIHandler
    return WebSocketHandler


def _close_sockets(socketio, deadline: float) -> int:
    """Close every socket once nothing it sent is being answered; how many were closed."""
    server = socketio.server
    closed = 0
    while connections and time.monotonic() < deadline:
        for sid in list(connections):
            if drain.busy(sid):
                continue
            eio_sid = server.manager.eio_sid_from_sid(sid, "/")
            transport = server.eio.sockets.pop(eio_sid, None) if eio_sid else None
            if transport is None:
                connections.pop(sid, None)
                continue
            # The transport is cut, as a lost network would cut it: socket.io-client and
            # python-socketio reconnect after that, but not after a Socket.IO disconnect or
            # Engine.IO's close packet (both mean "do not come back"). close() still sends
            # what is queued first (an ack just made); the disconnect handler runs in it.
            transport.close(wait=True, abort=True, reason=server.eio.reason.TRANSPORT_CLOSE)
            closed += 1
        if connections:
            gevent.sleep(POLL_SECONDS)
    return closed


def _wait_for_answers(deadline: float) -> None:
    while (drain.http_in_flight or drain.commands_in_flight) and time.monotonic() < deadline:
        gevent.sleep(POLL_SECONDS)


def _stop(app, socketio, server) -> None:
    drain.begin()
    started = time.monotonic()
    deadline = started + app.config["DRAIN_SECONDS"]
    server.close()  # no new connections: nginx sends them to another process
    in_flight = drain.http_in_flight + drain.commands_in_flight
    sockets = len(connections)
    logger.warning("SIGTERM: draining (%s requests and commands in flight, %s sockets)",
                   in_flight, sockets, extra={"in_flight": in_flight, "sockets": sockets})
    relay.leave()
    closed = _close_sockets(socketio, deadline)
    _wait_for_answers(deadline)
    relay.drain()  # the last coalesced tallies, themes and counts
    left = drain.http_in_flight + drain.commands_in_flight
    seconds = round(time.monotonic() - started, 3)
    logger.warning("drained in %ss: %s sockets closed, %s left unanswered", seconds, closed,
                   left, extra={"drain_seconds": seconds, "sockets_closed": closed,
                                "unanswered": left})


def serve_until_stopped(app, socketio, host: str, port: int) -> None:
    server = pywsgi.WSGIServer((host, port), app, handler_class=_handler_class(),
                               log="default" if app.config["ACCESS_LOG"] else None)
    stopping = []

    def on_signal():
        if stopping:  # the second signal: no more waiting
            logger.warning("second stop signal: exiting without draining")
            os._exit(1)
        stopping.append(gevent.spawn(_stop, app, socketio, server))

    for number in (signal.SIGTERM, signal.SIGINT):
        gevent.signal_handler(number, on_signal)
    server.serve_forever()  # returns once _stop has closed the listener
    for greenlet in stopping:
        greenlet.join()
