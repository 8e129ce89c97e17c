"""How a Synaptica circuit maps onto NEST: one declared mapping per neuron model, rule, connectivity,
weight and delay kind, and a :func:`plan` that applies them (or refuses) before NEST is started.

Nothing here imports NEST. :func:`plan` returns a :class:`Plan` of plain data (model names, parameter
dictionaries, distributions as tuples) that ``builder`` turns into NEST calls and ``export`` into the
text of a script, so the backend and the exported script cannot drift apart.

Units. Our current-based LIF weight ``w`` (mV) jumps the synaptic variable ``g`` that enters
``tau_m dv/dt = e_l - v + g`` and decays with tau_e/tau_i, integrated with the exact propagator. NEST's
``iaf_psc_exp`` integrates ``dV/dt = (E_L - V)/tau_m + I/C_m`` exactly, with the same propagators, so
``I = g C_m / tau_m``: the NEST weight is ``w C_m / tau_m`` pA (independent of tau_syn). Conductance LIF
weights are in units of the leak conductance g_L = C_m / tau_m, so the NEST weight is ``w g_L`` nS. AdEx
weights are already in pA. Inhibitory weights are negative in NEST. Pair STDP uses the same normalised
form as ``stdp_synapse`` (w^ = w / Wmax; lambda, alpha, mu), so only Wmax is converted; triplet
amplitudes are relative to w_max in our rule and absolute in NEST; Vogels-Sprekeler's eta is a weight
step in both (converted to NEST units like the weights).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

from ...errors import CircuitError

NEST_VERSION = "3.10"  # the version the mapping was written and tested for
SCALING_CHUNK_MS = 100.0  # shortest chunk between two scaling updates (the gain update is exact in T)
C_M_PF = 250.0  # our LIF has no capacitance: NEST's default, with weights converted to match


class MappingError(CircuitError):
    """A part of the circuit has no NEST counterpart; one line naming it and why."""


# ----------------------------------------------------------------------------------------------
# neuron models: (region params, dt) -> NodeSpec fields

@dataclass
class NeuronMap:
    """How one neuron model becomes NEST nodes. ``convert`` returns (nest model, params, initial
    state distributions); ``weight_factor`` the NEST weight per unit of our weight (magnitude);
    ``source`` the generator model for sources (relayed by parrot neurons)."""

    nest_models: str
    convert: Callable[[dict, float], tuple[str, dict, dict]] | None = None
    weight_factor: Callable[[dict], float] | None = None
    source: str = ""
    input_state: Callable[[dict], tuple[str, str, float] | None] | None = None  # NEST (e, i) state, divisor
    refuse: str = ""
    note: str = ""


def _lif(p: dict, dt: float) -> tuple[str, dict, dict]:
    if p["noise_sd"] > 0:
        raise _Refuse("noise_sd > 0: our white membrane noise has no exact NEST counterpart (set it to 0)")
    g_l = C_M_PF / p["tau_m"]
    common = {"C_m": C_M_PF, "E_L": p["e_l"], "V_th": p["v_th"], "V_reset": p["v_reset"], "t_ref": p["t_ref"],
              "I_e": p["i_bias"] * g_l}
    init = {"V_m": ("uniform", p["v_init_low"], p["v_init_high"])}
    if p["synapses"] == "conductance":
        return "iaf_cond_exp", {**common, "g_L": g_l, "E_ex": p["e_e"], "E_in": p["e_i"],
                                "tau_syn_ex": p["tau_e"], "tau_syn_in": p["tau_i"]}, init
    return "iaf_psc_exp", {**common, "tau_m": p["tau_m"], "tau_syn_ex": p["tau_e"], "tau_syn_in": p["tau_i"]}, init


def _adex(p: dict, dt: float) -> tuple[str, dict, dict]:
    return "aeif_psc_exp", {"C_m": p["c_m"], "g_L": p["g_l"], "E_L": p["e_l"], "V_th": p["v_t"],
                            "Delta_T": p["delta_t"], "V_peak": p["v_peak"], "V_reset": p["v_reset"],
                            "t_ref": p["t_ref"], "a": p["a"], "b": p["b"], "tau_w": p["tau_w"],
                            "tau_syn_ex": p["tau_e"], "tau_syn_in": p["tau_i"], "I_e": p["i_bias"],
                            "V_m": p["e_l"], "w": 0.0}, {}


def _lif_input(p: dict) -> tuple[str, str, float]:
    if p["synapses"] == "conductance":
        return "g_ex", "g_in", C_M_PF / p["tau_m"]
    return None  # iaf_psc_exp does not expose its synaptic currents as state


class _Refuse(Exception):
    pass


NEURONS: dict[str, NeuronMap] = {
    "lif": NeuronMap("iaf_psc_exp (current) / iaf_cond_exp (conductance)", _lif,
                     lambda p: C_M_PF / p["tau_m"], input_state=_lif_input,
                     note="C_m = 250 pF; weight w mV -> w C_m / tau_m pA (current), w g_L nS (conductance); "
                          "initial V_m uniform in [v_init_low, v_init_high]; noise_sd > 0 refused"),
    "adex": NeuronMap("aeif_psc_exp", _adex, lambda p: 1.0, input_state=lambda p: ("I_syn_ex", "I_syn_in", 1.0),
                      note="our AdEx synapses are currents (pA), so aeif_psc_exp; aeif_cond_exp is not needed"),
    "poisson": NeuronMap("poisson_generator -> parrot_neuron", source="poisson_generator",
                         note="one generator feeds every parrot its own train; parrots make the spikes "
                              "presynaptic spikes of plastic synapses and shared by all their targets"),
    "spike_train": NeuronMap("spike_generator -> parrot_neuron", source="spike_generator",
                             note="one generator per neuron with the regular train's spike times; "
                                  "not as a target (NEST cannot impose spikes on a receiving node)"),
    "modulator": NeuronMap("volume_transmitter", source="volume_transmitter",
                           note="reward events become dopamine spikes (one per unit, tau_n = tau_ms); a "
                                "followed region's neurons drive it while the gate is open"),
    "rate": NeuronMap("-", refuse="rate units have no NEST counterpart (NEST simulates spiking point neurons)"),
    "pattern": NeuronMap("-", refuse="the frozen pattern source is drawn inside our engine; give its spikes "
                                     "as a spike train instead"),
}

# ----------------------------------------------------------------------------------------------
# connectivity, weights and delays


def _conn(kind: str, p: dict, same: bool, n_pre: int, n_post: int) -> dict:
    autapses = bool(p.get("allow_self", False)) or not same
    if kind == "all_to_all":
        return {"rule": "all_to_all", "allow_autapses": autapses}
    if kind == "one_to_one":
        return {"rule": "one_to_one"}
    if kind == "fixed_probability":
        return {"rule": "pairwise_bernoulli", "p": p["p"], "allow_autapses": autapses}
    if kind == "fixed_indegree":
        pool = n_pre if autapses else n_pre - 1
        return {"rule": "fixed_indegree", "indegree": min(int(p["k"]), pool), "allow_autapses": autapses,
                "allow_multapses": False}
    raise _Refuse(f"connectivity {kind!r} has no NEST connection rule")


CONNECTIVITY = {
    "all_to_all": "all_to_all (allow_autapses = allow_self within a region)",
    "one_to_one": "one_to_one (on the first min(n_pre, n_post) neurons of each side)",
    "fixed_probability": "pairwise_bernoulli, p (allow_autapses = allow_self within a region)",
    "fixed_indegree": "fixed_indegree, indegree = k (no multapses; allow_autapses = allow_self)",
}


def _weights(kind: str, p: dict, scale: float) -> tuple:
    """A distribution tuple, already multiplied by ``scale`` (unit factor times sign)."""
    if kind == "constant":
        return ("constant", p["value"] * scale)
    if kind == "uniform":
        return ("uniform", p["low"] * scale, p["high"] * scale)
    if kind == "clipped_normal":
        lo, hi = sorted((p["low"] * scale, p["high"] * scale))
        return ("clipped_normal", p["mean"] * scale, p["sd"] * abs(scale), lo, hi)
    if kind == "lognormal":
        if p["cv"] == 0:
            return ("constant", p["mean"] * scale)
        s2 = math.log1p(p["cv"] ** 2)
        return ("lognormal", math.log(p["mean"]) - s2 / 2, math.sqrt(s2), scale)
    raise _Refuse(f"weight initialisation {kind!r} has no NEST parameter object")


WEIGHTS = {
    "constant": "a number",
    "uniform": "nest.random.uniform(low, high)",
    "clipped_normal": "nest.math.min/max(nest.random.normal(mean, sd), low, high) (clipped, as ours)",
    "lognormal": "nest.random.lognormal(mu, sigma) with sigma^2 = log(1 + cv^2), mu = log(mean) - sigma^2/2",
}


def _delay(kind: str, p: dict, dt: float) -> tuple:
    if kind == "constant":
        return ("constant", max(p["value_ms"], dt))
    if kind == "uniform":
        return ("min_dt", ("uniform", p["low_ms"], p["high_ms"]), dt)
    raise _Refuse(f"delay {kind!r} has no NEST parameter object")


DELAYS = {"constant": "a number (at least one time step)",
          "uniform": "nest.math.max(nest.random.uniform(low, high), dt)"}

# ----------------------------------------------------------------------------------------------
# rules: (rule params, weight factor with sign) -> synapse model, per-synapse params, target neuron params


@dataclass
class RuleMap:
    """How one plasticity rule becomes a NEST synapse model.

    ``convert(params, scale)`` -> (synapse model, synapse params, target-neuron params).
    ``scaled``: synapse parameters in weight units, multiplied with the weights by synaptic scaling
    (so the rule acts on w / g exactly as our rule acts on the stored weight). ``off``: parameter values
    that stop learning while the rule is disabled. ``common``: the parameters are common to all synapses
    of the model (no per-synapse scaling). ``between_chunks``: applied by the runner, not by NEST."""

    nest_model: str
    convert: Callable[[dict, float], tuple[str, dict, dict]] | None = None
    scaled: tuple[str, ...] = ()
    off: dict = field(default_factory=dict)
    common: bool = False
    between_chunks: bool = False
    refuse: str = ""
    note: str = ""


def _stdp_pair(p: dict, s: float):
    model = "stdp_nn_symm_synapse" if p["pairing"] == "nearest" else "stdp_synapse"
    return model, {"tau_plus": p["tau_plus"], "lambda": p["lam"], "alpha": p["alpha"], "mu_plus": p["mu_plus"],
                   "mu_minus": p["mu_minus"], "Wmax": p["w_max"] * s}, {"tau_minus": p["tau_minus"]}


def _triplet(p: dict, s: float):
    a = abs(s) * p["w_max"]
    return "stdp_triplet_synapse", {"tau_plus": p["tau_plus"], "tau_plus_triplet": p["tau_x"],
                                    "Aplus": p["a2_plus"] * a, "Aplus_triplet": p["a3_plus"] * a,
                                    "Aminus": p["a2_minus"] * a, "Aminus_triplet": p["a3_minus"] * a,
                                    "Wmax": p["w_max"] * s}, \
        {"tau_minus": p["tau_minus"], "tau_minus_triplet": p["tau_y"]}


def _vogels(p: dict, s: float):
    return "vogels_sprekeler_synapse", {"tau": p["tau_ms"], "eta": p["eta"] * abs(s),
                                        "alpha": 2.0 * p["rho0_hz"] * 1e-3 * p["tau_ms"], "Wmax": p["w_max"] * s}, \
        {"tau_minus": p["tau_ms"]}


RULES: dict[str, RuleMap] = {
    "stdp_pair": RuleMap("stdp_synapse (all_to_all) / stdp_nn_symm_synapse (nearest)", _stdp_pair,
                         scaled=("Wmax",), off={"lambda": 0.0},
                         note="same normalised rule: lambda, alpha, mu_plus, mu_minus as ours; Wmax = w_max in NEST "
                              "units; tau_minus set on the target neuron"),
    "stdp_triplet": RuleMap("stdp_triplet_synapse", _triplet,
                            scaled=("Wmax", "Aplus", "Aplus_triplet", "Aminus", "Aminus_triplet"),
                            off={"Aplus": 0.0, "Aplus_triplet": 0.0, "Aminus": 0.0, "Aminus_triplet": 0.0},
                            note="A's times w_max (NEST amplitudes are absolute); tau_minus, tau_minus_triplet "
                                 "(= tau_y) on the target neuron"),
    "vogels_sprekeler": RuleMap("vogels_sprekeler_synapse", _vogels, scaled=("Wmax", "eta"), off={"eta": 0.0},
                                note="eta in NEST weight units (abs(w) += eta (y - alpha), as ours), alpha = 2 rho0 "
                                     "tau; tau_minus = tau on the target neuron"),
    "reward_stdp": RuleMap("stdp_dopamine_synapse + volume_transmitter", common=True,
                           note="A_plus, A_minus scaled so that dw/dt = eta w_max c (M - baseline); tau_n = the "
                                "modulator's tau_ms; parameters common to the synapse model"),
    "scaling": RuleMap("(between nest.Run chunks)", between_chunks=True,
                       note="rates from the spike recorder; every incoming weight of the projection onto a "
                            "neuron (and the rule's bounds) multiplied by one factor per chunk of max(update_ms, 100 ms)"),
    "stdp_multiplicative": RuleMap("-", refuse="no NEST synapse has weight-proportional potentiation "
                                               "(stdp_synapse's mu_plus = 1 is a soft bound towards Wmax)"),
    "bcm": RuleMap("-", refuse="BCM is a rate-based rule and NEST has no BCM synapse for spiking neurons"),
    "oja": RuleMap("-", refuse="Oja's rule is rate-based and NEST has no Oja synapse for spiking neurons"),
    "hebb": RuleMap("-", refuse="the rate Hebb rule has no NEST synapse model"),
    "intrinsic": RuleMap("-", refuse="NEST's point neurons have no adaptive-threshold plasticity of this form"),
    "normalization": RuleMap("-", refuse="synaptic normalization has no NEST synapse model (not emulated)"),
}

HOMEOSTASIS = {  # a region's homeostasis kind -> (NEST, notes)
    "scaling": ("(between nest.Run chunks)",
                "one sensor and one factor g per neuron from the spike recorder; every excitatory weight onto the "
                "neuron, across its projections (and their rules' bounds), multiplied by g, inhibitory ones by "
                "g^-inhibitory_exponent, per chunk of max(update_ms, 100 ms); refused on reward-modulated projections"),
}

# ----------------------------------------------------------------------------------------------
# the plan


@dataclass
class NodeSpec:
    region: str
    n: int
    kind: str
    model: str  # NEST neuron model, or "parrot_neuron" for sources, or "volume_transmitter"
    params: dict = field(default_factory=dict)
    init: dict = field(default_factory=dict)
    source: str = ""  # generator model feeding the parrots
    source_params: dict = field(default_factory=dict)
    weight_factor: float = 1.0
    input_state: tuple | None = None
    region_params: dict = field(default_factory=dict)


@dataclass
class ConnSpec:
    projection: str
    source: str
    target: str
    n_pre: int
    n_post: int
    conn: dict
    synapse_model: str
    weight: tuple
    delay: tuple
    syn_params: dict = field(default_factory=dict)
    sign: float = 1.0
    factor: float = 1.0  # NEST weight per unit of our weight (magnitude)
    rule: str = ""  # kind of the synapse-model rule ("" static)
    rule_index: int = -1
    rule_enabled: bool = True
    scaled: tuple = ()
    off: dict = field(default_factory=dict)
    scaling: list = field(default_factory=list)  # (rule index, params, enabled) of scaling rules
    volume_transmitter: str = ""  # modulator region for stdp_dopamine_synapse
    w_max: float | None = None


@dataclass
class Plan:
    name: str
    dt: float
    seed: int
    duration_s: float
    nodes: list[NodeSpec]
    conns: list[ConnSpec]
    protocol: list  # (time_s, action, target, param, value)
    modulators: dict  # region -> {"tau": ms, "follow": region, "gain": g, "gate": bool, "scale": M per n}
    homeostats: list = field(default_factory=list)  # HomeostatSpec: per-neuron scaling, between chunks

    def node(self, region: str) -> NodeSpec:
        return next(n for n in self.nodes if n.region == region)

    def homeostat(self, region: str):
        return next((h for h in self.homeostats if h.region == region), None)


@dataclass
class HomeostatSpec:
    """A region's per-neuron homeostasis (kind family ``homeostasis``): one sensor and one factor g per
    neuron, applied between chunks to every member projection as g ** exponent (1 for excitatory
    synapses, -inhibitory_exponent for inhibitory ones), with the projection's weight-unit rule
    parameters (``cs.scaled``) along."""

    region: str
    n: int
    params: dict
    enabled: bool
    members: list  # (projection name, exponent)


def _where(c, region=None, projection=None, rule=None):
    if region is not None:
        k = next(i for i, r in enumerate(c.regions) if r.name == region)
        return f"$.regions[{k}]"
    k = next(i for i, p in enumerate(c.projections) if p.name == projection)
    return f"$.projections[{k}]" + (f".rules[{rule}]" if rule is not None else "")


def plan(circuit, seed: int | None = None) -> Plan:
    """Map a circuit onto NEST or raise :class:`MappingError` (one line: what, where, why)."""
    c = circuit
    dt = c.settings.dt_ms
    nodes: dict[str, NodeSpec] = {}
    for r in c.regions:
        m = NEURONS.get(r.model)
        where = _where(c, region=r.name)
        if m is None or m.refuse:
            why = m.refuse if m else "has no NEST mapping"
            raise MappingError(where, f"model {r.model!r} of region {r.name!r}: {why}")
        spec = NodeSpec(r.name, r.size, r.model, "parrot_neuron", region_params=dict(r.params))
        if m.source == "volume_transmitter":
            spec.model = "volume_transmitter"
        elif m.source:
            spec.source = m.source
            spec.source_params = _source_params(r.model, r.params)
        else:
            try:
                spec.model, spec.params, spec.init = m.convert(r.params, dt)
            except _Refuse as err:
                raise MappingError(where, f"model {r.model!r} of region {r.name!r}: {err}") from None
            spec.weight_factor = m.weight_factor(r.params)
            spec.input_state = m.input_state(r.params) if m.input_state else None
        nodes[r.name] = spec

    conns = []
    tau_minus: dict[str, dict] = {}
    for p in c.projections:
        src, tgt = nodes[p.source], nodes[p.target]
        where = _where(c, projection=p.name)
        if tgt.source or tgt.model == "volume_transmitter":
            if tgt.model == "volume_transmitter":
                raise MappingError(where, f"projection {p.name!r}: a modulator is driven through its 'follow' "
                                          "parameter, not by a projection")
            raise MappingError(where, f"projection {p.name!r}: target {p.target!r} is a {tgt.kind} source, and "
                                      "NEST cannot impose spikes on a node that receives input")
        if src.model == "volume_transmitter":
            raise MappingError(where, f"projection {p.name!r}: a modulator acts through rules, not synapses")
        if p.synapse not in ("excitatory", "inhibitory"):
            raise MappingError(where, f"projection {p.name!r}: {p.synapse} synapses have no NEST counterpart "
                                      "(the neuron models have one excitatory and one inhibitory receptor)")
        sign = 1.0 if p.synapse == "excitatory" else -1.0
        f = tgt.weight_factor
        same = p.source == p.target
        try:
            conn = _conn(p.connectivity.kind, p.connectivity.params, same, src.n, tgt.n)
            weight = _weights(p.weights.kind, p.weights.params, sign * f)
            delay = _delay(p.delay.kind, p.delay.params, dt)
        except _Refuse as err:
            raise MappingError(where, f"projection {p.name!r}: {err}") from None
        cs = ConnSpec(p.name, p.source, p.target, src.n, tgt.n, conn, "static_synapse", weight, delay,
                      sign=sign, factor=f)
        for i, rule in enumerate(p.rules):
            rw = _where(c, projection=p.name, rule=i)
            m = RULES.get(rule.kind)
            if m is None or m.refuse:
                why = m.refuse if m else "has no NEST mapping"
                raise MappingError(rw, f"rule {rule.kind!r} on projection {p.name!r}: {why}")
            if m.between_chunks:
                if p.synapse != "excitatory":
                    raise MappingError(rw, f"rule {rule.kind!r} on projection {p.name!r}: scaling applies to "
                                           "excitatory synapses")
                cs.scaling.append((i, dict(rule.params), rule.enabled))
                continue
            if cs.rule:
                raise MappingError(rw, f"rule {rule.kind!r} on projection {p.name!r}: NEST synapses carry one "
                                       f"plasticity rule and this projection already has {cs.rule!r}")
            cs.rule, cs.rule_index, cs.rule_enabled = rule.kind, i, rule.enabled
            cs.w_max = rule.params.get("w_max")
            if rule.kind == "reward_stdp":
                neuron = _reward(c, cs, rule.params, nodes, rw)
            else:
                cs.synapse_model, cs.syn_params, neuron = m.convert(rule.params, sign * f)
            cs.scaled, cs.off = m.scaled, dict(m.off)
            for k, v in neuron.items():  # trace time constants live on the target neuron in NEST
                have = tau_minus.setdefault(p.target, {})
                if k in have and have[k] != v:
                    raise MappingError(rw, f"rule {rule.kind!r} on projection {p.name!r}: {k} = {v} differs from "
                                           f"{have[k]} of another rule onto {p.target!r}; NEST keeps one per neuron")
                have[k] = v
                tgt.params[k] = v
        if cs.scaling and cs.rule and RULES[cs.rule].common:
            raise MappingError(_where(c, projection=p.name, rule=cs.scaling[0][0]),
                               f"rule 'scaling' on projection {p.name!r}: {cs.rule}'s bounds and amplitudes are "
                               "common to all its NEST synapses, so one factor per neuron cannot be applied")
        if cs.rule and src.model == "volume_transmitter":
            raise MappingError(where, f"projection {p.name!r}: plastic synapses need a spiking source")
        conns.append(cs)

    mods = {}
    for r in c.regions:
        if nodes[r.name].model != "volume_transmitter":
            continue
        pr = r.params
        where = _where(c, region=r.name)
        if pr["baseline"] != 0:
            raise MappingError(where, f"model 'modulator' of region {r.name!r}: baseline {pr['baseline']:g} != 0; "
                                      "NEST's dopamine level has no constant offset")
        follow = pr["follow"]
        if follow:
            n = nodes[follow].n
            scale = 1000.0 * pr["follow_gain"] / n  # level M per unit of NEST's dopamine concentration n
        else:
            scale = pr["tau_ms"]
        mods[r.name] = {"tau": pr["tau_ms"], "follow": follow, "gain": pr["follow_gain"], "gate": bool(pr["gate"]),
                        "scale": scale}
    for cs in conns:
        if cs.rule == "reward_stdp":
            m = mods[cs.volume_transmitter]
            k = cs.factor * cs.syn_params.pop("_eta") * 1e-3 * cs.w_max * m["scale"]
            cs.syn_params.update({"A_plus": cs.syn_params["A_plus"] * k, "A_minus": cs.syn_params["A_minus"] * k,
                                  "b": cs.syn_params["b"] / m["scale"], "tau_n": m["tau"]})

    protocol = []
    for i, e in enumerate(sorted(c.protocol, key=lambda e: e.time_s)):
        if e.action == "reward":
            m = mods.get(e.target)
            if m is not None and m["follow"]:
                raise MappingError(f"$.protocol[{i}]", f"reward to {e.target!r}: a modulator that follows a "
                                                       "region takes no reward pulses in NEST")
            if float(e.value) != round(float(e.value)) or e.value < 0:
                raise MappingError(f"$.protocol[{i}]", f"reward {e.value:g} to {e.target!r}: NEST delivers "
                                                       "dopamine as whole spikes (use whole amounts)")
        protocol.append((e.time_s, e.action, e.target, e.param, e.value))
    homeostats = [_homeostat(c, r, conns) for r in c.regions if getattr(r, "homeostasis", None) is not None]
    return Plan(c.name, dt, c.settings.seed if seed is None else int(seed), c.settings.duration_s,
                list(nodes.values()), conns, protocol, mods, [h for h in homeostats if h.members])


def _homeostat(c, r, conns) -> HomeostatSpec:
    """The NEST side of a region's per-neuron homeostasis: which projections it scales (capability of
    the kind: its ``exponent``), refused where NEST's synapse parameters are common to the model."""
    from ...params import kind

    h = r.homeostasis
    where = _where(c, region=r.name) + ".homeostasis"
    k = kind("homeostasis", h.kind)
    if "exponent" not in k.info:
        raise MappingError(where, f"region {r.name!r}: homeostasis {h.kind!r} has no NEST mapping")
    members = []
    for cs in conns:
        p = c.projection(cs.projection)
        if cs.target != r.name or (h.projections and p.name not in h.projections):
            continue
        e = k.info["exponent"](p.synapse, h.params)
        if e is None:
            continue
        if cs.rule and RULES[cs.rule].common:
            raise MappingError(where, f"region {r.name!r}: per-neuron homeostasis scales projection {p.name!r}, "
                                      f"whose {cs.rule} bounds and amplitudes are common to all its NEST synapses, "
                                      "so one factor per neuron cannot be applied")
        members.append((p.name, float(e)))
    n = next(x.size for x in c.regions if x.name == r.name)
    return HomeostatSpec(r.name, n, dict(h.params), bool(h.enabled), members)


