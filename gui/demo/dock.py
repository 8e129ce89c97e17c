"""The Demonstration dock: what the opened demo claims, what to look at, when its protocol acts.

Shown beside the plots whenever a circuit with a ``view`` block is open; presentation mode enlarges it."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

import simcore

from .. import style
from .events import protocol_lines

DEMO_DOCK = "Demonstration"


class DemoPanel(QWidget):
    """Title, explanation (what to look at), protocol timeline and description of the opened demo."""

    show_start_page = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = QLabel(objectName="demoTitle", wordWrap=True)
        self.explanation = QLabel(objectName="demoExplanation", wordWrap=True)
        self.explanation.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.timeline_head = QLabel("Protocol")
        self.timeline = QLabel(objectName="demoTimeline", wordWrap=True)
        self.description_head = QLabel("About this circuit")
        self.description = QLabel(objectName="demoDescription", wordWrap=True)
        self.description.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.more = QPushButton("All demonstrations…")
        self.more.clicked.connect(self.show_start_page)
        inner = QWidget()
        lay = QVBoxLayout(inner)
        lay.setContentsMargins(12, 10, 12, 10)
        lay.setSpacing(8)
        for w in (self.title, self.explanation, self.timeline_head, self.timeline, self.description_head,
                  self.description):
            lay.addWidget(w)
        lay.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.more)
        lay.addLayout(row)
        self.scroll = QScrollArea(widgetResizable=True, frameShape=QScrollArea.NoFrame)
        self.scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)
        for head in (self.timeline_head, self.description_head):
            head.setStyleSheet(f"color: {style.TEXT_MUTED.name()}; font-weight: 600;")
        self.explanation.setStyleSheet("color: #1d2a35;")
        self.timeline.setStyleSheet("color: #5a2d82;")
        self.description.setStyleSheet(f"color: {style.TEXT_MUTED.name()};")
        self.large = False
        self.set_large(False)

    def set_circuit(self, circuit: simcore.Circuit) -> None:
        from .plot_layout import clean_view

        view = clean_view(circuit.view)
        self.title.setText(circuit.title or circuit.name)
        self.explanation.setText(view.get("explanation", ""))
        lines = protocol_lines(circuit)
        self.timeline.setText("\n".join(lines))
        self.timeline.setVisible(bool(lines))
        self.timeline_head.setVisible(bool(lines))
        self.description.setText(circuit.description or "")
        self.description_head.setVisible(bool(circuit.description))

    def set_large(self, large: bool) -> None:
        """Presentation sizes (explanation in large type) or the normal dock sizes."""
        self.large = large
        k = 2.0 if large else 1.0
        self.title.setFont(style.ui_font(12.5 * k * (0.9 if large else 1.0), bold=True))
        self.explanation.setFont(style.ui_font(10.5 * k))
        self.timeline.setFont(style.ui_font(9.5 * (1.6 if large else 1.0)))
        self.timeline_head.setFont(style.ui_font(9 * (1.5 if large else 1.0), bold=True))
        self.description_head.setFont(style.ui_font(9 * (1.5 if large else 1.0), bold=True))
        self.description.setFont(style.ui_font(9 * (1.45 if large else 1.0)))
        self.more.setVisible(not large)
