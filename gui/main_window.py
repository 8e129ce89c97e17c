"""The main window: canvas in the centre, palette left, inspector right, protocol bottom.

Hooks for the simulation panels (``gui/sim``, ``gui/plots``): ``MainWindow.document`` is the
edited circuit (signals + undo stack), :meth:`MainWindow.add_dock` places a panel, and
``MainWindow.toolbar`` / :meth:`MainWindow.addToolBar` take a Run toolbar.
"""
from __future__ import annotations

import math
import os
import sys
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QFileDialog, QLabel, QMainWindow, QMessageBox, QWidget

import simcore

from . import commands, files, layout
from .file_lock import FileLock, Holder, holder_of
from .canvas.interaction import CircuitView
from .canvas.scene import CircuitScene
from .document import CircuitDocument
from .menus import build_menus
from .panels.inspector import Inspector
from .panels.palette import Palette
from .panels.protocol import ProtocolPanel

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES_DIR = ROOT / "circuits"
READABLE_SCALE = 0.6  # below this zoom, region labels are too small to read
FILE_FILTER = "Synaptica circuits (*.json);;All files (*)"


class MainWindow(QMainWindow):
    def __init__(self, recover: bool = True):
        super().__init__()
        self.document = CircuitDocument(parent=self)
        self.scene = CircuitScene(self.document, self)
        self.view = CircuitView(self.scene, self.document, self)
        self.setCentralWidget(self.view)
        self.setDockNestingEnabled(True)
        self.docks: dict[str, QDockWidget] = {}
        self.palette = Palette()
        self.inspector = Inspector(self.document)
        self.protocol = ProtocolPanel(self.document)
        self.add_dock("Regions", self.palette, Qt.LeftDockWidgetArea)
        self.add_dock("Inspector", self.inspector, Qt.RightDockWidgetArea)
        self.add_dock("Protocol", self.protocol, Qt.BottomDockWidgetArea)
        self.recent = files.RecentFiles()
        self._build_status_bar()
        self.toolbar = self.addToolBar("Edit")
        self.toolbar.setObjectName("editToolbar")
        self.toolbar.setIconSize(QSize(18, 18))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        build_menus(self)
        self._connect()
        self.autosaver = files.Autosaver(self.document, parent=self)
        self.autosaver.failed.connect(lambda m: self.statusBar().showMessage(m, 0))
        self.disk_stamp = None  # (size, mtime) of the file as opened or last saved here
        self.file_lock: FileLock | None = None  # held while this window edits its file (gui/file_lock.py)
        self.locked_by: Holder | None = None    # another instance holds the open file: read-only here
        self.document.path_changed.connect(self._hold_lock)
        self._update_title()
        self.resize(1400, 900)
        self.resizeDocks([self.docks["Regions"], self.docks["Inspector"]], [200, 360], Qt.Horizontal)
        self.resizeDocks([self.docks["Protocol"]], [170], Qt.Vertical)
        from . import live  # the live simulation view: Run toolbar, controls, plot docks (gui/live.py)
        live.install(self)
        from .workspace import Workspaces  # Edit / Watch layouts (before the demo view is applied)
        self.workspaces = Workspaces(self)
        from .demo import presenter  # demo layouts, start page, presentation mode (gui/demo/)
        presenter.install(self)
        if recover:
            QTimer.singleShot(0, self.offer_recovery)

    # -- layout hooks -----------------------------------------------------------------------------
    def add_dock(self, title: str, widget: QWidget, area=Qt.RightDockWidgetArea) -> QDockWidget:
        """Add a panel as a dock (simulation panels use this too)."""
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock_{title.lower().replace(' ', '_')}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        self.docks[title] = dock
        return dock

    def _build_status_bar(self) -> None:
        self.validity = QLabel()
        self.zoom_label = QLabel("100 %")
        self.lock_label = QLabel("")
        self.lock_label.setStyleSheet("color: #b45309; font-weight: 600;")
        self.statusBar().addPermanentWidget(self.lock_label)
        self.statusBar().addPermanentWidget(self.validity)
        self.statusBar().addPermanentWidget(self.zoom_label)
        self._validate_timer = QTimer(self, singleShot=True, interval=250)
        self._validate_timer.timeout.connect(self.validate)

    def _connect(self) -> None:
        d = self.document
        d.modified_changed.connect(lambda *_: self._update_title())
        d.path_changed.connect(lambda *_: self._update_title())
        d.reset.connect(self._update_title)
        d.undo_stack.indexChanged.connect(lambda *_: self._validate_timer.start())
        d.reset.connect(self._validate_timer.start)
        self.scene.selection_summary.connect(self.inspector.show_target)
        self.view.status_message.connect(lambda m: self.statusBar().showMessage(m, 5000))
        self.view.zoom_changed.connect(lambda s: self.zoom_label.setText(f"{s * 100:.0f} %"))
        self.palette.activated_kind.connect(
            lambda m: self.view.add_region(m, self.view.mapToScene(self.view.viewport().rect().center())))

    def _update_title(self) -> None:
        path = self.document.path
        c = self.document.circuit
        # an example opened from the menu has no path (Save must not overwrite it) but has a title
        name = Path(path).name if path else (c.title or (c.name if c.name != "untitled" else "") or "untitled")
        ro = " (read-only)" if self.locked_by is not None else ""
        self.setWindowTitle(f"{name}{ro}[*] — Synaptica")
        self.setWindowModified(self.document.modified)

    def validate(self) -> str | None:
        """Check the circuit as loading would; show the verdict in the status bar."""
        try:
            simcore.from_dict(simcore.to_dict(self.document.circuit))
        except simcore.CircuitError as err:
            self.validity.setText(f"⚠ {err}")
            self.validity.setStyleSheet("color: #c0392b;")
            return str(err)
        self.validity.setText("✓ valid circuit")
        self.validity.setStyleSheet("color: #2e7d32;")
        return None

    # -- files ------------------------------------------------------------------------------------
    def set_circuit(self, circuit: simcore.Circuit, path: str | None) -> None:
        """Show a circuit; regions without a saved position are placed automatically."""
        from simcore.schema import LAYOUT_LIMIT

        def placed_well(name):
            xy = circuit.layout.get(name)
            try:
                return all(math.isfinite(float(v)) and abs(float(v)) <= LAYOUT_LIMIT for v in xy) and len(xy) == 2
            except (TypeError, ValueError):
                return False
        # no position, or one no view can show (a circuit built in code skips the file's bounds)
        missing = [r.name for r in circuit.regions if not placed_well(r.name)]
        if missing:
            placed, _ = layout.auto_layout(circuit)
            for name in missing:
                circuit.layout[name] = placed[name]
        path = os.path.abspath(path) if path else None  # recovered or relative paths: the cwd may change
        self.disk_stamp = files.file_stamp(path)
        self.document.set_circuit(circuit, path)
        QTimer.singleShot(0, self.view.fit)

    def _hold_lock(self, path: str) -> None:
        """Hold the lock of the document's file; when another instance holds it, this window is
        read-only for that file (Save writes a copy) and says who holds it, in one line."""
        path = os.path.abspath(path) if path else None
        if self.file_lock is not None and self.file_lock.path == path and self.file_lock.held:
            return
        if self.file_lock is not None:
            self.file_lock.release()
            self.file_lock = None
        self.locked_by = None
        if path:
            try:
                lock = FileLock(path)
                holder = lock.acquire()
            except OSError:  # no lock folder (unwritable data dir): editing goes on unguarded
                holder, lock = None, None
            if holder is None:
                self.file_lock = lock
            else:
                self.locked_by = holder
                self.statusBar().showMessage(self.lock_message(path), 0)
        self.lock_label.setText(f"read-only: open in {self.locked_by.describe()}" if self.locked_by else "")
        self.lock_label.setToolTip(self.lock_message(path) if self.locked_by else "")
        self._update_title()

    def lock_message(self, path: str, holder: Holder | None = None) -> str:
        holder = holder or self.locked_by
        return (f"{Path(path).name} is open in another Synaptica ({holder.describe()}): opened read-only here; "
                "Save writes a copy (Save As)")

    def new_circuit(self) -> None:
        if self.maybe_save():
            self.set_circuit(simcore.Circuit(), None)

    def open_path(self, path: str, interactive: bool = True) -> bool:
        """Open a file; a bad file shows why and keeps the current circuit."""
        try:
            circuit = simcore.load(path)
        except simcore.CircuitError as err:
            if interactive:
                QMessageBox.critical(self, "Cannot open circuit", str(err))
            else:
                print(f"error: {err}", file=sys.stderr)
            self.statusBar().showMessage(f"Not opened: {err}", 8000)
            return False
        self.set_circuit(circuit, str(path))
        self.recent.add(str(path))
        if self.locked_by is not None:
            self.statusBar().showMessage(self.lock_message(str(path)), 0)
        else:
            self.statusBar().showMessage(f"Opened {path}", 4000)
        return True

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        path, _ = QFileDialog.getOpenFileName(self, "Open circuit", str(EXAMPLES_DIR), FILE_FILTER)
        if path:
            self.open_path(path)

    def open_example(self, path: str) -> None:
        if self.maybe_save() and self.open_path(path):
            self.document.set_path(None)  # "Save" must not overwrite a shipped example (nor lock it)
            self.statusBar().showMessage(f"Opened the example {Path(path).name}: Save asks for a name of your own",
                                         6000)

    def save(self) -> bool:
        if not self.document.path or self.locked_by is not None:  # read-only: a copy, never over the holder
            return self.save_as()
        return self.save_to(self.document.path)

    def save_as(self) -> bool:
        start = self.document.path or f"{self.document.circuit.name}.json"
        path, _ = QFileDialog.getSaveFileName(self, "Save circuit", start, FILE_FILTER)
        return self.save_to(path) if path else False

    def changed_on_disk(self, path: str) -> bool:
        """True if ``path`` is the open file and someone else (another window, an editor) changed it
        since it was opened or saved here."""
        if not self.document.path or os.path.abspath(path) != os.path.abspath(self.document.path):
            return False
        now = files.file_stamp(path)
        return now is not None and now != self.disk_stamp

    def save_to(self, path: str) -> bool:
        path = os.path.abspath(path)
        mine = self.file_lock is not None and self.file_lock.held and self.file_lock.path == path
        holder = None if mine else holder_of(path)
        if holder is not None:
            message = (f"Not saved: {Path(path).name} is open in another Synaptica ({holder.describe()}); "
                       "save under another name, or close it there first")
            QMessageBox.warning(self, "File open elsewhere", message, QMessageBox.Ok)
            self.statusBar().showMessage(message, 10000)
            return False
        if self.changed_on_disk(path):
            answer = QMessageBox.warning(
                self, "File changed on disk",
                f"{Path(path).name} was changed by another program or window since it was opened here.\n\n"
                "Overwrite it with this version? (Cancel keeps the file; Save As writes elsewhere.)",
                QMessageBox.Save | QMessageBox.Cancel, QMessageBox.Cancel)
            if answer != QMessageBox.Save:
                self.statusBar().showMessage(f"Not saved: {path} changed on disk", 8000)
                return False
        problem = self.validate()
        if problem:
            answer = QMessageBox.warning(self, "Circuit has a problem",
                                         f"{problem}\n\nThe file will not open until this is fixed. Save anyway?",
                                         QMessageBox.Save | QMessageBox.Cancel)
            if answer != QMessageBox.Save:
                return False
        try:
            simcore.save(self.document.circuit, path)
        except OSError as err:
            QMessageBox.critical(self, "Cannot save", f"{path}: {err}")
            return False
        self.disk_stamp = files.file_stamp(path)
        self.document.set_path(str(path))
        self.document.undo_stack.setClean()
        self.recent.add(str(path))
        self.autosaver.autosave()
        self.statusBar().showMessage(f"Saved {path}", 4000)
        return True

    def maybe_save(self) -> bool:
        """Ask about unsaved changes; False means the user cancelled."""
        if not self.document.modified:
            return True
        answer = QMessageBox.question(self, "Unsaved changes",
                                      f"Save changes to {Path(self.document.path or 'untitled').name}?",
                                      QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel)
        if answer == QMessageBox.Save:
            return self.save()
        return answer == QMessageBox.Discard

    def closeEvent(self, event) -> None:
        if self.maybe_save():
            self.autosaver.finish()
            if self.file_lock is not None:
                self.file_lock.release()
            event.accept()
        else:
            event.ignore()

    def offer_recovery(self) -> bool:
        """After a crash: offer the autosave of the session that did not exit cleanly."""
        for rec in files.find_recoverable():
            name = Path(rec.original_path).name if rec.original_path else "an untitled circuit"
            answer = QMessageBox.question(self, "Recover unsaved work?",
                                          f"Synaptica did not exit cleanly. Recover the autosaved copy of {name}?",
                                          QMessageBox.Yes | QMessageBox.No)
            if answer == QMessageBox.Yes:
                try:
                    circuit, problem = files.load_recovered(rec.autosave)
                except simcore.CircuitError as err:
                    QMessageBox.critical(self, "Cannot recover", f"{err}\n\nThe autosave stays in {rec.autosave}.")
                    continue
                self.set_circuit(circuit, rec.original_path)
                # recovered work is unsaved: make it undoable back to the file state and "modified"
                self.document.undo_stack.resetClean()
                self._update_title()
                rec.discard()
                self.autosaver.autosave()
                if problem:  # an edit in progress that does not validate yet: shown, not refused
                    self.validate()
                    self.statusBar().showMessage(f"Recovered, with a problem to fix: {problem}", 0)
                return True
            rec.discard()
        return False

    # -- edit actions -----------------------------------------------------------------------------
    def delete_selection(self) -> None:
        regions, projections = self.scene.selected_region_names(), self.scene.selected_projection_names()
        if regions or projections:
            self.document.undo_stack.push(commands.delete_items(self.document, regions, projections))

    def rename_selection(self) -> None:
        items = self.scene.selected_region_names() + self.scene.selected_projection_names()
        if len(items) == 1:
            self.view.start_rename(items[0])

    def auto_layout(self, method: str = "spring") -> None:
        positions, used = layout.auto_layout(self.document.circuit, method)
        moves = {n: (list(self.document.position(n)) if n in self.document.circuit.layout else None, xy)
                 for n, xy in positions.items()}
        self.document.undo_stack.push(commands.MoveRegions(self.document, moves, f"Auto-layout ({used})"))
        self.view.fit(min_scale=READABLE_SCALE)
        if used != method:
            self.statusBar().showMessage(f"{method} needs scipy; used {used} instead", 6000)

    def show_about(self) -> None:
        QMessageBox.about(self, "About Synaptica", "<b>Synaptica</b><br>Design neural circuits visually "
                          "and watch plasticity shape them live.")

