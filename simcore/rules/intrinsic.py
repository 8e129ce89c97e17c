"""Intrinsic plasticity: an adaptive threshold that brings each neuron's firing rate to a target.

Each postsynaptic LIF neuron j has a threshold offset theta_j (the LIF state row ``theta``; the neuron
fires when v > v_th + theta_j):

    dtheta_j/dt = eta (S_j(t) - target_hz),     S_j = sum_k delta(t - t_j^k)

i.e. theta_j jumps up by eta at each of j's spikes and slides down by eta * target_hz per second in
between. Averaged over time theta_j is stationary only when the neuron fires at target_hz, so the rate
converges to the target from above and from below (a homeostatic integral controller; the slow version of
the adaptive threshold of Diehl & Cook 2015 / Brian2's example, cf. Desai et al. 1999, Triesch 2005).
theta_j is clamped to [theta_min, theta_max]. The downward drift is applied every ``update_ms``
(O(N_post) per interval); spikes cost O(1). The rule changes no weight: its recorded contribution is 0;
``rs.glob[1]`` holds the mean theta (mV) after the last update.

Needs a LIF target (it writes the LIF threshold-offset row; validation refuses other targets through
``info["target_models"]``; the kernel also does nothing on a state without that row). Attach it to ONE
projection onto the region: two instances would both move the same thresholds.
"""
import numpy as np

from ..engine.impl import RuleImpl
from ..engine.jit import njit
from ..params import Kind, Param, fits_in_steps, register

PARAMS = (
    Param("target_hz", 5.0, "Hz", "Target firing rate of every neuron of the target region", min=0.0),
    Param("eta", 0.05, "mV", "Threshold increase per postsynaptic spike; between spikes the threshold falls by "
          "eta * target_hz per second (dtheta/dt = eta (spikes - target); accelerated: cortical intrinsic "
          "plasticity takes hours, Desai et al. 1999)", min=0.0),
    Param("update_ms", 1.0, "ms", "Interval at which the downward drift is applied", min=0.0, exclusive_min=True,
          max=1e6),
    Param("theta_min", -20.0, "mV", "Lowest threshold offset (theta < 0 lowers the threshold below v_th)"),
    Param("theta_max", 50.0, "mV", "Highest threshold offset"),
)

ETA, DRIFT, K, TMIN, TMAX = range(5)
THETA = 5  # LIF state row of the threshold offset (simcore/neurons/lif.py)


def prepare(p, dt):
    k = max(1, round(p["update_ms"] / dt))
    return np.array([p["eta"], p["eta"] * p["target_hz"] * k * dt * 1e-3, float(k), p["theta_min"],
                     max(p["theta_max"], p["theta_min"])])


@njit
def on_post(j, t, syn, rs):
    tgt = rs.tgt
    if tgt.shape[0] <= THETA:
        return
    th = tgt[THETA, j] + rs.P[ETA]
    tgt[THETA, j] = th if th < rs.P[TMAX] else rs.P[TMAX]


@njit
def step(t, syn, rs, pre_spk, n_pre, post_spk, n_post, pre_rate, post_rate):
    P = rs.P
    tgt = rs.tgt
    if (t + 1) % int(P[K]) != 0 or tgt.shape[0] <= THETA or rs.flags[2] == 0:
        return
    theta = tgt[THETA]
    drift, lo = P[DRIFT], P[TMIN]
    s = 0.0
    for j in range(theta.shape[0]):
        th = theta[j] - drift
        theta[j] = th if th > lo else lo
        s += theta[j]
    if theta.shape[0] > 0:
        rs.glob[1] = s / theta.shape[0]


IMPL = RuleImpl(prepare=prepare, on_post=on_post, step=step, writes_target=("theta",))

KIND = register(Kind(
    "rule", "intrinsic", "Intrinsic plasticity (adaptive threshold)",
    "Homeostatic adaptive threshold: each spike raises the neuron's threshold by eta, which slides back at "
    "eta * target_hz per second, so every neuron's rate converges to target_hz (dtheta/dt = eta (spikes - "
    "target); Desai et al. 1999; Triesch 2005; Diehl & Cook 2015). Changes no weight. Needs a LIF target "
    "region; attach it to any projection onto that region.",
    PARAMS,
    info={"synapses": ("excitatory", "inhibitory", "shunting", "modulatory"),
          "target_models": ("lif",),
          "applies": "adapts the threshold of each neuron of the target region (LIF only)"},
    impl=IMPL,
    needs={"target": ("spiking",)},
    constraints=(fits_in_steps("update_ms"),),
))
