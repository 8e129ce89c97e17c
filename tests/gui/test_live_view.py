"""The live simulation view: running in the engine process, streaming plots, live edits, controls, reset, CLI."""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gui import commands
from gui.app import DEFAULT_CIRCUIT
from gui.sim import jobs

sys.path.insert(0, str(Path(__file__).parent))
from live_circuits import plastic_demo  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_MS = 120_000  # the first run compiles the kernel


@pytest.fixture
def live(window):
    yield window.live
    window.live.ctl.shutdown()


def wait_t(qtbot, live, t, timeout=TIMEOUT_MS):
    qtbot.waitUntil(lambda: live.ctl.last is not None and live.ctl.last["t"] >= t, timeout=timeout)


def wait_paused(qtbot, live):
    qtbot.waitUntil(lambda: live.ctl.worker.state == "paused" and not live.ctl.worker.pending, timeout=TIMEOUT_MS)
    qtbot.wait(80)  # let the frame timer deliver the final frame


def engine(qtbot, live, fn, *args):
    """``fn(sim, *args)`` evaluated in the engine process (a round trip through the pipes)."""
    out = []
    live.ctl.call(fn, out.append, args)
    qtbot.waitUntil(lambda: bool(out), timeout=10_000)
    return out[0]


def wait_engine(qtbot, live, predicate, fn, *args, timeout=5000):
    """Ask the engine ``fn(sim, *args)`` until ``predicate`` holds for the answer."""
    qtbot.waitUntil(lambda: predicate(engine(qtbot, live, fn, *args)), timeout=timeout)


def test_run_streams_frames_into_plots(window, live, qtbot):
    assert window.open_path(str(DEFAULT_CIRCUIT), interactive=False)
    live.ctl.run()
    wait_t(qtbot, live, 0.3)
    rates = live.panels["Population rates"]
    x0 = rates.curves["E"].getData()[0][-1]
    t0 = live.ctl.last["t"]
    frames0 = live.frames_drawn
    wait_t(qtbot, live, t0 + 0.5)
    assert live.frames_drawn > frames0
    assert rates.curves["E"].getData()[0][-1] > x0           # the rate trace extends in time
    assert live.panels["Spike raster"].spikes_drawn > 0
    assert "t = " in live.time_label.text() and "real time" in live.rtf_label.text()
    live.ctl.pause()
    wait_paused(qtbot, live)
    t_paused = live.ctl.last["t"]
    qtbot.wait(300)
    assert live.ctl.last["t"] == t_paused                      # paused means paused
    live.ctl.step(0.1)
    wait_t(qtbot, live, t_paused + 0.1 - 1e-9)
    assert live.ctl.last["t"] == pytest.approx(t_paused + 0.1)
    live.reset()
    qtbot.waitUntil(lambda: live.ctl.last is not None and live.ctl.last["t"] == 0.0, timeout=10_000)
    assert engine(qtbot, live, jobs.sim_time) == 0.0


def test_live_parameter_edit_reaches_the_engine(window, live, qtbot):
    window.set_circuit(plastic_demo(), None)
    live.ctl.run()
    wait_t(qtbot, live, 0.2)
    live.ctl.pause()
    wait_paused(qtbot, live)
    t_change = live.ctl.last["t"]
    # through the document, as the inspector does: a live param applies without restart
    import copy
    new = copy.deepcopy(window.document.circuit.region("Input"))
    new.params["rate_hz"] = 40.0
    window.document.undo_stack.push(commands.edit_region(window.document, new))
    wait_engine(qtbot, live, lambda p: p["rate_hz"] == 40.0, jobs.region_params, "Input")
    assert not live.ctl.stale
    live.ctl.step(0.5)
    wait_t(qtbot, live, t_change + 0.5 - 1e-9)
    f = live.ctl.last
    i = f["regions"].index("Input")
    recent = f["rates"]["t"] > t_change + 0.05
    assert np.nanmean(f["rates"]["values"][recent, i]) > 30.0   # the source now fires at ~40 Hz
    live.ctl.run()
    # a rule parameter and disabling a rule, live
    proj = copy.deepcopy(window.document.circuit.projection("Input->E"))
    proj.rules[0].params["lam"] = 0.004
    proj.rules[0].enabled = False
    window.document.undo_stack.push(commands.EditProjection(window.document, "Input->E", proj,
                                                            window.document.circuit.projection("Input->E")))
    wait_engine(qtbot, live, lambda rules: rules[0][2]["lam"] == 0.004 and not rules[0][1],
                jobs.projection_rules, "Input->E")
    # a structural edit marks the simulation stale; Reset rebuilds it
    r = copy.deepcopy(window.document.circuit.region("E"))
    r.size = 500
    window.document.undo_stack.push(commands.edit_region(window.document, r))
    assert live.ctl.stale and "Reset" in live.stale_label.text()
    live.reset()
    qtbot.waitUntil(lambda: live.ctl.last is not None and live.ctl.last["sizes"][1] == 500, timeout=TIMEOUT_MS)
    assert not live.ctl.stale


