"""The plots' presentation look: large tick, label, legend and annotation fonts and pens of width 3+,
readable from the back of a lecture hall; switched off again it restores the normal look."""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

PLOT_TICK_PT = 15.0       # plot fonts in presentation mode (normal: 8.5 / 9 pt, see gui/plots/base.py)
PLOT_LABEL_PT = 17.0
PLOT_TEXT_PT = 12.5
PEN_WIDTH = 3.2           # minimum line width in presentation mode


def _plots(panel) -> list:
    return [i for i in panel.glw.ci.items if isinstance(i, pg.PlotItem)]


def _texts(plot) -> list:
    out = []
    for item in plot.items:
        if isinstance(item, pg.TextItem):
            out.append(item)
        elif isinstance(item, pg.InfiniteLine) and getattr(item, "label", None) is not None:
            out.append(item.label)
    return out


MIN_PT = 9.0              # a label or legend that does not fit shrinks down to this size
NORMAL_LABEL_PT, NORMAL_MIN_PT = 9.0, 7.0   # the same for axis labels in the normal look


def scale_plots(panels, on: bool) -> None:
    """Presentation look for every plot (idempotent; new items are caught at the next call):
    tick and label fonts, legend and annotation text, and line widths at least PEN_WIDTH. Axis labels
    and legends that do not fit their plot at the large size (a small plot on a 1366x768 projector)
    shrink until they do, again whenever the plot is resized."""
    for panel in panels:
        for plot in _plots(panel):
            _scale_fonts(plot, on)
            for item in plot.items:
                _scale_pen(item, on)
            if not getattr(plot, "_fit_hooked", False):
                plot._fit_hooked = True
                plot.getViewBox().sigResized.connect(lambda *_, p=plot: _fit(p))
            _fit(plot)


def _fit(plot) -> None:
    """Shrink the axis labels longer than their axis ("synapses" beside a 60 px plot of the Watch
    layout at 1366x768) and, in presentation mode, a legend wider or taller than the view."""
    on = getattr(plot, "_present_fonts", False)
    for name in ("left", "bottom"):
        ax = plot.getAxis(name)
        if not ax.labelText:
            continue
        length = ax.height() if name == "left" else ax.width()
        if length <= 0:
            continue
        size = PLOT_LABEL_PT if on else NORMAL_LABEL_PT
        floor = MIN_PT if on else NORMAL_MIN_PT
        while True:
            ax.labelStyle = dict(ax.labelStyle or {}, **{"font-size": f"{size:g}pt"})
            ax._updateLabel()
            margin = 2 * ax.label.document().documentMargin()
            if ax.label.boundingRect().width() - margin <= length - 4 or size <= floor:
                break
            size -= 1.0 if on else 0.5
        ax.resizeEvent(None)  # centres the label again along the axis at its new length
    legend = getattr(plot, "legend", None)
    if on and legend is not None and legend.items:
        vb = plot.getViewBox()
        size = PLOT_TICK_PT
        while True:
            _legend_size(legend, f"{size:g}pt")
            rect = legend.boundingRect()
            if (rect.width() <= vb.width() - 12 and rect.height() <= vb.height() - 8) or size <= MIN_PT:
                break
            size -= 1.0


def _legend_size(legend, size: str) -> None:
    if legend.opts.get("labelTextSize") != size or any(label.opts.get("size") != size for _, label in legend.items):
        legend.setLabelTextSize(size)
        for _, label in legend.items:  # setLabelTextSize only records the size: re-render the labels
            label.setText(label.text, size=size)
        legend.updateSize()


def _scale_fonts(plot, on: bool) -> None:
    if on == getattr(plot, "_present_fonts", False) and not on:
        return
    tick = QFont()
    tick.setPointSizeF(PLOT_TICK_PT if on else 8.5)
    for name in ("left", "bottom"):
        ax = plot.getAxis(name)
        if getattr(ax, "_present_on", None) != on:
            ax._present_on = on
            ax.setTickFont(tick)
            ax.labelStyle = dict(ax.labelStyle or {}, **{"font-size": f"{PLOT_LABEL_PT if on else 9}pt"})
            ax._updateLabel()
    legend = getattr(plot, "legend", None)
    size = f"{PLOT_TICK_PT:g}pt" if on else "8pt"
    if legend is not None:
        _legend_size(legend, size)
    for text in _texts(plot):
        if getattr(text, "_present_on", None) != on:
            if not hasattr(text, "_present_font"):
                text._present_font = QFont(text.textItem.font())
            text._present_on = on
            f = QFont(text._present_font)
            if on:
                f.setPointSizeF(PLOT_TEXT_PT)
            text.setFont(f)
    plot._present_fonts = on


def _scale_pen(item, on: bool) -> None:
    if isinstance(item, pg.ScatterPlotItem):
        size = item.opts.get("size", 5)
        if on and not hasattr(item, "_present_size") and isinstance(size, (int, float)) and size < 7:
            item._present_size = size
            item.setSize(size * 1.75)
        elif not on and hasattr(item, "_present_size"):
            item.setSize(item.__dict__.pop("_present_size"))
        return
    if isinstance(item, (pg.PlotDataItem, pg.PlotCurveItem)):  # plot.items: a data item's own curve is not
        pen = item.opts.get("pen")
        setter = item.setPen
    elif isinstance(item, pg.InfiniteLine):
        pen = item.pen
        setter = item.setPen
    else:
        return
    if pen is None:
        return
    pen = pg.mkPen(pen)
    if pen.style() == Qt.NoPen:
        return
    if on and pen.widthF() < PEN_WIDTH - 1e-6:
        item._present_pen = pg.mkPen(pen)
        wide = pg.mkPen(pen)
        main = pen.widthF() >= 1.5 or getattr(item, "main_trace", False)  # a data trace drawn thin for speed
        wide.setWidthF(PEN_WIDTH if main else PEN_WIDTH * 0.75)
        wide.setCosmetic(True)
        setter(wide)
    elif not on and hasattr(item, "_present_pen"):
        setter(item.__dict__.pop("_present_pen"))
