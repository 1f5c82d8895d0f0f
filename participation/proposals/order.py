"""A per-person random order of the ballot, the same on the server and in the browser.

The seed is derived from the participant's token (never the token itself), and the order is
FNV-1a of "seed:id": static/js/order.js computes the same numbers.
"""

import hashlib


def ballot_seed(token: str) -> str:
    return hashlib.sha256(f"ballot-order:{token}".encode()).hexdigest()[:16]


def fnv1a(text: str) -> int:
    value = 0x811C9DC5
    for byte in text.encode():
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def shuffled(proposals: list[dict], seed: str) -> list[dict]:
    """Proposal shapes in this person's order."""
    return sorted(proposals, key=lambda p: (fnv1a(f"{seed}:{p['id']}"), p["id"]))