def _reward(c, cs: ConnSpec, p: dict, nodes, where) -> dict:
    mod = p["modulator"]
    if not mod or mod not in nodes or nodes[mod].model != "volume_transmitter":
        raise MappingError(where, f"rule 'reward_stdp' on projection {cs.projection!r}: needs a modulator region "
                                  "to drive NEST's volume transmitter")
    cs.synapse_model = "stdp_dopamine_synapse"
    cs.volume_transmitter = mod
    cs.syn_params = {"A_plus": p["a_plus"], "A_minus": p["a_minus"], "tau_plus": p["tau_plus"], "tau_c": p["tau_c"],
                     "Wmin": 0.0, "Wmax": p["w_max"] * cs.factor, "b": p["baseline"], "_eta": p["eta"]}
    if cs.sign < 0:
        raise MappingError(where, f"rule 'reward_stdp' on projection {cs.projection!r}: stdp_dopamine_synapse "
                                  "takes only positive (excitatory) weights")
    return {"tau_minus": p["tau_minus"]}


def _source_params(model: str, p: dict) -> dict:
    if model == "poisson":
        return {"rate": p["rate_hz"]}
    return {"rate_hz": p["rate_hz"], "offset_ms": p["offset_ms"], "stagger_ms": p["stagger_ms"], "count": p["count"]}


