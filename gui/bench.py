"""GUI benchmark: what the live view costs the simulation, with the engine in a thread and in its own process.

``python -m gui.bench [--json] [--seconds 6] [--repeats 2] [--only cuba|big] [--engines process,thread]``
measures, in the real window with every panel live, the CUBA example and a 20k-neuron / 2M-synapse
circuit with STDP (plus synaptic scaling when that rule exists). For each circuit, interleaved and
repeated (the best of the repeats is reported, since other work on the machine only ever slows a run):

- ``headless_rtf``: real-time factor of the same circuit without a window (``Simulation.step`` in this
  process, no frames), measured in this run on the engine's default threads (``headless_threads``:
  what ``synaptica run`` uses), and ``headless_rtf_window_threads`` on the threads the window's engine
  uses (``window_engine_threads``: its automatic choice leaves one core for drawing); each windowed
  run is compared with both (``rtf_vs_headless``, ``rtf_vs_headless_window_threads``);
- per engine (``process``: the default, ``thread``: the engine on a thread of the GUI process, as
  before): the windowed real-time factor and its ratio to headless, frames drawn per second, paints
  per second of the rate plot, the worst GUI stall (a 5 ms heartbeat QTimer: any gap beyond 5 ms is
  time the GUI thread could not run), the GUI thread's CPU time per frame (``time.thread_time``),
  the whole GUI process's CPU per frame (process engine only: the pipe threads included), and the
  time from pressing Run (kernels compiled) to the first new frame;
- the same ``under_load``: two CPU-bound processes started and stopped by the benchmark itself.

Targets (2 cores, offscreen): windowed RTF >= 0.8x headless; GUI CPU <= 8 ms per frame; >= 30 fps
and worst stall <= 50 ms; under load >= 24 fps and stall <= 100 ms; Run to first frame <= 100 ms.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BETTER_HIGH = ("fps", "paints_per_s", "realtime_factor", "rtf_vs_headless")
BETTER_LOW = ("max_stall_ms", "gui_cpu_ms_per_frame", "gui_process_cpu_ms_per_frame", "run_to_first_frame_ms",
              "gui_thread_busy")


def circuits(only: str | None = None):
    sys.path.insert(0, str(ROOT / "tests" / "gui"))
    import simcore
    from live_circuits import big_stdp

    out = []
    if only in (None, "cuba"):
        out.append(("vogels_abbott_cuba", lambda: simcore.load(ROOT / "circuits" / "vogels_abbott_cuba.json")))
    if only in (None, "big"):
        out.append(("20k_2M_stdp" + ("_scaling" if "scaling" in simcore.kinds("rule") else ""), big_stdp))
    return out


class CpuHogs:
    """Two busy-looping processes (the benchmark's own load), ended on exit."""

    def __init__(self, n: int = 2):
        self.n = n
        self.procs: list[subprocess.Popen] = []

    def __enter__(self):
        self.procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(self.n)]
        time.sleep(0.3)
        return self

    def __exit__(self, *exc):
        for p in self.procs:
            p.kill()
        for p in self.procs:
            p.wait()


def headless(make, seconds: float, as_window: bool = False) -> tuple[float, int]:
    """Real-time factor without a window and the engine threads used: build, compile (cached), warm up,
    then step ~``seconds`` of wall time (``Simulation.step``, as the engine loop does: ``run`` adds a
    summary that is no simulation). ``as_window``: on the threads the window's engine uses (its
    automatic choice leaves one core for drawing, see ``engine_loop.make_simulation``); else on the
    engine's own default (``synaptica run``: all cores for a big splittable network)."""
    from simcore.engine.simulation import Simulation

    from .sim.engine_loop import make_simulation

    sim = make_simulation(make(), 0) if as_window else Simulation(make(), 0)
    sim.compile()
    w0 = time.perf_counter()
    sim.step(sim.steps_for(0.2))
    per_s = (time.perf_counter() - w0) / 0.2
    duration = max(0.2, min(30.0, seconds / max(per_s, 1e-6)))
    w0 = time.perf_counter()
    sim.step(sim.steps_for(duration))
    return duration / (time.perf_counter() - w0), int(sim.threads)


def _pump(app, until, timeout: float, what: str) -> None:
    t0 = time.perf_counter()
    while not until():
        app.processEvents()
        time.sleep(0.001)
        if time.perf_counter() - t0 > timeout:
            raise RuntimeError(f"{what} did not happen within {timeout:.0f} s")


