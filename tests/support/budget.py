"""Backlog measures and a budget event for the budget ballot tests."""

from participation.backlog.models import Measure
from participation.extensions import db

BUDGET = 1_000_000
# (title, investment, reduction low, high): 600 000 + 300 000 fits, 600 000 + 500 000 does not.
MEASURES = (("Solceller på skolorna", 600_000, 120.0, 200.0),
            ("Cykelgarage vid stationen", 300_000, 20.0, 40.0),
            ("Laddstolpar i hyreshus", 500_000, 60.0, 90.0))


def add_measures(rows=MEASURES, **extra) -> list[int]:
    ids = []
    for title, cost, low, high in rows:
        measure = Measure(title=title, investment_sek=cost, reduction_low=low,
                          reduction_high=high, **extra)
        db.session.add(measure)
        db.session.flush()
        ids.append(measure.id)
    db.session.commit()
    return ids


def budget_voting(ids, budget=BUDGET) -> dict:
    return {"method": "budget", "budget_sek": budget, "measure_ids": list(ids)}
