"""Build a display frame from a :class:`simcore.engine.simulation.Simulation` -- in the WORKER thread.

``Simulation.snapshot()`` histograms every weight with numpy at each call, which costs tens of
milliseconds (and GIL time) for millions of synapses. This builder reads the same recorders but
(a) copies only the tails of the ring buffers that the plots show, (b) histograms the effective
weights ``W * gain[post]`` with one ``nogil`` numba pass (no 2M-element temporary), and
(c) recomputes the reference histogram only when the bin range changes. Every array in a frame is
a fresh copy: the GUI may read it while the engine keeps running.
"""
from __future__ import annotations

import math
import time

import numpy as np

from simcore.engine.jit import njit

RATE_WINDOW_S = 60.0      # population-rate history kept in a frame
RASTER_WINDOW_S = 2.0
VOLTAGE_WINDOW_S = 1.0
SCATTER_POINTS = 2000     # synapses in the relative-weighting scatter
BINS = 60
BIG_HIST_EVERY_S = 0.1    # wall-time interval between histograms of projections above HIST_SAMPLE
HIST_SAMPLE = 250_000     # synapses histogrammed per frame at most (every k-th one; counts scaled by k)


@njit
def _hist_eff(W, gain, post, use_gain, lo, hi, log, out, stride):
    """Histogram of effective weights into ``out`` (len = bins) on [lo, hi] (log10 bins when ``log``),
    reading every ``stride``-th synapse (a uniform sample across sources: CSR order is by source).

    Values outside the range go to the edge bins; non-positive values are skipped in log mode.
    Returns (min, max, count of non-positive values)."""
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


def _nice_ceil(x: float) -> float:
    """Round up to 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^k (stable bin ranges, no flicker)."""
    if x <= 0 or not math.isfinite(x):
        return 1.0
    e = math.floor(math.log10(x))
    for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if m * 10 ** e >= x * (1 - 1e-12):
            return m * 10 ** e
    return 10 ** (e + 1)


class _ProjHist:
    """Histogram ranges and the cached reference histogram of one projection."""

    def __init__(self):
        self.ref_key = None
        self.hi = None
        self.lo_log = None
        self.hi_log = None
        self.ref_lin = self.ref_log = None


