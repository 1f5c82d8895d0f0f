"""kill -9 in the middle of a voting burst: after a restart every phone retries what was not
acknowledged with the same client_id, and each vote is stored exactly once.

Twenty phones (ten on a dot event, ten on an approval event) vote over Socket.IO. Once
KILL_AFTER acks have arrived the server gets SIGKILL, mid-write for most phones. Before the
restart the SQLite file alone must hold every acknowledged write (WAL + synchronous=NORMAL:
a commit is in the OS page cache before the ack leaves, and a killed process loses nothing
there). After the restart the phones send their unacknowledged writes again, and a sample of
acknowledged ones, which must come back as replays of the first answer.
"""

import sqlite3
import threading
import uuid
from dataclasses import dataclass

import pytest
import requests
import socketio
from sqlalchemy import create_engine, text

from participation.core import sqlite as sqlite_tuning

from .support.live import STAFF, LiveServer

pytestmark = [pytest.mark.live, pytest.mark.slow]

PHONES_PER_EVENT = 10
PROPOSALS = 30
WRITES_PER_PHONE = 24
KILL_AFTER = 160  # of 480 writes: enough acks to check, enough left to be cut off
ACK_TIMEOUT = 20  # only ever reached if the server hangs; a kill ends the wait at once


@dataclass
class Write:
    client_id: str
    proposal_id: int
    sent: bool = False
    ack: dict | None = None  # the first answer, before or after the restart
    acked_before_kill: bool = False
    in_flight_at_kill: bool = False
    replay: dict | None = None  # the answer to re-sending an acknowledged write


class Acks:
    """How many acks the burst has had, so the kill waits on a count and not a clock."""

    def __init__(self):
        self.count = 0
        self.changed = threading.Condition()

    def add(self):
        with self.changed:
            self.count += 1
            self.changed.notify_all()

    def wait_for(self, n, timeout=60):
        with self.changed:
            return self.changed.wait_for(lambda: self.count >= n, timeout)


class Voter:
    """One phone's socket; `send` returns the ack, or None when the connection died first."""

    def __init__(self, server, phone, event_id):
        self.client = socketio.Client(reconnection=False)
        self.state = threading.Condition()
        self.answers: dict[str, dict] = {}
        self.gone = False
        self.client.on("disconnect", self._disconnected)
        self.client.connect(server.url, headers={"Cookie": phone.cookie_header},
                            auth={"csrf_token": phone.csrf, "event": event_id},
                            transports=["websocket"], wait_timeout=10)

    def _disconnected(self, *_reason):
        with self.state:
            self.gone = True
            self.state.notify_all()

    def send(self, write: Write, acks: Acks | None = None) -> dict | None:
        def answered(ack):
            with self.state:
                self.answers[write.client_id] = ack
                self.state.notify_all()
            if acks:
                acks.add()

        try:
            self.client.emit("vote", {"proposal_id": write.proposal_id, "dots": 1,
                                      "client_id": write.client_id}, callback=answered)
        except socketio.exceptions.SocketIOError:
            return None  # already disconnected: nothing left this phone
        write.sent = True
        with self.state:
            self.state.wait_for(lambda: write.client_id in self.answers or self.gone,
                                ACK_TIMEOUT)
            return self.answers.get(write.client_id)

    def close(self):
        if self.client.connected:
            self.client.disconnect()


