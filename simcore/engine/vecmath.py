"""Elementary functions that numba can vectorise, for the neuron updates' inner loops.

numba has no vector ``exp`` on a machine without Intel's SVML, so a loop that calls ``math.exp``
runs one neuron at a time. :func:`exp_neg` is built from operations that do vectorise: a range
reduction by powers of two, a polynomial, and the power of two made directly from its exponent
bits (:func:`pow2f`). Every operation is exactly rounded (or fused when the caller allows FMA
contraction), so a neuron gets the same value in a vector lane as in the scalar remainder of a
loop: results do not depend on how a region is split between threads.
"""
from __future__ import annotations


import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic

from .jit import njit

LOG2E = 1.4426950408889634
LN2 = 0.6931471805599453
EXP_NEG_MAX = 64.0  # exp(-x) is taken as exp(-64) (1.6e-28) beyond this


TWO52_PLUS_BIAS = 4503599627371519.0  # 2**52 + 1023


@intrinsic
def pow2f(typingctx, m_t):
    """2.0 ** m for an integer-valued float64 ``m`` in [-1022, 1023], without leaving floating point:
    m + 2**52 + 1023 holds m + 1023 in its low mantissa bits, which a shift by 52 moves into the
    exponent. Unlike a conversion to int64 (scalar only without AVX-512), every step vectorises."""
    sig = types.float64(types.float64)

    def codegen(context, builder, signature, args):
        biased = builder.fadd(args[0], ir.Constant(ir.DoubleType(), TWO52_PLUS_BIAS))
        bits = builder.bitcast(biased, ir.IntType(64))
        return builder.bitcast(builder.shl(bits, ir.Constant(ir.IntType(64), 52)), ir.DoubleType())

    return sig, codegen


@njit(inline="always")
def exp_neg(x):
    """exp(-x) for x >= 0 (relative error < 2e-14): x = n ln2 - r with |r| <= ln2 / 2, exp(r) by
    its Taylor polynomial of degree 11, times 2**-n from the exponent bits. Beyond
    :data:`EXP_NEG_MAX` the value is exp(-EXP_NEG_MAX)."""
    x = min(x, EXP_NEG_MAX)
    n = np.floor(x * LOG2E + 0.5)  # a float: see pow2f
    r = n * LN2 - x
    # Estrin's scheme: the same polynomial as Horner's rule in a dependency chain of 5 fused
    # multiply-adds instead of 11, so that the out-of-order core overlaps more neurons
    r2 = r * r
    r4 = r2 * r2
    p01 = 1.0 + r
    p23 = 0.5 + r * (1.0 / 6.0)
    p45 = 1.0 / 24.0 + r * (1.0 / 120.0)
    p67 = 1.0 / 720.0 + r * (1.0 / 5040.0)
    p89 = 1.0 / 40320.0 + r * (1.0 / 362880.0)
    pab = 1.0 / 3628800.0 + r * (1.0 / 39916800.0)
    p = (p01 + r2 * p23) + r4 * ((p45 + r2 * p67) + r4 * (p89 + r2 * pab))
    return p * pow2f(-n)
