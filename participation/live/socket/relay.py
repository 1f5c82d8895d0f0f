"""The relay: domain events, published after commit, become pushes (pushes.py says which).

Proposal and phase changes are pushed as they commit. Tallies are coalesced: a vote only marks
its event dirty, and at most once per REALTIME_COALESCE_SECONDS the current tallies (read from
the stored votes) go to the event's staff room (projector and console). The theme cloud and the
count of connected people (presence.py: participants, not sockets) are coalesced the same way.
"""

import threading
import time

from ...budgets.queries import outcome as budget_outcome
from ...core.bus import published
from ...events.models import Event
from ...extensions import db, socketio
from ...proposals import ranking, themes
from .connections import connections
from .presence import REFRESH_SECONDS, Present, SharedPresence
from .pushes import RELAYS, emit


class Relay:
    def __init__(self):
        self.app = None
        self.interval = 0.1
        self._dirty: set[int] = set()
        self._presence_dirty: set[int] = set()
        self._themes_dirty: set[int] = set()
        self.present = Present()  # this process's resident sockets, per participant
        self._lock = threading.Lock()
        self._task = None
        self._subscribed = False
        self.shared = None  # SharedPresence with a message queue: counts over all processes
        self._refreshed = 0.0
        # Stopping (participation/shutdown.py): this process's phones count elsewhere now.
        self.leaving = False

    def init_app(self, app):
        self.app = app
        self.interval = app.config["REALTIME_COALESCE_SECONDS"]
        self.shared = None
        if app.config["REDIS_URL"]:
            self.shared = SharedPresence(app.config["REDIS_URL"], app.config["SOCKETIO_CHANNEL"])
        # Tests build many apps in one process: the newest is relayed for, subscribed once.
        if not self._subscribed:
            published.connect(self._on_published, weak=False)
            self._subscribed = True

    def _on_published(self, domain_event):
        if self.app is None:
            return
        actions = RELAYS.get(domain_event.name)
        if actions is None:
            # The write has committed: say so loudly, never fail the answer over a push
            # (tests/test_socket_protocol.py keeps every published name in RELAYS).
            self.app.logger.error("domain event %s has no entry in RELAYS", domain_event.name)
            return
        for action in actions:
            action(self, domain_event)

    def disconnect_participant(self, event_id: int, token: str):
        """Close this participant's sockets on this process (each process closes its own)."""
        for sid, connection in list(connections.items()):
            if (connection.event_id == event_id and not connection.staff
                    and connection.token == token):
                socketio.server.disconnect(sid, namespace="/")

    def disconnect_staff(self, event_id: int, user_id: int):
        """Close this account's staff sockets to the event on this process."""
        for sid, connection in list(connections.items()):
            if (connection.event_id == event_id and connection.staff
                    and connection.user_id == user_id):
                socketio.server.disconnect(sid, namespace="/")

    def mark_tallies(self, event_id: int):
        self._mark(self._dirty, event_id)

    def mark_themes(self, event_id: int):
        self._mark(self._themes_dirty, event_id)

    def presence(self, event_id: int, key: str, delta: int):
        """A resident socket of participant `key` (presence.participant_key) came or went."""
        if self.leaving:
            return  # its closing sockets count nowhere; they are back on another process
        with self._lock:
            self.present.add(event_id, key, delta)
        self._mark(self._presence_dirty, event_id)

    def connected_total(self, event_id: int) -> int:
        """People (not sockets) connected to the event: on this process, or on all of them
        with Redis. Two tabs, or a reloaded page whose old socket lingers, count once."""
        if self.shared is None:
            with self._lock:
                return self.present.count(event_id)
        return self.shared.total(event_id)

    def leave(self):
        """A graceful stop: drop this process's phones from the shared count now (not after
        the TTL) and push the count without them, before their sockets close: the pushes of
        the processes they reconnect to come after this one and count them again."""
        with self._lock:
            self.leaving = True
            self._presence_dirty.clear()
            events = self.present.events()
        if self.shared is None or not events:
            return
        with self.app.app_context():
            for event_id in events:
                self.shared.remove(event_id)
                emit("presence", event_id, None, connected=self.shared.total(event_id))

    def _people(self, event_id: int) -> set[str]:
        with self._lock:
            return self.present.people(event_id)

    def _refresh_shared(self):
        # Keep this process's counts alive in Redis; a dead process's expire on their own.
        if (self.shared is None or self.leaving
                or time.monotonic() - self._refreshed < REFRESH_SECONDS):
            return
        self._refreshed = time.monotonic()
        with self._lock:
            events = self.present.events()
        for event_id, people in events.items():
            self.shared.store(event_id, people)

    def _mark(self, bucket: set, event_id: int):
        if self.interval <= 0:
            self._flush({event_id} if bucket is self._dirty else set(),
                        {event_id} if bucket is self._presence_dirty else set(),
                        {event_id} if bucket is self._themes_dirty else set())
            return
        with self._lock:
            bucket.add(event_id)
            if self._task is None:
                self._task = socketio.start_background_task(self._loop)

    def _loop(self):
        while True:
            socketio.sleep(self.interval)
            self.drain()

    def drain(self):
        """Send what was marked since the last drain: one push per event and kind."""
        with self._lock:
            dirty, self._dirty = self._dirty, set()
            presence, self._presence_dirty = self._presence_dirty, set()
            theme_events, self._themes_dirty = self._themes_dirty, set()
        try:
            self._refresh_shared()
            if dirty or presence or theme_events:
                self._flush(dirty, presence, theme_events)
        except Exception:  # keep relaying; one bad flush must not stop all pushes
            self.app.logger.exception("tally flush failed")

    def _flush(self, dirty: set[int], presence: set[int], theme_events: frozenset = frozenset()):
        with self.app.app_context():
            try:
                for event_id in dirty:
                    row = db.session.execute(
                        db.select(Event.version, Event.voting_method).where(Event.id == event_id)
                    ).one_or_none()
                    if row is None:
                        continue
                    version, method = row
                    counts = ranking.tallies(event_id, method=method)
                    emit("tallies", event_id, version,
                         tallies={str(k): v for k, v in counts.items()},
                         voters=ranking.voter_count(event_id))
                    if method == "budget":
                        emit("budget", event_id, version,
                             budget=budget_outcome(db.session.get(Event, event_id)))
                for event_id in theme_events:
                    event = db.session.get(Event, event_id)
                    if event is not None:
                        emit("themes", event_id, event.version, themes=themes.cloud(event))
                for event_id in presence:
                    if self.leaving:
                        break  # leave() has pushed this process's last count
                    if self.shared is not None:
                        self.shared.store(event_id, self._people(event_id))
                    emit("presence", event_id, None, connected=self.connected_total(event_id))
            finally:
                db.session.remove()


relay = Relay()
init_app = relay.init_app
