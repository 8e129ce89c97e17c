"""What the status bar says through a lesson's run: finished at the duration, then after Reset a fresh
start (not "finished" at t = 0, no real-time factor of the run before)."""
import pytest

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
