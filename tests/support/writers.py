"""Phones that keep writing through a restart, as static/js/live.js does: a socket that
reconnects by itself (socket.io-client's back-off), and a write that is sent again with the
same client_id when its socket dropped before the answer came. Also a no-JS phone's REST
writer, which has no second try: every one of its requests must get a real answer."""

import queue
import threading
import time
import uuid

import engineio
import requests
import socketio


class _EndMarkerQueue(queue.Queue):
    """python-engineio's client (4.x) ends its write loop on the None its reader queues when the
    WebSocket closes, except when None comes in one batch with packets still to send: then it
    sends those, drops the None and waits out its 25 s queue timeout before it notices the
    closed socket (and reconnects). A browser's socket.io-client notices at once. This queue
    never hands the None out in a batch, only to the loop's next blocking get."""

    def get(self, block=True, timeout=None):
        if not block:
            with self.mutex:
                if self.queue and self.queue[0] is None:
                    raise queue.Empty
        return super().get(block, timeout)


class _EngineIOClient(engineio.Client):
    def create_queue(self, *args, **kwargs):
        return _EndMarkerQueue(*args, **kwargs)


class Client(socketio.Client):
    """python-socketio's client, reconnecting as soon as its WebSocket closes, and waiting for
    a (re)connect's answer as long as socket.io-client does (its `timeout`, 20 s), not 1 s:
    its reconnect loop connects with the 1 s default, so a snapshot that takes longer on a
    busy process turns into an endless round of new connects, each building another one."""

    def _engineio_client_class(self):
        return _EngineIOClient

    def connect(self, *args, wait_timeout=20, **kwargs):
        return super().connect(*args, wait_timeout=wait_timeout, **kwargs)


class SocketPhone:
    def __init__(self, url: str, http: requests.Session, csrf: str, event_id: int,
                 transports=("websocket",)):
        # socket.io-client's defaults: first reconnect after 0.5-1.5 s, then longer.
        # The phone's own cookie jar (its routing cookie and session), as a browser sends them
        # with every poll; a fixed Cookie header would be replaced by the jar's after the first
        # answer that sets a cookie, and lose the routing cookie.
        self.client = Client(reconnection=True, reconnection_delay=1, http_session=http,
                             randomization_factor=0.5, reconnection_delay_max=5)
        self.up = threading.Event()
        self.lock = threading.Lock()
        self.waiting: threading.Event | None = None
        self.connects = 0
        self.resent = 0
        self.history: list[tuple] = []  # (time, what): for failure messages
        self.client.on("connect", self._connected)
        self.client.on("disconnect", self._dropped)
        self.client.connect(url, auth={"csrf_token": csrf, "event": event_id},
                            transports=list(transports))

    def _connected(self):
        self.connects += 1
        self.history.append((round(time.monotonic(), 2), "connect"))
        self.up.set()

    def _dropped(self, *reason):
        self.history.append((round(time.monotonic(), 2), "drop", *reason))
        self.up.clear()
        with self.lock:
            if self.waiting is not None:
                self.waiting.set()  # its answer will not come on this socket: send it again

    def write(self, name: str, payload: dict, within: float = 30) -> tuple[dict, int]:
        """The answer, and how many times it was sent; AssertionError if none came."""
        deadline = time.monotonic() + within
        sent = 0
        while time.monotonic() < deadline:
            if not self.up.wait(max(0.0, deadline - time.monotonic())):
                break
            answered = threading.Event()
            box = {}

            def on_ack(ack, box=box, answered=answered):
                box["ack"] = ack
                answered.set()

            with self.lock:
                self.waiting = answered
            sent += 1
            if sent > 1:
                self.resent += 1
            try:
                self.client.emit(name, payload, callback=on_ack)
            except socketio.exceptions.BadNamespaceError:
                continue  # dropped between the check and the send: wait for the next socket
            answered.wait(max(0.0, deadline - time.monotonic()))
            with self.lock:
                self.waiting = None
            if "ack" in box:
                return box["ack"], sent
        raise AssertionError(f"{name} got no answer within {within} s ({sent} sends)")

    def close(self):
        self.client.disconnect()


# Between one phone's writes: several a second, far more than a person, while a stop and a
# reconnect still find writes in flight (at full speed the event collects so many proposals
# that each reconnect's snapshot becomes the load).
PACE = 0.25


class Writers:
    """Threads that write proposals until stopped: socket phones and no-JS REST phones."""

    def __init__(self, event_id: int, url: str):
        self.event_id, self.url = event_id, url
        self.stop = threading.Event()
        self.acked: list[tuple[str, int]] = []  # (client_id, proposal id)
        self.refused: list = []  # anything but a stored proposal, with what it said
        self.lock = threading.Lock()
        self.threads: list[threading.Thread] = []

    def _record(self, client_id: str, proposal_id: int):
        with self.lock:
            self.acked.append((client_id, proposal_id))

    def _fail(self, what):
        with self.lock:
            self.refused.append(what)

    def socket(self, phone: SocketPhone, label: str):
        def write_one(title: str, client_id: str):
            ack, _sent = phone.write("submit_proposal", {"title": title, "client_id": client_id})
            return ack["proposal"]["id"] if ack.get("ok") else ack

        # No answer even after resending (SocketPhone.write): this phone is done for.
        self._start(label, write_one, fatal=AssertionError)

    def rest(self, http: requests.Session, label: str):
        def write_one(title: str, client_id: str):
            answer = http.post(f"{self.url}/api/v1/events/{self.event_id}/proposals",
                               json={"title": title, "client_id": client_id}, timeout=30)
            if answer.status_code == 201:
                return answer.json()["proposal"]["id"]
            return answer.status_code, answer.text[:200]

        # A request without an answer is a failure, and the next one is tried.
        self._start(label, write_one, fatal=(), passing=requests.RequestException)

    def _start(self, label: str, write_one, fatal, passing=()):
        """A thread writing until stopped; write_one(title, client_id) gives the stored
        proposal's id, or what it got instead."""
        def run():
            n = 0
            while not self.stop.wait(PACE):
                n += 1
                client_id = uuid.uuid4().hex
                try:
                    got = write_one(f"{label} förslag {n}", client_id)
                except fatal as error:
                    self._fail((label, str(error)))
                    return
                except passing as error:
                    self._fail((label, repr(error)))
                    continue
                if isinstance(got, int):
                    self._record(client_id, got)
                else:
                    self._fail((label, got))

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        self.threads.append(thread)

    def count(self) -> int:
        with self.lock:
            return len(self.acked)

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(40)
