"""Cross-checks of the engine against Brian2 (same equations, same input spikes, same update order).

Order of events in one time step, here and in Brian2 (schedule groups -> thresholds -> synapses):
every neuron integrates over the step, crosses threshold and is reset, then its spikes are
delivered (``ge += w``) and act on the membrane from the next step on. Our shortest delay is one
step (0.1 ms); it is exactly Brian2's "no delay" (``delay = 0``): a spike recorded at step n in
either simulator moves the target's current at the end of step n and its potential from step
n + 1. Exact spike times from :meth:`Simulation.set_spike_times` and ``SpikeGeneratorGroup`` both
fire at step ``round(t / dt)``; both record a spike with the time of the step's start.

One offset, in the refractory period: Brian2 holds the membrane while ``timestep(t - lastspike) <
timestep(refractory)``, counted from the (start-of-step) time stamp of the spike, so it skips
``refractory / dt - 1`` updates; we (as NEST's iaf_psc_exp) skip ``t_ref / dt`` updates, counted from
the end of the spiking step where the threshold was crossed. Brian2 with ``refractory = t_ref + dt``
reproduces our spike trains step for step; the CUBA comparison keeps both at 5 ms (Brian2's example).

Brian2 runs on its numpy runtime target for the small cases (no compiler, no cache) and as a
cpp_standalone build for the CUBA network (a build of a few seconds, one for all seeds).
"""
from __future__ import annotations

import numpy as np
import pytest

b2 = pytest.importorskip("brian2")

from simcore import Simulation, load  # noqa: E402
from simcore.model import Circuit, make_projection, make_region  # noqa: E402
from tests.paths import ROOT  # noqa: E402

pytestmark = pytest.mark.peer

DT_MS = 0.1


def _circuit(regions, projections, seed=0) -> Circuit:
    c = Circuit()
    c.settings.dt_ms = DT_MS
    c.settings.seed = seed
    c.regions = list(regions)
    c.projections = list(projections)
    c.recording.raster_max_neurons = 100000
    c.recording.raster_max_spikes = 10**6
    return c


def _poisson_steps(rng, n, rate_hz, duration_s):
    """Poisson spike trains on the time grid (at most one spike per neuron and step), as
    (neuron, step) arrays sorted by step."""
    nsteps = int(round(duration_s * 1000 / DT_MS))
    hits = rng.random((nsteps, n)) < rate_hz * DT_MS * 1e-3
    hits[0] = False  # nothing at t = 0 (both simulators handle it, it only makes the start less clear)
    steps, neurons = np.nonzero(hits)
    return neurons, steps


def _b2_runtime():
    b2.start_scope()
    b2.prefs.codegen.target = "numpy"
    b2.defaultclock.dt = DT_MS * b2.ms


def _our_spike_steps(sim: Simulation, region: str) -> np.ndarray:
    k = sim.net.region_index(region)
    r = sim.raster.values()
    assert sim.raster_dropped == 0
    return np.sort(r[r[:, 2] == k, 0])


# -- a. one LIF neuron, exact integration, the same input spikes --------------------------------
LIF = dict(tau_m=20.0, e_l=-65.0, v_th=-50.0, v_reset=-65.0, t_ref=2.0, tau_e=5.0, tau_i=10.0,
           v_init_low=-65.0, v_init_high=-65.0)
N_E, N_I, W_E, W_I, RATE_E, RATE_I = 60, 20, 2.4, 1.5, 30.0, 20.0


