"""Histories and matrices that the weight views need, kept by the frame builder (Qt-free).

The display only ever sees frames (the engine may run in another thread or process), so anything
a view shows over time must be accumulated on the engine's side, cheaply:

* :class:`Kymograph`: the weight distribution of a projection over time, one column per sample on
  a grid fixed at the first sample (log and linear), re-binned from the frame builder's histograms
  (whose ranges move) through their cumulative counts. At most ``COLUMNS`` columns: when full,
  neighbouring columns are merged, so the whole run stays visible at a coarser time resolution.
* :class:`DeltaW`: W(t) - W(reference) of a projection as a block matrix, presynaptic neurons on
  rows, postsynaptic on columns, each at most ``BLOCKS`` blocks; neurons ordered by index (input
  groups are contiguous in a circuit) or by their mean reference weight. Big projections use every
  k-th synapse, and the matrix is refreshed at most every ``EVERY_S`` seconds of wall time.
"""
from __future__ import annotations

import math
import time

import numpy as np

COLUMNS = 240
KYMO_BINS = 64
BLOCKS = 80
SAMPLE = 100_000   # synapses read for the matrix at most (every k-th one)
EVERY_S = 0.5      # wall seconds between refreshes of a plastic projection's matrix


def _rebin(edges: np.ndarray, counts: np.ndarray, grid: np.ndarray, log: bool) -> np.ndarray:
    """Counts on ``edges`` moved onto ``grid`` (mass conserved inside the grid; outside mass goes to the
    end bins), assuming a uniform density within each source bin."""
    x, g = (np.log10(edges), np.log10(grid)) if log else (edges, grid)
    cum = np.r_[0.0, np.cumsum(counts, dtype=np.float64)]
    at = np.interp(g, x, cum)
    out = np.diff(at)
    out[0] += at[0]
    out[-1] += cum[-1] - at[-1]
    return out


class Kymograph:
    """Weight distribution over time of one projection (see the module docstring)."""

    def __init__(self, every_s: float):
        self.every_s = every_s  # simulated time between columns (doubles when columns merge)
        self.clear()

    def clear(self) -> None:
        self.t: list[float] = []
        self.cols_log: list[np.ndarray] = []
        self.cols_lin: list[np.ndarray] = []
        self.grid_log = self.grid_lin = None
        self._next = 0.0
        self._span = 1  # frames merged into one column
        self._frame = None  # the last frame's arrays, reused until a column is added (they are read-only)

    def add(self, t: float, hist: dict, ref_range: tuple[float, float]) -> None:
        if self.t and t < self.t[-1]:
            self.clear()
        if t + 1e-12 < self._next:
            return
        if self.grid_log is None:
            lo, hi = ref_range
            lo = lo if math.isfinite(lo) and lo > 0 else 1e-3
            hi = hi if math.isfinite(hi) and hi > 0 else 1.0
            self.grid_log = np.logspace(math.floor(math.log10(lo) - 1), math.ceil(math.log10(hi) + 1), KYMO_BINS + 1)
            self.grid_lin = np.linspace(0.0, 3.0 * hi, KYMO_BINS + 1)
        self.t.append(t)
        self.cols_log.append(_rebin(hist["edges_log"], hist["hist_log"], self.grid_log, True).astype(np.float32))
        self.cols_lin.append(_rebin(hist["edges"], hist["hist"], self.grid_lin, False).astype(np.float32))
        self._next = t + self.every_s * self._span
        self._frame = None
        if len(self.t) > COLUMNS:  # merge neighbours: half the columns, twice the interval
            self.t = self.t[1::2]
            self.cols_log = [(a + b) / 2 for a, b in zip(self.cols_log[0::2], self.cols_log[1::2])]
            self.cols_lin = [(a + b) / 2 for a, b in zip(self.cols_lin[0::2], self.cols_lin[1::2])]
            self._span *= 2

    def frame(self) -> dict:
        if self._frame is None:
            self._frame = self._build()
        return self._frame

    def _build(self) -> dict:
        n = len(self.t)
        z = np.zeros((0, KYMO_BINS), np.float32)
        return {"t": np.array(self.t), "log": np.array(self.cols_log) if n else z,
                "lin": np.array(self.cols_lin) if n else z,
                "edges_log": self.grid_log if self.grid_log is not None else np.logspace(-3, 0, KYMO_BINS + 1),
                "edges_lin": self.grid_lin if self.grid_lin is not None else np.linspace(0, 1, KYMO_BINS + 1)}


class DeltaW:
    """W(t) - W(reference) of one projection as block matrices (see the module docstring)."""

    def __init__(self, sim, name: str, n_pre: int, n_post: int):
        self.sim, self.name = sim, name
        pre, post = sim.connectivity(name)
        n = len(pre)
        self.every = max(1, -(-n // SAMPLE))
        self.index = np.arange(0, n, self.every)
        self.pre, self.post = pre[self.index], post[self.index]
        self.n_pre, self.n_post = n_pre, n_post
        self.rb, self.cb = min(BLOCKS, max(1, n_pre)), min(BLOCKS, max(1, n_post))
        self._ref_version = None
        self._at = -1e9
        self._out = None

    def _orders(self, ref: np.ndarray) -> dict:
        """Block of every sampled synapse for each ordering of rows and columns."""
        def block(neuron, n, nb, key):
            rank = np.empty(n, np.int64)
            rank[np.argsort(key, kind="stable")] = np.arange(n)
            return (rank[neuron] * nb) // max(1, n)

        def mean_in(neuron, n):
            s = np.bincount(neuron, weights=ref, minlength=n)
            c = np.bincount(neuron, minlength=n)
            return np.where(c > 0, s / np.maximum(c, 1), -np.inf)

        out = {}
        for mode in ("index", "initial weight"):
            if mode == "index":
                kr, kc = np.arange(self.n_pre), np.arange(self.n_post)
            else:  # strongest first
                kr, kc = -mean_in(self.pre, self.n_pre), -mean_in(self.post, self.n_post)
            out[mode] = block(self.pre, self.n_pre, self.rb, kr) * self.cb + block(self.post, self.n_post, self.cb, kc)
        return out

    def frame(self, plastic: bool) -> dict:
        sim = self.sim
        fresh = self._ref_version == sim.reference_version
        if self._out is not None and fresh and (not plastic or time.perf_counter() - self._at < EVERY_S):
            return self._out
        ref = sim.reference_weights(self.name)[self.index]
        if not fresh:
            self._ref_version = sim.reference_version
            self._cells = self._orders(ref)
            self._count = {m: np.bincount(c, minlength=self.rb * self.cb) for m, c in self._cells.items()}
        dw = sim.weights_at(self.name, self.index) - ref
        out = {"rows": self.rb, "cols": self.cb, "n_pre": self.n_pre, "n_post": self.n_post,
               "sampled_every": self.every}
        for mode, cells in self._cells.items():
            s = np.bincount(cells, weights=dw, minlength=self.rb * self.cb)
            c = self._count[mode]
            out[mode] = np.where(c > 0, s / np.maximum(c, 1), np.nan).reshape(self.rb, self.cb)
        self._at = time.perf_counter()
        self._out = out
        return out
