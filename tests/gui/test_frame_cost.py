"""What a frame costs the GUI thread, checked by what it does (structural, not timed): hidden panels do
no work, weight panels redraw only when new weight parts arrive, one frame (or a burst) is one paint,
unchanged axes are not repainted, the engine builds full frames at most every FULL_EVERY_S."""
import collections
import sys
import time
from pathlib import Path

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QEvent, QObject

from gui.sim import engine_loop

sys.path.insert(0, str(Path(__file__).parent))
from live_circuits import plastic_demo  # noqa: E402


@pytest.fixture(scope="module")
def frames():
    """A full frame and activity frames after it (same weight parts), then a second full frame, from a
    simulation in this process (the frames the engine sends, without an engine process)."""
    from simcore.engine.frames import FrameBuilder
    from simcore.engine.simulation import Simulation

    sim = Simulation(plastic_demo(n_input=100, n_e=200, n_i=50), 0)
    builder = FrameBuilder(sim)
    sim.step(sim.steps_for(0.05))
    first = dict(builder.build(), running=True, load=1, rtf=1.0)
    between = []
    for _ in range(6):
        sim.step(sim.steps_for(0.01))
        between.append(dict(engine_loop.activity_frame(sim, first), running=True, load=1, rtf=1.0))
    second = dict(builder.build(), running=True, load=1, rtf=1.0)
    return first, between, second


class Counter:
    """Calls of ``cls.method`` per instance (``monkeypatch`` restores the method)."""

    def __init__(self, monkeypatch, cls, method):
        self.n = collections.Counter()
        orig = getattr(cls, method)

        def counted(item, *args, **kwargs):
            self.n[id(item)] += 1
            return orig(item, *args, **kwargs)
        monkeypatch.setattr(cls, method, counted)

    def of(self, *items) -> int:
        return sum(self.n[id(i)] for i in items)


class Paints(QObject):
    def __init__(self, widget):
        super().__init__()
        self.n = 0
        widget.installEventFilter(self)

    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Paint:
            self.n += 1
        return False


def settle_events(qtbot, ms=60):
    qtbot.wait(ms)  # deferred panel draws (Panel.defer_ms) and the paints they cause


def test_hidden_and_closed_panels_do_no_work(window, qtbot, monkeypatch, frames):
    live = window.live
    first, between, _ = frames
    set_data = Counter(monkeypatch, pg.PlotDataItem, "setData")
    set_curve = Counter(monkeypatch, pg.PlotCurveItem, "setData")  # the rate traces are bare curves
    ei, rates = live.panels["E/I input"], live.panels["Population rates"]
    live.docks["Weight statistics"].close()
    assert live.docks["E/I input"].visibleRegion().isEmpty()  # tabbed behind the raster by default
    for f in [first] + between:
        live._on_frame(f)
    settle_events(qtbot)
    assert set_curve.of(*rates.curves.values()) >= len(between) + 1  # a visible panel follows every frame
    assert live.panel_updates.get("E/I input", 0) == 0 and not ei.curves  # hidden behind a tab: nothing
    assert live.panel_updates.get("Weight statistics", 0) == 0            # closed: nothing
    assert set_data.of(*[c for cs in live.panels["Weight statistics"].curves.values() for c in cs]) == 0
    live.docks["E/I input"].raise_()
    qtbot.wait(20)
    live._on_frame(between[-1])
    assert live.panel_updates["E/I input"] == 1 and ei.curves  # shown: drawn from the next frame


def test_weight_panels_redraw_only_when_new_weight_parts_arrive(window, qtbot, monkeypatch, frames):
    live = window.live
    first, between, second = frames
    hist = live.panels["Weight histogram"]
    draws = Counter(monkeypatch, type(hist), "draw")
    live._on_frame(first)
    settle_events(qtbot)
    assert draws.of(hist) == 1
    for f in between:  # activity frames: the same weight parts as the last full frame
        live._on_frame(f)
        settle_events(qtbot, 25)
    assert draws.of(hist) == 1
    live._on_frame(second)  # new weight parts
    settle_events(qtbot)
    assert draws.of(hist) == 2
    live._on_frame(dict(between[-1], running=False))  # the last frame of a run is always drawn in full
    settle_events(qtbot)
    assert draws.of(hist) == 3


