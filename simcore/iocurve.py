"""Input–output curves from recorded population rates: one point per protocol step.

A stimulus stepped through a run (``set Stimulus.rate_hz`` at several times) traces the curve of a
population's rate against its input rate. The steps are the intervals between events that fired; the
first tenth of each step is left out (the transient after the change), the rest is averaged, giving
one point (mean input rate, mean output rate) per step. The curve is summarised as a straight line
fitted through the points where the population responds (output above ``ACTIVE_FRACTION`` of its
highest point, which leaves out the silent steps below threshold): its slope is the gain (Hz of output
per Hz of input), and where it crosses zero output is the threshold (Hz of input). Subtractive
inhibition moves the threshold and keeps the gain; divisive inhibition lowers the gain.

Used by the ``io_gain`` / ``io_threshold`` claims (:mod:`simcore.engine.expect`) and by the GUI's
input–output plot, so both read the same points.
"""
from __future__ import annotations

import numpy as np

TRANSIENT_FRACTION = 0.1
ACTIVE_FRACTION = 0.05


def step_edges(event_times, t_first: float, t_last: float) -> list[float]:
    """Boundaries of the steps in ``[t_first, t_last]``: the window's ends and the events between them."""
    inner = sorted({round(float(t), 9) for t in event_times if t_first + 1e-9 < t < t_last - 1e-9})
    return [t_first, *inner, t_last]


def points(t: np.ndarray, x: np.ndarray, y: np.ndarray, edges: list[float]) -> np.ndarray:
    """(k, 2) array of (input rate, output rate), one row per step between consecutive ``edges``.

    ``t`` are the ends of the rate bins; a bin belongs to a step when it ends inside it after the
    step's transient. Steps without a recorded bin are skipped."""
    out = []
    for a, b in zip(edges, edges[1:]):
        start = a + TRANSIENT_FRACTION * (b - a)
        sel = (t > start + 1e-9) & (t <= b + 1e-9)
        if sel.any():
            out.append((float(np.mean(x[sel])), float(np.mean(y[sel]))))
    return np.array(out, dtype=float).reshape(-1, 2)


def fit(pts: np.ndarray) -> tuple[float, float]:
    """(gain, threshold) of the line through the responding points; NaN when fewer than two respond
    or the input does not vary among them."""
    if len(pts) == 0:
        return float("nan"), float("nan")
    x, y = pts[:, 0], pts[:, 1]
    active = y > ACTIVE_FRACTION * y.max() if y.max() > 0 else np.zeros(len(y), bool)
    if active.sum() < 2 or np.ptp(x[active]) <= 0:
        return float("nan"), float("nan")
    slope, intercept = np.polyfit(x[active], y[active], 1)
    threshold = -intercept / slope if slope > 0 else float("nan")
    return float(slope), float(threshold)
