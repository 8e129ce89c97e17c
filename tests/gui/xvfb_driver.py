"""Drives the real window on an X server with real input events (xdotool): the Xvfb test runs this
in a child process (``DISPLAY`` set, ``QT_QPA_PLATFORM=xcb``) and reads the JSON line it prints.

Drag a Poisson source and a LIF population from the palette onto the canvas, Shift+drag from one
to the other to connect them, select the projection and press "Add rule", Run (F5) and Pause (F6),
Save (Ctrl+S, typing the path into the file dialog), then reopen the file and compare.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QPushButton


def main(out_path: str) -> int:
    app = QApplication(sys.argv[:1])
    import simcore
    from gui.main_window import MainWindow

    win = MainWindow(recover=False)
    win.resize(1366, 768)
    win.move(0, 0)
    win.show()
    win.set_circuit(simcore.Circuit(), None)
    win.docks["Regions"].raise_()
    report = {"steps": []}

    class Steps(list):
        def append(self, x):  # progress on stderr: a hang shows where it stopped
            print("step:", x, file=sys.stderr, flush=True)
            super().append(x)
    report["steps"] = Steps()

    def pump(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    def xdo(*args: str) -> None:
        """Real X input events; the Qt loop keeps running meanwhile (a drag runs a nested loop)."""
        proc = subprocess.Popen(["xdotool", *args])
        while proc.poll() is None:
            app.processEvents()
            time.sleep(0.005)
        pump(0.3)

    def wait_for(cond, timeout=60.0) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if cond():
                return True
            pump(0.05)
        return False

    def drag(a: QPoint, b: QPoint, shift: bool = False) -> None:
        keys = ["keydown", "shift"] if shift else []
        up = ["keyup", "shift"] if shift else []
        mid = QPoint((a.x() + b.x()) // 2, (a.y() + b.y()) // 2)
        xdo("mousemove", str(a.x()), str(a.y()), "sleep", "0.2", *keys, "mousedown", "1", "sleep", "0.2",
            "mousemove", str(a.x() + 12), str(a.y() + 6), "sleep", "0.2",
            "mousemove", str(mid.x()), str(mid.y()), "sleep", "0.2",
            "mousemove", str(b.x()), str(b.y()), "sleep", "0.3",
            "mousemove", str(b.x() + 1), str(b.y()), "sleep", "0.3", "mouseup", "1", *up)

    pump(1.0)
    palette, view = win.palette, win.view

    def palette_point(model: str) -> QPoint:
        row = palette.model_names().index(model)
        palette.scrollToItem(palette.item(row))
        r = palette.visualItemRect(palette.item(row))
        return palette.viewport().mapToGlobal(r.center())

    def canvas_point(fx: float, fy: float) -> QPoint:
        vp = view.viewport()
        return vp.mapToGlobal(QPoint(int(vp.width() * fx), int(vp.height() * fy)))

    def scene_global(x: float, y: float) -> QPoint:
        return view.viewport().mapToGlobal(view.mapFromScene(x, y))

    drag(palette_point("poisson"), canvas_point(0.3, 0.5))
    report["steps"].append(["source dropped", [r.model for r in win.document.circuit.regions]])
    drag(palette_point("lif"), canvas_point(0.7, 0.5))
    regions = [r.name for r in win.document.circuit.regions]
    report["steps"].append(["lif dropped", regions])
    if len(regions) != 2:
        return finish(out_path, report, win)
    (ax, ay), (bx, by) = win.document.position(regions[0]), win.document.position(regions[1])
    drag(scene_global(ax, ay), scene_global(bx, by), shift=True)
    projections = [p.name for p in win.document.circuit.projections]
    report["steps"].append(["connected", projections])
    if len(projections) != 1:
        return finish(out_path, report, win)
    edge = win.scene.projections[projections[0]]
    mid = edge.path().pointAtPercent(0.5) if hasattr(edge, "path") else None
    if mid is None:
        mid = edge.boundingRect().center()
    p = scene_global(edge.mapToScene(mid).x(), edge.mapToScene(mid).y())
    xdo("mousemove", str(p.x()), str(p.y()), "sleep", "0.2", "click", "1")
    report["steps"].append(["projection selected", win.scene.selected_projection_names()])
    from PySide6.QtWidgets import QScrollArea

    def add_rule_button():
        b = win.inspector.findChild(QPushButton, "addRuleButton")
        return b if b is not None and b.isVisible() else None
    if not wait_for(lambda: add_rule_button() is not None, 10):
        return finish(out_path, report, win)
    button = add_rule_button()
    area = button.parent()
    while area is not None and not isinstance(area, QScrollArea):
        area = area.parent()
    if area is not None:  # scroll to it, as a user would
        area.ensureWidgetVisible(button)
    pump(0.3)
    b = button.mapToGlobal(button.rect().center())
    xdo("mousemove", str(b.x()), str(b.y()), "sleep", "0.2", "click", "1")
    rules = [r.kind for r in win.document.circuit.projections[0].rules]
    report["steps"].append(["rule added", rules])
    c = canvas_point(0.5, 0.15)
    xdo("mousemove", str(c.x()), str(c.y()), "click", "1", "sleep", "0.2", "key", "F5")
    ran = wait_for(lambda: win.live.ctl.last is not None and win.live.ctl.last["t"] >= 0.3, 120)
    xdo("key", "F6")
    wait_for(lambda: win.live.ctl.worker.state == "paused", 10)
    report["steps"].append(["ran", bool(ran), win.live.ctl.last["t"] if win.live.ctl.last else None])
    # the file dialog runs its own modal loop inside the Ctrl+S handler: the keys that fill it in come
    # from a child process started before
    script = (f"sleep 0.3; xdotool key ctrl+s; sleep 2.5; xdotool key ctrl+a; "
              f"xdotool type --delay 20 '{out_path}'; sleep 0.3; xdotool key Return")
    typist = subprocess.Popen(["sh", "-c", script])
    saved = wait_for(lambda: win.document.path is not None and not win.document.modified, 30)
    typist.wait(10)
    report["steps"].append(["saved", bool(saved), win.document.path])
    if saved:
        again = MainWindow(recover=False)
        ok = again.open_path(out_path, interactive=False)
        report["reopened_equal"] = bool(ok and again.document.circuit == win.document.circuit
                                        and simcore.load(out_path) == win.document.circuit)
        report["circuit"] = simcore.to_dict(again.document.circuit)
        again.document.undo_stack.setClean()
        again.autosaver.finish()
        again.live.ctl.shutdown()
    return finish(out_path, report, win)


def finish(out_path, report, win) -> int:
    print(json.dumps(report), flush=True)
    win.document.undo_stack.setClean()
    win.autosaver.finish()
    win.live.ctl.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