def test_one_frame_and_a_burst_of_frames_are_one_paint(window, qtbot, frames):
    live = window.live
    first, between, _ = frames
    live._on_frame(first)
    settle_events(qtbot, 100)
    view = live.panels["Population rates"].glw.viewport()
    paints = Paints(view)
    live._on_frame(between[0])
    settle_events(qtbot, 100)
    assert paints.n == 1  # the view range is settled before the paint: no second paint from inside it
    for f in between[1:]:  # frames faster than the screen: drawn into the items, painted once
        live._on_frame(f)
    settle_events(qtbot, 100)
    assert paints.n == 2


def test_the_controller_shows_at_most_one_frame_per_tick(window, qtbot, frames):
    """The engine may deliver frames faster than the window draws them: the controller picks the newest
    at its own cadence (FRAME_S) and drops the rest, instead of drawing each one."""
    from gui.sim import controller

    ctl = window.live.ctl
    _, between, _ = frames
    ctl.timer.stop()
    ctl.frame.disconnect(window.live._on_frame)  # count the frames the controller hands on, not the drawing
    shown = []
    ctl.frame.connect(shown.append)
    ctl.loaded, ctl._min_load = True, 0
    w = ctl.worker
    offered, w0 = 0, time.perf_counter()
    while time.perf_counter() - w0 < 0.4:  # a new frame every ~1 ms, far faster than the window draws
        w.latest = between[offered % len(between)]
        w.seq += 1
        offered += 1
        ctl.poll()
        time.sleep(0.001)
    wall = time.perf_counter() - w0
    assert offered > 4 * len(shown) > 0
    assert len(shown) <= wall / controller.FRAME_S + 2
    ctl.loaded = False


def test_the_first_frame_of_a_run_is_shown_at_once(window, qtbot, frames):
    """Run right after a frame was shown (a step, a load): the run's first frame used to wait for the
    cadence's next due time (up to FRAME_S) and the quick polling stopped before it came; it is shown
    at the first poll that finds it, and the frames after it keep the cadence."""
    from gui.sim import controller

    ctl = window.live.ctl
    _, between, _ = frames
    ctl.timer.stop()
    ctl.frame.disconnect(window.live._on_frame)  # the controller's decisions, not the drawing
    shown = []
    ctl.frame.connect(shown.append)
    ctl.loaded, ctl._min_load = True, 0
    w = ctl.worker
    state0 = w.state
    try:
        w.state, w.latest = "paused", dict(between[0], running=False)  # a step's frame, shown
        w.seq += 1
        ctl.poll()
        assert len(shown) == 1
        w.state = "running"  # Run: the engine says it runs before its first frame arrives
        ctl.poll()
        assert ctl.timer.interval() == controller.POLL_MS  # still looking often for that frame
        w.latest = between[1]
        w.seq += 1
        ctl.poll()
        assert len(shown) == 2 and shown[-1] is between[1]  # at once, within FRAME_S of the last
        w.latest = between[2]
        w.seq += 1
        ctl.poll()
        assert len(shown) == 2  # the next one waits for its due time
        assert controller.POLL_MS < ctl.timer.interval() <= controller.FRAME_S * 1000 + 1
    finally:
        w.state = state0
        ctl.loaded = False