VIEW_SETS = {  # --views: the homeostasis views (gui/views), raised one per tab group at a time
    "rules+ei": ("What each rule did", "E/I balance"),
    "kymograph+ab": ("Weight kymograph", "A/B fork"),
    "delta_w": ("W(t) − W(0)",),
}


def measure(app, make, engine: str, seconds: float, warmup: float = 1.0, views: tuple = ()) -> dict:
    """One windowed run with ``engine`` ("process" or "thread"); a fresh window each time. ``views``:
    dock titles raised before the run (with "A/B fork" a branch B is forked at the first frame and runs
    along, so the panel draws two branches)."""
    from PySide6.QtCore import QElapsedTimer, QEvent, QEventLoop, QObject, Qt, QTimer

    from .main_window import MainWindow

    os.environ["SYNAPTICA_ENGINE"] = engine
    win = MainWindow(recover=False)
    win.resize(1400, 900)
    win.show()
    app.processEvents()
    live = win.live
    try:
        t0 = time.perf_counter()
        win.set_circuit(make(), None)  # the circuit is prepared in the background at once (paused at t = 0)
        live.ctl.ensure_loaded()
        _pump(app, lambda: live.ctl.state == "paused" and live.ctl.last is not None, 900, "loading")
        startup = time.perf_counter() - t0
        first = {}

        def on_frame(f):
            if "t" not in first and f["t"] > 0:
                first["t"] = time.perf_counter()
        live.ctl.frame.connect(on_frame)
        for title in views:
            live.docks[title].raise_()
        # a user presses Run on a window that has drawn the loaded circuit: let it draw first (else
        # Run->frame would include painting the whole window's first frame, 15-60 ms here)
        settle = QEventLoop()
        QTimer.singleShot(300, settle.quit)
        settle.exec()
        t_run = time.perf_counter()
        live.ctl.run()
        _pump(app, lambda: "t" in first, 60, "the first frame")
        run_to_first = first["t"] - t_run
        if "A/B fork" in views:
            ab = live.panels["A/B fork"]
            ab.change.setText("")
            ab.fork()
            _pump(app, lambda: ab.frames["B"] is not None and ab.frames["B"]["t"] > ab.fork_t, 300, "branch B running")

        class Paints(QObject):
            n = 0

            def eventFilter(self, obj, ev):
                if ev.type() == QEvent.Paint:
                    Paints.n += 1
                return False
        paints = Paints()
        vp = live.panels["Population rates"].glw.viewport()
        vp.installEventFilter(paints)
        clock = QElapsedTimer()
        stats = {"max_gap": 0.0, "last": None}
        beat = QTimer(interval=5)
        beat.setTimerType(Qt.PreciseTimer)

        def tick():
            now = clock.nsecsElapsed() / 1e6
            if stats["last"] is not None:
                stats["max_gap"] = max(stats["max_gap"], now - stats["last"])
            stats["last"] = now
        beat.timeout.connect(tick)
        deadline = time.perf_counter() + warmup
        while time.perf_counter() < deadline:
            app.processEvents()
            time.sleep(0.001)
        frames0, paints0, t_sim0 = live.frames_drawn, Paints.n, live.ctl.last["t"]
        w0 = time.perf_counter()
        cpu0, pcpu0 = time.thread_time(), time.process_time()  # this (the GUI) thread; the whole process
        clock.start()
        stats["last"] = None
        beat.start()
        loop = QEventLoop()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()
        beat.stop()
        wall = time.perf_counter() - w0
        gui_cpu, proc_cpu = time.thread_time() - cpu0, time.process_time() - pcpu0
        last = live.ctl.last
        frames, n_paints, t_sim = live.frames_drawn - frames0, Paints.n - paints0, last["t"] - t_sim0
        vp.removeEventFilter(paints)
        out = {"fps": round(frames / wall, 1), "paints_per_s": round(n_paints / wall, 1),
               "max_stall_ms": round(max(0.0, stats["max_gap"] - 5.0), 1),
               "realtime_factor": round(t_sim / wall, 3),
               "gui_cpu_ms_per_frame": round(1000 * gui_cpu / max(1, frames), 1),
               "gui_thread_busy": round(gui_cpu / wall, 2),
               "run_to_first_frame_ms": round(1000 * run_to_first, 1), "startup_s": round(startup, 2),
               "neurons": int(sum(last["sizes"])),
               "synapses": int(sum(p["n"] for p in last["projections"].values())),
               "loadavg_1min": round(os.getloadavg()[0], 2)}
        if engine == "process":
            out["gui_process_cpu_ms_per_frame"] = round(1000 * proc_cpu / max(1, frames), 1)
        return out
    finally:
        win.document.undo_stack.setClean()
        if "A/B fork" in live.panels:
            live.panels["A/B fork"].shutdown()
        live.ctl.shutdown()
        win.close()
        win.deleteLater()
        app.processEvents()


