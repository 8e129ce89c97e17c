"""The wrappers every compiled function is made with: no GIL, numpy error semantics.

Component hooks (neuron updates, rule hooks and the helpers they call) use :func:`njit`, which does
*not* cache on its own: numba's per-file cache keys a function on its own file only, so a cached
hook would keep stale code when a helper in another module changed. Hooks are compiled into the
kernel (simcore.engine.kernel), which is cached under a name that hashes every module it reaches.
Stand-alone functions called from Python (statistics) use :func:`njit_cached`.
"""
from __future__ import annotations

import numba

_OPTIONS = {"nogil": True, "error_model": "numpy"}


def njit(fn=None, **options):
    """``@njit`` or ``@njit(inline="always")``: compiled, GIL released, not cached on its own."""
    opts = {**_OPTIONS, "cache": False, **options}
    if fn is None:
        return lambda f: numba.njit(**opts)(f)
    return numba.njit(**opts)(fn)


def njit_cached(fn=None, **options):
    """As :func:`njit`, cached on disk: only for functions that call no compiled code of another module."""
    return njit(fn, cache=True, **options)
