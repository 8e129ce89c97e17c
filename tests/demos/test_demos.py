"""Every demonstration circuit in circuits/demos/ shows its claim: a headless run of settings.duration_s
passes every claim of its ``expect`` block, plus demo-specific checks of what the teacher is told to watch."""
from __future__ import annotations

import math
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import simcore
import simcore.engine.stats
from simcore.engine.expect import evaluate, io_points, measure
from simcore.engine.simulation import Simulation
from simcore.fork import evaluate as evaluate_branches, run_branches

ROOT = Path(__file__).resolve().parents[2]
DEMOS = ROOT / "circuits" / "demos"
PLOTS = {"rates", "raster", "histogram", "relative_weighting", "weight_stats", "ei_balance", "voltage", "tracked",
         "io_curve", "ab"}
WALL_BUDGET_S = 60.0  # generous for slow CI machines; each demo runs in well under 25 s here

_runs: dict[str, tuple] = {}
_branches: dict[str, dict] = {}


def run_demo(name: str):
    """One headless run per demo per session (the claims and the extra checks share it): (circuit,
    branch A, its summary, wall time); a demo with a fork runs branch B too (:func:`branches`)."""
    if name not in _runs:
        c = simcore.load(DEMOS / f"{name}.json")
        sim = Simulation(c)
        sim.compile()
        t0 = time.perf_counter()
        sims = run_branches(c, sim_a=sim)
        _runs[name] = (c, sim, sim.summary(), time.perf_counter() - t0)
        _branches[name] = sims
    return _runs[name]


def branches(name: str) -> dict:
    run_demo(name)
    return _branches[name]


def _names():
    return sorted(p.stem for p in DEMOS.glob("*.json"))


def test_demo_files_are_canonical_and_complete():
    names = _names()
    assert names, "no demos"
    for name in names:
        path = DEMOS / f"{name}.json"
        c = simcore.load(path)
        assert path.read_text(encoding="utf-8") == simcore.dumps(c), name
        assert c.title and c.description and c.protocol and c.expect, name
        assert 100 < len(c.description) < 900, name
        assert set(c.layout) == {r.name for r in c.regions}, name
        assert set(c.view) - {"io_curve"} == {"plots", "focus", "explanation"}, name
        if "io_curve" in c.view:  # the input-output plot's curves: two regions, phases inside the run
            io = c.view["io_curve"]
            assert {io["input"], io["target"]} <= {r.name for r in c.regions}, name
            assert all(0 <= ph["from_s"] < ph["to_s"] <= c.settings.duration_s and ph["label"]
                       for ph in io["phases"]), name
        assert set(c.view["plots"]) <= PLOTS and c.view["plots"], name
        assert c.view["focus"] in {p.name for p in c.projections}, name
        assert c.view["explanation"].strip(), name
        # a clean left-to-right picture: modulators above the rest
        mods = [r.name for r in c.regions if r.role == "modulatory"]
        others = [r.name for r in c.regions if r.role != "modulatory"]
        if mods:
            assert max(c.layout[m][1] for m in mods) <= min(c.layout[o][1] for o in others), name


@pytest.mark.slow
@pytest.mark.parametrize("name", _names())
def test_demo_claims_hold(name):
    c, sim, summary, wall = run_demo(name)
    results = evaluate_branches(c, branches(name))
    failed = [line for ok, line in results if not ok]
    assert not failed, "\n".join(failed)
    assert wall < WALL_BUDGET_S, wall


# -- demo-specific checks --------------------------------------------------------------------------

def _claim(c, metric, target, from_s=None, to_s=None):
    return next(e for e in c.expect if (e.metric, e.target, e.from_s, e.to_s) == (metric, target, from_s, to_s))


@pytest.mark.slow
def test_scaling_every_neuron_keeps_its_ratios_exactly():
    c, sim, _, _ = run_demo("scaling_preserves_relative_weights")
    p = sim.net.projections[0]
    w, w0 = sim.weights(p.name), p.w0
    _, post = sim.connectivity(p.name)
    factors = []
    for j in np.unique(post):
        r = w[post == j] / w0[post == j]
        assert r.max() / r.min() - 1.0 < 1e-9  # one factor per neuron
        factors.append(r.mean())
    assert min(factors) > 1.3  # every neuron was scaled up after the input was halved
    assert any("Input.rate_hz" in text for _, text in sim.fired)


