"""Rate limits: HTTP writes (Flask-Limiter), socket events (our token bucket), login lockout.

The shared test config turns the limits off; here they are on, and low."""

import re
import uuid

import pytest

from participation.accounts import lockout
from participation.events.operations import change_phase
from participation.extensions import db
from participation.live.socket import ratelimit
from participation.live.socket.ratelimit import MemoryBuckets, RedisBuckets

from .conftest import PASSWORD, csrf_from, join, login, make_app

LIMITS = {
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_WRITES_PER_PARTICIPANT": "3/minute",
    "RATELIMIT_WRITES_PER_IP": "6/minute",
    "RATELIMIT_JOINS_PER_IP": "5/minute",
    "RATELIMIT_LOGINS_PER_IP": "1000/minute",
    "SOCKET_RATELIMIT_ENABLED": True,
    "SOCKET_RATE_BURST": 3,
    "SOCKET_RATE_PER_SECOND": 0.001,  # no refill within a test: the 4th call waits ~1000 s
}


@pytest.fixture
def app(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'limits.db'}", **LIMITS)
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


def _propose(client, event, csrf, n):
    return client.post(f"/api/v1/events/{event.id}/proposals",
                       json={"title": f"Förslag {n}", "client_id": uuid.uuid4().hex},
                       headers={"X-CSRFToken": csrf})


def _assert_429(response, json=True):
    assert response.status_code == 429
    seconds = int(response.headers["Retry-After"])
    assert 1 <= seconds <= 60
    if json:
        body = response.get_json()
        assert body["error"] == "rate_limited" and body["retry_after"] == seconds
        assert "Vänta" in body["message"]  # Swedish by default
    else:
        assert "Vänta" in response.get_data(as_text=True)
        assert "<html" in response.get_data(as_text=True).lower()
    return seconds


def test_api_writes_are_limited_per_participant_with_retry_after(app, make_event):
    event = make_event(phase="collect")
    phone = app.test_client()
    csrf = join(phone, event)
    for n in range(3):
        assert _propose(phone, event, csrf, n).status_code == 201
    _assert_429(_propose(phone, event, csrf, 3))
    # Another phone on the same address is another participant: it may still write.
    other = app.test_client()
    assert _propose(other, event, join(other, event), 9).status_code == 201


def test_reads_are_not_counted(app, make_event):
    event = make_event(phase="collect")
    phone = app.test_client()
    csrf = join(phone, event)
    for _ in range(10):
        assert phone.get(f"/api/v1/events/{event.id}/state").status_code == 200
    assert _propose(phone, event, csrf, 0).status_code == 201


def test_the_address_as_a_whole_has_its_own_higher_limit(app, make_event):
    event = make_event(phase="collect")
    answers = []
    for n in range(4):  # 4 phones × 2 writes: the address's 6 run out, no phone's 3 does
        phone = app.test_client()
        csrf = join(phone, event)
        answers += [_propose(phone, event, csrf, f"{n}-{k}").status_code for k in range(2)]
    assert answers[:6] == [201] * 6
    assert answers[6:] == [429, 429]


def test_a_form_post_gets_a_swedish_page_not_json(app, make_event):
    event = make_event(phase="collect")
    phone = app.test_client()
    csrf = join(phone, event)
    for n in range(3):
        assert _propose(phone, event, csrf, n).status_code == 201
    page = phone.post(f"/j/{event.code}/proposals",
                      data={"title": "Via formulär", "csrf_token": csrf,
                            "client_id": uuid.uuid4().hex})
    _assert_429(page, json=False)
    assert page.headers["Content-Security-Policy"].startswith("default-src 'self'")


def test_joins_are_limited_per_address(app, make_event):
    event = make_event(phase="collect")
    statuses = [app.test_client().get(f"/j/{event.code}").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]


def test_staff_writes_count_per_account(app, staff, make_event):
    event = make_event()
    headers = staff.auth(staff.facilitator)
    statuses = [app.test_client().post(f"/api/v1/events/{event.id}/timer", headers=headers,
                                       json={"action": "stop"}).status_code for _ in range(4)]
    assert statuses[3] == 429 and 429 not in statuses[:3]


def test_limits_are_off_when_disabled(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'off.db'}", **{**LIMITS, "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.create_all()
        client = app.test_client()
        assert all(client.get("/j/NOPE").status_code == 404 for _ in range(8))
        db.engine.dispose()


# --- socket events ---------------------------------------------------------------------------

def test_socket_events_get_a_rate_limited_ack(room):
    room = room()
    phone = room.phone()
    acks = [phone.call("snapshot", {}) for _ in range(4)]
    assert all(a["ok"] for a in acks[:3])
    limited = acks[3]
    assert limited["ok"] is False and limited["error"] == "rate_limited"
    assert limited["retry_after"] >= 1 and "Vänta" in limited["message"]


