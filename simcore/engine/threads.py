"""How many threads step a simulation, and the call that runs the kernel on them.

The kernel (simcore.engine.kernel.run_chunk) is one nogil function that every thread calls with the
same arguments and its own thread number; the threads meet at lock-free barriers
(simcore.engine.sync) inside it. Each call of a chunk starts its helper threads afresh and joins
them before it returns: a thread start costs tens of microseconds against the milliseconds of a
chunk, and nothing outlives the call (no pool to shut down, nothing to leak into a fork or a pickle).

Results do not depend on the number of threads: the work is split by neurons, every neuron's
random numbers are drawn by (step, neuron), and every target receives its inputs in the same order.
"""
from __future__ import annotations

import os
import threading
import time

import numpy as np

from .sync import new_flags

# below this many neurons in regions that can be split, the barriers (several per time step) cost
# more than a second core gains: the default then is one thread
SPLIT_MIN_NEURONS = 20_000


def cores() -> int:
    """Cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def default_threads(split_neurons: int) -> int:
    """Every core for a network big enough to gain from them, else one (``SYNAPTICA_THREADS`` overrides)."""
    env = os.environ.get("SYNAPTICA_THREADS", "").strip()
    if env:
        return check_threads(int(env))
    return cores() if split_neurons >= SPLIT_MIN_NEURONS else 1


def check_threads(n) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"threads must be a whole number >= 1, got {n!r}")
    return int(n)


# with several threads, each region that can be split is stepped in this many blocks per thread;
# a thread steps its own blocks, then helps with the blocks of any thread that is behind (one
# slowed down by the host), see simcore.engine.sync.claim
BLOCKS_PER_THREAD = 4


def blocks(nth: int) -> int:
    """Blocks each region that can be split is stepped in, on ``nth`` threads."""
    return 1 if nth == 1 else BLOCKS_PER_THREAD * nth


def run_threads(kernel, nth: int, nreg: int, args: tuple) -> None:
    """``kernel(tid, nth, flags, tcount, *args)`` on ``nth`` threads (the caller is thread 0)."""
    flags = new_flags(nth)
    tcount = np.zeros((max(1, nreg), blocks(nth)), np.int64)
    if nth == 1:
        kernel(0, 1, flags, tcount, *args)
        return
    errors: list[BaseException] = []

    def work(tid: int) -> None:
        try:
            kernel(tid, nth, flags, tcount, *args)
        except BaseException as e:  # noqa: BLE001 - re-raised in the caller's thread
            errors.append(e)

    helpers = [threading.Thread(target=work, args=(tid,), name=f"synaptica-kernel-{tid}", daemon=True)
               for tid in range(1, nth)]
    for h in helpers:
        h.start()
    work(0)
    for h in helpers:
        h.join()
    if errors:
        raise errors[0]


class ThreadGovernor:
    """Fewer threads when more do not pay: the engine's automatic choice, adjusted chunk by chunk.

    The threads meet at several barriers per time step, so they only help when each has a core
    of its own. When other programs hold the cores (a busy laptop in a lecture), a thread waits a
    whole scheduler time slice at every barrier: two threads ran ten times slower than one.
    Results are the same for any thread count and any chunking, so the count may change within a
    run: the governor measures the cost per step of the automatic count and of one thread on
    short pieces of :data:`PROBE_STEPS` steps (both at the start, then the one not in use every
    :data:`PROBE_EVERY_S`, or less often so that trying costs at most ~5% of the time) and runs
    the rest on whichever was cheaper."""

    PROBE_EVERY_S = 2.0
    PROBE_STEPS = 50

    def __init__(self):
        self.cost: dict[int, float] = {}  # the latest cost per step of each count
        self.choice: int | None = None
        self._probe_at = time.monotonic() + self.PROBE_EVERY_S

    def pieces(self, n_max: int, steps: int) -> list[tuple[int, int]]:
        """How to run the next ``steps``: (threads, steps) pieces, in order."""
        if n_max <= 1:
            return [(1, steps)]
        if self.choice not in (1, n_max):
            self.choice = n_max
            self.cost.clear()
        todo = [c for c in (n_max, 1) if c not in self.cost]
        if not todo and time.monotonic() >= self._probe_at:
            todo = [1 if self.choice == n_max else n_max]
        out = []
        for c in todo:
            k = min(self.PROBE_STEPS, steps - sum(s for _, s in out))
            if k > 0:
                out.append((c, k))
        rest = steps - sum(s for _, s in out)
        return out + ([(None, rest)] if rest > 0 else [])  # None: the choice after the pieces before

    def record(self, n: int, n_max: int, steps: int, seconds: float, probe: bool) -> None:
        if steps <= 0 or n_max <= 1:
            return
        self.cost[n] = seconds / steps
        if probe:
            self._probe_at = time.monotonic() + max(self.PROBE_EVERY_S, 20.0 * seconds)
        if 1 in self.cost and n_max in self.cost:
            self.choice = n_max if self.cost[n_max] <= self.cost[1] else 1
