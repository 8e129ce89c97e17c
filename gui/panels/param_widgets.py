"""Editors generated from :class:`simcore.Param` declarations.

Numbers get spin boxes with the unit as suffix and the declared bounds; choices and region
references get combo boxes; booleans get check boxes. A value the declaration refuses
(``Param.check``) is never committed: the editor keeps the text as typed, turns red and the reason
is shown below it until the value is fixed.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (QAbstractSpinBox, QCheckBox, QComboBox, QDoubleSpinBox, QLabel, QSpinBox,
                               QVBoxLayout, QWidget)

from simcore import Param

BIG = 1e15
INT_MAX = 2**31 - 1
NONE_REGION = "(none)"


class ParamSpinBox(QDoubleSpinBox):
    """A float spin box that prints values compactly (``%g``) and refuses what ``param`` refuses."""

    def __init__(self, param: Param, parent=None):
        super().__init__(parent)
        self.param = param
        self.setDecimals(12)
        # the box takes any number: a value outside the declared bounds stays as typed, and the editor
        # says why it is not applied (a spin box clamped to the bounds reverted "1e9" and turned "-5" into 5)
        self.setRange(-BIG, BIG)
        self.setStepType(QAbstractSpinBox.AdaptiveDecimalStepType)
        if param.unit:
            self.setSuffix(f" {param.unit}")

    def textFromValue(self, value: float) -> str:
        return f"{value:.6g}"

    def valueFromText(self, text: str) -> float:
        try:
            return float(self._number(text))
        except ValueError:
            return self.value()

    def _number(self, text: str) -> str:
        text = text.strip()
        if self.suffix() and text.endswith(self.suffix().strip()):
            text = text[: -len(self.suffix().strip())]
        return text.strip()

    def validate(self, text: str, pos: int):
        try:
            value = float(self._number(text))
        except ValueError:
            return QValidator.Intermediate, text, pos
        if abs(value) > BIG:
            return QValidator.Intermediate, text, pos
        return QValidator.Acceptable, text, pos


class ParamEditor(QWidget):
    """One parameter's editor plus the line that explains a refused value."""

    def __init__(self, param: Param, value: Any, commit: Callable[[Any], None], regions=(), parent=None):
        super().__init__(parent)
        self.param, self._commit = param, commit
        self.error = QLabel()
        self.error.setObjectName("paramError")
        self.error.setStyleSheet("color: #c0392b; font-size: 8pt;")
        self.error.setWordWrap(True)
        self.error.hide()
        self.editor = self._make_editor(param, regions)
        self.editor.setToolTip(param.describe())
        self.editor.setObjectName(f"param_{param.name}")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(1)
        lay.addWidget(self.editor)
        lay.addWidget(self.error)
        self.set_value(value)
        self._connect()

    def _make_editor(self, p: Param, regions):
        if p.type == "bool":
            return QCheckBox()
        if p.type in ("choice", "region"):
            box = QComboBox()
            box.addItems(list(p.choices) if p.type == "choice" else [NONE_REGION, *regions])
            return box
        if p.type == "int":
            box = QSpinBox()
            box.setRange(-INT_MAX, INT_MAX)  # out-of-range values are explained, not clamped (see above)
            if p.unit:
                box.setSuffix(f" {p.unit}")
            box.setKeyboardTracking(False)
            return box
        box = ParamSpinBox(p)
        box.setKeyboardTracking(False)
        return box

    def _connect(self):
        e = self.editor
        if isinstance(e, QCheckBox):
            e.toggled.connect(self._changed)
        elif isinstance(e, QComboBox):
            e.currentTextChanged.connect(self._changed)
        else:
            e.valueChanged.connect(self._changed)

    def value(self) -> Any:
        e = self.editor
        if isinstance(e, QCheckBox):
            return e.isChecked()
        if isinstance(e, QComboBox):
            t = e.currentText()
            return "" if (self.param.type == "region" and t == NONE_REGION) else t
        return e.value()

    def set_value(self, value: Any) -> None:
        e = self.editor
        e.blockSignals(True)
        if isinstance(e, QCheckBox):
            e.setChecked(bool(value))
        elif isinstance(e, QComboBox):
            text = (value or NONE_REGION) if self.param.type == "region" else str(value)
            if e.findText(text) < 0:
                e.addItem(text)
            e.setCurrentText(text)
        else:
            e.setValue(value)
        e.blockSignals(False)
        self._show_problem(None)

    def _changed(self, *_):
        value = self.value()
        problem = self.param.check(value)
        self._show_problem(problem)
        if problem is None:
            self._commit(self.param.coerce(value))

    def _show_problem(self, problem: str | None) -> None:
        if problem:
            self.error.setText(f"{self.param.name} {problem}")
            self.error.show()
            self.editor.setStyleSheet("border: 1px solid #c0392b;")
        else:
            self.error.hide()
            self.editor.setStyleSheet("")


def param_label(p: Param) -> QLabel:
    """A form label: the parameter name, with the description as tooltip."""
    label = QLabel(p.name)
    label.setToolTip(p.describe())
    return label
