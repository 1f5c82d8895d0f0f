"""The funding rule of a participatory climate budget (participation/backlog/funding.py,
docs/budget.md): the Method of Equal Shares with its completion, and the greedy rule.

Plain Equal Shares is checked against `reference_mes` below, a slow transcription of the
definition that shares no code with the module.
"""

import random
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from participation.backlog.funding import (
    EQUAL_SHARES,
    GREEDY,
    FundingResult,
    Measure,
    equal_shares,
    greedy_by_votes,
)

RULES = [equal_shares, greedy_by_votes]


# --- the slow reference ------------------------------------------------------------------


def reference_mes(measures, budget, ballots):
    """Plain Equal Shares, straight from the definition: every voter's money as a Fraction,
    every measure's payment found by trying every candidate and checking it."""
    voters = [set(approved) for approved in ballots.values() if approved]
    if not voters:
        return []
    money = [Fraction(budget, len(voters))] * len(voters)
    approvals = {m.id: sum(m.id in v for v in voters) for m in measures}
    funded = []
    while True:
        options = []
        for m in (m for m in measures if m.id not in funded):
            supporters = [i for i, v in enumerate(voters) if m.id in v]
            rho = smallest_payment([money[i] for i in supporters], m.cost_sek)
            if rho is not None:
                # The documented order: smallest payment, more approvals, cheaper, ballot order.
                options.append((rho, -approvals[m.id], m.cost_sek, m.order, m.id))
        if not options:
            return funded
        rho, *_, chosen = min(options)
        for i, v in enumerate(voters):
            if chosen in v:
                money[i] -= min(money[i], rho)
        funded.append(chosen)


def smallest_payment(wallets, cost):
    """The smallest p with sum(min(w, p)) == cost, or None. If the k poorest pay everything
    they have, the others split the rest equally: try every k, keep the p that really work."""
    if sum(wallets) < cost:
        return None
    poorest_first = sorted(wallets)
    candidates = []
    for k in range(len(wallets)):
        p = (Fraction(cost) - sum(poorest_first[:k])) / (len(wallets) - k)
        if sum(min(w, p) for w in wallets) == cost:
            candidates.append(p)
    return min(candidates)


# --- random instances ---------------------------------------------------------------------


@st.composite
def instances(draw, max_measures=6, max_voters=8, max_cost=30, max_budget=100):
    count = draw(st.integers(1, max_measures))
    ids = [f"M{i}" for i in range(count)]
    costs = draw(st.lists(st.integers(1, max_cost), min_size=count, max_size=count))
    orders = draw(st.permutations(range(count)))
    measures = [Measure(i, c, o) for i, c, o in zip(ids, costs, orders, strict=True)]
    budget = draw(st.integers(0, max_budget))
    ballots = draw(st.dictionaries(st.integers(0, 10_000), st.sets(st.sampled_from(ids)),
                                   max_size=max_voters))
    return measures, budget, ballots


def check_result(result, measures, budget, ballots):
    """What every result of every rule must satisfy."""
    cost = {m.id: m.cost_sek for m in measures}
    assert isinstance(result, FundingResult)
    assert len(set(result.funded)) == len(result.funded)
    assert result.spent_sek == sum(cost[i] for i in result.funded) <= budget
    counts = result.approval_counts
    assert counts == {m.id: sum(m.id in set(a) for a in ballots.values()) for m in measures}
    assert all(counts[i] > 0 for i in result.funded)


def left_out_that_fit(result, measures):
    left = result.budget_sek - result.spent_sek
    return [m.id for m in measures if m.id not in result.funded
            and result.approval_counts[m.id] and m.cost_sek <= left]


@settings(max_examples=300, deadline=None)
@given(instances(max_measures=8, max_voters=12, max_budget=200))
def test_never_over_budget_and_nothing_left_that_fits(instance):
    measures, budget, ballots = instance
    for rule in RULES:
        result = rule(measures, budget, ballots)
        check_result(result, measures, budget, ballots)
        # Both end greedily, so no approved measure that would still fit is left out.
        assert left_out_that_fit(result, measures) == []
    check_result(equal_shares(measures, budget, ballots, complete=False), measures, budget,
                 ballots)


@settings(max_examples=400, deadline=None)
@given(instances())
def test_plain_equal_shares_equals_the_reference(instance):
    measures, budget, ballots = instance
    plain = equal_shares(measures, budget, ballots, complete=False)
    assert list(plain.funded) == reference_mes(measures, budget, ballots)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_measures=8, max_voters=12, max_budget=200), st.randoms())
def test_same_result_whatever_the_input_order(instance, rng):
    measures, budget, ballots = instance
    shuffled_measures = rng.sample(measures, len(measures))
    # Other voter ids, in another order, each ballot listing its measures in another order.
    items = rng.sample(sorted(ballots.items()), len(ballots))
    renamed = {f"voter-{rng.randrange(10**6)}-{n}": rng.sample(sorted(a), len(a))
               for n, (_, a) in enumerate(items)}
    for rule in RULES:
        assert rule(shuffled_measures, budget, renamed) == rule(measures, budget, ballots)


