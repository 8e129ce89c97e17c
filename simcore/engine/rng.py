"""A small counter-based random generator (SplitMix64) that lives in a uint64[1] array.

Each region carries its own state, so a simulation's random stream depends only on its seed,
never on other simulations running in the same process (numba's global generator would).
"""
from __future__ import annotations

import math

import numpy as np

from .jit import njit

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_INV53 = 1.0 / 9007199254740992.0


@njit
def uniform(state):
    """Uniform double in [0, 1)."""
    state[0] += _GOLDEN
    z = state[0]
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    z = z ^ (z >> _S31)
    return float(z >> _S11) * _INV53


@njit
def normal(state):
    """Standard normal deviate (Box-Muller, one of the pair)."""
    u1 = uniform(state)
    u2 = uniform(state)
    return math.sqrt(-2.0 * math.log(1.0 - u1)) * math.cos(2.0 * math.pi * u2)


def new_state(seed_sequence: np.random.SeedSequence) -> np.ndarray:
    return seed_sequence.generate_state(1, dtype=np.uint64).copy()


@njit(inline="always")
def uniform_at(state, k):
    """The ``k``-th uniform of the stream that starts at ``state[0]`` (k >= 1), without advancing it:
    the same number :func:`uniform` gives at its k-th call. Neurons that draw by index (e.g. step x
    neurons + neuron) get the same numbers however the region is split between threads."""
    z = state[0] + _GOLDEN * np.uint64(k)
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    z = z ^ (z >> _S31)
    return float(z >> _S11) * _INV53


@njit(inline="always")
def normal_at(state, k):
    """Standard normal deviate from the uniforms ``2k + 1`` and ``2k + 2`` of the stream."""
    u1 = uniform_at(state, 2 * k + 1)
    u2 = uniform_at(state, 2 * k + 2)
    return math.sqrt(-2.0 * math.log(1.0 - u1)) * math.cos(2.0 * math.pi * u2)
