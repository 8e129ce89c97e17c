"""The demonstration library (``circuits/demos/*.json``) as entries for the start page.

Kept free of Qt so the list of demos and their summaries can be read (and tested) without a display."""
from __future__ import annotations

import re
from pathlib import Path

import simcore

ROOT = Path(__file__).resolve().parent.parent.parent
DEMOS_DIR = ROOT / "circuits" / "demos"

_ABBREV = re.compile(r"\b(?:al|e\.g|i\.e|cf|vs|approx|ca|Fig)\.$")


def first_sentence(text: str) -> str:
    """The first sentence of a description (not fooled by "et al. 2011" or "e.g. ")."""
    text = " ".join((text or "").split())
    for m in re.finditer(r"[.!?](?=\s+[A-Z0-9(])", text):
        if not _ABBREV.search(text[:m.end()]):
            return text[:m.end()]
    return text


def demo_files(root: Path = DEMOS_DIR) -> list[Path]:
    return sorted(Path(root).glob("*.json"))


class DemoEntry:
    """One demonstration on the start page."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.circuit = simcore.load(self.path)
        self.title = self.circuit.title or self.circuit.name
        self.summary = first_sentence(self.circuit.description)

    def thumbnail(self):
        """The demo's thumbnail as a QPixmap (imported here: the catalog itself needs no Qt)."""
        from .thumbnails import thumbnail_of
        return thumbnail_of(self.path, self.circuit)


def demo_entries(root: Path = DEMOS_DIR) -> list[DemoEntry]:
    out = []
    for p in demo_files(root):
        try:
            out.append(DemoEntry(p))
        except simcore.CircuitError:
            continue
    return out