@pytest.mark.slow
def test_run_check_prints_pass_for_every_claim():
    path = DEMOS / "scaling_preserves_relative_weights.json"
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "run", str(path), "--check", "--quiet"],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith(("PASS", "FAIL"))]
    assert out.returncode == 0, out.stdout + out.stderr
    assert len(lines) == len(simcore.load(path).expect) and all(ln.startswith("PASS") for ln in lines)


def test_runaway_demo_is_one_circuit_forked_with_homeostasis_as_the_only_change():
    c = simcore.load(DEMOS / "runaway_without_homeostasis.json")
    spiking = [r for r in c.regions if r.model != "poisson"]
    assert len(spiking) == 1 and len(c.projections) == 2  # one copy of the circuit, not two
    assert c.fork is not None and 0 < c.fork.time_s < c.settings.duration_s
    assert [(ch.target, ch.param, ch.value) for ch in c.fork.changes] == [("E", "homeostasis.enabled", True)]
    assert spiking[0].homeostasis is not None and not spiking[0].homeostasis.enabled  # A: STDP only
    assert {e.branch for e in c.expect} == {"", "B"}  # claims on both branches


@pytest.mark.slow
def test_runaway_same_stdp_in_both_but_only_a_explodes():
    c, sim, _, _ = run_demo("runaway_without_homeostasis")
    a, b = branches("runaway_without_homeostasis")["A"], branches("runaway_without_homeostasis")["B"]
    start = measure(a, "rate_hz", "E", 0.0, 2.0)
    assert measure(a, "rate_hz", "E", 16.0, 24.0) > 5 * start
    # before the fork the branches are one run: the same rate bins, bit for bit
    ra, rb = a.rates.values(), b.rates.values()
    before = ra[:, 0] <= c.fork.time_s + 1e-9
    assert before.sum() >= 190 and np.array_equal(ra[before], rb[before])
    assert not np.array_equal(ra[~before], rb[~before])
    # B's STDP is not idle: its stored recurrent weights moved (order reshuffled), only the rate is held
    p = b.net.projections[b.projection_names.index("E->E")]
    assert simcore.engine.stats.spearman(p.w0, p.arrays.W.astype(float)) < 0.95
    assert measure(b, "rate_hz", "E", 14.0, 24.0) < 0.1 * measure(a, "rate_hz", "E", 14.0, 24.0)
    # B equals an independent run that switches scaling on at the fork time
    solo = Simulation(c)
    solo.run(c.fork.time_s)
    solo.set("E.homeostasis.enabled", True)
    solo.run(c.settings.duration_s - c.fork.time_s)
    assert np.array_equal(solo.weights("E->E"), b.weights("E->E"))


@pytest.mark.slow
def test_targeted_only_rewarded_pairings_change_stored_weights():
    c, sim, _, _ = run_demo("targeted_strengthening")
    cue, bg = sim.net.projections
    # the two scaling rules see the same neurons: one common factor per neuron for both inputs
    assert np.array_equal(cue.arrays.gain, bg.arrays.gain)
    assert np.array_equal(bg.arrays.W, bg.w0.astype(np.float32))  # background: only the gain moved
    early = Simulation(c)
    early.run(6.0)  # cues paired with spikes, but no reward yet: stored weights unchanged bit for bit
    assert np.all(early.net.projections[0].arrays.W == np.float32(0.75))
    assert early.net.rules[0].arrays.glob[0] == 0.0


@pytest.mark.slow
def test_inhibitory_balance_inhibition_follows_excitation():
    c, sim, _, _ = run_demo("inhibitory_balance")
    e1, i1 = measure(sim, "e_input", "E", 14.0, 20.0), measure(sim, "i_input", "E", 14.0, 20.0)
    e2, i2 = measure(sim, "e_input", "E", 34.0, 40.0), measure(sim, "i_input", "E", 34.0, 40.0)
    assert e2 > e1 and i2 > i1 and (i2 - i1) / i1 > (e2 - e1) / e1  # inhibition rose at least as much
    w = sim.weights("I->E")
    assert w.min() >= 0.0 and w.max() <= 10.0
    assert abs(measure(sim, "rate_hz", "E", 14.0, 20.0) - 5.0) < 1.5  # rho0 + the rule's ~1 Hz offset


