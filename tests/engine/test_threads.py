"""Threads: the same seed gives bit-identical spikes, weights and state for any number of threads
and any chunking; the default follows the network's size; bad thread counts are refused."""
import numpy as np
import pytest

from simcore import Circuit, Settings, Simulation, make_projection, make_region
from simcore.engine import threads as engine_threads
from simcore.engine.phases import NAMES
from tests.engine.test_fork import same, state


def mixed() -> Circuit:
    """Every path the split kernel takes: split regions (LIF with and without noise, conductance
    LIF, Poisson) beside regions one thread steps (rate units, a modulator that follows a LIF
    region), one-step and per-synapse delays, a rate source, plasticity with pre, post and per-step
    hooks, the per-target gain of scaling, and region sizes that do not divide by the threads (nor
    by their blocks: simcore.engine.threads.blocks)."""
    return Circuit(
        "threads", settings=Settings(0.1, 5, 1.0),
        regions=[make_region("In", "poisson", 301, rate_hz=20.0),
                 make_region("E", "lif", 257, noise_sd=1.5),
                 make_region("C", "lif", 101, synapses="conductance"),
                 make_region("I", "lif", 63, role="inhibitory"),
                 make_region("R", "rate", 40),
                 make_region("D", "modulator", 1, follow="E")],
        projections=[
            make_projection("In->E", "In", "E", connectivity=("fixed_indegree", {"k": 40}),
                            weights=("lognormal", {"mean": 1.2, "cv": 0.8}), rules=[("stdp_pair", {})]),
            make_projection("In->C", "In", "C", connectivity=("fixed_probability", {"p": 0.2}),
                            weights=("constant", {"value": 0.05}), delay=("uniform", {"low_ms": 0.5, "high_ms": 3.0})),
            make_projection("E->I", "E", "I", connectivity=("fixed_probability", {"p": 0.2}),
                            weights=("constant", {"value": 2.0}), delay=("constant", {"value_ms": 1.5})),
            make_projection("I->E", "I", "E", "inhibitory", connectivity=("fixed_probability", {"p": 0.3}),
                            weights=("constant", {"value": 0.8}), rules=[("vogels_sprekeler", {})]),
            make_projection("E->R", "E", "R", connectivity=("fixed_probability", {"p": 0.1}),
                            weights=("constant", {"value": 0.1})),
            make_projection("R->E", "R", "E", connectivity=("fixed_probability", {"p": 0.1}),
                            weights=("constant", {"value": 0.2}), rules=[("scaling", {})])])


def run(threads, pieces=(800,), circuit=mixed, seed=3):
    sim = Simulation(circuit(), seed=seed, threads=threads)
    for n in pieces:
        sim.step(n)
    return sim


def test_spikes_weights_and_state_are_bit_identical_for_any_thread_count():
    one = run(1)
    assert one.raster.values().shape[0] > 500  # the regions fire: the comparison means something
    assert not np.array_equal(one.weights("In->E"), run(1, pieces=(0,)).weights("In->E"))  # plasticity acted
    for n in (2, 3):
        assert same(state(one), state(run(n))), f"{n} threads differ from one"


def static() -> Circuit:
    """The same circuit with no rules: its threads do not meet after delivery (each goes on to its
    next update at once), the path of every static benchmark network."""
    c = mixed()
    for p in c.projections:
        p.rules = []
    return c


def test_without_rules_threads_that_do_not_meet_after_delivery_give_the_same_run():
    one = run(1, circuit=static)
    assert one.raster.values().shape[0] > 500
    for n in (2, 3):
        assert same(state(one), state(run(n, circuit=static))), f"{n} threads differ from one"
        assert same(state(one), state(run(n, pieces=(1, 7, 292, 500), circuit=static)))


class LateThread(engine_threads.threading.Thread):
    """A helper thread that starts working late, as one whose core the host has taken for a while."""

    def run(self):
        engine_threads.time.sleep(0.05)
        super().run()


def big() -> Circuit:
    return Circuit("big", settings=Settings(0.1, 5, 1.0),
                   regions=[make_region("P", "poisson", 4000, rate_hz=50.0),
                            make_region("E", "lif", 40000, noise_sd=2.0)],
                   projections=[make_projection("P->E", "P", "E", connectivity=("fixed_indegree", {"k": 20}),
                                                weights=("constant", {"value": 1.5}))])


