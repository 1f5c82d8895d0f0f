"""Cost-effectiveness: SEK per tonne CO2e avoided, with the range the estimates allow.

    yearly cost   = investment_sek / LIFETIME_YEARS + yearly_cost_sek
    SEK per tCO2e = yearly cost / reduction (tCO2e per year)
    best case     = yearly cost / reduction_high;  worst case = yearly cost / reduction_low

A missing cost counts as 0 only when the other one is given; a measure with no costs or no
reduction estimate cannot be placed and is listed after the others. See docs/backlog.md.
"""

from typing_extensions import TypedDict


class CostFigures(TypedDict):
    """yearly_cost_sek = investment_sek / LIFETIME_YEARS + yearly_cost_sek; sek_per_t = that
    over the midpoint of the reduction; low uses reduction_high, high uses reduction_low (null
    when it is 0). Null where the estimates do not allow a figure."""

    yearly_cost_sek: float | None
    sek_per_t: int | None
    sek_per_t_low: int | None
    sek_per_t_high: int | None
    reduction_mid: float | None


# The investment is spread over this many years, a common depreciation period for municipal
# infrastructure (street lighting, bus priority, buildings' technical systems).
LIFETIME_YEARS = 10


def yearly_cost(measure) -> float | None:
    if measure.investment_sek is None and measure.yearly_cost_sek is None:
        return None
    return (measure.investment_sek or 0) / LIFETIME_YEARS + (measure.yearly_cost_sek or 0)


def cost_effectiveness(measure) -> CostFigures:
    """central/low/high SEK per tCO2e; None where the estimate does not allow one."""
    cost = yearly_cost(measure)
    low, high = measure.reduction_low, measure.reduction_high
    if cost is None or low is None or high is None or high <= 0:
        return {"yearly_cost_sek": cost, "sek_per_t": None, "sek_per_t_low": None,
                "sek_per_t_high": None, "reduction_mid": None if low is None else (low + high) / 2}
    mid = (low + high) / 2
    return {"yearly_cost_sek": round(cost), "sek_per_t": round(cost / mid),
            "sek_per_t_low": round(cost / high),
            # A low estimate of 0 leaves the worst case open-ended.
            "sek_per_t_high": round(cost / low) if low > 0 else None,
            "reduction_mid": mid}


def ordered(measures) -> list[tuple]:
    """(measure, figures), cheapest tonne first; measures that cannot be placed last, by id."""
    rows = [(m, cost_effectiveness(m)) for m in measures]
    return sorted(rows, key=lambda r: (r[1]["sek_per_t"] is None,
                                       r[1]["sek_per_t"] or 0, r[0].id))
