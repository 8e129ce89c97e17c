"""The main window (placeholder until the editor lands): shows the open circuit."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox

import simcore


class MainWindow(QMainWindow):
    def __init__(self):
        super().__init__()
        self.circuit = simcore.Circuit()
        self.path: str | None = None
        self._label = QLabel()
        self.setCentralWidget(self._label)
        self._refresh()

    def open_path(self, path: str, interactive: bool = True) -> bool:
        try:
            circuit = simcore.load(path)
        except simcore.CircuitError as err:
            if interactive:
                QMessageBox.critical(self, "Cannot open circuit", str(err))
            else:
                print(f"error: {err}")
            return False
        self.circuit, self.path = circuit, path
        self._refresh()
        return True

    def _refresh(self):
        c = self.circuit
        self.setWindowTitle(f"{c.title or c.name} — Synaptica")
        lines = [f"<h2>{c.title or c.name}</h2>"] + [f"{r.name}: {r.size} × {r.model} ({r.role})" for r in c.regions]
        self._label.setText("<br>".join(lines))
