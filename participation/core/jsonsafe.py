"""JSON that cannot crash a request or a socket: nesting is measured before anything recurses.

json.loads recurses once per nested array or object and raises RecursionError (not a
ValueError) past ~1,000 levels: a 500 on REST, and on Socket.IO a swallowed packet that never
gets its ack, or, at the Engine.IO layer, a dropped websocket. The depth is counted on the raw
text first, without recursion; only text within the limit reaches json.loads.

Wiring: `app.json = SafeJSONProvider(app)` (every request.get_json) and
`socketio.init_app(..., json=SocketJSON)` (every Socket.IO and Engine.IO packet).
"""

import json
import re
from array import array
from itertools import accumulate

from engineio import json as engineio_json
from flask.json.provider import DefaultJSONProvider
from flask_babel import lazy_gettext as _l

from .errors import OperationError

# Our deepest payload (a snapshot's ack) nests 5 levels, the relay's Redis envelope adds 2; session
# cookies go through the app's provider too. 32 leaves room and stays far from recursion.
DEPTH_LIMIT = 32
# A 64 KiB body holds at most ~32,000 values; no request of ours needs a tenth of that.
ITEM_LIMIT = 10_000

# An escape pair (only valid inside strings); removed first, a quote then always opens or
# closes a string, and splitting on quotes leaves the text outside strings at even indexes.
_ESCAPE = re.compile(r"\\.", re.DOTALL)
_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")  # +1 / -1 as signed bytes
_NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))
_EVENT = re.compile(r'[ \t\n\r]*+\[[ \t\n\r]*+("(?:[^"\\]++|\\.)*+")[ \t\n\r]*+,')


class TooDeep(ValueError):
    """A ValueError, so every caller that handles broken JSON handles this too."""


def nesting_depth(text: str) -> int:
    """How deep arrays and objects nest in JSON text; brackets inside strings do not count.

    Where the text is broken (a backslash outside a string, say), json.loads stops at the
    break, so whatever is counted past it can only refuse more, never let a deep one through.
    """
    return max(accumulate(array("b", _steps(text))), default=0)


def _steps(text: str) -> bytes:
    """The brackets outside strings, in order, as bytes 1 (open) and 255 (close)."""
    if "\\" in text:
        text = _ESCAPE.sub("", text)
    outside = "".join(text.split('"')[::2])  # an unclosed string runs to the end, as in JSON
    return outside.encode("utf-8", "surrogatepass").translate(_STEPS, _NOT_BRACKETS)


def too_deep(text: str, limit: int = DEPTH_LIMIT) -> bool:
    # Too few opening brackets to nest past the limit: the usual case, two C-speed counts.
    if text.count("[") + text.count("{") <= limit:
        return False
    steps = _steps(text)
    if b"\x01" * (limit + 1) in steps:  # the usual attack, "[[[[..." or '{"a":{"a":...'
        return True
    return max(accumulate(array("b", steps)), default=0) > limit


def _text(s) -> str:
    if isinstance(s, bytes | bytearray):  # as json.loads reads bytes
        return bytes(s).decode(json.detect_encoding(s), "surrogatepass")
    if not isinstance(s, str):
        raise TypeError(f"the JSON object must be str, bytes or bytearray, not "
                        f"{type(s).__name__}")
    return s


def loads(s, *, limit: int = DEPTH_LIMIT, **kwargs):
    """json.loads that raises TooDeep (a ValueError) instead of recursing past `limit`."""
    text = _text(s)
    if too_deep(text, limit):
        raise TooDeep(f"JSON nested deeper than {limit} levels")
    return json.loads(text, **kwargs)


def _too_deep_error(limit: int) -> OperationError:
    return OperationError("invalid_json",
                          _l("Send a JSON object nested at most %(n)d levels deep.", n=limit), 400)


def check_depth(value, limit: int = DEPTH_LIMIT, max_items: int = ITEM_LIMIT):
    """An already decoded value, checked without recursion: at most `limit` levels of lists
    and dicts, at most `max_items` values in all. Returns it, or raises invalid_json."""
    stack = [(value, 1)] if isinstance(value, dict | list | tuple) else []
    items = 0
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        if depth > limit:
            raise _too_deep_error(limit)
        items += len(children)
        if items > max_items:
            raise OperationError("invalid_json", _l("Send a JSON object with at most %(n)d "
                                                    "values.", n=max_items), 400)
        stack.extend((child, depth + 1) for child in children
                     if isinstance(child, dict | list | tuple))
    return value


def decode_body(raw, *, object_only: bool = True, limit: int = DEPTH_LIMIT,
                max_items: int = ITEM_LIMIT):
    """A raw request body (bytes or text) as JSON, or invalid_json (400); never RecursionError."""
    try:
        value = loads(raw, limit=limit)
    except TooDeep:
        raise _too_deep_error(limit) from None
    except (ValueError, TypeError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise OperationError("invalid_json", _l("Send a JSON object."), 400) from None
    if object_only and not isinstance(value, dict):
        raise OperationError("invalid_json", _l("Send a JSON object."), 400)
    if isinstance(value, dict | list):
        check_depth(value, limit, max_items)
    return value


class SafeJSONProvider(DefaultJSONProvider):
    """Flask's provider with a depth-checked loads: request.get_json(silent=True) answers
    None for a too-deep body, as for any broken one, so the caller's own refusal applies."""

    def loads(self, s, **kwargs):
        return loads(s, **kwargs)


class Refused(str):
    """Stands in for a Socket.IO payload nested too deep. Not a dict, so a handler answers
    invalid_payload through the ack; empty, so the Redis relay skips it as it skips junk."""


REFUSED = Refused("")


class SocketJSON:
    """The `json=` module for python-socketio, which also hands it to python-engineio.

    Both decode every incoming packet with its loads (socketio/packet.py Packet.decode,
    engineio/packet.py Packet.decode) and the Redis manager every relayed message.
    """

    dumps = staticmethod(engineio_json.dumps)

    @staticmethod
    def loads(s, *args, **kwargs):
        text = _text(s)
        if not too_deep(text):
            return engineio_json.loads(text, *args, **kwargs)  # keeps its 100-digit int cap
        # An event keeps its name, so its handler answers the ack with a clean refusal; an
        # object (connect's auth, a relay message) becomes REFUSED; anything else is broken.
        if match := _EVENT.match(text):
            return [json.loads(match.group(1)), REFUSED]
        if text.lstrip(" \t\n\r").startswith("{"):
            return REFUSED
        raise TooDeep(f"JSON nested deeper than {DEPTH_LIMIT} levels")
