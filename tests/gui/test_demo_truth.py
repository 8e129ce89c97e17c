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
    qtbot.waitUntil(lambda: live.ctl.worker.state == "paused" and not live.ctl.worker.pending, timeout=TIMEOUT_MS)
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
    assert live.ctl.last["params"]["PFC gate"]["gate"] is False   # the engine's own parameters
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


def wait_finished(qtbot, live):
    qtbot.waitUntil(lambda: live.finished_run or live.ctl.state == "error", timeout=TIMEOUT_MS)
    assert live.ctl.state != "error", live.ctl.worker.error


def test_duration_ends_the_run_and_run_again_continues(window, live, qtbot):
    c = plastic_demo()
    c.settings.duration_s = 0.4
    window.set_circuit(c, None)
    live.run_action.trigger()
    wait_finished(qtbot, live)
    assert live.ctl.last["t"] == pytest.approx(0.4)
    assert "finished" in live.state_label.text()
    qtbot.wait(300)
    assert live.ctl.last["t"] == pytest.approx(0.4)          # it stopped there
    live.run_action.trigger()                                 # and Run continues
    wait_t(qtbot, live, 0.6)
    live.ctl.pause()
    wait_paused(qtbot, live)


def test_event_text_is_in_words_and_labels_do_not_pile_up(window, live, qtbot):
    c = simcore.load(ROOT / "circuits" / "demos" / "pattern_detection.json")
    for e in c.protocol:
        e.time_s = 0.1                                        # two rules switch off at the same time
    c.settings.duration_s = 0.2
    c.expect = []                                             # the demo's claims read windows up to 40 s
    window.set_circuit(c, None)
    messages = []
    window.statusBar().messageChanged.connect(messages.append)
    live.run_action.trigger()
    wait_finished(qtbot, live)
    said = [m for m in messages if "t = 0.100 s" in m]
    assert said and all("rules.0.enabled" not in m for m in said)
    assert any("Noise->Neurons:" in m and "switched off" in m for m in said)
    markers = live.panels["Population rates"].markers
    labels = [line.label.format for line in markers.lines if getattr(line, "label", None) is not None]
    assert len(markers.lines) == 2 and len(labels) == 1        # one label for the two simultaneous events
    assert "Pattern->Neurons:" in labels[0] and "Noise->Neurons:" in labels[0] and "rules." not in labels[0]


def test_fast_sources_do_not_flatten_the_neuron_rates(window, live, qtbot):
    c = plastic_demo()
    c.region("Input").params["rate_hz"] = 900.0
    c.projections[0].weights = simcore.Component("constant", {"value": 0.05})
    c.settings.duration_s = 0.5
    window.set_circuit(c, None)
    live.run_action.trigger()
    wait_finished(qtbot, live)
    rates = live.panels["Population rates"]
    assert "Input" not in rates.curves and "E" in rates.curves
    top = rates.plot.viewRange()[1][1]
    assert top < 300                                          # scaled to the neurons, not the 900 Hz input
    rates.show_sources.setChecked(True)                       # on request they are shown
    assert "Input" in rates.curves and rates.plot.viewRange()[1][1] > 800


def test_new_clears_plots_and_time_and_an_empty_circuit_cannot_run(window, live, qtbot):
    window.set_circuit(plastic_demo(), None)
    live.ctl.run()
    wait_t(qtbot, live, 0.3)
    live.ctl.pause()
    wait_paused(qtbot, live)
    assert live.panels["Population rates"].curves
    window.new_circuit()
    qtbot.wait(300)
    assert live.time_label.text() == "t = 0.000 s"
    assert not live.panels["Population rates"].curves
    assert live.panels["Spike raster"].spikes_drawn == 0 or not live.ctl.last
    assert not live.run_action.isEnabled() and not live.step_action.isEnabled()
    live.run()                                               # F5 anyway: says why, starts nothing
    qtbot.wait(200)
    assert "Nothing to run" in window.statusBar().currentMessage()
    assert live.ctl.last is None
