"""Client addresses as keyed hashes: rate-limit and lockout counters, in memory or in Redis,
never hold an IP address."""

import hmac

from flask import current_app


def address_key(address: str | None) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return "ip:" + hmac.new(secret, (address or "").encode(), "sha256").hexdigest()[:24]
