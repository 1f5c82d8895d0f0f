"""Sustained writes: connected phones vote and withdraw at a paced aggregate rate.

Each phone holds at most one write in flight. Every 1/rate seconds the next idle phone (round
robin) sends one: a vote for a proposal it has not voted for, or a withdrawal of one it has, so
every write is valid on an approval event however long the run. When every phone is waiting
for an acknowledgement the write is not sent and is counted as `not_sent_busy`: the server is
behind. Figures come per 10 s window, so a rate that holds for a while and then sinks shows.
"""

import asyncio
import bisect
import itertools
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter, deque
from pathlib import Path

import aiohttp
import psutil

from .phones import Meter, join_page, open_projector, pct
from .wire import WirePhone


async def wire_join(server, event, connector, ws_http):
    cookie, csrf = await join_page(server.url, event["code"], connector)
    phone = WirePhone()
    got_snapshot = asyncio.Event()
    phone.on("snapshot", lambda data: got_snapshot.set())
    await phone.connect(ws_http, server.url, cookie, {"csrf_token": csrf, "event": event["id"]})
    await asyncio.wait_for(got_snapshot.wait(), 30)
    return phone


def _profiler(pid, duration, path):
    """py-spy sampling the (first) server process for the paced part: collapsed stacks."""
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    return subprocess.Popen([py_spy, "record", "--pid", str(pid), "--duration", str(int(duration)),
                             "--rate", "200", "--nonblocking", "--format", "raw",
                             "--output", path], stdout=subprocess.DEVNULL)


def _ms(values, q):
    return round(1000 * pct(values, q), 1) if values else None


def push_delays(acks, pushes):
    """For each ack (acked at, version): the time to the first tallies push that includes it."""
    times, best, running = [], [], 0
    for arrived, version in pushes:
        running = max(running, version)
        times.append(arrived)
        best.append(running)
    delays = []
    for acked, version in acks:
        index = bisect.bisect_left(best, version)
        if index < len(best):
            delays.append(max(0.0, times[index] - acked))
    return delays


class Room:
    """An approval event in its voting phase, six proposals, `phones` connected phones and a
    projector counting tally pushes; paced steps run on it one after another."""

    async def open(self, server, phones: int, profile=None):
        self.server, self.phones = server, phones
        self.event = event = server.create_event(title=f"Sustained {phones}")
        server.set_phase(event["id"], "collect")
        self.connector = aiohttp.TCPConnector(limit=200)
        # WebSockets hold their connection for the whole run: no pool limit for them.
        self.ws_http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0),
                                             cookie_jar=aiohttp.DummyCookieJar())
        self.seed = [await wire_join(server, event, self.connector, self.ws_http)
                     for _ in range(3)]
        self.proposal_ids = []
        for i, phone in enumerate(self.seed * 2):
            ack = await phone.call("submit_proposal", {"title": f"Förslag {i}",
                                                       "client_id": f"sustained-seed-{i:04d}"})
            self.proposal_ids.append(ack["proposal"]["id"])
        server.set_phase(event["id"], "vote")
        self.pushes = []
        self.staff, self.projector = await open_projector(server, event["id"], self.pushes)
        self.clients = []
        meter = Meter(server.pids)
        cpu_before = meter.cpu_seconds()
        # py-spy over the joins only; stopped with SIGINT, on which it writes what it has.
        profiler = _profiler(server.pids[0], 600, profile) if profile else None
        started = time.perf_counter()
        for batch in range(0, phones, 50):
            self.clients += await asyncio.gather(*(
                wire_join(server, event, self.connector, self.ws_http)
                for _ in range(min(50, phones - batch))))
        self.join_seconds = time.perf_counter() - started
        self.join_cpu_ms = 1000 * (meter.cpu_seconds() - cpu_before) / max(1, phones)
        if profiler:
            profiler.send_signal(signal.SIGINT)
            profiler.wait(60)
        self.voted = [set() for _ in self.clients]
        self.serial = itertools.count()
        return self

    async def close(self):
        for phone in self.clients + self.seed:
            await phone.disconnect()
        await self.projector.disconnect()
        await self.staff.close()
        await self.ws_http.close()
        await self.connector.close()


async def vote_commits(room):
    """(commits, vote writes) from the servers' /metrics (core/group_commit.py), added up over
    the processes (each asked on its own port: nginx does not pass /metrics), or None where
    it is not ours or not reachable (the bare server)."""
    commits = writes = 0.0
    for url in getattr(room.server, "metrics_urls", [room.server.url]):
        try:
            async with room.ws_http.get(url + "/metrics") as response:
                text = await response.text() if response.status == 200 else ""
        except aiohttp.ClientError:
            return None
        found = dict(re.findall(r"^participation_vote_(commits|writes) ([0-9.e+]+)$", text,
                                re.M))
        if len(found) < 2:
            return None
        commits, writes = commits + float(found["commits"]), writes + float(found["writes"])
    return commits, writes


