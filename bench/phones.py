"""Phones against the real server: join, connect, vote; the projector measures push delay.

    .venv/bin/python -m bench.phones 250 1000      # sizes; one JSON line per size
    .venv/bin/python -m bench.phones 250 --bare    # the same, then against bench/bare_server.py
    # an already-running site, e.g. nginx in front of two processes:
    .venv/bin/python -m bench.phones 1000 --url http://127.0.0.1:8080 --token … --pid 11 --pid 12

The server and this load generator run on the same machine, as separate processes.
"""

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import psutil
import socketio
import yarl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.support.live import PASSWORD, LiveServer, free_port  # noqa: E402


class Remote:
    """A site that is already running (e.g. nginx in front of several processes)."""

    def __init__(self, url, token, email, password, pids=()):
        self.url, self.token, self.email, self.password = url.rstrip("/"), token, email, password
        self.pids = list(pids)

    def auth(self, email=None):
        return {"Authorization": f"Bearer {self.token}"}

    create_event = LiveServer.create_event
    set_phase = LiveServer.set_phase


class Bare(Remote):
    """bench/bare_server.py in its own process: the same protocol, no application."""

    def __init__(self):
        port = free_port()
        root = Path(__file__).resolve().parent.parent
        self.process = subprocess.Popen([sys.executable, "-m", "bench.bare_server"], cwd=root,
                                        env={**os.environ, "PORT": str(port)},
                                        stdout=subprocess.DEVNULL)
        super().__init__(f"http://127.0.0.1:{port}", "bare", "bare", "bare",
                         [self.process.pid])
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                import requests

                if requests.get(self.url + "/healthz", timeout=1).ok:
                    return
            except Exception:
                time.sleep(0.1)
        raise RuntimeError("bare server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


def _live(server):
    """The LiveServer this script started, seen as a Remote."""
    server.email, server.password = "fac@live.se", PASSWORD
    server.pids = [server.process.pid]
    return server

PHONE_HEADERS = {"Accept-Encoding": "br, gzip", "Sec-Fetch-Site": "none"}
CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def pct(values, q):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


async def join_page(http_url, code, connector):
    """A phone opening the join link: its cookies (session, routing) and the page's token."""
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar, connector=connector,
                                     connector_owner=False) as http:
        # As a phone opening a scanned link: the page comes compressed (web/assets.py).
        async with http.get(f"{http_url}/j/{code}", headers=PHONE_HEADERS) as response:
            csrf = CSRF.search(await response.text()).group(1)
        return "; ".join(f"{c.key}={c.value}" for c in jar), csrf


async def join(http_url, code, event_id, connector):
    cookie, csrf = await join_page(http_url, code, connector)
    client = socketio.AsyncClient(reconnection=False)
    got_snapshot = asyncio.Event()
    client.on("snapshot", lambda data: got_snapshot.set())
    await client.connect(http_url, headers={"Cookie": cookie}, auth={"csrf_token": csrf,
                         "event": event_id}, transports=["websocket"], wait_timeout=30)
    await asyncio.wait_for(got_snapshot.wait(), 30)
    return client


async def open_projector(server, event_id, pushes):
    """A logged-in facilitator's projector; each tallies push is kept as (arrival, version)."""
    loop = asyncio.get_running_loop()
    staff = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    # Behind nginx: a routing cookie that puts the projector on a chosen process.
    staff.cookie_jar.update_cookies(getattr(server, "projector_cookies", {}),
                                    yarl.URL(server.url))
    page = await (await staff.get(server.url + "/login")).text()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    await staff.post(server.url + "/login", data={"email": server.email, "password":
                     server.password, "csrf_token": token})
    staff_csrf = CSRF.search(await (await staff.get(server.url + "/events")).text()).group(1)
    staff_cookie = "; ".join(f"{c.key}={c.value}" for c in staff.cookie_jar)
    projector = socketio.AsyncClient(reconnection=False)
    projector.on("tallies", lambda data: pushes.append((loop.time(), data["version"])))
    await projector.connect(server.url, headers={"Cookie": staff_cookie},
                            auth={"csrf_token": staff_csrf, "event": event_id,
                                  "projector": True},  # read by the bare server only
                            transports=["websocket"])
    return staff, projector


class Meter:
    """CPU seconds and resident memory of the server processes, added up."""

    def __init__(self, pids):
        self.processes = [psutil.Process(pid) for pid in pids]

    def rss(self):
        return sum(p.memory_info().rss for p in self.processes)

    def cpu_seconds(self):
        return sum(t.user + t.system for t in (p.cpu_times() for p in self.processes))