def test_the_participant_bucket_spans_its_connections(room):
    room = room()
    http = room.phone(connect=False)
    first = room.connect(http, {"csrf_token": http.csrf, "event": room.id})
    second = room.connect(http, {"csrf_token": http.csrf, "event": room.id})
    assert first.call("snapshot", {})["ok"] and first.call("snapshot", {})["ok"]
    assert second.call("snapshot", {})["ok"]
    # The second tab has a full bucket of its own, but the person's is empty.
    assert second.call("snapshot", {})["error"] == "rate_limited"
    # Someone else at the same table is not held back.
    assert room.phone().call("snapshot", {})["ok"]


def test_a_rate_limited_write_stores_nothing(room):
    room = room()
    phone = room.phone()
    for n in range(3):
        ack = phone.call("submit_proposal", {"title": f"Idé {n}", "client_id": uuid.uuid4().hex})
        assert ack["ok"], ack
    ack = phone.call("submit_proposal", {"title": "En för mycket", "client_id": uuid.uuid4().hex})
    assert ack["error"] == "rate_limited"
    from participation.proposals.models import Proposal

    db.session.rollback()
    titles = {p.title for p in db.session.query(Proposal).filter_by(event_id=room.id)}
    assert "En för mycket" not in titles and len(titles) == 3


def test_the_bucket_refills_with_time():
    now = [0.0]
    buckets = MemoryBuckets(clock=lambda: now[0])
    assert [buckets.take("k", 2, 1.0) for _ in range(3)] == [0, 0, 1.0]
    now[0] = 0.5
    assert buckets.take("k", 2, 1.0) == pytest.approx(0.5)
    now[0] = 1.0
    assert buckets.take("k", 2, 1.0) == 0


def test_refilled_buckets_are_forgotten_and_a_drained_one_is_kept():
    now = [0.0]
    buckets = MemoryBuckets(clock=lambda: now[0])
    buckets.PRUNE_EVERY = 4
    buckets.take("sid:a", 10, 1.0)           # full again at t=1
    for _ in range(3):
        buckets.take("sid:drained", 3, 0.1)  # empty: full again at t=30
    assert set(buckets.buckets) == {"sid:a", "sid:drained"}
    now[0] = 2.0
    for _ in range(4):                       # the fourth take of this round prunes
        buckets.take("sid:b", 10, 1.0)
    assert "sid:a" not in buckets.buckets
    # Forgetting must not forgive: the drained bucket still refuses.
    assert buckets.take("sid:drained", 3, 0.1) > 0


# --- login brute force -----------------------------------------------------------------------

def _login_as(client, email, password):
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": token})


def test_five_failures_lock_the_account_for_a_minute_and_the_right_password_waits(app, staff):
    client = app.test_client()
    answers = [_login_as(client, staff.facilitator.email, "wrong password!").status_code
               for _ in range(5)]
    assert answers == [422] * 4 + [429]
    locked = _login_as(client, staff.facilitator.email, PASSWORD)
    assert locked.status_code == 429
    assert 1 <= int(locked.headers["Retry-After"]) <= 60
    assert "Vänta" in locked.get_data(as_text=True)
    with client.session_transaction() as session:
        assert "_user_id" not in session
    # Another account from the same address is not locked.
    assert login(app.test_client(), staff.other).status_code == 302


def test_an_unknown_account_answers_exactly_like_a_known_one(app, staff):
    known, unknown = app.test_client(), app.test_client()
    for _ in range(5):
        a = _login_as(known, staff.facilitator.email, "wrong password!")
        b = _login_as(unknown, "nobody@example.se", "wrong password!")
        assert a.status_code == b.status_code
        assert a.headers.get("Retry-After") == b.headers.get("Retry-After")
    assert b.status_code == 429
    assert _page_without_tokens(a, staff.facilitator.email) == _page_without_tokens(
        b, "nobody@example.se")


def _page_without_tokens(response, email) -> str:
    html = response.get_data(as_text=True).replace(email, "EMAIL")
    return re.sub(r'(value|content)="[^"]*"', "", html)


def test_the_lockout_doubles_and_success_resets_it(app):
    now = [1000.0]
    app.extensions["login_lockout"] = lockout.MemoryStore(clock=lambda: now[0])
    seconds = [lockout.record_failure(app, "a@example.se", "10.0.0.1") for _ in range(7)]
    assert seconds == [0, 0, 0, 0, 60, 120, 240]
    assert lockout.locked_for(app, "A@example.se ", "10.0.0.1") == 240
    # The account from another address is not locked (tests/test_staff_sessions.py).
    assert lockout.locked_for(app, "a@example.se", "10.0.0.9") == 0
    now[0] += 241
    assert lockout.locked_for(app, "a@example.se", "10.0.0.1") == 0
    lockout.record_success(app, "a@example.se", "10.0.0.1")
    assert lockout.record_failure(app, "a@example.se", "10.0.0.1") == 0


