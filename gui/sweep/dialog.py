"""The sweep dialog: values, seeds, duration and the metric to plot, checked before anything runs."""
from __future__ import annotations

import copy

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QSpinBox,
                               QVBoxLayout)

from simcore.metrics import METRICS

DEFAULT_SEEDS = "0-2"


def suggested_values(param, value) -> str:
    """Five values around the current one (half to double), or every choice."""
    if param.type == "bool":
        return "false,true"
    if param.type == "choice":
        return ",".join(param.choices)
    if param.type == "int":
        v = max(int(value), 1)
        vals = sorted({max(v // 2, 1), max(3 * v // 4, 1), v, 3 * v // 2, 2 * v})
        return ",".join(str(x) for x in vals if param.check(x) is None) or str(value)
    v = float(value)
    if v == 0:
        return "0,0.25,0.5,0.75,1"
    vals = [v * f for f in (0.5, 0.75, 1.0, 1.5, 2.0)]
    return ",".join(f"{x:.4g}" for x in vals if param.check(x) is None) or f"{v:g}"


def metric_choices(circuit) -> list[str]:
    """The table columns worth plotting: region rates, projection statistics, expect claims."""
    out = [f"rate_hz[{r.name}]" for r in circuit.regions]
    stats = [m.name for m in METRICS.values() if m.applies_to == "projection"]
    out += [f"{m}[{p.name}]" for p in circuit.projections for m in stats]
    out += [f"expect[{i}] {e.target}.{e.metric}" for i, e in enumerate(circuit.expect)]
    return out


def current_value(circuit, path: str):
    from simcore.sweep.grid import locate

    _, where = locate(circuit, path)
    from simcore import to_dict

    node = to_dict(circuit)
    for k in where:
        node = node[k]
    return node


class SweepDialog(QDialog):
    """Asks what to sweep; :meth:`start` validates the whole grid and opens the result window."""

    def __init__(self, circuit, path: str, param, parent=None):
        super().__init__(parent)
        self.setObjectName("sweepDialog")
        self.setWindowTitle(f"Sweep {path}")
        self.circuit = copy.deepcopy(circuit)  # later edits in the editor do not change this sweep
        self.path, self.param = path, param
        self.client = None  # a distributed.Client to use instead of a new local cluster (tests)
        self.result_window = None
        value = current_value(self.circuit, path)
        lay = QVBoxLayout(self)
        head = QLabel(f"<b>{path}</b> &nbsp; now {value}{' ' + param.unit if param.unit else ''}"
                      f"<br><span style='color:#5c6570'>{param.describe()}</span>")
        head.setWordWrap(True)
        lay.addWidget(head)
        form = QFormLayout()
        self.values = QLineEdit(suggested_values(param, value))
        self.values.setObjectName("sweepValues")
        self.values.setToolTip("1,2,5 | linspace:LO:HI:N | logspace:LO:HI:N | @file")
        self.seeds = QLineEdit(DEFAULT_SEEDS)
        self.seeds.setObjectName("sweepSeeds")
        self.seeds.setToolTip("seeds each value runs with, e.g. 0-4 or 1,3,7")
        self.duration = QLineEdit(f"{min(self.circuit.settings.duration_s, 10.0):g}s")
        self.duration.setObjectName("sweepDuration")
        self.metric_box = QComboBox()
        self.metric_box.setObjectName("sweepMetric")
        self.metric_box.addItems(metric_choices(self.circuit))
        self.workers = QSpinBox()
        self.workers.setObjectName("sweepWorkers")
        from simcore.sweep.cluster import default_workers

        self.workers.setRange(1, 256)
        self.workers.setValue(default_workers())
        self.workers.setToolTip("worker processes of the local Dask cluster")
        for label, w in (("values", self.values), ("seeds", self.seeds), ("duration", self.duration),
                         ("metric", self.metric_box), ("workers", self.workers)):
            form.addRow(label, w)
        lay.addLayout(form)
        self.problem = QLabel()
        self.problem.setObjectName("sweepProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c0392b;")
        self.problem.hide()
        lay.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("Run sweep")
        buttons.button(QDialogButtonBox.Ok).setObjectName("sweepStart")
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def grid(self) -> dict:
        return {self.path: self.values.text()}

    def start(self) -> bool:
        """Check every value (one line if one is wrong, nothing started), then run in the background."""
        from simcore.errors import CircuitError
        from simcore.sweep import plan

        try:
            plan(self.circuit, self.grid(), seeds=self.seeds.text(), duration=self.duration.text())
        except CircuitError as err:
            self.problem.setText(str(err))
            self.problem.show()
            return False
        from .result import SweepResultWindow

        self.result_window = SweepResultWindow(self.circuit, self.path, self.grid(), self.seeds.text(),
                                               self.duration.text(), self.metric_box.currentText(),
                                               workers=self.workers.value(), client=self.client,
                                               parent=self.parent())
        self.result_window.show()
        self.result_window.start()
        self.accept()
        self.deleteLater()
        return True
