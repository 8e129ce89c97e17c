"""One finished run's recordings, read from its NPZ file (``synaptica run --help-out`` lists the
keys): population rates, the spike raster and each projection's weights at the end against the
start of the run."""
from __future__ import annotations

import json

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ..plots.base import E_COLORS, I_COLORS, MUTED, style_plot

COLORS = E_COLORS + I_COLORS


class RunRecordingsWindow(QWidget):
    def __init__(self, npz_path: str, title: str, parent=None):
        super().__init__(parent, Qt.Window)
        self.setObjectName("runRecordings")
        self.setAttribute(Qt.WA_DeleteOnClose)
        self.setWindowTitle(f"Run {title}")
        self.resize(820, 640)
        with np.load(npz_path) as z:
            self.data = {k: z[k] for k in z.files}
        self.summary = json.loads(str(self.data["summary"]))
        self.regions = [str(x) for x in self.data["regions"]]
        self.projections = [str(x) for x in self.data["projections"]]
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(f"<b>{title}</b> &nbsp; <span style='color:{MUTED}'>{npz_path}</span>"))
        glw = pg.GraphicsLayoutWidget()
        self.rates = style_plot(glw.addPlot(row=0, col=0), "rate", "Hz")
        self.rates.addLegend(offset=(-10, 10))
        self.raster = style_plot(glw.addPlot(row=1, col=0), "neuron", None)
        self.raster.setXLink(self.rates)
        self.weights = style_plot(glw.addPlot(row=2, col=0), "synapses", None, "weight", None)
        self.weights.addLegend(offset=(-10, 10))
        lay.addWidget(glw, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel("weights of"))
        self.projection = QComboBox()
        self.projection.setObjectName("recordingsProjection")
        self.projection.addItems(self.projections)
        self.projection.currentTextChanged.connect(self._draw_weights)
        row.addWidget(self.projection, 1)
        lay.addLayout(row)
        self._draw_activity()
        self._draw_weights(self.projection.currentText())

    def _draw_activity(self) -> None:
        d = self.data
        t, rates = d["rates_t"], d["rates"]
        for i, name in enumerate(self.regions):
            if rates.ndim == 2 and rates.shape[0]:
                self.rates.plot(t, rates[:, i], pen=pg.mkPen(COLORS[i % len(COLORS)], width=1.5), name=name)
        offset, ys, xs, brushes = 0, [], [], []
        st, sn, sr = d["spike_t"], d["spike_neuron"], d["spike_region"]
        for i, _ in enumerate(self.regions):
            sel = sr == i
            if sel.any():
                xs.append(st[sel])
                ys.append(sn[sel] + offset)
                offset += int(sn[sel].max()) + 1
        if xs:
            self.raster.plot(np.concatenate(xs), np.concatenate(ys), pen=None, symbol="s", symbolSize=2,
                             symbolPen=None, symbolBrush=pg.mkBrush(40, 48, 56, 160))

    def _draw_weights(self, name: str) -> None:
        self.weights.clear()
        if not name:
            return
        w, w0 = self.data[f"w/{name}"], self.data[f"w0/{name}"]
        if not len(w):
            return
        hi = float(max(w.max(), w0.max())) or 1.0
        edges = np.linspace(0.0, hi * 1.0001, 41)
        for arr, colour, label in ((w0, (150, 158, 168, 120), "start"), (w, (178, 58, 72, 170), "end")):
            counts, _ = np.histogram(arr, edges)
            self.weights.plot(edges, counts, stepMode="center", fillLevel=0, brush=colour, pen=None, name=label)
        p = self.summary["projections"].get(name, {})
        if p:
            self.weights.setTitle(f"{name}: mean {p.get('w_mean', float('nan')):.3g}, rank corr "
                                  f"{p.get('rank_corr', float('nan')):.3f}", size="9pt")
