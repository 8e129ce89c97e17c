"""What the status bar says through a lesson's run: finished at the duration, then after Reset a fresh
start (not "finished" at t = 0, no real-time factor of the run before)."""

from tests.gui.conftest import small_circuit

TIMEOUT_MS = 120_000


def test_reset_after_finished_reads_ready_not_finished(window, qtbot):
    live = window.live
    c = small_circuit()
    c.settings.duration_s = 0.3
    window.set_circuit(c, None)
    try:
        live.run_action.trigger()
        qtbot.waitUntil(lambda: live.finished_run, timeout=TIMEOUT_MS)
        assert "finished" in live.state_label.text() and "real time" in live.rtf_label.text()
        live.reset_action.trigger()
        qtbot.waitUntil(lambda: live.ctl.last is not None and live.ctl.last["t"] == 0.0, timeout=TIMEOUT_MS)
        qtbot.wait(200)
        assert "finished" not in live.state_label.text() and "ready" in live.state_label.text()
        assert live.rtf_label.text() == "" and live.time_label.text() == "t = 0.000 s"
        live.step_action.trigger()                       # once it moves on, the label follows
        qtbot.waitUntil(lambda: live.ctl.last["t"] > 0, timeout=TIMEOUT_MS)
        qtbot.wait(100)
        assert "ready" not in live.state_label.text()
    finally:
        live.ctl.shutdown()


def test_event_label_is_not_hidden_behind_the_legend(window, qtbot):
    """The demo's event happens under the legend's corner of the rate plot: its label moves below."""
    import simcore
    from tests.paths import ROOT

    live = window.live
    c = simcore.load(ROOT / "circuits" / "demos" / "scaling_preserves_relative_weights.json")
    c.protocol[0].time_s = 1.7        # near the right end of the 2 s window, where the legend is
    c.settings.duration_s = 1.9
    c.expect = []
    window.resize(1366, 768)
    window.set_circuit(c, None)
    rates = live.panels["Population rates"]
    try:
        live.run_action.trigger()
        qtbot.waitUntil(lambda: live.finished_run, timeout=TIMEOUT_MS)
        qtbot.wait(200)
        assert rates.window_box.currentText() == "2 s"
        labelled = [line for line in rates.markers.lines if getattr(line, "label", None) is not None]
        assert labelled and rates.legend.items
        legend = rates.legend.sceneBoundingRect()
        for line in labelled:
            label = line.label.sceneBoundingRect()
            assert not label.intersects(legend), (label, legend)
            assert rates.plot.vb.sceneBoundingRect().contains(label.center())
    finally:
        live.ctl.shutdown()
