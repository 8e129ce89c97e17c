"""Shared look and helpers of the live plot panels (pyqtgraph).

Each panel is a QWidget with ``update_frame(frame)`` (called at ~30 Hz with the newest frame),
``focus(kind, name)`` (a region or projection was clicked on the canvas), ``clear()`` and
``plot_items()`` (for export). Persistent items are created once and fed with ``setData``.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, Qt, QTimer
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QHBoxLayout, QLabel, QVBoxLayout, QWidget

pg.setConfigOptions(background="w", foreground="#2b3036", antialias=False, useNumba=False)

E_COLORS = ["#d9603b", "#e39b2d", "#b23a48", "#c9793f", "#8c5a2b"]
I_COLORS = ["#3a6fb5", "#2a9d8f", "#5a55b3", "#4f97c9", "#1d5f7a"]
M_COLORS = ["#8a4fb3", "#b05fa0", "#6d3f99"]
MUTED = "#6b7480"
EVENT_COLOR = "#7a3fa0"


def region_colors(frame: dict) -> dict[str, QColor]:
    """One stable colour per region: warm for excitatory, cool for inhibitory, purple for modulatory."""
    out, counts = {}, {"excitatory": 0, "inhibitory": 0, "modulatory": 0}
    for name, role in zip(frame["regions"], frame.get("roles", ["excitatory"] * len(frame["regions"]))):
        pal = {"excitatory": E_COLORS, "inhibitory": I_COLORS}.get(role, M_COLORS)
        out[name] = QColor(pal[counts.get(role, 0) % len(pal)])
        counts[role] = counts.get(role, 0) + 1
    return out


def style_plot(plot: pg.PlotItem, left: str, left_unit: str | None, bottom: str = "time",
               bottom_unit: str | None = "s") -> pg.PlotItem:
    font = QFont()
    font.setPointSizeF(8.5)
    for ax_name in ("left", "bottom"):
        ax = plot.getAxis(ax_name)
        ax.setTickFont(font)
        ax.setPen(pg.mkPen("#9aa3ad"))
        ax.setTextPen(pg.mkPen("#2b3036"))
    plot.setLabel("left", left, units=left_unit, **{"font-size": "9pt"})
    plot.setLabel("bottom", bottom, units=bottom_unit, **{"font-size": "9pt"})
    # also on the hidden top and right axes: with it, every range change re-set their label's HTML
    for ax_name in ("left", "bottom", "top", "right"):
        plot.getAxis(ax_name).enableAutoSIPrefix(False)
    plot.showGrid(x=True, y=True, alpha=0.15)
    plot.setMenuEnabled(True)
    plot.hideButtons()
    for ax_name in ("left", "bottom"):
        cached(plot.getAxis(ax_name))
        cached(plot.getAxis(ax_name).label)  # its own item: repainted with every axis change otherwise
    return plot


def cached(item):
    """Paint ``item`` from a pixmap it keeps (Qt's device-coordinate cache) until it changes itself.

    A view repaints every item that overlaps what changed; an axis with grid lines spans the whole
    plot, so each new curve replayed the axis' text and lines (the largest share of a scrolling
    plot's paint). Cached, an unchanged axis, legend or label costs one pixmap copy."""
    item.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
    return item


def unindexed(scene):
    """No BSP index for a plot's scene: a live plot moves or resizes its items on every frame (the view
    scrolls, curves get new bounds, the raster is placed again), and each such change made Qt take the
    item out of its index and put it back before the paint; a plot has a few dozen items, which the
    paint and the mouse simply walk."""
    scene.setItemIndexMethod(QGraphicsScene.NoIndex)
    return scene


class TextThrottle:
    """Status texts that change every frame (time, rates in the last second) are set at most
    ``hz`` times per second while running: each new text relays out its row, and no one reads
    30 numbers a second. ``force`` (the last frame of a run, a paused step) always sets it."""

    def __init__(self, hz: float = 5.0):
        self.interval = 1.0 / hz
        self._at: dict[int, float] = {}

    def due(self, label, force: bool = False) -> bool:
        """Whether a new text for ``label`` would be shown now (compute it only then)."""
        import time

        return force or time.perf_counter() - self._at.get(id(label), -1e9) >= self.interval

    def set(self, label, text: str, force: bool = False) -> bool:
        import time

        if text == label.text() or not self.due(label, force):
            return False
        self._at[id(label)] = time.perf_counter()
        label.setText(text)
        hold_size(label)
        return True


QWIDGETSIZE_MAX = (1 << 24) - 1


class _ReleaseOnFontChange(QObject):
    """Gives a held label its freedom back when its font changes (presentation mode): it is sized
    again by its layout, and held again at its next text."""

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.FontChange and getattr(obj, "_held", False):
            obj._held = False
            obj.setMinimumSize(0, 0)
            obj.setMaximumSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX)
        return False


