"""Stop a run whose numbers have blown up, naming the region or projection and the time.

A circuit can be valid and still diverge: huge weights, rate units with a huge ``max_rate`` in a
positive-feedback loop, a learning rate that runs the weights away. Continuing would only produce
NaN and inf in every output (and a ``--check`` that compares infinities), so after every chunk the
simulation checks that every state variable, every weight and every mean a summary takes is still
finite, and that no weight the kernel uses (the stored weight times its target's scaling gain)
is beyond :data:`~simcore.params.WEIGHT_MAX`, and raises :class:`NumericalError` (a
:class:`SimulationError`) otherwise.
"""
from __future__ import annotations

import numpy as np

from ..params import WEIGHT_MAX
from .simulation import RATE_CEILING_HZ, SimulationError


class NumericalError(SimulationError):
    """A state variable, weight or rate became NaN, infinite or too large to average."""

    def __init__(self, what: str, name: str, t: float, detail: str):
        self.what, self.name, self.t = what, name, t
        super().__init__(f"{what} {name!r}: {detail} at t = {t:.4g} s (numerical blow-up; reduce weights, "
                         "drive, learning rates or dt)")


def _finite_means(a: np.ndarray) -> bool:
    """True when every row of ``a`` is finite and so is its mean (a sum of huge values overflows)."""
    if a.size == 0:
        return True
    from .stats import finite_rows

    return bool(finite_rows(a.reshape(-1, a.shape[-1])))


RATE_WINDOW_S = 0.05  # the runaway check judges the mean rate over at least this much time


def check_chunk(sim, n: int, static_checked: set) -> None:
    """Raise :class:`NumericalError` (or :class:`SimulationError` for runaway spiking) if the chunk of
    ``n`` steps just simulated left anything non-finite. ``static_checked``: projections without
    rules whose weights were already checked (they cannot change)."""
    t = sim.t
    # spikes are counted over RATE_WINDOW_S at least: one spike of a small region in a one-step
    # chunk is not a runaway (it would read as 10 kHz)
    acc = sim.__dict__.setdefault("_rate_window", {"steps": 0, "spikes": np.zeros(len(sim.net.regions))})
    acc["steps"] += n
    acc["spikes"] += sim._counts[:n].sum(axis=0)
    window_s = acc["steps"] * sim.dt * 1e-3
    judge = window_s >= RATE_WINDOW_S
    for i, r in enumerate(sim.net.regions):
        S = r.arrays.S
        if not _finite_means(S):
            rows = [k for k in range(S.shape[0]) if not _finite_means(S[k])]
            names = getattr(r.kind.impl, "vars", ())
            var = ", ".join(names[k] if k < len(names) else f"row {k}" for k in rows[:3])
            raise NumericalError("region", r.name, t, f"{var} became NaN, infinite or too large to average")
        if judge and r.kind.impl.spiking and not r.kind.info.get("source"):
            rate = acc["spikes"][i] / r.n / window_s
            if rate > RATE_CEILING_HZ:
                raise SimulationError(f"region {r.name!r}: mean rate {rate:.0f} Hz above {RATE_CEILING_HZ:.0f} Hz "
                                      f"at t = {t:.4g} s (runaway excitation)")
    if judge:
        acc["steps"] = 0
        acc["spikes"][:] = 0.0
    plastic = {rb.projection for rb in sim.net.rules}
    for k, p in enumerate(sim.net.projections):
        if k not in plastic:
            if p.name in static_checked:
                continue
            static_checked.add(p.name)
        a = p.arrays
        w_max = _abs_max(a.W)
        if not np.isfinite(w_max) or not _finite_means(a.gain):
            raise NumericalError("projection", p.name, t, "weights became NaN or infinite")
        if w_max > WEIGHT_MAX:  # finite, but float32 sums would saturate
            raise NumericalError("projection", p.name, t, f"weights grew beyond {WEIGHT_MAX:g}, the largest a "
                                                          "weight may be")
        if a.W.size and sim._uses_gain(k) and _largest_effective(a, w_max) > WEIGHT_MAX:
            raise NumericalError("projection", p.name, t, f"effective weights (stored weight x the target's "
                                                          f"scaling gain) grew beyond {WEIGHT_MAX:g}, the "
                                                          "largest a weight may be")
    if sim._vrec.size and not np.isfinite(sim._vrec[:n]).all():
        raise NumericalError("region", _voltage_region(sim), t, "recorded membrane potential is not finite")


_FLOAT32_INF_BITS = 0x7F800000


def _abs_max(W: np.ndarray) -> float:
    """max |W| of float32 weights, inf when any is NaN or infinite (0 for none): one vectorised pass."""
    if W.size == 0:
        return 0.0
    from .stats import abs_max_bits

    bits = int(abs_max_bits(W.view(np.uint32)))
    if bits >= _FLOAT32_INF_BITS:
        return float("inf")
    return float(np.array([bits], np.uint32).view(np.float32)[0])


def _largest_effective(a, w_max: float) -> float:
    """The largest |weight x gain of its target| of a projection whose synapses are scaled (the weight
    the kernel uses; ``w_max``: max |W|, just computed by the caller: a second pass over millions of
    plastic weights was ~3% of the window engine's time). The product of the two maxima bounds it;
    the exact value is only computed when that bound is over the limit (a large weight onto a neuron
    with a small gain is no blow-up)."""
    if w_max * float(np.abs(a.gain).max(initial=0.0)) <= WEIGHT_MAX:
        return 0.0
    return float((np.abs(a.W.astype(np.float64)) * np.abs(a.gain[a.post])).max())


def _voltage_region(sim) -> str:
    bad = np.flatnonzero(~np.isfinite(sim._vrec).all(axis=0))
    col = int(bad[0]) if len(bad) else 0
    off = 0
    for r, k in zip(sim.net.regions, sim._vcounts):
        if col < off + k:
            return r.name
        off += k
    return sim.net.regions[-1].name


def nonfinite_outputs(sim) -> str | None:
    """The first output of a finished run that is not finite (one line), or None: a run that
    produced NaN or inf anywhere cannot pass a check."""
    s = sim.summary()
    for name, r in s["regions"].items():
        for key, v in r.items():
            if isinstance(v, float) and np.isinf(v):
                return f"region {name!r}: {key} is infinite"
    for name, p in s["projections"].items():
        for key in ("w_mean", "w_min", "w_max", "w_mean_start"):
            v = p.get(key)
            if isinstance(v, float) and np.isinf(v):
                return f"projection {name!r}: {key} is infinite"
        if p.get("n_synapses", 0) and not np.isfinite(sim.weights(name)).all():
            return f"projection {name!r}: some weights are NaN or infinite"
    for i, r in enumerate(sim.net.regions):
        if not np.isfinite(r.arrays.S).all():
            return f"region {r.name!r}: state is NaN or infinite"
    rates = sim.rates.values()
    if rates.size and not np.isfinite(rates).all():
        return "the recorded population rates contain NaN or inf"
    return None