def test_while_frames_stream_the_controller_wakes_once_per_frame(window, monkeypatch, frames):
    """Polling every POLL_MS while a run streams frames found nothing new most of the time (36 frames a
    second against 200 wake-ups of the GUI thread); the controller sleeps until the next frame is due,
    keeps the cadence, and looks at the quick pace again when the run stops.

    On a simulated clock: the controller's timer is played by hand (each wake-up at the interval the
    controller asked for), so the cadence is checked exactly, whatever else the machine is doing (on
    the wall clock, the suite's other worker once left the GUI thread 15 frames of 24)."""
    import types

    from gui.sim import controller

    ctl = window.live.ctl
    _, between, _ = frames
    w = ctl.worker
    state0, ctl.loaded, ctl._min_load = w.state, True, 0
    active = ctl.timer.isActive()
    ctl.timer.stop()  # its wake-ups are played below
    clock = [1000.0]
    monkeypatch.setattr(controller, "time", types.SimpleNamespace(perf_counter=lambda: clock[0]))
    ctl._due = 0.0
    shown, ticks = [], 0
    ctl.frame.disconnect(window.live._on_frame)  # the cadence, not the drawing
    ctl.frame.connect(shown.append)
    w.state = "running"
    try:
        w.latest, w.seq = dict(between[0], running=False), w.seq + 1  # the paused frame before Run
        ctl.poll()
        shown.clear()
        wake, wall = clock[0], 0.7
        for ms in range(int(wall * 1000)):  # a new frame every ms, far faster than the window draws
            clock[0] = 1000.0 + ms / 1000
            w.latest = between[w.seq % len(between)]
            w.seq += 1
            if clock[0] >= wake - 1e-9:
                ticks += 1
                ctl.poll()
                wake = clock[0] + ctl.timer.interval() / 1000
        due = wall / controller.FRAME_S
        # the cadence is kept (a controller that waited a frame too long would show half)
        assert due - 2 <= len(shown) <= due + 2
        assert ticks <= 1.5 * due + 3              # ... with about one wake-up per frame
        assert ticks < wall / (controller.POLL_MS / 1000) / 3
        w.state = "paused"
        ctl.poll()
        assert ctl.timer.interval() == controller.POLL_MS  # not running: the quick pace again
    finally:
        w.state = state0
        ctl.loaded = False
        if active:
            ctl.timer.start()


@pytest.fixture
def item_paints(monkeypatch):
    """Paint calls of axes and curves; patched before the window exists (Qt's calls of a Python
    override are looked up when the item is made)."""
    return Counter(monkeypatch, pg.AxisItem, "paint"), Counter(monkeypatch, pg.PlotCurveItem, "paint")


def test_an_unchanged_axis_is_not_repainted(item_paints, window, qtbot, frames):
    live = window.live
    first, between, _ = frames
    rates = live.panels["Population rates"]
    live._on_frame(first)
    settle_events(qtbot, 100)
    axis_paints, curve_paints = item_paints
    axis_paints.n.clear()
    curve_paints.n.clear()
    for f in between:
        live._on_frame(f)
        settle_events(qtbot, 30)
    curves = list(rates.curves.values())
    assert curve_paints.of(*curves) >= len(between)  # the curves changed and were painted each time ...
    # ... over the grid lines of the rate axis, which kept its range: drawn from its cache (at most once,
    # should it have re-ranged on the first of these frames)
    assert axis_paints.of(rates.plot.getAxis("left")) <= 1


class Outbox:
    taken = True

    def __init__(self):
        self.frames = []

    def post(self, msg):
        pass

    def offer(self, frame):
        self.frames.append(frame)
        self.taken = True  # a display that takes every frame at once: as many as the loop builds


