"""The scrolling time axis (gui.plots.time_axis) draws what pyqtgraph's own axis draws, pixel for pixel,
while generating its ticks only when the view leaves the stretch of time they were made for."""
import numpy as np
import pyqtgraph as pg
import pytest

from gui.plots.base import scrolling_time_axis, style_plot
from gui.plots.time_axis import ScrollingTimeAxis


def pixels(widget) -> np.ndarray:
    img = widget.grab().toImage().convertToFormat(widget.grab().toImage().Format.Format_RGB32)
    a = np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), img.bytesPerLine() // 4, 4)
    return a[:, :img.width()].copy()


def plot_pair(qtbot, width, grid):
    """The same styled plot twice: with pyqtgraph's axis (two tick levels, as the scrolling plots use)
    and with the scrolling one."""
    out = []
    for scrolling in (False, True):
        w = pg.GraphicsLayoutWidget()
        qtbot.addWidget(w)
        w.resize(width, 230)
        p = style_plot(w.addPlot(), "rate", "Hz")
        p.showGrid(x=grid, y=True, alpha=0.15)
        p.disableAutoRange()
        if scrolling:
            scrolling_time_axis(p)
        else:
            p.getAxis("bottom").setStyle(maxTickLevel=1, maxTextLevel=1)
        p.setYRange(0, 10, padding=0)
        w.show()
        out.append((w, p))
    qtbot.waitExposed(out[1][0])
    return out


@pytest.mark.parametrize("window,width,grid", [(10.0, 520, False), (2.0, 380, False), (60.0, 900, True), (2.0, 380, True)])
def test_the_scrolling_axis_draws_what_pyqtgraph_draws(qtbot, window, width, grid):
    (ref, _), (new, plot) = pair = plot_pair(qtbot, width, grid)
    axis = plot.getAxis("bottom")
    assert isinstance(axis, ScrollingTimeAxis)
    assert axis.labelText == "time" and axis.labelUnits == "s" and not axis.autoSIPrefix
    steps = np.arange(0.0, 4 * window, window / 37.3)
    differing = []
    for t in steps:
        right = max(t, window)
        for _, p in pair:
            p.setXRange(right - window, right, padding=0)
        qtbot.wait(1)
        if not np.array_equal(pixels(ref), pixels(new)):
            differing.append(round(float(t), 3))
    assert not differing, f"differs from pyqtgraph's axis at t = {differing[:5]}"
    # scrolled by four windows: ticks made once per stretch (about 1.25 windows), not once per frame
    assert axis.generations <= 5 < len(steps)


def test_an_axis_given_fixed_ticks_draws_them_as_pyqtgraph_does(qtbot):
    """Fixed ticks (``setTicks``) have no stretch to reuse: pyqtgraph draws them, as on any axis."""
    pair = plot_pair(qtbot, 520, False)
    ticks = [[(v, f"#{v:g}") for v in np.arange(0.0, 60.0, 2.5)], [(v, "") for v in np.arange(0.5, 60.0, 0.5)]]
    for _, p in pair:
        p.getAxis("bottom").setTicks(ticks)
    differing = []
    for t in np.arange(10.0, 40.0, 1.3):
        for _, p in pair:
            p.setXRange(t - 10.0, t, padding=0)
        qtbot.wait(1)
        if not np.array_equal(pixels(pair[0][0]), pixels(pair[1][0])):
            differing.append(round(float(t), 3))
    assert not differing, f"differs from pyqtgraph's axis at t = {differing[:5]}"
    axis = pair[1][1].getAxis("bottom")
    axis.setTicks(None)  # back to its own ticks, generated once per stretch
    made = axis.generations
    for t in (20.0, 20.5, 21.0):
        pair[1][1].setXRange(t - 10.0, t, padding=0)
        pixels(pair[1][0])
    assert axis.generations == made + 1


def test_ticks_are_generated_only_when_the_view_leaves_their_stretch(qtbot, monkeypatch):
    _, (w, plot) = plot_pair(qtbot, 520, False)
    axis = plot.getAxis("bottom")
    plot.setXRange(0.0, 10.0, padding=0)
    pixels(w)  # painted at this range
    calls = []
    real = ScrollingTimeAxis.generateDrawSpecs
    monkeypatch.setattr(ScrollingTimeAxis, "generateDrawSpecs", lambda self, p: calls.append(1) or real(self, p))
    n0 = axis.generations
    reach = 10.0 * (ScrollingTimeAxis.AHEAD - ScrollingTimeAxis.MARGIN)  # how far the view may scroll
    for shift in (0.3, 1.7, 4.2, reach - 0.1):  # inside the stretch
        plot.setXRange(shift, shift + 10.0, padding=0)
        pixels(w)
    assert axis.generations == n0 and not calls
    plot.setXRange(reach + 0.5, reach + 10.5, padding=0)  # beyond it: made again, once
    pixels(w)
    assert axis.generations == n0 + 1
    plot.setXRange(reach + 0.5, reach + 15.5, padding=0)  # another span (the window was changed): made again
    pixels(w)
    assert axis.generations == n0 + 2
    axis.setTickFont(axis.style["tickFont"])  # anything else of the axis changed: made again
    pixels(w)
    assert axis.generations == n0 + 3


def test_a_generation_measures_only_the_labels_it_has_not_seen(qtbot):
    """Qt's text layout was most of a generation's cost; the labels come back on every generation while
    they are in view (and whenever the view returns), so each text is measured once per font."""
    from PySide6.QtGui import QFont

    _, (w, plot) = plot_pair(qtbot, 520, False)
    axis = plot.getAxis("bottom")
    plot.setXRange(0.0, 10.0, padding=0)
    pixels(w)
    seen = axis.measured
    assert seen > 0
    far = 10.0 * ScrollingTimeAxis.AHEAD + 50.0  # a stretch with labels not seen yet
    plot.setXRange(far, far + 10.0, padding=0)
    pixels(w)
    assert axis.measured > seen
    seen, made = axis.measured, axis.generations
    plot.setXRange(0.0, 10.0, padding=0)  # back: generated again, with nothing new to measure
    pixels(w)
    assert axis.generations == made + 1 and axis.measured == seen
    font = QFont(axis.style["tickFont"] or plot.font())
    font.setPointSize(font.pointSize() + 3)
    axis.setTickFont(font)  # another font: other sizes
    pixels(w)
    assert axis.measured > seen
