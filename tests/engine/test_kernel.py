"""One compiled kernel for every circuit of the same kinds; its cache is never stale or untrusted."""
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from simcore import Simulation, make_region
from simcore.engine import kernel as K
from simcore.model import Circuit
from simcore.synthetic import chain_circuit, random_circuit

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_generated_circuits_of_any_structure_share_one_kernel():
    """80 regions / 200 projections, a 400-region chain and another random graph: each runs 0.5 s,
    and only the first needs a kernel (the others reuse it: no compile on a different structure)."""
    sims = []
    for c in (random_circuit(80, 200, seed=0), chain_circuit(400), random_circuit(80, 200, seed=1)):
        sim = Simulation(c, seed=0)
        summary = sim.run(0.5)
        rates = np.array([r["rate_hz"] for r in summary["regions"].values()])
        assert np.isfinite(rates).all()
        sims.append((c, sim, summary))
    kernels = {id(sim._kernel) for _, sim, _ in sims}
    assert len(kernels) == 1
    assert len(sims[0][1]._kernel.signatures) == 1  # one type signature: structure is data, not types
    for _, sim, _ in sims[1:]:
        assert sim.compile_s < 1.0  # loading a known kernel, not compiling
    # the runs are real: sources fire at their rate, and the chain carries activity onward
    rnd = sims[0][2]["regions"]
    src = [v["rate_hz"] for k, v in rnd.items() if k.startswith("S")]
    assert np.mean(src) == pytest.approx(20.0, rel=0.15)
    chain = sims[1][2]["regions"]
    assert chain["R0"]["rate_hz"] == pytest.approx(50.0, rel=0.3)
    assert chain["R1"]["rate_hz"] > 25.0 and chain["R2"]["rate_hz"] > 25.0


def test_kernel_source_depends_on_kinds_only():
    """The generated text is a function of the kinds (and their order), never of a circuit."""
    n, r = K.kernel_kinds()
    a, _ = K.generate(n, r)
    b, _ = K.generate(n, r)
    assert a == b
    assert "R0" not in a and "P0" not in a
    assert a != K.generate(n[:1], r[:1])[0]
    # a kind that steps ranges is stepped whole through the same hook (one function less to compile)
    assert "n_lif_update_range(S, P, inp, slot, spk, rng, t, np.int64(0), S.shape[1])" in a
    assert "n_lif_update(" not in a


PLUGIN = '''
import numpy as np
from simcore.engine.impl import NeuronImpl
from simcore.engine.jit import njit
from simcore.params import Kind, Param, register
from plug_helper import level

@njit
def update(S, P, inp, slot, spk, rng, t):
    for j in range(S.shape[1]):
        S[0, j] = level()
    return 0

register(Kind("neuron", "plug", "Plug-in test unit", "Holds the level its helper returns.",
              (Param("x", 0.0, "", "unused"),),
              info={"spiking": False, "roles": ("excitatory",)},
              impl=NeuronImpl(vars=("v",), prepare=lambda p, dt: np.zeros(1),
                              init=lambda p, n, rng: np.zeros((1, n)), update=update, spiking=False)))
'''

RUN = '''
import sys
sys.path.insert(0, {plugdir!r})
import plug_neuron
from simcore import Simulation, make_region
from simcore.model import Circuit
c = Circuit(name="p")
c.regions = [make_region("U", "plug", 3)]
sim = Simulation(c, seed=0)
sim.step(2)
print(sim.net.regions[0].arrays.S[0, 0])
'''


def _run_plugin(tmp_path, cache) -> float:
    env = {**os.environ, "SYNAPTICA_CACHE_DIR": str(cache), "SYNAPTICA_KERNEL_SCOPE": "used",
           "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", RUN.format(plugdir=str(tmp_path))], env=env, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    return float(out.stdout.strip().splitlines()[-1])


