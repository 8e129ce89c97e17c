"""Exported scripts and the command line: every shipped circuit exports and runs in NEST or is refused
with its reason; ``run --backend nest`` writes the same outputs as our engine."""
import json
import subprocess
import sys

import numpy as np
import pytest

from simcore import load
from simcore.backends.nest.export import export_script
from simcore.backends.nest.mapping import MappingError

from ..paths import ROOT

pytestmark = pytest.mark.peer
CIRCUITS = sorted((ROOT / "circuits").rglob("*.json"))
REFUSED = {  # circuit -> the reason it cannot run in NEST
    "pattern_detection": "frozen pattern source",
    "skewed_distributions": "weight-proportional potentiation",
    "sliding_set_point": "rate units have no NEST counterpart",
    "targeted_strengthening": "one factor per neuron cannot be applied",
    "inhibition_sets_gain": "rate units have no NEST counterpart",
}


def main(*args, timeout=300):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout)


@pytest.mark.parametrize("path", CIRCUITS, ids=lambda p: p.stem)
def test_every_circuit_exports_a_script_that_runs_in_nest_or_is_refused_with_the_reason(path, tmp_path):
    circuit = load(path)
    if path.stem in REFUSED:
        with pytest.raises(MappingError, match=REFUSED[path.stem]):
            export_script(circuit)
        r = main("export", path, "--to", "nest", "--out", tmp_path / "m.py")
        assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1, r.stderr
        assert REFUSED[path.stem] in r.stderr and not (tmp_path / "m.py").exists()
        return
    r = main("export", path, "--to", "nest", "--out", tmp_path / "model.py")
    assert r.returncode == 0, r.stderr
    text = (tmp_path / "model.py").read_text()
    assert "mpirun -np" in text and "NEST 3.10" in text and "simcore" not in text
    run = subprocess.run([sys.executable, "model.py", "200"], capture_output=True, text=True, cwd=tmp_path,
                         timeout=300, env={"PATH": "", "PYNEST_QUIET": "1", "SPIKE_DIR": str(tmp_path)})
    assert run.returncode == 0, run.stderr[-2000:]
    assert "rank 0/1: simulated 200 ms" in run.stdout
    files = list(tmp_path.glob("spikes-*.dat"))
    assert len(files) == sum(1 for r in circuit.regions if r.model != "modulator")
    spiking = [r.name for r in circuit.regions if r.model == "poisson"]
    if spiking:  # the sources' spikes are in their files, one per rank and virtual process
        assert sum(len(f.read_text().splitlines()) for f in files) > 10


def test_run_backend_nest_writes_the_summary_npz_keys_and_checks_like_our_engine(tmp_path):
    f = ROOT / "circuits/demos/scaling_preserves_relative_weights.json"
    outs = {}
    for backend in ("numba", "nest"):
        r = main("run", f, "--duration", "300ms", "--backend", backend, "--out", tmp_path / f"{backend}.npz",
                 "--summary", tmp_path / f"{backend}.json")  # no --check: the claims read windows up to 30 s
        assert r.returncode == 0, r.stderr
        assert "Input->Neurons" in r.stdout and "rate (Hz)" in r.stdout
        outs[backend] = (np.load(tmp_path / f"{backend}.npz"), json.loads((tmp_path / f"{backend}.json").read_text()))
    (a, sa), (b, sb) = outs["numba"], outs["nest"]
    assert set(a.files) == set(b.files)
    assert a["rates"].shape == b["rates"].shape and a["w/Input->Neurons"].shape == b["w/Input->Neurons"].shape
    assert set(sa["regions"]) == set(sb["regions"]) and set(sa["projections"]) == set(sb["projections"])
    assert set(sa["projections"]["Input->Neurons"]) <= set(sb["projections"]["Input->Neurons"])
    assert abs(sb["regions"]["Input"]["rate_hz"] - 10.0) < 1.5
    assert b["pre/Input->Neurons"].max() < 1000 and b["post/Input->Neurons"].max() < 50
    assert np.bincount(b["post/Input->Neurons"]).tolist() == [200] * 50  # fixed in-degree k = 200


def test_python_api_simulation_backend_nest(tmp_path):
    from simcore import Simulation

    sim = Simulation(load(ROOT / "circuits/demos/topdown_gating.json"), backend="nest")
    assert sim.backend == "nest"
    s = sim.run(0.5)
    assert s["regions"]["Prefrontal"]["rate_hz"] > 10
    assert s["projections"]["Attended->Sensory"]["w_mean"] == pytest.approx(0.75)  # gate closed: no learning


def test_an_exported_script_applies_per_neuron_homeostasis(tmp_path):
    """The script's between-chunk homeostat brings E from ~2 Hz to its 5 Hz set point, as --backend nest does
    (E's spike counts of runs of 0.3, 3 and 6 s, as the script prints them)."""
    import re

    from .test_against_engine import _two_input_homeostat

    (tmp_path / "model.py").write_text(export_script(_two_input_homeostat()))
    counts = {}
    for ms in (300, 3000, 6000):
        run = subprocess.run([sys.executable, "model.py", str(ms)], capture_output=True, text=True, cwd=tmp_path,
                             timeout=300, env={"PATH": "", "PYNEST_QUIET": "1", "SPIKE_DIR": str(tmp_path),
                                               "OMP_WAIT_POLICY": "PASSIVE"})
        assert run.returncode == 0, run.stderr[-2000:]
        counts[ms] = int(re.search(r"rank 0: e: (\d+) spikes", run.stdout).group(1))
    early, late = counts[300] / 100 / 0.3, (counts[6000] - counts[3000]) / 100 / 3.0
    print(f"exported script: E rate {early:.2f} -> {late:.2f} Hz")
    assert early < 3.0 and abs(late / 5.0 - 1) < 0.08, (early, late)