def test_many_failures_from_one_address_lock_the_address(app):
    app.config["LOGIN_FAILURES_PER_IP"] = 3
    for n in range(2):
        assert lockout.record_failure(app, f"u{n}@example.se", "10.0.0.2") == 0
    assert lockout.record_failure(app, "u9@example.se", "10.0.0.2") == 60
    assert lockout.locked_for(app, "fresh@example.se", "10.0.0.2") == 60
    assert lockout.locked_for(app, "fresh@example.se", "10.0.0.3") == 0


# --- the Redis-backed variants -----------------------------------------------------------------

@pytest.fixture
def redis_prefix(redis_url):
    import redis

    client = redis.Redis.from_url(redis_url)
    client.ping()  # a missing Redis fails here, loudly
    prefix = f"test-security-{uuid.uuid4().hex}:"
    yield client, prefix
    # Flask-Limiter puts its own "LIMITS:" in front of our prefix.
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)


def test_redis_token_bucket(redis_prefix):
    client, prefix = redis_prefix
    now = [100.0]
    buckets = RedisBuckets(client, prefix, clock=lambda: now[0])
    assert [buckets.take("k", 2, 1.0) for _ in range(3)] == [0, 0, 1.0]
    now[0] = 101.0
    assert buckets.take("k", 2, 1.0) == 0
    # A second process sees the same bucket.
    assert RedisBuckets(client, prefix, clock=lambda: now[0]).take("k", 2, 1.0) == 1.0


def test_redis_login_lockout(redis_prefix):
    client, prefix = redis_prefix
    store = lockout.RedisStore(client, prefix)
    for _ in range(3):
        count = store.incr("failures:x", 60)
    assert count == 3
    store.set("lock:x", 60)
    assert 59 <= store.ttl("lock:x") <= 60
    store.delete("lock:x")
    assert store.ttl("lock:x") == 0


def test_redis_backed_http_and_socket_limits(tmp_path, redis_url, redis_prefix):
    _client, prefix = redis_prefix
    app = make_app(f"sqlite:///{tmp_path / 'redis.db'}", **LIMITS,
                   RATELIMIT_STORAGE_URI=redis_url, RATELIMIT_KEY_PREFIX=prefix + "http",
                   SOCKET_RATELIMIT_REDIS_URL=redis_url, SOCKET_RATELIMIT_PREFIX=prefix,
                   LOGIN_LOCKOUT_REDIS_URL=redis_url, LOGIN_LOCKOUT_PREFIX=prefix)
    with app.app_context():
        db.create_all()
        event = _event_with_staff()
        phone = app.test_client()
        csrf = csrf_from(phone.get(f"/j/{event.code}").get_data(as_text=True))
        statuses = [_propose(phone, event, csrf, n).status_code for n in range(4)]
        assert statuses == [201, 201, 201, 429]
        waits = [ratelimit.wait_seconds(app, "sid-1", event.id, "tok") for _ in range(4)]
        assert waits[:3] == [0, 0, 0] and waits[3] > 0
        assert isinstance(app.extensions["socket_buckets"], RedisBuckets)
        assert isinstance(lockout.store_for(app), lockout.RedisStore)
        db.session.remove()
        db.engine.dispose()


def _event_with_staff():
    from participation.accounts.operations import create_or_update_user
    from participation.events.operations import change_phase, create_event

    user = create_or_update_user("redis@example.se", "facilitator", PASSWORD)
    event = create_event(user, "Redis", "Fråga?", "medborgarverkstad",
                         {"method": "approval"}, [], "post")
    change_phase(user, event.id, "collect")
    return event


def test_the_openapi_document_lists_429_on_every_write_and_none_on_reads():
    from participation.api.openapi import spec

    for path, operations in spec()["paths"].items():
        for method, operation in operations.items():
            limited = "429" in operation["responses"]
            assert limited == (method in ("post", "put", "patch", "delete")), (method, path)
    schema = spec()["components"]["schemas"]["RateLimited"]
    assert set(schema["required"]) == {"error", "message", "retry_after"}


def test_votes_and_proposals_share_the_participants_write_budget(app, staff, make_event):
    event = make_event(phase="collect")
    phone = app.test_client()
    csrf = join(phone, event)
    first = _propose(phone, event, csrf, 0).get_json()["proposal"]["id"]
    change_phase(staff.facilitator, event.id, "vote")

    def vote():
        return phone.post(f"/api/v1/proposals/{first}/votes",
                          json={"client_id": uuid.uuid4().hex}, headers={"X-CSRFToken": csrf})

    assert vote().status_code == 201
    assert vote().status_code == 409  # counted, though the rules refuse it: one approval each
    _assert_429(vote())


def test_logins_are_limited_per_address(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'login.db'}",
                   **{**LIMITS, "RATELIMIT_LOGINS_PER_IP": "3/minute"})
    with app.app_context():
        db.create_all()
        client = app.test_client()
        statuses = [_login_as(client, f"u{n}@example.se", "wrong password!").status_code
                    for n in range(4)]
        assert statuses == [422, 422, 422, 429]
        db.engine.dispose()
