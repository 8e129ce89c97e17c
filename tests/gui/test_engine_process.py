"""The engine in its own process: live edits cross the pipe, a killed engine leaves the window
usable, closing the window ends the engine at once (even while it compiles)."""
import copy
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np

from gui import commands
from gui.sim import jobs

sys.path.insert(0, str(Path(__file__).parent))
from live_circuits import plastic_demo  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_MS = 120_000  # the first run compiles the kernel


def wait_t(qtbot, live, t, timeout=TIMEOUT_MS):
    qtbot.waitUntil(lambda: live.ctl.last is not None and live.ctl.last["t"] >= t, timeout=timeout)


def input_rate_after(frame, t):
    i = frame["regions"].index("Input")
    recent = frame["rates"]["t"] > t
    return float(np.nanmean(frame["rates"]["values"][recent, i])) if recent.any() else float("nan")


def test_live_set_reaches_the_engine_process_and_shows_in_the_next_frames(window, qtbot):
    live = window.live
    window.set_circuit(plastic_demo(), None)
    live.ctl.run()
    wait_t(qtbot, live, 0.3)
    engine = live.ctl.worker
    assert engine.alive and engine.proc.pid != os.getpid()  # the simulation is not in this process
    assert input_rate_after(live.ctl.last, 0.1) < 25.0        # the source fires at 15 Hz
    live.ctl.set_param("Input.rate_hz", 80.0)                 # while running, as the live controls do
    # the next frames carry the engine's own parameters: the change arrived in the other process ...
    qtbot.waitUntil(lambda: live.ctl.last["params"]["Input"]["rate_hz"] == 80.0, timeout=10_000)
    t_applied = live.ctl.last["t"]
    # ... and its effect follows in the frames after it: the source fires at the new rate
    wait_t(qtbot, live, t_applied + 0.5, timeout=10_000)
    assert input_rate_after(live.ctl.last, t_applied + 0.1) > 60.0
    out = []
    live.ctl.call(jobs.region_params, out.append, ("Input",))
    qtbot.waitUntil(lambda: bool(out), timeout=5000)
    assert out[0]["rate_hz"] == 80.0
    assert window.document.circuit.region("Input").params["rate_hz"] == 15.0  # the document is not touched


def test_killed_engine_leaves_the_window_usable_and_reset_starts_a_new_one(window, qtbot):
    live = window.live
    window.set_circuit(plastic_demo(), None)
    live.ctl.run()
    wait_t(qtbot, live, 0.2)
    # an unsaved edit of the document (structural: the simulation becomes stale)
    region = copy.deepcopy(window.document.circuit.region("E"))
    region.size = 600
    window.document.undo_stack.push(commands.edit_region(window.document, region))
    assert not window.document.undo_stack.isClean()
    old_pid = live.ctl.worker.proc.pid
    t_last = live.ctl.last["t"]
    messages = []
    live.ctl.message.connect(messages.append)
    os.kill(old_pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: live.ctl.state == "error", timeout=5000)
    assert any("killed by SIGKILL" in m for m in messages)
    assert "stopped" in live.state_label.text()
    # the window, the circuit and the edit are intact; the last frame stays on the plots
    assert window.isVisible() and not window.document.undo_stack.isClean()
    assert window.document.circuit.region("E").size == 600 and len(window.scene.regions) == 4
    assert live.ctl.last["t"] >= t_last
    window.document.undo_stack.undo()  # editing still works
    assert window.document.circuit.region("E").size == 800
    live.reset()                       # Reset starts a new engine
    qtbot.waitUntil(lambda: live.ctl.last is not None and live.ctl.last["t"] == 0.0
                    and live.ctl.state == "paused", timeout=TIMEOUT_MS)
    new = live.ctl.worker
    assert new.alive and new.proc.pid != old_pid
    live.ctl.run()
    wait_t(qtbot, live, 0.1)
    assert live.ctl.state == "running"


def test_shutdown_ends_the_engine_at_once(window, qtbot):
    live = window.live
    window.set_circuit(plastic_demo(), None)
    live.ctl.run()
    wait_t(qtbot, live, 0.1)
    proc = live.ctl.worker.proc
    t0 = time.perf_counter()
    live.ctl.shutdown()
    assert time.perf_counter() - t0 < 1.0 and not proc.is_alive()


CLOSE_WHILE_COMPILING = textwrap.dedent("""
    import sys, time
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from gui import app as gui_app

    app = QApplication(sys.argv[:1])
    t0 = time.monotonic()

    def check():
        win = next((w for w in app.topLevelWidgets() if hasattr(w, "live")), None)
        if win is not None and win.live.ctl.state == "compiling":
            print("closing", win.live.ctl.worker.proc.pid, flush=True)
            win.close()
        elif time.monotonic() - t0 > 120:
            print("never compiled", flush=True)
            app.exit(3)
        else:
            QTimer.singleShot(10, check)
    QTimer.singleShot(10, check)
    sys.exit(gui_app.main([sys.argv[1], "--run", "10s"]))
""")


