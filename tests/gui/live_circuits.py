"""Circuits for the live-view tests and the GUI benchmark."""
import simcore
from simcore import make_projection as P
from simcore import make_region as R


def plastic_demo(n_input=500, n_e=800, n_i=200, p=0.1, seed=0) -> simcore.Circuit:
    """Poisson input -> E with pair STDP (+ synaptic scaling when available), E/I loop with inhibitory
    plasticity, and a dopamine-like modulator: every live control has something to act on."""
    c = simcore.Circuit(name="live_demo", title="Live demo: STDP + scaling")
    c.settings.seed = seed
    c.regions = [R("Input", "poisson", n_input, rate_hz=15.0), R("E", "lif", n_e), R("I", "lif", n_i, role="inhibitory"),
                 R("DA", "modulator", 1)]
    rules = [("stdp_pair", {"w_max": 5.0, "lam": 0.002})]
    if "scaling" in simcore.kinds("rule"):
        rules.append(("scaling", {"target_hz": 8.0, "beta": 0.05}))
    inh = [("vogels_sprekeler", {})] if "vogels_sprekeler" in simcore.kinds("rule") else []
    c.projections = [P("Input->E", "Input", "E", connectivity=("fixed_probability", {"p": p}),
                       weights=("uniform", {"low": 0.0, "high": 5.0}), rules=rules),
                     P("E->I", "E", "I", connectivity=("fixed_probability", {"p": p}), weights=("constant", {"value": 3.0})),
                     P("I->E", "I", "E", "inhibitory", connectivity=("fixed_probability", {"p": p}),
                       weights=("constant", {"value": 1.0}), rules=inh)]
    c.layout = {"Input": [-300.0, 0.0], "E": [0.0, 0.0], "I": [300.0, 0.0], "DA": [0.0, -200.0]}
    return c


def big_stdp(n=20000, synapses=2_000_000, seed=0) -> simcore.Circuit:
    """A 20k-neuron / ~2M-synapse CUBA-like balanced network with STDP (and scaling) on E->E."""
    n_e, n_i = int(n * 0.8), n - int(n * 0.8)
    p = synapses / float(n * n)
    k_in = p * n  # inputs per neuron; CUBA has 80 at 1.62 / 9 mV
    scale = 80.0 / k_in
    lif = dict(e_l=-49.0, v_reset=-60.0, tau_i=10.0)
    c = simcore.Circuit(name="big_stdp", title=f"{n} neurons, {synapses / 1e6:.0f}M synapses, STDP")
    c.settings.seed = seed
    c.regions = [R("E", "lif", n_e, **lif), R("I", "lif", n_i, role="inhibitory", **lif)]
    rules = [("stdp_pair", {"w_max": 4.0 * scale, "lam": 0.001})]
    if "scaling" in simcore.kinds("rule"):
        rules.append(("scaling", {"target_hz": 5.0}))
    conn = ("fixed_probability", {"p": p, "allow_self": True})
    c.projections = [P("E->E", "E", "E", connectivity=conn, weights=("constant", {"value": 1.62 * scale}), rules=rules),
                     P("E->I", "E", "I", connectivity=conn, weights=("constant", {"value": 1.62 * scale})),
                     P("I->E", "I", "E", "inhibitory", connectivity=conn, weights=("constant", {"value": 9.0 * scale})),
                     P("I->I", "I", "I", "inhibitory", connectivity=conn, weights=("constant", {"value": 9.0 * scale}))]
    c.layout = {"E": [0.0, 0.0], "I": [300.0, 0.0]}
    return c