_RELEASE = None


def hold_size(label: QLabel) -> None:
    """Keep a label that shows a changing text (the time, the rates of the last second) at a fixed
    size, grown when a text needs more room, never shrunk.

    A label whose size may change asks its layout to work again on every new text, and the layouts
    above it up to the window: five texts a second each meant a relayout of the whole main window
    (docks, inspector, status bar) and a repaint of its background (0.56 window layouts and 3 label
    paints per frame on the CUBA demo; 0 and 1 held). Qt asks nothing of the layouts for a widget
    whose minimum and maximum sizes are equal."""
    global _RELEASE
    hint = label.sizeHint()
    held = getattr(label, "_held", False)
    if held and hint.width() <= label.maximumWidth() and hint.height() <= label.maximumHeight():
        return
    if _RELEASE is None:
        _RELEASE = _ReleaseOnFontChange()
    if not getattr(label, "_release_installed", False):
        label.installEventFilter(_RELEASE)
        label._release_installed = True
    w = max(hint.width(), label.minimumWidth(), label.width() if held else 0)
    label.setFixedSize(w, max(hint.height(), label.minimumHeight()))
    label._held = True


class Panel(QWidget):
    """A plot panel: optional control row on top of one pyqtgraph GraphicsLayoutWidget.

    Fast panels override :meth:`update_frame`. Slow panels set ``defer_ms`` and implement
    :meth:`draw` instead: ``update_frame`` then only keeps the frame and draws it ``defer_ms`` later,
    in its own event-loop pass. Qt paints all dirty docks of a window in one pass, so drawing every
    panel at once made one long GUI stall; staggered, each pass stays short and the GUI answers
    between them (a newer frame arriving meanwhile replaces the pending one)."""

    title = "Panel"
    defer_ms: int | None = None

    def __init__(self, parent=None):
        super().__init__(parent)
        self.controls = QHBoxLayout()
        self.controls.setContentsMargins(6, 2, 6, 0)
        self.controls.setSpacing(6)
        self.glw = pg.GraphicsLayoutWidget()
        unindexed(self.glw.scene())
        self.glw.ci.setContentsMargins(4, 4, 8, 4)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addLayout(self.controls)
        lay.addWidget(self.glw, 1)
        self.info = QLabel("")
        self.info.setStyleSheet(f"color: {MUTED};")
        self.texts = TextThrottle()

    def update_frame(self, frame: dict) -> None:
        if self.defer_ms is None:
            return self.draw(frame)
        self._defer_draw(frame, self.defer_ms)

    def _defer_draw(self, frame: dict, delay_ms: float, hurry: bool = False) -> None:
        """Draw ``frame`` in a pass of its own after ``delay_ms``: frames that arrive meanwhile replace
        it (one draw shows the newest). ``hurry``: a draw already waiting longer than ``defer_ms`` comes
        sooner (e.g. the last frame of a run)."""
        self._pending = frame
        timer = getattr(self, "_defer_timer", None)
        if timer is None:
            timer = self._defer_timer = QTimer(self)
            timer.setSingleShot(True)
            timer.setTimerType(Qt.PreciseTimer)
            timer.timeout.connect(self._draw_pending)
        if not timer.isActive():
            timer.start(int(delay_ms))
        elif hurry and timer.remainingTime() > self.defer_ms:
            timer.start(self.defer_ms)

    def _draw_pending(self) -> None:
        frame, self._pending = getattr(self, "_pending", None), None
        if frame is not None:
            self.draw(frame)

    def draw(self, frame: dict) -> None:
        raise NotImplementedError

    def focus(self, kind: str, name: str) -> None:
        pass

    def clear(self) -> None:
        self._pending = None  # a frame from before the reset is not drawn afterwards

    def plot_items(self) -> list[pg.PlotItem]:
        return [i for i in self.glw.ci.items if isinstance(i, pg.PlotItem)]


