"""Pair-based STDP (Song, Miller & Abbott 2000; Guetig et al. 2003; NEST stdp_synapse)."""
from ..params import Kind, Param, register

PARAMS = (
    Param("tau_plus", 20.0, "ms", "Time constant of the presynaptic trace (potentiation window)",
          min=0.0, exclusive_min=True),
    Param("tau_minus", 20.0, "ms", "Time constant of the postsynaptic trace (depression window)",
          min=0.0, exclusive_min=True),
    Param("lam", 0.01, "", "Learning rate lambda (step relative to w_max)", min=0.0, max=1.0),
    Param("alpha", 1.05, "", "Depression / potentiation ratio", min=0.0),
    Param("mu_plus", 0.0, "", "Weight dependence of potentiation: 0 additive, 1 multiplicative", min=0.0, max=1.0),
    Param("mu_minus", 0.0, "", "Weight dependence of depression: 0 additive, 1 multiplicative", min=0.0, max=1.0),
    Param("w_max", 1.0, "w", "Upper weight bound (hard bound of the rule)", min=0.0, exclusive_min=True),
    Param("pairing", "all_to_all", "", "Which spike pairs count: all pairs, or only nearest neighbours",
          type="choice", choices=("all_to_all", "nearest")),
)

KIND = register(Kind(
    "rule", "stdp_pair", "Pair STDP",
    "Spike-timing-dependent plasticity from pre/post spike pairs. On a post spike "
    "w <- w_max min(1, w^ + lam (1 - w^)^mu_plus x); on a pre spike w <- w_max max(0, w^ - alpha lam "
    "w^^mu_minus y), w^ = w / w_max (Song et al. 2000; Guetig et al. 2003). mu = 0 (additive, hard bounds) "
    "gives a bimodal weight distribution, mu = 1 (multiplicative) a unimodal one.",
    PARAMS,
    info={"synapses": ("excitatory", "inhibitory", "shunting"), "needs": "spiking"},
))
