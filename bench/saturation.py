"""The highest write rate a server sustains: a step search at saturation, not a paced rate
that both servers reach.

On one Room (bench/sustained.py: N connected phones voting and withdrawing), paced steps of
`step` seconds each: the rate grows by half while a step passes, then halves the gap between
the best passing and the first failing rate until it is within 10 %. A first short step at the
start rate is not counted (the joins' tail, warm caches). A step passes when every
offered write was acknowledged (at least 97 % of the offered rate, nothing refused) with ack
p95 ≤ `p95_ms`. Reported: the sustained rate, the CPU per write at it, the peak acknowledged
rate any step reached, and every step (with the load generator's own CPU, so a limit that is
the generator's shows).
"""

from .sustained import Room, paced

PASS_SHARE = 0.97


def passed(row, rate, p95_ms) -> bool:
    return (not row["errors"] and row["acked_per_s"] >= PASS_SHARE * rate
            and row["ack_p95_ms"] is not None and row["ack_p95_ms"] <= p95_ms)


def next_rate(rate, best, failed, ceiling):
    """The next step's rate, or None when the search is done."""
    if failed is None:
        grown = round(rate * 1.5 / 50) * 50
        return grown if grown <= ceiling else None
    low = best or 0
    if failed - low <= 0.1 * failed:
        return None
    grain = 25 if failed >= 500 else 5
    middle = round((low + failed) / 2 / grain) * grain
    return middle if low < middle < failed else None


async def saturate(server, phones, start=500, step=10.0, p95_ms=300, ceiling=10000):
    room = await Room().open(server, phones)
    steps, best, failed, rate = [], None, None, start
    try:
        # Not counted: the joins' last pushes and the first writes' warm-up (caches, pools).
        await paced(room, start, min(step, 3.0))
        while rate is not None:
            row = await paced(room, rate, step)
            ok = passed(row, rate, p95_ms)
            steps.append({"rate": rate, "passed": ok, "acked_per_s": row["acked_per_s"],
                          "ack_p95_ms": row["ack_p95_ms"],
                          "cpu_ms_per_write": row["server_cpu_s_per_1000"],
                          "server_cpu_pct": [w.get("server_cpu_pct") for w in row["windows"]],
                          "loadgen_cpu_pct": row["loadgen_cpu_pct"],
                          "not_sent_busy": row["not_sent_busy"],
                          "votes_per_commit": row["votes_per_commit"]})
            if ok:
                best, best_row = rate, row
            else:
                failed = rate if failed is None else min(failed, rate)
            rate = next_rate(rate, best, failed, ceiling)
    finally:
        await room.close()
    return {
        "mode": "saturation",
        "phones": phones,
        "p95_limit_ms": p95_ms,
        "step_s": step,
        "join_s": round(room.join_seconds, 2),
        "join_cpu_ms_per_phone": round(room.join_cpu_ms, 2),
        "sustained_per_s": best,
        "ack_p95_ms": best_row["ack_p95_ms"] if best else None,
        "cpu_ms_per_write": best_row["server_cpu_s_per_1000"] if best else None,
        "peak_acked_per_s": max(s["acked_per_s"] for s in steps),
        "first_failed_per_s": failed,
        "steps": steps,
    }
