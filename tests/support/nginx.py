"""Debian's nginx in front of the real server processes, with deploy/nginx/participation.conf.

Started by the test itself, as any user: its own prefix, pid, logs and temp folders in a tmp
directory, on a free port. The site is the deploy file with only its addresses swapped.
"""

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import requests

from .live import ROOT, free_port

SITE = ROOT / "deploy" / "nginx" / "participation.conf"
MIME = Path("/etc/nginx/mime.types")


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None)


def site_for(upstreams: list[str], port: int) -> str:
    """The deploy site with its upstream servers, its port and its static folder replaced."""
    site = SITE.read_text()
    block = re.search(r"(?:^[ \t]*server 127\.0\.0\.1:\d+[^\n]*;\n)+", site, re.MULTILINE)
    assert block, "upstream servers not found in the deploy site"
    indent = re.match(r"[ \t]*", block.group(0)).group(0)
    # The deploy file's own parameters (max_fails, fail_timeout), only the address swapped.
    parameters = re.match(r"[ \t]*server \S+(.*);", block.group(0)).group(1)
    lines = "".join(f"{indent}server {address}{parameters};\n" for address in upstreams)
    site = site[:block.start()] + lines + site[block.end():]
    # Only the live line: the commented TLS example has one too.
    site, listens = re.subn(r"(?m)^([ \t]*)listen 80;", rf"\g<1>listen 127.0.0.1:{port};", site)
    site, aliases = re.subn(r"alias /srv/participation/static/(\$1)?;",
                            lambda m: f"alias {ROOT / 'static'}/{m.group(1) or ''};", site)
    assert listens == 1 and aliases == 2, "the deploy site changed shape; update site_for()"
    return site


class Nginx:
    def __init__(self, binary: str, workdir: Path, upstreams: list[str]):
        self.binary, self.workdir = binary, workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        (workdir / "site.conf").write_text(site_for(upstreams, self.port))
        mime = f"include {MIME};" if MIME.exists() else "types { text/css css; }"
        # As root the workers would drop to nobody, who cannot write the tmp folders.
        user = "user root;" if os.geteuid() == 0 else ""
        temps = "".join(f"    {kind}_temp_path {workdir / kind};\n"
                        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        (workdir / "nginx.conf").write_text(f"""{user}
daemon off;
worker_processes 1;
worker_rlimit_nofile 40000;
pid {workdir / 'nginx.pid'};
error_log {workdir / 'error.log'} info;
# Two connections per phone (the phone's and the one to the app): bench.phones opens thousands.
events {{ worker_connections 16384; }}
http {{
    {mime}
    access_log {workdir / 'access.log'};
{temps}    include {workdir / 'site.conf'};
}}
""")
        self.process = None

    def start(self):
        command = [self.binary, "-p", str(self.workdir), "-c", str(self.workdir / "nginx.conf"),
                   "-e", str(self.workdir / "error.log")]
        check = subprocess.run([*command, "-t"], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.error_log())
            try:
                requests.get(self.url + "/healthz", timeout=1)
                return
            except requests.ConnectionError:
                time.sleep(0.05)  # waiting for nginx to listen, not timing anything
        raise RuntimeError("nginx did not listen:\n" + self.error_log())

    def error_log(self) -> str:
        path = self.workdir / "error.log"
        return path.read_text() if path.exists() else ""

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: nginx's fast shutdown
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
