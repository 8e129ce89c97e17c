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

from bisect import bisect_left
from math import isfinite

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QLineF, QPointF, QRectF
from PySide6.QtGui import QPainter, QPicture


class _RememberingPainter:
    """The painter handed to ``AxisItem.generateDrawSpecs`` while generating: it measures each label text
    once per font for the axis (Qt's text layout was most of a generation's cost) and passes the rest
    (``setFont``) on. pyqtgraph only ever asks it ``setFont`` and ``boundingRect`` of a text centred in a
    fixed rectangle, and shrinks the rectangle it gets: each call returns a copy."""

    KEEP = 4096  # label sizes remembered per axis

    def __init__(self, painter: QPainter, axis: "ScrollingTimeAxis"):
        self._p, self._axis = painter, axis

    def setFont(self, font) -> None:
        self._p.setFont(font)

    def boundingRect(self, rect, flags, text):
        key = (self._p.font().key(), rect.width(), rect.height(), int(flags), text)
        got = self._axis._sizes.get(key)
        if got is None:
            if len(self._axis._sizes) >= self.KEEP:  # hours of scrolling: forget the old labels
                self._axis._sizes.clear()
            got = self._axis._sizes[key] = QRectF(self._p.boundingRect(rect, flags, text))
            self._axis.measured += 1
        return QRectF(got)


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
        self._sizes: dict = {}  # (font, text) -> its measured QRectF: a scrolling axis sees the same labels
                                # again and again ("12 s" comes back on each generation while in view)
        self.measured = 0       # texts measured by Qt so far (tests count them)

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
            specs = self.generateDrawSpecs(_RememberingPainter(p, self))
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
        # ticks and labels are kept by value and placed at each paint as generateDrawSpecs places them
        # (x = v * scale - offset of the range shown): the same floats, so the same pixels
        every = np.unique(np.concatenate([np.asarray(v, float) for _, v in levels] or [np.zeros(0)]))
        to_value = (hi - lo) / (width + extra)

        def values_at(xs: list) -> list:  # the tick values drawn at xs px of the stretch (snapped to them);
            v = lo + np.asarray(xs, float) * to_value  # at once: per tick, numpy's scalar calls were most
            if len(every) < 2:                          # of a generation's cost
                return [float(every[0]) if len(every) else float(x) for x in v]
            k = np.clip(np.searchsorted(every, v), 1, len(every) - 1)
            a, b = every[k - 1], every[k]
            return np.where(v - a < b - v, a, b).tolist()

        groups: dict = {}
        for pen, p1, p2 in tick_specs:  # one pen and length per level; pyqtgraph draws level after level
            y1, y2 = p1.y(), p2.y()
            groups.setdefault((id(pen), y1, y2), (pen, [], y1, y2))[1].append(p1.x())
        self._ticks = [(pen, sorted(values_at(xs)), y1, y2) for pen, xs, y1, y2 in groups.values()]
        label_of = {}
        for i, (sp, values) in enumerate(levels[:self.style["maxTextLevel"] + 1]):
            for v, text in zip(values, self.tickStrings(list(values), self.autoSIPrefixScale * self.scale, sp)):
                label_of.setdefault(text, (i, float(v)))
        # a label not among the tick strings (none so far): placed at the tick nearest its centre
        stray = [text for _, _, text in text_specs if text not in label_of]
        if stray:
            xs = [rect.center().x() for rect, _, text in text_specs if text not in label_of]
            label_of.update((text, (0, v)) for text, v in zip(stray, values_at(xs)))
        # (level, tick value, width, top, height, flags, text): pyqtgraph centres a label on its tick
        self._texts = [label_of[text] + (rect.width(), rect.y(), rect.height(), flags, text)
                       for rect, flags, text in text_specs]
        self._nlevels = min(len(levels), self.style["maxTextLevel"] + 1)
        self._stretch = (lo, hi, span, width, length)

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
        drawn, filled = [], 0.0
        length = self._stretch[4]
        for i in range(self._nlevels):
            level = []
            for lv, v, w, top, h, flags, text in self._texts:
                if lv == i:
                    x = v * scale - offset
                    if x0 <= x <= x1:
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
        for pen, vs, y1, y2 in self._ticks:  # generateDrawSpecs: the ticks inside the range only
            lines = []
            for v in vs[bisect_left(vs, self.range[0] - (self.range[1] - self.range[0])):]:
                x = v * scale - offset
                if x > x1:
                    break
                if x >= x0:
                    lines.append(QLineF(x, y1, x, y2))
            if lines:
                p.setPen(pen)
                p.drawLines(lines)
        if self.style["tickFont"] is not None:
            p.setFont(self.style["tickFont"])
        p.setPen(self.textPen())
        br = self.boundingRect()
        p.setClipRect(br.toAlignedRect())
        for r, flags, text in self._labels(br):
            p.drawText(r, int(flags), text)
