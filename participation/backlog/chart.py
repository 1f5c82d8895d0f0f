"""Geometry of the marginal abatement cost curve, drawn as SVG by templates/backlog/_macc.html.

Each placed measure is a bar: its width is the reduction (the midpoint of the range, tCO2e per
year) laid end to end along x, so x reads as the cumulative reduction; its height is SEK per
tCO2e. A whisker shows the SEK range. Bars carry their number and alternate fill patterns,
so the chart reads without colour.
"""

import math

WIDTH, HEIGHT = 800, 420
LEFT, RIGHT, TOP, BOTTOM = 80, 20, 24, 56
PATTERNS = ("hatch", "dots", "solid", "cross")


def _nice(value: float) -> float:
    """A round step near value/5 for axis ticks: 1, 2 or 5 times a power of ten."""
    if value <= 0:
        return 1
    raw = value / 5
    power = 10 ** math.floor(math.log10(raw))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= raw)


def macc(rows) -> dict:
    """rows: [(measure, figures)] in cost order, as costs.ordered gives; unplaced are skipped."""
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
        })
    y_ticks = [{"value": v, "y": round(y(v), 1)}
               for v in (y_step * i for i in range(int(y_max / y_step) + 1))]
    x_ticks = [{"value": v, "x": round(x(v), 1)}
               for v in (x_step * i for i in range(int(x_max / x_step) + 1))]
    return {"width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT,
            "top": TOP, "bottom": HEIGHT - BOTTOM, "bars": bars, "y_ticks": y_ticks,
            "x_ticks": x_ticks, "total": total, "y_max": y_max}
