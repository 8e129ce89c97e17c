"""The engine loop: owns one ``Simulation``, paces it in short chunks, builds display frames. Qt-free.

It runs wherever the engine lives -- the engine process (:mod:`gui.sim.engine_process`, the default)
or a thread of the GUI process (:mod:`gui.sim.worker`, kept to measure against). It never talks to
its host directly: commands arrive as picklable messages ``(name, args)`` (:data:`COMMANDS`) in
``inbox``, and everything it reports goes through an *outbox* with three members:

- ``post(msg)``: a small message (``("state", ...)``, ``("msg", text)``, ``("result", ...)``);
- ``offer(frame)``: the newest display frame; an older one not yet delivered is replaced;
- ``taken``: True once the display has picked up the last frame offered (frames are built only
  when wanted, see :meth:`EngineLoop._publish`).
"""
from __future__ import annotations

import collections
import inspect
import os
import threading
import time
import traceback
from typing import Any, Callable

from simcore.engine import frames
from simcore.engine.frames import FrameBuilder

FRAME_INTERVAL_S = 1 / 60     # at most this often a new frame is built while running: once the GUI
                              # has taken the previous one, or when the untaken one is older than
FRAME_STALE_S = 1 / 30        # this (built ahead, a frame is ready at the GUI's next tick even when
                              # a chunk ends just after the GUI took the last frame)
CHUNK_WALL_S = 0.02           # target wall time of one chunk (latency of live changes)
FULL_EVERY_S = 0.1            # while running, a full frame at most this often (see EngineLoop._frame),
FULL_SHARE = 0.05             # and full frames take at most this share of the engine's time (a full
                              # frame of CUBA or of the 20k/2M circuit takes ~10 ms: weight panels
                              # then refresh ~5 times a second, and each refresh also costs the window
                              # a few ms of drawing)


def engine_threads() -> int | None:
    """The thread count the user chose (Simulation > Threads, kept in ``SYNAPTICA_ENGINE_THREADS``), or
    None for automatic."""
    env = os.environ.get("SYNAPTICA_ENGINE_THREADS", "").strip()
    return max(1, int(env)) if env.isdigit() and int(env) > 0 else None


def make_simulation(circuit, seed=None):
    """``Simulation(circuit, seed)`` on the chosen number of threads; automatic: the engine's choice
    for the network's size, but never every core: the window keeps one for drawing."""
    from simcore.engine.simulation import Simulation
    from simcore.engine.threads import cores

    chosen = engine_threads()
    sim = Simulation(circuit, seed, threads=chosen)
    if chosen is None:
        sim.threads = min(sim.threads, max(1, cores() - 1))
    return sim


