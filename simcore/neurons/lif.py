"""Leaky integrate-and-fire neuron with exponential synaptic currents or conductances."""
import math

import numpy as np

from ..engine.impl import NeuronImpl
from ..engine.inputs import add_inputs_range
from ..engine.jit import njit
from ..engine.rng import normal_at
from ..engine.vecmath import exp_neg
from ..params import Check, Kind, Ordered, Param, fits_in_steps, register

PARAMS = (
    Param("tau_m", 20.0, "ms", "Membrane time constant", min=0.0, exclusive_min=True),
    Param("e_l", -60.0, "mV", "Resting (leak reversal) potential"),
    Param("v_th", -50.0, "mV", "Spike threshold"),
    Param("v_reset", -60.0, "mV", "Reset potential after a spike"),
    Param("t_ref", 5.0, "ms", "Absolute refractory period", min=0.0),
    Param("tau_e", 5.0, "ms", "Decay time constant of excitatory synaptic input", min=0.0, exclusive_min=True),
    Param("tau_i", 10.0, "ms", "Decay time constant of inhibitory synaptic input", min=0.0, exclusive_min=True),
    Param("i_bias", 0.0, "mV", "Constant drive, expressed as the depolarisation it causes at rest"),
    Param("synapses", "current", "", "Current-based synapses (weights in mV) or conductance-based "
          "(weights in units of the leak conductance, driving force towards e_e / e_i)",
          type="choice", choices=("current", "conductance"), live=False),
    Param("e_e", 0.0, "mV", "Excitatory reversal potential (conductance synapses)"),
    Param("e_i", -80.0, "mV", "Inhibitory reversal potential (conductance synapses)"),
    Param("noise_sd", 0.0, "mV", "Standard deviation of membrane noise (white noise, per sqrt(tau_m))", min=0.0),
    Param("v_init_low", -60.0, "mV", "Initial potentials are drawn uniformly from [v_init_low, v_init_high]"),
    Param("v_init_high", -50.0, "mV", "Upper end of the initial potential range"),
)



# -- engine ----------------------------------------------------------------------------------

V, GE, GI, GSH, REF, THETA = range(6)  # THETA: threshold offset (intrinsic plasticity)
THETA_USED = 16  # after prepare's 16 values, the engine's flag: 1.0 when a rule writes theta (NeuronImpl.optional_rows)


def _p21(dt, tau_s, tau_m):
    """Exact propagator from an exponentially decaying current into the membrane potential."""
    if abs(tau_s - tau_m) < 1e-9:
        return dt / tau_m * math.exp(-dt / tau_m)
    return tau_s / (tau_s - tau_m) * (math.exp(-dt / tau_s) - math.exp(-dt / tau_m))


def prepare(p, dt):
    p22 = math.exp(-dt / p["tau_m"])
    return np.array([
        p22, p["e_l"] + p["i_bias"], p["v_th"], p["v_reset"], round(p["t_ref"] / dt),
        math.exp(-dt / p["tau_e"]), math.exp(-dt / p["tau_i"]),
        _p21(dt, p["tau_e"], p["tau_m"]), _p21(dt, p["tau_i"], p["tau_m"]),
        1.0 if p["synapses"] == "conductance" else 0.0, p["e_e"], p["e_i"],
        p["noise_sd"] * math.sqrt(1.0 - p22 * p22), dt, p["tau_m"], p["e_l"],
    ])


def init(p, n, rng):
    S = np.zeros((6, n))
    S[V] = rng.uniform(p["v_init_low"], p["v_init_high"], n)
    return S


BLOCK = 256  # neurons per block of the fused integrate-and-threshold loop


@njit(inline="always")
def _reset_crossings(vb, rb, tb, c, b, spk, nspk, P, adaptive):
    """The second pass of a block that counted ``c`` threshold crossings: reset those neurons, start
    their refractory period and append them (block offset ``b``) to ``spk``; returns the new count.
    ``adaptive``: the threshold includes the offset ``tb`` (see _settler)."""
    vth, vreset, ref_steps = P[2], P[3], P[4]
    j = 0
    while c > 0 and j < vb.shape[0]:
        if vb[j] > vth + (tb[j] if adaptive else 0.0):
            vb[j] = vreset
            rb[j] = ref_steps
            spk[nspk] = b + j
            nspk += 1
            c -= 1
        j += 1
    return nspk


