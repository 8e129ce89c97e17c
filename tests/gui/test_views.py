"""The homeostasis views (gui/views) on real frames of a running simulation: what each rule did,
the weight kymograph, the W(t) - W(0) matrix and the E/I balance meter; their exports; the live view
docks them and feeds them frames."""
import csv

import numpy as np
import pytest

import simcore
from simcore import make_projection as P
from simcore import make_region as R
from simcore.engine.frames import FrameBuilder
from simcore.model import make_homeostasis


def circuit():
    """Input -> E with pair STDP, per-neuron scaling on E, I -> E with inhibitory plasticity."""
    c = simcore.Circuit(name="views")
    E = R("E", "lif", 100)
    E.homeostasis = make_homeostasis(target_hz=5.0, beta=0.05, tau_a_s=0.5)
    c.regions = [R("Input", "poisson", 300, rate_hz=20.0), E, R("I", "lif", 25, role="inhibitory")]
    c.projections = [
        P("Input->E", "Input", "E", connectivity=("fixed_probability", {"p": 0.3}),
          weights=("lognormal", {"mean": 1.0, "cv": 0.8}), rules=[("stdp_pair", {"w_max": 5.0})]),
        P("E->I", "E", "I", connectivity=("fixed_probability", {"p": 0.3}), weights=("constant", {"value": 10.0})),
        P("I->E", "I", "E", "inhibitory", connectivity=("fixed_probability", {"p": 0.3}),
          weights=("constant", {"value": 0.5}), rules=[("vogels_sprekeler", {})])]
    return c


@pytest.fixture(scope="module")
def run():
    """A simulation run for 3 s in 0.1 s chunks, with the frames a live view would get."""
    from simcore.engine import frame_views

    sim = simcore.Simulation(circuit(), seed=2)
    every, frame_views.EVERY_S = frame_views.EVERY_S, 0.0  # the matrix in every frame (not throttled)
    try:
        fb = FrameBuilder(sim)
        frames = []
        for _ in range(30):
            sim.run(0.1)
            fb.sample_levels()
            frames.append(fb.build())
    finally:
        frame_views.EVERY_S = every
    return sim, frames


def feed(panel, frames):
    for f in frames:
        panel.draw(f)


def test_rule_contributions_are_stacked_per_rule_and_the_net_line_is_their_sum(qtbot, run):
    from gui.views.rule_contrib import RuleContributionPanel, stacked

    sim, frames = run
    panel = RuleContributionPanel()
    qtbot.addWidget(panel)
    feed(panel, frames)
    assert panel.picker.currentData() == "Input->E"
    p = frames[-1]["projections"]["Input->E"]
    assert p["rules"] == ["stdp_pair", "scaling"] and len(panel.bands) == 2
    c = p["contrib"] / p["n"]
    assert (np.abs(c[-1]) > 1e-4).all()  # both rules changed the weights
    gain = sim.net.projections[0].arrays.gain
    assert np.sign(c[-1, 1]) == np.sign(gain.mean() - 1.0)  # scaling's share follows its factors
    t, net = panel.net.getData()
    assert np.allclose(net, c.sum(axis=1)) and np.array_equal(t, p["stats_t"])
    # each band is exactly as thick as its rule's contribution, on its side of zero
    for i, (lo, hi, _) in enumerate(panel.bands):
        thick = hi.getData()[1] - lo.getData()[1]
        assert np.allclose(np.abs(thick), np.abs(c[:, i]))
    lower, upper = stacked(np.array([[2.0, -1.0, 3.0]]))
    assert lower.tolist() == [[0.0, -1.0, 2.0]] and upper.tolist() == [[2.0, 0.0, 5.0]]
    # the sum of all rules' contributions is the projection's total weight change (scaling counts its
    # share with stored-weight sums refreshed once a second, so while STDP moves them it is approximate)
    total = sim.weights("Input->E").sum() - sim.reference_weights("Input->E").sum()
    assert c[-1].sum() * p["n"] == pytest.approx(total, rel=0.15)