class EngineLoop:
    """Runs, paces and reports one simulation. States: idle, loading, compiling, running, paused, error."""

    def __init__(self, outbox):
        self.out = outbox
        self.sim = None
        self.builder: FrameBuilder | None = None
        self._state = "idle"
        self._status = ""
        self.error = ""
        self.load_id = 0              # stamped on frames as "load": which load request they belong to
        self.applied = 0              # commands applied so far (the host compares with those it sent)
        self.speed: float | None = None  # None: as fast as possible; else x real time
        self.until: float | None = None  # pause when t reaches this (s)
        self.rtf = float("nan")
        self.inbox: collections.deque = collections.deque()
        self.wake = threading.Event()
        self.quit = False
        self._timed: list[tuple[float, Callable]] = []  # (sim time, fn) scheduled in simulated time
        self._running = False
        self._steps = 0
        self._steps_per_s = 0.0       # measured engine speed, for chunk sizing
        self._pace = None             # (wall anchor, sim anchor) of real-time pacing
        self._rtf_hist: collections.deque = collections.deque(maxlen=64)
        self._last_frame = 0.0
        self._full: dict | None = None   # the last full frame (its weight parts are reused in between)
        self._full_at = 0.0             # when the last full frame was built (perf_counter)
        self._full_every = FULL_EVERY_S  # the interval between full frames, from their cost
        self.wanted = {"voltage": True}  # parts the window shows now (a hidden panel's data is not sent)
        self.raster_view = None  # the raster as the window shows it (regions, pixels): binned here, see _frame

    # -- reporting --------------------------------------------------------------------------------
    @property
    def state(self) -> str:
        return self._state

    @state.setter
    def state(self, value: str) -> None:
        if value != self._state:
            self._state = value
            self._post_state()

    @property
    def status(self) -> str:
        return self._status

    @status.setter
    def status(self, value: str) -> None:
        if value != self._status:
            self._status = value
            self._post_state()

    def _post_state(self) -> None:
        self.out.post(("state", self._state, self._status, self.error, self.applied))

    def say(self, text: str) -> None:
        self.out.post(("msg", text))

    def put(self, name: str, *args) -> None:
        """Queue a command (from another thread of this process)."""
        self.inbox.append((name, args))
        self.wake.set()

    def schedule(self, t: float, fn: Callable[[Any], Any]) -> None:
        """Run ``fn(sim)`` when simulated time reaches ``t`` (used for brief stimuli)."""
        self._timed.append((t, fn))
        self._timed.sort(key=lambda x: x[0])

    # -- the loop ---------------------------------------------------------------------------------
    def run_forever(self) -> None:
        while not self.quit:
            self._drain()
            if self.quit:
                break
            if self.sim is None or self.state == "error" or not (self._running or self._steps):
                if self.state not in ("idle", "error", "loading", "compiling") and self.sim is not None:
                    self.state = "paused"
                self.wake.wait(0.1)
                self.wake.clear()
                continue
            try:
                self._chunk()
            except Exception as err:  # SimulationError (blow-up) or a bug: stop and say why
                self._running = False
                self._steps = 0
                self.error = str(err)
                self.state = "error"
                self.say(f"simulation stopped: {err}")
                from simcore.engine.simulation import SimulationError

                if not isinstance(err, SimulationError):
                    self.say(traceback.format_exc(limit=4))
                self._publish(force=True)

    def _drain(self) -> None:
        n = 0
        while self.inbox:
            name, args = self.inbox.popleft()
            n += 1
            try:
                COMMANDS[name](self, *args)
            except Exception as err:
                self.say(f"not applied: {err}")
        if n:
            self.applied += n
            self._post_state()

    def _chunk(self) -> None:
        sim = self.sim
        self.state = "running"
        # steps for about CHUNK_WALL_S of wall time (latency of live changes), bounded by pacing,
        # the end of the run, the next scheduled action and a pending single step
        sps = self._steps_per_s or 2000.0
        n = max(1, int(sps * CHUNK_WALL_S))
        # at most to the end of the statistics interval (modulator levels sampled often enough): a
        # chunk that crossed a boundary was two kernel calls, each with its recorder and health work
        # between chunks (the first chunks are short, so without this every later one crossed)
        n = min(n, sim.stats_steps - sim.step_index % sim.stats_steps)
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
                self.say(f"not applied: {err}")
        self.builder.sample_levels()
        self._rtf_hist.append((w1, sim.t))
        old = [x for x in self._rtf_hist if w1 - x[0] <= 2.0]
        if len(old) >= 2 and old[-1][0] > old[0][0]:
            self.rtf = (old[-1][1] - old[0][1]) / (old[-1][0] - old[0][0])
        if self.until is not None and self._running and sim.t >= self.until - 1e-12:
            self._finish_run()
            return
        self._publish(force=not self._running and not self._steps)
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
            self.wake.wait(min(ahead, 0.1))
            self.wake.clear()

    def _publish(self, force: bool = False) -> None:
        now = time.perf_counter()
        age = now - self._last_frame
        if not force and (age < FRAME_INTERVAL_S or (not self.out.taken and age < FRAME_STALE_S)):
            return
        if self.builder is None:
            return
        frame = self._frame(full=force or not self._running)
        frame["rtf"] = self.rtf
        frame["running"] = self._running
        frame["load"] = self.load_id
        self._last_frame = time.perf_counter()
        self.out.offer(frame)

    def _frame(self, full: bool) -> dict:
        """A display frame. Building one costs the simulation its time (for CUBA ~10 ms, mostly the
        per-projection weight parts: samples, ratios, histograms), and weights change slowly. So while
        running a full frame is built at most every FULL_EVERY_S of wall time, and so rarely that full
        frames take at most FULL_SHARE of the time (the window redraws its weight panels only when
        they arrive); the frames in between refresh the activity parts (rates,
        raster, voltage, E/I) from the engine's rings and share the weight parts and modulator levels
        of the last full frame (the same object: the window sees they are unchanged)."""
        now = time.perf_counter()
        if full or self._full is None or self._full["step"] > self.sim.step_index or \
                now - self._full_at >= self._full_every:
            frame = self._full = self.builder.build()
            self._full_at = time.perf_counter()
            # a big circuit's full frame can take longer than FULL_EVERY_S (weights of millions of
            # synapses): then the next one waits so that full frames keep to FULL_SHARE of the time
            self._full_every = max(FULL_EVERY_S, (self._full_at - now) / FULL_SHARE)
        else:
            frame = activity_frame(self.sim, self._full)
        if not self.wanted.get("voltage", True):
            v = frame["voltage"]
            frame = dict(frame, voltage=dict(v, t=v["t"][:0], values=v["values"][:0]))
        if self.raster_view is not None:
            # the window shows the raster as an image of its plot's size: binned here, on the engine's
            # side, it costs the GUI thread nothing, and the spikes themselves need not cross over
            r = frame["raster"]
            frame = dict(frame, raster_image=frames.raster_image(frame, self.raster_view),
                         raster={k: v[:0] for k, v in r.items()})
        return frame

    # -- loading --------------------------------------------------------------------------------
    def load(self, circuit, seed, load_id: int) -> None:
        self._running = False
        self._steps = 0
        self._timed.clear()
        self.error = ""
        self.load_id = load_id
        self.sim = None
        self.builder = None
        self._status = "building the network..."
        self.state = "loading"
        try:
            if isinstance(circuit, dict):
                import simcore
                circuit = simcore.from_dict(circuit)
            sim = make_simulation(circuit, seed)
            self.sim = sim
            self._compile()
            self.builder = FrameBuilder(sim)
        except Exception as err:
            self.sim = None
            self.error = str(err)
            self.state = "error"
            self.say(f"cannot simulate: {err}")
            return
        self._steps_per_s = 0.0
        self._rtf_hist.clear()
        self.rtf = float("nan")
        self._status = ""
        self.state = "paused"
        self._publish(force=True)

    def adopt(self, sim, load_id: int) -> None:
        """Take over an existing simulation (a fork of another engine's), paused where it is."""
        self._running = False
        self._steps = 0
        self._timed.clear()
        self.error = ""
        self.load_id = load_id
        self.sim = sim
        self._compile()  # the kernel is on disk: loading it, not compiling
        self.builder = FrameBuilder(sim)
        self.state = "paused"
        self._publish(force=True)

    def _compile(self) -> None:
        self._status = "preparing simulation kernels..."
        self.state = "compiling"

        def log(msg):
            self.status = msg
        self.sim.compile(log=log)
        self.state = "paused"

    def reset(self) -> None:
        sim = self.sim
        if sim is None:
            return
        self._running = False
        self._timed.clear()
        sim.reset()
        if not sim.compiled:
            self._compile()
        self.builder = FrameBuilder(sim)
        self._full = None
        self._rtf_hist.clear()
        self._publish(force=True)


