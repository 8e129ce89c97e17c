"""The simulation worker: a plain thread (no Qt) that owns the Simulation.

Only this thread touches the engine. Everything else talks to it through :meth:`SimWorker.submit`
(a thread-safe queue of callables drained between chunks) and reads :attr:`SimWorker.latest`, the
newest display frame (one reference, replaced atomically: nothing piles up). The numba kernel
releases the GIL, and chunks are sized to a few tens of milliseconds of wall time, so the GUI keeps
running and live changes apply at the next chunk.
"""
from __future__ import annotations

import collections
import sys
import threading
import time
import traceback
from typing import Any, Callable

from simcore.engine.frames import FrameBuilder

FRAME_INTERVAL_S = 1 / 60     # at most this often a new frame is built while running: once the GUI
                              # has taken the previous one, or when the untaken one is older than
FRAME_STALE_S = 1 / 30        # this (built ahead, a frame is ready at the GUI's next tick even when
                              # a chunk ends just after the GUI took the last frame)
SWITCH_INTERVAL_S = 2e-4     # GIL hand-over interval (see SimWorker.__init__)
CHUNK_WALL_S = 0.02           # target wall time of one chunk (latency of live changes)


class SimWorker(threading.Thread):
    """Runs, paces and reports one simulation. States: idle, loading, compiling, running, paused, error."""

    def __init__(self):
        super().__init__(name="synaptica-sim", daemon=True)
        # GIL: PySide releases it around every Qt call; while this thread runs Python between chunks,
        # each such call of the GUI thread could wait a whole switch interval (5 ms by default) to get
        # it back -- hundreds of calls per repaint made 100 ms stalls. A short interval bounds that;
        # the cost (more hand-overs) falls only on the short Python parts between compiled chunks.
        # What this thread does with the GIL held is kept short as well: histograms and weight
        # statistics are compiled nogil passes (simcore.engine.stats), frames copy ring tails only.
        # Garbage collection: automatic GC is off and the GUI thread collects on a timer (gui.live:
        # a collection triggered here could destroy Qt objects in this thread); the long-lived heap
        # is frozen after each load (SimController._freeze_heap) so those collections stay short.
        # Not done: a lower OS priority for this thread (nice / SCHED_BATCH). It helped under light
        # load but halved the frame rate when other processes kept both cores busy: the starved
        # worker then sat on the GIL that the GUI thread was waiting for (priority inversion).
        sys.setswitchinterval(SWITCH_INTERVAL_S)
        self.sim = None
        self.builder: FrameBuilder | None = None
        self.state = "idle"
        self.status = ""              # human-readable text for the status bar
        self.error = ""
        self.latest: dict | None = None
        self.seq = 0
        self.loads = 0                # simulations loaded so far (frames carry it as "load")
        self.taken = True             # the GUI sets this when it picks up ``latest``
        self.speed: float | None = None  # None: as fast as possible; else x real time
        self.until: float | None = None  # pause when t reaches this (s)
        self.rtf = float("nan")
        self.messages: collections.deque[str] = collections.deque(maxlen=200)
        self._cmds: collections.deque = collections.deque()
        self._timed: list[tuple[float, Callable]] = []  # (sim time, fn) scheduled in simulated time
        self._wake = threading.Event()
        self._quit = False
        self._running = False
        self._steps = 0
        self._steps_per_s = 0.0       # measured engine speed, for chunk sizing
        self._pace = None             # (wall anchor, sim anchor) of real-time pacing
        self._rtf_hist: collections.deque = collections.deque(maxlen=64)
        self._last_frame = 0.0

    # -- API (any thread) -----------------------------------------------------------------------
    def submit(self, fn: Callable[[Any], Any], note: str | None = None) -> None:
        """Run ``fn(sim)`` in the worker before the next chunk."""
        self._cmds.append((fn, note))
        self._wake.set()

    def load(self, circuit, seed=None) -> None:
        """Build (and compile) a new simulation of ``circuit`` in the worker."""
        self.submit(lambda _sim: self._load(circuit, seed))

    def adopt(self, sim) -> None:
        """Take over an existing (compiled) simulation, e.g. a fork of another worker's, paused."""
        def take(_old):
            self._running = False
            self._timed.clear()
            self.sim = sim
            self.builder = FrameBuilder(sim)
            self.loads += 1
            self.state = "paused"
            self._publish(force=True)
        self.submit(take)

    def play(self, until: float | None = None) -> None:
        def go(_sim):
            self.until = until
            self._running = True
            self._pace = None
        self.submit(go)

    def pause(self) -> None:
        def stop(_sim):
            self._running = False
            self._publish(force=True)
        self.submit(stop)

    def step(self, seconds: float) -> None:
        def st(sim):
            self._running = False
            self._steps += max(1, sim.steps_for(seconds))
        self.submit(st)

    def set_speed(self, factor: float | None) -> None:
        def sp(_sim):
            self.speed = factor
            self._pace = None
        self.submit(sp)

    def at(self, t: float, fn: Callable[[Any], Any]) -> None:
        """Run ``fn(sim)`` when simulated time reaches ``t`` (used for brief stimuli)."""
        self.submit(lambda _sim: self.schedule(t, fn))

    def schedule(self, t: float, fn: Callable[[Any], Any]) -> None:
        """Worker thread only (inside a submitted callable): run ``fn(sim)`` at simulated time ``t``."""
        self._timed.append((t, fn))
        self._timed.sort(key=lambda x: x[0])

    def reset(self) -> None:
        def rs(sim):
            if sim is None:
                return
            self._running = False
            self._timed.clear()
            sim.reset()
            if not sim.compiled:
                self._compile()
            self.builder = FrameBuilder(sim)
            self._rtf_hist.clear()
            self._publish(force=True)
        self.submit(rs)

    def stop(self, timeout: float = 5.0) -> None:
        self._quit = True
        self._wake.set()
        if self.is_alive():
            self.join(timeout)

    # -- the loop ---------------------------------------------------------------------------------
    def run(self) -> None:
        while not self._quit:
            self._drain()
            if self.sim is None or self.state == "error" or not (self._running or self._steps):
                if self.state not in ("idle", "error", "loading", "compiling") and self.sim is not None:
                    self.state = "paused"
                self._wake.wait(0.1)
                self._wake.clear()
                continue
            try:
                self._chunk()
            except Exception as err:  # SimulationError (blow-up) or a bug: stop and say why
                self._running = False
                self._steps = 0
                self.state = "error"
                self.error = str(err)
                self.messages.append(f"simulation stopped: {err}")
                if not type(err).__name__ == "SimulationError":
                    self.messages.append(traceback.format_exc(limit=4))
                self._publish(force=True)

    def _drain(self) -> None:
        while self._cmds:
            fn, note = self._cmds.popleft()
            try:
                fn(self.sim)
                if note:
                    self.messages.append(note)
            except Exception as err:
                self.messages.append(f"not applied: {err}")

    def _chunk(self) -> None:
        sim = self.sim
        self.state = "running"
        # steps for about CHUNK_WALL_S of wall time (latency of live changes), bounded by pacing,
        # the end of the run, the next scheduled action and a pending single step
        sps = self._steps_per_s or 2000.0
        n = max(1, int(sps * CHUNK_WALL_S))
        n = min(n, sim.stats_steps)  # at most one statistics interval: modulator levels sampled often enough
        if self._steps:
            n = min(n, self._steps)
        if self.speed is not None:
            n = min(n, max(1, sim.steps_for(self.speed / 30.0)))
        if self.until is not None and self._running:
            left = sim.steps_for(self.until) - sim.step_index
            if left <= 0:
                self._finish_run()
                return
            n = min(n, left)
        if self._timed:
            n = min(n, max(1, sim.steps_for(self._timed[0][0]) - sim.step_index))
        w0 = time.perf_counter()
        done = sim.step(n)
        w1 = time.perf_counter()
        if done and w1 > w0:
            rate = done / (w1 - w0)
            self._steps_per_s = rate if not self._steps_per_s else 0.7 * self._steps_per_s + 0.3 * rate
        if self._steps:
            self._steps = max(0, self._steps - done)
        while self._timed and sim.t >= self._timed[0][0] - 1e-12:
            _, fn = self._timed.pop(0)
            try:
                fn(sim)
            except Exception as err:
                self.messages.append(f"not applied: {err}")
        self.builder.sample_levels()
        self._rtf_hist.append((w1, sim.t))
        old = [x for x in self._rtf_hist if w1 - x[0] <= 2.0]
        if len(old) >= 2 and old[-1][0] > old[0][0]:
            self.rtf = (old[-1][1] - old[0][1]) / (old[-1][0] - old[0][0])
        if self.until is not None and self._running and sim.t >= self.until - 1e-12:
            self._finish_run()
            return
        if not self._running and not self._steps:
            self._publish(force=True)
        else:
            self._publish()
        self._pace_wait()

    def _finish_run(self) -> None:
        self._running = False
        self.until = None
        self.state = "paused"
        self._publish(force=True)

    def _pace_wait(self) -> None:
        """With a speed factor, sleep until wall time catches up with simulated time (interruptibly)."""
        if self.speed is None or not self._running:
            return
        now = time.perf_counter()
        if self._pace is None:
            self._pace = (now, self.sim.t)
            return
        w0, t0 = self._pace
        ahead = (self.sim.t - t0) / self.speed - (now - w0)
        if ahead < -0.5:  # cannot keep up: do not try to catch up later in a burst
            self._pace = (now, self.sim.t)
        elif ahead > 0:
            self._wake.wait(min(ahead, 0.1))
            self._wake.clear()

    def _publish(self, force: bool = False) -> None:
        now = time.perf_counter()
        age = now - self._last_frame
        if not force and (age < FRAME_INTERVAL_S or (not self.taken and age < FRAME_STALE_S)):
            return
        if self.builder is None:
            return
        frame = self.builder.build()
        frame["rtf"] = self.rtf
        frame["running"] = self._running
        frame["load"] = self.loads
        self._last_frame = time.perf_counter()
        self.taken = False
        self.latest = frame
        self.seq += 1

    # -- loading --------------------------------------------------------------------------------
    def _load(self, circuit, seed) -> None:
        from simcore.engine.simulation import Simulation

        self._running = False
        self._steps = 0
        self._timed.clear()
        self.error = ""
        self.state = "loading"
        self.status = "building the network..."
        self.sim = None
        self.builder = None
        self.latest = None
        try:
            sim = Simulation(circuit, seed)
            self.sim = sim
            self._compile()
            self.builder = FrameBuilder(sim)
        except Exception as err:
            self.sim = None
            self.state = "error"
            self.error = str(err)
            self.messages.append(f"cannot simulate: {err}")
            return
        self.loads += 1
        self._steps_per_s = 0.0
        self._rtf_hist.clear()
        self.rtf = float("nan")
        self.state = "paused"
        self.status = ""
        self._publish(force=True)

    def _compile(self) -> None:
        self.state = "compiling"
        self.status = "preparing simulation kernels..."

        def log(msg):
            self.status = msg
        self.sim.compile(log=log)
        self.state = "paused"
