"""Kernel helpers: views of an arena from a table row ``(offset, d0, d1, d2)`` (see layout.py), and
a prefetch hint for a stretch of an arena.

The views are built on the arena's raw data pointer (``numba.carray``), without a reference count:
the kernel makes tens of them per time step, and a counted slice-and-reshape costs 30-60 ns each
against a few for these. They are only valid while the arena is alive, which the kernel's own
arguments guarantee; they never leave the kernel.
"""
import numba
from llvmlite import ir
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


LINE = 16  # 4-byte elements per 64-byte cache line


@intrinsic
def prefetch(typingctx, arr_t, off_t):
    """Ask the CPU to bring the cache line holding element ``off`` of a 1-d array into the cache
    (``llvm.prefetch``: a read, kept in all levels). Only a hint: it never faults and changes nothing."""
    sig = types.void(arr_t, off_t)

    def codegen(context, builder, signature, args):
        ary = context.make_array(signature.args[0])(context, builder, args[0])
        ptr = builder.bitcast(builder.gep(ary.data, [args[1]]), ir.IntType(8).as_pointer())
        i32 = ir.IntType(32)
        fnty = ir.FunctionType(ir.VoidType(), [ptr.type, i32, i32, i32])
        fn = builder.module.declare_intrinsic("llvm.prefetch", [ptr.type], fnty)
        builder.call(fn, [ptr, i32(0), i32(3), i32(1)])
        return context.get_dummy_value()

    return sig, codegen


@njit(inline="always")
def prefetch_span(arena, lo, hi):
    """Prefetch elements ``lo .. hi-1`` (4-byte elements) of an arena, one hint per cache line."""
    if hi > lo:
        for x in range(lo, hi, LINE):
            prefetch(arena, x)
        prefetch(arena, hi - 1)


@intrinsic
def cycles(typingctx):
    """The CPU's cycle counter (``llvm.readcyclecounter``: rdtsc on x86), for the kernel's phase
    timer: a few tens of cycles to read, against the microseconds of a kernel phase."""
    sig = types.int64()

    def codegen(context, builder, signature, args):
        i64 = ir.IntType(64)
        fn = builder.module.declare_intrinsic("llvm.readcyclecounter", (), ir.FunctionType(i64, []))
        return builder.call(fn, [])

    return sig, codegen
