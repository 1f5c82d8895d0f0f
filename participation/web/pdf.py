"""HTML to PDF on the server (WeasyPrint), for print views that are also downloads.

Rendering never leaves this machine: the only things a page may pull in are the app's own
static files (its stylesheets), read from disk. Anything else — another host, a file:// path,
even one of our own dynamic pages — is refused, so a text typed by a resident can never make
the server fetch a URL, and a PDF never waits on the network.

WeasyPrint is imported on the first PDF, not with the app: it loads Pango through cffi, and a
server without those libraries still runs every other page (docs/deploy.md lists them).
"""

import logging
import mimetypes
import threading
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.security import safe_join

from ..core.errors import OperationError


def static_file(url: str, static_prefix: str, static_folder: str) -> tuple[bytes, str]:
    """The bytes and type of `<static_prefix>…` from the static folder; ValueError for any
    other URL (WeasyPrint then leaves that resource out and logs a warning)."""
    parts, prefix = urlsplit(url), urlsplit(static_prefix)
    if (parts.scheme, parts.netloc) != (prefix.scheme, prefix.netloc) \
            or not parts.path.startswith(prefix.path):
        raise ValueError(f"not one of the app's static files: {url}")
    path = safe_join(static_folder, unquote(parts.path.removeprefix(prefix.path)))
    if path is None or not Path(path).is_file():
        raise ValueError(f"no such static file: {url}")
    return Path(path).read_bytes(), mimetypes.guess_type(path)[0] or "application/octet-stream"


# app.css is written for browsers: WeasyPrint warns of each rule it does not know (sticky,
# media queries by width, …) on every PDF. Those say nothing about the PDF; a refused or
# failed fetch still shows.
CSS_CHATTER = ("Ignored", "Invalid media type", "Expected a media type")
logging.getLogger("weasyprint").addFilter(
    lambda record: not str(record.msg).startswith(CSS_CHATTER))


@cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesOnly(URLFetcher):
        def __init__(self, static_prefix: str, static_folder: str):
            super().__init__()
            self.static_prefix, self.static_folder = static_prefix, static_folder

        def fetch(self, url, headers=None):
            body, kind = static_file(url, self.static_prefix, self.static_folder)
            return URLFetcherResponse(url, body, {"Content-Type": kind})

    return StaticFilesOnly


# One PDF at a time per process: a long report takes seconds of CPU, and a second one waits
# its turn rather than doubling the load (the refusal says to try again).
_one_at_a_time = threading.BoundedSemaphore(1)


def _off_the_event_loop(work):
    """Under gevent, the layout runs in a native thread of gevent's pool, so the hub (every
    phone's socket, every other request) keeps its turns while a long report renders; the GIL
    is handed over every few milliseconds. Without gevent, a thread per request already."""
    try:
        from gevent import get_hub, monkey
    except ImportError:
        return work()
    return get_hub().threadpool.apply(work) if monkey.is_module_patched("threading") \
        else work()


def render_pdf(html: str) -> bytes:
    """A tagged PDF (PDF/UA-1: a structure tree for screen readers; the document's language
    and title from <html lang> and <title>) of a page rendered in this request."""
    from weasyprint import HTML

    static = url_for("static", filename="", _external=True)
    fetcher = _fetcher_class()(static, current_app.static_folder)
    document = HTML(string=html, base_url=request.url_root, url_fetcher=fetcher)
    if not _one_at_a_time.acquire(blocking=False):
        raise OperationError("busy", _l("Another report is being made. Try again in a "
                                        "minute."), 503)
    try:
        return _off_the_event_loop(lambda: document.write_pdf(pdf_variant="pdf/ua-1"))
    finally:
        _one_at_a_time.release()
