"""A circuit that blows up in the live view stops with the region and time in the status bar, as a
blow-up (no traceback in the log), not as a crash."""
import simcore
from simcore import model
from simcore.model import make_projection, make_region

def test_runaway_circuit_stops_with_where_and_when(window, qtbot, tmp_path):
    c = model.Circuit(name="runaway", regions=[make_region("R", "rate", 10, max_rate=1e308, gain=10.0, bias=1.0)],
                      projections=[make_projection("R->R", "R", "R", connectivity=("all_to_all", {"allow_self": True}),
                                                   weights=("constant", {"value": 10.0}))])
    simcore.save(c, tmp_path / "runaway.json")
    live = window.live
    try:
        assert window.open_path(str(tmp_path / "runaway.json"), interactive=False)
        seen = []
        live.ctl.message.connect(seen.append)
        live.ctl.run()
        qtbot.waitUntil(lambda: live.ctl.worker.state == "error", timeout=120_000)
        qtbot.waitUntil(lambda: any("region 'R'" in m for m in seen), timeout=5_000)
        shown = window.statusBar().currentMessage()
        assert "region 'R'" in shown and "at t = " in shown, shown
        assert not any("Traceback" in m for m in seen), seen
        window.grab().save(str(tmp_path / "blowup_status.png"))  # what the user sees
    finally:
        live.ctl.shutdown()