def test_kymograph_columns_are_the_weight_distribution_over_time(qtbot, run):
    from gui.views.kymograph import KymographPanel

    sim, frames = run
    panel = KymographPanel()
    qtbot.addWidget(panel)
    feed(panel, frames)
    k = frames[-1]["projections"]["Input->E"]["kymo"]
    img = panel.image.image
    assert img.shape == (64, len(k["t"])) and len(k["t"]) >= 25  # one column per 0.1 s
    assert np.all(np.diff(k["t"]) > 0)
    w = sim.weights("Input->E")
    assert k["lin"][-1].sum() == pytest.approx(len(w))  # every synapse in the grid
    assert k["log"][-1].sum() == pytest.approx((w > 0).sum())  # every positive one on the log grid
    # the drawn median follows the real weights' median (within one log bin)
    med = 10 ** panel.lines[1].getData()[1][-1]  # drawn on a log axis: log10 values
    ratio = med / np.median(sim.weights("Input->E"))
    step = k["edges_log"][1] / k["edges_log"][0]
    assert 1 / step <= ratio <= step
    panel.scale.setCurrentIndex(1)  # linear axis: the same columns on the linear grid
    assert panel.image.image.shape == (64, len(k["t"])) and not panel.plot.ctrl.logYCheck.isChecked()


