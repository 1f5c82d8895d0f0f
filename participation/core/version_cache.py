"""What one event looks like at one version, computed once per process and kept a while.

Every write on an event bumps its version, so a value cached under (event id, version) is never
stale and nothing has to be invalidated: a new version is simply a new key. One cache per name
per app, since event ids repeat across databases (and across the tests' apps).
"""

import threading
from collections import OrderedDict
from collections.abc import Callable

from flask import current_app

_LOCK = threading.Lock()


def cached(name: str, event_id: int, version: int, build: Callable[[], object],
           size: int = 32):
    cache = current_app.extensions.setdefault(name, OrderedDict())
    key = (event_id, version)
    with _LOCK:
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
    # Built outside the lock: two builders at once both compute the same value, harmlessly.
    built = build()
    with _LOCK:
        cache[key] = built
        while len(cache) > size:
            cache.popitem(last=False)
    return built
