"""The event banner: in presentation mode a fired protocol event is announced in large type over the
circuit drawing, so the audience sees when (and what) the protocol changed."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel

from .. import style
from .events import fmt_time

BANNER_MS = 4500


class Banner(QLabel):
    """A large transient announcement over the window (protocol events in presentation mode)."""

    def __init__(self, parent):
        super().__init__(parent)
        self.setObjectName("eventBanner")
        self.setAlignment(Qt.AlignCenter)
        self.setWordWrap(True)
        self.setAttribute(Qt.WA_TransparentForMouseEvents)
        self.setStyleSheet("QLabel#eventBanner { background: rgba(40, 22, 62, 225); color: white; "
                           "border: 2px solid #b58ad6; border-radius: 14px; padding: 14px 30px; }")
        self.setFont(style.ui_font(26, bold=True))
        self.hide()
        self.timer = QTimer(self, singleShot=True, interval=BANNER_MS)
        self.timer.timeout.connect(self.hide)
        self._body = ""
        self._count = 0

    def announce(self, t: float, body: str) -> None:
        """Show ``t = … s: body``; the same event repeating while shown is counted (``×3``)."""
        if self.isVisible() and body == self._body:
            self._count += 1
        else:
            self._body, self._count = body, 1
        self.setText(f"t = {fmt_time(t)} s: {body}" + (f"  (×{self._count})" if self._count > 1 else ""))
        self.place()
        self.show()
        self.raise_()
        self.timer.start()

    def place(self) -> None:
        win = self.parentWidget()
        width = min(int(win.width() * 0.7), 1300)
        self.setFixedWidth(width)
        self.adjustSize()
        central = win.centralWidget()
        if central is not None and central.isVisible():  # over the circuit drawing, not over plots or text
            g = central.geometry()
            self.setFixedWidth(min(width, g.width() - 24))
            self.adjustSize()
            self.move(g.left() + (g.width() - self.width()) // 2, g.top() + 12)
        else:
            self.move((win.width() - width) // 2, 80)
