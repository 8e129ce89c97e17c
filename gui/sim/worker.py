"""The engine in a thread of the GUI process: the way Synaptica ran before the engine process.

Kept for comparison (``SYNAPTICA_ENGINE=thread``, ``python -m gui.bench`` measures both) and for
debugging the engine loop in one process. The same :class:`gui.sim.engine_loop.EngineLoop` runs here
as in the engine process; this handle is its outbox, so reports land directly in the attributes the
GUI thread reads, and :attr:`sim` is the live ``Simulation`` (reading it from the GUI thread while the
loop steps it is only safe for plain attributes).
"""
from __future__ import annotations

import sys
import threading

from .engine_handle import EngineHandle
from .engine_loop import EngineLoop

SWITCH_INTERVAL_S = 2e-4     # GIL hand-over interval (see SimWorker.__init__)


class SimWorker(EngineHandle):
    """An :class:`EngineLoop` on a plain (non-Qt) daemon thread."""

    def __init__(self):
        super().__init__()
        # GIL: PySide releases it around every Qt call; while the loop runs Python between chunks,
        # each such call of the GUI thread could wait a whole switch interval (5 ms by default) to get
        # it back -- hundreds of calls per repaint made 100 ms stalls. A short interval bounds that.
        # Garbage collection: automatic GC is off and the GUI thread collects on a timer (gui.live:
        # a collection triggered here could destroy Qt objects in this thread).
        self._old_interval = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL_S)
        self.loop = EngineLoop(self)
        self.thread = threading.Thread(target=self.loop.run_forever, name="synaptica-sim", daemon=True)

    @property
    def sim(self):
        return self.loop.sim

    def adopt(self, sim) -> None:
        """Run an existing simulation (e.g. a fork of the window's engine), paused; it is handed over
        as an object, which only a thread engine can take."""
        self.loads += 1
        self.latest = None
        self.send("adopt", sim, self.loads)

    def start(self) -> None:
        if not self.thread.is_alive():
            self.thread.start()

    # the loop's outbox ----------------------------------------------------------------------------
    def post(self, msg) -> None:
        self._dispatch(msg)

    def offer(self, frame) -> None:
        self._dispatch(("frame", frame))

    def _transmit(self, msg) -> None:
        self.loop.inbox.append(msg)
        self.loop.wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self.loop.quit = True
        self.loop.wake.set()
        if self.thread.is_alive():
            self.thread.join(timeout)
        sys.setswitchinterval(self._old_interval)