def test_delta_w_matrix_is_the_block_mean_of_the_weight_changes(qtbot, run):
    from gui.views.delta_w import DeltaWPanel

    sim, frames = run
    panel = DeltaWPanel()
    qtbot.addWidget(panel)
    feed(panel, frames[-1:])
    d = frames[-1]["projections"]["Input->E"]["dw"]
    pre, post = sim.connectivity("Input->E")
    # recomputed independently (weights read at the frame's time: the module fixture ran no further)
    dw = sim.weights("Input->E") - sim.reference_weights("Input->E")
    rb, cb = d["rows"], d["cols"]
    cell = (pre * rb // 300) * cb + post * cb // 100
    s = np.bincount(cell, weights=dw, minlength=rb * cb)
    n = np.bincount(cell, minlength=rb * cb)
    want = np.where(n > 0, s / np.maximum(n, 1), np.nan).reshape(rb, cb)
    assert np.allclose(panel.matrix, want, equal_nan=True)
    assert np.nanmax(np.abs(want)) > 0
    panel.order.setCurrentIndex(1)  # by initial weight: same changes, other arrangement
    assert np.nansum(panel.matrix * n.reshape(rb, cb)) != 0
    assert panel.matrix.shape == (rb, cb)


def test_ei_balance_meter_ratio_and_running_correlation(qtbot, run):
    from gui.views.ei_balance import EIBalancePanel, rolling_corr

    sim, frames = run
    panel = EIBalancePanel()
    qtbot.addWidget(panel)
    feed(panel, frames)
    assert panel.region.currentText() == "E"
    t, e, i, ratio, corr = panel.data.T
    ok = i > 0
    assert len(t) > 20 and ok[1:].all() and np.allclose(ratio[ok], e[ok] / i[ok])
    n = 7
    x, y = np.random.default_rng(0).normal(size=(2, 50))
    y = y + x
    rc = rolling_corr(x, y, n)
    assert np.isnan(rc[: n - 1]).all()
    assert rc[-1] == pytest.approx(np.corrcoef(x[-n:], y[-n:])[0, 1])
    assert "E/I" in panel.info.text()


def test_every_view_exports_png_svg_and_csv(qtbot, run, tmp_path):
    from gui import views
    from gui.views.export import save

    sim, frames = run
    for title, panel in views.panels().items():
        qtbot.addWidget(panel)
        panel.resize(600, 400)
        panel.show()
        feed(panel, frames[-3:])
        for suffix in (".png", ".svg", ".csv"):
            path = tmp_path / f"{panel.title.replace('/', '')}{suffix}"
            save(panel, str(path))
            assert path.stat().st_size > 100, path
        with open(tmp_path / f"{panel.title.replace('/', '')}.csv") as f:
            rows = list(csv.reader(f))
        header, body = rows[0], rows[1:]
        assert len(body) > 0 and all(len(r) == len(header) for r in body)


def test_presentation_look_reaches_the_views(qtbot, run):
    from gui import views
    from gui.demo.plot_look import scale_plots

    _, frames = run
    panel = views.panels()["E/I balance"]
    qtbot.addWidget(panel)
    feed(panel, frames)
    scale_plots([panel], True)
    assert panel.p_in.getAxis("left").style.get("tickFont").pointSizeF() > 12
    assert all(c.opts["pen"].widthF() >= 3 for c in (panel.e, panel.i, panel.corr))
    scale_plots([panel], False)
    assert panel.e.opts["pen"].widthF() < 3


def test_live_view_docks_the_views_and_feeds_them(window, qtbot):
    live = window.live
    try:
        for name in ("What each rule did", "Weight kymograph", "W(t) − W(0)", "E/I balance"):
            assert name in live.panels and name in live.docks
        window.set_circuit(circuit(), None)
        live.docks["Weight kymograph"].show()  # optional panels start hidden
        live.docks["Weight kymograph"].raise_()
        live.docks["E/I balance"].show()  # optional panels start hidden
        live.docks["E/I balance"].raise_()
        live.ctl.run(until=0.6)
        qtbot.waitUntil(lambda: live.ctl.last is not None and live.ctl.last["t"] >= 0.6 - 1e-9, timeout=120_000)
        kymo = live.panels["Weight kymograph"]
        qtbot.waitUntil(lambda: kymo.frame is not None and kymo.frame["t"] >= 0.6 - 1e-9, timeout=5000)
        assert kymo.image.image is not None and kymo.image.image.shape[0] == 64  # drawn from the live frames
        qtbot.waitUntil(lambda: "E/I" in live.panels["E/I balance"].info.text(), timeout=5000)
    finally:
        live.ctl.shutdown()


def ask(qtbot, engine, fn, *args):
    """The result of ``fn(sim, *args)`` run in ``engine`` (a branch's own engine)."""
    i = engine.call(fn, args)
    qtbot.waitUntil(lambda: i in engine.results, timeout=20_000)
    ok, value = engine.results.pop(i)
    assert ok, value
    return value


def test_ab_fork_runs_a_second_branch_that_differs_by_one_change(window, qtbot):
    from gui.sim import jobs
    from gui.views.ab import parse_change, parse_changes

    assert parse_change("E.homeostasis.enabled = false") == ("E.homeostasis.enabled", False)
    assert parse_change("Input.rate_hz = 40") == ("Input.rate_hz", 40.0)
    assert parse_changes("Input.rate_hz = 40; E.homeostasis.enabled = off") == [
        ("Input.rate_hz", 40.0), ("E.homeostasis.enabled", False)]
    with pytest.raises(ValueError):
        parse_change("Input.rate_hz 40")
    live = window.live
    ab = live.panels["A/B fork"]
    try:
        window.set_circuit(circuit(), None)
        live.docks["A/B fork"].show()  # optional panels start hidden
        live.docks["A/B fork"].raise_()
        live.ctl.run(until=0.3)
        qtbot.waitUntil(lambda: live.ctl.last is not None and live.ctl.last["t"] >= 0.3 - 1e-9, timeout=120_000)
        ab.change.setText("Input.rate_hz = 2")
        ab.fork()
        qtbot.waitUntil(lambda: ab.frames["B"] is not None, timeout=10_000)
        assert ab.frames["B"]["t"] == pytest.approx(0.3)
        assert ask(qtbot, ab.worker_b, jobs.region_params, "Input")["rate_hz"] == 2.0  # B's own engine
        assert live.ctl.last["params"]["Input"]["rate_hz"] == 20.0  # A unchanged (the engine's own parameters)
        live.ctl.run(until=0.8)  # the main Run drives B too
        qtbot.waitUntil(lambda: ab.frames["B"]["t"] >= 0.8 - 1e-9 and live.ctl.last["t"] >= 0.8 - 1e-9,
                        timeout=30_000)
        qtbot.waitUntil(lambda: ab.curves[("rate", "Input", "B")].getData()[0] is not None and
                        ab.curves[("rate", "Input", "B")].getData()[0][-1] >= 0.8 - 1e-9, timeout=5000)
        ta, ra = ab.curves[("rate", "Input", "A")].getData()
        tb, rb = ab.curves[("rate", "Input", "B")].getData()
        after = tb > 0.4
        assert rb[after].mean() < 5 < ra[ta > 0.4].mean()  # B's input at 2 Hz, A's at 20 Hz
        before = tb <= 0.3
        assert np.array_equal(rb[before], ra[: before.sum()])  # the shared past
        header, rows = ab.csv()
        assert rows.shape[1] == len(header) == 5 and set(rows[:, 0]) == {0.0, 1.0}
    finally:
        ab.shutdown()
        live.ctl.shutdown()


@pytest.fixture(scope="module")
def branches(run):
    """Frames of branch A (the module's run) and of a branch B forked from a twin at 1 s without
    homeostasis, both to 3 s."""
    from simcore.engine import frame_views

    sim_a = simcore.Simulation(circuit(), seed=2)
    sim_a.run(1.0)
    sim_b = sim_a.fork()
    sim_b.set("E.homeostasis.enabled", False)
    sim_b.run(2.0)
    every, frame_views.EVERY_S = frame_views.EVERY_S, 0.0
    try:
        fb = FrameBuilder(sim_b).build()
    finally:
        frame_views.EVERY_S = every
    return run[1][-1], fb


def test_ab_panel_mirrors_the_rates_of_every_region_the_weights_of_every_projection_and_histograms(qtbot, branches):
    from gui.views.ab import ABPanel

    fa, fb = branches
    panel = ABPanel()
    qtbot.addWidget(panel)
    panel.frames["B"] = fb
    panel.draw(fa)
    for name in fa["regions"]:  # every region, both branches, from each branch's own frame
        for b, f in (("A", fa), ("B", fb)):
            t, v = panel.curves[("rate", name, b)].getData()
            assert np.array_equal(t, f["rates"]["t"])
            raw = f["rates"]["values"][:, f["regions"].index(name)]
            n = 10  # 100 ms of 10 ms bins
            want = np.array([raw[max(0, k - n + 1): k + 1].mean() for k in range(len(raw))])
            assert np.allclose(v, want, rtol=1e-9, atol=1e-9)
    for name in fa["projections"]:
        for b, f in (("A", fa), ("B", fb)):
            t, v = panel.curves[("w", name, b)].getData()
            assert np.array_equal(v, f["projections"][name]["w_mean"])
    plastic = [n for n in fa["projections"] if fa["projections"][n]["plastic"]]
    assert len(panel.p_hist) == len(plastic) == 2  # Input->E (STDP, scaling) and I->E (iSTDP), side by side
    for name in plastic:
        for b, f in (("A", fa), ("B", fb)):
            x, y = panel.curves[("hist", name, b)].getData()
            assert np.array_equal(y, f["projections"][name]["hist"])
    # the branches differ where homeostasis acted: E's rate after the fork and Input->E's mean weight
    assert not np.array_equal(panel.curves[("w", "Input->E", "A")].getData()[1][-5:],
                              panel.curves[("w", "Input->E", "B")].getData()[1][-5:])
    # every curve's legend names its branch; B is dashed
    labels = {item[1].text for item in panel.p_rate.legend.items}
    assert {f"{n} · {b}" for n in fa["regions"] for b in "AB"} <= labels
    from PySide6.QtCore import Qt
    assert panel.curves[("rate", "E", "B")].opts["pen"].style() == Qt.DashLine
    assert panel.curves[("rate", "E", "A")].opts["pen"].style() == Qt.SolidLine


def test_a_declared_fork_stops_a_at_its_time_and_runs_both_branches(window, qtbot, tmp_path):
    """The circuit's fork: Run stops A at the fork time, B gets the declared change there, both run on;
    the panel's legends carry the branches' labels; a reset of A drops B."""
    from gui.sim import jobs
    from simcore.model import Change, Fork

    c = circuit()
    c.regions[1].homeostasis.enabled = False
    c.fork = Fork(0.4, [Change("E", "homeostasis.enabled", True)], "STDP only", "STDP + scaling")
    live = window.live
    ab = live.panels["A/B fork"]
    try:
        window.set_circuit(c, None)
        assert ab.declared is not None and ab.change.text() == "E.homeostasis.enabled = true"
        live.docks["A/B fork"].raise_()
        live.ctl.run(until=1.0)
        qtbot.waitUntil(lambda: ab.frames["B"] is not None and ab.frames["B"]["t"] >= 1.0 - 1e-9
                        and live.ctl.last["t"] >= 1.0 - 1e-9, timeout=120_000)
        assert ab.fork_t == pytest.approx(0.4)  # forked at the declared time, not wherever A was
        assert ask(qtbot, ab.worker_b, jobs.homeostasis_enabled, "E") is True  # B's engine switched it on
        assert ask(qtbot, live.ctl.worker, jobs.homeostasis_enabled, "E") is False  # A's did not
        qtbot.waitUntil(lambda: ab.curves[("rate", "E", "B")].getData()[0] is not None and
                        ab.curves[("rate", "E", "B")].getData()[0][-1] >= 1.0 - 1e-9, timeout=5000)
        ta, ra = ab.curves[("rate", "E", "A")].getData()
        tb, rb = ab.curves[("rate", "E", "B")].getData()
        before = tb <= 0.4 + 1e-9
        assert np.array_equal(rb[before], ra[: before.sum()]) and not np.array_equal(rb[~before], ra[len(rb[before]):len(rb)])
        labels = {item[1].text for item in ab.p_rate.legend.items}
        assert "E · A: STDP only" in labels and "E · B: STDP + scaling" in labels
        live.ctl.reset()
        qtbot.waitUntil(lambda: ab.worker_b is None, timeout=10_000)
        assert ab.declared is not None  # armed again
    finally:
        ab.shutdown()
        live.ctl.shutdown()


def test_a_declared_fork_follows_renames_and_deletions_with_undo(window):
    """Editing the circuit keeps its fork pointing at real regions: a rename follows, deleting the
    changed region removes the fork and the claims on branch B (undo brings both back)."""
    from gui.commands import Rename, delete_items
    from simcore.model import Change, Expect, Fork

    c = circuit()
    c.fork = Fork(0.4, [Change("E", "homeostasis.enabled", False)])
    c.expect = [Expect("rate_hz", "Input", min=1.0), Expect("rate_hz", "I", max=50.0, branch="B")]
    doc = window.document
    window.set_circuit(c, None)
    doc.undo_stack.push(Rename(doc, "E", "Exc"))
    assert doc.circuit.fork.changes[0].target == "Exc"
    simcore.loads(simcore.dumps(doc.circuit))  # still a valid file
    doc.undo_stack.push(delete_items(doc, ["Exc"]))
    assert doc.circuit.fork is None and [e.branch for e in doc.circuit.expect] == [""]
    simcore.loads(simcore.dumps(doc.circuit))
    doc.undo_stack.undo()
    assert doc.circuit.fork.changes[0].target == "Exc" and len(doc.circuit.expect) == 2
    window.live.ctl.shutdown()


def test_the_stop_at_a_declared_fork_is_not_called_finished(window, qtbot):
    """A stops at the fork time only to fork: the window must not say "Finished: ... the time asked
    for" there (a class would think the run ended at 0.4 s of the 1 s asked for)."""
    from simcore.model import Change, Fork

    c = circuit()
    c.regions[1].homeostasis.enabled = False
    c.fork = Fork(0.4, [Change("E", "homeostasis.enabled", True)], "STDP only", "STDP + scaling")
    c.settings.duration_s = 1.0
    live = window.live
    ab = live.panels["A/B fork"]
    messages = []
    window.statusBar().messageChanged.connect(messages.append)
    try:
        window.set_circuit(c, None)
        live.run()  # to the circuit's duration
        qtbot.waitUntil(lambda: ab.fork_t is not None and live.ctl.last is not None
                        and live.ctl.last["t"] >= 1.0 - 1e-9 and live.finished_run, timeout=120_000)
        finished = [m for m in messages if m.startswith("Finished")]
        assert finished and all("t = 1.0 s" in m for m in finished), finished
    finally:
        ab.drop_b()