def activity_frame(sim, full: dict) -> dict:
    """``full`` with its fast-changing parts read afresh (what :meth:`FrameBuilder.build` reads for them)."""
    dt_s = sim.dt * 1e-3
    rates = sim.rates.tail(int(frames.RATE_WINDOW_S * 1000 / sim.circuit.recording.rate_bin_ms) + 1)
    rast = sim.raster.since(0, sim.step_index - sim.steps_for(frames.RASTER_WINDOW_S))
    volt = sim.voltage.tail(int(frames.VOLTAGE_WINDOW_S / dt_s))
    ei = sim.ei.values()
    out = dict(full)
    out.update({
        "t": sim.t, "step": sim.step_index,
        "rates": {"t": rates[:, 0], "values": rates[:, 1:]},
        "raster": {"t": rast[:, 0] * dt_s, "neuron": rast[:, 1], "region": rast[:, 2]},
        "voltage": dict(full["voltage"], t=volt[:, 0], values=volt[:, 1:]),
        "ei": {"t": ei[:, 0], "values": ei[:, 1:]},
        "blocked": sim.blocked(), "fired": list(sim.fired), "reference_t": sim.reference_t,
    })
    return out


# -- the command vocabulary: name -> fn(loop, *args); every argument is picklable ---------------------
def _play(loop: EngineLoop, until: float | None) -> None:
    loop.until = until
    loop._running = True
    loop._pace = None
    # the window has the weight parts of the paused state: the first frames of the run bring only the
    # activity (cheap, so the first new frame follows Run at once); new weight parts a moment later
    loop._full_at = time.perf_counter()


