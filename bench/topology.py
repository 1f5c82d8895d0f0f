"""The multi-process site for the bench: nginx in front of two (or three) app processes on
PostgreSQL, with Redis as Socket.IO's message queue, started by tests/support/topology.py as
tests/test_multiprocess.py starts it.

Phones reach nginx only and keep the `lb` routing cookie their join page set
(participation/core/routing.py), so they spread over both processes; the projector is given a
routing cookie that lands it on the second process, so most tally pushes it sees were written
through the first one and crossed Redis.
"""

import tempfile
from contextlib import contextmanager
from pathlib import Path

from tests.support.live import PASSWORD, LiveServer
from tests.support.nginx import Nginx, nginx_binary
from tests.support.topology import TAGS, behind_nginx, fresh_database, routing_cookie


class Processes:
    """What bench.phones measures: the nginx address, a facilitator, both app processes."""

    def __init__(self, proxy: Nginx, servers: list[LiveServer]):
        self.proxy, self.servers = proxy, servers
        self.url = proxy.url
        self.email, self.password = "fac@live.se", PASSWORD
        self.pids = [server.process.pid for server in servers]
        self.metrics_urls = [server.url for server in servers]  # each process's own port
        self.proxy_pids = [proxy.process.pid]
        self.projector_cookies = {"lb": routing_cookie(proxy.url, TAGS[1])}
        self.token = servers[0].tokens["fac@live.se"]

    def auth(self, email=None):
        return {"Authorization": f"Bearer {self.token}"}

    create_event = LiveServer.create_event
    set_phase = LiveServer.set_phase


@contextmanager
def processes(postgres_url: str, redis_url: str, count: int = 2):
    binary = nginx_binary()
    if binary is None:
        raise SystemExit("--topology two/three needs nginx (apt-get install nginx-light)")
    database = fresh_database(postgres_url, "bench")
    with tempfile.TemporaryDirectory() as workdir, \
            behind_nginx(binary, Path(workdir), database, redis_url,
                         processes=count) as (proxy, servers):
        yield Processes(proxy, servers)
