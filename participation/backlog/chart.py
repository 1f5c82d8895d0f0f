"""Geometry of the marginal abatement cost curve, drawn as SVG by templates/backlog/_macc.html.

Each placed measure is a bar: its width is the reduction (the midpoint of the range, tCO2e per
year) laid end to end along x, so x reads as the cumulative reduction; its height is SEK per
tCO2e. A whisker shows the SEK range. Bars carry their number and alternate fill patterns,
so the chart reads without colour.

Under the curve, a second panel on the same x shows each measure's citizen support: the share
of the people who could have supported it (backlog/support.py) as a diamond with its Wilson
95 % interval as a whisker, on 0-100 %, so cheap tonnes and wanted measures read together.
A measure nobody could vote on yet gets a hollow mark on the 0 line, labelled "no vote".
"""

import math

WIDTH, HEIGHT = 800, 540
LEFT, RIGHT, TOP, BOTTOM = 80, 20, 24, 200
# The support panel: below the cost axis's labels and title (to y 392), with its heading.
SUPPORT_TOP, SUPPORT_BOTTOM = 424, 516
WITHOUT_SUPPORT = 392
PATTERNS = ("hatch", "dots", "solid", "cross")


def _nice(value: float) -> float:
    """A round step near value/5 for axis ticks: 1, 2 or 5 times a power of ten."""
    if value <= 0:
        return 1
    raw = value / 5
    power = 10 ** math.floor(math.log10(raw))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= raw)


def macc(rows, shares=None) -> dict:
    """rows: [(measure, figures)] in cost order, as costs.ordered gives; unplaced are skipped.
    shares: measure id -> its support share (support.share_of); absent: no support panel."""
    placed = [(m, f) for m, f in rows if f["sek_per_t"] is not None and f["reduction_mid"]]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    total = sum(f["reduction_mid"] for _m, f in placed)
    tallest = max((f["sek_per_t"] for _m, f in placed), default=0)
    # Whiskers may reach past the tallest bar; beyond twice its height they are cut at the top,
    # so one uncertain estimate does not flatten every bar.
    reach = max((f["sek_per_t_high"] or f["sek_per_t"] for _m, f in placed), default=0)
    y_step = _nice(min(reach, tallest * 2) or 1)
    y_max = y_step * math.ceil((min(reach, tallest * 2) or 1) / y_step)
    x_step = _nice(total or 1)
    x_max = total or 1

    def x(v):
        return LEFT + plot_w * v / x_max

    def y(v):
        return TOP + plot_h * (1 - min(v, y_max) / y_max)

    bars, cumulative = [], 0.0
    for number, (measure, figures) in enumerate(placed, start=1):
        start, cumulative = cumulative, cumulative + figures["reduction_mid"]
        top = y(figures["sek_per_t"])
        whisker_high = figures["sek_per_t_high"]
        bars.append({
            "number": number, "measure": measure, "figures": figures,
            "x": round(x(start), 1), "w": round(max(x(cumulative) - x(start), 1), 1),
            "y": round(top, 1), "h": round(y(0) - top, 1),
            "pattern": PATTERNS[(number - 1) % len(PATTERNS)],
            "cx": round((x(start) + x(cumulative)) / 2, 1),
            "whisker_low": round(y(figures["sek_per_t_low"]), 1),
            "whisker_high": round(y(whisker_high if whisker_high is not None else y_max), 1),
            "clipped": whisker_high is None or whisker_high > y_max,
            "start": start, "end": cumulative,
            "support": _support_mark(shares[measure["id"]]) if shares is not None else None,
        })
    y_ticks = [{"value": v, "y": round(y(v), 1)}
               for v in (y_step * i for i in range(int(y_max / y_step) + 1))]
    x_ticks = [{"value": v, "x": round(x(v), 1)}
               for v in (x_step * i for i in range(int(x_max / x_step) + 1))]
    return {"width": WIDTH, "height": HEIGHT if shares is not None else WITHOUT_SUPPORT,
            "left": LEFT, "right": WIDTH - RIGHT,
            "top": TOP, "bottom": HEIGHT - BOTTOM, "bars": bars, "y_ticks": y_ticks,
            "x_ticks": x_ticks, "total": total, "y_max": y_max,
            "support": None if shares is None else {
                "top": SUPPORT_TOP, "bottom": SUPPORT_BOTTOM,
                "ticks": [{"value": v, "y": _support_y(v / 100)} for v in (0, 50, 100)]}}


def _support_y(share: float) -> float:
    return round(SUPPORT_BOTTOM - (SUPPORT_BOTTOM - SUPPORT_TOP) * share, 1)


def _support_mark(share: dict) -> dict:
    """Where a measure's support diamond and whisker go, and the figures they show."""
    if share["share"] is None:
        return {"known": False, "y": _support_y(0), **share}
    return {"known": True, "y": _support_y(share["share"]), "y_low": _support_y(share["low"]),
            "y_high": _support_y(share["high"]), "percent": round(share["share"] * 100),
            "percent_low": round(share["low"] * 100),
            "percent_high": round(share["high"] * 100), **share}
