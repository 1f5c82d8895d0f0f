"""Phones against the real server: join, connect, vote; the projector measures push delay.

    .venv/bin/python -m bench.phones 250 1000      # sizes; results appended to the table

The server and this load generator run on the same machine, as separate processes.
"""

import argparse
import asyncio
import json
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import psutil
import socketio

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.support.live import LiveServer  # noqa: E402

CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def pct(values, q):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


async def join(http_url, code, event_id, connector):
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar, connector=connector,
                                     connector_owner=False) as http:
        async with http.get(f"{http_url}/j/{code}") as response:
            csrf = CSRF.search(await response.text()).group(1)
        cookie = "; ".join(f"{c.key}={c.value}" for c in jar)
    client = socketio.AsyncClient(reconnection=False)
    got_snapshot = asyncio.Event()
    client.on("snapshot", lambda data: got_snapshot.set())
    await client.connect(http_url, headers={"Cookie": cookie}, auth={"csrf_token": csrf,
                         "event": event_id}, transports=["websocket"], wait_timeout=30)
    await asyncio.wait_for(got_snapshot.wait(), 30)
    return client


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

    # The projector: a staff session, recording when each tallies push arrives.
    staff = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    page = await (await staff.get(server.url + "/login")).text()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    await staff.post(server.url + "/login", data={"email": "fac@live.se", "password":
                     "correct horse battery", "csrf_token": token})
    staff_csrf = CSRF.search(await (await staff.get(server.url + "/events")).text()).group(1)
    staff_cookie = "; ".join(f"{c.key}={c.value}" for c in staff.cookie_jar)
    projector = socketio.AsyncClient(reconnection=False)
    pushes = []  # (arrival time, version)
    projector.on("tallies", lambda data: pushes.append((loop.time(), data["version"])))
    await projector.connect(server.url, headers={"Cookie": staff_cookie},
                            auth={"csrf_token": staff_csrf, "event": event["id"]},
                            transports=["websocket"])

    process = psutil.Process(server.process.pid)
    rss_before = process.memory_info().rss
    started = time.perf_counter()
    clients = []
    for batch in range(0, phones, 50):
        clients += await asyncio.gather(*(join(server.url, event["code"], event["id"], connector)
                                          for _ in range(min(50, phones - batch))))
    join_seconds = time.perf_counter() - started
    rss_after = process.memory_info().rss
    cpu_before = process.cpu_times()

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
    cpu_after = process.cpu_times()
    cpu = (cpu_after.user + cpu_after.system) - (cpu_before.user + cpu_before.system)

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
        "rss_mb": round(process.memory_info().rss / 2**20, 1),
        "kb_per_phone": round((rss_after - rss_before) / 1024 / phones, 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[250, 1000])
    parser.add_argument("--vote-window", type=float, default=10.0,
                        help="phones vote at random moments within this many seconds")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as workdir:
        server = LiveServer(Path(workdir))
        server.start()
        try:
            for size in args.sizes:
                rows.append(asyncio.run(run_size(server, size, args.vote_window)))
                print(json.dumps(rows[-1]), flush=True)
        finally:
            server.stop()
    return rows


if __name__ == "__main__":
    main()
