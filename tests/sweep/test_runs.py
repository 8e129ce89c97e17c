"""Sweep runs on a cluster equal sequential runs bit for bit; failures are rows; resume skips."""
import numpy as np
import pytest

import simcore
from simcore import Simulation, make_projection
from simcore.sweep import plan
from simcore.sweep.grid import apply

from .circuits import tiny

GRID = {"In.rate_hz": [15.0, 30.0], "In->E.rules.0.lam": [0.01, 0.08]}
DURATION = 0.4


def _sequential(circuit, point, seed):
    sim = Simulation(apply(circuit, point), seed=seed)
    sim.run(DURATION)
    pre, post = sim.connectivity("In->E")
    return sim.weights("In->E"), sim.raster.values(), pre, post


def _assert_identical_to_sequential(df, circuit):
    assert (df["status"] == "ok").all(), df["error"].tolist()
    assert len(df) == 8 and df["worker_pid"].nunique() == 2  # both workers took runs
    for _, row in df.iterrows():
        point = {k: row[k] for k in GRID}
        w, raster, pre, post = _sequential(circuit, point, int(row["seed"]))
        with np.load(row["recordings"]) as z:
            assert np.array_equal(z["w/In->E"], w)  # bit for bit: same dtype, same values
            assert np.array_equal(z["pre/In->E"], pre) and np.array_equal(z["post/In->E"], post)
            assert np.array_equal(z["spike_neuron"], raster[:, 1])
            assert np.array_equal(z["spike_t"], raster[:, 0] * circuit.settings.dt_ms * 1e-3)
        assert len(raster) > 20  # the runs do fire: the spike comparison compares something


def test_local_cluster_runs_equal_sequential_runs(local_client, tmp_path):
    c = tiny()
    df = simcore.sweep(c, GRID, seeds=[0, 3], duration=DURATION, client=local_client, out=tmp_path / "s")
    _assert_identical_to_sequential(df, c)
    # the table on disk is the returned one
    import pandas as pd

    back = pd.read_parquet(tmp_path / "s" / "results.parquet")
    assert list(back.columns) == list(df.columns) and back["key"].tolist() == df["key"].tolist()
    assert list(df.columns[:4]) == ["In.rate_hz", "In->E.rules.0.lam", "status", "seed"]
    assert "rate_hz[E]" in df and "rank_corr[In->E]" in df and "pass[0]" in df
    assert (tmp_path / "s" / "results.csv").read_text().splitlines()[0].startswith("In.rate_hz,")


def test_separately_started_scheduler_runs_equal_sequential_runs(external_scheduler, tmp_path):
    c = tiny()
    df = simcore.sweep(c, GRID, seeds=[0, 3], duration=DURATION, scheduler=external_scheduler, out=tmp_path / "s")
    _assert_identical_to_sequential(df, c)


def test_a_failing_run_is_a_row_and_the_sweep_goes_on(local_client, tmp_path):
    """Strong recurrent excitation without refractoriness blows up (runaway above 1000 Hz)."""
    c = tiny()
    c.region("E").params["t_ref"] = 0.0
    c.projections.append(make_projection("E->E", "E", "E", connectivity=("all_to_all", {}),
                                         weights=("constant", {"value": 0.0})))
    df = simcore.sweep(c, {"E->E.weights.value": [0.0, 50.0]}, seeds=[0, 1], duration=1.0,
                       client=local_client, out=tmp_path / "s")
    ok, bad = df[df["E->E.weights.value"] == 0.0], df[df["E->E.weights.value"] == 50.0]
    assert (ok["status"] == "ok").all() and len(ok) == 2
    assert (bad["status"] == "failed").all() and len(bad) == 2
    assert all("runaway excitation" in e and "'E'" in e for e in bad["error"])
    assert bad["rate_hz[E]"].isna().all()


def test_resume_skips_finished_runs_and_fills_in_the_rest(local_client, tmp_path):
    out = tmp_path / "s"
    c = tiny()
    first = simcore.sweep(c, {"In.rate_hz": [15.0, 30.0]}, seeds=[0], duration=DURATION, client=local_client, out=out)
    stamps = {k: (out / "runs" / f"{k}.npz").stat().st_mtime_ns for k in first["key"]}
    _, todo, done = plan(c, {"In.rate_hz": [15.0, 30.0, 45.0]}, seeds=[0], duration=DURATION, out=out)
    assert len(done) == 2 and len(todo) == 1 and todo[0].point == {"In.rate_hz": 45.0}
    second = simcore.sweep(c, {"In.rate_hz": [15.0, 30.0, 45.0]}, seeds=[0], duration=DURATION,
                           client=local_client, out=out)
    assert len(second) == 3 and (second["status"] == "ok").all()
    assert {k: (out / "runs" / f"{k}.npz").stat().st_mtime_ns for k in first["key"]} == stamps
    assert second.set_index("key").loc[first["key"], "wall_s"].tolist() == first["wall_s"].tolist()
    # a different duration, seed or circuit is a different run
    assert len(plan(c, {"In.rate_hz": [15.0]}, seeds=[0], duration=DURATION * 2, out=out)[1]) == 1
    assert len(plan(c, {"In.rate_hz": [15.0]}, seeds=[1], duration=DURATION, out=out)[1]) == 1
    c.region("E").params["tau_m"] = 25.0
    assert len(plan(c, {"In.rate_hz": [15.0]}, seeds=[0], duration=DURATION, out=out)[1]) == 1


def test_the_module_is_the_function():
    assert callable(simcore.sweep)
    with pytest.raises(simcore.CircuitError):
        simcore.sweep(tiny(), {})


def test_the_same_sweep_twice_on_one_client_runs_again_into_the_new_folder(local_client, tmp_path):
    """Dask keeps results by key for a while: a second sweep must not get the first one's rows
    (their recordings are in the other folder)."""
    a = simcore.sweep(tiny(), {"In.rate_hz": [15.0]}, seeds=[0], duration=0.2, client=local_client, out=tmp_path / "a")
    b = simcore.sweep(tiny(), {"In.rate_hz": [15.0]}, seeds=[0], duration=0.2, client=local_client, out=tmp_path / "b")
    assert a["key"].tolist() == b["key"].tolist()  # the same run ...
    assert b["recordings"][0].startswith(str(tmp_path / "b")) and (tmp_path / "b" / "runs").glob("*.npz")
    assert len(list((tmp_path / "b" / "runs").glob("*.npz"))) == 1  # ... run again, into its own folder