def best(runs: list[dict]) -> dict:
    """Per figure, the best of the repeats (noise from other work only ever makes a run worse)."""
    out = dict(runs[-1])
    for key in BETTER_HIGH:
        if key in out:
            out[key] = max(r[key] for r in runs)
    for key in BETTER_LOW:
        if key in out:
            out[key] = min(r[key] for r in runs)
    out["repeats"] = len(runs)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m gui.bench", description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="one JSON object per circuit")
    ap.add_argument("--seconds", type=float, default=6.0, help="measured wall time per run")
    ap.add_argument("--repeats", type=int, default=2, help="interleaved repeats (the best is reported)")
    ap.add_argument("--only", choices=("cuba", "big"), help="one circuit only")
    ap.add_argument("--engines", default="process,thread", help="comma-separated: process, thread")
    ap.add_argument("--no-load", action="store_true", help="skip the runs under the benchmark's own CPU load")
    ap.add_argument("--views", action="store_true",
                    help="also measure with the homeostasis views raised (" + ", ".join(VIEW_SETS) + "; "
                         "reported as ENGINE+SET, the default layout as ENGINE)")
    args = ap.parse_args(argv)
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if not os.environ.get("SYNAPTICA_DATA_DIR"):  # the default panel layout, not one remembered from earlier runs
        import tempfile
        os.environ["SYNAPTICA_DATA_DIR"] = tempfile.mkdtemp(prefix="synaptica-bench-")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    loads = [False] if args.no_load else [False, True]
    for name, make in circuits(args.only):
        runs: dict[str, list] = {}
        for rep in range(args.repeats):
            for loaded in loads:
                tag = "_under_load" if loaded else ""
                order = engines if rep % 2 == 0 else engines[::-1]  # interleaved: neither goes always first
                with (CpuHogs() if loaded else contextlib.nullcontext()):
                    for as_window in (False, True):
                        rtf, threads = headless(make, args.seconds, as_window)
                        runs.setdefault("headless" + ("_window_threads" if as_window else "") + tag, []).append(rtf)
                        runs.setdefault("threads" + ("_window" if as_window else ""), []).append(threads)
                    for engine in order:
                        for vset in [""] + (list(VIEW_SETS) if args.views else []):
                            r = measure(app, make, engine, args.seconds, views=VIEW_SETS.get(vset, ()))
                            key = engine + (f"+{vset}" if vset else "") + tag
                            runs.setdefault(key, []).append(r)
                            print(f"  {name} {key} #{rep + 1}: {json.dumps(r)}", file=sys.stderr, flush=True)
        result = {"circuit": name, "cpus": os.cpu_count(), "headless_threads": runs["threads"][0],
                  "window_engine_threads": runs["threads_window"][0]}
        for loaded in loads:
            tag = "_under_load" if loaded else ""
            h = max(runs["headless" + tag])
            hw = max(runs["headless_window_threads" + tag])
            result["headless_rtf" + tag] = round(h, 3)
            result["headless_rtf_window_threads" + tag] = round(hw, 3)
            for key in [k for k in runs if not k.startswith(("headless", "threads")) and k.endswith(tag)
                        and (tag or not k.endswith("_under_load"))]:
                b = best(runs[key])
                b["rtf_vs_headless"] = round(b["realtime_factor"] / h, 2)
                b["rtf_vs_headless_window_threads"] = round(b["realtime_factor"] / hw, 2)
                result[key] = b
        if args.json:
            print(json.dumps(result), flush=True)
        else:
            print(f"{name} (headless {result['headless_rtf']}x real time on {result['headless_threads']} engine "
                  f"thread(s); {result['headless_rtf_window_threads']}x on the window engine's "
                  f"{result['window_engine_threads']}; load average {os.getloadavg()[0]:.2f}):")
            for key, r in result.items():
                if isinstance(r, dict):
                    print(f"  {key:>20}: {r['realtime_factor']}x ({r['rtf_vs_headless']} of headless, "
                          f"{r['rtf_vs_headless_window_threads']} at the same threads), {r['fps']} fps, "
                          f"stall {r['max_stall_ms']} ms, GUI {r['gui_cpu_ms_per_frame']} ms CPU/frame, "
                          f"Run->frame {r['run_to_first_frame_ms']} ms", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
