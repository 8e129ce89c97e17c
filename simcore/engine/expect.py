"""Evaluate a circuit's ``expect`` claims against a finished simulation."""
from __future__ import annotations

import numpy as np

from .. import iocurve
from ..metrics import METRICS
from .stats import spearman


def weight_shape(w: np.ndarray, w_start: np.ndarray, post: np.ndarray, bound: float | None) -> dict[str, float]:
    """End-of-run weight metrics that describe the distribution and how it moved."""
    out: dict[str, float] = {}
    if w.size == 0:
        return out
    out["w_median"] = float(np.median(w))
    out["w_skew"] = _skew(w)
    pos = w[w > 0]
    out["logw_skew"] = _skew(np.log(pos)) if pos.size > 2 else float("nan")
    if bound:
        out["frac_low"] = float(np.mean(w < 0.1 * bound))
        out["frac_high"] = float(np.mean(w > 0.9 * bound))
    ok = w_start > 0
    ratio = np.where(ok, w / np.where(ok, w_start, 1.0), np.nan)
    out["scale_factor"] = float(np.nanmedian(ratio)) if ok.any() else float("nan")
    out["ratio_spread"] = _max_spread_per_target(ratio, post)
    return out


def _skew(x: np.ndarray) -> float:
    sd = x.std()
    return float(((x - x.mean()) ** 3).mean() / sd ** 3) if sd > 0 else 0.0


def _max_spread_per_target(ratio: np.ndarray, post: np.ndarray) -> float:
    """max over target neurons of (max - min) / mean of the ratios of its synapses."""
    keep = np.isfinite(ratio)
    if keep.sum() < 2:
        return float("nan")
    r, p = ratio[keep], post[keep]
    order = np.argsort(p, kind="stable")
    r, p = r[order], p[order]
    starts = np.flatnonzero(np.r_[True, p[1:] != p[:-1]])
    counts = np.diff(np.r_[starts, len(p)])
    hi = np.maximum.reduceat(r, starts)
    lo = np.minimum.reduceat(r, starts)
    mean = np.add.reduceat(r, starts) / counts
    multi = (counts > 1) & (mean > 0)
    return float(((hi - lo)[multi] / mean[multi]).max()) if multi.any() else 0.0


def _window(t: np.ndarray, from_s: float | None, to_s: float | None) -> np.ndarray:
    """Samples whose time (end of their bin) lies in (from_s, to_s]."""
    lo = -np.inf if from_s is None else from_s + 1e-9
    hi = np.inf if to_s is None else to_s + 1e-9
    return (t > lo) & (t <= hi)


def io_points(sim, target: str, input: str, from_s: float | None = None, to_s: float | None = None) -> np.ndarray:
    """The input-output curve of region ``target`` against region ``input`` over ``[from_s, to_s]``:
    one (input rate, output rate) row per protocol step (see :mod:`simcore.iocurve`)."""
    rates = sim.rates.values()
    names = [r.name for r in sim.net.regions]
    t = rates[:, 0]
    if len(t) == 0:
        return np.zeros((0, 2))
    lo = float(t[0] - sim.circuit.recording.rate_bin_ms * 1e-3) if from_s is None else from_s
    hi = float(t[-1]) if to_s is None else to_s
    edges = iocurve.step_edges([time for time, _ in sim.fired], lo, hi)
    return iocurve.points(t, rates[:, 1 + names.index(input)], rates[:, 1 + names.index(target)], edges)


def refuse_unkept_window(sim, metric: str, from_s: float | None, to_s: float | None, path: str = "$.") -> None:
    """Raise :class:`CircuitError` (at ``path`` + the field, e.g. ``$.expect[2].from_s``) when a windowed metric asks for
    history the recorders of this run no longer keep (or not yet have): the same reasons ``validate``
    gives for a file, for the time this simulation has reached, instead of a NaN."""
    from dataclasses import asdict

    from ..errors import CircuitError
    from ..validate import claim_window_problem

    claim = {"metric": metric, "from_s": from_s, "to_s": to_s}
    problem = claim_window_problem(claim, asdict(sim.circuit.recording), sim.dt, sim.step_index * sim.dt * 1e-3)
    if problem:
        raise CircuitError(f"{path}{problem[0]}", problem[1])


