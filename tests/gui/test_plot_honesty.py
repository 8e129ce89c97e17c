"""Numbers on screen say what they mean: undefined rank correlation, modulator axis, stored vs
effective weight."""
import sys
from pathlib import Path

from PySide6.QtWidgets import QLabel

sys.path.insert(0, str(Path(__file__).parent))
from live_circuits import plastic_demo  # noqa: E402


def test_constant_weights_rank_correlation_is_undefined_and_the_level_axis_is_sane(window, qtbot):
    import simcore
    c = plastic_demo()
    c.projection("Input->E").weights = simcore.Component("constant", {"value": 2.0})  # plastic, all equal at first
    window.set_circuit(c, None)
    live = window.live
    live.ctl.run()
    qtbot.waitUntil(lambda: live.ctl.last is not None and live.ctl.last["t"] >= 0.3, timeout=120_000)
    live.ctl.pause()
    qtbot.waitUntil(lambda: live.ctl.worker.state == "paused", timeout=10_000)
    qtbot.wait(100)
    rel = live.panels["Relative weighting"]
    live.docks["Relative weighting"].raise_()
    rel.focus("projection", "Input->E")                  # constant reference weights: no ranks
    rel.update_frame(live.ctl.last)
    text = rel.text.textItem.toPlainText()
    assert "nan" not in text and "undefined" in text and "constant weights" in text
    rates = live.panels["Population rates"]
    rates.update_frame(live.ctl.last)
    lo, hi = rates.level_plot.viewRange()[1]
    assert lo == 0 and hi >= 0.1                          # no "3e-108" axis for a silent modulator
    labels = rates.level_plot.getAxis("left").tickStrings([0, hi / 2, hi], 1.0, hi / 2)
    assert all("e-" not in s for s in labels)
    live.ctl.shutdown()


def test_inspector_says_how_stored_weight_gain_and_effective_weight_relate(window, qtbot):
    window.set_circuit(plastic_demo(), None)
    window.scene.select_names(["Input->E"])
    qtbot.wait(50)
    hint = window.inspector.findChild(QLabel, "gainHint")
    assert hint is not None and hint.isVisible()
    assert "w = W·g" in hint.text() and "w_max" in hint.text() and "stored" in hint.text()
    window.scene.select_names(["E->I"])                    # no gain rule: no hint
    qtbot.wait(50)
    hint = window.inspector.findChild(QLabel, "gainHint")
    assert hint is None or not hint.isVisible()
