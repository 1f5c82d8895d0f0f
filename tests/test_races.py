"""64 concurrent writes from one phone never exceed one approval vote or the dot budget."""

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from participation.events.operations import change_phase
from participation.extensions import db
from participation.proposals.models import Vote

from .conftest import join

BURST = 64


def phone_clients(app, event, count):
    """`count` HTTP clients that share one resident's cookie, like one phone's parallel tabs."""
    first = app.test_client()
    csrf = join(first, event)
    cookie = first.get_cookie("session")
    clients = []
    for _ in range(count):
        client = app.test_client()
        client.set_cookie("session", cookie.value, domain=cookie.domain or "localhost")
        clients.append(client)
    return clients, csrf


def burst(app, clients, csrf, send):
    def one(index):
        with app.app_context():
            response = send(clients[index], {"X-CSRFToken": csrf}, index)
            db.session.remove()
            return response.status_code, response.get_json()

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(one, range(len(clients))))
    db.session.remove()  # end the test's own read snapshot so the checks see the burst
    return results


def proposal_in_vote_phase(app, client_csrf, event, staff, titles=("Belys cykelbanorna",)):
    client, csrf = client_csrf
    ids = []
    for i, title in enumerate(titles):
        response = client.post(f"/api/v1/events/{event.id}/proposals",
                               json={"title": title, "client_id": f"setup-proposal-{i}"},
                               headers={"X-CSRFToken": csrf})
        assert response.status_code == 201
        ids.append(response.get_json()["proposal"]["id"])
    change_phase(staff.facilitator, event.id, "vote")
    return ids


def test_parallel_approval_votes_count_once(any_db_app, make_event, staff):
    event = make_event(phase="collect")
    clients, csrf = phone_clients(any_db_app, event, BURST)
    [pid] = proposal_in_vote_phase(any_db_app, (clients[0], csrf), event, staff)

    results = burst(any_db_app, clients, csrf, lambda c, h, i: c.post(
        f"/api/v1/proposals/{pid}/votes", json={"client_id": f"race-vote-{i:04d}"}, headers=h))

    statuses = sorted(status for status, _ in results)
    assert statuses.count(201) == 1, statuses
    assert all(s == 409 for s in statuses if s != 201)
    assert {body["error"] for status, body in results if status == 409} == {"already_voted"}
    assert db.session.scalar(select(func.count(Vote.id))) == 1


def test_parallel_dots_never_exceed_the_budget(any_db_app, make_event, staff):
    event = make_event(voting={"method": "dots", "dots": 5, "max_per_proposal": 3},
                       phase="collect")
    clients, csrf = phone_clients(any_db_app, event, BURST)
    ids = proposal_in_vote_phase(any_db_app, (clients[0], csrf), event, staff,
                                 titles=("Ett", "Två", "Tre"))

    results = burst(any_db_app, clients, csrf, lambda c, h, i: c.post(
        f"/api/v1/proposals/{ids[i % 3]}/votes",
        json={"client_id": f"race-dots-{i:04d}", "dots": 1}, headers=h))

    accepted = [body for status, body in results if status == 201]
    assert len(accepted) == 5
    assert {status for status, _ in results} <= {201, 409}
    spent = db.session.scalar(select(func.sum(Vote.dots)))
    per_proposal = db.session.execute(
        select(Vote.proposal_id, Vote.dots)).all()
    assert spent == 5
    assert all(dots <= 3 for _, dots in per_proposal)
    assert max(body["ballot"]["spent"] for body in accepted) == 5


def test_parallel_retries_of_one_write_store_it_once(any_db_app, make_event, staff):
    event = make_event(phase="collect")
    clients, csrf = phone_clients(any_db_app, event, 16)

    results = burst(any_db_app, clients, csrf, lambda c, h, i: c.post(
        f"/api/v1/events/{event.id}/proposals",
        json={"title": "Samma förslag", "client_id": "one-key-retried"}, headers=h))

    assert {status for status, _ in results} <= {200, 201}
    assert len({body["proposal"]["id"] for _, body in results}) == 1