def _settler(adaptive: bool):
    """The end of one neuron's step in the fused loops, with or without reading the threshold
    offset (``adaptive``: some rule writes theta; else it stays 0 and its row, a fifth stream of
    memory next to v, ge, gi and ref, is not read: at 256k neurons, the state coming from L3, the
    update took 0.5 instead of 0.8 ns per neuron-step without it)."""

    @njit(inline="always")
    def settle(vb, rb, eb, ib, tb, j, vn, r, e_next, i_next, vth):
        """A refractory neuron keeps its potential and counts down, the inputs take their decayed
        values; returns 1 if the neuron crossed threshold (written branch-free, so that the loops
        calling it vectorise)."""
        vn = vn if r <= 0.0 else vb[j]
        vb[j] = vn
        rb[j] = r - 1.0 if r > 0.0 else r
        eb[j] = e_next
        ib[j] = i_next
        if adaptive:
            return 1 if vn > vth + tb[j] else 0
        return 1 if vn > vth else 0

    return settle


def _current_loop(adaptive: bool):
    """The current-based update, compiled with and without the threshold offset (see _settler)."""
    settle = _settler(adaptive)

    @njit
    def integrate(v, ge, gi, ref, theta, spk, P):
        """The common case (current synapses, no shunting, no noise): integrate exactly, detect
        threshold crossings, reset; returns the number of spikes written to ``spk`` (ascending).

        Fused into one pass over the state, block by block: the inner loop is branch-free and
        vectorises (it only counts the crossings in its block, so the state is read once), and the
        rare blocks that hold a spike are scanned again. Iterating over slices keeps the indices
        provably non-negative, otherwise numba's wraparound turns the loads into gathers.
        Inputs have already been added to ge and gi."""
        p22, el, de, di, p21e, p21i = P[0], P[1], P[5], P[6], P[7], P[8]
        vth = P[2]
        nspk = 0
        for b in range(0, v.shape[0], BLOCK):
            vb, eb, ib, rb, tb = v[b:b + BLOCK], ge[b:b + BLOCK], gi[b:b + BLOCK], ref[b:b + BLOCK], theta[b:b + BLOCK]
            c = 0
            for j in range(vb.shape[0]):
                e = eb[j]
                i_ = ib[j]
                r = rb[j]
                vn = el + (vb[j] - el) * p22 + e * p21e - i_ * p21i
                c += settle(vb, rb, eb, ib, tb, j, vn, r, e * de, i_ * di, vth)
            nspk = _reset_crossings(vb, rb, tb, c, b, spk, nspk, P, adaptive)
        return nspk

    return integrate


_integrate_current = _current_loop(True)
_integrate_current_fixed = _current_loop(False)


# FMA contraction only: fused multiply-adds are the same in a vector lane and in the scalar
# remainder, so every neuron's value is independent of the split (no reassociation, NaN stays NaN)
_CONTRACT = {"contract"}


def _conductance_loop(shunt: bool, adaptive: bool):
    """The conductance update, compiled separately with and without the shunting channel and the
    threshold offset (see _settler): a flag tested inside the loop would keep it from vectorising."""
    settle = _settler(adaptive)

    @njit(fastmath=_CONTRACT)
    def integrate(v, ge, gi, gsh, ref, theta, spk, P):
        """Conductance synapses without noise, fused and branch-free like :func:`_integrate_current`:
        v relaxes towards its instantaneous equilibrium with the total conductance, exactly over
        the step for frozen conductances (as the per-neuron loop), with a vectorised exponential."""
        el, de, di = P[1], P[5], P[6]
        ee, ei, dtm, e_leak = P[10], P[11], P[13] / P[14], P[15]
        vth = P[2]
        nspk = 0
        for b in range(0, v.shape[0], BLOCK):
            vb, eb, ib, rb, tb = v[b:b + BLOCK], ge[b:b + BLOCK], gi[b:b + BLOCK], ref[b:b + BLOCK], theta[b:b + BLOCK]
            sb = gsh[b:b + BLOCK]
            c = 0
            for j in range(vb.shape[0]):
                e = eb[j]
                i_ = ib[j]
                r = rb[j]
                if shunt:
                    s = sb[j]
                    g = 1.0 + e + i_ + s
                    vinf = (el + e * ee + i_ * ei + s * e_leak) / g
                    sb[j] = s * di
                else:
                    g = 1.0 + e + i_
                    vinf = (el + e * ee + i_ * ei) / g
                vn = vinf + (vb[j] - vinf) * exp_neg(dtm * g)
                c += settle(vb, rb, eb, ib, tb, j, vn, r, e * de, i_ * di, vth)
            nspk = _reset_crossings(vb, rb, tb, c, b, spk, nspk, P, adaptive)
        return nspk

    return integrate


_integrate_conductance = _conductance_loop(False, True)
_integrate_conductance_shunt = _conductance_loop(True, True)
_integrate_conductance_fixed = _conductance_loop(False, False)
_integrate_conductance_shunt_fixed = _conductance_loop(True, False)


