"""Failed logins, counted per (account, address) and per address: after too many, a lockout
that doubles.

Never per account alone: then anyone could lock a colleague out by typing five wrong passwords
from anywhere, and the real person with the right password from their own address would wait.
Guessing one account's password costs LOGIN_FAILURES_PER_ACCOUNT tries per address before
each doubling lockout, and every address at most LOGIN_FAILURES_PER_IP failures over all
accounts. The account key is the e-mail as typed (hashed), whether or not such an account
exists, so the answer never tells which addresses have accounts. Redis when REDIS_URL is set
(shared by all processes), in memory otherwise.
"""

import hashlib
import math
import threading
import time

from ..core.addresses import address_key
from ..core.errors import OperationError
from ..core.validate import clean_text

# Failures are forgotten this long after the last one.
WINDOW_SECONDS = 24 * 60 * 60


class MemoryStore:
    def __init__(self, clock=time.time):
        self.clock = clock
        self.data: dict[str, tuple[int, float]] = {}
        self.lock = threading.Lock()

    def _live(self, key):
        value = self.data.get(key)
        if value and value[1] <= self.clock():
            del self.data[key]
            return None
        return value

    def incr(self, key: str, ttl: int) -> int:
        with self.lock:
            count = (self._live(key) or (0, 0))[0] + 1
            self.data[key] = (count, self.clock() + ttl)
            return count

    def set(self, key: str, ttl: float) -> None:
        with self.lock:
            self.data[key] = (1, self.clock() + ttl)

    def ttl(self, key: str) -> float:
        with self.lock:
            value = self._live(key)
            return max(0.0, value[1] - self.clock()) if value else 0.0

    def delete(self, key: str) -> None:
        with self.lock:
            self.data.pop(key, None)


class RedisStore:
    def __init__(self, client, prefix: str):
        self.client, self.prefix = client, prefix

    def incr(self, key: str, ttl: int) -> int:
        pipe = self.client.pipeline()
        pipe.incr(self.prefix + key)
        pipe.expire(self.prefix + key, ttl)
        return int(pipe.execute()[0])

    def set(self, key: str, ttl: float) -> None:
        self.client.set(self.prefix + key, 1, px=max(1, int(ttl * 1000)))

    def ttl(self, key: str) -> float:
        return max(0, self.client.pttl(self.prefix + key)) / 1000

    def delete(self, key: str) -> None:
        self.client.delete(self.prefix + key)


def store_for(app):
    store = app.extensions.get("login_lockout")
    if store is None:
        url = app.config.get("LOGIN_LOCKOUT_REDIS_URL") or app.config.get("REDIS_URL")
        if url:
            import redis

            # Per installation, like every other Redis key of ours (config.SOCKETIO_CHANNEL).
            store = RedisStore(redis.Redis.from_url(url), app.config.get(
                "LOGIN_LOCKOUT_PREFIX", f"{app.config['SOCKETIO_CHANNEL']}:login:"))
        else:
            store = MemoryStore()
        app.extensions["login_lockout"] = store
    return store


def account_key(email) -> str:
    """The address as the login looks it up (operations.authenticate: clean_text, lower), so
    invisible padding (U+3164 and the like, which clean_text drops) is the same account here
    too and cannot buy fresh attempts."""
    try:
        email = clean_text(email or "", "email", 254, multiline=False).strip().lower()
    except OperationError:
        email = (email or "").strip().lower()
    return hashlib.sha256(email.encode()).hexdigest()[:32]


def _keys(email: str, ip: str) -> dict[str, str]:
    account = account_key(email)
    address = address_key(ip)
    return {"account": f"account:{account}:{address}", "ip": address}


def locked_for(app, email: str, ip: str) -> int:
    """Seconds until this account from this address, or this address at all, may try again;
    0 if it may now."""
    store = store_for(app)
    wait = max(store.ttl(f"lock:{key}") for key in _keys(email, ip).values())
    return math.ceil(wait)


def record_failure(app, email: str, ip: str) -> int:
    """Count a failed login; returns the lockout it starts, in seconds (0 for none yet)."""
    store = store_for(app)
    limits = {"account": app.config["LOGIN_FAILURES_PER_ACCOUNT"],
              "ip": app.config["LOGIN_FAILURES_PER_IP"]}
    base, cap = app.config["LOGIN_LOCKOUT_SECONDS"], app.config["LOGIN_LOCKOUT_MAX_SECONDS"]
    longest = 0
    for kind, key in _keys(email, ip).items():
        failures = store.incr(f"failures:{key}", WINDOW_SECONDS)
        over = failures - limits[kind]
        if over >= 0:
            seconds = min(cap, base * 2 ** min(over, 20))
            store.set(f"lock:{key}", seconds)
            longest = max(longest, seconds)
    return longest


def record_success(app, email: str, ip: str) -> None:
    # Only this account from this address is forgiven: one valid login must not clear the
    # address's failures on other accounts.
    key = _keys(email, ip)["account"]
    store = store_for(app)
    store.delete(f"failures:{key}")
    store.delete(f"lock:{key}")


# The second factor has its own count per account, so a stolen password cannot try codes
# without end: the pending login lives in the browser's cookie, which can be replayed, so the
# count lives here, on the server.
def _second_factor_key(user_id: int) -> str:
    return f"second-factor:{int(user_id)}"


def second_factor_locked_for(app, user_id: int) -> int:
    return math.ceil(store_for(app).ttl(f"lock:{_second_factor_key(user_id)}"))


def record_second_factor_failure(app, user_id: int) -> int:
    """Count a wrong code; returns the lockout it starts, in seconds (0 for none yet)."""
    store, key = store_for(app), _second_factor_key(user_id)
    failures = store.incr(f"failures:{key}", WINDOW_SECONDS)
    over = failures - app.config["MFA_FAILURES_PER_ACCOUNT"]
    if over < 0:
        return 0
    seconds = min(app.config["LOGIN_LOCKOUT_MAX_SECONDS"],
                  app.config["LOGIN_LOCKOUT_SECONDS"] * 2 ** min(over, 20))
    store.set(f"lock:{key}", seconds)
    return seconds


def record_second_factor_success(app, user_id: int) -> None:
    store, key = store_for(app), _second_factor_key(user_id)
    store.delete(f"failures:{key}")
    store.delete(f"lock:{key}")
