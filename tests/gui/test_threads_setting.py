"""Simulation > Threads: the choice reaches the running engine at once, is kept for the next start,
and changes nothing but the speed."""
import numpy as np

from gui.sim import jobs
from tests.gui.test_views import ask, circuit


def test_the_threads_menu_sets_the_engines_threads_and_is_kept(window, qtbot, monkeypatch):
    monkeypatch.setenv("SYNAPTICA_ENGINE_THREADS", "")  # restored afterwards: the menu writes it
    live = window.live
    assert live.thread_actions[0].isChecked()  # automatic at first
    window.set_circuit(circuit(), None)
    live.ctl.step()
    qtbot.waitUntil(lambda: live.ctl.loaded, timeout=60_000)
    assert ask(qtbot, live.ctl.worker, jobs.threads) == 1  # automatic: one thread for 425 neurons
    live.thread_actions[2].trigger()
    qtbot.waitUntil(lambda: ask(qtbot, live.ctl.worker, jobs.threads) == 2, timeout=20_000)
    assert live.thread_actions[2].isChecked() and not live.thread_actions[0].isChecked()
    from gui.files import settings
    assert int(settings().value("engine/threads")) == 2
    live.thread_actions[0].trigger()
    qtbot.waitUntil(lambda: ask(qtbot, live.ctl.worker, jobs.threads) == 1, timeout=20_000)
    assert int(settings().value("engine/threads")) == 0


def test_a_run_on_two_threads_draws_what_one_thread_draws(window, qtbot, monkeypatch):
    monkeypatch.setenv("SYNAPTICA_ENGINE_THREADS", "")
    live = window.live
    ends = []
    for n in (1, 2):
        live.thread_actions[n].trigger()
        window.set_circuit(circuit(), None)
        live.ctl.run(until=0.3)
        qtbot.waitUntil(lambda: live.ctl.last is not None and live.ctl.last["t"] >= 0.3 - 1e-9
                        and not live.ctl.last.get("running", True), timeout=60_000)
        assert ask(qtbot, live.ctl.worker, jobs.threads) == n
        ends.append(ask(qtbot, live.ctl.worker, jobs.weights, "Input->E"))
    assert not np.allclose(ends[1], ask(qtbot, live.ctl.worker, jobs.reference_weights, "Input->E"))  # learned
    assert np.array_equal(ends[0], ends[1])  # STDP on two threads learned exactly what it did on one