def test_single_lif_spike_times_match_brian2():
    duration = 2.0
    rng = np.random.default_rng(7)
    ne, se = _poisson_steps(rng, N_E, RATE_E, duration)
    ni, si = _poisson_steps(rng, N_I, RATE_I, duration)

    c = _circuit([make_region("InE", "spike_train", N_E, role="excitatory", rate_hz=0.0),
                  make_region("InI", "spike_train", N_I, role="inhibitory", rate_hz=0.0),
                  make_region("N", "lif", 1, role="excitatory", **LIF)],
                 [make_projection("E", "InE", "N", "excitatory", connectivity=("all_to_all", {}),
                                  weights=("constant", {"value": W_E})),
                  make_projection("I", "InI", "N", "inhibitory", connectivity=("all_to_all", {}),
                                  weights=("constant", {"value": W_I}))])
    sim = Simulation(c)
    sim.set_spike_times("InE", ne, se * DT_MS * 1e-3)
    sim.set_spike_times("InI", ni, si * DT_MS * 1e-3)
    sim.run(duration)
    ours = _our_spike_steps(sim, "N")

    _b2_runtime()
    ms, mV = b2.ms, b2.mV
    eqs = """dv/dt = (El - v + ge - gi) / taum : volt (unless refractory)
             dge/dt = -ge / taue : volt
             dgi/dt = -gi / taui : volt"""
    ns = dict(El=LIF["e_l"] * mV, taum=LIF["tau_m"] * ms, taue=LIF["tau_e"] * ms, taui=LIF["tau_i"] * ms,
              Vt=LIF["v_th"] * mV, Vr=LIF["v_reset"] * mV, we=W_E * mV, wi=W_I * mV)
    gen = b2.SpikeGeneratorGroup(N_E + N_I, np.r_[ne, N_E + ni], np.r_[se, si] * DT_MS * ms)
    nrn = b2.NeuronGroup(1, eqs, threshold="v > Vt", reset="v = Vr", refractory=(LIF["t_ref"] + DT_MS) * ms,
                         method="exact", namespace=ns)  # see the module docstring for the + dt
    nrn.v = LIF["v_init_low"] * mV
    se_ = b2.Synapses(gen, nrn, on_pre="ge += we", namespace=ns)
    se_.connect(i=np.arange(N_E), j=0)
    si_ = b2.Synapses(gen, nrn, on_pre="gi += wi", namespace=ns)
    si_.connect(i=np.arange(N_E, N_E + N_I), j=0)
    mon = b2.SpikeMonitor(nrn)
    b2.Network(gen, nrn, se_, si_, mon).run(duration * b2.second)
    theirs = np.rint(np.asarray(mon.t / ms) / DT_MS).astype(int)

    assert 20 <= len(theirs) <= 40, len(theirs)
    print(f"single LIF: {len(ours)} spikes here, {len(theirs)} in Brian2")
    assert len(ours) == len(theirs), (ours, theirs)
    # the same step, not only within one dt: the update order is the same in both
    assert np.array_equal(ours, theirs), np.abs(ours - theirs).max()


# -- b. the Vogels-Abbott CUBA network -----------------------------------------------------------
SEEDS = (1, 2, 3, 4, 5)
CUBA_S = 2.0


def _brian2_cuba_rates(n_nets: int, duration_s: float, directory: str, seed: int = 1) -> list[float]:
    """E rates of ``n_nets`` independent copies of Brian2's CUBA example, one standalone build."""
    from brian2.devices.device import reset_device

    b2.set_device("cpp_standalone", directory=directory, build_on_run=False)
    try:
        b2.start_scope()
        b2.defaultclock.dt = DT_MS * b2.ms
        b2.seed(seed)
        ms, mV = b2.ms, b2.mV
        ns = dict(taum=20 * ms, taue=5 * ms, taui=10 * ms, Vt=-50 * mV, Vr=-60 * mV, El=-49 * mV,
                  we=60 * 0.27 / 10 * mV, wi=-20 * 4.5 / 10 * mV)
        eqs = """dv/dt = (ge + gi - (v - El)) / taum : volt (unless refractory)
                 dge/dt = -ge / taue : volt
                 dgi/dt = -gi / taui : volt"""
        # the copies are blocks of one group (one set of code objects to compile), wired within blocks
        n = 4000 * n_nets
        P = b2.NeuronGroup(n, eqs, threshold="v > Vt", reset="v = Vr", refractory=5 * ms,
                           method="exact", namespace=ns)
        P.v = "Vr + rand() * (Vt - Vr)"
        Ce = b2.Synapses(P, P, on_pre="ge += we", namespace=ns)
        Ci = b2.Synapses(P, P, on_pre="gi += wi", namespace=ns)
        block = "sample(4000 * (i // 4000), 4000 * (i // 4000) + 4000, p=0.02)"  # O(synapses), not O(n^2)
        Ce.connect(j=f"k for k in {block} if i % 4000 < 3200")
        Ci.connect(j=f"k for k in {block} if i % 4000 >= 3200")
        mon = b2.SpikeMonitor(P, record=False)
        b2.Network(P, Ce, Ci, mon).run(duration_s * b2.second)
        b2.device.build(directory=directory, compile=True, run=True)
        count = np.asarray(mon.count[:]).reshape(n_nets, 4000)
        return [float(c[:3200].sum() / 3200 / duration_s) for c in count]
    finally:
        b2.device.reinit()
        reset_device("runtime")


def test_cuba_rate_matches_brian2(tmp_path):
    circuit = load(ROOT / "circuits" / "vogels_abbott_cuba.json")
    ours = [Simulation(circuit, seed=s).run(CUBA_S)["regions"]["E"]["rate_hz"] for s in SEEDS]
    theirs = _brian2_cuba_rates(len(SEEDS), CUBA_S, str(tmp_path / "cuba"))
    m_ours, m_theirs = float(np.mean(ours)), float(np.mean(theirs))
    print(f"CUBA E rate over {len(SEEDS)} wirings: ours {m_ours:.2f} Hz {np.round(ours, 2)}, "
          f"Brian2 {m_theirs:.2f} Hz {np.round(theirs, 2)}")
    assert all(3.0 < r < 9.0 for r in ours + theirs)
    assert abs(m_ours - m_theirs) < 0.10 * m_theirs


