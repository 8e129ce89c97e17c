"""Population rates are binned the same whatever the chunking: Simulation._bin_rates (whole bins of a
chunk at once) against the bin-by-bin definition, on counts that are not whole numbers (rate regions)."""
import numpy as np
import pytest

from simcore import load
from simcore.engine.simulation import Simulation
from tests.paths import ROOT


def reference(counts, bin_steps, sizes, dt):
    """Rows (t_end, rate per region) of every complete bin, one bin at a time from zero."""
    rows = []
    for b in range(len(counts) // bin_steps):
        acc = np.zeros(counts.shape[1]) + counts[b * bin_steps:(b + 1) * bin_steps].sum(axis=0)
        rows.append(np.r_[(b + 1) * bin_steps * dt * 1e-3, acc / sizes / (bin_steps * dt * 1e-3)])
    return np.array(rows)


@pytest.mark.parametrize("chunks", [[1000], [7, 993, 250, 250, 500], [1] * 50 + [950], [333, 333, 334]])
def test_any_chunking_gives_the_bin_by_bin_rates(chunks):
    sim = Simulation(load(ROOT / "circuits" / "vogels_abbott_cuba.json"), seed=0)
    rng = np.random.default_rng(3)
    total = sum(chunks)
    counts = rng.random((total, len(sim.net.regions))) * 7.3  # not whole numbers: order of sums matters
    pos = 0
    for n in chunks:
        sim.step_index = pos + n  # _bin_rates reads the chunk's first step from the index after it
        sim._bin_rates(counts[pos:pos + n], n)
        pos += n
    got = sim.rates.values()
    want = reference(counts, sim._bin_steps, sim._bin_sizes, sim.dt)
    assert got.shape == want.shape and np.array_equal(got, want)
    assert sim._bin_fill == total % sim._bin_steps
