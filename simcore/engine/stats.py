"""Weight statistics: histograms, coefficient of variation, Spearman rank correlation."""
from __future__ import annotations

import numpy as np


def rankdata(a: np.ndarray) -> np.ndarray:
    """Average ranks (ties share the mean of their ranks), as scipy.stats.rankdata."""
    a = np.asarray(a)
    sorter = np.argsort(a, kind="mergesort")
    inv = np.empty(a.size, np.intp)
    inv[sorter] = np.arange(a.size)
    s = a[sorter]
    obs = np.r_[True, s[1:] != s[:-1]]
    dense = obs.cumsum()[inv]
    count = np.r_[np.nonzero(obs)[0], len(obs)]
    return 0.5 * (count[dense] + count[dense - 1] + 1)


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman rank correlation; 1.0 for identical inputs even when they are constant."""
    if a.size < 2:
        return 1.0
    if np.array_equal(a, b):
        return 1.0
    ra, rb = rankdata(a), rankdata(b)
    ra -= ra.mean()
    rb -= rb.mean()
    den = np.sqrt((ra * ra).sum() * (rb * rb).sum())
    return float((ra * rb).sum() / den) if den > 0 else float("nan")


class RankReference:
    """Spearman correlation against fixed reference values, their ranks computed once."""

    def __init__(self, ref: np.ndarray):
        self.ref = np.asarray(ref, float)
        r = rankdata(self.ref) if self.ref.size else self.ref
        self.centered = r - r.mean() if r.size else r
        self.norm = float(np.sqrt((self.centered ** 2).sum()))

    def corr(self, b: np.ndarray) -> float:
        if self.ref.size < 2 or np.array_equal(self.ref, b):
            return 1.0
        rb = rankdata(b)
        rb -= rb.mean()
        den = self.norm * np.sqrt((rb * rb).sum())
        return float((self.centered * rb).sum() / den) if den > 0 else float("nan")


def weight_stats(w: np.ndarray) -> dict[str, float]:
    if w.size == 0:
        return {"w_mean": float("nan"), "w_cv": float("nan"), "w_min": float("nan"), "w_max": float("nan")}
    m = float(w.mean())
    return {"w_mean": m, "w_cv": float(w.std() / m) if m > 0 else float("nan"),
            "w_min": float(w.min()), "w_max": float(w.max())}


def histogram(w: np.ndarray, bins: int, log: bool = False, lo: float | None = None, hi: float | None = None):
    """Counts and edges; log bins span the positive weights."""
    if w.size == 0:
        return np.zeros(bins), np.linspace(0, 1, bins + 1)
    if log:
        pos = w[w > 0]
        if pos.size == 0:
            return np.zeros(bins), np.logspace(-3, 0, bins + 1)
        lo = pos.min() if lo is None else lo
        hi = pos.max() if hi is None else hi
        edges = np.logspace(np.log10(lo), np.log10(hi * 1.0001 if hi > lo else lo * 10), bins + 1)
        return np.histogram(pos, edges)[0], edges
    lo = float(w.min()) if lo is None else lo
    hi = float(w.max()) if hi is None else hi
    if hi <= lo:
        hi = lo + (abs(lo) or 1.0) * 1e-3
    return np.histogram(w, bins, (lo, hi))
