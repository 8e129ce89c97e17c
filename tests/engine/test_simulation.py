"""Engine behaviour: reproducibility, live control, protocol, health checks, recorders."""
import numpy as np
import pytest

from simcore import Circuit, CircuitError, Event, Simulation, Settings, load, make_projection, make_region
from simcore.engine import SimulationError

from ..paths import ROOT


def small_net(seed=0, rate=20.0, w=1.0, rules=None):
    return Circuit(
        "small", settings=Settings(0.1, seed, 1.0),
        regions=[make_region("In", "poisson", 100, rate_hz=rate),
                 make_region("E", "lif", 50, e_l=-60.0, v_th=-50.0, v_reset=-60.0)],
        projections=[make_projection("In->E", "In", "E", connectivity=("fixed_indegree", {"k": 40}),
                                     weights=("lognormal", {"mean": w, "cv": 0.5}), rules=rules or [])])


def spikes_of(sim):
    r = sim.raster.values()
    return r[np.lexsort((r[:, 1], r[:, 2], r[:, 0]))]


def test_same_seed_gives_bit_identical_spikes_and_weights():
    rules = [("stdp_pair", {"w_max": 2.0})]
    a, b = Simulation(small_net(rules=rules), seed=3), Simulation(small_net(rules=rules), seed=3)
    a.run(0.5)
    b.run(0.5)
    assert len(spikes_of(a)) > 100
    assert np.array_equal(spikes_of(a), spikes_of(b))
    assert np.array_equal(a.weights("In->E"), b.weights("In->E"))


def test_different_seeds_differ():
    a, b = Simulation(small_net(), seed=1), Simulation(small_net(), seed=2)
    a.run(0.3)
    b.run(0.3)
    assert not np.array_equal(spikes_of(a), spikes_of(b))


def test_seed_defaults_to_the_circuit_setting():
    a, b = Simulation(small_net(seed=5)), Simulation(small_net(), seed=5)
    a.run(0.2)
    b.run(0.2)
    assert np.array_equal(spikes_of(a), spikes_of(b))


def test_reset_replays_exactly():
    sim = Simulation(small_net(rules=[("stdp_pair", {"w_max": 2.0})]), seed=0)
    sim.run(0.3)
    first, w_first = spikes_of(sim), sim.weights("In->E")
    sim.reset()
    assert sim.t == 0.0
    sim.run(0.3)
    assert np.array_equal(spikes_of(sim), first)
    assert np.array_equal(sim.weights("In->E"), w_first)


def test_chunking_does_not_change_results():
    a, b = Simulation(small_net(), seed=0), Simulation(small_net(), seed=0)
    a.run(0.25)
    for _ in range(25):
        b.step(100)
    assert np.array_equal(spikes_of(a), spikes_of(b))


def test_live_rate_change_applies_at_the_next_chunk():
    sim = Simulation(small_net(rate=5.0), seed=0)
    low = sim.run(0.5)["regions"]["In"]["rate_hz"]
    sim.set("In.rate_hz", 50.0)
    high = sim.run(0.5)["regions"]["In"]["rate_hz"]
    assert low == pytest.approx(5.0, rel=0.3)
    assert high == pytest.approx(50.0, rel=0.1)


def test_set_refuses_bad_paths_values_and_structural_parameters():
    sim = Simulation(small_net(), seed=0)
    with pytest.raises(CircuitError, match="no region or projection"):
        sim.set("Nope.rate_hz", 1.0)
    with pytest.raises(CircuitError, match="not a parameter"):
        sim.set("In.tau_m", 1.0)
    with pytest.raises(CircuitError, match=">= 0"):
        sim.set("In.rate_hz", -1.0)
    with pytest.raises(CircuitError, match="after a reset"):
        sim.set("E.synapses", "conductance")


def test_rule_can_be_disabled_live():
    sim = Simulation(small_net(w=2.0, rules=[("stdp_pair", {"w_max": 4.0})]), seed=0)
    sim.run(0.2)
    sim.set("In->E.rules.0.enabled", False)
    w = sim.weights("In->E")
    sim.run(0.3)
    assert np.array_equal(w, sim.weights("In->E"))
    sim.set("In->E.rules.0.enabled", True)
    sim.run(0.3)
    assert not np.array_equal(w, sim.weights("In->E"))


def test_protocol_events_fire_at_their_times():
    c = small_net(rate=30.0)
    c.protocol = [Event(0.5, "set", "In", "rate_hz", 0.0), Event(0.8, "block", "E")]
    sim = Simulation(c, seed=0)
    sim.run(1.0)
    rates = sim.rates.values()
    t, r_in = rates[:, 0], rates[:, 1]
    assert r_in[t <= 0.5].mean() == pytest.approx(30.0, rel=0.2)
    assert r_in[t > 0.51].max() == 0.0
    assert [round(tt, 4) for tt, _ in sim.fired] == [0.5, 0.8]


