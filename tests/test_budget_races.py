"""64 concurrent budget ballots from one phone leave exactly one whole ballot, never a mix of
two and never over the budget (the event's row lock serialises them; the unique constraint
backs it up)."""

from sqlalchemy import select

from participation.budgets.models import BudgetChoice
from participation.extensions import db

from .support.budget import add_measures, budget_voting
from .test_races import BURST, burst, phone_clients


def test_parallel_budget_ballots_leave_one_whole_ballot(any_db_app, make_event):
    measures = add_measures()
    event = make_event(voting=budget_voting(measures), phase="vote")
    clients, csrf = phone_clients(any_db_app, event, BURST)
    # Each write is one of four whole ballots; one of them (all three) is over the budget.
    ballots = ([measures[0], measures[1]], [measures[2]], [measures[1], measures[2]], measures)
    results = burst(any_db_app, clients, csrf, lambda c, h, i: c.post(
        f"/api/v1/events/{event.id}/budget-ballot",
        json={"measure_ids": ballots[i % 4], "client_id": f"race-budget-{i:03d}"}, headers=h))

    statuses = sorted({status for status, _ in results})
    assert statuses == [200, 409]
    assert sum(1 for status, _ in results if status == 409) == BURST // 4
    assert all(body["error"] == "over_budget" for status, body in results if status == 409)
    rows = db.session.execute(select(BudgetChoice.participant_id, BudgetChoice.measure_id)
                              .where(BudgetChoice.event_id == event.id)).all()
    assert len({participant for participant, _ in rows}) == 1
    stored = sorted(measure for _, measure in rows)
    # The last write to commit wins: its answer has the highest version.
    last = max((body for status, body in results if status == 200), key=lambda b: b["version"])
    assert stored == sorted(last["measure_ids"])
    assert sorted(stored) in [sorted(b) for b in ballots[:3]]


def test_parallel_retries_of_one_ballot_store_it_once(any_db_app, make_event):
    measures = add_measures()
    event = make_event(voting=budget_voting(measures), phase="vote")
    clients, csrf = phone_clients(any_db_app, event, BURST)
    results = burst(any_db_app, clients, csrf, lambda c, h, i: c.post(
        f"/api/v1/events/{event.id}/budget-ballot",
        json={"measure_ids": [measures[0]], "client_id": "race-budget-same"}, headers=h))
    assert {status for status, _ in results} == {200}
    assert sum(1 for _, body in results if not body.get("replayed")) == 1
    assert len({body["version"] for _, body in results}) == 1
    rows = db.session.scalars(select(BudgetChoice.measure_id)
                              .where(BudgetChoice.event_id == event.id)).all()
    assert rows == [measures[0]]
