"""The two-process site for the bench: nginx in front of two app processes on PostgreSQL, with
Redis as Socket.IO's message queue, set up as tests/test_multiprocess.py sets it up.

Phones reach nginx only and keep the `lb` routing cookie their join page set
(participation/core/routing.py), so they spread over both processes; the projector is given a
routing cookie that lands it on the second process, so most tally pushes it sees were written
through the first one and crossed Redis.
"""

import secrets
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

import requests
from sqlalchemy.engine import make_url

from tests.support.live import PASSWORD, LiveServer
from tests.support.nginx import Nginx, nginx_binary

TAGS = ("proc-a", "proc-b")


def _fresh_database(url):
    """The bench's own database next to the given one, emptied: `<name>_bench`."""
    import psycopg

    url = make_url(url)
    url = url.set(database=f"{url.database}_bench")
    plain = url.set(drivername="postgresql")
    with psycopg.connect(plain.set(database="postgres").render_as_string(hide_password=False),
                         autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                            (url.database,)).fetchone():
            conn.execute(f'CREATE DATABASE "{url.database}"')
    with psycopg.connect(plain.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    return url.render_as_string(hide_password=False)


def _cookie_for(url: str, tag: str) -> str:
    """A routing cookie nginx sends to the process `tag`, found by asking."""
    for _ in range(200):
        value = secrets.token_hex(8)
        response = requests.get(url + "/healthz", cookies={"lb": value}, timeout=5)
        if response.headers.get("X-Served-By") == tag:
            return value
    raise RuntimeError(f"no routing cookie reached {tag}")


class TwoProcesses:
    """What bench.phones measures: the nginx address, a facilitator, both app processes."""

    def __init__(self, proxy: Nginx, servers: list[LiveServer]):
        self.proxy, self.servers = proxy, servers
        self.url = proxy.url
        self.email, self.password = "fac@live.se", PASSWORD
        self.pids = [server.process.pid for server in servers]
        self.proxy_pids = [proxy.process.pid]
        self.projector_cookies = {"lb": _cookie_for(proxy.url, TAGS[1])}
        self.token = servers[0].tokens["fac@live.se"]

    def auth(self, email=None):
        return {"Authorization": f"Bearer {self.token}"}

    create_event = LiveServer.create_event
    set_phase = LiveServer.set_phase


@contextmanager
def two_processes(postgres_url: str, redis_url: str):
    binary = nginx_binary()
    if binary is None:
        raise SystemExit("--topology two needs nginx (apt-get install nginx-light)")
    database = _fresh_database(postgres_url)
    with tempfile.TemporaryDirectory() as workdir:
        root = Path(workdir)
        servers = [LiveServer(root / tag) for tag in TAGS]
        for server in servers:
            server.workdir.mkdir()
        proxy = Nginx(binary, root, [f"127.0.0.1:{server.port}" for server in servers])
        channel = f"participation-bench-{uuid.uuid4().hex[:12]}"
        for tag, server in zip(TAGS, servers, strict=True):
            server.env.update({
                "DATABASE_URL": database, "REDIS_URL": redis_url, "SOCKETIO_CHANNEL": channel,
                "LB_COOKIE": "lb", "SERVER_NAME_TAG": tag, "PROXY_HOPS": "1",
                "PUBLIC_BASE_URL": proxy.url,
            })
        try:
            for server in servers:
                server.start()
            proxy.start()
            yield TwoProcesses(proxy, servers)
        finally:
            proxy.stop()
            for server in servers:
                server.stop()