def test_block_silences_a_region_like_ttx():
    sim = Simulation(small_net(rate=40.0, w=2.0), seed=0)
    assert sim.run(0.3)["regions"]["E"]["rate_hz"] > 1.0
    sim.block("E")
    assert sim.run(0.3)["regions"]["E"]["rate_hz"] == 0.0
    sim.block("E", False)
    assert sim.run(0.3)["regions"]["E"]["rate_hz"] > 1.0


def test_reward_pulse_decays_with_tau():
    c = Circuit("m", regions=[make_region("DA", "modulator", 1, tau_ms=100.0)])
    sim = Simulation(c, seed=0)
    sim.run(0.01)
    sim.reward("DA", 2.0)
    sim.run(0.1)
    assert sim.summary()["regions"]["DA"]["level"] == pytest.approx(2.0 * np.exp(-1.0), rel=1e-3)


def test_blow_up_stops_with_a_message_naming_the_region():
    c = Circuit("hot", regions=[make_region("In", "poisson", 100, rate_hz=200.0),
                                make_region("Hot", "lif", 10, t_ref=0.0)],
                projections=[make_projection("In->Hot", "In", "Hot", connectivity=("all_to_all", {}),
                                             weights=("constant", {"value": 500.0}))])
    with pytest.raises(SimulationError, match="'Hot'"):
        Simulation(c, seed=0).run(0.5)


def test_delay_shifts_arrival():
    def arrival(delay_ms):
        c = Circuit("d", recording=None or Circuit().recording,
                    regions=[make_region("S", "spike_train", 1, rate_hz=1.0, offset_ms=10.0),
                             make_region("T", "lif", 1, v_init_low=-60.0, v_init_high=-60.0, e_l=-60.0)],
                    projections=[make_projection("S->T", "S", "T", connectivity=("one_to_one", {}),
                                                 weights=("constant", {"value": 5.0}),
                                                 delay=("constant", {"value_ms": delay_ms}))])
        sim = Simulation(c, seed=0)
        sim.run(0.03)
        v = sim.voltage.values()
        moved = np.flatnonzero(np.abs(v[:, 2] + 60.0) > 1e-9)
        return v[moved[0], 0]
    assert arrival(5.0) - arrival(1.0) == pytest.approx(0.004, abs=1e-9)


def test_recorders_are_bounded():
    c = small_net(rate=50.0, w=2.0)
    c.recording.raster_max_spikes = 1000
    c.recording.history_s = 0.2
    sim = Simulation(c, seed=0)
    sim.run(1.0)
    assert len(sim.raster.values()) == 1000
    assert len(sim.rates.values()) == 20  # 0.2 s of 10 ms bins
    assert sim.raster.values()[:, 0].min() > 0.5 / (c.settings.dt_ms * 1e-3)


def test_summary_has_the_documented_keys():
    s = Simulation(small_net(), seed=0).run(0.2)
    assert {"duration_s", "wall_s", "regions", "projections"} <= set(s)
    assert {"rate_hz"} <= set(s["regions"]["E"])
    assert {"w_mean", "w_cv", "rank_corr", "n_synapses"} <= set(s["projections"]["In->E"])
    assert s["projections"]["In->E"]["rank_corr"] == 1.0  # static weights keep their order
    assert s["projections"]["In->E"]["n_synapses"] == 50 * 40


def test_snapshot_holds_every_plot_input():
    sim = Simulation(small_net(rules=[("stdp_pair", {"w_max": 2.0})]), seed=0)
    sim.run(0.5)
    snap = sim.snapshot()
    p = snap["projections"]["In->E"]
    assert p["hist"].sum() == 2000 and p["hist_ref"].sum() == 2000
    assert len(p["scatter_ref"]) == len(p["scatter_now"]) > 0
    assert len(snap["rates"]["t"]) == 50
    assert len(snap["raster"]["t"]) > 0
    assert snap["voltage"]["E"].shape[1] == 3


def test_weights_are_float32_and_indices_int32():
    sim = Simulation(small_net(), seed=0)
    a = sim.net.projections[0].arrays
    assert a.W.dtype == np.float32 and a.post.dtype == np.int32 and a.indptr.dtype == np.int32


def test_cuba_example_runs_near_the_published_rate():
    s = Simulation(load(ROOT / "circuits" / "vogels_abbott_cuba.json"), seed=0).run(2.0)
    assert 4.0 < s["regions"]["E"]["rate_hz"] < 7.5