def spike_train_times(p: dict, n: int, t0_ms: float, t1_ms: float, dt: float) -> list[list[float]]:
    """Spike times in [t0, t1) of every neuron of a regular spike train, on the time grid.

    Our engine fires spike k at the step nearest to first + k period (step t -> time t dt, and a spike
    emitted in step t is delivered one delay later); NEST's spike_generator emits at the given times."""
    out = []
    rate = p["rate_hz"]
    for i in range(n):
        if rate <= 0:
            out.append([])
            continue
        first = (p["offset_ms"] + p["stagger_ms"] * i) / dt
        period = 1000.0 / rate / dt
        k0 = max(0, math.ceil((t0_ms / dt - first) / period - 1))
        ts = []
        k = k0
        while True:
            if p["count"] and k >= p["count"]:
                break
            step = math.floor(first + k * period + 0.5)
            t = (step + 1) * dt  # the step's end: NEST needs times > 0 on the grid
            if t >= t1_ms:
                break
            if t >= t0_ms:
                ts.append(round(t, 10))
            k += 1
        out.append(ts)
    return out


def mapping_table() -> str:
    """The mapping as Markdown tables (docs/nest.md includes this text)."""
    rows = ["| Synaptica neuron model | NEST | notes |", "|---|---|---|"]
    rows += [f"| `{k}` | {m.nest_models if not m.refuse else 'refused'} | {m.refuse or m.note} |"
             for k, m in NEURONS.items()]
    rows += ["", "| Synaptica rule | NEST | notes |", "|---|---|---|"]
    rows += [f"| `{k}` | {m.nest_model if not m.refuse else 'refused'} | {m.refuse or m.note} |"
             for k, m in RULES.items()]
    rows += [f"| homeostasis `{k}` (of a region) | {v[0]} | {v[1]} |" for k, v in HOMEOSTASIS.items()]
    rows += ["", "| connectivity | NEST |", "|---|---|"] + [f"| `{k}` | {v} |" for k, v in CONNECTIVITY.items()]
    rows += ["", "| weights | NEST |", "|---|---|"] + [f"| `{k}` | {v} |" for k, v in WEIGHTS.items()]
    rows += ["", "| delay | NEST |", "|---|---|"] + [f"| `{k}` | {v} |" for k, v in DELAYS.items()]
    return "\n".join(rows) + "\n"
