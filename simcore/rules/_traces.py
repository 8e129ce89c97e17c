"""Kernel helpers shared by the rules: per-neuron traces that decay once per time step.

Not a rule (the leading underscore keeps the registry from importing it as one).
"""
from ..engine.jit import njit


@njit
def decay(x, factor):
    for i in range(x.shape[0]):
        x[i] *= factor


@njit
def decay_pre_post(rs, pre_factor, post_factor):
    """Decay the first presynaptic and the first postsynaptic trace of a rule."""
    decay(rs.pre[0], pre_factor)
    decay(rs.post[0], post_factor)


@njit
def decay_filtered_rates(rs, factor):
    """Rate rules on spiking regions keep spike trains filtered into rates; rs.flags[1] / [2] say
    whether the source / target spikes (rate regions hand over their rate directly)."""
    if rs.flags[1] != 0:
        decay(rs.pre[0], factor)
    if rs.flags[2] != 0:
        decay(rs.post[0], factor)


@njit
def activities(rs, pre_rate, post_rate):
    """Presynaptic and postsynaptic activity of a rate rule: a rate region's own rate, or for a
    spiking region the spike train filtered into a rate (rs.pre[0] / rs.post[0])."""
    xs = rs.pre[0] if rs.flags[1] != 0 else pre_rate
    ys = rs.post[0] if rs.flags[2] != 0 else post_rate
    return xs, ys
