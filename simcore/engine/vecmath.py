"""Elementary functions that numba can vectorise, for the neuron updates' inner loops.

numba has no vector ``exp`` on a machine without Intel's SVML, so a loop that calls ``math.exp``
runs one neuron at a time. :func:`exp_neg` is built from operations that do vectorise: a range
reduction by powers of two, a polynomial, and the power of two made directly from its exponent
bits (:func:`pow2i`). Every operation is exactly rounded (or fused when the caller allows FMA
contraction), so a neuron gets the same value in a vector lane as in the scalar remainder of a
loop: results do not depend on how a region is split between threads.
"""
from __future__ import annotations

import math

import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic

from .jit import njit

LOG2E = 1.4426950408889634
LN2 = 0.6931471805599453
EXP_NEG_MAX = 64.0  # exp(-x) is taken as exp(-64) (1.6e-28) beyond this


@intrinsic
def pow2i(typingctx, n_t):
    """2.0 ** n for an int64 ``n`` in [-1022, 1023], as the IEEE exponent bits (a shift and a bitcast)."""
    sig = types.float64(types.int64)

    def codegen(context, builder, signature, args):
        biased = builder.add(args[0], ir.Constant(ir.IntType(64), 1023))
        return builder.bitcast(builder.shl(biased, ir.Constant(ir.IntType(64), 52)), ir.DoubleType())

    return sig, codegen


@njit(inline="always")
def exp_neg(x):
    """exp(-x) for x >= 0 (relative error < 2e-14): x = n ln2 - r with |r| <= ln2 / 2, exp(r) by
    its Taylor polynomial of degree 11, times 2**-n from the exponent bits. Beyond
    :data:`EXP_NEG_MAX` the value is exp(-EXP_NEG_MAX)."""
    x = min(x, EXP_NEG_MAX)
    n = math.floor(x * LOG2E + 0.5)
    r = n * LN2 - x
    p = 1.0 + r * (1.0 + r * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0 + r * (
        1.0 / 5040.0 + r * (1.0 / 40320.0 + r * (1.0 / 362880.0 + r * (1.0 / 3628800.0 + r * (
            1.0 / 39916800.0)))))))))))
    return p * pow2i(-np.int64(n))
