"""What a phone downloads to open a page: the page, its styles and scripts, and every JavaScript
module they import, as bytes on the wire (compressed as the server sends them to a browser
that accepts brotli and gzip); then what a reload asks again (cached files are not asked for).

    .venv/bin/python -m bench.page_weight http://127.0.0.1:5000/j/ABCDEF
    .venv/bin/python -m bench.page_weight      # starts the server, an event with 6 proposals
"""

import argparse
import json
import re
import sys
from urllib.parse import urljoin, urlsplit

ASSETS = re.compile(r'<(?:script|link)\b[^>]*?(?:src|href)="([^"]+)"')
IMPORTS = re.compile(r"""(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]"""
                     r"""|import\(['"]([^'"]+)['"]\)""")
# A phone opening a scanned join link: it takes brotli, and says the request is its own.
BROWSER = {"Accept-Encoding": "br, gzip, deflate", "Sec-Fetch-Site": "none"}


def page_weight(fetch, url: str) -> dict:
    """`fetch(url, headers)` → (status, headers, bytes as sent, bytes decoded). Same-origin
    files only; each fetched once, as a browser would."""
    origin = urlsplit(url)[:2]
    status, headers, sent, body = fetch(url, BROWSER)
    files = [{"url": url, "status": status, "bytes": len(sent), "decoded": len(body),
              "encoding": headers.get("Content-Encoding"),
              "cache": headers.get("Cache-Control")}]
    queue = [urljoin(url, found) for found in ASSETS.findall(body.decode("utf-8", "replace"))]
    seen = {url}
    while queue:
        asset = queue.pop(0)
        if asset in seen or urlsplit(asset)[:2] != origin:
            continue
        seen.add(asset)
        status, headers, sent, body = fetch(asset, BROWSER)
        files.append({"url": asset, "status": status, "bytes": len(sent), "decoded": len(body),
                      "encoding": headers.get("Content-Encoding"),
                      "cache": headers.get("Cache-Control")})
        if asset.split("?")[0].endswith(".js"):
            text = body.decode("utf-8", "replace")
            queue += [urljoin(asset, a or b) for a, b in IMPORTS.findall(text)
                      if (a or b).startswith(".")]
    cached = [f for f in files[1:] if "immutable" in (f["cache"] or "")
              or "max-age" in (f["cache"] or "") and "max-age=0" not in f["cache"]]
    return {
        "url": url,
        "files": len(files),
        "bytes_on_wire": sum(f["bytes"] for f in files),
        "bytes_decoded": sum(f["decoded"] for f in files),
        "reload_requests": len(files) - len(cached),
        "not_ok": [f["url"] for f in files if f["status"] != 200],
        "detail": files,
    }


def fetch_with_requests(session):
    def fetch(url, headers):
        response = session.get(url, headers=headers, stream=True)
        sent = response.raw.read(decode_content=False)
        decoded = _decode(sent, response.headers)
        return response.status_code, response.headers, sent, decoded
    return fetch


def _decode(sent: bytes, headers) -> bytes:
    encoding = headers.get("Content-Encoding")
    if encoding == "br":
        import brotli

        return brotli.decompress(sent)
    if encoding == "gzip":
        import gzip

        return gzip.decompress(sent)
    return sent


def _measure_own_server() -> dict:
    """The real server in a temporary folder, an event collecting with six proposals."""
    import asyncio
    import tempfile
    from pathlib import Path

    import requests

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.phones import _live
    from bench.sustained import Room
    from tests.support.live import LiveServer

    with tempfile.TemporaryDirectory() as workdir:
        server = LiveServer(Path(workdir))
        server.start()
        try:
            room = asyncio.run(_seeded(Room(), _live(server)))
            return page_weight(fetch_with_requests(requests.Session()),
                               f"{server.url}/j/{room.event['code']}")
        finally:
            server.stop()


async def _seeded(room, server):
    """A Room with its six proposals and no other phone, left in its voting phase."""
    await room.open(server, 0)
    await room.close()
    return room


def main(argv=None):
    import requests

    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url", nargs="?", help="a join page (default: start a server)")
    parser.add_argument("--detail", action="store_true", help="every file, not only the sums")
    args = parser.parse_args(argv)
    if args.url:
        row = page_weight(fetch_with_requests(requests.Session()), args.url)
    else:
        row = _measure_own_server()
    if not args.detail:
        row.pop("detail")
    json.dump(row, sys.stdout, ensure_ascii=False)
    print()
    return row


if __name__ == "__main__":
    main()