def test_snapshot_histograms_a_sample_of_big_projections():
    sim = Simulation(small_net(rules=[("stdp_pair", {"w_max": 2.0})]), seed=0)
    sim.run(0.3)
    full = sim.snapshot(hist_sample=None)["projections"]["In->E"]
    part = sim.snapshot(hist_sample=500)["projections"]["In->E"]
    assert full["sampled_every"] == 1 and part["sampled_every"] == 4
    assert part["hist"].sum() == 2000 and full["hist"].sum() == 2000     # counts scaled by the stride
    assert np.array_equal(full["edges"], part["edges"]) or part["edges"][-1] <= full["edges"][-1]
    w = sim.weights("In->E")
    exact, _ = np.histogram(w, len(full["edges"]) - 1, (0.0, full["edges"][-1]))
    assert np.abs(full["hist"] - exact).sum() <= 2                         # edge-bin rounding only


def test_reference_histogram_is_cached_until_the_reference_changes():
    sim = Simulation(small_net(rules=[("stdp_pair", {"w_max": 2.0})]), seed=0)
    v0 = sim.reference_version
    h0 = sim.reference_histogram("In->E", 20, 0.0, 3.0)
    assert h0.sum() == 2000 and np.array_equal(h0, sim.reference_histogram("In->E", 20, 0.0, 3.0))
    sim.run(0.5)
    assert np.array_equal(h0, sim.reference_histogram("In->E", 20, 0.0, 3.0))  # the reference stays
    sim.set_reference()
    assert sim.reference_version == v0 + 1 and sim.reference_t == sim.t
    now, _ = np.histogram(sim.weights("In->E"), 20, (0.0, 10.0))
    assert np.array_equal(sim.reference_histogram("In->E", 20, 0.0, 10.0), now)
    with pytest.raises(ValueError):
        sim.reference_weights("In->E")[0] = 1.0                              # read-only


def test_public_reading_api():
    sim = Simulation(small_net(rules=[("stdp_pair", {"w_max": 2.0})]), seed=0)
    assert not sim.compiled
    sim.run(0.1)
    assert sim.compiled and sim.stats_steps == 1000
    assert sim.region_names == ["In", "E"] and sim.projection_names == ["In->E"]
    assert sim.n_neurons == 150 and sim.n_synapses == 2000 == sim.projection_size("In->E")
    assert sim.rules_of("In->E") == ["stdp_pair"] and sim.endpoints("In->E") == ("In", "E")
    assert sim.is_spiking("E") and sim.blocked() == [] and sim.modulator_levels() == {}
    idx = sim.sample_index("In->E")
    assert np.array_equal(sim.weights_at("In->E", idx), sim.weights("In->E")[idx])
    counts, index = sim.voltage_neurons()
    assert sum(counts) == len(index) == sim.voltage.values().shape[1] - 1
    assert sim.raster_rows() == [100, 50]


def test_recorded_weight_statistics_match_the_summary():
    sim = Simulation(small_net(rules=[("stdp_pair", {"w_max": 2.0})]), seed=0)
    s = sim.run(0.5)["projections"]["In->E"]
    row = sim.stats["In->E"].values()[-1]
    assert row[1:5] == pytest.approx([s["w_mean"], s["w_cv"], s["w_min"], s["w_max"]], rel=1e-9)


def test_frame_builder_uses_the_public_api_and_stays_consistent():
    from simcore.engine.frames import BINS, FrameBuilder

    c = small_net(rules=[("stdp_pair", {"w_max": 2.0})])
    c.regions.append(make_region("DA", "modulator", 1))
    sim = Simulation(c, seed=0)
    fb = FrameBuilder(sim, hist_sample=500)
    for _ in range(5):
        sim.step(500)
        fb.sample_levels()
    f = fb.build()
    assert f["t"] == pytest.approx(0.25) and f["regions"] == ["In", "E", "DA"]
    assert f["spiking"] == [True, True, False] and f["levels"]["values"].shape == (6, 1)
    p = f["projections"]["In->E"]
    assert p["hist"].sum() == 2000 == p["hist_ref"].sum() and len(p["hist"]) == BINS
    assert p["hist_log"].sum() + p["nonpos"] == 2000 and p["sampled_every"] == 4
    assert len(p["scatter_now"]) == len(p["scatter_ref"]) > 0 and p["source"] == "In"
    assert f["voltage"]["values"].shape[1] == len(f["voltage"]["index"])
    assert len(f["raster"]["t"]) > 0 and f["rates"]["values"].shape[1] == 3
    sim.reset()
    fb = FrameBuilder(sim)
    assert fb.build()["t"] == 0.0
