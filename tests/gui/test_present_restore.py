"""Leaving presentation mode restores exactly the layout before it: window, canvas, docks, fonts."""
from PySide6.QtWidgets import QApplication, QLabel

from tests.paths import ROOT


def layout_of(win):
    shown = {n: d.geometry().getRect() for n, d in win.docks.items() if d.isVisible() and d.geometry().x() >= 0}
    fonts = sorted({round(w.font().pointSizeF(), 2) for w in win.findChildren(QLabel) if w.isVisible()
                    and w.window() is win and not w.styleSheet().count("font")})
    return {"docks": shown, "canvas": win.centralWidget().geometry().getRect(), "size": win.size().toTuple(),
            "app_font": QApplication.instance().font().pointSizeF(), "status": win.statusBar().height(),
            "label_fonts": fonts}


def test_leaving_presentation_restores_the_previous_layout(window, qtbot):
    window.resize(1366, 768)
    assert window.open_path(str(ROOT / "circuits" / "demos" / "topdown_gating.json"), interactive=False)
    qtbot.wait(200)
    window.live._on_state("compiling")  # a status label restyled while presenting must shrink back too
    before = layout_of(window)
    window.present.enter(full_screen=True)
    qtbot.wait(100)
    window.live._on_state("paused")
    assert QApplication.instance().font().pointSizeF() > before["app_font"]
    window.present.leave()
    qtbot.wait(100)
    window.live._on_state("compiling")
    after = layout_of(window)
    assert after == before