@pytest.mark.slow
def test_topdown_closed_gate_leaves_every_weight_bit_for_bit():
    c, sim, _, _ = run_demo("topdown_gating")
    closed = Simulation(c)
    closed.run(9.99)
    assert closed.summary()["regions"]["PFC gate"]["level"] == 0.0
    for p in closed.net.projections:
        assert np.array_equal(p.arrays.W, p.w0.astype(np.float32)), p.name
    assert all(rb.arrays.glob[0] == 0.0 for rb in closed.net.rules)
    # open: the attended synapses grew, each of them
    att = sim.net.projections[0]
    assert (att.arrays.W > att.w0).mean() > 0.9


@pytest.mark.slow
def test_sliding_set_point_keeps_the_first_pattern_and_never_runs_away():
    c, sim, _, _ = run_demo("sliding_set_point")
    first = Simulation(c)
    first.run(20.0)
    learned = first.weights("A->Sliding")
    assert learned.mean() > 4 * first.net.projections[0].w0.mean()
    assert np.allclose(sim.weights("A->Sliding"), learned, rtol=1e-3)  # phase B left A's synapses alone
    r = sim.rates.values()
    col = 1 + [x.name for x in sim.net.regions].index("Sliding threshold")
    assert r[:, col].max() < 15.0  # the sliding threshold never let it overshoot


@pytest.mark.slow
def test_pattern_group_wins_although_both_groups_fire_at_the_same_rate():
    c, sim, summary, _ = run_demo("pattern_detection")
    rp = summary["regions"]["Pattern afferents"]["rate_hz"]
    rn = summary["regions"]["Noise afferents"]["rate_hz"]
    assert abs(rp - rn) < 0.1 * rn  # the rates give nothing away
    assert sim.net.regions[0].arrays.S[1, 2] > 200  # hundreds of pattern presentations
    wp, wn = sim.weights("Pattern->Neurons").mean(), sim.weights("Noise->Neurons").mean()
    assert wp > 1.5 * wn


@pytest.mark.slow
def test_skewed_distribution_keeps_its_lognormal_shape_while_synapses_move():
    c, sim, _, _ = run_demo("skewed_distributions")
    p = sim.net.projections[0]
    w0, w = p.w0, sim.weights(p.name)
    assert w.min() > 0.0
    # the shape: log w is still Gaussian (Kolmogorov-Smirnov distance and excess kurtosis near 0)
    z = np.sort((np.log(w) - np.log(w).mean()) / np.log(w).std())
    cdf = 0.5 * (1.0 + np.vectorize(math.erf)(z / math.sqrt(2.0)))
    n = len(z)
    assert max((np.arange(1, n + 1) / n - cdf).max(), (cdf - np.arange(n) / n).max()) < 0.04
    assert abs((z ** 4).mean() - 3.0) < 0.5
    # the synapses: relative changes hardly depend on the initial size (multiplicative), and they reshuffle
    dlog = np.log(w / w0)
    weak = w0 < np.median(w0)
    assert abs(dlog[weak].mean() - dlog[~weak].mean()) < 0.5 * dlog.std()
    top0, top1 = w0 >= np.quantile(w0, 0.9), w >= np.quantile(w, 0.9)
    assert (top0 & top1).sum() / top0.sum() < 0.8  # a fifth or more of the strongest synapses were overtaken
    assert (w[weak] > 2.0 * w0[weak]).mean() > 0.005  # and some weak ones more than doubled


# -- the three demonstrations of inhibition's two roles and of learning without erasing ---------------
# Each also runs once with its mechanism removed: at least one of its claims must then fail.

def _failed_notes(c, sim) -> list[str]:
    return [line for ok, line in evaluate(c, sim) if not ok]


def _run_modified(c) -> Simulation:
    sim = Simulation(c)
    sim.run(c.settings.duration_s)
    return sim