# --- the classic polarised ballot ---------------------------------------------------------


def polarised(voters, budget, a_costs, b_costs):
    """60 % approve only group A's measures, 40 % only group B's."""
    measures = [Measure(f"A{i}", c, i) for i, c in enumerate(a_costs)]
    measures += [Measure(f"B{i}", c, 100 + i) for i, c in enumerate(b_costs)]
    majority = voters * 6 // 10
    a_ids = {m.id for m in measures if m.id.startswith("A")}
    b_ids = {m.id for m in measures if m.id.startswith("B")}
    ballots = {v: (a_ids if v < majority else b_ids) for v in range(voters)}
    return measures, ballots


def b_share(result, measures):
    cost = {m.id: m.cost_sek for m in measures}
    return sum(cost[i] for i in result.funded if i.startswith("B")) / result.budget_sek


def test_polarised_equal_costs_give_the_minority_exactly_its_share():
    measures, ballots = polarised(100, 1_000_000, [100_000] * 10, [100_000] * 10)
    mes = equal_shares(measures, 1_000_000, ballots)
    assert mes.spent_sek == 1_000_000
    assert b_share(mes, measures) == pytest.approx(0.4)
    greedy = greedy_by_votes(measures, 1_000_000, ballots)
    assert greedy.funded == tuple(f"A{i}" for i in range(10))
    assert b_share(greedy, measures) == 0


@pytest.mark.parametrize("seed", range(5))
def test_polarised_uneven_costs_give_the_minority_roughly_its_share(seed):
    rng = random.Random(seed)
    budget = 20_000_000
    # Each group's measures alone would spend the whole budget (and more).
    a_costs = [rng.randrange(500_000, 4_000_000, 1_000) for _ in range(15)]
    b_costs = [rng.randrange(500_000, 4_000_000, 1_000) for _ in range(15)]
    assert min(sum(a_costs), sum(b_costs)) > budget
    measures, ballots = polarised(2000, budget, a_costs, b_costs)
    mes = equal_shares(measures, budget, ballots)
    assert 0.3 <= b_share(mes, measures) <= 0.5
    # Greedy spends on the majority's measures while any fits; group B gets only crumbs that
    # none of them fits into (exactly nothing when the costs are even, as above).
    greedy = greedy_by_votes(measures, budget, ballots)
    a_funded = [i for i in greedy.funded if i.startswith("A")]
    assert list(greedy.funded[: len(a_funded)]) == a_funded
    crumbs = budget - sum(m.cost_sek for m in measures if m.id in a_funded)
    assert all(m.cost_sek > crumbs for m in measures
               if m.id.startswith("A") and m.id not in greedy.funded)
    assert b_share(greedy, measures) < 0.2


# --- one voter ------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(instances(max_measures=8, max_budget=120), st.integers(0, 10_000))
def test_one_voter_gets_their_picks_in_tie_break_order_while_money_lasts(instance, voter):
    measures, budget, ballots = instance
    picks = set().union(*ballots.values()) if ballots else set()
    one = {voter: picks}
    expected, left = [], budget
    for m in sorted(measures, key=lambda m: (m.cost_sek, m.order)):  # all have 1 approval
        if m.id in picks and m.cost_sek <= left:
            expected.append(m.id)
            left -= m.cost_sek
    for rule in RULES:
        assert list(rule(measures, budget, one).funded) == expected
    # Equal Shares needs no completion here: the lone voter pays for their cheapest picks.
    assert list(equal_shares(measures, budget, one, complete=False).funded) == expected


# --- the worked example of docs/budget.md ---------------------------------------------------

EXAMPLE = [Measure("A", 600_000, 1), Measure("B", 360_000, 2), Measure("C", 240_000, 3),
           Measure("D", 240_000, 4), Measure("E", 240_000, 5), Measure("F", 120_000, 6)]
EXAMPLE_BALLOTS = {**{f"v{i}": {"A", "B", "E"} for i in range(1, 5)},
                   "v5": {"A", "B", "E", "F"}, "v6": {"A", "B", "E", "F"},
                   **{f"v{i}": {"C", "D"} for i in range(7, 11)}}


def test_worked_example_in_the_docs():
    plain = equal_shares(EXAMPLE, 1_200_000, EXAMPLE_BALLOTS, complete=False)
    assert (plain.funded, plain.spent_sek) == (("E", "B", "C", "D"), 1_080_000)
    assert reference_mes(EXAMPLE, 1_200_000, EXAMPLE_BALLOTS) == ["E", "B", "C", "D"]
    mes = equal_shares(EXAMPLE, 1_200_000, EXAMPLE_BALLOTS)
    assert (mes.funded, mes.spent_sek, mes.rule) == (("E", "B", "C", "D", "F"), 1_200_000,
                                                     EQUAL_SHARES)
    assert mes.approval_counts == {"A": 6, "B": 6, "C": 4, "D": 4, "E": 6, "F": 2}
    greedy = greedy_by_votes(EXAMPLE, 1_200_000, EXAMPLE_BALLOTS)
    assert (greedy.funded, greedy.spent_sek, greedy.rule) == (("E", "B", "A"), 1_200_000,
                                                              GREEDY)
    # The completion's raises, one run each: 10–30 % change nothing, 40 % adds F.
    for virtual in (1_320_000, 1_440_000, 1_560_000):
        raised = equal_shares(EXAMPLE, virtual, EXAMPLE_BALLOTS, complete=False)
        assert raised.funded == ("E", "B", "C", "D")
    raised = equal_shares(EXAMPLE, 1_680_000, EXAMPLE_BALLOTS, complete=False)
    assert raised.funded == ("E", "B", "C", "D", "F")


