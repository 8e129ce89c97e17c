"""Multiplicative synaptic scaling (Turrigiano et al. 1998; van Rossum, Bi & Turrigiano 2000).

Every postsynaptic neuron j has a slow activity sensor a_j (a spike trace in Hz):

    tau_a da_j/dt = -a_j + sum_k delta(t - t_j^k)            (a_j jumps by 1/tau_a per spike)

and one gain g_j that multiplies *all* its incoming synapses of the projection (effective weight
w_ij = W_ij g_j, the engine's ``syn.gain``), so the ratios w_ij / w_kj onto a neuron never change:

    dg_j/dt = g_j [beta (s_j - a_j) + gamma I_j],    dI_j/dt = s_j - a_j

(van Rossum et al. 2000, proportional + integral control). The gain is updated every ``update_ms``
in closed form over the interval, g_j <- g_j exp(T [beta e_j + gamma I_j]) with e_j = s_j - a_j, which
keeps it positive; it is clamped to [gain_min, gain_max] (the integral stops while clamped). The
sensor decays lazily (exactly) between a neuron's spikes, so the cost is O(spikes) per step plus
O(N_post) once per update interval, never proportional to the number of synapses.

Set point: s_j = target_hz, or, with ``set_point_tau_s`` > 0, a slowly drifting set point
s_j = target_hz + d_j with tau_sp dd_j/dt = (a_j - target_hz) - d_j: the set point itself relaxes towards
the neuron's long-run activity, so homeostasis undoes fast perturbations but slowly accepts lasting
ones (metaplasticity of the set point, cf. the sliding threshold of BCM and Toyoizumi et al. 2014).

The recorded contribution (``rs.glob[0]``) is sum_j (g_new - g_old) * sum_i W_ij, with the sums of the
stored weights refreshed about once per simulated second (exact when no other rule changes W).
``rs.glob[1]`` holds the mean gain, ``rs.glob[2]`` the mean sensor value (Hz) after the last update.

Per neuron across all its inputs (the ``homeostasis`` of a region, declared below as the kind
``homeostasis/scaling``): biology has one sensor and one factor per neuron, whatever the pathway. The
engine then gives every included projection onto the region an instance of this rule; ``rs.flags[3]``
says which part each plays. The *leader* (1, the first included projection) owns the sensor and the
neuron's factor g (``post[G]``); *followers* (2) read the leader's state through ``rs.M`` and only set
their own gain and count their own contribution. A projection's gain is g ** e, with e = 1 for
excitatory synapses and e = -inhibitory_exponent for inhibitory ones (they scale up when the neuron is
too active). Role 0 is the per-projection rule above, unchanged.
"""
import math

import numpy as np

from ..engine.impl import RuleImpl
from ..engine.jit import njit
from ..params import Kind, Param, fits_in_steps, register

PARAMS = (
    Param("target_hz", 5.0, "Hz", "Target firing rate a_goal of every postsynaptic neuron (the homeostatic "
          "set point; Turrigiano et al. 1998)", min=0.0),
    Param("tau_a_s", 1.0, "s", "Time constant of the per-neuron activity sensor a (a spike trace in Hz). "
          "Biology: ~100 s and scaling over hours-days (van Rossum et al. 2000); the default is ACCELERATED "
          "for demonstrations", min=0.0, exclusive_min=True),
    Param("beta", 0.01, "1/(s Hz)", "Proportional rate: dg/dt = beta g (a_goal - a). van Rossum et al. 2000 use "
          "4e-5 with tau_a = 100 s; the default is accelerated", min=0.0),
    Param("gamma", 0.0, "1/(s^2 Hz)", "Integral rate: adds gamma g * integral of (a_goal - a) dt, which removes "
          "the steady-state error (van Rossum et al. 2000 use 1e-7; 0 = proportional only)", min=0.0),
    Param("update_ms", 10.0, "ms", "Interval between gain updates (the sensor itself is exact between spikes)",
          min=0.0, exclusive_min=True, max=1e6),
    Param("set_point_tau_s", 0.0, "s", "Drifting set point: the target relaxes towards the neuron's long-run "
          "activity with this time constant (metaplasticity; 0 = fixed set point)", min=0.0),
    Param("gain_min", 0.01, "", "Lower bound of the scaling factor g (multiplies the initial weights)",
          min=0.0),
    Param("gain_max", 100.0, "", "Upper bound of the scaling factor g", min=0.0, exclusive_min=True),
)

