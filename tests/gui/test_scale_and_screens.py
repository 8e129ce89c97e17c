"""Responsiveness with 200 regions / 500 projections, and screenshots of a richer demo circuit."""
import os
import random
import time
from pathlib import Path

import numpy as np

import simcore
from simcore.model import ALLOWED_SYNAPSES


def big_circuit(n_regions=200, n_projections=500, seed=0) -> simcore.Circuit:
    rng = random.Random(seed)
    c = simcore.Circuit(name="big")
    for i in range(n_regions):
        role = "inhibitory" if i % 4 == 3 else "excitatory"
        c.regions.append(simcore.make_region(f"R{i}", "lif", size=10, role=role))
    for j in range(n_projections):
        s, t = rng.randrange(n_regions), rng.randrange(n_regions)
        role = c.regions[s].role
        c.projections.append(simcore.make_projection(f"P{j}", f"R{s}", f"R{t}", ALLOWED_SYNAPSES[role][0]))
    return c


def demo_circuit() -> simcore.Circuit:
    """Eight regions: sources, E/I populations, a rate unit and dopamine, with rules, loops and parallels."""
    mk = simcore.make_region
    c = simcore.Circuit(name="demo", title="Demo: cortex-like loop with dopamine")
    c.regions = [mk("Input", "poisson", 400), mk("Pattern", "pattern", 200), mk("L4 E", "lif", 1600),
                 mk("L4 I", "lif", 400, role="inhibitory"), mk("L23 E", "adex", 2400),
                 mk("L23 I", "adex", 600, role="inhibitory"), mk("Readout", "rate", 10), mk("DA", "modulator", 1)]
    rules = [(k, {}) for k, v in simcore.kinds("rule").items() if "excitatory" in v.info.get("synapses", ())][:2]
    P = simcore.make_projection
    c.projections = [P("Input->L4 E", "Input", "L4 E"), P("Pattern->L4 E", "Pattern", "L4 E", rules=rules[:1]),
                     P("L4 E->L4 I", "L4 E", "L4 I"), P("L4 I->L4 E", "L4 I", "L4 E", "inhibitory"),
                     P("L4 E->L23 E", "L4 E", "L23 E", rules=rules), P("L4 E->L23 E fast", "L4 E", "L23 E"),
                     P("L23 E->L23 E", "L23 E", "L23 E", rules=rules[:1]), P("L23 E->L23 I", "L23 E", "L23 I"),
                     P("L23 I->L23 E", "L23 I", "L23 E", "shunting"), P("L23 E->Readout", "L23 E", "Readout"),
                     P("DA->L23 E", "DA", "L23 E", "modulatory"), P("L4 I->L4 I", "L4 I", "L4 I", "inhibitory")]
    return c


def test_200_regions_500_projections_stay_responsive(window, capsys, qtbot):
    c = big_circuit()
    t0 = time.perf_counter()
    window.set_circuit(c, None)  # includes auto-layout of 200 unplaced regions
    t_open = time.perf_counter() - t0
    t0 = time.perf_counter()
    window.scene.rebuild()
    t_rebuild = time.perf_counter() - t0
    t0 = time.perf_counter()
    window.view.fit()
    window.view.viewport().repaint()
    t_fit = time.perf_counter() - t0
    t0 = time.perf_counter()
    window.scene.select_names(["R0"])
    window.delete_selection()
    window.document.undo_stack.undo()
    t_delete = time.perf_counter() - t0
    assert len(window.scene.regions) == 200 and len(window.scene.projections) == 500
    with capsys.disabled():
        print(f"\n200 regions / 500 projections: open+layout {t_open * 1000:.0f} ms, scene rebuild "
              f"{t_rebuild * 1000:.0f} ms, fit+repaint {t_fit * 1000:.0f} ms, delete+undo {t_delete * 1000:.0f} ms")
    assert t_rebuild < 3.0 and t_fit < 3.0 and t_delete < 3.0
    # simulate it: one kernel serves every structure of known kinds, so the engine builds the network and
    # runs (no compile of its own for 200 regions); the canvas stays editable meanwhile, and the window
    # fixture ends the engine
    live = window.live
    t0 = time.perf_counter()
    live.ctl.run()
    qtbot.waitUntil(lambda: live.ctl.state in ("compiling", "running"), timeout=60_000)
    t_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    window.scene.select_names(["R1"])
    window.delete_selection()
    window.document.undo_stack.undo()
    t_busy = time.perf_counter() - t0
    qtbot.waitUntil(lambda: live.ctl.last is not None and live.ctl.last["t"] >= 0.05, timeout=300_000)
    t_run = time.perf_counter() - t0
    with capsys.disabled():
        print(f"engine: network built in {t_build:.1f} s; delete+undo meanwhile {t_busy * 1000:.0f} ms; "
              f"simulated 0.05 s after {t_run:.1f} s")
    assert t_busy < 3.0 and live.ctl.worker.alive
    rates = live.ctl.last["rates"]["values"]
    assert rates.shape[1] == 200 and np.isfinite(rates).all()


def test_demo_circuit_screenshot(window, tmp_path, qtbot):
    c = demo_circuit()
    assert simcore.from_dict(simcore.to_dict(c)) is not None  # the demo itself is valid
    window.set_circuit(c, None)
    window.auto_layout("layered")
    window.scene.select_names(["L23 E"])
    qtbot.wait(50)
    out = Path(os.environ.get("SYNAPTICA_SHOT_DIR", tmp_path)) / "screenshot_demo.png"
    assert window.grab().save(str(out))
    assert out.stat().st_size > 10000
