"""Texts that change while a run streams (the time, the speed, the rates of the last second) do not
make the window lay itself out again: a label whose size could change asked every layout above it,
up to the main window, to work again at each new text (five a second per label)."""
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QTextEdit, QVBoxLayout, QWidget

from gui.plots.base import TextThrottle


class Requests(QObject):
    def __init__(self):
        super().__init__()
        self.n = 0

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.LayoutRequest:
            self.n += 1
        return False


def window_with_texts(qtbot):
    win = QMainWindow()
    win.setCentralWidget(QTextEdit())
    status = QLabel("t = 0.000 s")
    win.statusBar().addPermanentWidget(status)
    dock, body = QDockWidget("rates"), QWidget()
    info = QLabel("")
    QVBoxLayout(body).addWidget(info)
    dock.setWidget(body)
    win.addDockWidget(Qt.BottomDockWidgetArea, dock)
    qtbot.addWidget(win)
    win.resize(600, 400)
    win.show()
    qtbot.waitExposed(win)
    return win, status, info


def test_new_texts_of_a_running_view_do_not_relayout_the_window(qtbot):
    win, status, info = window_with_texts(qtbot)
    texts = TextThrottle(hz=1e9)
    requests = Requests()
    win.installEventFilter(requests)

    def stream():
        for k in range(30):
            texts.set(status, f"t = {11.25 + k * 0.31:.3f} s")
            texts.set(info, f"last 1 s — E: {5 + k % 7 * 0.1:.1f} Hz  I: {6 + k % 5 * 0.1:.1f} Hz")
            qtbot.wait(2)

    stream()  # a label may grow once for the widest of these texts; the window settles
    qtbot.wait(100)
    quiet = requests.n
    qtbot.wait(100)
    assert requests.n == quiet  # nothing else asks the window for a layout meanwhile
    requests.n = 0
    stream()  # the same texts again, as in a run: the sizes are known
    assert requests.n == 0  # before: a window layout per batch of new texts
    assert status.text() == "t = 20.240 s" and status.width() >= status.sizeHint().width()


def test_a_held_label_grows_for_a_longer_text_and_with_a_larger_font(qtbot):
    win, status, info = window_with_texts(qtbot)
    texts = TextThrottle(hz=1e9)
    texts.set(info, "E: 5.1 Hz")
    qtbot.wait(10)
    narrow = info.width()
    texts.set(info, "last 1 s — E: 5.1 Hz  I: 6.2 Hz  In: 20.0 Hz")
    qtbot.wait(10)
    assert info.width() > narrow and info.width() >= info.sizeHint().width()  # the whole text shows
    wide = info.width()
    texts.set(info, "E: 5.2 Hz")
    qtbot.wait(10)
    assert info.width() == wide  # never shrunk (no relayout for a shorter text)
    big = QFont(info.font())
    big.setPointSizeF(big.pointSizeF() * 1.7)  # presentation mode's larger fonts
    info.setFont(big)
    qtbot.wait(10)
    assert info.maximumWidth() > 10 ** 6  # released: its layout sizes it for the new font
    texts.set(info, "last 1 s — E: 5.3 Hz  I: 6.2 Hz  In: 20.0 Hz")
    qtbot.wait(10)
    assert info.width() >= info.sizeHint().width() > wide
