"""Who is connected to an event: people (participants), not sockets.

A phone with two tabs open, or a reloaded page whose old socket has not timed out yet, is one
participant: each process keeps, per event, how many of its sockets each participant has
(`Present`), and the count is the number of participants with at least one. A participant is
known by a short hash of its cookie token (`participant_key`), never the token itself.

With Redis (`SharedPresence`) each process stores its own set of participant keys under its
own key, which expires unless refreshed: a process that dies stops being counted after TTL
seconds. The count is the size of the union of the live processes' sets, so one person with
a tab on each of two processes still counts once.
"""

import hashlib
import uuid
from collections import Counter

# A process that dies without a graceful stop (kill -9, a crash) is counted until its entry
# expires: TTL seconds at most. A graceful stop removes it at once (SharedPresence.remove).
TTL = 30
REFRESH_SECONDS = 10


def participant_key(token: str) -> str:
    """Who a resident socket is, for counting: the same for every tab of one phone."""
    return hashlib.blake2b(token.encode(), digest_size=8, person=b"presence").hexdigest()


class Present:
    """This process's resident sockets per event and participant."""

    def __init__(self):
        self._sockets: dict[int, Counter[str]] = {}

    def add(self, event_id: int, key: str, delta: int) -> None:
        sockets = self._sockets.setdefault(event_id, Counter())
        sockets[key] += delta
        if sockets[key] <= 0:
            del sockets[key]
        if not sockets:
            del self._sockets[event_id]

    def people(self, event_id: int) -> set[str]:
        return set(self._sockets.get(event_id, ()))

    def count(self, event_id: int) -> int:
        return len(self._sockets.get(event_id, ()))

    def events(self) -> dict[int, set[str]]:
        return {event_id: set(keys) for event_id, keys in self._sockets.items()}


class SharedPresence:
    def __init__(self, url: str, channel: str):
        import redis

        self.redis = redis.Redis.from_url(url)
        self.prefix = f"{channel}:presence"
        self.process = uuid.uuid4().hex[:12]

    def _keys(self, event_id: int) -> tuple[str, str]:
        members = f"{self.prefix}:{event_id}"
        return members, f"{members}:{self.process}"

    def store(self, event_id: int, people: set[str]) -> None:
        """This process's participants at the event, replacing what it stored before (in one
        transaction: a reader never sees the set half written)."""
        members, own = self._keys(event_id)
        pipe = self.redis.pipeline()
        pipe.delete(own)
        if people:
            pipe.sadd(own, *sorted(people))
            pipe.expire(own, TTL)
        pipe.sadd(members, self.process)
        pipe.expire(members, TTL * 2)
        pipe.execute()

    def remove(self, event_id: int) -> None:
        """This process stops counting anyone at the event (it is stopping)."""
        members, own = self._keys(event_id)
        pipe = self.redis.pipeline()
        pipe.delete(own)
        pipe.srem(members, self.process)
        pipe.execute()

    def total(self, event_id: int) -> int:
        members, _own = self._keys(event_id)
        processes = sorted(p.decode() for p in self.redis.smembers(members))
        if not processes:
            return 0
        keys = [f"{members}:{p}" for p in processes]
        pipe = self.redis.pipeline(transaction=False)
        for key in keys:
            pipe.exists(key)
        pipe.sunion(keys)
        *alive, people = pipe.execute()
        # A process with nobody connected (or gone: its key expired) leaves the list; a live
        # one adds itself again at its next store.
        gone = [p for p, exists in zip(processes, alive, strict=True) if not exists]
        if gone:
            self.redis.srem(members, *gone)
        return len(people)
