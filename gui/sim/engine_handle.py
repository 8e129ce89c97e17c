"""The window's handle on the engine: what the GUI thread reads and the commands it sends. No Qt.

:class:`EngineHandle` mirrors the engine's reports (state, status, error, newest frame, messages,
results of calls) in plain attributes that the GUI thread reads on its frame timer; reading them
never waits for anything. Commands are picklable messages ``send(name, *args)`` (the vocabulary is
:data:`gui.sim.engine_loop.COMMANDS`).

:class:`ProcessEngine` (the default) runs the engine in a child process started with the *spawn*
context (:mod:`gui.sim.engine_process`): simulation and frame building get their own interpreter, GIL
and cores, and a crash of the engine (segfault, MemoryError, killed) cannot take the window with it.
Two daemon threads of this process move the messages: a sender (the GUI thread only appends to a
queue) and a receiver (unpickles reports and frames and stores them; the newest frame replaces an
untaken one). When the child dies the receiver notices (end of pipe), says why, and the next
:meth:`load` starts a new engine.
"""
from __future__ import annotations

import collections
import itertools
import multiprocessing
import signal
import threading

STOP_GRACE_S = 0.25   # after asking the engine to stop, how long to wait before terminating it


class EngineHandle:
    """Host-side mirror of an engine (see the module docstring). Subclasses implement ``_transmit``."""

    dead = False      # the engine process died on its own (see ProcessEngine._died)

    def __init__(self):
        self.state = "idle"
        self.status = ""              # human-readable text for the status bar
        self.error = ""
        self.latest: dict | None = None
        self.seq = 0                  # frames received so far
        self.loads = 0                # load requests so far (frames carry theirs as "load")
        self.messages: collections.deque[str] = collections.deque(maxlen=200)
        self.results: dict[int, tuple[bool, object]] = {}
        self._taken = True
        self._projections = None
        self._sent = 0
        self._applied = 0
        self._call_ids = itertools.count(1)

    # -- commands (GUI thread) ------------------------------------------------------------------
    def send(self, name: str, *args) -> None:
        self._sent += 1
        self._transmit((name, args))

    def play(self, until: float | None = None) -> None:
        self.send("play", until)

    def pause(self) -> None:
        self.send("pause")

    def load(self, circuit, seed=None) -> None:
        """Build (and compile) a new simulation of ``circuit`` in the engine."""
        import simcore

        self.loads += 1
        self.latest = None
        self.send("load", simcore.to_dict(circuit), seed, self.loads)  # plain data: pickles anywhere

    def adopt(self, sim) -> None:
        """Run an existing simulation (e.g. a fork of the window's engine), paused where it is; an engine
        process receives it pickled (the kernel loads from disk there, it is not compiled again)."""
        self.loads += 1
        self.latest = None
        self.send("adopt", sim, self.loads)

    def call(self, fn, args=(), note: str | None = None) -> int:
        """Run ``fn(sim, *args)`` in the engine (``fn`` must be picklable: a module-level function or a
        ``functools.partial`` of one); the result appears in :attr:`results` under the returned id."""
        call_id = next(self._call_ids)
        self.send("call", call_id, fn, tuple(args), note)
        return call_id

    @property
    def pending(self) -> bool:
        """Commands sent that the engine has not applied yet."""
        return self._applied < self._sent

    @property
    def taken(self) -> bool:
        return self._taken

    @taken.setter
    def taken(self, value: bool) -> None:
        """The GUI sets this when it picks up :attr:`latest` (the engine builds frames only when wanted)."""
        if value and not self._taken:
            self._ack()
        self._taken = value

    def _ack(self) -> None:
        pass

    def _transmit(self, msg) -> None:
        raise NotImplementedError

    # -- reports (any thread) -------------------------------------------------------------------
    def _dispatch(self, msg) -> None:
        kind = msg[0]
        if kind == "frame":
            frame = msg[1]
            if frame.get("projections", {}) is None:  # the same as in the last frame (PipeOutbox)
                frame["projections"] = self._projections
            else:
                self._projections = frame.get("projections")
            if frame.get("load", 0) < self.loads:
                return  # from a simulation replaced since
            self.latest = frame
            self._taken = False
            self.seq += 1
        elif kind == "state":
            _, self.state, self.status, self.error, applied = msg
            self._applied = max(self._applied, applied)
        elif kind == "msg":
            self.messages.append(msg[1])
        elif kind == "result":
            _, call_id, ok, value = msg
            self.results[call_id] = (ok, value)


