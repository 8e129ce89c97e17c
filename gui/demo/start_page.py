"""The start page (File / Help > Demonstrations…): every demo as a card with its thumbnail, title and
first sentence, so a lecturer finds the one to show; a click opens it."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QVBoxLayout, QWidget)

from .. import style
from .catalog import DEMOS_DIR, ROOT, DemoEntry, demo_entries


class StartPage(QDialog):
    """Every demonstration with its thumbnail, title and first sentence; a click opens it."""

    chosen = Signal(str)

    def __init__(self, parent=None, root: Path = DEMOS_DIR):
        super().__init__(parent)
        self.setWindowTitle("Demonstrations — Synaptica")
        self.setObjectName("startPage")
        self.entries = demo_entries(root)
        head = QLabel("<b>Demonstrations</b><br><span style='color:#5c6570'>Each one states a claim and shows "
                      "it live. Click one to open it, then press ▶ Run (F5); F11 presents it full screen.</span>")
        head.setFont(style.ui_font(11))
        head.setWordWrap(True)
        self.list = QListWidget(objectName="demoList")
        self.list.setSpacing(4)
        self.list.setIconSize(QSize(180, 100))
        self.list.setVerticalScrollMode(QListWidget.ScrollPerPixel)
        for entry in self.entries:
            item = QListWidgetItem()
            item.setData(Qt.UserRole, str(entry.path))
            item.setToolTip(str(entry.path.relative_to(ROOT) if entry.path.is_relative_to(ROOT) else entry.path))
            card = self._card(entry)
            item.setSizeHint(card.sizeHint().expandedTo(QSize(0, 112)))
            self.list.addItem(item)
            self.list.setItemWidget(item, card)
        self.list.itemClicked.connect(lambda item: self.open_item(self.list.row(item)))
        self.list.itemActivated.connect(lambda item: self.open_item(self.list.row(item)))
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(head)
        lay.addWidget(self.list, 1)
        lay.addWidget(buttons)
        self.resize(820, 720)

    def _card(self, entry: DemoEntry) -> QWidget:
        w = QWidget()
        row = QHBoxLayout(w)
        row.setContentsMargins(6, 4, 6, 4)
        row.setSpacing(12)
        pic = QLabel(objectName="thumbnail")
        pic.setPixmap(entry.thumbnail().scaled(QSize(180, 100), Qt.KeepAspectRatio, Qt.SmoothTransformation))
        pic.setFixedSize(180, 100)
        row.addWidget(pic)
        text = QVBoxLayout()
        text.setSpacing(2)
        title = QLabel(entry.title, objectName="demoCardTitle")
        title.setFont(style.ui_font(11, bold=True))
        summary = QLabel(entry.summary, objectName="demoCardSummary", wordWrap=True)
        summary.setStyleSheet(f"color: {style.TEXT_MUTED.name()};")
        text.addWidget(title)
        text.addWidget(summary)
        text.addStretch(1)
        row.addLayout(text, 1)
        for child in (w, pic, title, summary):
            child.setAttribute(Qt.WA_TransparentForMouseEvents)  # the list item takes the click
        return w

    def titles(self) -> list[str]:
        return [e.title for e in self.entries]

    def open_item(self, row: int) -> None:
        if 0 <= row < len(self.entries):
            self.chosen.emit(str(self.entries[row].path))
            self.accept()
