"""A graceful stop: what this process still owes its clients after SIGTERM.

participation/shutdown.py turns SIGTERM into a drain. From then on readiness says "draining",
every HTTP answer closes its connection (`CloseWhenDraining`), and the stop waits until every
request already begun has been answered: a write in flight is committed and acknowledged,
never cut off.

Counted here: requests, from the first byte of their request line to the end of their answer
(`counted_handler`, in the server's connection handler, so also a request whose headers are
still arriving, and Socket.IO's own transports: a WebSocket or a long poll counts until the
drain has closed it), and socket commands per socket id (live/socket/commands.py), so a socket
is closed only once nothing it sent is still being answered.
"""

import threading
import time
from collections import Counter
from contextlib import contextmanager


class Drain:
    def __init__(self):
        self.draining = False
        self.began: float | None = None
        self._lock = threading.Lock()
        self._requests = 0
        self._commands: Counter[str] = Counter()

    def begin(self) -> None:
        self.draining = True
        self.began = time.monotonic()

    # Requests --------------------------------------------------------------------------------
    def enter(self) -> None:
        with self._lock:
            self._requests += 1

    def leave(self) -> None:
        with self._lock:
            self._requests -= 1

    @property
    def requests_in_flight(self) -> int:
        return self._requests

    # Socket commands ------------------------------------------------------------------------
    @contextmanager
    def command(self, sid: str):
        """Around one socket command (its ack is queued right after this)."""
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


def counted_handler(base):
    """A subclass of the server's connection handler (gevent's WSGIHandler, or
    gevent-websocket's) that counts each request from its first byte to its answer."""

    class Counted(base):
        _counted = False

        def read_requestline(self):
            line = super().read_requestline()
            if line and not self._counted:
                self._counted = True
                drain.enter()
            return line

        def handle_one_request(self):
            try:
                return super().handle_one_request()
            finally:
                if self._counted:
                    self._counted = False
                    drain.leave()

    Counted.__name__ = f"Counted{base.__name__}"
    return Counted


class CloseWhenDraining:
    """WSGI middleware: while draining, each answer is the last on its connection (gevent's
    server honours the app's Connection: close), so a client's next request opens a new
    connection, which the closed listener refuses and nginx sends to another process. Not on
    a WebSocket upgrade, whose connection stays."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if not drain.draining or environ.get("HTTP_UPGRADE"):
            return self.app(environ, start_response)

        def starting(status, headers, exc_info=None):
            headers = [(k, v) for k, v in headers if k.lower() != "connection"]
            headers.append(("Connection", "close"))
            return start_response(status, headers, exc_info)

        return self.app(environ, starting)
