"""Wiring, weight initialisation and neuron models produce what their declarations promise."""
import numpy as np
import pytest

from simcore import Circuit, Simulation, make_projection, make_region
from simcore.engine.build import build
from simcore.engine.stats import rankdata, spearman


def net(conn, n_pre=200, n_post=150, weights=("constant", {"value": 1.0}), same=False):
    regions = [make_region("A", "poisson", n_pre)] + ([] if same else [make_region("B", "lif", n_post)])
    tgt = "A" if same else "B"
    if same:
        regions = [make_region("A", "lif", n_pre)]
    return Circuit("c", regions=regions,
                   projections=[make_projection("p", "A", tgt, connectivity=conn, weights=weights)])


def synapses(c):
    a = build(c).projections[0].arrays
    pre = np.repeat(np.arange(len(a.indptr) - 1), np.diff(a.indptr))
    return pre, a.post, a.W


def test_fixed_indegree_gives_exactly_k_distinct_inputs():
    pre, post, _ = synapses(net(("fixed_indegree", {"k": 17})))
    assert np.all(np.bincount(post, minlength=150) == 17)
    pairs = set(zip(pre.tolist(), post.tolist()))
    assert len(pairs) == len(pre)


def test_fixed_probability_matches_p_and_has_no_self_connections():
    pre, post, _ = synapses(net(("fixed_probability", {"p": 0.1}), n_pre=400, same=True))
    assert len(pre) / (400 * 399) == pytest.approx(0.1, rel=0.05)
    assert not np.any(pre == post)


@pytest.mark.parametrize("p", [1e-300, 5e-324, 1e-12])
def test_fixed_probability_with_a_tiny_p_builds_at_once(p):
    """A tiny but legal p makes geometric gaps of int64's maximum: summed unclipped they wrapped
    around to before the end and the build never finished (a validated file hung the run)."""
    from simcore.connectivity import _fixed_probability

    pre, post = _fixed_probability(300, 200, {"p": p, "allow_self": False}, np.random.default_rng(1), False)
    assert len(pre) == len(post) == 0
    pre, post, _ = synapses(net(("fixed_probability", {"p": p})))
    assert len(pre) == 0


def test_self_connections_only_when_asked():
    pre, post, _ = synapses(net(("all_to_all", {"allow_self": True}), n_pre=30, same=True))
    assert len(pre) == 900 and np.sum(pre == post) == 30
    pre, post, _ = synapses(net(("all_to_all", {"allow_self": False}), n_pre=30, same=True))
    assert len(pre) == 870 and not np.any(pre == post)


def test_one_to_one():
    pre, post, _ = synapses(net(("one_to_one", {}), n_pre=50, n_post=40))
    assert np.array_equal(pre, np.arange(40)) and np.array_equal(post, np.arange(40))


def test_lognormal_weights_have_the_requested_mean_and_cv():
    _, _, w = synapses(net(("all_to_all", {}), weights=("lognormal", {"mean": 0.5, "cv": 1.2})))
    assert w.mean() == pytest.approx(0.5, rel=0.03)
    assert w.std() / w.mean() == pytest.approx(1.2, rel=0.08)
    assert np.median(w) < w.mean()  # skewed: many weak, few strong


def test_clipped_normal_stays_within_its_clip():
    _, _, w = synapses(net(("all_to_all", {}), weights=("clipped_normal", {"mean": 1.0, "sd": 1.0, "low": 0.2, "high": 1.5})))
    assert w.min() >= 0.2 - 1e-6 and w.max() <= 1.5 + 1e-6


def test_reverse_index_points_at_the_same_synapses():
    a = build(net(("fixed_probability", {"p": 0.05}))).projections[0].arrays
    for j in (0, 7, 100):
        syn = a.in_syn[a.in_indptr[j]:a.in_indptr[j + 1]]
        assert np.all(a.post[syn] == j)
        pre = np.repeat(np.arange(len(a.indptr) - 1), np.diff(a.indptr))  # source of each synapse
        assert np.array_equal(np.sort(pre[syn]), np.sort(pre[a.post == j]))
        assert np.array_equal(a.in_pre[a.in_indptr[j]:a.in_indptr[j + 1]], pre[syn])


@pytest.mark.parametrize("conn", [("fixed_indegree", {"k": 17}), ("fixed_probability", {"p": 0.1}),
                                  ("all_to_all", {}), ("one_to_one", {})])
