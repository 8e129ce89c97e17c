"""The targets table of ``python -m simcore.bench --targets``: each figure read from the right benchmark
field and judged by its own bound (the benchmarks themselves are scripts, not run here)."""
from simcore import bench_targets
from simcore.bench_targets import fmt, targets


def results(**over):
    res = {
        "simcore.bench_structure": {"rows": {
            "random 80/200": {"total_s": 0.6, "peak_mb": 190.0},
            "chain 400": {"total_s": 1.0, "peak_mb": 230.0},
            "random 80/200, empty cache": {"total_s": 50.0},
            "edit +1 region": {"total_s": 0.01},
            "build 10M synapses": {"build_s": 1.3, "total_s": 1.3}}},
        "simcore.engine.memory": {"rows": [{"ratio": 1.1}, {"ratio": 0.9}]},
        "simcore.bench_handwritten": {"ours_over_hand": 0.63, "plastic_over_static": 1.73},
        "simcore.bench_threads": {"n": 64000, "speedup": 1.8, "small": 4000, "large": 256000, "ns_ratio": 1.22,
                                  "peer_over_ours": {"brian2-cpp openmp 2": 2.7, "nest 2 threads": 26.0}},
        "simcore.bench_vs": {"brian2_over_ours_kernel": 2.78},
    }
    res.update(over)
    return res


def by_figure(ts):
    return {t.figure: t for t in ts}


def test_every_target_met_on_good_figures():
    ts = targets(results())
    assert len(ts) == 15 and all(t.met is True for t in ts), [t.figure for t in ts if not t.met]


def test_a_figure_on_the_wrong_side_of_its_bound_is_not_met():
    res = results()
    res["simcore.bench_threads"] = dict(res["simcore.bench_threads"], speedup=1.4, ns_ratio=1.69)
    res["simcore.bench_handwritten"] = {"ours_over_hand": 1.3, "plastic_over_static": 2.68}
    res["simcore.engine.memory"] = {"rows": [{"ratio": 1.1}, {"ratio": 0.7}]}  # 30% over: the worst counts
    t = by_figure(targets(res))
    missed = {name for name, x in t.items() if x.met is False}
    assert missed == {"CUBA 64k: 2 threads speed-up over 1", "ns per synaptic event, 256k / 4k neurons",
                      "CUBA 4k, one thread: ours / hand-written numba kernel", "CUBA 4k: pair STDP on E->E / static",
                      "memory: worst |measured / estimated peak - 1| on the sweep"}
    assert abs(t["memory: worst |measured / estimated peak - 1| on the sweep"].value - 0.3) < 1e-12


def test_a_failed_benchmark_or_missing_peer_is_not_measured_not_met():
    res = results(**{"simcore.bench_vs": None})
    res["simcore.bench_threads"] = dict(res["simcore.bench_threads"], peer_over_ours={"brian2-cpp openmp 2": 2.5})
    t = by_figure(targets(res))
    vs = t["Vogels & Sprekeler 2011, one thread: Brian2 cpp_standalone / ours"]
    nest = t["CUBA 64k, 2 threads: NEST, 2 threads / ours"]
    assert vs.value is None and vs.met is None and nest.met is None
    table = fmt(list(t.values()))
    assert table.count("not measured") == 2 and " NO" not in table


def test_main_runs_each_benchmark_with_json_and_prints_the_table(monkeypatch, capsys):
    calls = []

    def fake(module, args):
        calls.append((module, args))
        return results()[module]
    monkeypatch.setattr(bench_targets, "run_bench", fake)
    assert bench_targets.main() == 0
    out = capsys.readouterr().out
    assert [m for m, _ in calls] == [m for m, _, _ in bench_targets.BENCHES]
    assert ("simcore.bench_structure", ["--cold"]) in calls
    assert "15 of 15 targets met" in out and "2.78" in out