class FrameBuilder:
    """Turns the state of one Simulation into a dict of plain numpy arrays for the plots."""

    def __init__(self, sim):
        self.sim = sim
        self.names = [r.name for r in sim.net.regions]
        self.mods = [i for i, r in enumerate(sim.net.regions) if r.kind.name == "modulator"]
        self._hist = {p.name: _ProjHist() for p in sim.net.projections}
        self._levels_t: list[float] = []
        self._levels: list[list[float]] = []
        self._static: dict[str, dict] = {}
        self.sample_levels()

    # -- modulator levels: sampled after every chunk (the engine records no history of them) --
    def sample_levels(self) -> None:
        if not self.mods:
            return
        if self._levels_t and self.sim.t < self._levels_t[-1]:  # after a reset
            self._levels_t.clear()
            self._levels.clear()
        self._levels_t.append(self.sim.t)
        self._levels.append([float(self.sim.net.regions[i].arrays.S[0, 0]) for i in self.mods])
        if len(self._levels_t) > 20000:
            del self._levels_t[:5000], self._levels[:5000]

    # -- the frame ----------------------------------------------------------------------------
    def build(self) -> dict:
        sim = self.sim
        dt_s = sim.dt * 1e-3
        rates = _tail(sim.rates, int(RATE_WINDOW_S * 1000 / sim.circuit.recording.rate_bin_ms) + 1)
        rast = _tail_since(sim.raster, 0, sim.step_index - sim.steps_for(RASTER_WINDOW_S))
        volt = _tail(sim.voltage, int(VOLTAGE_WINDOW_S / dt_s))
        ei = sim.ei.values()
        frame = {
            "t": sim.t, "step": sim.step_index, "dt_s": dt_s, "regions": self.names,
            "sizes": [r.n for r in sim.net.regions],
            "kinds": [r.kind.name for r in sim.net.regions],
            "roles": [sim.circuit.region(n).role for n in self.names],
            "spiking": [bool(r.kind.impl.spiking) and r.kind.name != "modulator" for r in sim.net.regions],
            "raster_rows": [int(x) for x in sim._rast_lim],
            "rates": {"t": rates[:, 0], "values": rates[:, 1:]},
            "raster": {"t": rast[:, 0] * dt_s, "neuron": rast[:, 1], "region": rast[:, 2]},
            "voltage": {"t": volt[:, 0] if len(volt) else np.zeros(0), "values": volt[:, 1:] if len(volt) else
                        np.zeros((0, len(sim._vidx))), "counts": list(sim._vcounts), "index": sim._vidx.copy()},
            "ei": {"t": ei[:, 0], "values": ei[:, 1:]},
            "levels": {"names": [self.names[i] for i in self.mods], "t": np.array(self._levels_t),
                       "values": np.array(self._levels).reshape(len(self._levels_t), len(self.mods))},
            "blocked": [self.names[i] for i, r in enumerate(sim.net.regions) if r.arrays.flags[0]],
            "fired": list(sim.fired), "reference_t": sim.reference_t, "projections": {},
        }
        for k, p in enumerate(sim.net.projections):
            frame["projections"][p.name] = self._projection(k, p)
        return frame

    def _projection(self, k: int, p) -> dict:
        sim = self.sim
        a = p.arrays
        rules = sim._rules_of(k)
        use_gain = any(rb.kind.impl.uses_gain for rb in rules)
        st = sim.stats[p.name].values()
        ref = sim._w_ref[p.name]
        idx = sim._rank_idx[p.name]
        if use_gain:
            now_s = a.W[idx].astype(np.float64) * a.gain[a.post[idx]]
        else:
            now_s = a.W[idx].astype(np.float64)
        ref_s = ref[idx]
        ok = (ref_s > 0) & (now_s > 0)
        ratio = now_s[ok] / ref_s[ok]
        out = {
            "n": len(a.W), "rules": [rb.kind.name for rb in rules], "plastic": bool(rules),
            "source": sim.net.regions[p.source].name, "target": sim.net.regions[p.target].name,
            "stats_t": st[:, 0], "w_mean": st[:, 1], "w_cv": st[:, 2], "w_min": st[:, 3], "w_max": st[:, 4],
            "rank_corr": st[:, 5], "contrib": st[:, 6:], "tracked": sim.tracked_w[p.name].values(),
            "scatter_ref": ref_s[:SCATTER_POINTS].copy(), "scatter_now": now_s[:SCATTER_POINTS].copy(),
            "median_ratio": float(np.median(ratio)) if len(ratio) else float("nan"),
            "ratio_iqr": tuple(np.percentile(ratio, [25, 75])) if len(ratio) else (np.nan, np.nan),
            "rank_now": float(st[-1, 5]) if len(st) else 1.0,
        }
        cached = self._static.get(p.name)
        if cached is not None and rules and len(a.W) > HIST_SAMPLE and \
                time.perf_counter() - cached["_at"] < BIG_HIST_EVERY_S:
            hist = cached  # big plastic projection: histogram at most every BIG_HIST_EVERY_S
        elif rules or cached is None:
            hist = self._histograms(p.name, a, use_gain, ref)
            hist["_at"] = time.perf_counter()
            # a static projection's weights never change: histogram it once
            self._static[p.name] = hist
        else:
            hist = self._static[p.name]
        out.update(hist)
        return out

    def _histograms(self, name: str, a, use_gain: bool, ref: np.ndarray) -> dict:
        h = self._hist[name]
        n = len(a.W)
        if n == 0:
            z = np.zeros(BINS)
            return {"hist": z, "hist_ref": z, "edges": np.linspace(0, 1, BINS + 1), "hist_log": z,
                    "hist_log_ref": z, "edges_log": np.logspace(-3, 0, BINS + 1), "nonpos": 0}
        if h.ref_key != id(ref):  # a new reference (set_reference or reset): new ranges
            h.ref_key = id(ref)
            pos = ref[ref > 0]
            h.ref_min_pos = float(pos.min()) if len(pos) else 1e-3
            h.ref_max = float(ref.max())
            h.hi = h.lo_log = h.hi_log = None
        cur = np.zeros(BINS, np.int64)
        # min/max of the current weights come from the previous pass (one pass per frame)
        wmin, wmax = getattr(h, "last_min", h.ref_min_pos), getattr(h, "last_max", h.ref_max)
        hi = _nice_ceil(max(wmax, h.ref_max) * 1.02)
        lo_pos = min(h.ref_min_pos, wmin if wmin > 0 else h.ref_min_pos)
        lo_log = 10 ** (math.floor(math.log10(lo_pos) * 4) / 4)
        hi_log = 10 ** (math.ceil(math.log10(max(hi, lo_log * 1.01)) * 4) / 4)
        if hi_log <= lo_log * 1.5:
            hi_log = lo_log * 10
        if h.hi is None or hi > h.hi or hi < h.hi / 2:
            h.hi = hi
            h.ref_lin = None
        if h.lo_log is None or lo_log < h.lo_log or hi_log > h.hi_log or hi_log < h.hi_log / 100:
            h.lo_log, h.hi_log = lo_log, hi_log
            h.ref_log = None
        k = max(1, -(-n // HIST_SAMPLE))
        wmin, wmax, _ = _hist_eff(a.W, a.gain, a.post, use_gain, 0.0, h.hi, False, cur, k)
        cur_log = np.zeros(BINS, np.int64)
        _, _, nonpos = _hist_eff(a.W, a.gain, a.post, use_gain, h.lo_log, h.hi_log, True, cur_log, k)
        cur *= k
        cur_log *= k
        nonpos *= k
        h.last_min, h.last_max = float(wmin), float(wmax)
        if h.ref_lin is None:
            h.ref_lin = np.zeros(BINS, np.int64)
            _hist_eff(ref, np.ones(1), np.zeros(1, np.int64), False, 0.0, h.hi, False, h.ref_lin, 1)
        if h.ref_log is None:
            h.ref_log = np.zeros(BINS, np.int64)
            _hist_eff(ref, np.ones(1), np.zeros(1, np.int64), False, h.lo_log, h.hi_log, True, h.ref_log, 1)
        return {"hist": cur, "hist_ref": h.ref_lin.copy(), "edges": np.linspace(0.0, h.hi, BINS + 1),
                "hist_log": cur_log, "hist_log_ref": h.ref_log.copy(),
                "edges_log": np.logspace(math.log10(h.lo_log), math.log10(h.hi_log), BINS + 1),
                "nonpos": int(nonpos), "sampled_every": k, "w_now_min": float(wmin), "w_now_max": float(wmax)}


def _tail(ring, k: int) -> np.ndarray:
    """The newest ``k`` rows of a :class:`simcore.engine.recorders.Ring`, oldest first (a copy)."""
    cap = len(ring.data)
    n = min(ring.n, cap, max(0, k))
    if n == 0:
        return ring.data[:0].copy()
    end = ring.n % cap
    start = end - n
    if start >= 0:
        return ring.data[start:end].copy()
    return np.concatenate([ring.data[start:], ring.data[:end]])


def _tail_since(ring, col: int, value) -> np.ndarray:
    """Rows of a time-ordered ring whose column ``col`` is >= ``value``, reading only the tail."""
    k = 4096
    while True:
        rows = _tail(ring, k)
        if len(rows) < k or len(rows) == 0 or rows[0, col] < value or k >= len(ring.data):
            break
        k *= 4
    if len(rows) and rows[0, col] < value:
        rows = rows[np.searchsorted(rows[:, col], value):]
    return rows