@pytest.mark.slow
def test_inhibition_sets_gain_subtracts_or_divides_the_curve():
    c, sim, _, _ = run_demo("inhibition_sets_gain")
    phases = [(ph["from_s"], ph["to_s"]) for ph in c.view["io_curve"]["phases"]]
    none, sub, shunt = (io_points(sim, "Neurons", "Stimulus", a, b) for a, b in phases)
    assert len(none) == len(sub) == len(shunt) == 9  # one point per stimulus step, each sweep alike
    assert np.allclose(none[:, 0], sub[:, 0], atol=0.2) and np.allclose(none[:, 0], shunt[:, 0], atol=0.2)
    above = none[:, 1] > 5.0
    # shunting: every responding point is divided by about the same factor (~2), none is shifted
    factors = none[above, 1] / shunt[above, 1]
    assert factors.min() > 1.6 and factors.max() / factors.min() < 1.3
    # subtractive: the curve is the same curve moved right: above threshold, the same rise per step
    high = sub[:, 1] > 5.0
    assert np.allclose(np.diff(sub[high, 1]), np.diff(none[high, 1]), rtol=0.2)


@pytest.mark.slow
def test_inhibition_sets_gain_claims_fail_without_inhibition():
    c = simcore.load(DEMOS / "inhibition_sets_gain.json")
    c.projections = [p for p in c.projections if p.synapse == "excitatory"]
    failed = _failed_notes(c, _run_modified(c))
    assert any("subtractive: the threshold moves up" in f for f in failed), failed
    assert any("shunting: slope falls" in f for f in failed), failed


@pytest.mark.slow
def test_inhibition_gates_plasticity_synapse_by_synapse():
    c, sim, _, _ = run_demo("inhibition_gates_plasticity")
    gated = Simulation(c)
    gated.run(10.0)  # interneurons active: not one of Group A's synapses potentiated, most of B's did
    a0, b0 = c.projection("A->Neurons").weights.params["value"], c.projection("B->Neurons").weights.params["value"]
    assert gated.weights("A->Neurons").max() < 1.02 * a0
    assert (gated.weights("B->Neurons") > 1.2 * b0).mean() > 0.9
    assert measure(gated, "rate_hz", "Neurons", 0.0, 10.0) > 2.0  # the neurons do fire (after Group B, background)
    assert (sim.weights("A->Neurons") > 1.2 * a0).mean() > 0.9  # blocked from 10 s: A's synapses grew, each of them


@pytest.mark.slow
def test_inhibition_gates_plasticity_claims_fail_with_interneurons_blocked_from_the_start():
    c = simcore.load(DEMOS / "inhibition_gates_plasticity.json")
    for e in c.protocol:
        if e.action == "block":
            e.time_s = 0.0
    failed = _failed_notes(c, _run_modified(c))
    assert any("Group A's synapses do not potentiate" in f for f in failed), failed


@pytest.mark.slow
def test_learning_without_erasing_homeostasis_holds_the_rate_and_scales_every_synapse_alike():
    c, sim, _, _ = run_demo("learning_without_erasing")
    # scaling turned every input of the first copy down (while STDP raised A's and B's stored weights);
    # the copy without it ends with every synapse near the bound
    for group in ("A", "B", "Background"):
        assert sim.weights(f"{group}->H").mean() < 1.5 * 0.8, group
        assert (sim.weights(f"{group}->N") > 0.9 * 4.0).mean() > 0.9, group
    assert measure(sim, "rate_hz", "Without homeostasis", 15.0, 19.0) > 5 * measure(sim, "rate_hz",
                                                                                      "With homeostasis", 15.0, 19.0)
    # A's advantage survives phase B in rank too: onto each neuron, A's synapses still outrank the
    # background's, and A's own synapses keep their order from the end of phase A
    early = Simulation(c)
    early.run(9.0)
    a9 = early.weights("A->H")
    _, post_a = sim.connectivity("A->H")
    _, post_bg = sim.connectivity("Background->H")
    for w_a, w_bg in ((a9, early.weights("Background->H")), (sim.weights("A->H"), sim.weights("Background->H"))):
        above = [(w_a[post_a == j] > np.median(w_bg[post_bg == j])).mean() for j in np.unique(post_a)]
        assert min(above) > 0.95
    assert simcore.engine.stats.spearman(a9, sim.weights("A->H")) > 0.8


@pytest.mark.slow
def test_learning_without_erasing_claims_fail_with_homeostasis_off_in_both_copies():
    c = simcore.load(DEMOS / "learning_without_erasing.json")
    for p in c.projections:
        p.rules = [r for r in p.rules if r.kind != "scaling"]
    failed = _failed_notes(c, _run_modified(c))
    assert any("rate back in its band" in f for f in failed), failed
    assert any("A's advantage survives phase B" in f for f in failed), failed
