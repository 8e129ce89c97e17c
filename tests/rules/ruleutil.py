"""Shared helpers of the rule tests: tiny circuits, exact spike trains, recorded spikes by step."""
from __future__ import annotations

import numpy as np

from simcore.engine.simulation import Simulation
from simcore.model import Circuit, make_projection, make_region


def circuit(regions, projections, dt_ms=0.1, seed=0, raster=True) -> Circuit:
    c = Circuit()
    c.settings.dt_ms = dt_ms
    c.settings.seed = seed
    c.regions = list(regions)
    c.projections = list(projections)
    if raster:
        c.recording.raster_max_neurons = 100000
        c.recording.raster_max_spikes = 10**7
    return c


def pairing_circuit(freq_hz: float, delta_ms: float, n_pairs: int, rule: str, params: dict | None = None,
                    w0: float = 0.5) -> Circuit:
    """One presynaptic and one postsynaptic periodic train; the post spike follows the pre spike by
    ``delta_ms`` (negative: precedes it); ``n_pairs`` pairings at ``freq_hz``."""
    pre = make_region("Pre", "spike_train", 1, rate_hz=freq_hz, offset_ms=100.0 + max(0.0, -delta_ms), count=n_pairs)
    post = make_region("Post", "spike_train", 1, rate_hz=freq_hz, offset_ms=100.0 + max(0.0, delta_ms),
                       count=n_pairs)
    proj = make_projection("P", "Pre", "Post", connectivity=("one_to_one", {}), weights=("constant", {"value": w0}),
                           rules=[(rule, params or {})])
    return circuit([pre, post], [proj], raster=False)


def spikes_by_step(sim: Simulation, region: str, nsteps: int) -> list[list[int]]:
    """Recorded spikes of a region as one list of neuron indices per step (kernel order)."""
    k = sim.net.region_index(region)
    rast = sim.raster.values()
    assert sim.raster_dropped == 0
    out: list[list[int]] = [[] for _ in range(nsteps)]
    for t, j, r in rast:
        if r == k and t < nsteps:
            out[int(t)].append(int(j))
    return out


def f32(x) -> np.float32:
    return np.float32(x)


def rel_err(a, b) -> float:
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b)) / max(1e-12, np.max(np.abs(b))))


def rate_inputs(n_inputs: int, rule: str, params: dict, w0, dt_ms: float = 1.0, seed: int = 0,
                post_size: int = 1) -> Circuit:
    """``n_inputs`` one-unit rate regions X0.. (fast: tau 0.1 ms, rate = bias in Hz) each projecting with
    ``rule`` onto a linear rate unit Y (rate = sum_k w_k x_k). Patterns are set through the biases."""
    regs = [make_region(f"X{k}", "rate", 1, tau=0.1) for k in range(n_inputs)]
    regs.append(make_region("Y", "rate", post_size, tau=0.1, max_rate=1e6))
    projs = [make_projection(f"P{k}", f"X{k}", "Y", connectivity=("all_to_all", {}),
                             weights=("constant", {"value": float(w0[k])}), rules=[(rule, params)])
             for k in range(n_inputs)]
    return circuit(regs, projs, dt_ms=dt_ms, seed=seed, raster=False)


def present(sim: Simulation, rates_hz, hold_steps: int) -> None:
    """Set input k (region Xk) to rates_hz[k] and advance ``hold_steps`` steps."""
    for k, r in enumerate(rates_hz):
        sim.set(f"X{k}.bias", float(r))
    sim.step(hold_steps)


def input_weights(sim: Simulation, n_inputs: int) -> np.ndarray:
    return np.array([sim.weights(f"P{k}")[0] for k in range(n_inputs)])