def _pause(loop: EngineLoop) -> None:
    loop._running = False
    loop._publish(force=True)


def _step(loop: EngineLoop, seconds: float) -> None:
    if loop.sim is not None:
        loop._running = False
        loop._steps += max(1, loop.sim.steps_for(seconds))


def _speed(loop: EngineLoop, factor: float | None) -> None:
    loop.speed = factor
    loop._pace = None


def _on_sim(fn):
    """A command that needs a simulation: a no-op before one exists."""
    def cmd(loop: EngineLoop, *args):
        if loop.sim is not None:
            fn(loop, loop.sim, *args)
    return cmd


def _set(loop, sim, path: str, value, note: str | None = None) -> None:
    sim.set(path, value)
    if note:
        loop.say(note)


def _event(loop, sim, action: str, target: str, param: str, value) -> None:
    sim.apply_event(action, target, param, value)


def _pulse(loop, sim, region: str, hz: float, duration_s: float) -> None:
    """The source's rate jumps to ``hz`` for ``duration_s`` of simulated time, then returns."""
    old = sim.circuit.region(region).params["rate_hz"]
    sim.apply_event("set", region, "rate_hz", float(hz))
    loop.schedule(sim.t + duration_s, lambda s: s.apply_event("set", region, "rate_hz", old))


def _reference(loop, sim) -> None:
    sim.set_reference()
    loop.say("reference weights taken now")


def _call(loop: EngineLoop, call_id: int, fn, args=(), note: str | None = None) -> None:
    """``fn(sim, *args)``; the result (or the error, as text) goes back as ``("result", id, ok, value)``."""
    if loop.sim is None:
        loop.out.post(("result", call_id, False, "no simulation"))
        return
    try:
        value = fn(loop.sim, *args)
    except Exception as err:  # reported by the window ("not done: ...")
        loop.out.post(("result", call_id, False, f"{type(err).__name__}: {err}"))
        return
    loop.out.post(("result", call_id, True, value))
    if note:
        loop.say(note)


def _want(loop: EngineLoop, part: str, on: bool) -> None:
    was = loop.wanted.get(part, True)
    loop.wanted[part] = bool(on)
    if on and not was and loop.builder is not None:
        loop._publish(force=True)  # a panel just came into view: fill it now, even while paused


def _raster_view(loop: EngineLoop, view: dict | None) -> None:
    """How the window shows the raster (``{"regions", "width", "height"}``, see ``frames.raster_image``),
    or None: the frames then carry the spikes themselves."""
    changed = view != loop.raster_view
    loop.raster_view = dict(view) if view is not None else None
    if changed and view is not None and loop.builder is not None and not loop._running:
        loop._publish(force=True)  # paused: the raster at its new size now


def _quit(loop: EngineLoop) -> None:
    loop.quit = True


COMMANDS: dict[str, Callable] = {
    "load": lambda loop, circuit, seed, load_id: loop.load(circuit, seed, load_id),
    "adopt": lambda loop, sim, load_id: loop.adopt(sim, load_id),
    "play": _play, "pause": _pause, "step": _step, "speed": _speed,
    "reset": lambda loop: loop.reset(),
    "set": _on_sim(_set), "event": _on_sim(_event), "pulse": _on_sim(_pulse), "reference": _on_sim(_reference),
    "call": _call, "want": _want, "raster_view": _raster_view, "quit": _quit,
}
