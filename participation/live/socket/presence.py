"""How many phones are connected to an event over all processes sharing one Redis.

Each process counts its own sockets (realtime/relay.py) and stores that count in Redis under
its own key, which expires unless refreshed: a process that dies stops being counted after
TTL seconds. The console's `connected` is the sum over the live processes' keys.
"""

import uuid

TTL = 90
REFRESH_SECONDS = 30


class SharedPresence:
    def __init__(self, url: str, channel: str):
        import redis

        self.redis = redis.Redis.from_url(url)
        self.prefix = f"{channel}:presence"
        self.process = uuid.uuid4().hex[:12]

    def _keys(self, event_id: int) -> tuple[str, str]:
        members = f"{self.prefix}:{event_id}"
        return members, f"{members}:{self.process}"

    def store(self, event_id: int, count: int) -> None:
        members, own = self._keys(event_id)
        pipe = self.redis.pipeline()
        pipe.set(own, count, ex=TTL)
        pipe.sadd(members, self.process)
        pipe.expire(members, TTL * 2)
        pipe.execute()

    def total(self, event_id: int) -> int:
        members, _own = self._keys(event_id)
        processes = [p.decode() for p in self.redis.smembers(members)]
        if not processes:
            return 0
        counts = self.redis.mget([f"{members}:{p}" for p in processes])
        gone = [p for p, count in zip(processes, counts, strict=True) if count is None]
        if gone:
            self.redis.srem(members, *gone)
        return sum(int(count) for count in counts if count is not None)
