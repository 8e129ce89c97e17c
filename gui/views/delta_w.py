"""W(t) - W(0): the change of every synapse of a projection since the reference, as a matrix.

Rows are presynaptic neurons, columns postsynaptic ones, both in blocks (at most 80 each, mean change
of the synapses in a block; big projections use every k-th synapse). Ordered by index, input groups
stay contiguous, so a group that was strengthened onto the neurons that learned shows as a red
block; ordered by initial weight (strongest first), a purely multiplicative scaling shows as a
smooth gradient and a Hebbian change as structure across it. Computed by the frame builder
(simcore.engine.frame_views.DeltaW); the reference is the one of "Set reference now".
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QComboBox

from ..plots.base import settle, style_plot
from .export import export_button
from .projection_view import ProjectionView

ORDERS = {"by index (input groups)": "index", "by initial weight": "initial weight"}


class DeltaWPanel(ProjectionView):
    picker_tip = "Projection whose weight changes are shown"
    title = "W(t) − W(0)"
    defer_ms = 21

    def __init__(self, parent=None):
        super().__init__(parent)
        self.order = QComboBox()
        self.order.addItems(list(ORDERS))
        self.order.setToolTip("Order of rows (presynaptic) and columns (postsynaptic neurons)")
        self.controls.addWidget(self.picker, 1)
        self.controls.addWidget(self.order)
        self.controls.addWidget(self.info)
        self.controls.addWidget(export_button(self))
        self.plot = style_plot(self.glw.addPlot(), "presynaptic neuron", None, "postsynaptic neuron", None)
        self.plot.showGrid(x=False, y=False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.bar = pg.ColorBarItem(values=(-1, 1), colorMap=pg.colormap.get("CET-D1"), interactive=False,
                                   label="Δw")
        self.bar.setImageItem(self.image, insert_in=self.plot)
        self.order.currentIndexChanged.connect(lambda *_: self._redraw())
        self.matrix = np.zeros((0, 0))

    def draw(self, frame: dict) -> None:
        name = self.picked(frame)
        if name is None:
            return
        d = frame["projections"][name]["dw"]
        m = d[ORDERS[self.order.currentText()]]
        self.matrix = m
        span = float(np.nanmax(np.abs(m))) if np.isfinite(m).any() else 0.0
        span = span if span > 0 else 1e-9
        self.image.setImage(np.nan_to_num(m, nan=0.0), levels=(-span, span), autoLevels=False)
        self.bar.setLevels((-span, span))
        by_index = ORDERS[self.order.currentText()] == "index"
        w, h = (d["n_post"], d["n_pre"]) if by_index else (d["cols"], d["rows"])
        self.image.setRect(QRectF(0, 0, w, h))
        self.plot.setLabel("left", "presynaptic neuron" if by_index else "presynaptic rank (strongest first)")
        self.plot.setLabel("bottom", "postsynaptic neuron" if by_index else "postsynaptic rank (strongest first)")
        self.plot.setRange(xRange=(0, w), yRange=(0, h), padding=0.0)
        self.plot.invertY(True)
        every = d["sampled_every"]
        self.info.setText(f"{d['rows']}×{d['cols']} blocks, max |Δw| {span:.3g}" +
                          (f", every {every}th synapse" if every > 1 else ""))
        settle(self.plot)

    def csv(self) -> tuple[list[str], np.ndarray]:
        m = self.matrix
        header = [f"post_block_{j}" for j in range(m.shape[1])] or ["empty"]
        return header, m if m.size else np.zeros((0, len(header)))

    def focus(self, kind: str, name: str) -> None:
        if kind == "projection":
            self.picker.select(name)