class CornerText:
    """A TextItem kept inside a corner of its plot's view: wrapped to the view's width when it is
    wider, and placed again whenever the view is resized or its range changes. Placed only when a
    frame was drawn, a box set to a corner of the old range ended outside the view (or vanished)
    after presentation mode enlarged fonts and resized the plots."""

    INSET = 4  # px between the box and the view's edge

    def __init__(self, plot: pg.PlotItem, item: pg.TextItem, corner=(0, 0), avoid=None):
        self.plot, self.item, self.corner, self.avoid = plot, item, corner, avoid
        vb = plot.getViewBox()
        if avoid is not None and hasattr(avoid, "geometryChanged"):
            avoid.geometryChanged.connect(lambda *_: QTimer.singleShot(0, plot, self.place))
        vb.sigResized.connect(lambda *_: self.place())
        vb.sigRangeChanged.connect(lambda *_: self.place())

    def set_corner(self, corner) -> None:
        self.corner = corner
        self.place()

    def place(self) -> None:
        vb = self.plot.getViewBox()
        room = max(60.0, vb.width() - 2 * self.INSET)
        text = self.item.textItem
        other = self.avoid
        avoid = other.sceneBoundingRect().getRect() if other is not None and other.isVisible() else None
        key = (self.corner, text.toHtml(), text.font().toString(), room, tuple(map(tuple, vb.viewRange())), avoid)
        if key == getattr(self, "_placed", None):
            return  # moving the text, even in place, repaints the plot (called on every frame)
        self._placed = key
        text.setTextWidth(-1)
        if text.boundingRect().width() > room:
            self.item.setTextWidth(room)  # wraps the lines
        ax, ay = self.corner
        self.item.setAnchor(self.corner)
        (x0, x1), (y0, y1) = vb.viewRange()
        px, py = vb.viewPixelSize()  # view units per pixel: the inset in data coordinates
        dx, dy = self.INSET * px * (1 - 2 * ax), self.INSET * py * (1 - 2 * ay)
        self.item.setPos(x0 + ax * (x1 - x0) + dx, y1 - ay * (y1 - y0) - dy)
        self._clear_of_avoid(vb, room)

    def _clear_of_avoid(self, vb, room) -> None:
        """Beside the legend (wrapped to the room left of it), else below it: the histogram's numbers
        lay under "reference / now" in a narrow plot."""
        other = self.avoid
        if other is None or not other.isVisible() or not getattr(other, "items", True):
            return
        box, view = other.sceneBoundingRect(), vb.sceneBoundingRect()
        if not self.item.sceneBoundingRect().intersects(box):
            return
        beside = box.left() - view.left() - 2 * self.INSET
        if self.corner[0] == 0 and beside >= min(room, 110):
            self.item.setTextWidth(beside)
            if not self.item.sceneBoundingRect().intersects(box):
                return
            self.item.setTextWidth(room)
        if self.corner[1] == 0:  # top corner: move down below the legend
            y = vb.mapSceneToView(QPointF(view.left(), box.bottom() + 3)).y()
            self.item.setPos(self.item.pos().x(), y)