def test_the_engine_builds_full_frames_at_most_every_full_every_s(monkeypatch):
    loop = engine_loop.EngineLoop(Outbox())
    loop.load(plastic_demo(n_input=100, n_e=200, n_i=50), 0, 1)
    builds = Counter(monkeypatch, type(loop.builder), "build")
    monkeypatch.setattr(engine_loop, "CHUNK_WALL_S", 0.005)  # many chunks (and frames) in a short time
    loop._running = True
    w0 = time.perf_counter()
    while time.perf_counter() - w0 < 0.35:
        loop._chunk()
        time.sleep(engine_loop.FRAME_INTERVAL_S)  # a frame after every chunk
    wall = time.perf_counter() - w0
    frames = [f for f in loop.out.frames if f["running"]]
    full = builds.of(loop.builder)
    assert len(frames) > 2 * full
    assert full <= wall / engine_loop.FULL_EVERY_S + 1
    # frames between full ones share the full frame's weight parts (the same object: nothing to redraw)
    # (and the first ones those of the frame built at the load)
    assert len({id(f["projections"]) for f in frames}) <= full + 1


def test_the_relative_weighting_cloud_moves_its_points_without_rebuilding_them(qtbot, monkeypatch):
    import numpy as np

    from gui.plots.relative import move_points

    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    scatter = pg.ScatterPlotItem(size=4, pen=None, brush=pg.mkBrush(217, 96, 59, 110))
    plot.addItem(scatter)
    rng = np.random.default_rng(0)
    x, y = rng.random(500), rng.random(500)
    scatter.setData(x, y)
    rebuilt = Counter(monkeypatch, pg.ScatterPlotItem, "setData")
    move_points(scatter, x * 3, y - 2)
    assert rebuilt.of(scatter) == 0
    assert np.array_equal(scatter.getData()[0], x * 3) and np.array_equal(scatter.getData()[1], y - 2)
    assert scatter.dataBounds(0) == (pytest.approx((x * 3).min()), pytest.approx((x * 3).max()))
    assert scatter.dataBounds(1) == (pytest.approx((y - 2).min()), pytest.approx((y - 2).max()))
    move_points(scatter, x[:10], y[:10])  # another number of points: rebuilt
    assert rebuilt.of(scatter) == 1 and len(scatter.getData()[0]) == 10


def test_scrolling_the_rate_plot_does_not_reprocess_its_curves(window, qtbot, monkeypatch, frames):
    """The curves come trimmed and downsampled once per frame (gui.plots.base.peaks); a view that
    re-processed them on every range change (pyqtgraph's clip-to-view, auto-downsampling) did it twice."""
    live = window.live
    first, between, _ = frames
    live._on_frame(first)
    rates = live.panels["Population rates"]
    processed = Counter(monkeypatch, pg.PlotCurveItem, "updateData")
    for shift in (1.0, 2.0, 3.0):
        rates.plot.setXRange(shift, shift + 10.0, padding=0)
    assert processed.of(*rates.curves.values()) == 0
    live._on_frame(between[0])
    assert processed.of(*rates.curves.values()) == len(rates.curves)  # one pass per curve and frame


