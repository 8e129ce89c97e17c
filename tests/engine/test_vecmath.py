"""The vectorisable exponential of the neuron updates: accurate, and the same in every lane."""
import platform
import re

import numpy as np
import pytest

from simcore.engine.jit import njit
from simcore.engine.vecmath import EXP_NEG_MAX, exp_neg, pow2f
from simcore.neurons import lif


@njit
def _pow2f_all(m, out):
    for i in range(m.shape[0]):
        out[i] = pow2f(m[i])


@njit
def _exp_all(x, out):
    for i in range(x.shape[0]):
        out[i] = exp_neg(x[i])


def test_exp_neg_is_accurate_to_a_few_ulp_over_its_range():
    x = np.concatenate([np.linspace(0.0, EXP_NEG_MAX, 400_001), np.random.default_rng(1).uniform(0, 0.1, 100_000)])
    out = np.empty_like(x)
    _exp_all(x, out)
    assert np.max(np.abs(out / np.exp(-x) - 1.0)) < 2e-14


def test_pow2f_is_exact_over_the_normal_range():
    m = np.arange(-1022, 1024, dtype=np.float64)
    out = np.empty_like(m)
    _pow2f_all(m, out)
    assert np.array_equal(out, np.ldexp(1.0, np.arange(-1022, 1024)))


def test_exp_neg_clamps_beyond_its_range():
    out = np.empty(3)
    _exp_all(np.array([EXP_NEG_MAX, 1e3, np.inf]), out)
    assert np.all(out == out[0]) and out[0] == pytest.approx(np.exp(-EXP_NEG_MAX), rel=1e-13)


def test_exp_neg_gives_the_same_value_in_a_vector_lane_as_alone():
    x = np.random.default_rng(2).uniform(0, 10, 1001)
    whole = np.empty_like(x)
    _exp_all(x, whole)
    alone = np.empty_like(x)
    for i in range(len(x)):  # a loop of length 1 never takes the vector path
        _exp_all(x[i:i + 1], alone[i:i + 1])
    assert np.array_equal(whole, alone)


def _state(n, seed=0):
    rng = np.random.default_rng(seed)
    S = np.zeros((6, n))
    S[lif.V] = rng.uniform(-60, -49, n)
    S[lif.GE], S[lif.GI] = rng.uniform(0, 3, n), rng.uniform(0, 3, n)
    S[lif.REF] = rng.integers(0, 3, n)
    return S


def _rows(S, lo=0, hi=None):
    """Views (not copies) of the rows the update writes."""
    return [S[r, lo:hi] for r in (lif.V, lif.GE, lif.GI, lif.GSH, lif.REF, lif.THETA)]


def _params():
    p = {q.name: q.default for q in lif.PARAMS}
    p.update(synapses="conductance", i_bias=20.0)
    return lif.prepare(p, 0.1)


def test_conductance_update_matches_the_exact_step_with_numpy_exp():
    """v relaxes towards v_inf = (e_l + g_e e_e + g_i e_i) / g with factor exp(-dt g / tau_m)."""
    P, S = _params(), _state(5000)
    e, i_, v0, r0 = S[lif.GE].copy(), S[lif.GI].copy(), S[lif.V].copy(), S[lif.REF].copy()
    spk = np.zeros(5000, np.int32)
    lif._integrate_conductance(*_rows(S), spk, P)
    g = 1 + e + i_
    vinf = (P[1] + e * P[10] + i_ * P[11]) / g
    v = np.where(r0 > 0, v0, vinf + (v0 - vinf) * np.exp(-0.1 / 20.0 * g))
    quiet = v <= P[2]
    assert quiet.sum() > 1000 and (~quiet).sum() > 100
    assert np.max(np.abs(S[lif.V][quiet] - v[quiet])) < 1e-12
    assert np.all(S[lif.V][~quiet] == P[3])  # crossed: reset
    assert np.array_equal(S[lif.GE], e * P[5]) and np.array_equal(S[lif.GI], i_ * P[6])


def test_conductance_update_is_the_same_for_any_split_of_the_region():
    P = _params()
    whole, parts = _state(3001, seed=3), _state(3001, seed=3)
    start = whole.copy()
    spk = np.zeros(3001, np.int32)
    for _ in range(20):
        lif._integrate_conductance(*_rows(whole), spk, P)
        for lo, hi in ((0, 1), (1, 700), (700, 2999), (2999, 3001)):
            lif._integrate_conductance(*_rows(parts, lo, hi), spk[lo:], P)
    assert not np.array_equal(whole, start)
    assert np.array_equal(whole, parts)


@pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64"), reason="checks x86 vector instructions")
def test_conductance_update_vectorises():
    """A flag tested inside the loop, or a call to math.exp, would make it one neuron at a time; a
    conversion of the exponent to an integer is done lane by lane (vcvttsd2si / vcvtsi2sd) on
    machines without AVX-512, and cost a third of the update."""
    P, S = _params(), _state(100)
    for fn in (lif._integrate_conductance, lif._integrate_conductance_shunt, lif._integrate_conductance_fixed,
               lif._integrate_conductance_shunt_fixed):
        fn(*_rows(S), np.zeros(100, np.int32), P)
        asm = "\n".join(fn.inspect_asm().values())
        packed_fma = re.findall(r"vfmadd\w*pd\s+\S*%[yz]mm", asm)
        assert len(packed_fma) >= 5, "the exponential's polynomial is not evaluated on packed doubles"
        assert not re.search(r"call\S*\s+\S*exp", asm), "the loop calls a scalar exp"
        assert not re.search(r"cvtt?sd2si|cvtsi2sd", asm), "the exponent goes through scalar integer conversions"