def test_controls_reward_gate_block_rate_and_plots(window, live, qtbot):
    window.set_circuit(plastic_demo(), None)
    live.ctl.run()
    wait_t(qtbot, live, 0.3)
    c = live.controls
    c.amount.setValue(2.0)
    t_reward = live.ctl.last["t"]
    c.reward_button.click()

    def peak():
        lv = live.ctl.last["levels"]
        after = lv["t"] > t_reward
        return after.any() and lv["values"][after, 0].max() > 0.5
    qtbot.waitUntil(peak, timeout=5000)
    assert any("reward" in text for _, text in live.ctl.last["fired"])
    assert live.panels["Population rates"].markers.lines               # marked on the time axis
    c.gate.setChecked(False)
    qtbot.waitUntil(lambda: live.ctl.last["levels"]["values"][-1, 0] == 0.0, timeout=5000)
    c.block_region.setCurrentIndex(c.block_region.findData("E"))
    c.block_button.click()
    qtbot.waitUntil(lambda: "E" in live.ctl.last["blocked"], timeout=5000)
    c.block_button.click()
    qtbot.waitUntil(lambda: "E" not in live.ctl.last["blocked"], timeout=5000)
    c.rate.setValue(3.0)
    wait_engine(qtbot, live, lambda p: p["rate_hz"] == 3.0, jobs.region_params, "Input")
    assert window.document.circuit.region("Input").params["rate_hz"] == 15.0  # an experiment, not an edit
    c.pulse_button.click()
    qtbot.waitUntil(lambda: any("= 100" in text for _, text in live.ctl.last["fired"]), timeout=5000)
    qtbot.waitUntil(lambda: sum("rate_hz" in x for _, x in live.ctl.last["fired"]) >= 3, timeout=5000)
    wait_engine(qtbot, live, lambda p: p["rate_hz"] == 3.0, jobs.region_params, "Input")
    # weight panels hold data; the relative-weighting numbers are there
    wait_t(qtbot, live, live.ctl.last["t"] + 0.3)
    rel = live.panels["Relative weighting"]
    window.scene.select_names(["Input->E"])
    qtbot.wait(100)
    assert rel.picker.currentData() == "Input->E"
    assert live.panels["Weight histogram"].picker.currentData() == "Input->E"
    qtbot.waitUntil(lambda: rel.rho < 0.9999, timeout=20_000)  # STDP reorders the weights
    assert np.isfinite(rel.scale) and "Spearman" in rel.text.textItem.toPlainText()
    hist = live.panels["Weight histogram"]
    assert hist.now.getData()[1].sum() > 0
    # export: plots, npz, csv
    from gui.live import export_plots, write_rates_csv  # noqa: F401
    live.ctl.pause()
    wait_paused(qtbot, live)


def test_export_plots_and_data(window, live, qtbot, tmp_path):
    assert window.open_path(str(DEFAULT_CIRCUIT), interactive=False)
    live.ctl.run(until=0.5)
    wait_t(qtbot, live, 0.5)
    wait_paused(qtbot, live)
    from gui.live import export_plots
    pngs = export_plots(live, str(tmp_path / "plots.png"), "png")
    assert all(Path(p).stat().st_size > 1000 for p in pngs)
    svgs = export_plots(live, str(tmp_path / "plots.svg"), "svg")
    assert all(Path(p).read_text().startswith("<?xml") for p in svgs)
    done = []
    live.ctl.call(jobs.write_npz, done.append, (str(tmp_path / "run.npz"),))
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    data = np.load(tmp_path / "run.npz")
    assert data["rates"].shape[1] == 2


def test_layout_is_remembered(window, live, qtbot, data_dir):
    dock = live.docks["Membrane potential"]
    window.removeDockWidget(dock)
    live.save_layout()
    from gui import files
    assert files.settings().value("live/windowState") is not None


def test_screenshot_cli_runs_the_circuit(tmp_path):
    out = tmp_path / "live.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SYNAPTICA_DATA_DIR=str(tmp_path / "d"))
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), str(DEFAULT_CIRCUIT), "--run", "0.5s",
                        "--screenshot", str(out), "--size", "1200x800"], env=env, capture_output=True, text=True,
                       timeout=300, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert out.exists() and out.stat().st_size > 20_000


def test_reset_panel_layout_restores_the_default_arrangement(window, live, qtbot):
    dock = live.docks["Relative weighting"]
    dock.hide()
    live.save_layout()
    assert not dock.isVisible()
    view = next(a for a in window.menuBar().actions() if a.text() == "&View").menu()
    action = next(a for a in view.actions() if a.text() == "Reset panel layout")
    action.trigger()
    assert dock.isVisible()
    from gui import files
    from gui.live import STATE_KEY

    assert files.settings().value(STATE_KEY) is None  # the remembered layout is forgotten
