"""A token bucket per socket connection and per participant: a burst is fine, a flood is not.
Connects have their own buckets, per address and per participant or staff account.

In memory for one process; in Redis (one small Lua script, atomic) when REDIS_URL is set, so
several processes share a participant's bucket.
"""

import threading
import time

# KEYS[1] bucket; ARGV: capacity, refill per second, now (s), cost. Returns {allowed, wait_ms}.
TAKE_LUA = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
local allowed = 0
local wait = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  wait = (cost - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', now)
redis.call('EXPIRE', KEYS[1], math.ceil(capacity / rate) + 1)
return {allowed, math.ceil(wait * 1000)}
"""


class MemoryBuckets:
    """Buckets in this process. A bucket that has refilled is the same as none, so those are
    forgotten every PRUNE_EVERY takes: one per connection would otherwise pile up for the
    life of the process."""

    PRUNE_EVERY = 10_000

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        # key -> (tokens, at, full_at): full_at is when the bucket will be full again.
        self.buckets: dict[str, tuple[float, float, float]] = {}
        self.lock = threading.Lock()
        self.takes = 0

    def take(self, key: str, capacity: int, rate: float, cost: float = 1) -> float:
        """0 when allowed, else the seconds until `cost` tokens are there again."""
        with self.lock:
            now = self.clock()
            self.takes += 1
            if self.takes % self.PRUNE_EVERY == 0:
                self.prune(now)
            tokens, at, _full = self.buckets.get(key, (capacity, now, now))
            tokens = min(capacity, tokens + max(0.0, now - at) * rate)
            allowed = tokens >= cost
            if allowed:
                tokens -= cost
            self.buckets[key] = (tokens, now, now + (capacity - tokens) / rate)
            return 0.0 if allowed else (cost - tokens) / rate

    def prune(self, now: float) -> None:
        for key in [k for k, (_t, _at, full_at) in self.buckets.items() if full_at <= now]:
            del self.buckets[key]


class RedisBuckets:
    def __init__(self, client, prefix: str = "participation-sockets:", clock=time.time):
        self.client = client
        self.prefix = prefix
        self.clock = clock
        self.script = client.register_script(TAKE_LUA)

    def take(self, key: str, capacity: int, rate: float, cost: float = 1) -> float:
        allowed, wait_ms = self.script(keys=[self.prefix + key],
                                       args=[capacity, rate, self.clock(), cost])
        return 0.0 if int(allowed) else int(wait_ms) / 1000


def buckets_for(app):
    """The app's buckets, made on first use from its configuration."""
    buckets = app.extensions.get("socket_buckets")
    if buckets is None:
        url = app.config.get("SOCKET_RATELIMIT_REDIS_URL") or app.config.get("REDIS_URL")
        if url:
            import redis

            prefix = app.config.get("SOCKET_RATELIMIT_PREFIX",
                                    f"{app.config['SOCKETIO_CHANNEL']}:sockets:")
            buckets = RedisBuckets(redis.Redis.from_url(url), prefix)
        else:
            buckets = MemoryBuckets()
        app.extensions["socket_buckets"] = buckets
    return buckets


def wait_seconds(app, sid: str, event_id: int, token: str | None) -> float:
    """0 if this socket event may go ahead; else how long to wait. Both buckets must allow it:
    the connection's (one tab flooding) and the participant's (many tabs, one person)."""
    if not app.config.get("SOCKET_RATELIMIT_ENABLED", True):
        return 0.0
    buckets = buckets_for(app)
    capacity = app.config["SOCKET_RATE_BURST"]
    rate = app.config["SOCKET_RATE_PER_SECOND"]
    wait = buckets.take(f"sid:{sid}", capacity, rate)
    if wait == 0 and token:
        wait = buckets.take(f"participant:{event_id}:{token}", capacity, rate)
    return wait


CONNECT_LIMITS = {
    "ip": ("SOCKET_CONNECT_BURST_PER_IP", "SOCKET_CONNECT_RATE_PER_IP"),
    "session": ("SOCKET_CONNECT_BURST_PER_SESSION", "SOCKET_CONNECT_RATE_PER_SESSION"),
}


def connect_wait(app, scope: str, key: str) -> float:
    """0 if this connect may go ahead; else how long to wait. `scope` is "ip" (key: the
    hashed address) or "session" (key: the participant or staff account)."""
    if not app.config.get("SOCKET_RATELIMIT_ENABLED", True):
        return 0.0
    capacity, rate = (app.config[name] for name in CONNECT_LIMITS[scope])
    return buckets_for(app).take(f"connect-{scope}:{key}", capacity, rate)
