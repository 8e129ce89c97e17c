"""What a neuron model or a plasticity rule gives the engine, besides its parameter declaration.

A neuron model: state variable names (row 0 is the membrane potential or rate), ``prepare`` (params,
dt -> float64 parameter vector the kernel reads), ``init`` (initial state), and a numba ``update``:

    update(S, P, inp, slot, spk, rng, t) -> number of spikes written to spk

``S`` is the (n_vars, n) state, ``inp`` the (channels, D, n) input ring buffer (excitatory,
inhibitory and, only when some projection is shunting, shunting) whose ``slot`` the update reads and
clears. ``D == 1`` means every input was delivered straight into ``direct_rows`` of ``S``.

A rule: per-presynaptic, per-postsynaptic and per-synapse state names, ``prepare``, and numba hooks,
each optional, called by the kernel (simcore.engine.kernel) with the projection ``syn`` and the rule's ``rs``:

    on_pre(i, t, syn, rs)        presynaptic neuron i spiked at step t
    on_post(j, t, syn, rs)       postsynaptic neuron j spiked
    step(t, syn, rs, pre_spk, n_pre, post_spk, n_post, pre_rate, post_rate)   end of every step

``rs.glob[0]`` accumulates the rule's total weight change (its recorded contribution); the rest of
``rs.glob`` (8 values) is the rule's own. ``rs.M`` is the state of the modulatory region named by
the rule's ``modulator_param`` (level in ``M[0, 0]``; zeros when none), ``rs.src`` / ``rs.tgt`` the
state arrays of the source and target regions (e.g. an adaptive threshold row to adjust).
``rs.flags[0]`` is 1 while the rule is enabled (the kernel skips disabled rules).
``rs.flags[1]`` / ``rs.flags[2]`` are 1 when the source / target region spikes (0 for rate regions).
``rs.flags[3]`` is 0, except for the parts of a region's homeostat (family ``homeostasis``): the engine
gives each projection it acts on one instance of the kind's hooks, the first (the leader) with its own
state, the others reading the leader's ``post`` state as ``rs.M``; the kind's ``extra`` says which
value of ``flags[3]`` marks which part (see simcore.rules.scaling).
"""
from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

# The arrays of one region, one projection and one rule instance, as the kernel sees them.
RegionArrays = namedtuple("RegionArrays", "S P inp spk rng flags")
SynArrays = namedtuple("SynArrays", "W post indptr in_indptr in_syn in_pre delay gain")
RuleArrays = namedtuple("RuleArrays", "P pre post syn glob M flags src tgt")


@dataclass(frozen=True)
class NeuronImpl:
    vars: tuple[str, ...]
    prepare: Callable[[dict, float], np.ndarray]
    init: Callable[[dict, int, np.random.Generator], np.ndarray]
    update: Any
    spiking: bool = True
    # rows of S holding the excitatory / inhibitory input state, for the E/I balance recorder
    input_rows: tuple[int, int] | None = None
    # rows of S that integrate the three input channels additively (x += w), so that a one-step
    # delay can be delivered straight into the state instead of through the ring buffer
    direct_rows: tuple[int, int, int] | None = None
    # extra numpy state built once (e.g. a frozen pattern), stored as more rows of S
    extra_rows: Callable[[dict, int, float, np.random.Generator], np.ndarray] | None = None
    # row of S (neuron 0) that receives the activity of the region named by the ``follow`` parameter
    # at every step: its spikes per neuron, or for a rate region its mean rate times dt
    follow_row: int | None = None
    # a block (TTX) also clears row 0 (the output of rate units, which emit no spikes to withhold)
    block_clears_output: bool = False
    # update_range(S, P, inp, slot, spk, rng, t, lo, hi) -> spikes of neurons lo..hi-1, written to
    # spk[lo:] (ascending): a model whose neurons need only their own state (random numbers drawn
    # by step and neuron index) declares it, and the kernel's threads each step a part of the region;
    # without it the whole region is stepped by one thread with ``update``
    update_range: Any = None
    # rows of S that stay zero unless a rule writes them (RuleImpl.writes_target): the engine appends
    # one value per such row to P, after what ``prepare`` returns (1.0: some rule onto the region
    # writes it), so that the update can leave a row nobody writes unread
    optional_rows: tuple[int, ...] = ()


@dataclass(frozen=True)
class RuleImpl:
    prepare: Callable[[dict, float], np.ndarray]
    pre_vars: tuple[str, ...] = ()
    post_vars: tuple[str, ...] = ()
    syn_vars: tuple[str, ...] = ()
    on_pre: Any = None
    on_post: Any = None
    step: Any = None
    # True when the rule scales weights through the per-target gain (w = W * gain)
    uses_gain: bool = False
    # the rule reads a modulatory region named by this parameter
    modulator_param: str | None = None
    init: Callable | None = None  # init(rule: RuleArrays, syn: SynArrays, params, dt), numpy side
    extra: dict = field(default_factory=dict)
    # state variables of the target region the hooks write through ``rs.tgt`` (e.g. "theta"): a
    # neuron model reads its optional rows only when a rule declares it writes them
    writes_target: tuple[str, ...] = ()