async def run_size(server, phones, vote_window):
    event = server.create_event(title=f"Bench {phones}")
    server.set_phase(event["id"], "collect")
    loop = asyncio.get_running_loop()
    connector = aiohttp.TCPConnector(limit=200)

    # A handful of proposals from a few phones, then voting opens.
    seed = [await join(server.url, event["code"], event["id"], connector) for _ in range(3)]
    proposal_ids = []
    for i, client in enumerate(seed * 2):
        ack = await client.call("submit_proposal", {"title": f"Förslag {i}",
                                                    "client_id": f"bench-seed-{i:04d}"})
        proposal_ids.append(ack["proposal"]["id"])
    server.set_phase(event["id"], "vote")

    pushes = []  # (arrival time, version)
    staff, projector = await open_projector(server, event["id"], pushes)
    meter = Meter(server.pids)
    processes, rss, cpu_seconds = meter.processes, meter.rss, meter.cpu_seconds

    rss_before = rss()
    started = time.perf_counter()
    clients = []
    for batch in range(0, phones, 50):
        clients += await asyncio.gather(*(join(server.url, event["code"], event["id"], connector)
                                          for _ in range(min(50, phones - batch))))
    join_seconds = time.perf_counter() - started
    rss_after = rss()
    cpu_before = cpu_seconds()

    acks, delays = [], []

    async def vote(index, client):
        await asyncio.sleep(random.uniform(0, vote_window))
        sent = loop.time()
        ack = await client.call("vote", {"proposal_id": random.choice(proposal_ids),
                                         "client_id": f"bench-{phones}-{index:06d}"}, timeout=30)
        acked = loop.time()
        assert ack["ok"], ack
        acks.append(acked - sent)
        while True:
            arrived = next((t for t, v in pushes if v >= ack["version"]), None)
            if arrived is not None:
                delays.append(max(0.0, arrived - acked))
                return
            await asyncio.sleep(0.01)

    vote_started = loop.time()
    await asyncio.gather(*(vote(i, c) for i, c in enumerate(clients)))
    vote_seconds = loop.time() - vote_started
    cpu = cpu_seconds() - cpu_before

    for client in clients + seed + [projector]:
        await client.disconnect()
    await staff.close()
    await connector.close()
    return {
        "phones": phones,
        "join_s": round(join_seconds, 2),
        "votes_per_s": round(phones / vote_seconds, 1),
        "ack_p50_ms": round(1000 * statistics.median(acks), 1),
        "ack_p95_ms": round(1000 * pct(acks, 95), 1),
        "ack_p99_ms": round(1000 * pct(acks, 99), 1),
        "push_p50_ms": round(1000 * statistics.median(delays), 1),
        "push_p95_ms": round(1000 * pct(delays, 95), 1),
        "push_p99_ms": round(1000 * pct(delays, 99), 1),
        "server_cpu_s": round(cpu, 2),
        "rss_mb": round(rss() / 2**20, 1) if processes else None,
        "kb_per_phone": round((rss_after - rss_before) / 1024 / phones, 1) if processes else None,
    }


OUT: list[str] = []  # --out: a file every row is appended to as well


def _emit(row):
    line = json.dumps(row, ensure_ascii=False)
    print(line, flush=True)
    for path in OUT:
        with open(path, "a") as out:
            out.write(line + "\n")


def _run(server, sizes, vote_window, label):
    rows = []
    for size in sizes:
        rows.append({"server": label, **asyncio.run(run_size(server, size, vote_window))})
        _emit(rows[-1])
    return rows


def _measure(server, args, label, profile=None):
    """The sizes, then the sustained run, against one server."""
    from .sustained import run_sustained

    rows = _run(server, args.sizes, args.vote_window, label)
    if args.rate:
        row = asyncio.run(run_sustained(server, args.sustained_phones, args.rate, args.duration,
                                        profile=profile))
        rows.append({"server": label, **row})
        _emit(rows[-1])
    if args.saturate:
        from .saturation import saturate

        row = asyncio.run(saturate(server, args.sustained_phones, start=args.saturate,
                                   step=args.step, p95_ms=args.p95, ceiling=args.ceiling))
        rows.append({"server": label, **row})
        _emit(rows[-1])
    return rows


