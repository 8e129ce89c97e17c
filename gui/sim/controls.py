"""Live interaction controls: reward, gate, block (TTX), input rate, brief stimulus.

They act on the running simulation only (an experiment, not an edit of the circuit): each goes
through the engine's event path, so it is logged and marked on the time axes like protocol events.
"""
from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
                               QPushButton, QVBoxLayout, QWidget)


def _spin(lo, hi, value, suffix, decimals=1, step=1.0) -> QDoubleSpinBox:
    s = QDoubleSpinBox()
    s.setRange(lo, hi)
    s.setDecimals(decimals)
    s.setSingleStep(step)
    s.setValue(value)
    s.setSuffix(suffix)
    s.setKeyboardTracking(False)
    return s


class LiveControls(QWidget):
    def __init__(self, controller, document, parent=None):
        super().__init__(parent)
        self.ctl = controller
        self.doc = document
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.setSpacing(6)

        box = QGroupBox("Neuromodulation")
        form = QFormLayout(box)
        self.mod = QComboBox(objectName="modulatorCombo")
        self.amount = _spin(0.0, 100.0, 1.0, "", 2, 0.5)
        self.reward_button = QPushButton("Deliver reward", objectName="rewardButton")
        self.reward_button.setToolTip("A pulse of the modulatory signal (decays with the region's tau_ms)")
        self.reward_button.clicked.connect(lambda: self.mod.currentData() and
                                           self.ctl.reward(self.mod.currentData(), self.amount.value()))
        self.gate = QCheckBox("gate open", objectName="gateCheck")
        self.gate.setToolTip("A closed gate holds the modulator's level at 0")
        self.gate.toggled.connect(lambda on: self.mod.currentData() and self.ctl.set_gate(self.mod.currentData(), on))
        form.addRow("region", self.mod)
        row = QHBoxLayout()
        row.addWidget(self.amount)
        row.addWidget(self.reward_button)
        form.addRow("amount", row)
        form.addRow("", self.gate)
        lay.addWidget(box)
        self.mod_box = box

        box = QGroupBox("Block a region (TTX)")
        form = QFormLayout(box)
        self.block_region = QComboBox(objectName="blockCombo")
        self.block_button = QPushButton("Block", objectName="blockButton", checkable=True)
        self.block_button.setToolTip("Silence the region's output spikes, as tetrodotoxin would")
        self.block_button.toggled.connect(self._block)
        self.block_region.currentIndexChanged.connect(lambda *_: self._sync_block_button())
        row = QHBoxLayout()
        row.addWidget(self.block_region, 1)
        row.addWidget(self.block_button)
        form.addRow(row)
        lay.addWidget(box)

        box = QGroupBox("Input")
        form = QFormLayout(box)
        self.source = QComboBox(objectName="sourceCombo")
        self.rate = _spin(0.0, 1000.0, 10.0, " Hz", 1, 1.0)
        self.rate.setObjectName("rateSpin")
        self.rate.setToolTip("Rate of the source during this run (the circuit is not changed)")
        self.rate.valueChanged.connect(lambda v: self.source.currentData() and self.ctl.set_rate(self.source.currentData(), v))
        self.source.currentIndexChanged.connect(lambda *_: self._sync_rate())
        self.mod.currentIndexChanged.connect(lambda *_: self._sync_gate())
        down, up = QPushButton("÷2"), QPushButton("×2")
        down.clicked.connect(lambda: self.rate.setValue(self.rate.value() / 2))
        up.clicked.connect(lambda: self.rate.setValue(max(1.0, self.rate.value() * 2)))
        row = QHBoxLayout()
        row.addWidget(self.rate, 1)
        row.addWidget(down)
        row.addWidget(up)
        form.addRow("source", self.source)
        form.addRow("rate", row)
        self.pulse_rate = _spin(0.0, 1000.0, 100.0, " Hz", 0, 10.0)
        self.pulse_ms = _spin(1.0, 10000.0, 50.0, " ms", 0, 10.0)
        self.pulse_button = QPushButton("Inject stimulus", objectName="pulseButton")
        self.pulse_button.setToolTip("Raise the source's rate briefly, then return to the current rate")
        self.pulse_button.clicked.connect(lambda: self.source.currentData() and self.ctl.pulse(
            self.source.currentData(), self.pulse_rate.value(), self.pulse_ms.value() * 1e-3))
        row = QHBoxLayout()
        row.addWidget(self.pulse_rate)
        row.addWidget(self.pulse_ms)
        form.addRow("pulse", row)
        form.addRow("", self.pulse_button)
        lay.addWidget(box)
        self.input_box = box
        self.hint = QLabel("")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #5c6570;")
        lay.addWidget(self.hint)
        lay.addStretch(1)
        self.blocked: set[str] = set()
        self._engine: dict = {}  # region -> params as the engine has them (from the latest frame)
        document.reset.connect(self.sim_reset)
        for sig in (document.reset, document.region_added, document.region_removed, document.region_renamed,
                    document.region_changed):
            sig.connect(lambda *_: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        """Fill the choosers from the document's regions."""
        regions = self.doc.circuit.regions
        self._fill(self.mod, [r.name for r in regions if r.model == "modulator"])
        self._fill(self.block_region, [r.name for r in regions if r.model != "modulator"])
        self._fill(self.source, [r.name for r in regions if "rate_hz" in r.params and r.model != "rate"])
        self.mod_box.setVisible(self.mod.count() > 0)
        self.input_box.setVisible(self.source.count() > 0)
        missing = [what for what, combo in (("modulatory region (reward, gate)", self.mod),
                                            ("rate source (input rate, stimulus)", self.source)) if not combo.count()]
        self.hint.setText("This circuit has no " + " and no ".join(missing) + "." if missing else "")
        self.hint.setVisible(bool(missing))
        self._sync_rate()
        self._sync_gate()

    @staticmethod
    def _fill(combo: QComboBox, names: list[str]) -> None:
        if [combo.itemData(i) for i in range(combo.count())] == names:
            return
        cur = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for n in names:
            combo.addItem(n, n)
        if cur in names:
            combo.setCurrentIndex(names.index(cur))
        combo.blockSignals(False)

    # -- showing the engine's state -------------------------------------------------------------
    # The controls show what the engine does now: the circuit's values before a run and after a
    # reset, then whatever the latest frame reports (protocol events, live actions, undone edits).
    def _params(self, name: str) -> dict:
        engine = self._engine.get(name)
        if engine is not None:
            return engine
        region = next((r for r in self.doc.circuit.regions if r.name == name), None)
        return region.params if region is not None else {}

    def _sync_rate(self) -> None:
        name = self.source.currentData()
        if name and not self.rate.hasFocus():
            value = float(self._params(name).get("rate_hz", self.rate.value()))
            if value != self.rate.value():
                self.rate.blockSignals(True)
                self.rate.setValue(value)
                self.rate.blockSignals(False)

    def _sync_gate(self) -> None:
        name = self.mod.currentData()
        on = bool(self._params(name).get("gate", True)) if name else True
        if on != self.gate.isChecked():
            self.gate.blockSignals(True)
            self.gate.setChecked(on)
            self.gate.blockSignals(False)

    def update_frame(self, frame: dict) -> None:
        """Follow the engine: gate, source rate and blocked regions as the latest frame has them."""
        self._engine = frame.get("params", {})
        self._sync_gate()
        self._sync_rate()
        blocked = set(frame.get("blocked", ()))
        if blocked != self.blocked:
            self.blocked = blocked
            self._sync_block_button()

    def _block(self, on: bool) -> None:
        name = self.block_region.currentData()
        if not name:
            return
        (self.blocked.add if on else self.blocked.discard)(name)
        self.block_button.setText("Unblock" if on else "Block")
        self.ctl.block(name, on)

    def _sync_block_button(self) -> None:
        on = self.block_region.currentData() in self.blocked
        self.block_button.blockSignals(True)
        self.block_button.setChecked(on)
        self.block_button.setText("Unblock" if on else "Block")
        self.block_button.blockSignals(False)

    def sim_reset(self) -> None:
        """After a reset the engine forgot blocks and live rates: show the circuit's values."""
        self._engine = {}
        self.blocked.clear()
        self._sync_block_button()
        self._sync_rate()
        self._sync_gate()
