"""Which measures a participatory climate budget funds ("Mest klimat för våra pengar").

Residents approve any subset of the measures on the ballot; each measure has a cost in SEK and
the ballot has a total budget. Two rules decide what is funded (docs/budget.md):

``equal_shares`` — the Method of Equal Shares (*lika andelar*; Peters & Skowron), with approval
utilities (every approver values a measure at 1, whatever it costs):

1. Blank ballots are left out. Each of the n remaining voters gets budget / n.
2. For each measure not yet funded, rho is the smallest payment such that its approvers, each
   paying min(their remaining money, rho), cover its cost exactly. A measure whose approvers
   together have less money left than its cost cannot be bought.
3. Fund the measure with the smallest rho (the most supporters per SEK of what is asked of
   them); ties as below. Each approver pays min(their money, rho). Repeat until no measure can
   be bought. All arithmetic is exact (``Fraction``), so the rule never spends more than the
   budget and gives the same answer on every machine.

Completion (a variant of "add1"), since plain Equal Shares can leave money unspent:

4. Raise the shares. Steps 1–3 are re-run from scratch with a *virtual* budget of
   budget × (1 + r): first r = 10 %, 20 %, 30 %, … (coarse), each outcome kept while its
   measures cost at most the real budget, until one costs more; then from the last coarse r
   that fitted, r₀ + 1 %, r₀ + 2 %, … r₀ + 9 % (fine), again until one costs more. The last
   outcome that fitted is kept (r = 0 is plain Equal Shares). Either walk stops early once the
   kept outcome is exhaustive (no unfunded approved measure fits in what is left of the real
   budget), and r stays below 400 %. The classic add1 raises each share by 1 SEK at a time;
   the coarse walk needs a tenth of the runs. As an outcome's cost need not grow steadily
   with r, it may step over a raise at which a 1 % walk would have stopped; either way the
   kept outcome fits.
5. What is still left is filled greedily: the unfunded approved measures in tie-break order,
   each funded if it fits in what remains.

``greedy`` — the usual rule: approved measures in tie-break order, each funded if it still
fits in what remains of the budget.

Ties, everywhere: more approvals first, then lower cost, then the lower order key (the ballot
position). A measure nobody approved is never funded by either rule, and a voter counts once
per measure however often a ballot names it.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import gcd

EQUAL_SHARES = "equal_shares"
GREEDY = "greedy"

# Completion raises, as shares of the real budget: coarse ones (so that a raise of 80 % takes
# 8 runs, not 80), then fine ones. MAX_RAISE bounds the work on odd ballots (say, many voters
# each alone on a dear measure) where shares would have to grow many times over before
# anything changed; step 5 spends what is left anyway.
COARSE_STEP = Fraction(1, 10)
FINE_STEP = Fraction(1, 100)
MAX_RAISE = Fraction(4)

# Voter class 0 holds everyone whose money is gone; such voters can never pay again.
_BROKE = 0


@dataclass(frozen=True)
class Measure:
    """A measure on the ballot. order: the ballot position, the last tie-break (unique)."""

    id: Hashable
    cost_sek: int
    order: int


@dataclass(frozen=True)
class FundingResult:
    """funded: ids in the order the rule funded them; approvals: (id, count) in ballot order."""

    rule: str
    budget_sek: int
    funded: tuple[Hashable, ...]
    spent_sek: int
    approvals: tuple[tuple[Hashable, int], ...]

    @property
    def approval_counts(self) -> dict[Hashable, int]:
        return dict(self.approvals)


@dataclass(frozen=True)
class _Ballot:
    """The validated input: measures in ballot order and each one's approvers (voter numbers)."""

    measures: tuple[Measure, ...]
    approvers: tuple[tuple[int, ...], ...]
    voters: int

    def tie_key(self, index: int) -> tuple[int, int, int]:
        measure = self.measures[index]
        return (-len(self.approvers[index]), measure.cost_sek, measure.order)

    def approved(self) -> list[int]:
        """Measures with at least one approval, in tie-break order."""
        return sorted((i for i, voters in enumerate(self.approvers) if voters), key=self.tie_key)

    def cost(self, indices: Iterable[int]) -> int:
        return sum(self.measures[i].cost_sek for i in indices)

    def result(self, rule: str, budget: int, funded: list[int]) -> FundingResult:
        return FundingResult(
            rule=rule, budget_sek=budget,
            funded=tuple(self.measures[i].id for i in funded),
            spent_sek=self.cost(funded),
            approvals=tuple((m.id, len(voters))
                            for m, voters in zip(self.measures, self.approvers, strict=True)))