def plan(proposal_ids, n, dots):
    """A phone's writes, one dot each: on a dot event two on each of twelve proposals (the
    per-proposal cap), on an approval event one on each of 24; phones start apart."""
    start = n * 7
    if dots:
        targets = [proposal_ids[(start + k // 2) % PROPOSALS] for k in range(WRITES_PER_PHONE)]
    else:
        targets = [proposal_ids[(start + k) % PROPOSALS] for k in range(WRITES_PER_PHONE)]
    return [Write(f"crash-{'d' if dots else 'a'}{n:02d}-{k:02d}-{uuid.uuid4().hex[:8]}", target)
            for k, target in enumerate(targets)]


def burst(voter, writes, acks):
    for write in writes:
        ack = voter.send(write, acks)
        if ack is None:
            return
        write.ack = ack


@pytest.fixture
def crash_server(tmp_path):
    server = LiveServer(tmp_path)
    server.start(staff=STAFF[:1])
    yield server
    server.stop()


def _event(server, voting):
    event = server.create_event(voting=voting)
    server.set_phase(event["id"], "collect")
    author = server.phone(event["code"])
    ids = []
    for n in range(PROPOSALS):
        response = author.http.post(f"{server.url}/api/v1/events/{event['id']}/proposals",
                                    json={"title": f"Förslag nummer {n}",
                                          "client_id": uuid.uuid4().hex})
        assert response.status_code == 201, response.text
        ids.append(response.json()["proposal"]["id"])
    server.set_phase(event["id"], "vote")
    return event, ids


def _stored(db_path, client_ids):
    """client_id -> how many receipts the file holds, read with plain sqlite3 (its own WAL
    recovery), while the server is down."""
    with sqlite3.connect(db_path) as connection:
        rows = connection.execute(
            "SELECT client_id, count(*) FROM write_receipts WHERE kind = 'vote' "
            "GROUP BY client_id").fetchall()
        mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
    found = dict(rows)
    return {c: found.get(c, 0) for c in client_ids}, mode


def test_acked_votes_survive_kill_9_and_retries_land_once(crash_server):
    server = crash_server
    db_path = server.workdir / "live.db"
    dot_event, dot_ids = _event(server, {"method": "dots", "dots": WRITES_PER_PHONE,
                                         "max_per_proposal": 2})
    approval_event, approval_ids = _event(server, {"method": "approval"})
    phones = []  # (event, phone, writes)
    for event, ids, dots in ((dot_event, dot_ids, True), (approval_event, approval_ids, False)):
        for n in range(PHONES_PER_EVENT):
            phones.append((event, server.phone(event["code"]), plan(ids, n, dots)))
    every = [w for _e, _p, writes in phones for w in writes]

    # The burst, and the kill once KILL_AFTER acks are in.
    acks = Acks()
    voters = [Voter(server, phone, event["id"]) for event, phone, _w in phones]
    threads = [threading.Thread(target=burst, args=(voter, writes, acks))
               for voter, (_e, _p, writes) in zip(voters, phones, strict=True)]
    for thread in threads:
        thread.start()
    assert acks.wait_for(KILL_AFTER), f"only {acks.count} acks before the deadline"
    server.kill()
    for thread in threads:
        thread.join(ACK_TIMEOUT + 5)
        assert not thread.is_alive()
    for write in every:
        write.acked_before_kill = write.ack is not None
        write.in_flight_at_kill = write.sent and write.ack is None
    acked = [w for w in every if w.acked_before_kill]
    sent_before_kill = sum(w.sent for w in every)
    in_flight = [w for w in every if w.in_flight_at_kill]
    assert all(w.ack["ok"] for w in acked), [w.ack for w in acked if not w.ack["ok"]]
    assert len(acked) >= KILL_AFTER and in_flight, "the kill must cut writes off mid-flight"

    # The file alone, server dead: every acknowledged write is there, once.
    stored, journal_mode = _stored(db_path, [w.client_id for w in every])
    assert journal_mode == "wal"
    assert [w.client_id for w in acked if stored[w.client_id] != 1] == []
    committed_in_flight = sum(stored[w.client_id] for w in in_flight)

    # Restart on the same file and port; the same cookies, a new socket per phone.
    server.restart()
    voters = [Voter(server, phone, event["id"]) for event, phone, _w in phones]
    retried = replayed_in_flight = resent_acked = 0
    for voter, (_e, _p, writes) in zip(voters, phones, strict=True):
        for k, write in enumerate(writes):
            if write.acked_before_kill:
                if k % 4 == 0:  # a sample of acknowledged writes, sent again
                    write.replay = voter.send(write)
                    resent_acked += 1
                continue
            retried += write.in_flight_at_kill
            write.ack = voter.send(write)
            assert write.ack and write.ack["ok"], write.ack
            if write.in_flight_at_kill and write.ack.get("replayed"):
                replayed_in_flight += 1
            elif not write.in_flight_at_kill:
                assert not write.ack.get("replayed"), write.ack
        voter.close()

    for write in every:
        if write.replay is not None:
            assert write.replay["replayed"] is True, write.replay
            assert {k: v for k, v in write.replay.items() if k != "replayed"} == write.ack
    assert resent_acked >= 1
    # An in-flight write was replayed exactly when its commit had made it to the file.
    assert replayed_in_flight == committed_in_flight

    # The end state: each write once, each participant's dots = their writes, tallies = votes.
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.connect() as db:
        receipts = dict(db.execute(text(
            "SELECT client_id, count(*) FROM write_receipts WHERE kind = 'vote' "
            "GROUP BY client_id")).all())
        owner = dict(db.execute(text(
            "SELECT client_id, participant_id FROM write_receipts WHERE kind = 'vote'")).all())
        votes = {(p, v): d for p, v, d in db.execute(text(
            "SELECT participant_id, proposal_id, dots FROM votes"))}
    engine.dispose()
    assert [c for c in (w.client_id for w in every) if receipts.get(c) != 1] == []
    expected: dict[tuple[int, int], int] = {}
    for _e, _p, writes in phones:
        participants = {owner[w.client_id] for w in writes}
        assert len(participants) == 1  # one phone, one participant, across the restart
        participant = participants.pop()
        for write in writes:
            key = (participant, write.proposal_id)
            expected[key] = expected.get(key, 0) + 1
    assert votes == expected, "a vote was lost or counted twice"

    for event, ids in ((dot_event, dot_ids), (approval_event, approval_ids)):
        state = requests.get(f"{server.url}/api/v1/events/{event['id']}/state",
                             headers=server.auth()).json()
        for pid in ids:
            stored_votes = [d for (_p, v), d in votes.items() if v == pid]
            tally = state["tallies"].get(str(pid), {"votes": 0, "dots": 0})
            assert tally == {"votes": len(stored_votes), "dots": sum(stored_votes)}, pid

    lost = sum(1 for w in acked if receipts.get(w.client_id, 0) == 0)
    doubled = sum(votes.values()) - len(every)
    assert lost == 0 and doubled == 0
    print(f"\ncrash: writes planned={len(every)} sent before kill="
          f"{sent_before_kill} acked before kill={len(acked)} "
          f"in flight at kill={len(in_flight)} (committed before dying={committed_in_flight}) "
          f"retried={retried} sent after restart={len(every) - len(acked) - len(in_flight)} "
          f"acked re-sent={resent_acked} (all replayed) stored={len(receipts)} "
          f"dots stored={sum(votes.values())} lost={lost} doubled={doubled}")


def test_sqlite_settings_keep_a_commit_through_a_process_kill(tmp_path):
    """WAL with synchronous=NORMAL: a commit is written to the WAL (the OS has it) before it
    returns; only an OS crash or power cut, not a killed process, can lose the last ones."""
    engine = create_engine(f"sqlite:///{tmp_path / 'durable.db'}")
    sqlite_tuning.configure(engine)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    engine.dispose()