class ProcessEngine(EngineHandle):
    """The engine in a spawned child process (see the module docstring)."""

    def __init__(self):
        super().__init__()
        self.proc = None
        self.restarts = 0
        self._queue: collections.deque = collections.deque()
        self._wake = threading.Event()
        self._cmd_conn = None
        self._stopping = False

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.is_alive()

    def start(self) -> None:
        """Start the engine process (done by the first command; a dead engine is replaced)."""
        if self.proc is not None and not self.dead:
            return
        if self.proc is not None:
            self.restarts += 1
        ctx = multiprocessing.get_context("spawn")
        cmd_r, cmd_w = ctx.Pipe(duplex=False)
        out_r, out_w = ctx.Pipe(duplex=False)
        from . import engine_process
        proc = ctx.Process(target=engine_process.main, args=(cmd_r, out_w), name="synaptica-engine", daemon=True)
        proc.start()
        cmd_r.close()
        out_w.close()
        self.proc, self._cmd_conn = proc, cmd_w
        self.dead = False
        self._stopping = False
        self._sent = self._applied = 0
        self._queue = collections.deque()
        self._wake = threading.Event()
        self._taken = True
        threading.Thread(target=self._send_forever, args=(cmd_w, self._queue, self._wake), daemon=True,
                         name="engine-commands").start()
        threading.Thread(target=self._receive_forever, args=(out_r, proc), daemon=True,
                         name="engine-reports").start()

    def send(self, name: str, *args) -> None:
        if self._stopping:
            return
        if self.proc is None or self.dead:
            self.start()
        super().send(name, *args)

    def _transmit(self, msg) -> None:
        self._queue.append(msg)
        self._wake.set()

    def _ack(self) -> None:
        if self.alive:
            self._queue.append(("ack", ()))
            self._wake.set()

    def _send_forever(self, conn, queue, wake) -> None:
        while True:
            wake.wait()
            wake.clear()
            while queue:
                msg = queue.popleft()
                if msg is None:
                    conn.close()  # the engine exits when its end of the pipe closes
                    return
                try:
                    conn.send(msg)
                except (OSError, ValueError):
                    return  # the engine is gone; the receiver reports it
                except Exception as err:  # not picklable (a lambda, a Qt object): a bug of the caller
                    self.messages.append(f"not sent to the engine: {msg[0]}: {err}")

    def _receive_forever(self, conn, proc) -> None:
        while True:
            try:
                msg = conn.recv()
            except (EOFError, OSError):
                break
            self._dispatch(msg)
        conn.close()
        if proc is self.proc and not self._stopping:
            self._died(proc)

    def _died(self, proc) -> None:
        proc.join(2.0)
        code = proc.exitcode
        if code is not None and code < 0:
            try:
                how = f"killed by {signal.Signals(-code).name}"
            except ValueError:
                how = f"killed by signal {-code}"
        else:
            how = f"exit code {code}"
        self.dead = True
        self.error = (f"the simulation engine stopped unexpectedly ({how}); the circuit is unchanged, "
                      "press Reset to start a new engine")
        self.state = "error"
        self.status = ""
        self.messages.append(self.error)

    def stop(self, timeout: float = 1.0) -> None:
        """End the engine now, in any state (running, compiling): close its pipe, then terminate it."""
        proc = self.proc
        if proc is None:
            return
        self._stopping = True
        self._queue.append(None)
        self._wake.set()
        proc.join(min(timeout, STOP_GRACE_S))
        if proc.is_alive():
            proc.terminate()
            proc.join(max(0.1, timeout - STOP_GRACE_S))
        if proc.is_alive():
            proc.kill()
            proc.join(1.0)
        self.proc = None
        self.state = "idle"
