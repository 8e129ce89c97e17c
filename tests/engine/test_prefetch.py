"""The kernel asks for the memory of the next spike's synapses before it needs it.

Rows of spiking neurons lie anywhere in memory, so delivering a spike, or running a rule's hooks
for it, stalls on cache misses unless the next row (or, for postsynaptic hooks, the next neuron's
scattered weights) is prefetched while the current one is worked on: without the hints the V&S
network spent ~40% more time in delivery and ~2x more in its postsynaptic hooks. In a large region
the targets' entries are scattered too (the excitatory input row of 204,800 neurons is 1.6 MB, more
than a core's L2): delivery also prefetches the next row's target entries.

The kernel's functions are loaded from numba's cache, which keeps no machine code to inspect; they
are compiled again here, without caching, on placeholder arguments of the kernel's types."""
import platform
import re
import sys

import numba
import numpy as np
import pytest

from simcore import Circuit, Settings, Simulation, make_projection, make_region
from simcore.engine.impl import RuleArrays, SynArrays

pytestmark = pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64"), reason="checks x86 instructions")


def _plastic_pair() -> Circuit:
    return Circuit(
        "pair", settings=Settings(0.1, 3, 1.0),
        regions=[make_region("A", "poisson", 50, rate_hz=50.0), make_region("B", "lif", 40, i_bias=15.0)],
        projections=[make_projection("A->B", "A", "B", connectivity=("fixed_probability", {"p": 0.5}),
                                     weights=("constant", {"value": 0.5}), rules=[("stdp_pair", {})])])


@pytest.fixture(scope="module")
def kernel_module():
    sim = Simulation(_plastic_pair(), seed=1, threads=1)
    sim.run(0.05)
    assert all(sim.summary()["regions"][r]["rate_hz"] > 0 for r in ("A", "B"))  # hooks and delivery ran
    return sys.modules[sim._kernel.py_func.__module__]


def _asm(dispatcher, *args) -> str:
    """Machine code of a kernel function, compiled afresh for the types of ``args`` (which do no work)."""
    fresh = numba.njit(nogil=True, error_model="numpy")(dispatcher.py_func)
    fresh(*args)
    return "\n".join(fresh.inspect_asm().values())


def _f(*shape):
    return np.zeros(shape or (1,))


SYN = SynArrays(np.zeros(1, np.float32), np.zeros(1, np.int32), np.zeros(2, np.int32), np.zeros(2, np.int32),
                np.zeros(1, np.int32), np.zeros(1, np.int32), np.zeros(1, np.int32), _f())
RS = RuleArrays(_f(), _f(1, 1), _f(1, 1), _f(1, 1), _f(9), _f(1, 1), np.zeros(4, np.int64), _f(1, 1), _f(1, 1))
SPK = np.zeros(1, np.int32)


def test_delivery_prefetches_the_next_row(kernel_module):
    args = (_f(), np.zeros(1, np.float32), np.zeros(1, np.int32), np.zeros((8, 4), np.int64), 0, 0, 0, 0,
            1, 0, 1, 0, False, 0, 0, 1, 1)  # no spikes
    assert _asm(kernel_module._deliver, *args).count("prefetcht0") >= 2  # the next row's weights and targets


def test_delivery_prefetches_the_next_rows_target_entries(kernel_module):
    """The target buffer holds float64: a prefetch indexed by 8-byte elements is one of its entries
    (the rows' weights and targets are 4-byte arrays), for constant and per-synapse delays."""
    args = (_f(), np.zeros(1, np.float32), np.zeros(1, np.int32), np.zeros((8, 4), np.int64), 0, 0, 0, 0,
            1, 0, 1, 0, False, 0, 0, 1, 1)
    asm = _asm(kernel_module._deliver, *args)
    assert len(re.findall(r"prefetcht0\s+-?\d*\(%\w+,%\w+,8\)", asm)) >= 2


def test_presynaptic_hooks_prefetch_the_next_row(kernel_module):
    assert _asm(kernel_module._pre_hooks, 0, SPK, 0, 0, SYN, RS).count("prefetcht0") >= 2


def test_postsynaptic_hooks_prefetch_the_next_neurons_index_and_weights(kernel_module):
    assert _asm(kernel_module._post_hooks, 0, SPK, 0, 0, SYN, RS).count("prefetcht0") >= 3
