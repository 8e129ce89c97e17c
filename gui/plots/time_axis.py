"""A time axis for plots that scroll every frame, drawn from ticks computed once per stretch of time.

pyqtgraph's ``AxisItem`` regenerates everything whenever its range moves: tick values, one string and
one text measurement per tick, one ``Point`` per coordinate; on a plot that scrolls at 30+ frames per
second that was ~1.5 ms of the GUI thread per axis and frame. While a plot scrolls, its range only
shifts: the span (seconds per pixel) and the size stay, so the ticks are the same multiples of the
same spacing with the same strings, only moved. :class:`ScrollingTimeAxis` therefore computes the
ticks and labels once for a wider stretch (the view plus ``AHEAD`` windows to the right, ``BEHIND`` to
the left), with pyqtgraph's own tick values, strings, pens and placement, and on every frame in between
draws those that fall inside the axis, moved by the scroll, with pyqtgraph's rules for what is shown
(a tick inside the range, a label whole inside the axis, label levels while they are not crowded). It
computes them again when the range leaves the stretch, the span or size changes, or anything else of
the axis changes (style, font, pens: pyqtgraph drops its picture then). An axis given fixed ticks
(``setTicks``) or a log scale is drawn by pyqtgraph itself, as any axis.
"""
from __future__ import annotations

from bisect import bisect_left
from math import isfinite

import pyqtgraph as pg
from PySide6 import QtCore, QtGui
from PySide6.QtCore import QLineF, QPointF, QRectF