class EventMarkers:
    """Vertical labelled lines at the times of protocol events and live actions on a time plot."""

    MAX = 40

    def __init__(self, plot: pg.PlotItem, labels: bool = True):
        self.plot = plot
        self.labels = labels
        self.lines: list[pg.InfiniteLine] = []
        self._labelled: list[list] = []  # [t, line, text of the event, text shown]
        self._n = 0

    MERGE_S = 0.5   # labels of events closer than this share one label ("A; B")

    def update(self, fired: list) -> None:
        if len(fired) < self._n:  # reset
            self.clear()
        for t, text in fired[self._n:]:
            label = text if self.labels else None
            last = self._labelled[-1] if self._labelled else None
            if label and last is not None:
                if last[2] == text:                 # a repeated event (a reward train): one label
                    label = None
                elif t - last[0] < self.MERGE_S:    # simultaneous events: one label, no overlap
                    last[1].label.setFormat(f"{last[3]}; {text}")
                    last[3] = f"{last[3]}; {text}"
                    label = None
            line = pg.InfiniteLine(pos=t, angle=90, movable=False,
                                   pen=pg.mkPen(EVENT_COLOR, width=1, style=Qt.DashLine),
                                   label=label,
                                   labelOpts={"position": self.LABEL_AT, "color": EVENT_COLOR, "fill": (255, 255, 255, 200),
                                              "anchors": [(0, 0), (0, 0)]})
            line.setToolTip(f"t = {t:.3f} s: {text}")
            line.setZValue(-5)
            self.plot.addItem(line, ignoreBounds=True)
            self.lines.append(line)
            if label:
                self._labelled.append([t, line, text, text])
        self._n = len(fired)
        while len(self.lines) > self.MAX:
            gone = self.lines.pop(0)
            self._labelled = [x for x in self._labelled if x[1] is not gone]
            self.plot.removeItem(gone)
        self.dodge()

    LABEL_AT = 0.93  # along the line, from its bottom

    def keep_clear_of(self, item) -> None:
        """Labels that would lie under ``item`` (the plot's legend, top right) move down their line
        to just below it: the legend hid "Input rate halved (10 → 5 Hz)" behind "Neurons". Near the
        right edge of the view a label goes to the left of its line (it was cut off)."""
        self._avoid = item
        # after the layout settled (presentation mode resizes the plot, then its fonts the legend)
        later = lambda *_: QTimer.singleShot(0, self.plot, self.dodge)  # noqa: E731 (not after the plot)
        self.plot.getViewBox().sigResized.connect(later)
        if hasattr(item, "geometryChanged"):
            item.geometryChanged.connect(later)

    def dodge(self) -> None:
        """Place each label where it is whole and clear of the legend: right of its line at the top,
        else left of it, else below the legend (right, then left), else across the line from the view's
        left edge; when none is (a short, narrow plot in presentation mode), where the least of it is
        hidden (outside the view or under the legend)."""
        item = getattr(self, "_avoid", None)
        if item is None or not self._labelled:
            return
        view = self.plot.getViewBox().sceneBoundingRect()
        if view.height() <= 0:
            return
        box = item.sceneBoundingRect() if item.isVisible() and getattr(item, "items", True) else None
        below = 1 - (box.bottom() + 3 - view.top()) / view.height() if box is not None else self.LABEL_AT
        places = [((0, 0), self.LABEL_AT), ((1, 0), self.LABEL_AT), ((0, 0), below), ((1, 0), below)]
        vb = self.plot.getViewBox()
        for t, line, _text, _shown in self._labelled:
            label = line.label
            line.boundingRect()  # computes the line's end points in the current view (else done in paint)
            # last resort before hiding part of it: across the line, starting at the view's left edge
            x = vb.mapViewToScene(QPointF(t, 0)).x()
            width = max(1.0, label.boundingRect().width())
            across = ((min(1.0, max(0.0, (x - view.left() - 2) / width)), 0), self.LABEL_AT)
            best = None
            for anchor, at in places + [across]:
                label.anchors = [anchor, anchor]
                label.setPosition(max(0.0, min(1.0, at)))
                hidden = hidden_area(label.sceneBoundingRect(), view, box)
                if hidden <= 1.0:
                    break
                if best is None or hidden < best[0]:
                    best = (hidden, anchor, at)
            else:
                _, anchor, at = best
                label.anchors = [anchor, anchor]
                label.setPosition(max(0.0, min(1.0, at)))

    def clear(self) -> None:
        for line in self.lines:
            self.plot.removeItem(line)
        self.lines.clear()
        self._labelled.clear()
        self._n = 0


def hidden_area(rect, view, cover=None) -> float:
    """Area of ``rect`` (scene px²) outside ``view`` or under ``cover`` (a legend)."""
    def area(r):
        return max(0.0, r.width()) * max(0.0, r.height())
    seen = rect.intersected(view)
    hidden = area(rect) - area(seen)
    if cover is not None:
        hidden += area(seen.intersected(cover))
    return hidden


def settle(*plots: pg.PlotItem) -> None:
    """Apply pending auto-range and view-transform changes now, after the items got their data.

    pyqtgraph defers both to ``ViewBox.prepareForPaint``, i.e. into the paint itself; the items and
    axes that follow the view then request another update from inside that paint, so a scrolling or
    auto-ranged plot painted twice per frame. Settling first lets one paint show everything."""
    for plot in plots:
        plot.getViewBox().prepareForPaint()