TARGET, INV_TAU, DT_S, BETA, GAMMA, K, SP_DECAY, GMIN, GMAX, REFRESH, TAU_STEPS, DECAY_K, EXPO = range(13)
A, LAST, INTEG, DRIFT, WSUM, G = range(6)
OWN, LEADER, FOLLOWER = 0, 1, 2  # rs.flags[3]: the part an instance plays (see the module docstring)


def prepare(p, dt):
    k = max(1, round(p["update_ms"] / dt))
    T = k * dt * 1e-3
    sp = p["set_point_tau_s"]
    gmin = p["gain_min"]
    return np.array([
        p["target_hz"], 1.0 / p["tau_a_s"], dt * 1e-3, p["beta"], p["gamma"], float(k),
        (1.0 - math.exp(-T / sp)) if sp > 0 else 0.0, gmin, max(p["gain_max"], gmin),
        float(k * max(1, round(1000.0 / (k * dt)))), p["tau_a_s"] * 1e3 / dt,
        math.exp(-k / (p["tau_a_s"] * 1e3 / dt)),  # sensor decay over one interval (neurons that did not spike)
        1.0,  # exponent of this projection's gain on the neuron's factor (set by the engine for a homeostat)
    ])


def init(rs, syn, params, dt):
    """Sensors start at the set point (no start-up transient); stored-weight sums per target."""
    n = rs.post.shape[1]
    rs.post[A] = params["target_hz"]
    rs.post[G] = 1.0
    rs.post[WSUM] = np.bincount(syn.post, weights=syn.W.astype(np.float64), minlength=n)[:n]


@njit
def on_post(j, t, syn, rs):
    """The sensor of j decays exactly since its last update, then jumps by 1/tau_a (Hz)."""
    if rs.flags[3] == FOLLOWER:  # the leader's sensor counts this neuron's spikes
        return
    post = rs.post
    post[A, j] = post[A, j] * math.exp(-(t - post[LAST, j]) / rs.P[TAU_STEPS]) + rs.P[INV_TAU]
    post[LAST, j] = t


@njit
def _refresh_wsum(syn, wsum):
    W, in_syn = syn.W, syn.in_syn
    for j in range(wsum.shape[0]):
        s = 0.0
        for q in range(syn.in_indptr[j], syn.in_indptr[j + 1]):
            s += W[in_syn[q]]
        wsum[j] = s


@njit
def _follow(syn, rs):
    """A follower's gain is the leader's factor to its exponent; its contribution its own."""
    g_of, gain, wsum, e = rs.M[G], syn.gain, rs.post[WSUM], rs.P[EXPO]
    total = 0.0
    gsum = 0.0
    for j in range(gain.shape[0]):
        ng = g_of[j] if e == 1.0 else g_of[j] ** e
        total += (ng - gain[j]) * wsum[j]
        gain[j] = ng
        gsum += ng
    rs.glob[0] += total
    if gain.shape[0] > 0:
        rs.glob[1] = gsum / gain.shape[0]


