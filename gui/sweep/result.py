"""The result of a sweep: the metric against the swept parameter, mean and spread over seeds.

Rows arrive one by one while the sweep runs (the plot fills in); each run is one small dot,
clickable to open that run's recordings; the line and error bars are the mean and standard
deviation over seeds at each value.
"""
from __future__ import annotations

import math
import tempfile
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from ..plots.base import style_plot
from .dialog import metric_choices
from .job import SweepJob

MEAN_COLOR = "#b23a48"
RUN_COLOR = (58, 111, 181, 150)
OPEN_WINDOWS: list = []  # result windows alive (they are top-level and outlive their dialog)


def series(rows: list[dict], path: str, metric: str):
    """(x values, per-x list of (value, row)) over the finished runs, x sorted."""
    by_x: dict = {}
    for r in rows:
        if r.get("status") != "ok":
            continue
        v = r.get(metric)
        if v is None or not isinstance(v, (int, float)) or not math.isfinite(v):
            continue
        by_x.setdefault(r[path], []).append((float(v), r))
    xs = sorted(by_x, key=lambda x: (not isinstance(x, (int, float)), x if isinstance(x, (int, float)) else str(x)))
    return xs, [by_x[x] for x in xs]


class SweepResultWindow(QWidget):
    def __init__(self, circuit, path: str, grid: dict, seeds, duration, metric: str, workers=None, client=None,
                 out: str | None = None, parent=None):
        super().__init__(parent, Qt.Window)
        self.setObjectName("sweepResult")
        self.setWindowTitle(f"Sweep of {path}")
        self.resize(760, 520)
        self.path = path
        self.rows: list[dict] = []
        self.out = out or tempfile.mkdtemp(prefix="synaptica-sweep-")
        self.job = SweepJob(circuit, grid, seeds, duration, self.out, workers, client)
        self.recordings = None
        self.state = "idle"
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.metric_box = QComboBox()
        self.metric_box.setObjectName("resultMetric")
        self.metric_box.addItems(metric_choices(circuit))
        self.metric_box.setCurrentText(metric)
        self.metric_box.currentTextChanged.connect(lambda *_: self.redraw())
        top.addWidget(QLabel("metric"))
        top.addWidget(self.metric_box, 1)
        self.bar = QProgressBar()
        self.bar.setObjectName("sweepProgress")
        self.bar.setFormat("%v/%m runs")
        top.addWidget(self.bar, 1)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("sweepCancel")
        self.cancel_button.clicked.connect(self.cancel)
        top.addWidget(self.cancel_button)
        lay.addLayout(top)
        self.status = QLabel("starting the Dask cluster...")
        self.status.setObjectName("sweepStatus")
        self.status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        self.plot_widget = pg.PlotWidget()
        self.plot = style_plot(self.plot_widget.getPlotItem(), metric, None, path, None)
        self.runs_item = pg.ScatterPlotItem(size=7, pen=None, brush=pg.mkBrush(*RUN_COLOR), hoverable=True,
                                            hoverSize=10)
        self.runs_item.sigClicked.connect(self._clicked)
        self.mean_item = pg.PlotDataItem(pen=pg.mkPen(MEAN_COLOR, width=2), symbol="o", symbolSize=8,
                                         symbolBrush=MEAN_COLOR, symbolPen=None)
        self.err_item = pg.ErrorBarItem(pen=pg.mkPen(MEAN_COLOR, width=1.5), beam=0)
        for item in (self.err_item, self.mean_item, self.runs_item):
            self.plot.addItem(item)
        lay.addWidget(self.plot_widget, 1)
        self.hint = QLabel(f"line: mean over seeds, bars: ± 1 s.d.; dots: single runs (click one to open its "
                           f"recordings) · results in {self.out}")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #5c6570;")
        self.hint.setTextInteractionFlags(Qt.TextSelectableByMouse)
        lay.addWidget(self.hint)
        j = self.job
        j.row.connect(self._on_row)
        j.progress.connect(self._on_progress)
        j.message.connect(self.status.setText)
        j.finished.connect(self._on_finished)
        j.failed.connect(lambda m: self._end("failed", f"sweep stopped: {m}"))
        j.cancelled.connect(lambda: self._end("cancelled", f"cancelled; {len(self.rows)} finished runs kept"))
        OPEN_WINDOWS.append(self)

    # -- running ---------------------------------------------------------------------------------
    def start(self) -> None:
        self.state = "running"
        self.job.start()

    def cancel(self) -> None:
        self.job.cancel()
        self.cancel_button.setEnabled(False)
        self.status.setText("cancelling...")

    def closeEvent(self, event) -> None:
        self.job.cancel()  # no run keeps going for a window that is gone
        if self in OPEN_WINDOWS:
            OPEN_WINDOWS.remove(self)
        super().closeEvent(event)

    def _on_row(self, row: dict) -> None:
        self.rows.append(row)
        self.redraw()

    def _on_progress(self, done: int, total: int, failed: int) -> None:
        self.bar.setMaximum(total)
        self.bar.setValue(done)
        elapsed = time.monotonic() - self.job.started_at
        eta = elapsed / done * (total - done) if done else float("nan")
        eta_text = f", about {eta:.0f} s left" if done and done < total else ""
        self.status.setText(f"{done}/{total} runs, {failed} failed{eta_text}")

    def _on_finished(self, df) -> None:
        failed = int((df["status"] != "ok").sum()) if len(df) else 0
        errors = df.loc[df["status"] != "ok", "error"].head(1).tolist() if failed else []
        self._end("done", f"{len(df)} runs, {failed} failed" + (f" (first: {errors[0]})" if errors else ""))

    def _end(self, state: str, text: str) -> None:
        self.state = state
        self.status.setText(text)
        self.cancel_button.setEnabled(False)
        if self.bar.maximum() == 0:
            self.bar.setMaximum(1)
            self.bar.setValue(1 if state == "done" else 0)

    # -- plotting --------------------------------------------------------------------------------
    def redraw(self) -> None:
        metric = self.metric_box.currentText()
        self.plot.setLabel("left", metric)
        xs, groups = series(self.rows, self.path, metric)
        numeric = all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in xs)
        pos = np.array([float(x) for x in xs]) if numeric else np.arange(len(xs), dtype=float)
        ax = self.plot.getAxis("bottom")
        ax.setTicks(None if numeric else [[(i, str(x)) for i, x in enumerate(xs)]])
        logx = bool(numeric and len(pos) > 2 and pos.min() > 0 and pos.max() / pos.min() >= 20)
        self.plot.setLogMode(x=logx)
        px = np.log10(pos) if logx else pos
        spots = []
        for p, g in zip(px, groups):
            for v, r in g:
                spots.append({"pos": (p, v), "data": r})
        self.runs_item.setData(spots)
        means = np.array([np.mean([v for v, _ in g]) for g in groups])
        sds = np.array([np.std([v for v, _ in g]) for g in groups])
        self.mean_item.setData(pos, means) if len(pos) else self.mean_item.setData([], [])
        self.err_item.setData(x=px, y=means, height=2 * sds) if len(pos) else self.err_item.setData(
            x=np.zeros(0), y=np.zeros(0), height=np.zeros(0))

    def points(self):
        """(x, mean, sd) of the plotted line (for tests and export)."""
        xs, groups = series(self.rows, self.path, self.metric_box.currentText())
        return [(x, float(np.mean([v for v, _ in g])), float(np.std([v for v, _ in g]))) for x, g in zip(xs, groups)]

    def _clicked(self, item, spots, *_) -> None:
        if len(spots):
            self.open_run(spots[0].data())

    def open_run(self, row: dict):
        """Open one run's recordings (its NPZ file) in a plot window."""
        from .recordings import RunRecordingsWindow

        seed = row.get("seed")
        self.recordings = RunRecordingsWindow(row["recordings"], f"{self.path} = {row[self.path]}, seed {seed}",
                                              self.window())
        self.recordings.show()
        return self.recordings
