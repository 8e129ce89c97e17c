"""Display frames of a running :class:`~simcore.engine.simulation.Simulation`, cheap at 30+ Hz.

A *frame* is a dict of plain numpy arrays (fresh copies) holding what the live plots show; a thread
that owns the simulation builds it between chunks and hands it to a display thread, which may read
it while the engine keeps running. Qt-free; uses only the public reading API of ``Simulation``.

Why not ``Simulation.snapshot()``: a frame also carries log-binned histograms on *stable* bin ranges
(no flicker), modulator-level history, ratios of the relative-weighting scatter and layout facts
(kinds, roles, raster rows), and the histories the weight views need (:mod:`.frame_views`: the
weight-distribution kymograph, the W(t) - W(0) block matrix). Its cost stays flat for big circuits: ring buffers are read from their
tails only (:meth:`Ring.tail`), histograms of big projections read a sample of about
``HIST_SAMPLE`` synapses in a compiled ``nogil`` pass and are refreshed at most every
``BIG_HIST_EVERY_S``, reference histograms are cached, static projections are histogrammed once.

>>> fb = FrameBuilder(sim)          # doctest: +SKIP
>>> sim.step(100); fb.sample_levels(); frame = fb.build()
"""
from __future__ import annotations

import math
import time

import numpy as np

from .frame_views import DeltaW, Kymograph

RATE_WINDOW_S = 60.0      # population-rate history kept in a frame
RASTER_WINDOW_S = 2.0
VOLTAGE_WINDOW_S = 1.0
SCATTER_POINTS = 2000     # synapses in the relative-weighting scatter
BINS = 60
BIG_HIST_EVERY_S = 0.1    # wall-time interval between histograms of projections above HIST_SAMPLE
HIST_SAMPLE = 250_000     # synapses histogrammed per frame at most (every k-th one; counts scaled by k)
LEVELS_KEPT = 20000       # modulator-level samples kept (oldest dropped in blocks)


def raster_image(frame: dict, view: dict) -> dict:
    """The spike raster of ``frame`` binned into an image of the display's size: ``view`` says which
    regions are shown, top to bottom (``regions``), and the plot's size in pixels (``width``,
    ``height``). Rows of the shown regions are stacked; each spike of the last ``RASTER_WINDOW_S``
    sets one pixel to its region's index + 1 (0: no spike), so no spike is lost to image scaling and
    the cost does not grow with the number of neurons. Binned where the frame is built (the engine),
    the window only shows the image; the same function bins a frame's raw raster in the window when
    no image of its size came with it.

    With ``view["palette"]`` (one 32-bit ARGB colour per index: the background, then one per region of
    the frame) the pixels are those colours (uint32), ready to be shown as they are: the
    window applies no colour table when it paints.

    Returns ``{"image": uint8 (rows, width) or uint32 with a palette, "t0", "span", "total" (neuron rows
    shown), "spikes" (spikes drawn), "view"}``."""
    names = list(frame["regions"])
    rows = dict(zip(names, frame["raster_rows"]))
    shown = [n for n in view["regions"] if n in rows]
    offsets, total = {}, 0
    for n in shown:
        offsets[n] = total
        total += int(rows[n])
    W = int(min(max(int(view["width"]), 100), 2400))
    H = int(min(max(int(view["height"]), 60), 1600))
    H = min(H, max(total, 1)) if total < H else H
    palette = view.get("palette")
    palette = np.asarray(palette, np.uint32) if palette is not None else None
    img = np.zeros((H, W), np.uint8) if palette is None else np.full((H, W), palette[0], np.uint32)
    t1 = frame["t"]
    t0 = max(0.0, t1 - RASTER_WINDOW_S) if t1 > RASTER_WINDOW_S else 0.0
    span = max(RASTER_WINDOW_S, t1 - t0)
    r = frame["raster"]
    n_drawn = 0
    if len(r["t"]) and total:
        off = np.full(len(names), -1, np.int64)
        for n, o in offsets.items():
            off[names.index(n)] = o
        reg = r["region"]
        ok = (off[reg] >= 0) & (r["t"] >= t0)
        rows_abs = off[reg[ok]] + r["neuron"][ok]
        col = ((r["t"][ok] - t0) * (W / span)).astype(np.int64)
        row = (rows_abs * H) // total
        np.clip(col, 0, W - 1, out=col)
        np.clip(row, 0, H - 1, out=row)
        index = reg[ok].astype(np.uint8) + 1
        img[row, col] = index if palette is None else palette[index]
        n_drawn = int(ok.sum())
    return {"image": img, "t0": t0, "span": span, "total": total, "spikes": n_drawn,
            "view": dict(view)}


def nice_ceil(x: float) -> float:
    """Round up to 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^k (stable bin ranges, no flicker)."""
    if x <= 0 or not math.isfinite(x):
        return 1.0
    e = math.floor(math.log10(x))
    for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if m * 10 ** e >= x * (1 - 1e-12):
            return m * 10 ** e
    return 10 ** (e + 1)


