"""Kernel helpers: views of an arena from a table row ``(offset, d0, d1, d2)`` (see layout.py).

The views are built on the arena's raw data pointer (``numba.carray``), without a reference count:
the kernel makes tens of them per time step, and a counted slice-and-reshape costs 30-60 ns each
against a few for these. They are only valid while the arena is alive, which the kernel's own
arguments guarantee; they never leave the kernel.
"""
import numba
from numba import types
from numba.extending import intrinsic

from .jit import njit


@intrinsic
def _data(typingctx, arr_t, off_t):
    """Pointer to element ``off`` of a 1-d array."""
    sig = types.CPointer(arr_t.dtype)(arr_t, off_t)

    def codegen(context, builder, signature, args):
        ary = context.make_array(signature.args[0])(context, builder, args[0])
        return builder.gep(ary.data, [args[1]])

    return sig, codegen


@njit(inline="always")
def v1(arena, T, e):
    return numba.carray(_data(arena, T[e, 0]), (T[e, 1],))


@njit(inline="always")
def v2(arena, T, e):
    return numba.carray(_data(arena, T[e, 0]), (T[e, 1], T[e, 2]))


@njit(inline="always")
def v3(arena, T, e):
    return numba.carray(_data(arena, T[e, 0]), (T[e, 1], T[e, 2], T[e, 3]))
