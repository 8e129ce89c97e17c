"""The engine process: the child's side of :class:`gui.sim.engine_handle.ProcessEngine`. Qt-free.

Started with multiprocessing's *spawn* context (a fresh interpreter, never a fork of the Qt process),
it runs :class:`gui.sim.engine_loop.EngineLoop` on its main thread with two helper threads:

- a reader that receives commands from the window's pipe and queues them for the loop; an ``ack``
  (the window took the last frame) only flips a flag. When the window's end of the pipe closes
  (the window quit, crashed or asked it to stop) the process exits at once (``os._exit``): nothing in
  it needs saving, and no engine outlives its window.
- a sender that pickles and writes what the loop reports: small messages in order, then the newest
  frame. A slow reader on the other side only delays this thread; the loop keeps stepping, and a
  frame not yet written is replaced by a newer one (nothing piles up).
"""
from __future__ import annotations

import os
import signal
import threading


class PipeOutbox:
    """The loop's outbox (see :mod:`gui.sim.engine_loop`) over a one-way pipe to the window."""

    def __init__(self, conn):
        self.conn = conn
        self.taken = True
        self._small: list = []
        self._frame = None
        self._sent_projections = None  # the weight parts of the last frame written
        self._lock = threading.Lock()
        self._ready = threading.Event()
        threading.Thread(target=self._send_forever, name="engine-sender", daemon=True).start()

    def post(self, msg) -> None:
        with self._lock:
            self._small.append(msg)
        self._ready.set()

    def offer(self, frame) -> None:
        with self._lock:
            self._frame = frame
            self.taken = False
        self._ready.set()

    def _send_forever(self) -> None:
        while True:
            self._ready.wait()
            self._ready.clear()
            with self._lock:
                small, self._small = self._small, []
                frame, self._frame = self._frame, None
            try:
                for msg in small:
                    self.conn.send(msg)
                if frame is not None:
                    self.conn.send(("frame", self._without_repeats(frame)))
            except (OSError, EOFError):  # the window is gone
                os._exit(0)


    def _without_repeats(self, frame: dict) -> dict:
        """Frames between full ones share the weight parts of the last full frame (EngineLoop._frame):
        those went over the pipe already, so they are left out (``None``) and the window reuses its copy."""
        proj = frame.get("projections")
        if proj is not None and proj is self._sent_projections:
            return dict(frame, projections=None)
        self._sent_projections = proj
        return frame


def _read_forever(conn, loop, outbox) -> None:
    while True:
        try:
            name, args = conn.recv()
        except (EOFError, OSError):
            os._exit(0)  # the window closed its end: stop now, even inside a chunk or a compile
        if name == "ack":
            outbox.taken = True
            continue
        loop.put(name, *args)


def main(cmd_conn, out_conn) -> None:
    """Entry point of the engine process (``multiprocessing`` target)."""
    from .engine_loop import EngineLoop

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C in a terminal is the window's to handle
    outbox = PipeOutbox(out_conn)
    loop = EngineLoop(outbox)
    threading.Thread(target=_read_forever, args=(cmd_conn, loop, outbox), name="engine-reader", daemon=True).start()
    outbox.post(("state", "idle", "", "", 0))
    loop.run_forever()
    os._exit(0)