@njit
def update_range(S, P, inp, slot, spk, rng, t, lo, hi):
    """Step neurons ``lo .. hi-1``; their spikes go to ``spk[lo:]`` (ascending), the count is returned.
    Each neuron needs only its own state (noise is drawn by step and neuron index), so the kernel's
    threads can each step a part of the region and get what one thread would."""
    vth, vreset, ref_steps = P[2], P[3], P[4]
    conductance, ee, ei, noise, dt, tau_m, e_leak = P[9] > 0.5, P[10], P[11], P[12], P[13], P[14], P[15]
    n_all = S.shape[1]
    v, ge, gi, gsh, ref, theta = S[V, lo:hi], S[GE, lo:hi], S[GI, lo:hi], S[GSH, lo:hi], S[REF, lo:hi], S[THETA, lo:hi]
    out = spk[lo:hi]
    add_inputs_range(S, GE, inp, slot, lo, hi)
    adaptive = P[THETA_USED] != 0.0
    if not conductance and inp.shape[0] < 3 and noise == 0.0:
        if adaptive:
            nspk = _integrate_current(v, ge, gi, ref, theta, out, P)
        else:
            nspk = _integrate_current_fixed(v, ge, gi, ref, theta, out, P)
    elif conductance and noise == 0.0:
        if inp.shape[0] > 2:
            if adaptive:
                nspk = _integrate_conductance_shunt(v, ge, gi, gsh, ref, theta, out, P)
            else:
                nspk = _integrate_conductance_shunt_fixed(v, ge, gi, gsh, ref, theta, out, P)
        elif adaptive:
            nspk = _integrate_conductance(v, ge, gi, gsh, ref, theta, out, P)
        else:
            nspk = _integrate_conductance_fixed(v, ge, gi, gsh, ref, theta, out, P)
    else:
        el, de, di, p22, p21e, p21i = P[1], P[5], P[6], P[0], P[7], P[8]
        for j in range(v.shape[0]):
            e, i_, s = ge[j], gi[j], gsh[j]
            if ref[j] > 0.0:
                ref[j] -= 1.0
            else:
                if conductance:
                    g = 1.0 + e + i_ + s
                    vinf = (el + e * ee + i_ * ei + s * e_leak) / g
                    v[j] = vinf + (v[j] - vinf) * math.exp(-dt * g / tau_m)
                elif s != 0.0:
                    g = 1.0 + s  # shunting inhibition divides the drive
                    vinf = el + (e - i_) / g
                    v[j] = vinf + (v[j] - vinf) * math.exp(-dt * g / tau_m)
                else:
                    v[j] = el + (v[j] - el) * p22 + e * p21e - i_ * p21i
                if noise > 0.0:
                    v[j] += noise * normal_at(rng, t * n_all + lo + j)
            ge[j] = e * de
            gi[j] = i_ * di
            gsh[j] = s * di
        nspk = 0
        for j in range(v.shape[0]):
            if v[j] > vth + theta[j]:
                v[j] = vreset
                ref[j] = ref_steps
                out[nspk] = j
                nspk += 1
    if lo != 0:
        for q in range(nspk):
            out[q] += lo
    return nspk


@njit
def update(S, P, inp, slot, spk, rng, t):
    # np.int64(0), not 0: a literal would make numba compile update_range (and what it calls) a
    # second time, specialised for lo = 0, on top of the kernel's own call with a variable lo
    return update_range(S, P, inp, slot, spk, rng, t, np.int64(0), S.shape[1])


IMPL = NeuronImpl(vars=("v", "ge", "gi", "gsh", "ref", "theta"), prepare=prepare, init=init, update=update,
                  update_range=update_range,
                  input_rows=(GE, GI), direct_rows=(GE, GI, GSH), optional_rows=(THETA,))

KIND = register(Kind(
    "neuron", "lif", "LIF neuron",
    "Leaky integrate-and-fire neuron: tau_m dv/dt = e_l - v + i_bias + I_e - I_i, synaptic inputs decay "
    "exponentially (integrated exactly, as Brian2's 'exact' method and NEST's iaf_psc_exp). "
    "Shunting inhibition divides the drive instead of subtracting from it.",
    PARAMS,
    info={"spiking": True, "roles": ("excitatory", "inhibitory"), "weight_unit": "mV", "icon": "lif"},
    impl=IMPL,
    constraints=(Ordered("v_reset", "v_th", why="a reset at or above threshold fires at every step"),
                 Ordered("v_init_low", "v_init_high", strict=False), fits_in_steps("t_ref"),
                 Check(("v_init_low", "v_init_high"), lambda p, ctx: None if math.isfinite(p["v_init_high"] - p["v_init_low"])
                       else ("v_init_high", "v_init_high - v_init_low overflows: initial potentials cannot be drawn"),
                       "v_init_high - v_init_low is finite")),
))
