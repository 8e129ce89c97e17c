"""Every dock tab readable at 1366x768: no title elided ("R…", "Spike r…"), none scrolled out of its bar,
in the Watch layout of a circuit, of every demonstration (whose axis labels also fit their plots), and
in the Edit layout."""
import pytest
from PySide6.QtWidgets import QStyle, QTabBar

from tests.gui.conftest import small_circuit
from tests.gui.plot_fit import misplaced
from tests.paths import ROOT

DEMOS = sorted((ROOT / "circuits" / "demos").glob("*.json"))


def unreadable_tabs(win) -> list[str]:
    """Tab texts of the window's shown dock tab bars that do not fit their tab or lie outside the bar."""
    bad = []
    for bar in win.findChildren(QTabBar):
        if not bar.isVisible() or bar.visibleRegion().isEmpty() or not win.rect().contains(bar.geometry().center()):
            continue
        room = bar.style().pixelMetric(QStyle.PM_TabBarTabHSpace, None, bar)
        for i in range(bar.count()):
            text, r = bar.tabText(i), bar.tabRect(i)
            fits = r.width() >= bar.fontMetrics().horizontalAdvance(text) + room - 2
            if not fits or r.left() < 0 or r.right() > bar.width():
                bad.append(f"{text!r} ({r.width()} px)")
    return bad


def settle(qtbot, win):
    qtbot.wait(150)  # the demo layout finishes on zero timers


def test_watch_layout_tabs_readable_at_1366x768(window, qtbot):
    window.resize(1366, 768)
    window.set_circuit(small_circuit(), None)
    window.workspaces.watch()
    settle(qtbot, window)
    assert window.live.docks["Population rates"].isVisible()
    assert unreadable_tabs(window) == []
    # the panels not shown by default are one click away
    button = window.findChild(type(window.live.toolbar.widgetForAction(window.live.run_action)), "panelsButton")
    assert button is not None and button.isVisible() and button.menu() is window.live.panels_menu
    window.live.docks["Weight kymograph"].toggleViewAction().trigger()
    assert window.live.docks["Weight kymograph"].isVisible()


def test_edit_layout_tabs_readable_at_1366x768(window, qtbot):
    window.resize(1366, 768)
    window.set_circuit(small_circuit(), None)
    window.workspaces.edit()
    settle(qtbot, window)
    assert unreadable_tabs(window) == []


@pytest.mark.parametrize("demo", DEMOS, ids=lambda p: p.stem)
def test_every_demo_tabs_readable_at_1366x768(window, qtbot, demo):
    window.resize(1366, 768)
    window.open_example(str(demo))
    settle(qtbot, window)
    assert window.present.plot_docks() and all(d.isVisible() for d in window.present.plot_docks())
    assert unreadable_tabs(window) == []
    for dock in window.present.plot_docks():  # and no axis label longer than its (short) plot
        assert misplaced(window.live.panels[dock.windowTitle()], legends=False) == [], dock.windowTitle()
