"""A graceful stop: what this process still owes its clients after SIGTERM.

participation/serve.py turns SIGTERM into a drain. From then on readiness says "draining", every
HTTP answer closes its connection (nginx's next request opens a new one, which the closed
listener refuses, so nginx sends it to another process), and the stop waits until every HTTP
request and every Socket.IO command already being handled has been answered: a write in
flight is committed and acknowledged, never cut off.

Counted here: HTTP requests (`CountRequests`, around the whole WSGI call, body included) and
socket commands per socket id (live/socket/commands.py). Socket.IO's own transport requests
(the WebSocket, long polls) are not requests a client waits on for an answer: the drain closes
them itself, socket by socket, once that socket has nothing in flight.
"""

import threading
import time
from collections import Counter
from contextlib import contextmanager

from werkzeug.wsgi import ClosingIterator


class Drain:
    def __init__(self):
        self.draining = False
        self.began: float | None = None
        self._lock = threading.Lock()
        self._http = 0
        self._commands: Counter[str] = Counter()

    def begin(self) -> None:
        self.draining = True
        self.began = time.monotonic()

    # HTTP requests --------------------------------------------------------------------------
    def enter(self) -> None:
        with self._lock:
            self._http += 1

    def leave(self) -> None:
        with self._lock:
            self._http -= 1

    @property
    def http_in_flight(self) -> int:
        return self._http

    # Socket commands ------------------------------------------------------------------------
    @contextmanager
    def command(self, sid: str):
        """Around one socket command, its answer included (the ack is sent after this)."""
        with self._lock:
            self._commands[sid] += 1
        try:
            yield
        finally:
            with self._lock:
                self._commands[sid] -= 1
                if self._commands[sid] <= 0:
                    del self._commands[sid]

    def busy(self, sid: str) -> bool:
        return self._commands.get(sid, 0) > 0

    @property
    def commands_in_flight(self) -> int:
        return sum(self._commands.values())


drain = Drain()


class CountRequests:
    """WSGI middleware: counts the HTTP requests being answered and, while draining, makes each
    answer the last on its connection (gevent's server honours the app's Connection: close)."""

    def __init__(self, app, socketio_path: str = "/socket.io"):
        self.app = app
        self.socketio_path = socketio_path.rstrip("/") + "/"

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "").startswith(self.socketio_path):
            return self.app(environ, start_response)

        def starting(status, headers, exc_info=None):
            if drain.draining:
                headers = [(k, v) for k, v in headers if k.lower() != "connection"]
                headers.append(("Connection", "close"))
            return start_response(status, headers, exc_info)

        drain.enter()
        try:
            body = self.app(environ, starting)
        except BaseException:
            drain.leave()
            raise
        return ClosingIterator(body, drain.leave)
