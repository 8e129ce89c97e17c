"""Weight statistics: histograms, coefficient of variation, Spearman rank correlation."""
from __future__ import annotations

import math

import numpy as np

from .jit import njit_cached as njit


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


@njit
def effective_histogram(W, gain, post, use_gain, lo, hi, log, out, stride):
    """Histogram of effective weights ``W[q] * gain[post[q]]`` (or ``W[q]``) into ``out`` on [lo, hi].

    One compiled pass, no temporary array, the GIL released (so a GUI thread keeps running while a
    worker histograms millions of synapses). Reads every ``stride``-th synapse only: a uniform sample
    across sources when synapses are stored by source. ``log``: log10-spaced bins over [lo, hi] > 0,
    non-positive weights are skipped and counted. Values outside the range go to the edge bins.
    Returns (min, max, count of non-positive values) of the weights read.
    """
    nb = out.shape[0]
    for b in range(nb):
        out[b] = 0
    wmin = np.inf
    wmax = -np.inf
    nonpos = 0
    if log:
        a = math.log10(lo)
        scale = nb / (math.log10(hi) - a)
    else:
        a = lo
        scale = nb / (hi - lo)
    for q in range(0, W.shape[0], stride):
        w = W[q] * gain[post[q]] if use_gain else W[q]
        if w < wmin:
            wmin = w
        if w > wmax:
            wmax = w
        if log:
            if w <= 0.0:
                nonpos += 1
                continue
            x = (math.log10(w) - a) * scale
        else:
            x = (w - a) * scale
        b = int(x) if x > 0 else 0
        if b >= nb:
            b = nb - 1
        out[b] += 1
    return wmin, wmax, nonpos


@njit
def effective_moments(W, gain, post, use_gain):
    """(mean, population std, min, max) of the effective weights in two compiled passes, GIL
    released, no temporary array; ``weight_stats`` of ``W * gain[post]`` without building it."""
    n = W.shape[0]
    if n == 0:
        return np.nan, np.nan, np.nan, np.nan
    s = 0.0
    wmin = np.inf
    wmax = -np.inf
    for q in range(n):
        w = W[q] * gain[post[q]] if use_gain else W[q]
        s += w
        if w < wmin:
            wmin = w
        if w > wmax:
            wmax = w
    m = s / n
    ss = 0.0
    for q in range(n):
        w = W[q] * gain[post[q]] if use_gain else W[q]
        d = w - m
        ss += d * d
    return m, math.sqrt(ss / n), wmin, wmax


@njit
def counting_order(keys, n):
    """Stable permutation sorting integer ``keys`` in [0, n): O(len + n), where a comparison sort
    of tens of millions of synapse indices takes seconds. Returns (order, counts)."""
    counts = np.zeros(n + 1, np.int64)
    for x in keys:
        counts[x + 1] += 1
    for i in range(n):
        counts[i + 1] += counts[i]
    start = counts[:-1].copy()
    order = np.empty(keys.shape[0], np.int32)
    for q in range(keys.shape[0]):
        x = keys[q]
        order[start[x]] = q
        start[x] += 1
    return order, np.diff(counts)


@njit
def sort_by_source(pre, post, n_pre):
    """Synapses given in (post, pre) order, stably sorted by source in one counting pass: returns
    the sorted ``pre`` and ``post`` and ``where``, the new position of each given synapse (read in
    the given order, it lists the sorted synapses target by target)."""
    counts = np.zeros(n_pre + 1, np.int64)
    for x in pre:
        counts[x + 1] += 1
    for i in range(n_pre):
        counts[i + 1] += counts[i]
    m = pre.shape[0]
    pre_s = np.empty(m, np.int32)
    post_s = np.empty(m, np.int32)
    where = np.empty(m, np.int32)
    for q in range(m):
        x = pre[q]
        at = counts[x]
        counts[x] = at + 1
        pre_s[at] = x
        post_s[at] = post[q]
        where[q] = at
    return pre_s, post_s, where


@njit
def row_pointers(sorted_keys, n):
    """CSR row pointers (int32, length n + 1) of integer keys sorted ascending in [0, n)."""
    ptr = np.zeros(n + 1, np.int32)
    q = 0
    m = sorted_keys.shape[0]
    for i in range(n):
        while q < m and sorted_keys[q] == i:
            q += 1
        ptr[i + 1] = q
    return ptr


@njit
def abs_max_bits(u):
    """The largest |x| of float32 values given as their bits (``W.view(np.uint32)``), as bits: an
    integer maximum, which vectorises (a float maximum does not, for NaN's sake). Bits at or above
    0x7f800000 mean a NaN or an infinity. One pass over the weights of every plastic projection
    after every chunk, at memory speed."""
    m = np.uint32(0)
    for i in range(u.shape[0]):
        m = max(m, u[i] & np.uint32(0x7FFFFFFF))
    return m


@njit
def finite_rows(a):
    """True when every value of the 2-d ``a`` is finite and so is each row's sum (huge values that
    overflow when added count as a blow-up too). One pass, no temporaries: run after every chunk on
    every weight of a plastic projection."""
    for i in range(a.shape[0]):
        s = 0.0
        for j in range(a.shape[1]):
            x = a[i, j]
            if not x - x == 0.0:  # NaN or infinite
                return False
            s += x
        if not s - s == 0.0:
            return False
    return True
