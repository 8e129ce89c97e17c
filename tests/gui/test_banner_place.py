"""While presenting at 1600x1000, the event banner does not cover the circuit."""
from PySide6.QtCore import QRect

from tests.paths import ROOT


def test_banner_leaves_the_circuit_visible_at_1600x1000(window, qtbot):
    window.resize(1600, 1000)
    assert window.open_path(str(ROOT / "circuits" / "demos" / "scaling_preserves_relative_weights.json"),
                            interactive=False)
    window.present.enter(full_screen=False)
    qtbot.wait(200)
    window.view.fit()
    qtbot.wait(50)
    banner = window.present.banner
    banner.announce(10.0, "Input rate halved (20 → 10 Hz)")
    qtbot.wait(50)
    assert banner.isVisible()
    view = window.view
    drawn = view.mapFromScene(window.scene.itemsBoundingRect()).boundingRect()
    circuit = QRect(view.mapTo(window, drawn.topLeft()), drawn.size())
    assert not banner.geometry().intersects(circuit), (banner.geometry(), circuit)
    assert window.centralWidget().geometry().contains(banner.geometry())
    window.present.leave()