def measure(sim, metric: str, target: str, from_s: float | None = None, to_s: float | None = None,
            input: str = "", path: str = "$.") -> float:
    """The value of one metric of one region or projection (see :mod:`simcore.metrics`); a window
    outside the kept history is refused (:func:`refuse_unkept_window`: ``path`` + field names it)."""
    m = METRICS[metric]
    refuse_unkept_window(sim, metric, from_s, to_s, path)
    if m.needs_input:
        gain, threshold = iocurve.fit(io_points(sim, target, input, from_s, to_s))
        return gain if metric == "io_gain" else threshold
    summary = sim.summary()
    if m.applies_to == "region":
        if metric == "rate_hz" and (from_s is not None or to_s is not None):
            rates = sim.rates.values()
            col = 1 + [r.name for r in sim.net.regions].index(target)
            sel = _window(rates[:, 0], from_s, to_s)
            return float(rates[sel, col].mean()) if sel.any() else float("nan")
        if metric in ("e_input", "i_input") and (from_s is not None or to_s is not None):
            ei = sim.ei.values()  # columns t, then (e, i) per region, sampled with the weight statistics
            col = 1 + 2 * [r.name for r in sim.net.regions].index(target) + (metric == "i_input")
            sel = _window(ei[:, 0], from_s, to_s)
            return float(np.nanmean(ei[sel, col])) if sel.any() else float("nan")
        return float(summary["regions"][target].get(metric, float("nan")))
    if m.windowed and to_s is not None:
        st = sim.stats[target].values()
        col = {"w_mean": 1, "w_cv": 2, "rank_corr": 5}[metric]
        k = int(np.argmin(np.abs(st[:, 0] - to_s)))
        every_s = sim.stats_steps * sim.dt * 1e-3
        if abs(st[k, 0] - to_s) > every_s + 1e-9:  # the sample at to_s is no longer kept: no answer
            return float("nan")
        return float(st[k, col])
    return float(summary["projections"][target].get(metric, float("nan")))


def claim_value(sim, e, path: str | None = None) -> tuple[float, str]:
    """(value, what was measured) of one claim: its metric, divided by the reference for a relative claim.
    ``path``: the claim's JSON path in errors (default: found in the circuit's ``expect``)."""
    if path is None:
        found = [i for i, x in enumerate(sim.circuit.expect) if x == e]
        path = f"$.expect[{found[0]}]" if found else "$.expect[?]"
    value = measure(sim, e.metric, e.target, e.from_s, e.to_s, e.input, f"{path}.")
    at = METRICS[e.metric].applies_to == "projection"  # projection metrics are read at to_s
    name = f"{e.target}.{e.metric}{_describe_window(e.from_s, e.to_s, at)}"
    if e.relative:
        ref_target, ref_from, ref_to = e.reference()
        own = e.ref_from_s is None and e.ref_to_s is None  # the reference reuses the claim's window
        ref = measure(sim, e.metric, ref_target, ref_from, ref_to, e.input, f"{path}." if own else f"{path}.ref_")
        value = value / ref if ref != 0 else float("nan")
        name = f"{name} / {ref_target}.{e.metric}{_describe_window(ref_from, ref_to, at)}"
    return value, name


def evaluate(circuit, sim) -> list[tuple[bool, str]]:
    """(passed, one-line report) for each claim of the circuit."""
    from .health import nonfinite_outputs

    out = []
    broken = nonfinite_outputs(sim)  # a run that produced NaN or inf anywhere passes nothing
    for i, e in enumerate(circuit.expect):
        value, name = claim_value(sim, e, f"$.expect[{i}]")
        lo = "-inf" if e.min is None else f"{e.min:g}"
        hi = "inf" if e.max is None else f"{e.max:g}"
        ok = bool(np.isfinite(value) and (e.min is None or value >= e.min) and (e.max is None or value <= e.max))
        note = f"  ({e.note})" if e.note else ""
        if broken:
            ok, note = False, f"{note}  (run produced non-finite values: {broken})"
        out.append((ok, f"{name} = {value:.4g} in [{lo}, {hi}]{note}"))
    return out


def _describe_window(from_s: float | None, to_s: float | None, at: bool = False) -> str:
    if from_s is None and to_s is None:
        return ""
    if at and to_s is not None:
        return f" at {to_s:g} s"
    return f" over {from_s or 0:g}-{to_s:g} s" if to_s is not None else f" after {from_s:g} s"