def test_closing_the_window_while_compiling_exits_at_once(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SYNAPTICA_DATA_DIR=str(tmp_path / "data"),
               SYNAPTICA_CACHE_DIR=str(tmp_path / "kernels"),  # empty: the kernel must be compiled
               PYTHONPATH=str(ROOT))
    p = subprocess.Popen([sys.executable, "-c", CLOSE_WHILE_COMPILING, str(ROOT / "circuits" / "vogels_abbott_cuba.json")],
                         env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = p.stdout.readline().split()
        t_close = time.monotonic()
        code = p.wait(timeout=30)
        t_exit = time.monotonic() - t_close
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    assert line and line[0] == "closing", p.stderr.read()
    assert code == 0, p.stderr.read()
    assert t_exit < 1.0
    engine_pid = int(line[1])
    time.sleep(0.2)  # an orphan would now belong to init; an ended engine is gone (reaped by its parent)
    stat = Path(f"/proc/{engine_pid}/stat")
    if stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z":
        os.kill(engine_pid, signal.SIGKILL)
        raise AssertionError("the engine process outlived its window")


def test_a_hidden_panel_costs_nothing_and_fills_when_shown(window, qtbot):
    live = window.live
    window.set_circuit(plastic_demo(), None)
    dock = live.docks["Membrane potential"]
    assert dock.visibleRegion().isEmpty()  # tabbed behind the raster by default
    live.ctl.run()
    wait_t(qtbot, live, 0.3)
    t = live.ctl.last["t"]
    wait_t(qtbot, live, t + 0.1)
    assert len(live.ctl.last["voltage"]["t"]) == 0  # its data is not even sent
    assert len(live.ctl.last["rates"]["t"]) > 0
    dock.raise_()
    qtbot.waitUntil(lambda: len(live.ctl.last["voltage"]["t"]) > 100, timeout=5000)
    live.ctl.pause()
    qtbot.waitUntil(lambda: live.ctl.state == "paused", timeout=5000)
    window.live.docks["Spike raster"].raise_()
    qtbot.wait(100)
    dock.raise_()  # shown again while paused: the engine sends a frame with it at once
    qtbot.waitUntil(lambda: len(live.ctl.last["voltage"]["t"]) > 100, timeout=5000)


def test_the_thread_engine_runs_the_same_loop(qtbot, no_dialogs, monkeypatch):
    from gui.main_window import MainWindow
    from gui.sim.worker import SimWorker

    monkeypatch.setenv("SYNAPTICA_ENGINE", "thread")
    win = MainWindow(recover=False)
    qtbot.addWidget(win)
    win.show()
    try:
        live = win.live
        assert isinstance(live.ctl.worker, SimWorker)
        win.set_circuit(plastic_demo(), None)
        live.ctl.run()
        wait_t(qtbot, live, 0.2)
        assert live.ctl.worker.sim.t >= 0.2
    finally:
        win.document.undo_stack.setClean()
        win.live.ctl.shutdown()
        win.autosaver.finish()


def test_weight_parts_cross_the_pipe_once_per_full_frame():
    """Frames between full ones reuse the weight parts: they are sent once, the window keeps its copy."""
    import multiprocessing
    import pickle

    from gui.sim.engine_handle import EngineHandle
    from gui.sim.engine_process import PipeOutbox

    r, w = multiprocessing.Pipe(duplex=False)
    outbox = PipeOutbox(w)
    handle = EngineHandle()
    proj = {"E->E": {"hist": np.arange(1000)}}
    full = {"t": 0.1, "load": 0, "projections": proj}
    outbox.offer(full)
    got_full = r.recv()
    outbox.offer(dict(full, t=0.2))  # an activity frame: the same projections object
    got_next = r.recv()
    outbox.offer({"t": 0.3, "load": 0, "projections": {"E->E": {"hist": np.zeros(3)}}})  # a new full frame
    got_new = r.recv()
    assert len(pickle.dumps(got_next)) < len(pickle.dumps(got_full)) / 4
    for msg in (got_full, got_next):
        handle._dispatch(msg)
        assert handle.latest["projections"]["E->E"]["hist"].sum() == np.arange(1000).sum()
    handle._dispatch(got_new)
    assert handle.latest["projections"]["E->E"]["hist"].sum() == 0
    w.close()
    r.close()
