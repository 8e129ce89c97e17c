"""A barrier for the kernel's threads, without locks: each thread owns one flag and waits for all.

The kernel's threads (simcore.engine.threads starts them, one call of the kernel each) step the
network together and meet several times per time step. A lock or a condition variable would cost
microseconds per meeting; this barrier costs a few hundred nanoseconds when the threads have cores
of their own: a thread publishes the number of barriers it has passed in its own flag (a release
store, so everything it wrote before is visible to whoever sees the flag), then waits until every
flag has caught up (acquire loads). Nobody else ever writes a thread's flag, so no atomic
read-modify-write is needed (the work counters of :func:`claim` are the one exception). Flags sit
64 bytes apart (no false sharing). After a short spin a waiting thread yields its core, so an
oversubscribed machine slows down but never livelocks.
"""
import numpy as np
from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

from .jit import njit

FLAG_STRIDE = 8  # int64 per flag: one cache line
SPINS = 4000  # polls before a waiting thread starts yielding its core


@intrinsic
def _load_acquire(typingctx, arr_t, idx_t):
    sig = arr_t.dtype(arr_t, idx_t)

    def codegen(context, builder, signature, args):
        ary = context.make_array(signature.args[0])(context, builder, args[0])
        return builder.load_atomic(builder.gep(ary.data, [args[1]]), "acquire", 8)

    return sig, codegen


@intrinsic
def _store_release(typingctx, arr_t, idx_t, val_t):
    sig = types.void(arr_t, idx_t, val_t)

    def codegen(context, builder, signature, args):
        ary = context.make_array(signature.args[0])(context, builder, args[0])
        val = context.cast(builder, args[2], signature.args[2], signature.args[0].dtype)
        builder.store_atomic(val, builder.gep(ary.data, [args[1]]), "release", 8)
        return context.get_dummy_value()

    return sig, codegen


@intrinsic
def _fetch_add(typingctx, arr_t, idx_t, val_t):
    sig = arr_t.dtype(arr_t, idx_t, val_t)

    def codegen(context, builder, signature, args):
        ary = context.make_array(signature.args[0])(context, builder, args[0])
        val = context.cast(builder, args[2], signature.args[2], signature.args[0].dtype)
        return builder.atomic_rmw("add", builder.gep(ary.data, [args[1]]), val, "monotonic")

    return sig, codegen


@intrinsic
def _yield_core(typingctx):
    sig = types.int32()

    def codegen(context, builder, signature, args):
        fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(ir.IntType(32), []), "sched_yield")
        return builder.call(fn, [])

    return sig, codegen


# the flags array: per thread a barrier flag, then per thread the counter of its share of work
# (claim), then per thread how far it has delivered (mark_delivered); one cache line each
FLAG_ROWS = 3


def new_flags(nth: int) -> np.ndarray:
    """The zeroed flags for one kernel call on ``nth`` threads."""
    return np.zeros(FLAG_STRIDE * FLAG_ROWS * nth, np.int64)


@njit(inline="always")
def _wait_until(flags, i, value):
    """Spin until ``flags[i] >= value`` (an acquire load), yielding the core after SPINS polls."""
    spins = 0
    while _load_acquire(flags, i) < value:
        spins += 1
        if spins > SPINS:
            _yield_core()


@njit
def barrier(flags, tid, nth, gen):
    """Wait until all ``nth`` threads have called the barrier ``gen`` times; returns ``gen``.
    A single thread never waits."""
    if nth == 1:
        return gen
    _store_release(flags, tid * FLAG_STRIDE, gen)
    for u in range(nth):
        _wait_until(flags, u * FLAG_STRIDE, gen)
    return gen


@njit
def claim(flags, nth, u):
    """The next unclaimed piece of thread ``u``'s share of this time step's work (0, 1, 2, ... in
    claim order): a counter per share on its own cache line after the threads' flags, the one
    read-modify-write of the kernel. A thread works through its own share, then helps with the
    others': when the host slows one core down for a while, its thread takes fewer pieces instead
    of making the others wait, and when nothing does, every thread works on its own data only."""
    return _fetch_add(flags, (nth + u) * FLAG_STRIDE, 1)


@njit
def unclaim_all(flags, nth):
    """Start every share's count again for the next time step (by one thread, while no other claims)."""
    for u in range(nth):
        _store_release(flags, (nth + u) * FLAG_STRIDE, 0)


@njit
def mark_delivered(flags, nth, tid, steps):
    """Publish that thread ``tid`` has delivered the spikes of its first ``steps`` steps of this call."""
    _store_release(flags, (2 * nth + tid) * FLAG_STRIDE, steps)


@njit
def wait_delivered(flags, nth, u, steps):
    """Wait until thread ``u`` has delivered the spikes of its first ``steps`` steps of this call:
    only then may another thread step thread u's neurons (their inputs are complete). Waiting here
    costs nothing the next barrier would not: it waits for thread u in any case."""
    _wait_until(flags, (2 * nth + u) * FLAG_STRIDE, steps)
