"""What a phone downloads (web/assets.py): content-addressed static files, immutable, brotli or
gzip; the join page within its byte budget on the wire; a reload asks for the page only."""

import gzip
import re
from pathlib import Path

import brotli
import pytest

from bench.page_weight import page_weight

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 45 * 1024  # the join page's first load, bytes on the wire (issue 20)


def _fetch(client):
    def fetch(url, headers):
        response = client.get(url.removeprefix("http://localhost"), headers=headers)
        sent = response.get_data()
        encoding = response.headers.get("Content-Encoding")
        body = {"br": brotli.decompress, "gzip": gzip.decompress}.get(encoding, bytes)(sent)
        return response.status_code, response.headers, sent, body
    return fetch


@pytest.fixture
def event(app, make_event):
    return make_event(phase="collect")


def test_the_join_page_loads_within_its_budget_and_a_reload_asks_for_the_page_only(
        client, event):
    weight = page_weight(_fetch(client), f"http://localhost/j/{event.code}")
    assert weight["not_ok"] == []
    assert weight["bytes_on_wire"] <= BUDGET, weight["detail"]
    # Every file is compressed when it is worth it, and cached for good under its digest.
    for entry in weight["detail"]:
        if entry["decoded"] > 1024:
            assert entry["encoding"] == "br", entry
    assert all("immutable" in f["cache"] for f in weight["detail"][1:])
    assert weight["reload_requests"] == 1
    # The phone's modules arrive as one bundle, not as two dozen requests.
    assert weight["files"] <= 6, [f["url"] for f in weight["detail"]]


def test_static_paths_name_the_tree_digest_and_change_with_any_file(app, client, tmp_path):
    from participation.web.assets import tree_digest

    files = app.extensions["static_files"]
    page = client.get("/login").get_data(as_text=True)
    css = re.search(r'href="(/static/v/([0-9a-f]{10})/css/app\.css)"', page)
    assert css and css.group(2) == files.digest
    (tmp_path / "a.js").write_text("one")
    before = tree_digest(tmp_path)
    (tmp_path / "a.js").write_text("two")
    assert tree_digest(tmp_path) != before


def test_encodings_decode_to_the_file_and_the_browser_chooses(client, app):
    digest = app.extensions["static_files"].digest
    raw = (ROOT / "static/css/app.css").read_bytes()
    url = f"/static/v/{digest}/css/app.css"
    for accept, encoding, decode in (("br, gzip", "br", brotli.decompress),
                                     ("gzip", "gzip", gzip.decompress),
                                     ("identity", None, bytes)):
        response = client.get(url, headers={"Accept-Encoding": accept})
        assert response.status_code == 200
        assert response.headers.get("Content-Encoding") == encoding
        assert "Accept-Encoding" in response.headers["Vary"]
        assert response.headers["Content-Type"].startswith("text/css")
        assert decode(response.get_data()) == raw
    # Revalidation by ETag costs no body.
    etag = client.get(url, headers={"Accept-Encoding": "br"}).headers["ETag"]
    again = client.get(url, headers={"Accept-Encoding": "br", "If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""


def test_only_the_current_digest_is_cached_for_good(client, app):
    digest = app.extensions["static_files"].digest
    current = client.get(f"/static/v/{digest}/css/app.css")
    assert current.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # A page from before a restart still gets its files, but nothing is kept under a name
    # whose content it does not match.
    for url in ("/static/v/0000000000/css/app.css", "/static/css/app.css"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-cache"


@pytest.mark.parametrize("path", ["../participation/config.py", "..%2F..%2Fetc/passwd",
                                  "bundle/.stamp", "css/", "nowhere.js", "%00.css",
                                  ".hidden/app.css"])
def test_nothing_outside_the_static_files_is_served(client, app, path):
    digest = app.extensions["static_files"].digest
    for url in (f"/static/v/{digest}/{path}", f"/static/{path}"):
        assert client.get(url).status_code == 404, url


def test_pages_are_compressed_only_for_the_persons_own_requests(client, event):
    url = f"/j/{event.code}"
    for site in ("none", "same-origin"):  # a scanned link; our own pages
        own = client.get(url, headers={"Accept-Encoding": "br, gzip", "Sec-Fetch-Site": site})
        assert own.headers["Content-Encoding"] == "br"
        assert b"csrf-token" in brotli.decompress(own.get_data())
    # BREACH: a page another site makes the browser load (its secrets beside input that site
    # chose) goes out uncompressed, as does one from a browser that does not say.
    for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"}, {}):
        other = client.get(url, headers={"Accept-Encoding": "br, gzip", **headers})
        assert "Content-Encoding" not in other.headers, headers
        assert b"csrf-token" in other.get_data()


def test_a_file_changed_since_the_start_is_never_cached_for_good(app, client):
    files = app.extensions["static_files"]
    files.hashes["css/app.css"] = "0" * 64  # as if the file on disk changed after the digest
    response = client.get(f"/static/v/{files.digest}/css/app.css")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"


def test_the_phone_bundle_is_built_from_its_modules():
    """`make setup` bundles static/js/phone.js; a stale bundle would ship yesterday's code."""
    bundle = ROOT / "static/bundle/phone.js"
    assert bundle.is_file()
    newest = max(p.stat().st_mtime for p in (ROOT / "static/js").rglob("*.js"))
    assert bundle.stat().st_mtime >= newest
