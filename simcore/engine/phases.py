"""Where a simulation's time goes: the kernel's phase timer, read from Python.

The kernel reads the CPU's cycle counter at the end of each phase of a time step (neuron update,
spike lists, recorders, delivery, the three kinds of rule hooks, waiting at barriers) and adds the
difference to its thread's row of an array, when it is given one with a row for it. Ablation
(running variants without a part) could not rank the parts on a noisy machine; the counter
splits one run. Cycles become seconds by the wall time of the kernel calls that were timed: the
phases of thread 0 cover its whole loop.

    sim.phase_timer.start()
    sim.run(2.0)
    sim.phase_timer.seconds()   # {"update": ..., "deliver": ..., ...}, thread 0, in seconds
"""
from __future__ import annotations

import numpy as np

from .kernel import PHASES

NAMES = tuple(p[3:].lower() for p in PHASES)  # "update", "serial", ..., "wait"
OFF = np.zeros((0, len(PHASES)), np.int64)  # no row: the kernel times nothing


class PhaseTimer:
    """Cycle counts per thread and phase, and the wall time of the calls that made them."""

    def __init__(self):
        self.on = False
        self.cycles = np.zeros((1, len(PHASES)), np.int64)
        self.wall_s = 0.0

    def start(self) -> None:
        """Zero the counts and time every later kernel call."""
        self.on = True
        self.cycles[:] = 0
        self.wall_s = 0.0

    def stop(self) -> None:
        """Time nothing more (the counts so far stay readable)."""
        self.on = False

    def for_kernel(self, nth: int) -> np.ndarray:
        """The array to hand to a kernel call on ``nth`` threads: a row per thread, or none when off."""
        if not self.on:
            return OFF
        if self.cycles.shape[0] < nth:
            grown = np.zeros((nth, len(PHASES)), np.int64)
            grown[:self.cycles.shape[0]] = self.cycles
            self.cycles = grown
        return self.cycles

    def seconds(self, all_threads: bool = False):
        """Seconds per phase of thread 0 (``all_threads``: a (threads, phases) array instead)."""
        total = int(self.cycles[0].sum())
        out = self.cycles * (self.wall_s / total if total > 0 else 0.0)
        return out if all_threads else dict(zip(NAMES, out[0].tolist()))