# -- c. pair STDP onto one LIF, the same input spikes --------------------------------------------
N_IN, STDP_S = 200, 4.0
SONG = dict(tau_plus=20.0, tau_minus=20.0, lam=0.01, alpha=1.05, mu_plus=0.0, mu_minus=0.0, w_max=2.0)
POST = dict(tau_m=10.0, e_l=-70.0, v_th=-54.0, v_reset=-60.0, t_ref=0.0, tau_e=5.0, tau_i=5.0,
            v_init_low=-60.0, v_init_high=-60.0)


@pytest.mark.parametrize("pairing", ["all_to_all", "nearest"])
def test_pair_stdp_weights_match_brian2(pairing):
    rng = np.random.default_rng(11)
    n, s = _poisson_steps(rng, N_IN, 15.0, STDP_S)
    params = dict(SONG, pairing=pairing)
    c = _circuit([make_region("In", "spike_train", N_IN, role="excitatory", rate_hz=0.0),
                  make_region("N", "lif", 1, role="excitatory", **POST)],
                 [make_projection("P", "In", "N", "excitatory", connectivity=("all_to_all", {}),
                                  weights=("uniform", {"low": 0.0, "high": SONG["w_max"]}),
                                  rules=[("stdp_pair", params)])])
    sim = Simulation(c, seed=3)
    sim.set_spike_times("In", n, s * DT_MS * 1e-3)
    pre_of, _ = sim.connectivity("P")
    w0 = sim.weights("P")
    sim.run(STDP_S)
    w_ours = sim.weights("P")
    spikes_ours = _our_spike_steps(sim, "N")

    _b2_runtime()
    ms, mV = b2.ms, b2.mV
    ns = dict(El=POST["e_l"] * mV, taum=POST["tau_m"] * ms, taue=POST["tau_e"] * ms, taui=POST["tau_i"] * ms,
              Vt=POST["v_th"] * mV, Vr=POST["v_reset"] * mV, taupre=SONG["tau_plus"] * ms,
              taupost=SONG["tau_minus"] * ms, lam=SONG["lam"], alpha=SONG["alpha"], wmax=SONG["w_max"])
    # no inhibitory current: Brian2's general exact solution divides by (taui - taum)
    eqs = """dv/dt = (El - v + ge) / taum : volt (unless refractory)
             dge/dt = -ge / taue : volt"""
    gen = b2.SpikeGeneratorGroup(N_IN, n, s * DT_MS * ms)
    nrn = b2.NeuronGroup(1, eqs, threshold="v > Vt", reset="v = Vr", refractory=POST["t_ref"] * ms,
                         method="exact", namespace=ns)
    nrn.v = POST["v_init_low"] * mV
    # per-synapse traces equal the per-neuron ones here (one synapse per input neuron, one target);
    # the weight is in the LIF's unit (mV). Same order as ours: deliver with the old weight, bump the
    # presynaptic trace, depress by the postsynaptic trace; on a post spike bump y, then potentiate.
    bump_pre = "x = 1" if pairing == "nearest" else "x += 1"
    bump_post = "y = 1" if pairing == "nearest" else "y += 1"
    syn = b2.Synapses(gen, nrn, """w : 1
                                   dx/dt = -x / taupre : 1 (event-driven)
                                   dy/dt = -y / taupost : 1 (event-driven)""",
                      on_pre=f"""ge += w * mV
                                 {bump_pre}
                                 w = clip(w - alpha * lam * wmax * y, 0, wmax)""",
                      on_post=f"""{bump_post}
                                  w = clip(w + lam * wmax * x, 0, wmax)""",
                      namespace=ns)
    syn.connect(i=pre_of, j=0)
    syn.w = w0
    mon = b2.SpikeMonitor(nrn)
    b2.Network(gen, nrn, syn, mon).run(STDP_S * b2.second)
    w_theirs = np.asarray(syn.w[:])
    spikes_theirs = np.rint(np.asarray(mon.t / ms) / DT_MS).astype(int)

    diff = np.abs(w_ours - w_theirs)
    print(f"pair STDP ({pairing}): {len(spikes_ours)} post spikes here, {len(spikes_theirs)} in Brian2; "
          f"max |dw| = {diff.max() / SONG['w_max']:.2e} w_max, mean w {w_ours.mean():.4f} / {w_theirs.mean():.4f}; "
          f"moved from start: mean |w - w0| {np.abs(w_ours - w0).mean():.3f}")
    assert len(spikes_ours) > 50
    assert np.array_equal(spikes_ours, spikes_theirs)
    assert np.abs(w_ours - w0).mean() > 0.02 * SONG["w_max"]  # the rule did something
    # float32 weights here, float64 in Brian2: differences of a few float32 roundings per update
    assert diff.max() < 1e-4 * SONG["w_max"]
