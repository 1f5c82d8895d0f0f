"""One phone, 64 writes at once, half over REST and half over Socket.IO: the stored votes stay
within one approval vote per proposal, the dot budget and the per-proposal cap, every accepted
write is in the database exactly once, and the version moves once per accepted write.

The Socket.IO side is Flask-SocketIO's in-process test client: each thread has its own client
(its own sid, its own ack slot), so they run the real handlers concurrently, like the REST ones.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from participation.events.models import Event
from participation.events.operations import change_phase
from participation.extensions import db, socketio
from participation.proposals import ranking
from participation.proposals.models import Vote

from .conftest import isolated, join

BURST = 64
DOTS = {"method": "dots", "dots": 5, "max_per_proposal": 3}


class Phone:
    """One resident's cookie, shared by `BURST // 2` HTTP clients and `BURST // 2` sockets."""

    def __init__(self, app, event):
        self.app, self.event_id = app, event.id
        first = app.test_client()
        self.csrf = join(first, event)
        self.cookie = first.get_cookie("session")
        self.rest = [self._http() for _ in range(BURST // 2)]
        self.sockets = []
        for _ in range(BURST // 2):
            socket = isolated(socketio.test_client, app, flask_test_client=self._http(),
                              auth={"csrf_token": self.csrf, "event": event.id})
            assert socket.is_connected()
            socket.get_received()  # the snapshot on connect
            self.sockets.append(socket)

    def _http(self):
        client = self.app.test_client()
        client.set_cookie("session", self.cookie.value, domain=self.cookie.domain or "localhost")
        return client

    def rest_call(self, index, action, proposal_id, client_id, dots=None):
        body = {"client_id": client_id} | ({"dots": dots} if dots is not None else {})
        send = self.rest[index].post if action == "vote" else self.rest[index].delete
        response = send(f"/api/v1/proposals/{proposal_id}/votes", json=body,
                        headers={"X-CSRFToken": self.csrf})
        assert response.status_code < 500, response.get_data(as_text=True)
        data = response.get_json()
        return {"ok": response.status_code in (200, 201), **data}

    def socket_call(self, index, action, proposal_id, client_id, dots=None):
        payload = {"proposal_id": proposal_id, "client_id": client_id}
        if dots is not None:
            payload["dots"] = dots
        name = "vote" if action == "vote" else "withdraw_vote"
        return isolated(self.sockets[index].emit, name, payload, callback=True)

    def close(self):
        for socket in self.sockets:
            if socket.is_connected():
                isolated(socket.disconnect)


@pytest.fixture
def phones(any_db_app):
    made = []

    def make(event):
        made.append(Phone(any_db_app, event))
        return made[-1]

    yield make
    for phone in made:
        phone.close()


def race(phone, plan):
    """Fire `plan` (BURST tuples of action, proposal, client_id, dots) at once: even indexes
    over REST, odd over Socket.IO. Returns each request's answer with its channel."""
    assert len(plan) == BURST
    start = threading.Barrier(BURST)

    def one(index):
        action, proposal_id, client_id, dots = plan[index]
        call = phone.rest_call if index % 2 == 0 else phone.socket_call
        start.wait()
        answer = call(index // 2, action, proposal_id, client_id, dots)
        return {"channel": "rest" if index % 2 == 0 else "socket", "action": action,
                "proposal_id": proposal_id, "dots": dots, **answer}

    with ThreadPoolExecutor(max_workers=BURST) as pool:
        answers = list(pool.map(one, range(BURST)))
    db.session.remove()  # end the test's read snapshot: see what the burst committed
    return answers


def setup_event(make_event, staff, voting, titles):
    event = make_event(voting=voting, phase="collect")
    from participation.proposals.operations import submit_proposal

    token = "t" * 43
    ids = [submit_proposal(event.id, token, title, "", f"setup-{i:04d}")["proposal"]["id"]
           for i, title in enumerate(titles)]
    change_phase(staff.facilitator, event.id, "vote")
    db.session.remove()
    return db.session.get(Event, event.id), ids


def version(event_id) -> int:
    db.session.remove()
    return db.session.scalar(select(Event.version).where(Event.id == event_id))


def stored(event_id) -> dict[int, int]:
    """Dots (1 for approval) per proposal on the one phone's ballot, from the votes table."""
    rows = db.session.execute(select(Vote.proposal_id, Vote.participant_id, Vote.dots)
                              .where(Vote.event_id == event_id)).all()
    assert len({(p, who) for p, who, _ in rows}) == len(rows)  # one row per proposal, person
    assert len({who for _, who, _ in rows}) <= 1  # only the one phone votes in these tests
    return {p: dots for p, _, dots in rows}


def assert_tallies_match(event_id, ballot: dict[int, int]):
    tallies = ranking.tallies(event_id)
    assert {pid: t["votes"] for pid, t in tallies.items()} == {pid: 1 for pid in ballot}
    assert {pid: t["dots"] for pid, t in tallies.items()} == ballot
    ranked = {row["id"]: row["votes"] for row in ranking.ranked(db.session.get(Event, event_id))}
    assert all(ranked[pid] == (1 if pid in ballot else 0) for pid in ranked)


def assert_replays_to_stored(event, before: int, answers, cap: int, budget: int):
    """The accepted writes, in the order their versions say they committed, rebuild the stored
    ballot; each one's ack shows the ballot right after it; the version moved once per write."""
    accepted = sorted((a for a in answers if a["ok"] and not a.get("replayed")),
                      key=lambda a: a["version"])
    assert [a["version"] for a in accepted] == list(range(before + 1, before + 1 + len(accepted)))
    assert version(event.id) == before + len(accepted)
    model: dict[int, int] = {}
    for answer in accepted:
        pid = answer["proposal_id"]
        if answer["action"] == "vote":
            model[pid] = model.get(pid, 0) + (answer["dots"] or 1)
            assert model[pid] <= cap and sum(model.values()) <= budget
        else:
            assert pid in model  # an accepted withdrawal removed a vote that was there
            # `dots` of them (the phone's one at a time), or all when it names none.
            model[pid] -= answer["dots"] or model[pid]
            if model[pid] <= 0:
                del model[pid]
        assert answer["ballot"]["votes"] == {str(k): v for k, v in model.items()}
        assert answer["ballot"]["spent"] == sum(model.values())
    ballot = stored(event.id)
    assert ballot == model
    assert_tallies_match(event.id, ballot)
    return accepted, ballot


def channels(answers, ok=True) -> set[str]:
    return {a["channel"] for a in answers if a["ok"] is ok}


def test_mixed_approval_votes_on_one_proposal_count_once(any_db_app, make_event, staff, phones):
    event, [pid] = setup_event(make_event, staff, None, ["Belys cykelbanorna"])
    phone = phones(event)
    before = version(event.id)

    answers = race(phone, [("vote", pid, f"mixed-vote-{i:04d}", None) for i in range(BURST)])

    accepted, ballot = assert_replays_to_stored(event, before, answers, cap=1, budget=1)
    assert len(accepted) == 1 and ballot == {pid: 1}
    refused = [a for a in answers if not a["ok"]]
    assert {a["error"] for a in refused} == {"already_voted"}
    assert channels(refused, ok=False) == {"rest", "socket"}


def test_mixed_dots_never_overspend_the_budget(any_db_app, make_event, staff, phones):
    event, ids = setup_event(make_event, staff, DOTS, ["Ett", "Två", "Tre"])
    phone = phones(event)
    before = version(event.id)

    # 64 requests asking for 96 dots on three proposals, against a budget of 5 and a cap of 3.
    answers = race(phone, [("vote", ids[i % 3], f"mixed-dots-{i:04d}", 1 + i % 2)
                           for i in range(BURST)])

    accepted, ballot = assert_replays_to_stored(event, before, answers, cap=3, budget=5)
    assert sum(ballot.values()) == 5  # the budget fills up: refusals only once it is spent
    assert all(dots <= 3 for dots in ballot.values())
    assert {a["error"] for a in answers if not a["ok"]} <= {"no_dots_left", "proposal_dot_limit"}


@pytest.mark.parametrize("voting", [None, DOTS], ids=["approval", "dots"])
def test_mixed_votes_and_withdrawals_interleaved(any_db_app, make_event, staff, phones,
                                                  voting):
    event, ids = setup_event(make_event, staff, voting, ["Ett", "Två"])
    phone = phones(event)
    before = version(event.id)

    # Alternating vote and withdraw on two proposals, each pattern over both channels.
    plan = [("vote" if (i // 2) % 2 == 0 else "withdraw", ids[(i // 4) % 2],
             f"mixed-flip-{i:04d}", 1 if voting else None) for i in range(BURST)]
    answers = race(phone, plan)

    accepted, _ = assert_replays_to_stored(event, before, answers, cap=3 if voting else 1,
                                           budget=5 if voting else 2)
    assert {a["action"] for a in accepted} == {"vote", "withdraw"}
    expected = {"no_vote", "already_voted"} if voting is None else {
        "no_vote", "no_dots_left", "proposal_dot_limit"}
    assert {a["error"] for a in answers if not a["ok"]} <= expected


def test_mixed_retries_of_one_client_id_store_it_once(any_db_app, make_event, staff, phones):
    event, ids = setup_event(make_event, staff, DOTS, ["Ett", "Två"])
    phone = phones(event)
    before = version(event.id)

    answers = race(phone, [("vote", ids[0], "one-key-both-channels", 2)] * BURST)

    assert all(a["ok"] for a in answers), [a for a in answers if not a["ok"]]
    first = [a for a in answers if not a.get("replayed")]
    assert len(first) == 1
    assert channels([a for a in answers if a.get("replayed")]) == {"rest", "socket"}
    strip = {"ok", "replayed", "channel"}
    assert all({k: v for k, v in a.items() if k not in strip}
               == {k: v for k, v in first[0].items() if k not in strip} for a in answers)
    _, ballot = assert_replays_to_stored(event, before, answers, cap=3, budget=5)
    assert ballot == {ids[0]: 2}
    assert db.session.scalar(select(func.count(Vote.id))) == 1
