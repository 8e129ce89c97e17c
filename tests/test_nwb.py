"""NWB recordings: the same data as the NPZ, valid by nwbinspector, and enough to run the circuit again."""
import subprocess
import sys

import numpy as np
import pytest

from simcore import Circuit, Event, Simulation, load, make_projection, make_region, save
from simcore.engine.commands import write_npz
from simcore.nwb import read_recording, read_run, write_nwb

from .paths import ROOT

pytest.importorskip("pynwb")
DEMOS = sorted((ROOT / "circuits" / "demos").glob("*.json"))


def run_cli(*args):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "run", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


def small(rate_hz=20.0, protocol=True) -> Circuit:
    """Poisson input onto LIF neurons with STDP; halfway the input rate changes (a protocol 'set')."""
    return Circuit("small", regions=[make_region("In", "poisson", 200, rate_hz=rate_hz), make_region("E", "lif", 20)],
                   projections=[make_projection("In->E", "In", "E", weights=("constant", {"value": 4.0}),
                                                rules=[("stdp_pair", {"w_max": 8.0})])],
                   protocol=[Event(0.25, "set", "In", "rate_hz", rate_hz / 2)] if protocol else [])


def problems(path, at_least="BEST_PRACTICE_VIOLATION"):
    """nwbinspector's messages at or above an importance (its own validation included)."""
    from nwbinspector import Importance, inspect_nwbfile

    floor = Importance[at_least]
    return [f"{m.importance.name}: {m.check_function_name}: {m.message}" for m in inspect_nwbfile(nwbfile_path=str(path))
            if m.importance.value >= floor.value]


def assert_same(nwb_path, npz_path):
    """Spikes, rates, membrane potentials, weights and events of the NWB file equal the NPZ's."""
    got, want = read_recording(nwb_path), np.load(npz_path)
    assert list(got["regions"]) == list(want["regions"])

    def order(t, n, r):
        k = np.lexsort((t, n, r))
        return np.column_stack([r[k], n[k]]).astype(np.int64), t[k]
    ids_got, t_got = order(got["spike_t"], got["spike_neuron"], got["spike_region"])
    ids_want, t_want = order(want["spike_t"], want["spike_neuron"], want["spike_region"])
    np.testing.assert_array_equal(ids_got, ids_want)
    np.testing.assert_array_equal(t_got, t_want)
    np.testing.assert_array_equal(got["rates"], want["rates"])
    np.testing.assert_allclose(got["rates_t"], want["rates_t"], rtol=0, atol=1e-9)
    assert got["events"] == list(want["events"])
    np.testing.assert_array_equal(got["events_t"], want["events_t"])
    for name in want["projections"]:
        np.testing.assert_array_equal(got[f"w_final/{name}"], want[f"w/{name}"])
        np.testing.assert_array_equal(got[f"pre/{name}"], want[f"pre/{name}"])
        if len(want[f"tracked_index/{name}"]):
            np.testing.assert_array_equal(got[f"tracked/{name}"], want[f"tracked/{name}"][:, 1:])
            np.testing.assert_array_equal(got[f"tracked_index/{name}"], want[f"tracked_index/{name}"])
    return got, want


def test_nwb_reads_back_the_npz_data_and_passes_nwbinspector(tmp_path):
    sim = Simulation(small(), seed=4)
    summary = sim.run(0.5)
    write_npz(sim, tmp_path / "r.npz", summary)
    write_nwb(sim, tmp_path / "r.nwb", summary)
    got, want = assert_same(tmp_path / "r.nwb", tmp_path / "r.npz")
    assert len(want["spike_t"]) > 100 and want["spike_region"].max() == 1  # both regions spiked
    assert got["origins"] == ["protocol"] and got["events"] == ["In.rate_hz = 10.0"]
    e = list(want["regions"]).index("E")
    counts, _ = sim.voltage_neurons()
    cols = slice(sum(counts[:e]), sum(counts[:e + 1]))
    np.testing.assert_allclose(got["voltage"]["membrane_potential E"], want["voltage"][:, cols] * 1e-3)
    assert not problems(tmp_path / "r.nwb")