class ScrollingTimeAxis(pg.AxisItem):
    """A horizontal ``AxisItem`` whose ticks are generated once per stretch of time (see the module)."""

    AHEAD = 3.0    # the ticks generated reach this many window spans beyond the right edge
    BEHIND = 0.25  # and this many before the left edge (a small pan back)
    KEEP = 4096    # label sizes remembered per axis

    def __init__(self, orientation: str = "bottom", **kw):
        if orientation not in ("bottom", "top"):
            raise ValueError("ScrollingTimeAxis is horizontal: 'bottom' or 'top'")
        super().__init__(orientation, **kw)
        self._stretch = None    # (lo, hi, span, width, length in px) of the ticks generated
        self._ticks: list = []  # per level: (level, tick values sorted, y from, y to)
        self._texts: list = []  # per level with labels: (tick values sorted, (width, top, height, flags, text) each)
        self._pens: dict = {}   # (level, alpha) -> the level's tick pen
        self._spacing = None    # while generating: the tick levels of the range shown, not the stretch's
        self.generations = 0    # tick generations so far (tests count them)
        self._sizes: dict = {}  # (font, text) -> its measured (width, height)
        self.measured = 0       # texts measured by Qt so far (tests count them)

    def _drawn_by_pyqtgraph(self) -> bool:
        """Fixed ticks or a log scale: pyqtgraph's own paint (no stretch to reuse)."""
        return self._tickLevels is not None or bool(self.logMode)

    def tickSpacing(self, minVal: float, maxVal: float, size: float):
        if self._spacing is not None:
            return self._spacing
        return super().tickSpacing(minVal, maxVal, size)

    def _length_px(self) -> float:
        """The axis' length on the device, as generateDrawSpecs measures it (one px beyond each end)."""
        b = self.mapRectFromParent(self.geometry())
        y = b.top() if self.orientation == "bottom" else b.bottom()
        p0, p1 = self.mapToDevice(QPointF(b.left() - 1.0, y)), self.mapToDevice(QPointF(b.right() + 1.0, y))
        if p0 is None or p1 is None:
            return 0.0
        return float(pg.Point(p1 - p0).length())

    def setRange(self, mn: float, mx: float) -> None:
        if not isfinite(mn) or not isfinite(mx):
            raise ValueError(f"Not setting range to [{mn}, {mx}]")
        self.range = [mn, mx]
        if self.autoSIPrefix:  # the prefix may change with the range: pyqtgraph's way
            self.updateAutoSIPrefix()
            return
        if self._drawn_by_pyqtgraph() or not self._covers(mn, mx):
            self.picture = None
        self.update()

    MARGIN = 0.1   # the range must stay this many spans inside the stretch (its ticks end at its ends)

    def _covers(self, mn: float, mx: float) -> bool:
        s = self._stretch
        if self.picture is None or s is None:
            return False
        lo, hi, span, width, _length = s
        tol = 1e-9 * max(abs(span), 1e-300)
        return abs((mx - mn) - span) <= tol and mn >= lo + self.MARGIN * span - tol and \
            mx <= hi - self.MARGIN * span + tol and self.mapRectFromParent(self.geometry()).width() == width

    def _generate(self) -> None:
        """The ticks and labels of the stretch, placed by pyqtgraph's rules (``generateDrawSpecs``) but
        computed here: pyqtgraph builds a ``Point`` per tick, maps the axis' bounds again per label and
        was 6-7 ms a generation for the 84 labels of a 2 s raster window, several times a second."""
        self._stretch, self._ticks, self._texts, self._pens = None, [], [], {}
        mn, mx = self.range
        span = mx - mn
        bounds = self.mapRectFromParent(self.geometry())
        width = bounds.width()
        length = self._length_px()
        if span <= 0 or width <= 0 or length <= 0:
            return
        lo, hi = mn - self.BEHIND * span, mx + self.AHEAD * span
        # the spacing of ticks depends on the length in pixels (not only on px per second): that of the
        # range shown, also for the ticks beyond it
        a, b = sorted((mn * self.scale, mx * self.scale))
        self._spacing = super().tickSpacing(a, b, length)
        try:
            levels = self.tickValues(lo, hi, length * (hi - lo) / span)
        finally:
            self._spacing = None
        self.generations += 1
        bottom = self.orientation == "bottom"
        view = self.linkedView()
        ticks_in = bounds if view is None or self.grid is False else view.mapRectToItem(self, view.boundingRect())
        start, stop = (ticks_in.top(), bounds.top()) if bottom else (ticks_in.bottom(), bounds.bottom())
        for i, (_, values) in enumerate(levels):
            end = stop
            if self.grid is False:
                end += self.style["tickLength"] / (i * 0.5 + 1.0) * (1 if bottom else -1)
            self._ticks.append((i, [float(v) for v in values], start, end))
        # labels: every level's (which levels are shown is decided at each paint, see _labels), each
        # centred on its tick at the distance pyqtgraph keeps from the axis
        gap = max(0, self.style["tickLength"]) + self.style["tickTextOffset"][1]
        align = QtCore.Qt.AlignmentFlag
        flags = int(align.AlignHCenter | (align.AlignTop if bottom else align.AlignBottom)
                    | QtCore.Qt.TextFlag.TextDontClip)
        tallest = 0
        for sp, values in levels[:self.style["maxTextLevel"] + 1] if self.style["showValues"] else ():
            texts = self.tickStrings(list(values), self.autoSIPrefixScale * self.scale, sp)
            sizes = self._measure(texts)
            labels = [(w, stop + gap if bottom else stop - gap - h, h, flags, text)
                      for text, (w, h) in zip(texts, sizes)]
            self._texts.append(([float(v) for v in values], labels))
            tallest = max([tallest] + [h for _, h in sizes])
        self._updateMaxTextSize(tallest)
        self._stretch = (lo, hi, span, width, length)

    def _measure(self, texts: list) -> list:
        """(width, height) of each label as pyqtgraph measures it (centred in a 100 px square, the
        height cut to 0.8), each text measured by Qt once per font: a scrolling axis sees the same
        labels again and again ("12 s" comes back on each generation while it is in view)."""
        font = self.style["tickFont"]
        fkey = (font or QtGui.QGuiApplication.font()).key()
        if len(self._sizes) >= self.KEEP:  # hours of scrolling: forget the old labels
            self._sizes.clear()
        new = [t for t in texts if (fkey, t) not in self._sizes]
        if new:
            picture = QtGui.QPicture()  # measured on a picture's painter, as AxisItem.paint does
            p = QtGui.QPainter(picture)
            try:
                if font is not None:
                    p.setFont(font)
                box, centre = QRectF(0, 0, 100, 100), QtCore.Qt.AlignmentFlag.AlignCenter
                for t in new:
                    r = p.boundingRect(box, centre, t)
                    self._sizes[(fkey, t)] = (r.width(), r.height() * 0.8)
                    self.measured += 1
            finally:
                p.end()
        return [self._sizes[(fkey, t)] for t in texts]

    def _tick_pen(self, level: int, count: int):
        """The pen of a tick level, as generateDrawSpecs makes it: the tick pen with an alpha that
        falls with the level (and, on a grid, with the density of its ``count`` ticks)."""
        alpha = self.style["tickAlpha"]
        if alpha is None:
            alpha = 255 / (level + 1)
            if self.grid is not False:
                alpha *= self.grid / 255. * min(max(0.05 * self._stretch[4] / (count + 1), 0.0), 1.0)
        elif isinstance(alpha, float):
            alpha = min(255, max(0, int(round(alpha * 255))))
        elif not isinstance(alpha, int) or not 0 <= alpha <= 255:
            raise ValueError("tickAlpha should be None, a float in [0, 1] or an int in [0, 255]")
        key = (level, int(alpha))
        pen = self._pens.get(key)
        if pen is None:
            pen = self.tickPen()
            if pen.brush().style() == QtCore.Qt.BrushStyle.SolidPattern:  # only simple colour pens
                pen = QtGui.QPen(pen)
                color = QtGui.QColor(pen.color())
                color.setAlpha(int(alpha))
                pen.setColor(color)
            self._pens[key] = pen
        return pen

    def _placement(self) -> tuple[float, float, float, float]:
        """(scale, offset, first x, last x) of the range shown, computed as generateDrawSpecs does."""
        mn, mx = self.range
        width = self._stretch[3]
        scale = width / (mx - mn)
        offset = mn * scale
        a, b = mn * scale - offset, mx * scale - offset
        return scale, offset, min(a, b), max(a, b)

    def _labels(self, br) -> list:
        """The labels pyqtgraph would draw on the range shown (AxisItem.generateDrawSpecs' rule): level by
        level while their measured widths fill less than ``textFillLimits`` of the length (the major
        level always), each one only if it is whole inside the axis."""
        scale, offset, x0, x1 = self._placement()
        mn, mx = self.range
        drawn, filled = [], 0.0
        length = self._stretch[4]
        for i, (vs, labels) in enumerate(self._texts):
            level = []
            for k in range(bisect_left(vs, mn - (mx - mn)), len(vs)):
                x = vs[k] * scale - offset
                if x > x1:
                    break
                if x >= x0:
                    w, top, h, flags, text = labels[k]
                    level.append((QRectF(x - w / 2.0, top, w, h), flags, text))
            if not level:
                continue
            filled += sum(rect.width() for rect, _, _ in level)
            if i > 0 and any(len(drawn) >= n and filled / length >= limit
                             for n, limit in self.style["textFillLimits"]):
                break
            drawn.extend(x for x in level if br & x[0] == x[0])
        return drawn

    def paint(self, p, opt, widget):
        if self._drawn_by_pyqtgraph():
            if not isinstance(self.picture, QtGui.QPicture):
                self.picture = None
            self._stretch = None
            return super().paint(p, opt, widget)
        if self.picture is None or self._stretch is None:
            self._generate()
            self.picture = True  # pyqtgraph sets None when the axis changes: generate again then
        if self._stretch is None:
            return
        bounds = self.mapRectFromParent(self.geometry())
        p.setRenderHint(p.RenderHint.Antialiasing, False)
        p.setRenderHint(p.RenderHint.TextAntialiasing, True)
        # the axis line, as generateDrawSpecs places it (one px beyond each end)
        off = 1.0 if self.orientation == "bottom" else -1.0
        y = bounds.top() if self.orientation == "bottom" else bounds.bottom()
        p.setPen(self.pen())
        p.drawLine(QPointF(bounds.left() - 1.0, y + off), QPointF(bounds.right() + 1.0, y + off))
        scale, offset, x0, x1 = self._placement()
        for level, vs, y1, y2 in self._ticks:  # generateDrawSpecs: the ticks inside the range only
            lines = []
            for v in vs[bisect_left(vs, self.range[0] - (self.range[1] - self.range[0])):]:
                x = v * scale - offset
                if x > x1:
                    break
                if x >= x0:
                    lines.append(QLineF(x, y1, x, y2))
            if lines:
                p.setPen(self._tick_pen(level, len(lines)))
                p.drawLines(lines)
        if self.style["tickFont"] is not None:
            p.setFont(self.style["tickFont"])
        p.setPen(self.textPen())
        br = self.boundingRect()
        p.setClipRect(br.toAlignedRect())
        for r, flags, text in self._labels(br):
            p.drawText(r, int(flags), text)