@pytest.mark.parametrize("circuit", [big, static, mixed])
def test_a_thread_that_is_behind_has_its_neurons_stepped_by_the_others(monkeypatch, circuit):
    """The first step of every call finds the helper not yet started: thread 0 steps the helper's
    blocks as well, and the run is the same. In the big network (where an update outweighs the
    claims and waits around it) the phase timer shows thread 0 doing nearly all the updates."""
    one = Simulation(circuit(), seed=3, threads=1)
    two = Simulation(circuit(), seed=3, threads=2)
    two.compile()
    monkeypatch.setattr(engine_threads.threading, "Thread", LateThread)
    two.phase_timer.start()
    for _ in range(6):
        one.step(1)
        two.step(1)
    update = two.phase_timer.cycles[:, NAMES.index("update")]
    if circuit is big:
        assert update[1] < 0.1 * update[0], update  # each thread its own half would give about equal counts
    assert same(state(one), state(two))


def test_any_chunking_with_threads_gives_the_same_run():
    a, b = state(run(2)), state(run(2, pieces=(1, 7, 292, 500)))
    # the recorded rate of a rate region sums float counts chunk by chunk: equal to rounding only
    np.testing.assert_allclose(a.pop("rates"), b.pop("rates"), rtol=1e-12, atol=0)
    assert same(a, b)


def test_threads_change_nothing_after_a_fork_or_a_reset():
    a = run(2, pieces=(300,))
    b = a.fork()
    b.threads = 1
    a.step(500)
    b.step(500)
    assert same(state(a), state(b))
    a.reset()
    a.step(800)
    assert same(state(a), state(run(1)))


def test_default_is_every_core_for_a_big_network_and_one_for_a_small_one(monkeypatch):
    monkeypatch.delenv("SYNAPTICA_THREADS", raising=False)
    monkeypatch.setattr(engine_threads, "cores", lambda: 4)
    small = Circuit("small", regions=[make_region("E", "lif", 100)])
    big = Circuit("big", regions=[make_region("P", "poisson", engine_threads.SPLIT_MIN_NEURONS)])
    assert Simulation(small).threads == 1
    assert Simulation(big).threads == 4
    assert Simulation(small, threads=3).threads == 3
    monkeypatch.setenv("SYNAPTICA_THREADS", "2")
    assert Simulation(big).threads == 2


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "2"])
def test_a_bad_thread_count_is_refused(bad):
    with pytest.raises(ValueError, match="threads must be a whole number >= 1"):
        Simulation(Circuit("c", regions=[make_region("E", "lif", 10)]), threads=bad)


def test_governor_keeps_the_cheaper_count_and_tries_the_other_again(monkeypatch):
    clock = [0.0]
    monkeypatch.setattr(engine_threads.time, "monotonic", lambda: clock[0])
    gov = engine_threads.ThreadGovernor()
    cost = {1: 1e-3, 2: 0.5e-3}  # seconds per step: two threads pay

    def chunk(steps=1000):
        used = []
        for n, k in gov.pieces(2, steps):
            probe = n is not None
            n = n if probe else gov.choice
            gov.record(n, 2, k, k * cost[n], probe)
            clock[0] += k * cost[n]
            used.append((n, k))
        assert sum(k for _, k in used) == steps
        return used

    first = chunk()
    assert first[:2] == [(2, 50), (1, 50)] and first[2] == (2, 900)  # both measured on short pieces
    runs = [chunk() for _ in range(40)]
    main = [p[-1][0] for p in runs]
    assert main == [2] * 40 and sum(len(p) > 1 for p in runs) >= 3  # stays on 2, tries 1 now and then
    cost[2] = 10e-3  # the cores are taken: every barrier waits a time slice
    runs = [chunk() for _ in range(40)]
    assert [p[-1][0] for p in runs[-30:]] == [1] * 30
    later = runs[1:]  # the first chunk ran on 2 and found it slow
    slow = sum(k * cost[n] for p in later for n, k in p if n == 2)
    assert slow < 0.1 * sum(k * cost[n] for p in later for n, k in p)  # trying 2 again costs little
    cost[2] = 0.5e-3  # the other programs ended
    runs = [chunk() for _ in range(400)]
    assert [p[-1][0] for p in runs[-10:]] == [2] * 10


def test_an_automatic_count_that_changes_chunk_by_chunk_gives_the_same_run(monkeypatch):
    monkeypatch.setattr(engine_threads.ThreadGovernor, "PROBE_EVERY_S", 0.0)  # try the other at every chunk
    monkeypatch.setattr(engine_threads.ThreadGovernor, "PROBE_STEPS", 7)
    one = run(1, pieces=(37,) * 20)
    auto = Simulation(mixed(), seed=3)
    assert auto._threads_asked is None
    auto.threads = 2  # as the window sets its automatic choice
    counts = []
    real = Simulation._kernel_call
    monkeypatch.setattr(Simulation, "_kernel_call", lambda self, nth, *a: counts.append(nth) or real(self, nth, *a))
    for _ in range(20):
        auto.step(37)
    assert set(counts) == {1, 2} and len(counts) > 20
    assert same(state(one), state(auto))
