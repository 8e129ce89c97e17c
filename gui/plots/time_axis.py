"""A time axis for plots that scroll every frame, drawn from ticks computed once per stretch of time.

pyqtgraph's ``AxisItem`` regenerates everything whenever its range moves: tick values, one string and
one text measurement per tick, one ``Point`` per coordinate; on a plot that scrolls at 30+ frames per
second that was ~1.5 ms of the GUI thread per axis and frame. While a plot scrolls, its range only
shifts: the span (seconds per pixel) and the size stay, so the ticks are the same multiples of the
same spacing with the same strings, only moved. :class:`ScrollingTimeAxis` therefore lets pyqtgraph
generate the ticks and texts once for a wider stretch (the view plus ``AHEAD`` windows to the right,
``BEHIND`` to the left) and, on every frame in between, draws those that fall inside the axis, moved
by the scroll, with pyqtgraph's own rules for what is shown (a tick inside the range, a label whole
inside the axis). It generates again when the range leaves the stretch, the span or size changes, or
anything else of the axis changes (style, font, pens, ticks: pyqtgraph drops its picture then).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from math import isfinite

import pyqtgraph as pg
from PySide6.QtCore import QLineF, QPointF, QRectF
from PySide6.QtGui import QPainter, QPicture


EPS_PX = 1e-6  # a tick this close outside the range is on its end (moved ticks carry rounding errors)


class ScrollingTimeAxis(pg.AxisItem):
    """A horizontal ``AxisItem`` whose ticks are generated once per stretch of time (see the module)."""

    AHEAD = 3.0    # the ticks generated reach this many window spans beyond the right edge
    BEHIND = 0.25  # and this many before the left edge (a small pan back)

    def __init__(self, orientation: str = "bottom", **kw):
        if orientation not in ("bottom", "top"):
            raise ValueError("ScrollingTimeAxis is horizontal: 'bottom' or 'top'")
        super().__init__(orientation, **kw)
        self._stretch = None    # (lo, hi, span, width in px) of the ticks generated
        self._ticks: list = []  # per tick pen (level): (pen, xs sorted, y from, y to), x in px from the stretch's lo
        self._texts: list = []  # (QRectF at the stretch's origin, flags, text)
        self._extra_px = None   # while generating: px added to the axis' width (the stretch beyond it)
        self._spacing = None    # while generating: the tick levels of the range shown, not the stretch's
        self._nlevels = 0       # tick levels with labels
        self.generations = 0    # tick generations so far (tests count them)

    # -- while generating, the axis pretends to be as wide as the stretch --------------------------
    def geometry(self):
        g = super().geometry()
        if self._extra_px is not None:
            g = g.adjusted(0, 0, self._extra_px, 0)
        return g

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
        if not self._covers(mn, mx):
            self.picture = None
        self.update()

    MARGIN = 0.1   # the range must stay this many spans inside the stretch (labels near its ends
                   # were measured only if whole inside it)

    def _covers(self, mn: float, mx: float) -> bool:
        s = self._stretch
        if self.picture is None or s is None:
            return False
        lo, hi, span, width, _length = s
        tol = 1e-9 * max(abs(span), 1e-300)
        return abs((mx - mn) - span) <= tol and mn >= lo + self.MARGIN * span - tol and \
            mx <= hi - self.MARGIN * span + tol and self.mapRectFromParent(self.geometry()).width() == width

    def _generate(self) -> None:
        self._stretch, self._ticks, self._texts = None, [], []
        mn, mx = self.range
        span = mx - mn
        width = self.mapRectFromParent(self.geometry()).width()
        length = self._length_px()
        if span <= 0 or width <= 0 or length <= 0:
            return
        lo, hi = mn - self.BEHIND * span, mx + self.AHEAD * span
        extra = (hi - lo) * (width / span) - width
        # the spacing of ticks depends on the length in pixels (not only on px per second): that of the
        # range shown, also for the ticks beyond it
        a, b = sorted((mn * self.scale, mx * self.scale))
        spacing = super().tickSpacing(a, b, length)
        picture = QPicture()  # measured on a picture's painter, as AxisItem.paint does
        p = QPainter(picture)
        limits = self.style["textFillLimits"]
        try:
            if self.style["tickFont"] is not None:
                p.setFont(self.style["tickFont"])
            # every level's labels: which levels are shown is decided at each paint (see _labels)
            self.style["textFillLimits"] = []
            self._spacing, self._extra_px, self.range = spacing, extra, [lo, hi]
            specs = self.generateDrawSpecs(p)
            levels = self.tickValues(lo, hi, length * (hi - lo) / span)
        finally:
            p.end()
            self.style["textFillLimits"] = limits
            self.range = [mn, mx]
            self._extra_px = self._spacing = None
        self.generations += 1
        if specs is None:
            return
        _axis, tick_specs, text_specs = specs
        level_of = {}
        for i, (sp, values) in enumerate(levels[:self.style["maxTextLevel"] + 1]):
            for text in self.tickStrings(list(values), self.autoSIPrefixScale * self.scale, sp):
                level_of.setdefault(text, i)
        groups: dict = {}
        for pen, p1, p2 in tick_specs:  # one pen per level; pyqtgraph draws level after level
            groups.setdefault(id(pen), (pen, [], p1.y(), p2.y()))[1].append(p1.x())
        self._ticks = [(pen, sorted(xs), y1, y2) for pen, xs, y1, y2 in groups.values()]
        # (level, tick x, rect, flags, text); the rect is where pyqtgraph puts the label, centred on its tick
        self._texts = [(level_of.get(text, 0), rect.center().x(), rect, flags, text)
                       for rect, flags, text in text_specs]
        self._nlevels = min(len(levels), self.style["maxTextLevel"] + 1)
        self._stretch = (lo, hi, span, width, length)

    def _labels(self, dx: float, x1: float, br) -> list:
        """The labels pyqtgraph would draw on the range shown (AxisItem.generateDrawSpecs' rule): level by
        level while their measured widths fill less than ``textFillLimits`` of the length (the major
        level always), each one only if it is whole inside the axis."""
        drawn, filled = [], 0.0
        length = self._stretch[4]
        for i in range(self._nlevels):
            level = [(rect, flags, text) for lv, x, rect, flags, text in self._texts
                     if lv == i and -EPS_PX <= x + dx <= x1 + EPS_PX]
            if not level:
                continue
            filled += sum(rect.width() for rect, _, _ in level)
            if i > 0 and any(len(drawn) >= n and filled / length >= limit
                             for n, limit in self.style["textFillLimits"]):
                break
            for rect, flags, text in level:
                r = QRectF(rect.x() + dx, rect.y(), rect.width(), rect.height())
                if br & r == r:
                    drawn.append((r, flags, text))
        return drawn

    def paint(self, p, opt, widget):
        if self.picture is None or self._stretch is None:
            self._generate()
            self.picture = True  # pyqtgraph sets None when the axis changes: generate again then
        if self._stretch is None:
            return
        lo, _hi, span, width, _length = self._stretch
        dx = (lo - self.range[0]) * (width / span)  # the stretch's origin in this frame's pixels
        bounds = self.mapRectFromParent(self.geometry())
        p.setRenderHint(p.RenderHint.Antialiasing, False)
        p.setRenderHint(p.RenderHint.TextAntialiasing, True)
        # the axis line, as generateDrawSpecs places it (one px beyond each end)
        off = 1.0 if self.orientation == "bottom" else -1.0
        y = bounds.top() if self.orientation == "bottom" else bounds.bottom()
        p.setPen(self.pen())
        p.drawLine(QPointF(bounds.left() - 1.0, y + off), QPointF(bounds.right() + 1.0, y + off))
        for pen, xs, y1, y2 in self._ticks:  # generateDrawSpecs: ticks inside the range (0..width) only
            seen = xs[bisect_left(xs, -EPS_PX - dx):bisect_right(xs, width + EPS_PX - dx)]
            if seen:
                p.setPen(pen)
                p.drawLines([QLineF(x + dx, y1, x + dx, y2) for x in seen])
        if self.style["tickFont"] is not None:
            p.setFont(self.style["tickFont"])
        p.setPen(self.textPen())
        br = self.boundingRect()
        p.setClipRect(br.toAlignedRect())
        for r, flags, text in self._labels(dx, width, br):
            p.drawText(r, int(flags), text)
