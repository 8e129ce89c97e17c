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
        """Over the canvas, in the larger empty band above or below the circuit drawing, in the largest
        type (26 pt down to 14 pt) that fits there: the audience must see the event and the circuit."""
        win = self.parentWidget()
        width = min(int(win.width() * 0.7), 1300)
        central = win.centralWidget()
        if central is None or not central.isVisible():
            self.setFixedWidth(width)
            self.adjustSize()
            self.move((win.width() - width) // 2, 80)
            return
        g = central.geometry()
        width = min(width, g.width() - 24)
        self.setFixedWidth(width)
        top_band, bottom_band = g.height() // 4, g.height() // 4
        scene = getattr(central, "scene", lambda: None)()
        if scene is not None and not scene.itemsBoundingRect().isEmpty():
            r = central.mapFromScene(scene.itemsBoundingRect()).boundingRect()
            top_band, bottom_band = max(0, r.top()), max(0, g.height() - r.bottom())
        band = max(top_band, bottom_band)
        for pt in (26, 22, 18, 16, 14):
            self.setFont(style.ui_font(pt, bold=True))
            self.adjustSize()
            if self.height() <= band - 8:
                break
        x = g.left() + (g.width() - self.width()) // 2
        if bottom_band > top_band and self.height() <= bottom_band - 8:
            self.move(x, g.top() + g.height() - bottom_band + (bottom_band - self.height()) // 2)
        elif self.height() <= top_band - 8:
            self.move(x, g.top() + (top_band - self.height()) // 2)
        else:
            self.move(x, g.top() + 8)
