"""Quantities that decay in silent neurons reach zero instead of sticking in the subnormal range,
where every operation costs some fifty times a normal one; Python's own mode is left alone."""
import numpy as np

from simcore import Circuit, Settings, Simulation, make_projection, make_region
from simcore.neurons import lif


def one_volley() -> Circuit:
    """One spike of every source neuron at t = 0, then silence: the target's excitatory input and
    the rule's presynaptic trace decay by exp(-0.1) per step (tau 1 ms) for ever after."""
    return Circuit(
        "volley", settings=Settings(0.1, 5, 1.0),
        regions=[make_region("S", "spike_train", 20, rate_hz=10.0, count=1),
                 make_region("T", "lif", 30, tau_e=1.0, v_th=100.0, v_reset=-60.0)],
        projections=[make_projection("S->T", "S", "T", connectivity=("all_to_all", {}),
                                     weights=("constant", {"value": 1.0}),
                                     rules=[("stdp_pair", {"tau_plus": 1.0, "tau_minus": 1.0})])])


def subnormal(x: np.ndarray) -> np.ndarray:
    return (x != 0.0) & (np.abs(x) < np.finfo(np.float64).tiny)


def test_decayed_inputs_and_traces_reach_zero_not_a_subnormal():
    sim = Simulation(one_volley(), seed=0, threads=1)
    sim.step(10)
    ge = sim.net.regions[1].arrays.S[lif.GE]
    trace = sim.net.rules[0].arrays.pre[0]
    assert np.all(ge > 1.0) and np.all(trace > 0.1)  # the volley arrived, the traces were set
    # 8000 steps: exp(-800) is below the smallest normal (exp(-708)); with IEEE subnormals the
    # repeated multiplication by exp(-0.1) would round to the smallest subnormal, 5e-324, for ever
    sim.step(8000)
    assert not subnormal(ge).any() and np.all(ge == 0.0)
    assert not subnormal(trace).any() and np.all(trace == 0.0)


def test_the_callers_floating_point_mode_is_given_back():
    sim = Simulation(one_volley(), seed=0, threads=1)
    sim.step(100)
    tiny = np.array([1e-310])
    assert subnormal(tiny * 0.5).all()  # numpy after the kernel still computes subnormals