def test_both_orders_of_the_synapses_are_exact_for_every_wiring(conn):
    """Rows by (source, target), the target-major view by (target, source), whichever way the
    builder drew them (fixed in-degree: target by target, and the view is the sort's inverse)."""
    a = build(net(conn)).projections[0].arrays
    pre = np.repeat(np.arange(len(a.indptr) - 1), np.diff(a.indptr))
    assert np.array_equal(np.lexsort((a.post, pre)), np.arange(len(pre)))  # sorted by (pre, post)
    assert np.array_equal(a.in_syn, np.lexsort((pre, a.post)))
    assert np.array_equal(a.in_pre, pre[a.in_syn])
    assert np.array_equal(a.in_indptr, np.concatenate([[0], np.cumsum(np.bincount(a.post, minlength=150))]))


def test_rankdata_and_spearman_match_definitions():
    a = np.array([3.0, 1.0, 2.0, 2.0])
    assert np.array_equal(rankdata(a), [4.0, 1.0, 2.5, 2.5])
    x = np.random.default_rng(0).random(500)
    assert spearman(x, x ** 3) == pytest.approx(1.0)
    assert spearman(x, -x) == pytest.approx(-1.0)


def test_rate_unit_settles_at_its_transfer_function():
    c = Circuit("r", regions=[make_region("R", "rate", 3, bias=12.0, threshold=2.0, gain=1.5, tau=10.0)])
    sim = Simulation(c, seed=0)
    sim.run(0.2)
    assert sim.summary()["regions"]["R"]["rate_now_hz"] == pytest.approx(15.0, rel=1e-6)


def test_rate_input_is_weight_times_presynaptic_rate():
    c = Circuit("r", regions=[make_region("A", "rate", 1, bias=20.0), make_region("B", "rate", 1)],
                projections=[make_projection("A->B", "A", "B", connectivity=("one_to_one", {}),
                                             weights=("constant", {"value": 0.5}))])
    sim = Simulation(c, seed=0)
    sim.run(0.3)
    assert sim.net.regions[1].arrays.S[0, 0] == pytest.approx(10.0, rel=1e-4)


def test_adex_adapts():
    c = Circuit("a", regions=[make_region("N", "adex", 1, i_bias=800.0)])
    sim = Simulation(c, seed=0)
    sim.run(0.5)
    t = sim.raster.values()[:, 0] * 0.1
    isi = np.diff(t)
    assert len(t) >= 5 and isi[-1] > 1.5 * isi[0]


def test_pattern_source_repeats_its_frozen_pattern():
    from simcore.neurons.pattern import frozen_pattern

    c = Circuit("p", regions=[make_region("P", "pattern", 200, rate_hz=5.0, pattern_ms=50.0, interval_ms=200.0,
                                          fraction=0.5)])
    c.recording.raster_max_neurons = 200
    sim = Simulation(c, seed=0)
    sim.run(3.0)
    member, steps = frozen_pattern(c.regions[0].params, 200, 0.1)
    pairs = [(j, int(s)) for j in np.flatnonzero(member) for s in steps[:, j] if s >= 0]
    rast = sim.raster.values()
    votes = {}
    for j, s in pairs:  # every spike of j votes for a pattern onset s steps earlier
        for t in rast[rast[:, 1] == j, 0]:
            votes[t - s] = votes.get(t - s, 0) + 1
    full = [t for t, v in votes.items() if v == len(pairs)]
    onsets = int(sim.net.regions[0].arrays.S[1, 2])
    assert len(pairs) > 20
    assert onsets >= 8 and len(full) == onsets  # every pasted copy is complete
    assert sorted(votes.values())[-onsets - 1] < len(pairs) / 2  # and chance matches are far from it


def test_shunting_inhibition_divides_instead_of_subtracting():
    def rate(synapse):
        c = Circuit("s", regions=[make_region("Ex", "poisson", 200, rate_hz=20.0),
                                  make_region("In", "poisson", 100, "inhibitory", rate_hz=50.0),
                                  make_region("T", "lif", 20, e_l=-60.0)],
                    projections=[make_projection("Ex->T", "Ex", "T", connectivity=("all_to_all", {}),
                                                 weights=("constant", {"value": 0.6})),
                                 make_projection("In->T", "In", "T", synapse, connectivity=("all_to_all", {}),
                                                 weights=("constant", {"value": 0.02}))])
        return Simulation(c, seed=0).run(1.0)["regions"]["T"]["rate_hz"]
    free = rate("inhibitory")
    shunted = rate("shunting")
    assert shunted < free


def test_rank_reference_equals_spearman():
    from simcore.engine.stats import RankReference

    rng = np.random.default_rng(4)
    x = rng.lognormal(0, 1, 400)
    y = x * rng.lognormal(0, 0.5, 400)
    assert RankReference(x).corr(y) == pytest.approx(spearman(x, y), abs=1e-12)
    assert RankReference(x).corr(x * 3.0) == pytest.approx(1.0)
