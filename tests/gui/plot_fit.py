"""Where a plot's texts lie: annotation boxes, event and target labels and legends inside their plot's
view, axis labels inside their axis (a label longer than its axis is cut off)."""
import pyqtgraph as pg


def _inside(inner, outer, tol=1.5) -> bool:
    return (inner.left() >= outer.left() - tol and inner.right() <= outer.right() + tol
            and inner.top() >= outer.top() - tol and inner.bottom() <= outer.bottom() + tol)


def _texts(plot):
    for item in plot.items:
        if isinstance(item, pg.TextItem):
            yield "text", item, item.textItem.toPlainText()
        elif isinstance(item, pg.InfiniteLine) and getattr(item, "label", None) is not None:
            yield "line label", item.label, item.label.textItem.toPlainText()
    legend = getattr(plot, "legend", None)
    if legend is not None and legend.items:
        yield "legend", legend, " / ".join(label.text for _, label in legend.items)


def misplaced(panel, legends: bool = True) -> list[str]:
    """What of ``panel``'s plots lies outside where it belongs (empty: all inside)."""
    bad = []
    for plot in [i for i in panel.glw.ci.items if isinstance(i, pg.PlotItem)]:
        if not plot.isVisible():
            continue
        view = plot.vb.sceneBoundingRect()
        for what, item, text in _texts(plot):
            if what == "legend" and not legends:
                continue
            if item.isVisible() and text.strip() and not _inside(item.sceneBoundingRect(), view):
                bad.append(f"{what} {text[:40]!r} outside the view")
        legend = getattr(plot, "legend", None)
        if legends and legend is not None and legend.isVisible() and legend.items:
            for item in plot.items:
                if (isinstance(item, pg.TextItem) and item.isVisible() and item.textItem.toPlainText().strip()
                        and item.sceneBoundingRect().intersects(legend.sceneBoundingRect())):
                    bad.append(f"text {item.textItem.toPlainText()[:40]!r} under the legend")
        shown = panel.glw.mapToScene(panel.glw.viewport().rect()).boundingRect()
        for name in ("left", "bottom"):
            ax = plot.getAxis(name)
            if ax.isVisible() and ax.label.isVisible() and ax.labelText:
                m = ax.label.document().documentMargin()  # blank margin of the text item
                label = ax.label.sceneBoundingRect().adjusted(m, m, -m, -m)
                span = ax.mapRectToScene(ax.rect())  # the axis' own length (its bounding rect holds the grid)
                along = (label.top() >= span.top() - 1 and label.bottom() <= span.bottom() + 1 if name == "left"
                         else label.left() >= span.left() - 1 and label.right() <= span.right() + 1)
                if not along or not _inside(label, shown):
                    bad.append(f"{name} axis label {ax.labelText!r} cut off")
    return bad
