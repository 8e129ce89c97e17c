"""Shared kernel helper: move this step's arrived inputs from the ring buffer into the state."""
from .jit import njit


@njit
def add_inputs(S, first_row, inp, slot):
    """Add channel c of ``inp[:, slot]`` to row ``first_row + c`` of ``S`` and clear the slot.

    Nothing to do when the buffer has one slot: the kernel then delivered inputs straight
    into those rows (all incoming delays are one step)."""
    if inp.shape[1] == 1:
        return
    for c in range(inp.shape[0]):
        row, x = S[first_row + c], inp[c, slot]
        for j in range(row.shape[0]):
            row[j] += x[j]
            x[j] = 0.0


@njit
def add_inputs_range(S, first_row, inp, slot, lo, hi):
    """As :func:`add_inputs` for neurons ``lo .. hi-1`` only (one thread's part of a region)."""
    if inp.shape[1] == 1:
        return
    for c in range(inp.shape[0]):
        row, x = S[first_row + c, lo:hi], inp[c, slot, lo:hi]
        for j in range(row.shape[0]):
            row[j] += x[j]
            x[j] = 0.0
