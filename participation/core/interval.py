"""The Wilson score interval of a share: the one formula the fair ranking (review/scoring.py)
and a measure's support share (backlog/support.py) use, so both read the same.
See docs/ranking.md ("Approval: the Wilson lower bound")."""

from math import sqrt

Z = 1.96  # a 95 % interval


def wilson(k: int, n: int, z: float = Z) -> tuple[float, float]:
    """Wilson score interval of the share k/n; (0, 1) without any voter."""
    if n <= 0:
        return 0.0, 1.0
    p = k / n
    centre = p + z * z / (2 * n)
    spread = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    denominator = 1 + z * z / n
    return max(0.0, (centre - spread) / denominator), min(1.0, (centre + spread) / denominator)
