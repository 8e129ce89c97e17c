"""The input-output curve panel draws one curve per phase of the circuit's view, from the same points
the io_gain / io_threshold claims use, and is one of the plots a demo's view can list."""
from pathlib import Path

import numpy as np

import simcore
from simcore.engine.expect import io_points
from simcore.engine.frames import FrameBuilder
from simcore.engine.simulation import Simulation

DEMO = Path(__file__).resolve().parents[2] / "circuits" / "demos" / "inhibition_sets_gain.json"


def _frame(c, t):
    sim = Simulation(c)
    sim.run(t)
    return sim, FrameBuilder(sim).build()


def test_panel_draws_one_curve_per_phase_with_the_claims_points(qtbot):
    from gui.plots.iocurve import IOCurvePanel

    c = simcore.load(DEMO)
    sim, frame = _frame(c, c.settings.duration_s)
    panel = IOCurvePanel(lambda: c)
    qtbot.addWidget(panel)
    panel.draw(frame)
    phases = c.view["io_curve"]["phases"]
    assert panel.input_box.currentText() == "Stimulus" and panel.target_box.currentText() == "Neurons"
    for i, ph in enumerate(phases):
        x, y = panel.items[2 * i].getData()
        want = io_points(sim, "Neurons", "Stimulus", ph["from_s"], ph["to_s"])
        assert np.allclose(np.c_[x, y], want)
    text = panel.info.text()
    assert all(ph["label"] in text for ph in phases) and "threshold" in text
    # the fitted line of the shunting curve is flatter than the one without inhibition
    (x0, y0), (x2, y2) = panel.items[1].getData(), panel.items[5].getData()
    assert (y2[-1] - y2[0]) / (x2[-1] - x2[0]) < 0.67 * (y0[-1] - y0[0]) / (x0[-1] - x0[0])


def test_partial_run_and_pickers_without_a_view_block(qtbot):
    from gui.plots.iocurve import IOCurvePanel

    c = simcore.load(DEMO)
    c.view = {k: v for k, v in c.view.items() if k != "io_curve"}
    _, frame = _frame(c, 2.0)  # four steps of the first sweep
    panel = IOCurvePanel(lambda: c)
    qtbot.addWidget(panel)
    panel.draw(frame)
    assert len(panel.items) == 2  # one curve: the whole run
    panel.input_box.setCurrentText("Stimulus")
    panel.target_box.setCurrentText("Neurons")
    x, y = panel.items[0].getData()
    assert np.allclose(x, [0.0, 5.0, 10.0, 15.0], atol=0.2) and y[-1] > y[0]


def test_demo_views_can_list_the_io_curve(window, qtbot):
    from gui.demo.plot_layout import PLOT_DOCKS

    dock = window.live.docks[PLOT_DOCKS["io_curve"]]
    assert window.open_path(str(DEMO), interactive=False)
    qtbot.waitUntil(lambda: dock.isVisible() and not dock.visibleRegion().isEmpty(), timeout=5000)
    assert window.dockWidgetArea(dock) == window.dockWidgetArea(window.live.docks["Population rates"])