def scrolling_time_axis(plot: pg.PlotItem) -> pg.PlotItem:
    """The plot's bottom axis becomes a :class:`~gui.plots.time_axis.ScrollingTimeAxis` (ticks generated
    once per stretch of time, moved with the view in between), styled like the one it replaces, with
    two tick levels, not three: the finest level added marks no one reads."""
    from .time_axis import ScrollingTimeAxis

    old = plot.getAxis("bottom")
    if isinstance(old, ScrollingTimeAxis):
        return plot
    axis = ScrollingTimeAxis("bottom")
    plot.setAxisItems({"bottom": axis})
    axis.setStyle(maxTickLevel=1, maxTextLevel=1)
    axis.setTickFont(old.style["tickFont"])
    axis.setPen(old.pen())
    axis.setTextPen(old.textPen())
    axis.enableAutoSIPrefix(old.autoSIPrefix)
    axis.setLabel(old.labelText, units=old.labelUnits or None, **old.labelStyle)
    axis.showLabel(old.label.isVisible())
    axis.setGrid(old.grid)
    axis.setCacheMode(old.cacheMode())
    axis.label.setCacheMode(old.label.cacheMode())
    return plot


def scroll_x(plot: pg.PlotItem, t: float, window: float) -> None:
    """Show the last ``window`` seconds (the whole run while it is shorter)."""
    right = max(t, window)
    show_x(plot, max(0.0, right - window), right)


def show_x(plot: pg.PlotItem, lo: float, hi: float) -> None:
    """Set the x range of a plot that scrolls every frame, for less than pyqtgraph's ``setXRange``:
    nothing when the range is already that one (a paused run's frames), and x auto-range is turned
    off once, not again on every call (each time pyqtgraph announced the new view state to the
    plot's menu and listeners: ~40% of a scroll)."""
    vb = plot.getViewBox()
    if list(vb.viewRange()[0]) == [lo, hi]:
        return
    vb.setRange(xRange=(lo, hi), padding=0.0, disableAutoRange=bool(vb.autoRangeEnabled()[0]))


def peaks(x: np.ndarray, y: np.ndarray, buckets: int) -> tuple[np.ndarray, np.ndarray]:
    """At most ~``2 * buckets`` points that draw like ``(x, y)`` at ``buckets`` pixels: the lowest and
    the highest sample of each bucket, in their order (what pyqtgraph's "peak" downsampling keeps).
    Done once when the data come, not again whenever the view scrolls (as clip-to-view and automatic
    downsampling do in pyqtgraph, so a scrolling plot processed each curve twice per frame)."""
    return peaks_of_columns(x, np.asarray(y)[:, None], buckets)[0]


def peaks_of_columns(x: np.ndarray, ys: np.ndarray, buckets: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """:func:`peaks` of every column of ``ys`` (samples x curves) against the same ``x``, in one pass:
    the same points as ``peaks(x, ys[:, j], buckets)`` for each ``j``, for the price of one call (a
    plot's curves share their time axis; per curve, numpy's call overhead was most of the cost).
    Below ``3 * buckets`` samples every sample is kept (the same points: a bucket of two keeps both,
    in their order)."""
    n, ncol = ys.shape
    buckets = max(1, int(buckets))
    if n < 3 * buckets:  # buckets of one or two samples: their lowest and highest are all of them
        return [(x, ys[:, j]) for j in range(ncol)]
    k = n // buckets
    m = (n // k) * k
    yy, xx = ys[:m].reshape(-1, k, ncol), x[:m].reshape(-1, k)
    lo, hi = np.argmin(yy, axis=1), np.argmax(yy, axis=1)  # (buckets, curves)
    first, second = np.minimum(lo, hi), np.maximum(lo, hi)
    rows, cols = np.arange(len(yy))[:, None], np.arange(ncol)[None, :]
    xo = np.stack([xx[rows, first], xx[rows, second]], axis=1).reshape(-1, ncol)
    yo = np.stack([yy[rows, first, cols], yy[rows, second, cols]], axis=1).reshape(-1, ncol)
    return [(np.r_[xo[:, j], x[m:]], np.r_[yo[:, j], ys[m:, j]]) for j in range(ncol)]


def nice_ceil(x: float) -> float:
    """Round up to 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^k (axis limits that do not flicker)."""
    import math
    if not np.isfinite(x) or x <= 0:
        return 1.0
    e = math.floor(math.log10(x))
    for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if m * 10 ** e >= x:
            return m * 10 ** e
    return 10 ** (e + 1)


def finite(a: np.ndarray) -> np.ndarray:
    return np.where(np.isfinite(a), a, np.nan)