def test_completion_gives_up_on_shares_that_would_have_to_grow_many_times_over():
    # 30 small groups, each alone on a measure costing half the budget: even five times its
    # share no group could pay, so the raises end at their limit and the fill spends the money.
    measures = [Measure(i, 500_000, i) for i in range(30)]
    ballots = {v: {v % 30} for v in range(2000)}
    mes = equal_shares(measures, 1_000_000, ballots)
    assert equal_shares(measures, 1_000_000, ballots, complete=False).funded == ()
    assert mes.funded == greedy_by_votes(measures, 1_000_000, ballots).funded
    assert (mes.funded, mes.spent_sek) == ((0, 1), 1_000_000)  # 67 approvals each, then order


# --- edge cases -----------------------------------------------------------------------------

THREE = [Measure("a", 50, 1), Measure("b", 30, 2), Measure("c", 500, 3)]


@pytest.mark.parametrize("rule", RULES)
def test_no_ballots_funds_nothing(rule):
    for ballots in ({}, {"v1": set(), "v2": []}):
        result = rule(THREE, 100, ballots)
        assert (result.funded, result.spent_sek) == ((), 0)
        assert result.approval_counts == {"a": 0, "b": 0, "c": 0}


@pytest.mark.parametrize("rule", RULES)
def test_a_measure_dearer_than_the_budget_is_never_funded(rule):
    ballots = {"v1": {"a", "b", "c"}, "v2": {"c"}, "v3": {"c", "b"}}
    result = rule(THREE, 100, ballots)
    assert "c" not in result.funded
    assert set(result.funded) == {"a", "b"}


@pytest.mark.parametrize("rule", RULES)
def test_budget_zero_funds_nothing(rule):
    result = rule(THREE, 0, {"v1": {"a"}, "v2": {"b"}})
    assert (result.funded, result.spent_sek, result.budget_sek) == ((), 0, 0)


@pytest.mark.parametrize("rule", RULES)
def test_duplicate_approvals_count_once(rule):
    twice = rule(THREE, 100, {"v1": ["a", "a", "b"], "v2": ("b", "b")})
    once = rule(THREE, 100, {"v1": {"a", "b"}, "v2": {"b"}})
    assert twice == once
    assert twice.approval_counts == {"a": 1, "b": 2, "c": 0}


def test_blank_ballots_take_no_share():
    ballots = {"v1": {"a"}, "v2": {"b"}}
    with_blanks = {**ballots, "v3": set(), "v4": []}
    assert equal_shares(THREE, 100, with_blanks, complete=False) == \
        equal_shares(THREE, 100, ballots, complete=False)


def test_a_measure_nobody_approved_is_not_funded():
    for rule in RULES:
        assert rule(THREE, 1000, {"v1": {"a"}}).funded == ("a",)


def test_ties_more_approvals_then_cheaper_then_ballot_order():
    measures = [Measure("x", 40, 3), Measure("y", 40, 1), Measure("z", 20, 2),
                Measure("w", 40, 4)]
    ballots = {"v1": {"x", "y", "z", "w"}, "v2": {"x", "y", "z", "w"}, "v3": {"w"}}
    # w has most approvals; z is cheaper than x and y; y comes before x on the ballot.
    assert greedy_by_votes(measures, 1000, ballots).funded == ("w", "z", "y", "x")
    # Equal Shares: z asks 10 SEK of each approver, w 13⅓, then y and x 20 each.
    assert equal_shares(measures, 1000, ballots, complete=False).funded == ("z", "w", "y", "x")


def test_the_result_is_frozen():
    result = equal_shares(THREE, 100, {"v1": {"a"}})
    with pytest.raises(AttributeError):
        result.funded = ()
    assert hash(result) == hash(equal_shares(THREE, 100, {"v1": {"a"}}))


@pytest.mark.parametrize(("measures", "budget", "ballots"), [
    (THREE, -1, {}),
    (THREE, 100, {"v1": {"nope"}}),
    ([Measure("a", 10, 1), Measure("a", 20, 2)], 100, {}),
    ([Measure("a", 10, 1), Measure("b", 20, 1)], 100, {}),
    ([Measure("a", 0, 1)], 100, {}),
])
def test_bad_input_is_refused(measures, budget, ballots):
    for rule in RULES:
        with pytest.raises(ValueError):
            rule(measures, budget, ballots)