async def run_sustained(server, phones, rate, duration, window=10.0, profile=None):
    room = await Room().open(server, phones)
    try:
        row = await paced(room, rate, duration, window, profile)
    finally:
        await room.close()
    return {"mode": "sustained", "phones": phones, "target_per_s": rate,
            "duration_s": duration, "join_s": round(room.join_seconds, 2),
            "join_cpu_ms_per_phone": round(room.join_cpu_ms, 2), **row}


async def paced(room, rate, duration, window=10.0, profile=None):
    """One paced run of `duration` seconds at `rate` writes a second on an open Room."""
    window = min(window, duration)
    loop = asyncio.get_running_loop()
    server, clients, proposal_ids, voted = room.server, room.clients, room.proposal_ids, room.voted
    serial, pushes = room.serial, room.pushes
    pushes.clear()
    meter, me = Meter(server.pids), psutil.Process()
    idle = deque(range(len(clients)))
    acks, latencies, errors, kinds = [], [], Counter(), Counter()
    samples = []  # (time, server CPU seconds, server RSS)

    async def write(index):
        phone, mine = clients[index], voted[index]
        unvoted = [p for p in proposal_ids if p not in mine]
        kind = "vote" if unvoted and (not mine or random.random() < 0.5) else "withdraw_vote"
        proposal_id = random.choice(unvoted if kind == "vote" else sorted(mine))
        sent = loop.time()
        try:
            ack = await phone.call(kind, {"proposal_id": proposal_id,
                                          "client_id": f"sus-{index:06d}-{next(serial):09d}"})
        except Exception as error:  # a timeout or a closed socket: this phone stops
            errors[type(error).__name__] += 1
            return
        acked = loop.time()
        if not ack.get("ok"):
            errors[ack.get("error", "unknown")] += 1
        else:
            (mine.add if kind == "vote" else mine.discard)(proposal_id)
            kinds[kind] += 1
            latencies.append(acked - sent)
            acks.append((acked, ack["version"]))
        idle.append(index)

    async def sample():
        while True:
            samples.append((loop.time(), meter.cpu_seconds(), meter.rss()))
            await asyncio.sleep(window)

    commits_before = await vote_commits(room)
    cpu_before, my_cpu_before = meter.cpu_seconds(), sum(me.cpu_times()[:2])
    sampler = asyncio.create_task(sample())
    profiler = _profiler(server.pids[0], duration, profile) if profile else None
    tasks, issued, busy = set(), 0, 0
    start = loop.time()
    end = start + duration
    while (now := loop.time()) < end:
        for _ in range(int((now - start) * rate) - issued - busy):
            if not idle:
                busy += 1
                continue
            task = asyncio.create_task(write(idle.popleft()))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            issued += 1
        await asyncio.sleep(0.002)
    in_window = len(acks)
    await asyncio.gather(*tasks)
    drain_seconds = loop.time() - end
    sampler.cancel()
    if profiler:
        profiler.wait(60)
    samples.append((loop.time(), meter.cpu_seconds(), meter.rss()))
    cpu = meter.cpu_seconds() - cpu_before
    my_cpu = sum(me.cpu_times()[:2]) - my_cpu_before
    await asyncio.sleep(3 * 0.1 + 0.2)  # the last coalesced push (0.1 s) for the last acks

    windows = []
    for w in range(int(duration // window)):
        low, high = start + w * window, start + (w + 1) * window
        count = sum(1 for acked, _ in acks if low <= acked < high)
        in_range = [s for s in samples if low - 1 <= s[0] <= high + 1]
        entry = {"t_s": round((w + 1) * window), "acked_per_s": round(count / window, 1)}
        if len(in_range) >= 2:
            entry["server_cpu_pct"] = round(100 * (in_range[-1][1] - in_range[0][1])
                                            / (in_range[-1][0] - in_range[0][0]))
        windows.append(entry)
    delays = push_delays(acks, pushes)
    acked = len(acks)
    commits_after = await vote_commits(room)
    batch = None
    if commits_before and commits_after and commits_after[0] > commits_before[0]:
        batch = round((commits_after[1] - commits_before[1])
                      / (commits_after[0] - commits_before[0]), 2)

    return {
        "loadgen_cpu_pct": round(100 * my_cpu / (duration + drain_seconds)),
        "votes_per_commit": batch,
        "acked": acked,
        "acked_votes": kinds["vote"],
        "acked_withdrawals": kinds["withdraw_vote"],
        "errors": dict(errors),
        "not_sent_busy": busy,
        "acked_per_s": round(in_window / duration, 1),
        "worst_window_per_s": min((w["acked_per_s"] for w in windows), default=None),
        "drain_s": round(drain_seconds, 2),
        "windows": windows,
        "ack_p50_ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
        "ack_p95_ms": _ms(latencies, 95),
        "ack_p99_ms": _ms(latencies, 99),
        "push_p50_ms": round(1000 * statistics.median(delays), 1) if delays else None,
        "push_p95_ms": _ms(delays, 95),
        "push_p99_ms": _ms(delays, 99),
        "server_cpu_s": round(cpu, 2),
        "server_cpu_s_per_1000": round(1000 * cpu / acked, 3) if acked else None,
        "server_rss_mb": round(max(s[2] for s in samples) / 2**20, 1),
        "loadgen_cpu_s": round(my_cpu, 2),
    }
