"""Static files a phone loads once: content-addressed paths, immutable, brotli or gzip.

On venue Wi-Fi every request counts. A page names its files under `/static/v/<digest>/…`,
where the digest is a hash of the whole static/ tree (one for all files: the JavaScript
modules import each other by relative path, so they must share one folder). Under the current
digest a file is `immutable` for a year: a reload costs the page itself and nothing more.
Any change to any file makes a new digest, so a new page never gets an old file. A path
with another digest (a page from before a restart) gets today's file, revalidated each time
(`no-cache`), never cached under a name it does not match; plain `/static/…` too.

Text files are sent compressed (brotli when the browser takes it, else gzip), compressed
once per process at the highest levels and kept in memory: the join page's files are ~100 KB
as written, ~30 KB on the wire. Pages themselves are compressed by Flask-Compress (below),
except for requests another site makes the browser send (Sec-Fetch-Site: cross-site): a
compressed page that holds a secret (the CSRF token) and reflects the attacker's input is
what BREACH measures.
"""

import gzip
import hashlib
import mimetypes
import os
from pathlib import Path

import brotli
from flask import Response, abort, current_app, request
from flask_compress import Compress
from werkzeug.security import safe_join

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
COMPRESSIBLE = {"text/css", "text/javascript", "application/javascript", "image/svg+xml",
                "application/json", "text/csv", "text/plain"}
compress = Compress()


def tree_digest(folder: Path) -> str:
    """A hash of every file's path and bytes under `folder` (10 hex digits)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


class _Encoded:
    """One file's bytes as written and compressed, read once per process."""

    def __init__(self, path: str):
        self.raw = Path(path).read_bytes()
        self.mtime = os.path.getmtime(path)
        self.kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
        self.etag = hashlib.sha256(self.raw).hexdigest()[:16]
        self.variants = {}
        if self.kind in COMPRESSIBLE and len(self.raw) > 512:
            self.variants["br"] = brotli.compress(self.raw, quality=11)
            self.variants["gzip"] = gzip.compress(self.raw, compresslevel=9, mtime=0)


class StaticFiles:
    def __init__(self, folder: str):
        self.folder = folder
        self.digest = tree_digest(Path(folder))
        self._files: dict[str, _Encoded] = {}

    def file(self, filename: str) -> _Encoded:
        path = safe_join(self.folder, filename)
        if path is None or not os.path.isfile(path) or Path(filename).name.startswith("."):
            abort(404)
        cached = self._files.get(path)
        if cached is None or (current_app.debug and cached.mtime != os.path.getmtime(path)):
            cached = self._files[path] = _Encoded(path)
        return cached

    def response(self, filename: str, digest: str | None) -> Response:
        entry = self.file(filename)
        encoding = next((e for e in ("br", "gzip") if e in entry.variants
                         and e in request.accept_encodings), None)
        body = entry.variants[encoding] if encoding else entry.raw
        response = Response(body, mimetype=entry.kind)
        if encoding:
            response.headers["Content-Encoding"] = encoding
        if entry.variants:
            response.vary.add("Accept-Encoding")
        response.set_etag(entry.etag + ("-" + encoding if encoding else ""))
        response.headers["Cache-Control"] = IMMUTABLE if digest == self.digest else REVALIDATE
        return response.make_conditional(request)


def init_app(app) -> None:
    """`url_for('static', filename=…)` names the content-addressed path; Flask's own static
    route is replaced by ours (create_app makes the app with static_folder only)."""
    files = StaticFiles(app.static_folder)
    app.extensions["static_files"] = files

    def current(digest, filename):
        return files.response(filename, digest)

    def plain(filename):
        return files.response(filename, None)

    app.add_url_rule("/static/v/<digest>/<path:filename>", endpoint="static", view_func=current)
    app.add_url_rule("/static/<path:filename>", endpoint="static_plain", view_func=plain)

    @app.url_defaults
    def _digest(endpoint, values):
        if endpoint == "static":
            values.setdefault("digest", files.digest)

    app.config.setdefault("COMPRESS_REGISTER", False)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    # Quality 3: 6.3 KB of a 33 KB phone page in 0.19 ms; 5 saves 0.6 KB for 0.53 ms, paid
    # by every join (docs/benchmarks.md).
    app.config.setdefault("COMPRESS_BR_LEVEL", 3)
    app.config.setdefault("COMPRESS_LEVEL", 6)
    # Exports and other streamed answers stay streamed, uncompressed.
    app.config.setdefault("COMPRESS_STREAMS", False)
    compress.init_app(app)

    @app.after_request
    def _compress_pages(response):
        if request.headers.get("Sec-Fetch-Site") == "cross-site":
            return response  # BREACH: see the module's docstring
        if request.endpoint in ("static", "static_plain"):
            return response  # compressed once, above
        return compress.after_request(response)
