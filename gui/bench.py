"""GUI benchmark: frames drawn per second, longest GUI-thread stall and real-time factor while simulating.

``python -m gui.bench [--json] [--seconds 8]`` measures, in the real window with every panel live,
the CUBA example and a 20k-neuron / 2M-synapse circuit with STDP (plus synaptic scaling when that
rule exists). A 5 ms QTimer heartbeat measures stalls: any gap beyond 5 ms is time the GUI thread
could not run (painting included). Targets: >= 30 fps, no stall over 50 ms.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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


def measure(win, app, circuit, seconds: float, warmup: float = 1.0) -> dict:
    from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt, QTimer

    live = win.live
    win.set_circuit(circuit, None)
    t0 = time.perf_counter()
    live.ctl.run()
    while live.ctl.worker.state != "running" or live.ctl.last is None:  # build + compile in the worker
        app.processEvents()
        time.sleep(0.002)
        if time.perf_counter() - t0 > 600:
            raise RuntimeError("simulation did not start")
    startup = time.perf_counter() - t0

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
    cpu0 = time.thread_time()  # CPU time of the GUI thread (this one)
    clock.start()
    stats["last"] = None
    beat.start()
    # run the event loop for `seconds`
    from PySide6.QtCore import QEventLoop
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
    beat.stop()
    wall = time.perf_counter() - w0
    gui_cpu = time.thread_time() - cpu0
    frames, n_paints, t_sim = live.frames_drawn - frames0, Paints.n - paints0, live.ctl.last["t"] - t_sim0
    vp.removeEventFilter(paints)
    live.ctl.pause()
    sim = live.ctl.worker.sim
    return {"fps": round(frames / wall, 1), "paints_per_s": round(n_paints / wall, 1),
            "max_stall_ms": round(max(0.0, stats["max_gap"] - 5.0), 1),
            "realtime_factor": round(t_sim / wall, 3), "neurons": sim.n_neurons,
            "synapses": sim.n_synapses, "startup_s": round(startup, 2), "wall_s": round(wall, 2),
            "gui_cpu_ms_per_frame": round(1000 * gui_cpu / max(1, frames), 1),
            "gui_thread_busy": round(gui_cpu / wall, 2),
            "loadavg_1min": round(os.getloadavg()[0], 2), "cpus": os.cpu_count()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m gui.bench", description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="one JSON object per circuit")
    ap.add_argument("--seconds", type=float, default=8.0, help="measured wall time per circuit")
    ap.add_argument("--only", choices=("cuba", "big"), help="one circuit only")
    args = ap.parse_args(argv)
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("SYNAPTICA_DATA_DIR", str(Path.home() / ".cache" / "synaptica-bench"))
    from PySide6.QtWidgets import QApplication

    from .main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    win = MainWindow(recover=False)
    win.resize(1400, 900)
    win.show()
    app.processEvents()
    for name, make in circuits(args.only):
        result = {"circuit": name, **measure(win, app, make(), args.seconds)}
        if args.json:
            print(json.dumps(result), flush=True)
        else:
            print(f"{name}: {result['fps']} fps drawn, longest GUI stall {result['max_stall_ms']} ms, "
                  f"{result['realtime_factor']}x real time ({result['neurons']} neurons, {result['synapses']:,} "
                  f"synapses; start-up {result['startup_s']} s)", flush=True)
    win.document.undo_stack.setClean()
    win.live.ctl.shutdown()
    win.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
