"""The investment view's citizen support: a share of the voters with its Wilson interval,
counted from stored votes and checked against a hand count and an independent Wilson sum."""

import csv
import io
import re
from math import sqrt
from statistics import NormalDist

from participation.backlog import operations
from participation.events.operations import change_phase
from participation.proposals.operations import cast_vote, submit_proposal
from participation.proposals.paper import set_hand_count
from participation.review import links

from .test_backlog_pages import API, staff_client


def _wilson(k, n):
    """Wilson's score interval written out from its definition, with z from the normal law."""
    z = NormalDist().inv_cdf(0.975)
    p = k / n
    half = z / (1 + z * z / n) * sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    return centre - half, centre + half


def _vote(pid, token, n):
    cast_vote(pid, lambda _e, t=token: t, f"{token}-vote-{n}")


def _two_events(make_event, staff):
    """Event A: linked P1 (2 hands) and P2, unlinked P3 (5 hands). Phones: a1 votes P1 and P2,
    a2 P1, a3 P2, a4 only P3. Event B: linked P4, unlinked P5; b1 votes P4, b2 P5.

    Hand count: A has 4 voting phones + 5 (its largest show of hands) = 9 who could support;
    supporters a1, a2, a3 + P1's 2 hands = 5. B: 2 voters, 1 supporter. Together 6 of 11."""
    a = make_event(phase="collect", title="Verkstad A")
    b = make_event(phase="collect", title="Verkstad B")
    ids = {}
    for event, names in ((a, ("P1", "P2", "P3")), (b, ("P4", "P5"))):
        for name in names:
            ids[name] = submit_proposal(event.id, f"author-{name}-{event.id}", f"Förslag {name}",
                                        "", f"client-{name}-{event.id}")["proposal"]["id"]
        change_phase(staff.facilitator, event.id, "vote")
    for token, picks in (("a1", ("P1", "P2")), ("a2", ("P1",)), ("a3", ("P2",)),
                         ("a4", ("P3",)), ("b1", ("P4",)), ("b2", ("P5",))):
        for n, name in enumerate(picks):
            _vote(ids[name], f"{token}-{a.id}", n)
    set_hand_count(staff.facilitator, ids["P1"], 2)
    set_hand_count(staff.facilitator, ids["P3"], 5)
    mid = links.link_proposal(staff.reviewer, ids["P1"], "created_from", new_measure_fields={
        "reduction_low": 100, "reduction_high": 300, "investment_sek": 5_000_000,
        "yearly_cost_sek": 100_000})["link"]["measure_id"]
    for name in ("P2", "P4"):
        links.link_proposal(staff.reviewer, ids[name], "supports", measure_id=mid)
    return a, b, mid


def test_support_share_and_interval_from_stored_votes(app, make_event, staff):
    a, b, mid = _two_events(make_event, staff)
    for event in (a, b):
        change_phase(staff.facilitator, event.id, "results")
    share = app.test_client().get(f"{API}/measures/investment").get_json()[
        "measures"][0]["support"]["share"]
    low, high = _wilson(6, 11)
    assert (share["supporters"], share["voters"], share["share"]) == (6, 11, round(6 / 11, 4))
    assert abs(share["low"] - low) < 1e-3 and abs(share["high"] - high) < 1e-3
    assert (round(low * 100), round(high * 100)) == (28, 79)  # docs/backlog.md's example
    per_event = app.test_client().get(f"{API}/measures/{mid}").get_json()["support"]["events"]
    assert {e["event_id"]: (e["share"]["supporters"], e["share"]["voters"])
            for e in per_event} == {a.id: (5, 9), b.id: (1, 2)}


def test_investment_view_draws_the_support_marks_and_columns(app, make_event, staff):
    _a, _b, mid = _two_events(make_event, staff)
    operations.create_measure(staff.reviewer, {  # placed on the curve, no proposal: no vote
        "title": "Solceller på skolor", "reduction_low": 50, "reduction_high": 80,
        "investment_sek": 4_000_000})
    client, _csrf = staff_client(app, staff.reviewer)
    page = client.get("/backlog/investment").get_data(as_text=True)
    svg = page[page.index("<svg", page.index("<main")): page.index("</svg>", page.index("<main"))]
    assert svg.count('<g class="support">') == svg.count('<g class="bar">') == 2
    low, high = (round(v * 100) for v in _wilson(6, 11))
    # Staff see running votes: 6 of 11, 55 %, in words on the mark, not only as a position.
    marks = re.findall(r'<g class="support">\s*<title>([^<]+)</title>', svg)
    assert any("55 %" in m and f"{low}–{high} %" in m and "6 av 11" in m for m in marks), marks
    assert any("ingen röstning" in m.lower() for m in marks), marks
    assert "<path d=\"M" in svg and "<circle" in svg  # a diamond and a hollow circle
    desc = svg[svg.index("<desc"): svg.index("</desc>")]
    assert "95 %" in desc
    table = page[page.index('id="investment-table"'):]
    assert "Stöd, andel av de röstande" in table and "95 %-intervall" in table
    assert "55 %" in table and "6 av 11" in table and f"{low}–{high} %" in table


def test_public_figures_wait_for_the_results(app, make_event, staff):
    a, b, mid = _two_events(make_event, staff)
    public = app.test_client()

    def share():
        return public.get(f"{API}/measures/investment").get_json()["measures"][0][
            "support"]["share"]

    assert share() == {"supporters": 0, "voters": 0, "share": None, "low": None, "high": None}
    assert "Andel av dem som röstade" not in public.get(f"/atgarder/{mid}").get_data(as_text=True)
    change_phase(staff.facilitator, a.id, "results")
    assert (share()["supporters"], share()["voters"]) == (5, 9)  # B's vote still runs
    low, high = (round(v * 100) for v in _wilson(5, 9))
    page = public.get(f"/atgarder/{mid}").get_data(as_text=True)
    assert (f"Andel av dem som röstade i dessa evenemang: {round(500 / 9)} % (5 av 9; "
            f"95 %-intervall {low}–{high} %)") in page
    csv_text = public.get(f"{API}/measures/investment?format=csv").get_data(as_text=True)
    (row,) = csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff")))
    assert (row["support_voters"], row["support_share"]) == ("9", str(round(5 / 9, 4)))
    change_phase(staff.facilitator, b.id, "results")
    assert (share()["supporters"], share()["voters"]) == (6, 11)
