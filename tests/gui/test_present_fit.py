"""Presentation mode on a 1366x768 projector and on larger screens: the scatter's numbers box, the
histogram's numbers, legends and axis labels lie inside their plot; no tab bar is left over a plot
after entering presentation mode a second time."""
import pytest
from PySide6.QtWidgets import QTabBar

from tests.gui.plot_fit import misplaced
from tests.paths import ROOT

DEMOS = sorted((ROOT / "circuits" / "demos").glob("*.json"))
SCALING = ROOT / "circuits" / "demos" / "scaling_preserves_relative_weights.json"
SIZES = [(1366, 768), (1600, 1000), (1920, 1080)]


def stray_tab_bars(win) -> list[str]:
    shown = {d.windowTitle() for d in win.docks.values() if not d.isHidden()}
    return [" | ".join(bar.tabText(i) for i in range(bar.count()))
            for bar in win.findChildren(QTabBar) if bar.isVisible() and bar.parent() is win
            and win.rect().intersects(bar.geometry())
            and sum(bar.tabText(i) in shown for i in range(bar.count())) < 2]


def test_numbers_labels_and_legends_inside_their_plots_when_presenting(window, qtbot):
    window.resize(1366, 768)
    assert window.open_path(str(SCALING), interactive=False)
    window.document.circuit.protocol[0].time_s = 0.4  # the input halving, sooner: weights grow
    live = window.live
    live.ctl.run(until=1.5)
    qtbot.waitUntil(lambda: live.ctl.last is not None and live.ctl.last["t"] >= 1.5 - 1e-9, timeout=120_000)
    rel = live.panels["Relative weighting"]
    qtbot.waitUntil(lambda: "Spearman" in rel.text.textItem.toPlainText(), timeout=5000)
    try:
        for w, h in SIZES:  # entered again and again, as a teacher does with F11
            window.present.enter(full_screen=False)
            window.resize(w, h)
            qtbot.wait(250)
            for dock in window.present.plot_docks():
                assert misplaced(live.panels[dock.windowTitle()]) == [], (w, h, dock.windowTitle())
            assert stray_tab_bars(window) == [], (w, h)
            window.present.leave()
            qtbot.wait(50)
        assert stray_tab_bars(window) == []
    finally:
        live.ctl.shutdown()


@pytest.mark.parametrize("demo", DEMOS, ids=lambda p: p.stem)
def test_every_demo_axis_labels_fit_when_presenting_at_1366x768(window, qtbot, demo):
    window.resize(1366, 768)
    assert window.open_path(str(demo), interactive=False)
    window.present.enter(full_screen=False)
    window.resize(1366, 768)
    qtbot.wait(200)
    try:
        for dock in window.present.plot_docks():
            assert misplaced(window.live.panels[dock.windowTitle()]) == [], dock.windowTitle()
    finally:
        window.present.leave()


def test_gate_event_label_and_level_axis_fit_when_presenting_at_1366x768(window, qtbot):
    """topdown_gating's rate plot is short at 1366x768 (rates over the gate level): the label of the gate
    opening stays whole in the view and clear of the legend (it was outside the view, hidden), and the
    level axis label fits."""
    import simcore

    c = simcore.load(ROOT / "circuits" / "demos" / "topdown_gating.json")
    c.protocol[0].time_s = 0.5
    c.settings.duration_s = 1.0
    c.expect = []
    window.resize(1366, 768)
    window.set_circuit(c, None)
    live = window.live
    try:
        live.run_action.trigger()
        qtbot.waitUntil(lambda: live.finished_run, timeout=120_000)
        window.present.enter(full_screen=False)
        window.resize(1366, 768)
        qtbot.wait(300)
        rates = live.panels["Population rates"]
        assert rates.level_plot is not None and rates.markers._labelled
        assert [m for m in misplaced(rates) if "axis" in m] == []
        from gui.plots.base import hidden_area
        label = rates.markers._labelled[0][1].label.sceneBoundingRect()
        hidden = hidden_area(label, rates.plot.vb.sceneBoundingRect(), rates.legend.sceneBoundingRect())
        assert hidden <= 0.02 * label.width() * label.height()   # whole, clear of the legend (a pixel aside)
    finally:
        window.present.leave()
        live.ctl.shutdown()
