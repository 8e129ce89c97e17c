"""Demonstrations ready to present: demo layouts, the start page, presentation mode, event banners."""
import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from gui.demo import catalog, events, thumbnails
from gui.demo.plot_layout import PLOT_DOCKS

ROOT = Path(__file__).resolve().parents[2]
DEMOS = sorted((ROOT / "circuits" / "demos").glob("*.json"))
SCALING = ROOT / "circuits" / "demos" / "scaling_preserves_relative_weights.json"


def view_of(path):
    return json.loads(Path(path).read_text())["view"]


def shown(dock):
    """Visible to the audience: shown and the current tab of its group."""
    return dock.isVisible() and not dock.visibleRegion().isEmpty()


@pytest.fixture
def live(window):
    yield window.live
    window.live.ctl.shutdown()


@pytest.mark.parametrize("path", DEMOS, ids=[p.stem for p in DEMOS])
def test_opening_a_demo_shows_its_plots_and_explanation(window, live, qtbot, path):
    view = view_of(path)
    assert window.open_path(str(path), interactive=False)
    qtbot.wait(120)
    for key in view["plots"]:
        assert shown(live.docks[PLOT_DOCKS[key]]), key
    unlisted = [t for k, t in PLOT_DOCKS.items() if k not in view["plots"]]
    assert all(not shown(live.docks[t]) for t in unlisted)  # tabbed behind the listed ones
    demo = window.present
    assert shown(demo.dock)
    assert demo.panel.explanation.text() == view["explanation"]
    assert demo.panel.description.text() == window.document.circuit.description
    assert demo.panel.title.text() == window.document.circuit.title


def test_focus_follows_the_view_on_the_first_frame(window, live, qtbot):
    path = ROOT / "circuits" / "demos" / "targeted_strengthening.json"
    assert window.open_path(str(path), interactive=False)
    live.ctl.step(0.05)
    qtbot.waitUntil(lambda: live.ctl.last is not None, timeout=120_000)
    qtbot.wait(100)
    focus = view_of(path)["focus"]
    assert live.panels["Weight histogram"].picker.currentData() == focus
    assert live.panels["Relative weighting"].picker.currentData() == focus


def test_circuit_without_view_keeps_the_layout(window, live, qtbot):
    from gui.app import DEFAULT_CIRCUIT
    assert window.open_path(str(SCALING), interactive=False)
    qtbot.wait(50)
    state = window.saveState()
    assert window.open_path(str(DEFAULT_CIRCUIT), interactive=False)
    qtbot.wait(50)
    assert not window.present.dock.isVisible()
    assert window.saveState() == state or not window.present.view


def test_start_page_lists_every_demo_and_opens_one(window, live, qtbot):
    page = window.present.show_start_page()
    assert page.list.count() == len(DEMOS)
    titles = {json.loads(p.read_text())["title"] for p in DEMOS}
    assert set(page.titles()) == titles
    for entry in page.entries:
        assert not entry.thumbnail().isNull()
        assert entry.summary and len(entry.summary) <= len(entry.circuit.description)
    row = [e.path for e in page.entries].index(SCALING)
    item = page.list.item(row)
    rect = page.list.visualItemRect(item)
    page.list.scrollToItem(item)
    from PySide6.QtCore import Qt
    qtbot.mouseClick(page.list.viewport(), Qt.LeftButton, pos=page.list.visualItemRect(item).center())
    qtbot.waitUntil(lambda: window.document.circuit.name == "scaling_preserves_relative_weights", timeout=5000)
    assert not page.isVisible()
    assert window.present.panel.explanation.text() == view_of(SCALING)["explanation"]
    assert rect.height() > 0
    # reachable from the menus
    texts = [a.text() for m in window.menuBar().actions() if m.menu() for a in m.menu().actions()]
    assert texts.count("Demonstrations…") >= 2


def test_thumbnails_are_pictures_of_the_circuit(tmp_path, qtbot):
    written = thumbnails.make_thumbnails(tmp_path)
    assert sorted(p.stem for p in written) == [p.stem for p in DEMOS]
    from PySide6.QtGui import QImage
    img = QImage(str(written[0]))
    colours = {img.pixel(x, y) for x in range(0, img.width(), 4) for y in range(0, img.height(), 4)}
    assert len(colours) > 20  # drawn regions, edges and text, not a flat placeholder


