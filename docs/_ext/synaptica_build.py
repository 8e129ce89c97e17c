"""What the documentation's generators share: where things are, and a cache keyed by their inputs.

Generated pages and pictures are rebuilt only when something they are made from changed (the demo
file, the engine's sources, the GUI's sources), so a second build in a row, or the doctest build after
the HTML one, costs seconds. A result is reused only when the hash of every input matches, so it is
always what a fresh run would give (runs are deterministic for a given seed).
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent
ROOT = DOCS.parent
GENERATED = DOCS / "_generated"  # included by pages, never read as pages itself (see conf.py)
CACHE = GENERATED / "cache"


def tree_hash(*paths: Path, pattern: str = "*.py") -> str:
    """One hash of the contents of files (and of every ``pattern`` file under directories)."""
    h = hashlib.sha256()
    for base in paths:
        files = sorted(base.rglob(pattern)) if base.is_dir() else [base]
        for f in files:
            if "__pycache__" in f.parts:
                continue
            h.update(str(f.relative_to(ROOT) if f.is_relative_to(ROOT) else f.name).encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:20]


def write_if_changed(path: Path, data: str | bytes) -> bool:
    """Write only when the content differs, so Sphinx does not re-read unchanged pages."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if path.exists() and path.read_bytes() == raw:
        return False
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # two builds at once never see half a file
    tmp.write_bytes(raw)
    os.replace(tmp, path)
    return True


def cached(name: str, key: str) -> dict | None:
    f = CACHE / f"{name}.json"
    try:
        entry = json.loads(f.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return entry if entry.get("key") == key else None


def store(name: str, key: str, entry: dict) -> None:
    write_if_changed(CACHE / f"{name}.json", json.dumps({**entry, "key": key}, indent=1, allow_nan=True))