def equal_shares(measures: Sequence[Measure], budget_sek: int,
                 ballots: Mapping[Hashable, Iterable[Hashable]], *,
                 complete: bool = True) -> FundingResult:
    """The Method of Equal Shares; with complete=False, steps 1–3 only (no completion)."""
    ballot = _prepare(measures, budget_sek, ballots)
    funded = _run(ballot, Fraction(budget_sek))
    if complete:
        funded = _fill(ballot, budget_sek, _raise_shares(ballot, budget_sek, funded))
    return ballot.result(EQUAL_SHARES, budget_sek, funded)


def greedy_by_votes(measures: Sequence[Measure], budget_sek: int,
                    ballots: Mapping[Hashable, Iterable[Hashable]]) -> FundingResult:
    """Most approvals first; each measure that still fits is funded."""
    ballot = _prepare(measures, budget_sek, ballots)
    return ballot.result(GREEDY, budget_sek, _fill(ballot, budget_sek, []))


def _prepare(measures: Sequence[Measure], budget_sek: int,
             ballots: Mapping[Hashable, Iterable[Hashable]]) -> _Ballot:
    """Validate; number the voters in a fixed order so no input order can change the outcome."""
    if budget_sek < 0:
        raise ValueError("the budget cannot be negative")
    ordered = tuple(sorted(measures, key=lambda m: m.order))
    index = {m.id: i for i, m in enumerate(ordered)}
    if len(index) < len(ordered) or len({m.order for m in ordered}) < len(ordered):
        raise ValueError("measure ids and order keys must be unique")
    if any(m.cost_sek <= 0 for m in ordered):
        raise ValueError("every measure must cost more than 0 SEK")
    # The rule is anonymous (only the sets of approvals matter); sorting the sets anyway gives
    # the voters a numbering that visibly cannot depend on their ids or the mapping's order.
    sets = []
    for voter, approved in ballots.items():
        approved = set(approved)  # a repeated approval counts once
        if unknown := approved - index.keys():
            names = ", ".join(sorted(map(str, unknown)))
            raise ValueError(f"voter {voter!r} approved unknown measures: {names}")
        if approved:
            sets.append(sorted(index[m] for m in approved))
    sets.sort()
    approvers: list[list[int]] = [[] for _ in ordered]
    for voter, approved in enumerate(sets):
        for i in approved:
            approvers[i].append(voter)
    return _Ballot(ordered, tuple(map(tuple, approvers)), len(sets))


def _run(ballot: _Ballot, virtual_budget: Fraction, limit: int | None = None) -> list[int] | None:
    """Steps 1–3 with the given virtual budget. None as soon as the funded measures cost more
    than limit (a completion round that cannot be kept need not be finished)."""
    if not ballot.voters:
        return []
    wallets = _Wallets(ballot.voters, virtual_budget / ballot.voters)
    # Lazy evaluation: money only ever goes down, so a measure's rho only ever goes up and the
    # last rho computed for it is a lower bound. Only measures whose bound could still win are
    # computed again (the first bound, cost over approvers, is rho when everyone can pay it).
    heap = [(Fraction(ballot.measures[i].cost_sek, len(ballot.approvers[i])), ballot.tie_key(i), i)
            for i in ballot.approved()]
    heapq.heapify(heap)
    funded: list[int] = []
    spent = 0
    while (chosen := _next(ballot, wallets, heap)) is not None:
        rho, i = chosen
        wallets.pay(ballot.approvers[i], rho)
        funded.append(i)
        spent += ballot.measures[i].cost_sek
        if limit is not None and spent > limit:
            return None
    return funded


def _next(ballot: _Ballot, wallets: _Wallets, heap: list) -> tuple[Fraction, int] | None:
    """Pop the measure with the smallest (rho, tie key), or None when nothing can be bought.

    An entry whose rho was computed in this step and is still on top beats every other entry:
    their true keys are at least their bounds, which are at least its key.
    """
    fresh: set[int] = set()
    while heap:
        _, tie, i = heap[0]
        if i in fresh:
            rho = heapq.heappop(heap)[0]
            return rho, i
        rho = wallets.rho(ballot.approvers[i], ballot.measures[i].cost_sek)
        if rho is None:
            heapq.heappop(heap)  # its approvers will never have more money: it is out for good
        else:
            heapq.heapreplace(heap, (rho, tie, i))
            fresh.add(i)
    return None