def test_first_sentence():
    assert catalog.first_sentence("A b (Vogels, Sprekeler et al. 2011). Next one.") == \
        "A b (Vogels, Sprekeler et al. 2011)."
    assert catalog.first_sentence("No full stop") == "No full stop"


def test_presentation_mode_toggles_and_esc_restores(window, live, qtbot):
    assert window.open_path(str(SCALING), interactive=False)
    qtbot.wait(50)
    app = QApplication.instance()
    font0 = app.font().pointSizeF()
    tick0 = live.panels["Population rates"].plot.getAxis("left").style.get("tickFont")
    editors = ("Regions", "Inspector", "Protocol", "Live controls")
    visible0 = {n: window.docks[n].toggleViewAction().isChecked() for n in editors}
    window.present.present_action.trigger()  # View > Presentation mode (F11)
    qtbot.wait(50)
    p = window.present
    assert p.presenting and window.isFullScreen()
    assert app.font().pointSizeF() > font0 * 1.5
    assert all(window.docks[n].isHidden() or not window.docks[n].isVisible() for n in editors)
    assert not window.toolbar.isVisible()
    assert shown(p.dock) and p.panel.explanation.font().pointSizeF() >= 18
    rates = live.panels["Population rates"]
    assert rates.plot.getAxis("left").style["tickFont"].pointSizeF() >= 14
    # lines are thick, also on curves created after entering
    live.ctl.step(0.05)
    qtbot.waitUntil(lambda: live.ctl.last is not None and bool(rates.curves), timeout=120_000)
    qtbot.wait(100)
    assert all(c.opts["pen"].widthF() >= 3 for c in rates.curves.values())
    hist = live.panels["Weight histogram"]
    assert hist.now.opts["pen"].widthF() >= 3
    # Esc leaves
    from PySide6.QtCore import Qt
    qtbot.keyClick(window, Qt.Key_Escape)
    qtbot.wait(50)
    assert not p.presenting and not window.isFullScreen()
    assert app.font().pointSizeF() == pytest.approx(font0)
    assert window.toolbar.isVisible()
    assert {n: window.docks[n].toggleViewAction().isChecked() for n in editors} == visible0
    assert all(c.opts["pen"].widthF() < 3 for c in rates.curves.values())
    tick = rates.plot.getAxis("left").style.get("tickFont")
    assert tick is None or tick0 is None or tick.pointSizeF() == pytest.approx(tick0.pointSizeF())
    assert p.panel.explanation.font().pointSizeF() < 14


def test_fired_protocol_event_shows_the_banner(window, live, qtbot):
    assert window.open_path(str(SCALING), interactive=False)
    p = window.present
    p.enter(full_screen=False)
    live.ctl.event_fired.emit(10.0, "Input.rate_hz = 5.0")
    assert p.banner.isVisible()
    assert p.banner.text() == "t = 10 s: Input rate halved (10 → 5 Hz)"
    p.leave()
    assert not p.banner.isVisible()


def test_banner_follows_a_real_run(window, live, qtbot):
    """The engine's fired-events list reaches the banner during a run."""
    assert window.open_path(str(SCALING), interactive=False)
    window.document.circuit.protocol[0].time_s = 0.05  # the demo's event, sooner (no structural edit)
    window.present.enter(full_screen=False)
    live.ctl.run(until=0.2)
    qtbot.waitUntil(lambda: window.present.banner.isVisible(), timeout=120_000)
    assert "Input rate halved" in window.present.banner.text()
    window.present.leave()


def test_event_words():
    import simcore
    c = simcore.load(ROOT / "circuits" / "demos" / "skewed_distributions.json")
    words = events.EventWords(c)
    assert "switched on" in words("Input->Neurons.rules.0.enabled = True")
    gating = events.EventWords(simcore.load(ROOT / "circuits" / "demos" / "topdown_gating.json"))
    assert gating("PFC gate.gate = True") == "PFC gate: gate opened"
    lines = events.protocol_lines(simcore.load(ROOT / "circuits" / "demos" / "targeted_strengthening.json"))
    assert len(lines) < 10 and any("×" in line for line in lines)
