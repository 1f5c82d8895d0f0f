"""The one check for every redirect target taken from a request (`next=`, a form's `next`)."""

import unicodedata
from urllib.parse import urlsplit


def safe_next(target, fallback: str) -> str:
    """`target` when it is a path on this site, else `fallback`.

    Never another host: no scheme, no `//host`, no backslash (browsers read `/\\host` as
    `//host`), and no control or whitespace character at all — Werkzeug and browsers drop a
    tab or newline (`/%09/evil.example` becomes `//evil.example`), and CR/LF in a Location
    header is header injection.
    """
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        return fallback
    if "\\" in target or any(unicodedata.category(c)[0] in "CZ" for c in target):
        return fallback
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else fallback
