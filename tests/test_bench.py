"""The benchmark still runs: bench.phones at tiny sizes completes and reports its figures.

No figure is judged here (timings belong in docs/benchmarks.md, measured on a quiet machine);
these only catch a bench that no longer starts, connects, votes or reports.
"""

import json
import os
import subprocess
import sys

import pytest
import redis

from bench.profile_report import report
from bench.saturation import next_rate, passed
from bench.sustained import push_delays

from .conftest import postgres_url
from .support.live import ROOT
from .support.nginx import nginx_binary
from .support.required import missing

SIZE_FIGURES = {"join_s", "votes_per_s", "ack_p50_ms", "ack_p95_ms", "ack_p99_ms",
                "push_p95_ms", "server_cpu_s", "rss_mb"}
SUSTAINED_FIGURES = {"acked_per_s", "worst_window_per_s", "windows", "ack_p95_ms",
                     "push_p95_ms", "server_cpu_s_per_1000", "server_rss_mb", "not_sent_busy"}


def _bench(tmp_path, *args):
    out = tmp_path / "rows.jsonl"
    result = subprocess.run(
        [sys.executable, "-m", "bench.phones", "20", "--vote-window", "1", "--rate", "20",
         "--duration", "3", "--sustained-phones", "20", "--out", str(out), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=400)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert rows == [json.loads(line) for line in result.stdout.splitlines()]
    return rows


def _check(rows, server):
    size = next(r for r in rows if r.get("server") == server and "mode" not in r)
    sustained = next(r for r in rows if r.get("server") == server and r.get("mode"))
    assert size.keys() >= SIZE_FIGURES and size["phones"] == 20
    assert sustained.keys() >= SUSTAINED_FIGURES
    # Every paced write was answered, and answered yes: votes and withdrawals stay valid.
    assert sustained["errors"] == {}
    assert sustained["acked"] == sustained["acked_votes"] + sustained["acked_withdrawals"] > 0
    assert sustained["acked_votes"] >= sustained["acked_withdrawals"]


@pytest.mark.live
def test_the_bench_runs_one_process_and_the_bare_server(tmp_path):
    rows = _bench(tmp_path, "--bare")
    _check(rows, "participation")
    _check(rows, "bare")
    ratios = [r for r in rows if "server" not in r]
    assert {"ratio_votes_per_s", "ratio_cpu"} <= ratios[0].keys()
    assert {"ratio_acked_per_s", "ratio_cpu_per_ack"} <= ratios[1].keys()


@pytest.mark.live
def test_the_saturation_search_runs_for_both_servers_and_gives_their_ratio(tmp_path):
    out = tmp_path / "rows.jsonl"
    result = subprocess.run(
        [sys.executable, "-m", "bench.phones", "--saturate", "20", "--step", "1",
         "--ceiling", "40", "--sustained-phones", "10", "--bare", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=400)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    for server in ("participation", "bare"):
        row = next(r for r in rows if r.get("server") == server)
        assert row["mode"] == "saturation"
        assert [s["rate"] for s in row["steps"]][:1] == [20]
        assert row["join_cpu_ms_per_phone"] > 0
        # Reported for every step (at 20 writes in 1 s it may read 0: the CPU clock ticks 10 ms).
        assert all(s["cpu_ms_per_write"] is not None for s in row["steps"])
    ratio = rows[-1]
    assert ratio["mode"] == "saturation" and "ratio_sustained_per_s" in ratio
    assert len(ratio["cpu_ms_per_write"]) == 2


def test_the_step_search_grows_then_halves_the_gap():
    assert next_rate(500, 500, None, 10000) == 750
    assert next_rate(7650, 7650, None, 10000) is None  # past the ceiling
    assert next_rate(2250, 1500, 2250, 10000) == 1875  # between the best and the failure
    assert next_rate(1875, 1875, 2050, 10000) is None  # within 10 %
    assert next_rate(500, None, 500, 10000) == 250  # the first step failed: look lower
    assert next_rate(175, 150, 175, 10000) == 160  # small rates in finer steps
    assert next_rate(160, 150, 160, 10000) is None  # nothing between: never the same again
    assert passed({"errors": {}, "acked_per_s": 970, "ack_p95_ms": 300}, 1000, 300)
    assert not passed({"errors": {}, "acked_per_s": 960, "ack_p95_ms": 10}, 1000, 300)
    assert not passed({"errors": {}, "acked_per_s": 1000, "ack_p95_ms": 301}, 1000, 300)
    assert not passed({"errors": {"rate_limited": 1}, "acked_per_s": 1000,
                       "ack_p95_ms": 10}, 1000, 300)


@pytest.mark.live
def test_the_page_weight_runs_against_its_own_server():
    result = subprocess.run([sys.executable, "-m", "bench.page_weight"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    row = json.loads(result.stdout)
    assert row["not_ok"] == [] and 0 < row["bytes_on_wire"] < row["bytes_decoded"]
    assert row["reload_requests"] == 1


@pytest.mark.live
@pytest.mark.multiprocess
@pytest.mark.parametrize("topology", ["two", "three"])
def test_the_bench_runs_several_processes_behind_nginx(tmp_path, topology):
    absent = [what for what, ok in (("nginx", nginx_binary()),
                                    ("TEST_POSTGRES_URL", os.environ.get("TEST_POSTGRES_URL")),
                                    ("TEST_REDIS_URL", os.environ.get("TEST_REDIS_URL")))
              if not ok]
    if absent:
        missing(f"{absent} missing for the multi-process bench")
    redis.Redis.from_url(os.environ["TEST_REDIS_URL"]).ping()
    rows = _bench(tmp_path, "--topology", topology, "--postgres-url", postgres_url(),
                  "--redis-url", os.environ["TEST_REDIS_URL"])
    _check(rows, f"{topology} processes")


def test_a_push_delay_is_measured_to_the_first_push_that_includes_the_vote():
    pushes = [(1.00, 5), (1.10, 9), (1.20, 8), (1.30, 12)]  # a late push with an older version
    acks = [(0.95, 5), (1.02, 6), (1.25, 10), (1.40, 13)]
    assert push_delays(acks, pushes) == [pytest.approx(0.05), pytest.approx(0.08),
                                         pytest.approx(0.05)]  # version 13 never pushed


def test_the_profile_report_gives_sqlite_time_to_the_driver_not_the_orm(tmp_path):
    stacks = tmp_path / "stacks.txt"
    stacks.write_text(
        "cast_vote (participation/proposals/operations.py:1);Session.execute "
        "(sqlalchemy/orm/session.py:2);DefaultDialect.do_execute "
        "(sqlalchemy/engine/default.py:3) 30\n"
        "cast_vote (participation/proposals/operations.py:1);Session.execute "
        "(sqlalchemy/orm/session.py:2) 10\n"
        "Hub.run (gevent/hub.py:1) 60\n")
    total, rows = report(str(stacks), writes=100, cpu_seconds=1.0)
    shares = {name: (share, per_write) for name, share, per_write in rows if share is not None}
    assert total == 100
    assert shares["database driver: execute, commit, fetch (C)"] == (30.0, pytest.approx(3000))
    assert shares["SQLAlchemy ORM"][0] == 10.0
    assert shares["vote operation (cast_vote)"][0] == 40.0
