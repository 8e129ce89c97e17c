"""The common shape of the views that show one projection at a time."""
from __future__ import annotations

from ..plots.base import Panel
from ..plots.weights import ProjectionPicker


class ProjectionView(Panel):
    """A panel with a projection picker that follows the frames' projections; it keeps the last frame
    so that choosing another projection (or option) redraws at once, without waiting for a frame."""

    picker_tip = "Projection shown"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.picker = ProjectionPicker()
        self.picker.setToolTip(self.picker_tip)
        self.picker.currentIndexChanged.connect(lambda *_: self._redraw())
        self.frame = None

    def _redraw(self) -> None:
        if self.frame is not None:
            self.draw(self.frame)

    def picked(self, frame: dict):
        """Keep ``frame``, offer its projections; the chosen projection's name (None: none yet)."""
        self.frame = frame
        self.picker.sync(frame)
        return self.picker.currentData()