class _Ranges:
    """Histogram ranges of one projection (they only widen, or shrink by large factors)."""

    def __init__(self):
        self.ref_version = None
        self.ref_min_pos = self.ref_max = 1.0
        self.hi = self.lo_log = self.hi_log = None
        self.last_min = self.last_max = None


class FrameBuilder:
    """Turns the state of one Simulation into a display frame (see the module docstring).

    Call :meth:`sample_levels` after every chunk (the engine keeps no history of modulator levels)
    and :meth:`build` when a frame is wanted. Not thread-safe: use it from the thread that steps
    the simulation."""

    def __init__(self, sim, bins: int = BINS, hist_sample: int = HIST_SAMPLE):
        self.sim = sim
        self.bins = bins
        self.hist_sample = hist_sample
        self.names = sim.region_names
        self.mods = list(sim.modulator_levels())
        self._ranges = {name: _Ranges() for name in sim.projection_names}
        self._hist_cache: dict[str, dict] = {}
        self._levels_t: list[float] = []
        self._levels: list[list[float]] = []
        self._static = self._static_facts()
        every = sim.circuit.recording.stats_every_ms * 1e-3
        self._kymo = {name: Kymograph(every) for name in sim.projection_names}
        self._dw: dict[str, DeltaW] = {}
        self.sample_levels()

    def _static_facts(self) -> dict:
        sim = self.sim
        regions = {r.name: r for r in sim.circuit.regions}
        counts, index = sim.voltage_neurons()
        kinds = [regions[n].model for n in self.names]
        return {
            "regions": self.names, "sizes": [regions[n].size for n in self.names], "kinds": kinds,
            "roles": [regions[n].role for n in self.names],
            "spiking": [bool(sim.is_spiking(n)) for n in self.names],
            "raster_rows": sim.raster_rows(), "voltage_counts": counts, "voltage_index": index,
            "rules": {p: sim.rules_of(p) for p in sim.projection_names},
            "endpoints": {p: sim.endpoints(p) for p in sim.projection_names},
            "sample": {p: sim.sample_index(p) for p in sim.projection_names},
        }

    # -- modulator levels: sampled after every chunk ------------------------------------------
    def sample_levels(self) -> None:
        if not self.mods:
            return
        t = self.sim.t
        if self._levels_t and t < self._levels_t[-1]:  # after a reset
            self._levels_t.clear()
            self._levels.clear()
        levels = self.sim.modulator_levels()
        self._levels_t.append(t)
        self._levels.append([levels[n] for n in self.mods])
        if len(self._levels_t) > LEVELS_KEPT:
            del self._levels_t[:LEVELS_KEPT // 4], self._levels[:LEVELS_KEPT // 4]

    # -- the frame ----------------------------------------------------------------------------
    def build(self) -> dict:
        sim = self.sim
        st = self._static
        dt_s = sim.dt * 1e-3
        rates = sim.rates.tail(int(RATE_WINDOW_S * 1000 / sim.circuit.recording.rate_bin_ms) + 1)
        rast = sim.raster.since(0, sim.step_index - sim.steps_for(RASTER_WINDOW_S))
        volt = sim.voltage.tail(int(VOLTAGE_WINDOW_S / dt_s))
        ei = sim.ei.values()
        frame = {
            "t": sim.t, "step": sim.step_index, "dt_s": dt_s, "regions": self.names, "sizes": st["sizes"],
            "kinds": st["kinds"], "roles": st["roles"], "spiking": st["spiking"],
            "raster_rows": st["raster_rows"],
            "rates": {"t": rates[:, 0], "values": rates[:, 1:]},
            "raster": {"t": rast[:, 0] * dt_s, "neuron": rast[:, 1], "region": rast[:, 2]},
            "voltage": {"t": volt[:, 0], "values": volt[:, 1:], "counts": list(st["voltage_counts"]),
                        "index": st["voltage_index"]},
            "ei": {"t": ei[:, 0], "values": ei[:, 1:]},
            "levels": {"names": list(self.mods), "t": np.array(self._levels_t),
                       "values": np.array(self._levels).reshape(len(self._levels_t), len(self.mods))},
            "blocked": sim.blocked(), "fired": list(sim.fired), "reference_t": sim.reference_t,
            "projections": {name: self._projection(name) for name in sim.projection_names},
            # the engine's current region parameters (after live changes and protocol events): live
            # controls show these, not the circuit file's values
            "params": {r.name: dict(r.params) for r in sim.circuit.regions},
        }
        return frame

    def _projection(self, name: str) -> dict:
        sim = self.sim
        rules = self._static["rules"][name]
        stats = sim.stats[name].values()
        idx = self._static["sample"][name]
        now_s = sim.weights_at(name, idx)
        ref_s = sim.reference_weights(name)[idx]
        ok = (ref_s > 0) & (now_s > 0)
        ratio = now_s[ok] / ref_s[ok]
        source, target = self._static["endpoints"][name]
        out = {
            "n": sim.projection_size(name), "rules": list(rules), "plastic": bool(rules),
            "source": source, "target": target,
            "stats_t": stats[:, 0], "w_mean": stats[:, 1], "w_cv": stats[:, 2], "w_min": stats[:, 3],
            "w_max": stats[:, 4], "rank_corr": stats[:, 5], "contrib": stats[:, 6:],
            "tracked": sim.tracked_w[name].values(),
            "scatter_ref": ref_s[:SCATTER_POINTS].copy(), "scatter_now": now_s[:SCATTER_POINTS].copy(),
            "median_ratio": float(np.median(ratio)) if len(ratio) else float("nan"),
            "ratio_iqr": tuple(np.percentile(ratio, [25, 75])) if len(ratio) else (np.nan, np.nan),
            "rank_now": float(stats[-1, 5]) if len(stats) else 1.0,
        }
        out.update(self._histograms_cached(name, bool(rules), out["n"]))
        self._kymo[name].add(sim.t, out, sim.reference_range(name))
        out["kymo"] = self._kymo[name].frame()
        if name not in self._dw:
            sizes = dict(zip(self.names, self._static["sizes"]))
            self._dw[name] = DeltaW(sim, name, sizes[source], sizes[target])
        out["dw"] = self._dw[name].frame(bool(rules))
        return out

    def _histograms_cached(self, name: str, plastic: bool, n: int) -> dict:
        cached = self._hist_cache.get(name)
        fresh_ref = cached is not None and cached["_ref"] == self.sim.reference_version
        if cached is not None and fresh_ref and not plastic:
            return cached  # static weights never change: histogrammed once per reference
        if cached is not None and fresh_ref and n > self.hist_sample and \
                time.perf_counter() - cached["_at"] < BIG_HIST_EVERY_S:
            return cached  # big plastic projection: at most every BIG_HIST_EVERY_S
        hist = self._histograms(name, n)
        hist["_at"] = time.perf_counter()
        hist["_ref"] = self.sim.reference_version
        self._hist_cache[name] = hist
        return hist

    def _histograms(self, name: str, n: int) -> dict:
        sim, bins = self.sim, self.bins
        h = self._ranges[name]
        if n == 0:
            z = np.zeros(bins, np.int64)
            return {"hist": z, "hist_ref": z, "edges": np.linspace(0, 1, bins + 1), "hist_log": z,
                    "hist_log_ref": z, "edges_log": np.logspace(-3, 0, bins + 1), "nonpos": 0,
                    "sampled_every": 1, "w_now_min": float("nan"), "w_now_max": float("nan")}
        if h.ref_version != sim.reference_version:  # a new reference (set_reference or reset): new ranges
            h.ref_version = sim.reference_version
            lo_pos, ref_max = sim.reference_range(name)
            h.ref_min_pos = lo_pos if math.isfinite(lo_pos) else 1e-3
            h.ref_max = ref_max
            h.hi = h.lo_log = h.hi_log = None
            h.last_min, h.last_max = h.ref_min_pos, h.ref_max
        # min/max of the current weights come from the previous pass (one pass per frame)
        wmin, wmax = h.last_min, h.last_max
        hi = nice_ceil(max(wmax, h.ref_max) * 1.02)
        lo_pos = min(h.ref_min_pos, wmin if wmin > 0 else h.ref_min_pos)
        lo_log = 10 ** (math.floor(math.log10(lo_pos) * 4) / 4)
        hi_log = 10 ** (math.ceil(math.log10(max(hi, lo_log * 1.01)) * 4) / 4)
        if hi_log <= lo_log * 1.5:
            hi_log = lo_log * 10
        if h.hi is None or hi > h.hi or hi < h.hi / 2:
            h.hi = hi
        if h.lo_log is None or lo_log < h.lo_log or hi_log > h.hi_log or hi_log < h.hi_log / 100:
            h.lo_log, h.hi_log = lo_log, hi_log
        lin = sim.weight_histogram(name, bins, 0.0, h.hi, sample=self.hist_sample)
        log = sim.weight_histogram(name, bins, h.lo_log, h.hi_log, log=True, sample=self.hist_sample)
        h.last_min, h.last_max = lin["min"], lin["max"]
        return {"hist": lin["counts"], "hist_ref": sim.reference_histogram(name, bins, 0.0, h.hi),
                "edges": lin["edges"], "hist_log": log["counts"],
                "hist_log_ref": sim.reference_histogram(name, bins, h.lo_log, h.hi_log, log=True),
                "edges_log": log["edges"], "nonpos": log["nonpos"], "sampled_every": lin["every"],
                "w_now_min": lin["min"], "w_now_max": lin["max"]}