def _ratios(rows, bare_rows):
    for ours, theirs in zip(rows, bare_rows, strict=True):
        if ours.get("mode") == "saturation":
            yield {"mode": "saturation", "phones": ours["phones"],
                   "sustained_per_s": [ours["sustained_per_s"], theirs["sustained_per_s"]],
                   "ratio_sustained_per_s": round((ours["sustained_per_s"] or 0)
                                                  / theirs["sustained_per_s"], 2)
                   if theirs["sustained_per_s"] else None,
                   "cpu_ms_per_write": [ours["cpu_ms_per_write"], theirs["cpu_ms_per_write"]],
                   "ratio_cpu_per_write": round(theirs["cpu_ms_per_write"]
                                                / ours["cpu_ms_per_write"], 2)
                   if ours["cpu_ms_per_write"] and theirs["cpu_ms_per_write"] else None,
                   "peak_acked_per_s": [ours["peak_acked_per_s"], theirs["peak_acked_per_s"]],
                   "join_s": [ours["join_s"], theirs["join_s"]],
                   "join_cpu_ms_per_phone": [ours["join_cpu_ms_per_phone"],
                                             theirs["join_cpu_ms_per_phone"]]}
            continue
        if ours.get("mode") == "sustained":
            yield {"mode": "sustained", "phones": ours["phones"],
                   "target_per_s": ours["target_per_s"],
                   "ratio_acked_per_s": round(ours["acked_per_s"] / theirs["acked_per_s"], 2),
                   "ratio_cpu_per_ack": round(theirs["server_cpu_s_per_1000"]
                                              / ours["server_cpu_s_per_1000"], 2),
                   "ack_p95_ms": [ours["ack_p95_ms"], theirs["ack_p95_ms"]]}
            continue
        yield {"phones": ours["phones"], "ratio_votes_per_s": round(
            ours["votes_per_s"] / theirs["votes_per_s"], 2), "ratio_join": round(
            theirs["join_s"] / ours["join_s"], 2), "ratio_cpu": round(
            theirs["server_cpu_s"] / ours["server_cpu_s"], 2) if ours["server_cpu_s"] else None,
            "ack_p95_ms": [ours["ack_p95_ms"], theirs["ack_p95_ms"]]}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int,
                        help="phones per run (default 250 1000, none with --rate alone)")
    parser.add_argument("--vote-window", type=float, default=10.0,
                        help="phones vote at random moments within this many seconds")
    parser.add_argument("--rate", type=float, default=0,
                        help="then a sustained run: this many writes a second in all "
                             "(votes and withdrawals), paced, from --sustained-phones phones")
    parser.add_argument("--duration", type=float, default=60.0,
                        help="the sustained run's length in seconds")
    parser.add_argument("--sustained-phones", type=int, default=1000)
    parser.add_argument("--saturate", type=float, default=0, metavar="START",
                        help="then a step search from START writes/s (bench/saturation.py) "
                             "for the highest rate held with ack p95 within --p95")
    parser.add_argument("--step", type=float, default=10.0,
                        help="with --saturate: each step's length in seconds")
    parser.add_argument("--p95", type=float, default=300.0,
                        help="with --saturate: the ack p95 (ms) a step must keep")
    parser.add_argument("--ceiling", type=float, default=10000.0,
                        help="with --saturate: no step above this rate")
    parser.add_argument("--topology", choices=("one", "two", "three"), default="one",
                        help="one: one process on SQLite; two or three: nginx, that many "
                             "processes, PostgreSQL and Redis (--postgres-url, --redis-url)")
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL")
                        or os.environ.get("TEST_POSTGRES_URL"),
                        help="with --topology two: the bench uses <database>_bench beside it, "
                             "emptied first")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL"),
                        help="with --topology two: Socket.IO's message queue")
    parser.add_argument("--url", help="an already-running site instead of starting one")
    parser.add_argument("--token", help="with --url: a facilitator's API token")
    parser.add_argument("--email", default="fac@live.se", help="with --url: that facilitator")
    parser.add_argument("--password", default=PASSWORD, help="with --url: their password")
    parser.add_argument("--pid", type=int, action="append", default=[],
                        help="with --url: a server process to measure (CPU, RSS); repeatable")
    parser.add_argument("--bare", action="store_true",
                        help="then run the same sizes against bench/bare_server.py and print "
                             "our figures as a ratio to it")
    parser.add_argument("--profile", help="py-spy samples our server (the first process) during "
                        "the sustained run into this file (collapsed stacks; bench/profile_report"
                        ".py reads it); never the bare server")
    parser.add_argument("--out", help="also append every JSON line to this file")
    args = parser.parse_args(argv)
    if args.sizes is None or (not args.sizes and not args.rate and not args.saturate):
        args.sizes = [] if args.rate or args.saturate else [250, 1000]
    OUT[:] = [args.out] if args.out else []
    if args.url:
        if not args.token:
            parser.error("--url needs --token")
        rows = _measure(Remote(args.url, args.token, args.email, args.password, args.pid),
                        args, args.url, args.profile)
    elif args.topology in ("two", "three"):
        if not (args.postgres_url and args.redis_url):
            parser.error(f"--topology {args.topology} needs --postgres-url and --redis-url")
        from .topology import processes

        count = 2 if args.topology == "two" else 3
        with processes(args.postgres_url, args.redis_url, count) as site:
            rows = _measure(site, args, f"{args.topology} processes", args.profile)
    else:
        with tempfile.TemporaryDirectory() as workdir:
            server = LiveServer(Path(workdir))
            server.start()
            try:
                rows = _measure(_live(server), args, "participation", args.profile)
            finally:
                server.stop()
    if args.bare:
        bare = Bare()
        try:
            bare_rows = _measure(bare, args, "bare")
        finally:
            bare.stop()
        for ratio in _ratios(rows, bare_rows):
            _emit(ratio)
        rows += bare_rows
    return rows


if __name__ == "__main__":
    main()