def test_peaks_keep_every_bucket_extreme_in_order():
    import numpy as np

    from gui.plots.base import peaks

    rng = np.random.default_rng(1)
    x = np.arange(10_007) * 1e-3
    y = rng.normal(size=len(x))
    y[1234], y[8000] = 9.0, -9.0  # single-sample spikes survive
    xo, yo = peaks(x, y, 400)
    assert len(xo) <= 2 * 400 + 2 * (len(x) // 400)
    assert np.all(np.diff(xo) >= 0)
    assert yo.max() == 9.0 and yo.min() == -9.0
    assert xo[-1] == x[-1]  # the newest sample is always drawn
    k = len(x) // 400
    for b in (0, 17, 399):
        seg = y[b * k:(b + 1) * k]
        assert set(yo[2 * b:2 * b + 2]) == {seg.min(), seg.max()}
    assert len(peaks(x[:50], y[:50], 400)[0]) == 50  # fewer samples than pixels: all of them


def test_a_plots_curves_are_thinned_together_as_each_alone():
    """The rate panel smooths and thins all its curves in one pass: the points are those the per-curve
    functions give, curve by curve (ties, flat stretches and a tail that fills no bucket included)."""
    import numpy as np

    from gui.plots.base import peaks, peaks_of_columns
    from gui.plots.rates import smooth

    rng = np.random.default_rng(2)
    x = np.arange(5_003) * 1e-2
    ys = np.column_stack([rng.normal(size=len(x)), np.round(rng.normal(size=len(x))), np.zeros(len(x)),
                          rng.exponential(size=len(x))])
    ys[100:400, 1] = 3.0
    ys[7, 3] = np.nan  # a bin without data
    for k in (1, 10):
        sm = smooth(ys, k)
        for buckets in (400, 1_000, 3_000):
            together = peaks_of_columns(x, sm, buckets)
            assert len(together) == ys.shape[1]
            for j, (xo, yo) in enumerate(together):
                x1, y1 = peaks(x, smooth(ys[:, j], k), buckets)
                assert np.array_equal(xo, x1) and np.array_equal(yo, y1, equal_nan=True), (k, buckets, j)


def test_static_weights_are_not_set_again(qtbot, monkeypatch, frames):
    """A static projection's histogram and relative-weighting lines are the same in every full frame:
    they are set once (each setData would repaint the plot)."""
    from gui.plots.relative import RelativeWeightingPanel
    from gui.plots.weights import WeightHistogramPanel

    first, _, second = frames
    set_data = Counter(monkeypatch, pg.PlotDataItem, "setData")
    hist, rel = WeightHistogramPanel(), RelativeWeightingPanel()
    for panel in (hist, rel):
        qtbot.addWidget(panel)
        panel.show()
        panel.draw(first)
        panel.picker.select("E->I")  # static: constant weights
    assert not first["projections"]["E->I"]["plastic"]
    n_hist, n_rel = set_data.of(hist.ref, hist.now), set_data.of(rel.diag, rel.median)
    assert n_hist >= 2 and n_rel >= 1
    for panel in (hist, rel):
        panel.draw(second)
    assert set_data.of(hist.ref, hist.now) == n_hist and set_data.of(rel.diag, rel.median) == n_rel
    hist.picker.select("Input->E")  # plastic: its bins are drawn
    assert set_data.of(hist.ref, hist.now) == n_hist + 2


def test_the_first_frame_after_run_is_an_activity_frame(monkeypatch):
    """The window already has the paused state's weight parts: Run's first frame brings only activity,
    without waiting for a full build (Run -> first new frame stays short)."""
    loop = engine_loop.EngineLoop(Outbox())
    loop.load(plastic_demo(n_input=100, n_e=200, n_i=50), 0, 1)
    paused = loop.out.frames[-1]
    time.sleep(2 * engine_loop.FULL_EVERY_S)  # paused for a while: the last full frame is "old"
    builds = Counter(monkeypatch, type(loop.builder), "build")
    engine_loop.COMMANDS["play"](loop, None)
    loop._chunk()
    first = loop.out.frames[-1]
    assert first["running"] and first["t"] > paused["t"]
    assert builds.of(loop.builder) == 0 and first["projections"] is paused["projections"]


def test_costly_full_frames_come_rarer(monkeypatch):
    """A big circuit's full frame may take longer than FULL_EVERY_S: full frames then keep to
    FULL_SHARE of the engine's time instead of being built for every frame."""
    loop = engine_loop.EngineLoop(Outbox())
    loop.load(plastic_demo(n_input=100, n_e=200, n_i=50), 0, 1)
    cost = 1.5 * engine_loop.FULL_EVERY_S
    slow_build = type(loop.builder).build

    def build(builder):
        time.sleep(cost)
        return slow_build(builder)
    monkeypatch.setattr(type(loop.builder), "build", build)
    builds = Counter(monkeypatch, type(loop.builder), "build")
    monkeypatch.setattr(engine_loop, "CHUNK_WALL_S", 0.005)
    loop._running = True
    loop._full_at = 0.0  # the first chunk builds a full frame
    w0 = time.perf_counter()
    while time.perf_counter() - w0 < 2.5:
        loop._chunk()
        time.sleep(engine_loop.FRAME_INTERVAL_S)
    wall = time.perf_counter() - w0
    assert 1 <= builds.of(loop.builder) <= wall * engine_loop.FULL_SHARE / cost + 1
    assert len(loop.out.frames) > 10 * builds.of(loop.builder)


def test_the_engine_bins_the_raster_at_the_size_the_window_shows(monkeypatch):
    """With a raster view set, frames carry the raster as an image of the plot's size (binned in the
    engine, the same pixels the window would bin from the spikes) and not the spikes themselves."""
    import numpy as np

    from simcore.engine import frames

    loop = engine_loop.EngineLoop(Outbox())
    loop.load(plastic_demo(n_input=100, n_e=200, n_i=50), 0, 1)
    view = {"regions": list(loop.out.frames[-1]["regions"]), "width": 400, "height": 150}
    engine_loop.COMMANDS["raster_view"](loop, view)
    paused = loop.out.frames[-1]  # paused: a frame at the new size at once
    assert paused["raster_image"]["view"] == view
    loop._running = True
    for _ in range(5):
        loop._chunk()
        time.sleep(engine_loop.FRAME_INTERVAL_S)
    sent = loop.out.frames[-1]
    raw = engine_loop.activity_frame(loop.sim, loop._full)  # the same moment, with the spikes
    assert raw["t"] == sent["t"] and len(raw["raster"]["t"]) > 0
    assert len(sent["raster"]["t"]) == 0
    img = sent["raster_image"]
    assert img["image"].shape == (150, 400) and img["spikes"] > 0
    assert np.array_equal(img["image"], frames.raster_image(raw, view)["image"])
    engine_loop.COMMANDS["raster_view"](loop, None)
    loop._chunk()
    assert "raster_image" not in loop.out.frames[-1] and len(loop.out.frames[-1]["raster"]["t"]) > 0


def test_the_raster_panel_shows_the_engines_image_without_binning(window, qtbot, frames):
    import numpy as np

    from simcore.engine.frames import raster_image

    live = window.live
    first, between, _ = frames
    panel = live.panels["Spike raster"]
    live._on_frame(first)  # spikes only: binned here, and the engine is told the view
    assert panel.binned_here == 1
    assert panel.view is not None and live.ctl._raster_view == panel.view
    assert panel.view["width"] > 100 and panel.view["regions"]
    binned_here = panel.binned_here
    for f in between:
        pre = dict(f, raster_image=raster_image(f, panel.view), raster={k: v[:0] for k, v in f["raster"].items()})
        live._on_frame(pre)
        assert np.array_equal(panel.image.image, pre["raster_image"]["image"])
        assert panel.spikes_drawn == pre["raster_image"]["spikes"] > 0
    assert panel.binned_here == binned_here  # the frames came binned: nothing binned on the GUI thread
    live.docks["E/I input"].raise_()  # the raster behind a tab: the engine stops binning it
    qtbot.wait(20)
    live._on_frame(between[-1])
    assert live.ctl._raster_view is None


def test_scrolling_axes_and_their_labels_do_not_redo_their_work_each_frame(window, qtbot, monkeypatch, frames):
    """While the plots scroll, the time axes move the ticks they made (no new tick generation on a frame
    that stays in their stretch) and the axis titles are painted from their cache."""
    from PySide6.QtWidgets import QGraphicsItem

    from gui.plots.time_axis import ScrollingTimeAxis

    live = window.live
    first, between, _ = frames
    rates, raster = live.panels["Population rates"], live.panels["Spike raster"]
    axes = [rates.plot.getAxis("bottom"), raster.plot.getAxis("bottom")]
    assert all(isinstance(a, ScrollingTimeAxis) for a in axes)
    for plot in (rates.plot, raster.plot):
        for name in ("left", "bottom"):
            assert plot.getAxis(name).label.cacheMode() == QGraphicsItem.DeviceCoordinateCache
            assert not plot.getAxis(name).autoSIPrefix
    later = 20.0  # past every window: the views scroll with each frame
    live._on_frame(dict(first, t=first["t"] + later))
    settle_events(qtbot, 100)
    made, start = [a.generations for a in axes], [list(a.range) for a in axes]
    for f in between:  # 10 ms apart: inside every stretch
        live._on_frame(dict(f, t=f["t"] + later))
        settle_events(qtbot, 30)
    assert all(a.range[0] > r[0] for a, r in zip(axes, start))  # they scrolled ...
    assert [a.generations for a in axes] == made                 # ... on the ticks made before


def test_scrolling_leaves_the_views_state_alone(window, qtbot, frames):
    """A frame that scrolls a plot sets its x range and nothing else: pyqtgraph's setXRange turned
    x auto-range off again on every call and announced a new view state each time (to the plot's
    menu and every listener), ~40% of a scroll on the GUI thread. A frame that does not move the
    range (a paused run's) sets nothing."""
    live = window.live
    first, between, _ = frames
    views = [live.panels[n].plot.getViewBox() for n in ("Population rates", "Spike raster")]
    live._on_frame(dict(first, t=first["t"] + 20.0))
    settle_events(qtbot, 50)
    announced, moved = [0, 0], [0, 0]
    for k, vb in enumerate(views):
        vb.sigStateChanged.connect(lambda *_, k=k: announced.__setitem__(k, announced[k] + 1))
        vb.sigXRangeChanged.connect(lambda *_, k=k: moved.__setitem__(k, moved[k] + 1))
    for f in between:
        live._on_frame(dict(f, t=f["t"] + 20.0))
    assert min(moved) >= len(between) - 1  # they scrolled with the frames ...
    # ... announcing each new range once (pyqtgraph's setRange does), not twice (the second for an
    # auto-range already off); y may rescale once
    assert all(a <= m + 1 for a, m in zip(announced, moved)), (announced, moved)
    before = list(moved)
    live._on_frame(dict(between[-1], t=between[-1]["t"] + 20.0))
    assert moved == before  # the same time again: nothing to do


def test_a_scrolling_curve_works_out_its_bounds_once_a_frame(window, qtbot, frames):
    """The rate curves' bounds (data range and pen width in pixels) are dropped when their data
    change, and when the view's scale changes, not again because the view scrolled."""
    live = window.live
    first, between, _ = frames
    rates = live.panels["Population rates"]
    live._on_frame(dict(first, t=first["t"] + 20.0))
    settle_events(qtbot, 50)
    dropped = collections.Counter()
    for name, c in rates.curves.items():
        real = c.invalidateBounds
        c.invalidateBounds = lambda real=real, name=name: (dropped.update([name]), real())[1]
    for f in between:
        live._on_frame(dict(f, t=f["t"] + 20.0))
        settle_events(qtbot, 5)
    assert rates.curves and all(dropped[n] == len(between) for n in rates.curves), (dict(dropped), len(between))
    dropped.clear()
    rates.window_box.setCurrentText("2 s")  # a new scale: the pen's width in data units changes
    live._on_frame(dict(between[-1], t=between[-1]["t"] + 20.0))
    settle_events(qtbot, 5)
    assert all(dropped[n] == 2 for n in rates.curves), dict(dropped)  # the new data, and the new scale


def test_the_engine_colours_the_raster_with_the_views_palette():
    """With a palette in the view the image holds the colours themselves (one ARGB value per pixel, the
    palette entry of the index image's pixel): the window paints it without a colour table."""
    import numpy as np

    from simcore.engine import frames

    loop = engine_loop.EngineLoop(Outbox())
    loop.load(plastic_demo(n_input=100, n_e=200, n_i=50), 0, 1)
    loop._running = True
    for _ in range(3):
        loop._chunk()
    raw = engine_loop.activity_frame(loop.sim, loop._full)
    view = {"regions": list(raw["regions"]), "width": 300, "height": 120}
    palette = (0x00FFFFFF,) + tuple(0xFF000000 | (17 * (i + 1)) for i in range(len(raw["regions"])))
    index = frames.raster_image(raw, view)
    coloured = frames.raster_image(raw, dict(view, palette=palette))
    assert index["spikes"] > 0 and coloured["image"].dtype == np.uint32
    assert np.array_equal(coloured["image"], np.asarray(palette, np.uint32)[index["image"]])


def test_the_raster_is_painted_without_a_colour_table(window, qtbot, monkeypatch, frames):
    """Each frame's raster is one image the panel hands to the painter as it came: no lookup table or
    level scaling applied (pyqtgraph's ImageItem did both, and made a new indexed QImage, at every
    paint), no colouring on the GUI thread, and a frame shown again is not set again."""
    import numpy as np
    from pyqtgraph import functions_qimage

    from simcore.engine.frames import raster_image

    live = window.live
    first, between, _ = frames
    panel = live.panels["Spike raster"]
    live._on_frame(first)
    settle_events(qtbot, 60)
    qimages = collections.Counter()
    for name in ("makeARGB", "try_make_qimage", "makeQImage"):
        for mod in (functions_qimage, pg.functions):
            if hasattr(mod, name):
                orig = getattr(mod, name)
                monkeypatch.setattr(mod, name, lambda *a, _o=orig, _n=name, **k: (qimages.update([_n]), _o(*a, **k))[1])
    set_image = Counter(monkeypatch, type(panel.image), "setImage")
    paints = Paints(panel.glw.viewport())
    pre = [dict(f, raster_image=raster_image(f, panel.view), raster={k: v[:0] for k, v in f["raster"].items()})
           for f in between]
    for f in pre:
        live._on_frame(f)
        settle_events(qtbot, 30)
        assert np.array_equal(panel.image.image, f["raster_image"]["image"])  # as the engine coloured it
    assert paints.n >= len(pre) // 2 and not qimages  # painted, and no colour table applied on the way
    assert set_image.of(panel.image) == len(pre)
    live._on_frame(pre[-1])  # the same frame again (paused): nothing set again
    settle_events(qtbot, 30)
    assert set_image.of(panel.image) == len(pre)
    assert pre[-1]["raster_image"]["image"].dtype == np.uint32 and panel.view["palette"][0] >> 24 == 0


def test_live_plots_keep_no_scene_index(window):
    """A live plot moves and resizes its items on every frame; with Qt's default BSP index each change
    took the item out of the index and put it back before the paint. Every panel's scene is unindexed."""
    from PySide6.QtWidgets import QGraphicsScene

    for title, panel in window.live.panels.items():
        assert panel.glw.scene().itemIndexMethod() == QGraphicsScene.NoIndex, title


def test_a_running_chunk_is_one_kernel_call(monkeypatch):
    """Chunks end at statistics boundaries: the first chunks are short (the engine's speed is not known
    yet), and a later chunk of a whole interval that started off a boundary crossed one, which made it
    two kernel calls, each with its recorder and health work between chunks."""
    from simcore.engine.simulation import Simulation

    loop = engine_loop.EngineLoop(Outbox())
    loop.load(plastic_demo(n_input=100, n_e=200, n_i=50), 0, 1)
    sim = loop.sim
    calls = []
    orig = Simulation._kernel_call
    monkeypatch.setattr(Simulation, "_kernel_call", lambda s, nth, t0, at, n: (calls.append(n), orig(s, nth, t0, at, n)))
    loop._running = True
    per_chunk = []
    for _ in range(12):
        before = len(calls)
        loop._chunk()
        per_chunk.append(len(calls) - before)
    assert per_chunk == [1] * 12
    assert sim.step_index % sim.stats_steps == 0 and max(calls) == sim.stats_steps  # whole intervals once known
