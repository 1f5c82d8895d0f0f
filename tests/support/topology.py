"""Two app processes behind nginx, on PostgreSQL with Redis as Socket.IO's message queue: the
deploy/ topology, as tests/test_multiprocess.py checks it and bench/topology.py measures it."""

import secrets
import uuid
from contextlib import contextmanager
from pathlib import Path

import requests

from .live import LiveServer
from .nginx import Nginx

TAGS = ("proc-a", "proc-b")


def ensure_database(url: str) -> None:
    """Creates the PostgreSQL database `url` names, if it is not there yet."""
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = parsed.set(database="postgres", drivername="postgresql")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                              (parsed.database,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{parsed.database}"')


def fresh_database(url: str, suffix: str) -> str:
    """`<name>_<suffix>` next to the database `url` names, created if need be and emptied."""
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    parsed = parsed.set(database=f"{parsed.database}_{suffix}")
    ensure_database(parsed.render_as_string(hide_password=False))
    plain = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    return parsed.render_as_string(hide_password=False)


def routing_cookie(proxy_url: str, tag: str) -> str:
    """A routing cookie nginx sends to the process `tag` (found by asking, not by hashing)."""
    for _ in range(200):
        value = secrets.token_hex(8)
        response = requests.get(proxy_url + "/healthz", cookies={"lb": value}, timeout=5)
        if response.headers.get("X-Served-By") == tag:
            return value
    raise RuntimeError(f"no routing cookie reached {tag}")


@contextmanager
def behind_nginx(binary: str, workdir: Path, database_url: str, redis_url: str, *,
                 processes: int = 2, **start):
    """Starts the processes (two, or as many as `processes`: the bench's three) and nginx in
    front; yields (proxy, servers), stops them after."""
    servers = []
    tags = TAGS + tuple(f"proc-{chr(ord('a') + i)}" for i in range(len(TAGS), processes))
    tags = tags[:processes]
    for tag in tags:
        (workdir / tag).mkdir()
        servers.append(LiveServer(workdir / tag))
    proxy = Nginx(binary, workdir, [f"127.0.0.1:{server.port}" for server in servers])
    # Its own pub/sub channel, so another run on the same Redis never crosses this one.
    channel = f"participation-{uuid.uuid4().hex[:12]}"
    for tag, server in zip(tags, servers, strict=True):
        server.env.update({
            "DATABASE_URL": database_url, "REDIS_URL": redis_url, "SOCKETIO_CHANNEL": channel,
            "LB_COOKIE": "lb", "SERVER_NAME_TAG": tag, "PROXY_HOPS": "1",
            "PUBLIC_BASE_URL": proxy.url,
        })
    try:
        # The accounts once, through the first: `users create` again for an existing account
        # sets a new password, which revokes the tokens the first process handed out.
        servers[0].start(**start)
        for server in servers[1:]:
            server.tokens = servers[0].tokens
            server.start(staff=())
        proxy.start()
        yield proxy, servers
    finally:
        proxy.stop()
        for server in servers:
            server.stop()
