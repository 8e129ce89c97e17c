"""Subnormal numbers flushed to zero while the kernel runs.

Every decaying quantity of a model (synaptic inputs, plasticity traces, adaptation, a potential
relaxing towards zero) ends in the subnormal range once its neuron falls silent, and there a
multiplication by a decay factor above 0.5 rounds back to the smallest subnormal: the value never
reaches zero. On x86 an operation on a subnormal costs about fifty times a normal one, so a
circuit slowed down for good as parts of it went quiet (the LIF update went from 1.1 to 55 ns
per neuron and step). The kernel therefore runs with the processor's flush-to-zero and
denormals-are-zero modes on (MXCSR bits FTZ and DAZ) and puts the caller's mode back before it
returns, so Python and numpy around it keep IEEE behaviour. Values below 2.2e-308 are far below
anything a model can resolve; results stay bit-identical for any thread count, as every thread
sets the same mode. On other processors these functions do nothing.
"""
from __future__ import annotations

import platform

from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

from .jit import njit

FTZ_DAZ = 0x8040  # MXCSR: flush to zero (bit 15), denormals are zero (bit 6)
X86 = platform.machine().lower() in ("x86_64", "amd64", "i686", "x86")


def _mxcsr_call(builder, name: str, slot):
    fn = cgutils.get_or_insert_function(
        builder.module, ir.FunctionType(ir.VoidType(), [ir.IntType(8).as_pointer()]), f"llvm.x86.sse.{name}")
    builder.call(fn, [builder.bitcast(slot, ir.IntType(8).as_pointer())])


@intrinsic
def _get_mxcsr(typingctx):
    sig = types.int32()

    def codegen(context, builder, signature, args):
        if not X86:
            return ir.Constant(ir.IntType(32), 0)
        slot = cgutils.alloca_once(builder, ir.IntType(32))
        _mxcsr_call(builder, "stmxcsr", slot)
        return builder.load(slot)

    return sig, codegen


@intrinsic
def _set_mxcsr(typingctx, value_t):
    sig = types.void(types.int32)

    def codegen(context, builder, signature, args):
        if X86:
            slot = cgutils.alloca_once(builder, ir.IntType(32))
            builder.store(args[0], slot)
            _mxcsr_call(builder, "ldmxcsr", slot)
        return context.get_dummy_value()

    return sig, codegen


@njit
def flush_subnormals():
    """Turn flush-to-zero on for this thread; returns the mode to give back to :func:`restore`."""
    old = _get_mxcsr()
    _set_mxcsr(old | FTZ_DAZ)
    return old


@njit
def restore(mode):
    _set_mxcsr(mode)
