"""Frozen spike pattern repeated within Poisson noise (Masquelier, Guyonneau & Thorpe 2008)."""
import numpy as np

from ..engine.impl import NeuronImpl
from ..engine.jit import njit
from ..engine.rng import uniform
from ..params import Check, Kind, Param, fits_in_steps, one_spike_per_step, register

PARAMS = (
    Param("rate_hz", 10.0, "Hz", "Background Poisson rate of every neuron", min=0.0, max=1000.0),
    Param("pattern_ms", 50.0, "ms", "Length of the frozen pattern", min=1.0, max=10000.0, live=False),
    Param("interval_ms", 250.0, "ms", "Mean time between pattern onsets", min=1.0, max=100000.0),
    Param("fraction", 0.5, "", "Fraction of the neurons taking part in the pattern", min=0.0, max=1.0, live=False),
    Param("pattern_seed", 1, "", "Seed of the frozen pattern (same seed, same pattern)", type="int", min=0,
          live=False),
)

MAX_PATTERN_STEPS = 1e7  # the frozen pattern is drawn one step at a time
MAX_SPIKES = 8  # spikes per neuron kept in the frozen pattern
# state rows: 0 in-pattern flag per neuron, 1 phase (column 0: current step in the pattern or -1,
# column 1: steps until the next onset, column 2: number of onsets so far), 2.. pattern spike steps


def prepare(p, dt):
    return np.array([p["rate_hz"] * dt * 1e-3, round(p["pattern_ms"] / dt), p["interval_ms"] / dt])


def init(p, n, rng):
    S = np.full((2 + MAX_SPIKES, n), -1.0)
    S[0] = 0.0
    S[1] = 0.0
    S[1, 0] = -1.0
    return S


def frozen_pattern(p, n, dt):
    """Which neurons take part and at which steps of the pattern they fire (seeded by pattern_seed)."""
    rng = np.random.default_rng(p["pattern_seed"])
    length = max(1, round(p["pattern_ms"] / dt))
    member = rng.random(n) < p["fraction"]
    steps = np.full((MAX_SPIKES, n), -1.0)
    prob = p["rate_hz"] * dt * 1e-3
    for j in np.flatnonzero(member):
        s = np.flatnonzero(rng.random(length) < prob)[:MAX_SPIKES]
        steps[: len(s), j] = s
    return member, steps


def extra_rows(p, n, dt, rng):
    member, steps = frozen_pattern(p, n, dt)
    S = init(p, n, rng)
    S[0] = member
    S[2:] = steps
    if n > 1:
        S[1, 1] = rng.exponential(p["interval_ms"] / dt)
    return S


@njit
def update(S, P, inp, slot, spk, rng, t):
    prob, length, interval = P[0], P[1], P[2]
    n = S.shape[1]
    phase = S[1, 0]
    if phase < 0.0 and n > 1:
        S[1, 1] -= 1.0
        if S[1, 1] <= 0.0:
            phase = 0.0
            S[1, 2] += 1.0
            S[1, 1] = -interval * np.log(1.0 - uniform(rng))  # counted from the pattern's end
    nspk = 0
    for j in range(n):
        fire = False
        if phase >= 0.0 and S[0, j] > 0.5:
            for k in range(2, S.shape[0]):
                if S[k, j] == phase:
                    fire = True
        elif uniform(rng) < prob:
            fire = True
        if fire:
            spk[nspk] = j
            nspk += 1
    if phase >= 0.0:
        phase += 1.0
        if phase >= length:
            phase = -1.0
    S[1, 0] = phase
    return nspk


KIND = register(Kind(
    "neuron", "pattern", "Pattern source",
    "Poisson background in which a frozen spike pattern (drawn once at the same rate) is pasted at "
    "random times, the classic STDP pattern-detection input (Masquelier et al. 2008).",
    PARAMS,
    info={"spiking": True, "source": True, "roles": ("excitatory", "inhibitory"), "icon": "pattern"},
    impl=NeuronImpl(vars=("member", "phase") + tuple(f"step{k}" for k in range(MAX_SPIKES)), prepare=prepare,
                    init=init, update=update, extra_rows=extra_rows),
    constraints=(one_spike_per_step("rate_hz"), fits_in_steps("interval_ms"),
                 Check(("pattern_ms",), lambda p, ctx: ("pattern_ms", f"pattern_ms / dt_ms = {p['pattern_ms'] / ctx.dt_ms:.3g} "
                       f"steps; the frozen pattern is drawn step by step, at most {MAX_PATTERN_STEPS:.0e} steps")
                       if p["pattern_ms"] / ctx.dt_ms > MAX_PATTERN_STEPS else None,
                       "pattern_ms / dt_ms <= 1e7 steps")),
))
