"""Menus, shortcuts and the edit toolbar of the main window (kept apart to keep the window small)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox

import simcore

from . import clipboard, export, layout


def _action(win, menu, text, slot, shortcut=None, canvas_only=False, tip=""):
    act = QAction(text, win)
    if shortcut:
        act.setShortcuts(shortcut if isinstance(shortcut, list) else [QKeySequence(shortcut)])
    if canvas_only:  # keys like Delete or Ctrl+C must keep working inside text fields
        act.setShortcutContext(Qt.WidgetWithChildrenShortcut)
        win.view.addAction(act)
    act.setStatusTip(tip)
    act.triggered.connect(lambda *_: slot())
    menu.addAction(act)
    return act


class _StackAction(QAction):
    """A toolbar Undo/Redo with a fixed label; what it would undo is in the tooltip."""

    def __init__(self, label: str, verb: str, parent):
        super().__init__(label, parent)
        self.verb = verb
        self.setToolTip(verb)

    def follow(self, text: str) -> None:
        self.setToolTip(f"{self.verb} {text}".strip())


def build_menus(win) -> None:
    bar = win.menuBar()
    _file_menu(win, bar.addMenu("&File"))
    _edit_menu(win, bar.addMenu("&Edit"))
    _view_menu(win, bar.addMenu("&View"))
    circuit = bar.addMenu("&Circuit")
    for method, label in layout.METHODS.items():
        act = _action(win, circuit, f"Auto-layout: {label}", lambda m=method: win.auto_layout(m),
                      "Ctrl+L" if method == "spring" else None)
        if method == "spring":
            win.layout_action = act
            act.setIconText("Auto-layout")
    circuit.addSeparator()
    _action(win, circuit, "Validate", lambda: win.statusBar().showMessage(win.validate() or "The circuit is valid", 6000))
    help_menu = bar.addMenu("&Help")
    _action(win, help_menu, "Mouse and keys", lambda: QMessageBox.information(win, "Mouse and keys", HELP))
    _action(win, help_menu, "About Synaptica", win.show_about)
    tb = win.toolbar
    for act in (win.actions_by_name[n] for n in ("New", "Open…", "Save")):
        tb.addAction(act)
    tb.addSeparator()
    # the toolbar gets short fixed labels: the stack's actions say "Undo Add region Poisson 3", and a
    # growing button pushed the speed control off screen; the full text is in the tooltip
    stack = win.document.undo_stack
    for label, verb, do, can, changed, text_changed in (
            ("↶ Undo", "Undo", stack.undo, stack.canUndo, stack.canUndoChanged, stack.undoTextChanged),
            ("↷ Redo", "Redo", stack.redo, stack.canRedo, stack.canRedoChanged, stack.redoTextChanged)):
        short = _StackAction(label, verb, win)
        short.triggered.connect(do)
        short.setEnabled(can())
        changed.connect(short.setEnabled)
        text_changed.connect(short.follow)  # a method of a QObject: disconnected when it is deleted
        tb.addAction(short)
    tb.addSeparator()
    tb.addAction(win.actions_by_name["Fit to view"])
    tb.addAction(win.layout_action)


HELP = ("Drag a region kind from the palette onto the canvas.\n"
        "Drag from a region's edge or its + handle (or Shift+drag) to another region to connect.\n"
        "Rubber band: drag on empty canvas. Pan: middle drag or Space+drag. Zoom: wheel.\n"
        "F2 or double-click: rename. Del: delete. Ctrl+C / Ctrl+V / Ctrl+D: copy, paste, duplicate.")


def _file_menu(win, menu) -> None:
    win.actions_by_name = {}
    for text, slot, key in (("New", win.new_circuit, QKeySequence.New), ("Open…", win.open_dialog, QKeySequence.Open)):
        win.actions_by_name[text] = _action(win, menu, text, slot, key)
    win.recent_menu = menu.addMenu("Open Recent")
    win.recent_menu.aboutToShow.connect(lambda: _fill_recent(win))
    examples = menu.addMenu("Examples")
    _fill_examples(win, examples)
    menu.addSeparator()
    win.actions_by_name["Save"] = _action(win, menu, "Save", win.save, QKeySequence.Save)
    _action(win, menu, "Save As…", win.save_as, QKeySequence.SaveAs)
    exp = menu.addMenu("Export")
    _action(win, exp, "Drawing as PNG…", lambda: _export(win, "PNG image (*.png)", ".png", export.export_png))
    _action(win, exp, "Drawing as SVG…", lambda: _export(win, "SVG drawing (*.svg)", ".svg", export.export_svg))
    _action(win, exp, "Graph as GraphML…", lambda: _export(
        win, "GraphML (*.graphml)", ".graphml", lambda _s, p: export.export_graphml(win.document.circuit, p)))
    menu.addSeparator()
    _action(win, menu, "Quit", win.close, QKeySequence.Quit)


def _fill_recent(win) -> None:
    win.recent_menu.clear()
    paths = win.recent.paths()
    for p in paths:
        act = win.recent_menu.addAction(Path(p).name)
        act.setStatusTip(p)
        act.triggered.connect(lambda *_, p=p: win.maybe_save() and win.open_path(p))
    if not paths:
        win.recent_menu.addAction("(none)").setEnabled(False)
    else:
        win.recent_menu.addSeparator()
        win.recent_menu.addAction("Clear list").triggered.connect(lambda: win.recent.clear())


def example_files(root) -> list[tuple[str, Path]]:
    """(menu label, path) of every circuit under ``root``, recursively, titled from the file."""
    out = []
    for path in sorted(Path(root).rglob("*.json")):
        try:
            c = simcore.load(path)
            title = c.title or c.name
        except simcore.CircuitError:
            continue
        sub = path.parent.relative_to(root)
        out.append((f"{sub}/{title}" if str(sub) != "." else title, path))
    return out


def _fill_examples(win, menu) -> None:
    from .main_window import EXAMPLES_DIR

    submenus = {}
    for label, path in example_files(EXAMPLES_DIR):
        target = menu
        if "/" in label:
            folder, label = label.split("/", 1)
            if folder not in submenus:  # one submenu per folder (setdefault built one per file)
                submenus[folder] = menu.addMenu(folder.capitalize())
            target = submenus[folder]
        act = target.addAction(label)
        act.setStatusTip(str(path))
        act.triggered.connect(lambda *_, p=str(path): win.open_example(p))
    if menu.isEmpty():
        menu.addAction("(none)").setEnabled(False)


def _export(win, filt: str, suffix: str, fn) -> None:
    start = str(Path(win.document.path or win.document.circuit.name).with_suffix(suffix))
    path, _ = QFileDialog.getSaveFileName(win, "Export", start, filt)
    if not path:
        return
    try:
        fn(win.scene, path)
    except OSError as err:
        QMessageBox.critical(win, "Export failed", str(err))
        return
    win.statusBar().showMessage(f"Exported {path}", 4000)


def _edit_menu(win, menu) -> None:
    stack = win.document.undo_stack
    win.undo_action = stack.createUndoAction(win, "Undo")
    win.undo_action.setShortcut(QKeySequence.Undo)
    win.redo_action = stack.createRedoAction(win, "Redo")
    # Ctrl+Shift+Z and Ctrl+Y on every platform; QKeySequence.Redo already is one of them on most, and
    # one key bound twice is "ambiguous" to Qt: neither works
    keys = []
    for k in QKeySequence.keyBindings(QKeySequence.Redo) + [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")]:
        if k not in keys:
            keys.append(k)
    win.redo_action.setShortcuts(keys)
    menu.addAction(win.undo_action)
    menu.addAction(win.redo_action)
    menu.addSeparator()

    def cut():
        if clipboard.copy_selection(win):
            win.delete_selection()
    _action(win, menu, "Cut", cut, QKeySequence.Cut, canvas_only=True)
    _action(win, menu, "Copy", lambda: clipboard.copy_selection(win), QKeySequence.Copy, canvas_only=True)
    _action(win, menu, "Paste", lambda: clipboard.paste(win), QKeySequence.Paste, canvas_only=True)
    _action(win, menu, "Duplicate", lambda: clipboard.duplicate(win), "Ctrl+D", canvas_only=True)
    _action(win, menu, "Delete", win.delete_selection, [QKeySequence.Delete, QKeySequence(Qt.Key_Backspace)],
            canvas_only=True)
    _action(win, menu, "Rename", win.rename_selection, "F2", canvas_only=True)
    menu.addSeparator()
    _action(win, menu, "Select All", lambda: win.scene.select_names(win.scene.regions), QKeySequence.SelectAll,
            canvas_only=True)


def _view_menu(win, menu) -> None:
    _action(win, menu, "Zoom In", lambda: win.view.zoom_by(1.25), QKeySequence.ZoomIn)
    _action(win, menu, "Zoom Out", lambda: win.view.zoom_by(0.8), QKeySequence.ZoomOut)
    win.actions_by_name["Fit to view"] = _action(win, menu, "Fit to view", win.view.fit, "Ctrl+0")
    snap = _action(win, menu, "Snap to grid", lambda: None)
    snap.setCheckable(True)
    snap.setChecked(True)
    snap.toggled.connect(win.scene.set_snap)
    legend = _action(win, menu, "Show legend", lambda: None)
    legend.setCheckable(True)
    legend.setChecked(True)
    legend.toggled.connect(lambda on: (setattr(win.view, "show_legend", on), win.view.viewport().update()))
    menu.addSeparator()
    for dock in win.docks.values():
        menu.addAction(dock.toggleViewAction())
