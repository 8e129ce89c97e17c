"""Optional state rows: the LIF update reads its threshold offset (theta) only when a rule onto the
region declares it writes it (RuleImpl.writes_target), and gets the same result either way while
theta is 0. Leaving the row unread took a third off the update at 256k neurons."""
import numpy as np
import pytest

from simcore import Circuit, Settings, Simulation, make_projection, make_region
from simcore.engine.build import region_params, written_rows
from simcore.neurons import lif


def circuit(rules=(), synapses="current", homeostasis=None, delay_ms=0.1):
    regions = [make_region("In", "poisson", 400, rate_hz=20.0),
               make_region("E", "lif", 300, synapses=synapses, i_bias=5.0), make_region("F", "lif", 30)]
    c = Circuit("opt", settings=Settings(0.1, 0, 1.0), regions=regions,
                projections=[make_projection("InE", "In", "E", connectivity=("fixed_indegree", {"k": 40}),
                                             weights=("constant", {"value": 1.5 if synapses == "current" else 0.08}),
                                             delay=("constant", {"value_ms": delay_ms}), rules=list(rules)),
                             make_projection("EF", "E", "F", connectivity=("fixed_indegree", {"k": 20}),
                                             weights=("constant", {"value": 1.0}))])
    if homeostasis:
        c.region("E").homeostasis = homeostasis
    return c


def flag(sim, region):
    rb = sim.net.regions[sim.net.region_index(region)]
    return rb.arrays.P[lif.THETA_USED]


def test_the_flag_is_set_only_for_a_region_whose_theta_a_rule_writes():
    sim = Simulation(circuit(rules=[("intrinsic", {"target_hz": 5.0})]), seed=0)
    assert flag(sim, "E") == 1.0 and flag(sim, "F") == 0.0
    assert flag(Simulation(circuit(rules=[("stdp_pair", {})]), seed=0), "E") == 0.0
    assert written_rows(circuit(rules=[("intrinsic", {})])) == {"In": set(), "E": {"theta"}, "F": set()}


def test_a_disabled_rule_still_sets_the_flag_and_a_live_change_keeps_it():
    """A rule can be enabled live, and set() recomputes the parameters: the flag must survive both."""
    c = circuit(rules=[("intrinsic", {"target_hz": 5.0})])
    c.projection("InE").rules[0].enabled = False
    sim = Simulation(c, seed=0)
    assert flag(sim, "E") == 1.0
    sim.set("E.tau_m", 15.0)
    assert flag(sim, "E") == 1.0 and sim.net.regions[1].arrays.P[0] == pytest.approx(np.exp(-0.1 / 15.0))


def test_region_params_appends_one_flag_per_optional_row():
    p = {q.name: q.default for q in lif.PARAMS}
    base = lif.prepare(p, 0.1)
    P = region_params(lif.IMPL, p, 0.1, {"theta"})
    assert np.array_equal(P[:len(base)], base) and list(P[len(base):]) == [1.0] and len(base) == lif.THETA_USED
    assert list(region_params(lif.IMPL, p, 0.1, set())[len(base):]) == [0.0]


@pytest.mark.parametrize("synapses, delay_ms", [("current", 0.1), ("conductance", 0.1), ("current", 1.0),
                                                 ("conductance", 1.0)])
def test_the_unread_row_gives_the_same_run_while_theta_is_zero(synapses, delay_ms):
    """The flag forced on (theta read) and off (theta not read): bit-identical spikes and state."""
    runs = []
    for used in (0.0, 1.0):
        sim = Simulation(circuit(synapses=synapses, delay_ms=delay_ms), seed=3, threads=1)
        sim.net.regions[1].arrays.P[lif.THETA_USED] = used
        sim.run(0.3)
        runs.append((sim.raster.values().copy(), sim.net.regions[1].arrays.S.copy()))
    assert len(runs[0][0]) > 200
    assert np.array_equal(runs[0][0], runs[1][0]) and np.array_equal(runs[0][1], runs[1][1])


@pytest.mark.parametrize("synapses", ["current", "conductance"])
def test_theta_is_read_exactly_when_the_flag_says_so(synapses):
    """A threshold offset of 1000 mV silences the region when theta is read, and changes nothing
    when it is not: proof that the fast update leaves the row alone (and honours it when told)."""
    rates = {}
    for used in (0.0, 1.0):
        sim = Simulation(circuit(synapses=synapses), seed=3, threads=1)
        E = sim.net.regions[1]
        E.arrays.S[lif.THETA] = 1000.0
        E.arrays.P[lif.THETA_USED] = used
        rates[used] = sim.run(0.3)["regions"]["E"]["rate_hz"]
    assert rates[0.0] > 5.0 and rates[1.0] == 0.0
