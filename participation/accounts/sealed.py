"""TOTP secrets are stored encrypted (Fernet: AES-128-CBC with an HMAC), so a copy of the
database or a backup alone does not let anyone produce a staff member's codes.

The key is MFA_ENCRYPTION_KEY when set, else derived from SECRET_KEY. Changing the key makes
stored secrets unreadable: those staff then log in with a recovery code (or an admin resets
their second factor) and set it up again.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app


def _fernet() -> Fernet:
    config = current_app.config
    material = config.get("MFA_ENCRYPTION_KEY") or config["SECRET_KEY"]
    # Any text is accepted as the key: hashed to Fernet's 32 bytes, apart from other uses.
    key = hashlib.sha256(b"participation totp secret\0" + material.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def unseal(sealed: str | None) -> str | None:
    """The secret, or None when there is none or the key has changed since it was sealed."""
    if not sealed:
        return None
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except (InvalidToken, ValueError):
        return None