@njit
def step(t, syn, rs, pre_spk, n_pre, post_spk, n_post, pre_rate, post_rate):
    """Every update_ms: one multiplicative factor per postsynaptic neuron (O(N_post))."""
    P = rs.P
    k = int(P[K])
    if (t + 1) % k != 0 or rs.flags[2] == 0:  # the sensor counts spikes: nothing to do on a rate target
        return
    post, gain = rs.post, syn.gain
    a, last, integ, drift, wsum = post[A], post[LAST], post[INTEG], post[DRIFT], post[WSUM]
    if (t + 1) % int(P[REFRESH]) == 0:  # about once a second: stored-weight sums (contribution only)
        _refresh_wsum(syn, wsum)
    role = rs.flags[3]
    if role == FOLLOWER:
        _follow(syn, rs)
        return
    # the neuron's factor: the projection's own gain, or (leader of a homeostat) the sensor's row G
    fac = gain if role == OWN else post[G]
    e = P[EXPO]
    T = k * P[DT_S]
    target, beta, gamma, sp = P[TARGET], P[BETA], P[GAMMA], P[SP_DECAY]
    gmin, gmax, tau_steps = P[GMIN], P[GMAX], P[TAU_STEPS]
    decay_k = P[DECAY_K]
    total = 0.0
    gsum = 0.0
    asum = 0.0
    for j in range(gain.shape[0]):
        elapsed = t - last[j]
        aj = a[j] * (decay_k if elapsed == k else math.exp(-elapsed / tau_steps))
        a[j] = aj
        last[j] = t
        err = target + drift[j] - aj
        ij = integ[j]
        if gamma != 0.0:
            ij += err * T
        g = fac[j]
        ng = g * math.exp(T * (beta * err + gamma * ij))
        if ng != ng:  # NaN: keep the old gain
            ng = g
        if ng > gmax:
            ng = gmax
            ij = integ[j]  # anti-windup: no integration while clamped
        elif ng < gmin:
            ng = gmin
            ij = integ[j]
        integ[j] = ij
        if role == OWN:
            gain[j] = ng
            total += (ng - g) * wsum[j]
        else:
            fac[j] = ng
            old = gain[j]
            gain[j] = ng if e == 1.0 else ng ** e
            total += (gain[j] - old) * wsum[j]
        if sp > 0.0:
            drift[j] += ((aj - target) - drift[j]) * sp
        gsum += gain[j]
        asum += aj
    rs.glob[0] += total
    n = gain.shape[0]
    if n > 0:
        rs.glob[1] = gsum / n
        rs.glob[2] = asum / n


IMPL = RuleImpl(prepare=prepare, post_vars=("a", "last", "integ", "drift", "wsum", "g"), on_post=on_post, step=step,
                uses_gain=True, init=init,
                extra={"exponent_index": EXPO, "leader": LEADER, "follower": FOLLOWER})

KIND = register(Kind(
    "rule", "scaling", "Synaptic scaling",
    "Homeostatic multiplicative scaling (Turrigiano et al. 1998; van Rossum, Bi & Turrigiano 2000): a slow "
    "activity sensor per postsynaptic neuron (tau_a da/dt = -a + spikes, in Hz) drives one factor g that "
    "multiplies every excitatory synapse onto that neuron, dg/dt = g [beta (a_goal - a) + gamma "
    "integral(a_goal - a)], so the neuron's rate returns to a_goal while the ratios of its input weights are "
    "preserved exactly. Optional slowly drifting set point (metaplasticity). Time constants are accelerated "
    "by default (biology: hours to days).",
    PARAMS,
    info={"synapses": ("excitatory",), "gain_bounds": ("gain_min", "gain_max"),
          "applies": "multiplies every excitatory synapse onto each postsynaptic neuron by one factor"},
    impl=IMPL,
    needs={"target": ("spiking",)},
    constraints=(fits_in_steps("update_ms"),),
))


def _exponent(synapse: str, params: dict) -> float | None:
    """Exponent of a projection's gain on the neuron's factor, or None when the homeostat leaves it alone."""
    if synapse == "excitatory":
        return 1.0
    if synapse in ("inhibitory", "shunting") and params["inhibitory_exponent"] > 0:
        return -float(params["inhibitory_exponent"])
    return None


HOMEOSTASIS = register(Kind(
    "homeostasis", "scaling", "Synaptic scaling per neuron",
    "One activity sensor and one scaling factor g per neuron, shared by every projection onto the region "
    "(Turrigiano et al. 1998; Turrigiano 2008): a neuron senses its own rate, not a pathway's, and scales all "
    "its excitatory synapses together, dg/dt = g [beta (a_goal - a) + gamma integral(a_goal - a)], so the "
    "ratio of any two of its excitatory weights is kept, within and across projections. With "
    "inhibitory_exponent k > 0 its inhibitory synapses scale by g^-k: up when the neuron is too active "
    "(Kilman, van Rossum & Turrigiano 2002). Which projections: all excitatory (and, with k > 0, all "
    "inhibitory) ones onto the region unless listed.",
    PARAMS + (
        Param("inhibitory_exponent", 0.0, "", "Inhibitory synapses onto the neuron scale by g^-k, opposite to "
              "the excitatory ones (0 = inhibitory synapses not scaled)", min=0.0, max=10.0),
    ),
    info={"needs": "spiking", "exponent": _exponent, "gain_bounds": ("gain_min", "gain_max"),
          "applies": "one factor per neuron for every excitatory synapse onto it, across projections"},
    impl=IMPL,
))