def test_editing_a_helper_that_a_hook_calls_changes_the_result(tmp_path):
    """numba's per-file cache would keep the old helper inlined in the hook; the kernel's name hashes
    every module its hooks reach, so the edit is seen."""
    (tmp_path / "plug_neuron.py").write_text(PLUGIN)
    helper = tmp_path / "plug_helper.py"
    helper.write_text("from simcore.engine.jit import njit\n\n@njit\ndef level():\n    return 5.0\n")
    cache = tmp_path / "cache"
    assert _run_plugin(tmp_path, cache) == 5.0
    helper.write_text("from simcore.engine.jit import njit\n\n@njit\ndef level():\n    return 7.0\n")
    assert _run_plugin(tmp_path, cache) == 7.0


def _poisson_sim() -> Simulation:
    c = Circuit(name="tiny")
    c.regions = [make_region("In", "poisson", 50, rate_hz=100.0)]
    return Simulation(c, seed=1)


def _spikes_after(sim) -> np.ndarray:
    sim.run(0.2)
    return sim.raster.values().copy()


def test_corrupted_cache_entries_are_rebuilt_never_executed(tmp_path, monkeypatch):
    monkeypatch.setenv("SYNAPTICA_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("SYNAPTICA_KERNEL_SCOPE", "used")
    monkeypatch.setattr(K, "_LOADED", {})
    ref = _spikes_after(_poisson_sim())
    folder = tmp_path / "kernels"
    (module,) = folder.glob("k_*.py")
    entries = sorted((folder / "__pycache__").glob(module.stem + ".*"))
    assert entries and json.loads(module.with_suffix(".sums.json").read_text())

    # 1. an edited kernel module: replaced by the generated text before anything is imported
    module.write_text(module.read_text() + "\nraise SystemExit('untrusted code ran')\n")
    monkeypatch.setattr(K, "_LOADED", {})
    assert np.array_equal(_spikes_after(_poisson_sim()), ref)
    assert "untrusted" not in module.read_text()

    # 2. a truncated / altered numba cache entry: deleted and compiled again
    nbc = next(f for f in sorted((folder / "__pycache__").glob(module.stem + ".*.nbc")))
    nbc.write_bytes(nbc.read_bytes()[: len(nbc.read_bytes()) // 2])
    monkeypatch.setattr(K, "_LOADED", {})
    sim = _poisson_sim()
    n, r = sim._plan.kinds
    src, _ = K.generate(n, r)
    assert not K._trusted(module, src)  # the manifest no longer matches: entries removed
    assert not nbc.exists()
    assert np.array_equal(_spikes_after(sim), ref)
    assert K._trusted(module, src)  # rebuilt and recorded again


ONCE = '''
import sys
from numba.core.registry import CPUDispatcher
from simcore import Simulation, make_projection, make_region
from simcore.model import Circuit
c = Circuit(name="once")
c.regions = [make_region("In", "poisson", 20), make_region("N", "lif", 20)]
c.projections = [make_projection("In->N", "In", "N")]
Simulation(c, seed=0).step(2)
seen = {}
for name, m in list(sys.modules.items()):
    if name.startswith(("simcore", "synaptica_kernels")):
        for k, v in vars(m).items():
            if isinstance(v, CPUDispatcher):
                seen[id(v)] = (f"{name}.{k}", len(v.signatures))
print("COMPILED", sum(n > 0 for _, n in seen.values()))
for qual, n in seen.values():
    if n > 1:
        print("TWICE", qual, n)
'''


def test_a_fresh_kernel_compiles_each_hook_once(tmp_path):
    """Every compiled function the kernel reaches gets one type signature: a literal argument at one
    call site (``update_range(..., 0, n)`` next to the kernel's variable ``lo``) would make numba
    compile it, and everything it calls, twice -- seconds of the first run on a machine."""
    env = {**os.environ, "SYNAPTICA_CACHE_DIR": str(tmp_path), "SYNAPTICA_KERNEL_SCOPE": "used",
           "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", ONCE], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.splitlines()
    compiled = int(next(x for x in lines if x.startswith("COMPILED")).split()[1])
    assert compiled > 5  # the kernel was compiled here, hooks and all (not loaded from a cache)
    assert [x for x in lines if x.startswith("TWICE")] == []
