"""The inspector's "Sweep this parameter..." entry, on the label and the editor of every row."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QLineEdit, QMenu

ACTION_TEXT = "Sweep this parameter..."


def sweep_path(target: tuple[str, str], editor_path: str) -> str:
    """The :mod:`simcore.sweep` path of an inspector row: ``params.tau_m`` of region ``E`` is
    ``E.tau_m``; ``rules.0.lam`` of projection ``A->B`` is ``A->B.rules.0.lam``; rows of the
    circuit (``settings.dt_ms``) keep their path."""
    kind, name = target
    if kind == "region":
        return f"{name}.{editor_path.removeprefix('params.')}"
    if kind == "projection":
        return f"{name}.{editor_path}"
    return editor_path


def attach(inspector, label, editor, editor_path: str) -> None:
    """Give the row's label and editor a context menu with the sweep entry."""
    path = sweep_path(inspector.target, editor_path)
    open_dialog = lambda: _open(inspector, path, editor.param)  # noqa: E731
    label.setContextMenuPolicy(Qt.CustomContextMenu)
    label.customContextMenuRequested.connect(lambda pos: _show(_menu(None, open_dialog), label.mapToGlobal(pos)))
    filt = _ContextFilter(editor.editor, open_dialog)
    editor.editor.installEventFilter(filt)
    editor.sweep_path = path


class _ContextFilter(QObject):
    """Adds the sweep entry below an editor's own context menu (copy, paste, ...)."""

    def __init__(self, widget, open_dialog):
        super().__init__(widget)
        self.open_dialog = open_dialog

    def eventFilter(self, obj, event):
        if event.type() == QEvent.ContextMenu:
            edit = obj if isinstance(obj, QLineEdit) else obj.findChild(QLineEdit)
            _show(_menu(edit.createStandardContextMenu() if edit else None, self.open_dialog), event.globalPos())
            return True
        return False


def _menu(base: QMenu | None, open_dialog) -> QMenu:
    menu = base or QMenu()
    if base is not None:
        menu.addSeparator()
    act = menu.addAction(ACTION_TEXT)
    act.setObjectName("sweepAction")
    act.triggered.connect(lambda: QTimer.singleShot(0, open_dialog))  # after the menu has closed
    return menu


def _show(menu: QMenu, pos) -> None:
    menu.exec(pos)
    menu.deleteLater()  # Qt may still be delivering the menu's last events: never delete it here


def _open(inspector, path: str, param) -> None:
    from .dialog import SweepDialog

    dlg = SweepDialog(inspector.doc.circuit, path, param, parent=inspector.window())
    dlg.show()
