"""Serve with gevent until SIGTERM, then stop without dropping anyone's write.

A rolling restart (docs/deploy.md, "Upgrading") stops one process at a time. On SIGTERM (or
Ctrl-C) the process:

1. stops accepting connections: the connections already waiting in the listen queue are
   accepted and answered (closing the listener would reset them, and nginx cannot resend a
   POST it has sent), then the listener closes, so nginx's next connect is refused and goes
   to another process; /healthz/ready says "draining";
2. stops counting its phones as present (their Redis entry goes at once, not after its TTL)
   and pushes the new count to every console;
3. closes each socket as soon as nothing it sent is still being answered, by cutting its
   transport, which clients treat as a lost connection: they reconnect (through nginx, to
   another process), get a snapshot, and send again whatever was not acknowledged, with its
   client_id;
4. waits until every request in flight has been answered (a write is committed, then
   acknowledged), at most DRAIN_SECONDS in all, flushes the last coalesced pushes, and exits
   0. A second SIGTERM or Ctrl-C exits at once.
"""

import logging
import os
import signal
import time

import gevent
from gevent import pywsgi

from .live.socket.connections import connections
from .live.socket.relay import relay
from .web.draining import counted_handler, drain

logger = logging.getLogger("participation.shutdown")
POLL_SECONDS = 0.02
# A connection accepted in the last instant may not have sent its request yet (nginx writes it
# right after the connect): this long for its first bytes, after which it counts as in flight.
ARRIVAL_SECONDS = 0.2


def _handler_class():
    try:
        from geventwebsocket.handler import WebSocketHandler
    except ImportError:  # WebSocket then comes from simple-websocket, in Engine.IO itself
        return counted_handler(pywsgi.WSGIHandler)
    return counted_handler(WebSocketHandler)


def _stop_listening(server) -> None:
    """Accept what is already queued on the listener and answer it, then close the listener."""
    server.stop_accepting()
    while True:
        try:
            accepted = server.do_read()
        except OSError:
            break
        if not accepted:
            break
        gevent.spawn(server.handle, *accepted)
    server.close()


def _close_transport(server, transport) -> None:
    # The transport is cut, as a lost network would cut it: socket.io-client and
    # python-socketio reconnect after that, but not after a Socket.IO disconnect or Engine.IO's
    # close packet (both mean "do not come back"). The disconnect handler runs in close().
    # On a WebSocket, close() waits until what is queued (an ack just made) is sent; a long
    # poll takes it with its answer, and no later poll comes to wait for.
    transport.close(wait=transport.upgraded, abort=True,
                    reason=server.eio.reason.TRANSPORT_CLOSE)


def _close_sockets(socketio, deadline: float) -> int:
    """Close every socket once nothing it sent is being answered; how many were closed."""
    server = socketio.server
    closing = []
    while connections and time.monotonic() < deadline:
        for sid in list(connections):
            if drain.busy(sid):
                continue
            eio_sid = server.manager.eio_sid_from_sid(sid, "/")
            transport = server.eio.sockets.pop(eio_sid, None) if eio_sid else None
            connections.pop(sid, None)
            if transport is not None:
                closing.append(gevent.spawn(_close_transport, server, transport))
        if connections:
            gevent.sleep(POLL_SECONDS)
    gevent.joinall(closing, timeout=max(0.0, deadline - time.monotonic()))
    return len(closing)


def _wait_for_answers(deadline: float) -> None:
    while (drain.requests_in_flight or drain.commands_in_flight) and time.monotonic() < deadline:
        gevent.sleep(POLL_SECONDS)


def _stop(app, socketio, server) -> None:
    drain.begin()
    started = time.monotonic()
    deadline = started + app.config["DRAIN_SECONDS"]
    try:
        _stop_listening(server)
        in_flight = drain.requests_in_flight + drain.commands_in_flight
        sockets = len(connections)
        logger.warning("SIGTERM: draining (%s requests and commands in flight, %s sockets)",
                       in_flight, sockets, extra={"in_flight": in_flight, "sockets": sockets})
        gevent.sleep(ARRIVAL_SECONDS)
        relay.leave()
        closed = _close_sockets(socketio, deadline)
        _wait_for_answers(deadline)
        relay.drain()  # the last coalesced tallies, themes and counts
    except Exception:  # whatever happens, the process must still exit
        logger.exception("graceful stop failed")
        closed = 0
    left = drain.requests_in_flight + drain.commands_in_flight
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