class _Wallets:
    """Each voter's remaining money, exactly, as whole units of 1/scale SEK.

    Whole numbers compare and add far faster than Fractions; the scale grows (and every amount
    with it) whenever a payment needs a finer unit. Voters holding the same money form one
    class, so the sorting in rho is over a handful of amounts rather than every approver.
    """

    def __init__(self, voters: int, share: Fraction):
        self.scale = share.denominator
        self.money = [0, share.numerator]  # per class; class 0 (_BROKE) holds nothing
        self.class_of_money = {0: _BROKE, share.numerator: 1}
        self.of_voter = [self.class_of_money[share.numerator]] * voters

    def rho(self, approvers: Sequence[int], cost: int) -> Fraction | None:
        """The smallest payment p with sum(min(money, p)) == cost; None if they cannot pay."""
        counts = Counter(map(self.of_voter.__getitem__, approvers))
        counts.pop(_BROKE, None)
        payers = sum(counts.values())
        remaining = cost * self.scale
        # Poorest first: whoever cannot pay an equal part of what is left pays everything.
        for money, count in sorted((self.money[c], n) for c, n in counts.items()):
            if money * payers >= remaining:
                return Fraction(remaining, payers * self.scale)
            remaining -= money * count
            payers -= count
        return None

    def pay(self, approvers: Sequence[int], rho: Fraction) -> None:
        """Every approver pays min(their money, rho)."""
        self._refine(rho.denominator)
        price = rho.numerator * self.scale // rho.denominator
        moved: dict[int, int] = {}
        for voter in approvers:
            old = self.of_voter[voter]
            if old not in moved:
                moved[old] = self._class(self.money[old] - min(self.money[old], price))
            self.of_voter[voter] = moved[old]

    def _refine(self, denominator: int) -> None:
        """Make the unit fine enough that an amount with this denominator is a whole number."""
        factor = denominator // gcd(denominator, self.scale)
        if factor > 1:
            self.scale *= factor
            self.money = [m * factor for m in self.money]
            self.class_of_money = {m * factor: c for m, c in self.class_of_money.items()}

    def _class(self, money: int) -> int:
        if money not in self.class_of_money:
            self.class_of_money[money] = len(self.money)
            self.money.append(money)
        return self.class_of_money[money]


def _raise_shares(ballot: _Ballot, budget: int, funded: list[int]) -> list[int]:
    """Step 4: coarse raises find the first that no longer fits, fine ones walk up to it."""
    raised, funded, too_far = _climb(ballot, budget, funded, Fraction(0), COARSE_STEP, MAX_RAISE)
    return _climb(ballot, budget, funded, raised, FINE_STEP, too_far)[1]


def _climb(ballot: _Ballot, budget: int, funded: list[int], raised: Fraction, step: Fraction,
           ceiling: Fraction) -> tuple[Fraction, list[int], Fraction]:
    """Raise by step while below ceiling and something still fits. Returns the last raise that
    fitted, its outcome, and the first raise that did not (else the ceiling)."""
    while raised + step < ceiling and not _exhaustive(ballot, budget, funded):
        trial = _run(ballot, budget * (1 + raised + step), limit=budget)
        if trial is None:
            return raised, funded, raised + step
        raised, funded = raised + step, trial
    return raised, funded, ceiling


def _exhaustive(ballot: _Ballot, budget: int, funded: list[int]) -> bool:
    left = budget - ballot.cost(funded)
    taken = set(funded)
    return not any(ballot.measures[i].cost_sek <= left
                   for i in ballot.approved() if i not in taken)


def _fill(ballot: _Ballot, budget: int, funded: list[int]) -> list[int]:
    """Step 5 and the greedy rule: in tie-break order, fund what still fits."""
    funded = list(funded)
    taken = set(funded)
    left = budget - ballot.cost(funded)
    for i in ballot.approved():
        if i not in taken and ballot.measures[i].cost_sek <= left:
            funded.append(i)
            left -= ballot.measures[i].cost_sek
    return funded
