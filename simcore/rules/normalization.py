"""Synaptic normalization: the sum of each neuron's incoming weights is held at W_tot.

Every ``interval_ms`` (and once when the simulation is built) each postsynaptic neuron j gets the gain

    g_j = W_tot / sum_i W_ij        so that   sum_i g_j W_ij = W_tot

(w_ij <- w_ij W_tot / sum_i w_ij, the multiplicative sum constraint of von der Malsburg 1973, Miller &
MacKay 1994, and SORN, Lazar et al. 2009). It acts through the per-target gain (effective weight
W_ij g_j), so the ratios of the weights onto a neuron are untouched; combined with a Hebbian/STDP rule
that changes W it makes the inputs compete for a fixed total. Cost: one pass over the synapses per
interval (O(synapses / interval)), nothing in between. A neuron with no (or all-zero) inputs keeps its gain.

The gain is shared with any other gain rule on the same projection (e.g. scaling): normalization
overwrites it at every interval. ``rs.glob[0]`` accumulates the change of the summed effective weight;
``rs.glob[1]`` is the mean factor applied at the last interval.
"""
import numpy as np

from ..engine.impl import RuleImpl
from ..engine.jit import njit
from ..params import WEIGHT_MAX, Kind, Param, fits_in_steps, register

PARAMS = (
    Param("w_total", 20.0, "w", "Target sum W_tot of each postsynaptic neuron's incoming effective weights "
          "(in the target's weight unit, e.g. mV for current LIF synapses; SORN: Lazar et al. 2009)",
          min=0.0, exclusive_min=True, max=WEIGHT_MAX),
    Param("interval_ms", 100.0, "ms", "Interval between normalizations (each costs one pass over the "
          "projection's synapses)", min=0.0, exclusive_min=True, max=1e7),
)

WTOT, K = range(2)


def prepare(p, dt):
    return np.array([p["w_total"], float(max(1, round(p["interval_ms"] / dt)))])


@njit
def _normalize(syn, rs):
    wtot = rs.P[WTOT]
    W, in_syn, gain = syn.W, syn.in_syn, syn.gain
    total = 0.0
    fsum = 0.0
    nf = 0
    for j in range(gain.shape[0]):
        s = 0.0
        for q in range(syn.in_indptr[j], syn.in_indptr[j + 1]):
            s += W[in_syn[q]]
        if s > 0.0:
            g = gain[j]
            ng = wtot / s
            total += wtot - g * s
            gain[j] = ng
            fsum += ng / g if g > 0.0 else 0.0
            nf += 1
    rs.glob[0] += total
    rs.glob[1] = fsum / nf if nf else 1.0


def init(rs, syn, params, dt):
    """Normalize once at build time, so the constraint holds from t = 0."""
    _normalize(syn, rs)
    rs.glob[0] = 0.0  # the starting point is not a change made by the rule during the run
    rs.glob[1] = 1.0


@njit
def step(t, syn, rs, pre_spk, n_pre, post_spk, n_post, pre_rate, post_rate):
    if (t + 1) % int(rs.P[K]) == 0:
        _normalize(syn, rs)


IMPL = RuleImpl(prepare=prepare, step=step, uses_gain=True, init=init)

KIND = register(Kind(
    "rule", "normalization", "Synaptic normalization",
    "Holds the sum of each neuron's incoming excitatory weights at W_tot: every interval_ms all of them are "
    "multiplied by one factor W_tot / sum (multiplicative normalization; von der Malsburg 1973; Miller & "
    "MacKay 1994; SORN, Lazar et al. 2009). Ratios onto a neuron are kept; together with Hebbian or STDP "
    "rules the inputs compete for a fixed total.",
    PARAMS,
    info={"synapses": ("excitatory",),
          "applies": "multiplies every excitatory synapse onto each postsynaptic neuron by one factor"},
    impl=IMPL,
    constraints=(fits_in_steps("interval_ms"),),
))
