"""Relays published domain events to Socket.IO rooms.

Proposal and phase changes are pushed as they commit. Tallies are coalesced: a vote only marks
its event dirty, and at most once per REALTIME_COALESCE_SECONDS the current tallies (read from
the stored votes) go to the event's staff room (projector and console). The theme cloud is
coalesced the same way: proposal changes mark it dirty, and a flush sends the current themes.
"""

import threading
import time
from collections import Counter

from ..core.bus import published
from ..core.time import iso, utcnow
from ..events.models import Event
from ..events.snapshot import REVEALED
from ..extensions import db, socketio
from ..proposals import ranking, themes
from . import event_room, staff_room
from .presence import REFRESH_SECONDS, SharedPresence

# Domain events relayed as they are: the push, its room, and the fields it carries.
PLAIN = {
    "event.themes_display": ("themes_display", "staff", ("show",)),
    "event.schedule": ("schedule", "event", ("opens_at", "closes_at")),
    "event.questions": ("questions", "event", ("questions",)),
    "event.tables": ("tables", "event", ("tables",)),
    "event.tallies_revealed": ("reveal", "staff", ("revealed",)),
    "members.changed": ("members", "staff", ("counts",)),
    "meeting.changed": ("meeting", "staff", ("meeting",)),
}
ROOMS = {"event": event_room, "staff": staff_room}


class Relay:
    def __init__(self):
        self.app = None
        self.interval = 0.1
        self._dirty: set[int] = set()
        self._presence_dirty: set[int] = set()
        self._themes_dirty: set[int] = set()
        self.connected: Counter[int] = Counter()
        self._lock = threading.Lock()
        self._task = None
        self._subscribed = False
        self.shared = None  # SharedPresence with a message queue: counts over all processes
        self._refreshed = 0.0

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
        name, event_id, version = domain_event.name, domain_event.event_id, domain_event.version
        data = domain_event.data
        if name in ("proposal.submitted", "proposal.moderated", "proposal.erased"):
            self._emit_proposal(event_id, version, data["proposal"], data["full"])
            if name != "proposal.submitted":
                event = db.session.get(Event, event_id)
                if event.phase in REVEALED:
                    # The ranking on every screen changes too; resend it with the phase.
                    self._emit_phase(event_id, version, event.phase)
            self.mark_tallies(event_id)
            self.mark_themes(event_id)
        elif name in ("proposal.merged", "proposal.unmerged"):
            for key in ("source", "target"):
                self._emit_proposal(event_id, version, data[key], data[f"{key}_full"])
            # Ballots holding either proposal changed; those phones ask for a fresh snapshot.
            merge = data["merge"]
            socketio.emit("merge", {"version": version, "source_id": merge["source_id"],
                                    "target_id": merge["target_id"],
                                    "undone": name == "proposal.unmerged"},
                          to=event_room(event_id))
            event = db.session.get(Event, event_id)
            if event.phase in REVEALED:
                self._emit_phase(event_id, version, event.phase)
            self.mark_tallies(event_id)
            self.mark_themes(event_id)
        elif name == "proposal.updated":
            # Renamed authors (a member's consent changed, members/operations.py).
            for item in data["proposals"]:
                self._emit_proposal(event_id, version, item["proposal"], item["full"])
            self.mark_themes(event_id)
        elif name == "event.phase_changed":
            self._emit_phase(event_id, version, data["phase"], by=data.get("by"))
            self.mark_tallies(event_id)
        elif name in PLAIN:
            push, room, fields = PLAIN[name]
            socketio.emit(push, {"version": version, **{f: data[f] for f in fields}},
                          to=ROOMS[room](event_id))
        elif name == "event.timer":
            socketio.emit("timer", {"version": version, "ends_at": data["ends_at"],
                                    "server_time": iso(utcnow())}, to=event_room(event_id))
        elif name == "vote.changed":
            self.mark_tallies(event_id)

    @staticmethod
    def _emit_proposal(event_id: int, version: int, public: dict, full: dict):
        # Staff see everything; everyone else never sees a proposal awaiting approval.
        socketio.emit("staff_proposal", {"version": version, "proposal": full},
                      to=staff_room(event_id))
        if public["status"] != "pending":
            socketio.emit("proposal", {"version": version, "proposal": public},
                          to=event_room(event_id))

    def _emit_phase(self, event_id: int, version: int, phase: str, by: str | None = None):
        payload = {"version": version, "phase": phase}
        if by:
            payload["by"] = by  # "schedule": it opened or closed on its own
        if phase in REVEALED:
            event = db.session.get(Event, event_id)
            payload["results"] = ranking.ranked(event)
            if event.tables:
                payload["table_results"] = ranking.ranked_by_table(event)
        socketio.emit("phase", payload, to=event_room(event_id))

    def mark_tallies(self, event_id: int):
        self._mark(self._dirty, event_id)

    def mark_themes(self, event_id: int):
        self._mark(self._themes_dirty, event_id)

    def presence(self, event_id: int, delta: int):
        with self._lock:
            self.connected[event_id] += delta
            if self.connected[event_id] <= 0:
                del self.connected[event_id]
        self._mark(self._presence_dirty, event_id)

    def connected_total(self, event_id: int) -> int:
        """Phones connected to the event: on this process, or on all of them with Redis."""
        if self.shared is None:
            return self.connected.get(event_id, 0)
        return self.shared.total(event_id)

    def _refresh_shared(self):
        # Keep this process's counts alive in Redis; a dead process's expire on their own.
        if self.shared is None or time.monotonic() - self._refreshed < REFRESH_SECONDS:
            return
        self._refreshed = time.monotonic()
        with self._lock:
            counts = dict(self.connected)
        for event_id, count in counts.items():
            self.shared.store(event_id, count)

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
                    socketio.emit(
                        "tallies",
                        {
                            "version": version,
                            "tallies": {str(k): v for k, v in counts.items()},
                            "voters": ranking.voter_count(event_id),
                        },
                        to=staff_room(event_id),
                    )
                for event_id in theme_events:
                    event = db.session.get(Event, event_id)
                    if event is not None:
                        socketio.emit("themes", {"version": event.version,
                                                 "themes": themes.cloud(event)},
                                      to=staff_room(event_id))
                for event_id in presence:
                    if self.shared is not None:
                        self.shared.store(event_id, self.connected.get(event_id, 0))
                    socketio.emit(
                        "presence", {"connected": self.connected_total(event_id)},
                        to=staff_room(event_id),
                    )
            finally:
                db.session.remove()


relay = Relay()
init_app = relay.init_app
