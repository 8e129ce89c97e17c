"""Live demonstrations never mislead: Reset is a fresh start, the controls show the engine's state,
a blow-up can be reset, and the circuit's duration ends a run."""
import copy
import sys
from pathlib import Path

import pytest

import simcore
from gui import commands

sys.path.insert(0, str(Path(__file__).parent))
from live_circuits import plastic_demo  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_MS = 120_000


@pytest.fixture
def live(window):
    yield window.live
    window.live.ctl.shutdown()


def wait_t(qtbot, live, t):
    qtbot.waitUntil(lambda: live.ctl.last is not None and live.ctl.last["t"] >= t, timeout=TIMEOUT_MS)


def wait_paused(qtbot, live):
    qtbot.waitUntil(lambda: live.ctl.worker.state == "paused" and not live.ctl.worker._cmds, timeout=TIMEOUT_MS)
    qtbot.wait(80)


def gating_demo(event_s=0.2):
    c = simcore.load(ROOT / "circuits" / "demos" / "topdown_gating.json")
    c.protocol[0].time_s = event_s  # the gate opens at 10 s in the demo
    return c


def test_gate_box_reset_and_replay_follow_the_engine(window, live, qtbot):
    window.set_circuit(gating_demo(), None)
    box = live.controls.gate
    assert not box.isChecked()                      # the demo's gate starts closed
    live.ctl.run()
    wait_t(qtbot, live, 0.4)
    qtbot.waitUntil(lambda: box.isChecked(), timeout=5000)   # the protocol opened it
    live.ctl.pause()
    wait_paused(qtbot, live)
    assert live.ctl.last["levels"]["values"][-1, 0] > 0
    live.reset()
    qtbot.waitUntil(lambda: live.ctl.last is not None and live.ctl.last["t"] == 0.0, timeout=TIMEOUT_MS)
    assert not box.isChecked()                      # closed again, as at t = 0
    assert live.ctl.worker.sim.circuit.region("PFC gate").params["gate"] is False
    live.ctl.step(0.1)
    wait_t(qtbot, live, 0.1 - 1e-9)
    assert (live.ctl.last["levels"]["values"][:, 0] == 0).all()   # the replay keeps the gate closed


def test_live_edit_survives_reset_and_undo_shows_in_the_controls(window, live, qtbot):
    window.set_circuit(plastic_demo(), None)
    live.ctl.run()
    wait_t(qtbot, live, 0.1)
    new = copy.deepcopy(window.document.circuit.region("Input"))
    new.params["rate_hz"] = 40.0
    window.document.undo_stack.push(commands.edit_region(window.document, new))
    qtbot.waitUntil(lambda: live.ctl.last["params"]["Input"]["rate_hz"] == 40.0, timeout=5000)
    assert live.controls.rate.value() == 40.0
    live.reset()                                     # a fresh start of the edited circuit
    qtbot.waitUntil(lambda: live.ctl.last is not None and live.ctl.last["t"] == 0.0
                    and live.ctl.last["params"]["Input"]["rate_hz"] == 40.0, timeout=TIMEOUT_MS)
    window.document.undo_stack.undo()
    live.ctl.step(0.05)
    qtbot.waitUntil(lambda: live.ctl.last["params"]["Input"]["rate_hz"] == 15.0, timeout=5000)
    qtbot.waitUntil(lambda: live.controls.rate.value() == 15.0, timeout=2000)


def runaway_circuit():
    c = simcore.Circuit(name="runaway")
    c.regions = [simcore.make_region("Input", "poisson", 200, rate_hz=2.0),
                 simcore.make_region("E", "lif", 50, t_ref=0.0)]
    c.projections = [simcore.make_projection("Input->E", "Input", "E", connectivity=("fixed_probability", {"p": 0.2}),
                                             weights=("constant", {"value": 50.0}))]
    c.layout = {"Input": [0.0, 0.0], "E": [300.0, 0.0]}
    return c


def test_blow_up_then_reset_and_run_work_again(window, live, qtbot):
    window.set_circuit(runaway_circuit(), None)
    live.ctl.run()
    wait_t(qtbot, live, 0.05)
    live.ctl.set_rate("Input", 1000.0)               # drive it into runaway excitation
    qtbot.waitUntil(lambda: live.ctl.state == "error", timeout=10_000)
    qtbot.wait(50)
    msg = window.statusBar().currentMessage()
    assert "'E'" in msg and "runaway" in msg         # what blew up
    assert "Try" in msg and "Reset" in msg           # what to try
    live.reset()
    qtbot.waitUntil(lambda: live.ctl.state == "paused" and live.ctl.last is not None and live.ctl.last["t"] == 0.0,
                    timeout=TIMEOUT_MS)
    live.ctl.run()
    wait_t(qtbot, live, 0.2)                         # runs again from t = 0 at the circuit's 2 Hz
    assert live.ctl.state != "error"
