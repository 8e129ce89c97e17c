"""Copy and paste of regions with the projections among them (a circuit fragment as JSON)."""
from __future__ import annotations

import atexit
import json

from PySide6.QtCore import QMimeData

import simcore
from simcore.model import Component, Projection, Region, Rule

FRAGMENT_MIME = "application/x-synaptica-fragment"


def fragment(circuit: simcore.Circuit, names) -> dict:
    """The named regions, the projections among them and their positions, as plain data."""
    names = set(names)
    sub = simcore.Circuit(name=circuit.name,
                          regions=[r for r in circuit.regions if r.name in names],
                          projections=[p for p in circuit.projections if p.source in names and p.target in names],
                          layout={k: v for k, v in circuit.layout.items() if k in names})
    doc = simcore.to_dict(sub)
    return {"regions": doc["regions"], "projections": doc["projections"], "layout": doc.get("layout", {})}


def mime_data(frag: dict) -> QMimeData:
    data = QMimeData()
    text = json.dumps(frag)
    data.setData(FRAGMENT_MIME, text.encode())
    data.setText(text)
    return data


def read_fragment(data: QMimeData | None):
    """(regions, projections, positions) from clipboard data, or None if it holds no fragment."""
    if data is None or not data.hasFormat(FRAGMENT_MIME):
        return None
    try:
        frag = json.loads(bytes(data.data(FRAGMENT_MIME)).decode())
        regions = [Region(r["name"], r["model"], int(r["size"]), r["role"],
                          simcore.model.complete("neuron", r["model"], r.get("params"))) for r in frag["regions"]]
        comp = lambda fam, c: Component(c["kind"], simcore.model.complete(fam, c["kind"], c.get("params")))  # noqa: E731
        projections = [Projection(p["name"], p["source"], p["target"], p["synapse"],
                                  comp("connectivity", p["connectivity"]), comp("weights", p["weights"]),
                                  comp("delay", p["delay"]),
                                  [Rule(r["kind"], simcore.model.complete("rule", r["kind"], r.get("params")),
                                        r.get("enabled", True)) for r in p.get("rules", [])])
                       for p in frag["projections"]]
        positions = {k: tuple(v) for k, v in frag.get("layout", {}).items()}
    except (ValueError, KeyError, TypeError):
        return None
    return regions, projections, positions


def copy_selection(win) -> bool:
    from PySide6.QtWidgets import QApplication

    names = win.scene.selected_region_names()
    if not names:
        return False
    QApplication.clipboard().setMimeData(mime_data(fragment(win.document.circuit, names)))
    _release_at_exit()
    return True


_registered = False


def _release_at_exit() -> None:
    """Qt's clipboard outlives the interpreter and deletes the QMimeData we gave it in a C exit
    handler, after Python has finalized: PySide then crashes (segfault at exit). Clear our data
    while Python is still alive."""
    global _registered
    if _registered:
        return
    _registered = True

    def release():
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if app is not None:
            cb = app.clipboard()
            data = cb.mimeData()
            if data is not None and data.hasFormat(FRAGMENT_MIME):
                cb.clear()

    atexit.register(release)


def paste(win, data=None, offset=(40.0, 40.0), text="Paste") -> list[str]:
    """Paste a fragment (from the clipboard unless given); select and return the new regions."""
    from PySide6.QtWidgets import QApplication

    from . import commands

    parsed = read_fragment(data if data is not None else QApplication.clipboard().mimeData())
    if not parsed:
        return []
    macro, names = commands.add_fragment(win.document, *parsed, offset=offset, text=text)
    win.document.undo_stack.push(macro)
    win.scene.select_names(names)
    return names


def duplicate(win) -> list[str]:
    names = win.scene.selected_region_names()
    if not names:
        return []
    return paste(win, mime_data(fragment(win.document.circuit, names)), text="Duplicate")