def test_units_carry_region_and_neuron_index_and_the_run_metadata(tmp_path):
    from pynwb import NWBHDF5IO

    sim = Simulation(small(), seed=2)
    sim.run(0.3)
    write_nwb(sim, tmp_path / "r.nwb")
    with NWBHDF5IO(str(tmp_path / "r.nwb"), "r") as io:
        nwb = io.read()
        units = nwb.units.to_dataframe()
        rates = nwb.acquisition["population_rates"]
        assert rates.unit == "Hz" and rates.data.shape[1] == 2
        assert nwb.acquisition["membrane_potential E"].unit == "volts"
        assert nwb.units.resolution == pytest.approx(sim.dt * 1e-3)
        assert "In->E w_mean" in nwb.processing["synapses"].data_interfaces
        assert nwb.was_generated_by[0][0] == "synaptica"
    assert sorted(set(units["region"])) == ["E", "In"]
    assert sorted(units[units["region"] == "E"]["neuron"]) == list(range(20))
    run = read_run(tmp_path / "r.nwb")
    assert run["seed"] == 2 and run["duration_s"] == pytest.approx(0.3) and run["circuit"].name == "small"


def test_a_run_without_spikes_still_validates(tmp_path):
    sim = Simulation(small(rate_hz=0.0, protocol=False), seed=0)
    summary = sim.run(0.2)
    write_npz(sim, tmp_path / "r.npz", summary)
    write_nwb(sim, tmp_path / "r.nwb", summary)
    got, want = assert_same(tmp_path / "r.nwb", tmp_path / "r.npz")
    assert len(want["spike_t"]) == 0 and len(got["spike_t"]) == 0
    assert not problems(tmp_path / "r.nwb")


def test_run_from_nwb_reproduces_the_spikes(tmp_path):
    f = tmp_path / "c.json"
    save(small(), f)  # its protocol changes a parameter mid-run: the re-run must start from the file's value
    r = run_cli(f, "--duration", "400ms", "--seed", "7", "--out", tmp_path / "a.nwb", "--quiet")
    assert r.returncode == 0, r.stderr
    r = run_cli("--from", tmp_path / "a.nwb", "--out", tmp_path / "b.nwb", "--quiet")
    assert r.returncode == 0, r.stderr
    a, b = read_recording(tmp_path / "a.nwb"), read_recording(tmp_path / "b.nwb")
    assert b["meta"]["seed"] == 7 and b["meta"]["duration_s"] == pytest.approx(0.4)
    assert len(a["spike_t"]) > 100
    for key in ("spike_t", "spike_neuron", "spike_region", "rates"):
        np.testing.assert_array_equal(a[key], b[key])


def test_bad_from_file_or_out_folder_is_one_line(tmp_path):
    (tmp_path / "x.nwb").write_text("not hdf5")
    for args in (["--from", tmp_path / "x.nwb"], ["--from", tmp_path / "missing.nwb"], [],
                 [ROOT / "circuits" / "vogels_abbott_cuba.json", "--out", tmp_path / "no" / "such" / "r.nwb"]):
        r = run_cli(*args)
        assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
        assert len(r.stderr.strip().splitlines()) == 1


@pytest.mark.slow
@pytest.mark.parametrize("demo", DEMOS, ids=[p.stem for p in DEMOS])
def test_every_demo_writes_a_valid_nwb_that_reads_back_equal(tmp_path, demo):
    sim = Simulation(load(demo))
    summary = sim.run(0.5)
    write_npz(sim, tmp_path / "r.npz", summary)
    write_nwb(sim, tmp_path / "r.nwb", summary, demo.read_text(encoding="utf-8"))
    assert_same(tmp_path / "r.nwb", tmp_path / "r.npz")
    assert not problems(tmp_path / "r.nwb")
    assert read_run(tmp_path / "r.nwb")["circuit_text"] == demo.read_text(encoding="utf-8")
