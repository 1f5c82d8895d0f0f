"""Where the server's time goes, from py-spy's collapsed stacks (`bench.phones --profile FILE`).

    .venv/bin/python -m bench.profile_report FILE --writes N --cpu-seconds S
    .venv/bin/python -m bench.profile_report FILE --rows ROWS.jsonl   # both from the run's rows

py-spy samples the process whenever it is runnable, so on a loaded machine the samples also
cover time it waited for a core: shares are read as shares, and with --writes and
--cpu-seconds (both printed by the sustained run) each layer becomes microseconds of server CPU
per acknowledged write.

Each sample is given to one layer: the innermost frame that belongs to a layer below wins, so
time inside SQLite (C code under SQLAlchemy's execute) counts as SQLite, not as the ORM that
called it.
"""

import argparse
import json
import re
from collections import Counter

# (layer, pattern on one frame "function (path:line)"), checked from the innermost frame out.
LAYERS = [
    # The C driver runs inside these frames: their self time is the database's.
    ("database driver: execute, commit, fetch (C)", re.compile(
        r"^(\w+\.)?(do_execute|do_commit|do_execute_no_params|do_executemany|do_rollback|"
        r"fetchall|fetchone|fetchmany) \(sqlalchemy/engine/(default|cursor)\.py")),
    ("JSON encode/decode", re.compile(r"\(json/")),
    ("logging", re.compile(r"\(logging/")),
    ("SQLAlchemy ORM", re.compile(r"\(sqlalchemy/orm/")),
    ("SQLAlchemy Core: compile, execute, result", re.compile(r"\(sqlalchemy/")),
    ("Flask-Babel / gettext", re.compile(r"\((flask_babel|babel|gettext)")),
    ("Flask session, cookie, login, request context", re.compile(
        r"\((flask/(ctx|sessions|app|wrappers)|flask_login|itsdangerous|werkzeug|flask_wtf)")),
    ("Flask-SocketIO glue", re.compile(r"\(flask_socketio/")),
    ("Redis message queue", re.compile(r"\((redis|socketio/(redis|pubsub)_manager)")),
    ("Socket.IO / Engine.IO framing, WebSocket", re.compile(
        r"\((socketio|engineio|simple_websocket|geventwebsocket|wsproto)/")),
    ("gevent hub, sockets, HTTP server", re.compile(r"\(gevent/")),
    ("SQLite WAL checkpoint (its own thread, off the loop)", re.compile(
        r"_checkpoint_loop \(participation/core/sqlite")),
    ("our code: relay (tally, presence pushes)",
     re.compile(r"\(participation/live/socket/(relay|pushes)")),
    ("our code: snapshot", re.compile(r"\(participation/live/snapshot")),
    ("our code: socket commands, connect", re.compile(r"\(participation/live/socket/")),
    ("our code: operations, validation", re.compile(r"\(participation/")),
]
# Inclusive time of a few entry points, wherever they are on the stack.
ENTRIES = [
    ("vote operation (cast_vote)", re.compile(r"^cast_vote \(participation/")),
    ("withdraw operation (withdraw_vote)", re.compile(r"^withdraw_vote \(participation/")),
    ("socket command (answer, incl. operation)", re.compile(
        r"^answer \(participation/live/socket/commands")),
    ("write transaction commit", re.compile(r"^commit \(sqlalchemy/orm/session")),
    ("tally flush (relay._flush)", re.compile(r"^Relay\._flush \(participation/")),
    ("socket connect (on_connect)", re.compile(r"^on_connect \(participation/")),
]


def read(path):
    with open(path) as lines:
        for line in lines:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if stack:
                yield stack.split(";"), int(count)


def report(path, writes=None, cpu_seconds=None):
    layers, entries, total = Counter(), Counter(), 0
    for frames, count in read(path):
        total += count
        layer = next((name for frame in reversed(frames) for name, rule in LAYERS
                      if rule.search(frame)), "other (stdlib, interpreter)")
        layers[layer] += count
        for name, rule in ENTRIES:
            if any(rule.search(frame) for frame in frames):
                entries[name] += count
    rows = []
    for title, counter in (("layer (self time)", layers), ("entry point (inclusive)", entries)):
        rows.append((title, None, None))
        for name, count in counter.most_common():
            per_write = (1e6 * cpu_seconds * count / total / writes
                         if writes and cpu_seconds else None)
            rows.append((name, 100 * count / total, per_write))
    return total, rows


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path")
    parser.add_argument("--writes", type=int, help="acknowledged writes in the profiled run")
    parser.add_argument("--cpu-seconds", type=float, help="the server's CPU seconds in that run")
    parser.add_argument("--rows", help="bench.phones --out file: its last sustained run that is "
                        "not the bare server's gives --writes and --cpu-seconds")
    args = parser.parse_args()
    if args.rows:
        with open(args.rows) as lines:
            run = [row for row in map(json.loads, lines) if row.get("mode") == "sustained"
                   and row.get("server") not in (None, "bare")][-1]
        args.writes, args.cpu_seconds = run["acked"], run["server_cpu_s"]
    total, rows = report(args.path, args.writes, args.cpu_seconds)
    print(f"{total} samples")
    for name, share, per_write in rows:
        if share is None:
            print(f"\n| {name} | share | µs CPU per write |\n|---|---:|---:|")
        else:
            print(f"| {name} | {share:.1f} % | {per_write:.0f} |" if per_write is not None
                  else f"| {name} | {share:.1f} % | |")


if __name__ == "__main__":
    main()
