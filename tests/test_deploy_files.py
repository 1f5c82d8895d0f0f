"""The shipped deploy/ files agree with the app: nginx parses (plain and with the TLS lines
uncommented), takes the largest body the app takes and no more, marks static files nosniff
(and HSTS over TLS); the systemd unit runs as `participation` with the settings file."""

import re
import subprocess

import pytest
import requests
import urllib3

from participation import config

from .support.live import ROOT, free_port
from .support.nginx import SITE, Nginx, nginx_binary
from .support.required import missing

UNIT = ROOT / "deploy" / "systemd" / "participation@.service"


def app_body_limit() -> int:
    """The largest request the app answers itself: a backlog CSV plus its form
    (staff/backlog.py, api/backlog_views.py); everything else stops at MAX_CONTENT_LENGTH."""
    settings = config.load(ROOT / "instance", {"SECRET_KEY": "x" * 48,
                                               "DATABASE_URL": "sqlite://"})
    return settings["BACKLOG_IMPORT_MAX_BYTES"] + settings["MAX_CONTENT_LENGTH"]


@pytest.fixture
def binary():
    return nginx_binary() or missing("nginx is not installed (apt-get install nginx)")


def test_client_max_body_size_is_the_apps_limit():
    sizes = re.findall(r"^\s*client_max_body_size (\d+)k;", SITE.read_text(), re.MULTILINE)
    assert sizes == [str(app_body_limit() // 1024)]


@pytest.mark.live
def test_nginx_passes_the_largest_body_the_app_takes_and_refuses_more(binary, tmp_path):
    # No app behind it: a body nginx lets through gets 502 (no upstream), one it refuses 413.
    proxy = Nginx(binary, tmp_path, [f"127.0.0.1:{free_port()}"])
    proxy.start()
    try:
        limit = app_body_limit()
        url = proxy.url + "/staff/backlog/import"
        assert requests.post(url, data=b"x" * limit, timeout=10).status_code == 502
        assert requests.post(url, data=b"x" * (limit + 1), timeout=10).status_code == 413
        static = requests.get(proxy.url + "/static/favicon.svg", timeout=10)
        assert static.status_code == 200
        assert static.headers["X-Content-Type-Options"] == "nosniff"
        assert "Strict-Transport-Security" not in static.headers  # plain HTTP: none
        # A page's content-addressed path (web/assets.py): from disk, cached for good, gzipped.
        addressed = requests.get(proxy.url + "/static/v/0123456789/css/app.css", timeout=10,
                                 headers={"Accept-Encoding": "gzip"})
        assert addressed.status_code == 200
        assert addressed.content == (ROOT / "static/css/app.css").read_bytes()
        assert addressed.headers["Content-Type"] == "text/css; charset=utf-8"
        assert addressed.headers["Content-Encoding"] == "gzip"
        assert addressed.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert addressed.headers["X-Content-Type-Options"] == "nosniff"
        for outside in ("/static/v/0123456789/../../wsgi.py", "/static/v/xyz/css/app.css"):
            assert requests.get(proxy.url + outside, timeout=10).status_code == 404
    finally:
        proxy.stop()


@pytest.mark.live
def test_the_tls_example_parses_and_sends_hsts(binary, tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    proxy = Nginx(binary, tmp_path, [f"127.0.0.1:{free_port()}"])
    site = (tmp_path / "site.conf").read_text()
    tls_port, redirect_port = free_port(), free_port()
    site, uncommented = re.subn(r"(?m)^([ \t]*)#TLS ?", r"\1", site)
    assert uncommented >= 7, "the TLS example changed shape"
    site = re.sub(r"(?m)^(\s*)listen 80;", rf"\g<1>listen 127.0.0.1:{redirect_port};", site)
    site = site.replace("listen 443 ssl", f"listen 127.0.0.1:{tls_port} ssl")
    site = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {cert};", site)
    site = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {key};", site)
    (tmp_path / "site.conf").write_text(site)
    proxy.start()  # `nginx -t` first
    urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    try:
        static = requests.get(f"https://127.0.0.1:{tls_port}/static/favicon.svg", verify=False,
                              timeout=10)
        assert static.status_code == 200
        assert static.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert static.headers["X-Content-Type-Options"] == "nosniff"
        moved = requests.get(f"http://127.0.0.1:{redirect_port}/j/ABC", allow_redirects=False,
                             timeout=10)
        assert moved.status_code == 301
        assert moved.headers["Location"] == "https://127.0.0.1/j/ABC"
    finally:
        proxy.stop()


def test_the_unit_runs_as_participation_with_the_settings_file_and_no_served_by():
    lines = [line.strip() for line in UNIT.read_text().splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    assert "User=participation" in lines and "Group=participation" in lines
    assert "Environment=PARTICIPATION_CONFIG=/etc/participation/env" in lines
    # X-Served-By tells clients host names: a debugging setting, off in the shipped unit.
    assert not [line for line in lines if "SERVER_NAME_TAG" in line]


def test_systemd_waits_longer_than_the_drain_and_nginx_retries_soon():
    """systemd SIGKILLs only after TimeoutStopSec: it must outlast the graceful stop's longest
    drain. nginx takes a restarted process back after fail_timeout, which must be seconds."""
    settings = config.load(ROOT / "instance", {"SECRET_KEY": "x" * 48,
                                               "DATABASE_URL": "sqlite://"})
    stop = re.search(r"^TimeoutStopSec=(\d+)$", UNIT.read_text(), re.MULTILINE)
    assert stop and int(stop.group(1)) > settings["DRAIN_SECONDS"]
    upstreams = re.findall(r"^\s*server 127\.0\.0\.1:\d+ (.*);$", SITE.read_text(), re.MULTILINE)
    assert upstreams and all(u == "max_fails=1 fail_timeout=2s" for u in upstreams), upstreams
    # No idle keep-alive pool to the app: a stopping process could close one under a POST.
    assert not re.search(r"^\s*keepalive\s", SITE.read_text(), re.MULTILINE)
