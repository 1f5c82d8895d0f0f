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
as written, ~30 KB on the wire. Pages themselves are compressed by Flask-Compress (below)
only for requests the browser says are the person's own (Sec-Fetch-Site: none, a link opened
or a code scanned; same-origin, our own pages): a compressed page that holds a secret (the
CSRF token, a follow link) and reflects input another site chose is what BREACH measures.
A browser that sends no Sec-Fetch-Site (older than 2023) gets pages uncompressed.
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


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def file_hashes(folder: Path) -> dict[str, str]:
    """Each file's sha256 under `folder`, by its path from there (dot files and folders left
    out: they are never served)."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*"))
            if path.is_file() and not _hidden(path.relative_to(folder))}


def tree_digest(folder: Path, hashes: dict[str, str] | None = None) -> str:
    """A hash of every file's path and bytes under `folder` (10 hex digits)."""
    digest = hashlib.sha256()
    for name, file_hash in (hashes or file_hashes(folder)).items():
        digest.update(f"{name}\0{file_hash}\n".encode())
    return digest.hexdigest()[:10]


class _Encoded:
    """One file's bytes as written and compressed, read once per process."""

    def __init__(self, path: str):
        self.raw = Path(path).read_bytes()
        self.mtime = os.path.getmtime(path)
        self.kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
        self.sha = hashlib.sha256(self.raw).hexdigest()
        self.etag = self.sha[:16]
        self.variants = {}
        if self.kind in COMPRESSIBLE and len(self.raw) > 512:
            self.variants["br"] = brotli.compress(self.raw, quality=11)
            self.variants["gzip"] = gzip.compress(self.raw, compresslevel=9, mtime=0)


class StaticFiles:
    def __init__(self, folder: str):
        self.folder = folder
        # What each file held when the digest was made: a file changed on disk since (a
        # build or a pull before the restart) is served, but never as immutable under it.
        self.hashes = file_hashes(Path(folder))
        self.digest = tree_digest(Path(folder), self.hashes)
        self._files: dict[str, _Encoded] = {}

    def file(self, filename: str) -> _Encoded:
        path = safe_join(self.folder, filename)
        if path is None or not os.path.isfile(path) or _hidden(Path(filename)):
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
        current = digest == self.digest and self.hashes.get(filename) == entry.sha
        response.headers["Cache-Control"] = IMMUTABLE if current else REVALIDATE
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
        if request.headers.get("Sec-Fetch-Site") not in ("same-origin", "none"):
            return response  # BREACH: see the module's docstring
        if request.endpoint in ("static", "static_plain"):
            return response  # compressed once, above
        return compress.after_request(response)
