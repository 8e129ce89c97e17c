"""Simulation > Export > Recorded data as NWB: the file holds the run and the circuit it was built from."""
import subprocess
import sys

import numpy as np
import pytest
from PySide6.QtWidgets import QFileDialog

import simcore
from simcore.nwb import read_recording, read_run

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

pytest.importorskip("pynwb")
TIMEOUT_MS = 120_000


def circuit():
    c = simcore.Circuit(name="gui_nwb")
    c.regions = [simcore.make_region("Input", "poisson", 200, rate_hz=20.0), simcore.make_region("E", "lif", 20)]
    c.projections = [simcore.make_projection("Input->E", "Input", "E", weights=("constant", {"value": 4.0}),
                                             rules=[("stdp_pair", {"w_max": 8.0})])]
    c.protocol = [simcore.Event(0.1, "set", "Input", "rate_hz", 30.0)]
    c.layout = {"Input": [0.0, 0.0], "E": [300.0, 0.0]}
    return c


def menu_action(win, *path):
    menu = next(a.menu() for a in win.menuBar().actions() if a.text().replace("&", "") == path[0])
    for name in path[1:-1]:
        menu = next(a.menu() for a in menu.actions() if a.text() == name)
    return next(a for a in menu.actions() if a.text() == path[-1])


def test_export_nwb_from_the_menu_re_runs_headless_to_the_same_spikes(window, qtbot, tmp_path, monkeypatch):
    live = window.live
    try:
        window.set_circuit(circuit(), None)
        live.ctl.run(until=0.3)
        qtbot.waitUntil(lambda: live.ctl.last is not None and live.ctl.last["t"] >= 0.3
                        and live.ctl.worker.state == "paused", timeout=TIMEOUT_MS)
        live.ctl.block("E", True)  # a live action: logged in the file, not part of the circuit
        live.ctl.step(0.05)
        qtbot.waitUntil(lambda: live.ctl.last["t"] >= 0.35 - 1e-9 and live.ctl.worker.state == "paused",
                        timeout=TIMEOUT_MS)
        out = tmp_path / "gui.nwb"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
        menu_action(window, "Simulation", "Export", "Recorded data as NWB…").trigger()
        qtbot.waitUntil(lambda: "Wrote" in window.statusBar().currentMessage(), timeout=30_000)
    finally:
        live.ctl.shutdown()
    run = read_run(out)
    # the circuit as built, not as the protocol left it (Input.rate_hz was set to 30 at 0.1 s)
    assert run["circuit"].region("Input").params["rate_hz"] == 20.0
    assert run["duration_s"] == pytest.approx(0.35)
    got = read_recording(out)
    assert got["origins"] == ["protocol", "live"] and got["events"][1] == "block E"
    assert run["live_actions"] == 1
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "run", "--from", str(out), "--duration", "0.3s",
                        "--out", str(tmp_path / "again.nwb"), "--quiet"],
                       capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "1 live action " in r.stderr and "not replayed" in r.stderr
    again = read_recording(tmp_path / "again.nwb")

    def before(d, t):
        keep = d["spike_t"] < t - 1e-9
        k = np.lexsort((d["spike_t"][keep], d["spike_neuron"][keep], d["spike_region"][keep]))
        return np.column_stack([d["spike_region"][keep], d["spike_neuron"][keep], d["spike_t"][keep]])[k]
    assert len(before(got, 0.3)) > 100
    np.testing.assert_array_equal(before(got, 0.3), before(again, 0.3))
