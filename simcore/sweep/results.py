"""The sweep's table: one row per run, read back from ``runs/<key>.json``, written as Parquet + CSV.

Rows are stored one file per run as soon as the run ends, so an interrupted sweep keeps what
finished and a rerun (resume) knows what is left; the table is assembled from them.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from ..io import to_dict

LEAD = ("status", "seed")
TAIL = ("wall_s", "sim_wall_s", "duration_s", "error", "recordings", "key", "worker_pid")


@lru_cache(maxsize=1)
def engine_version() -> str:
    """The package version plus a digest of the engine and component sources: results of an
    engine that computes differently never count as already done."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        v = version("synaptica")
    except PackageNotFoundError:
        v = "0"
    pkg = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for f in sorted([*pkg.glob("engine/*.py"), *pkg.glob("neurons/*.py"), *pkg.glob("rules/*.py"),
                     pkg / "connectivity.py", pkg / "model.py"]):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return f"{v}+{h.hexdigest()[:12]}"


def run_key(circuit, point: dict, seed: int, duration_s: float) -> str:
    """Hash of what determines a run: the circuit (with the point applied; its drawing left out),
    the swept values, the seed, the duration and the engine version."""
    doc = to_dict(circuit)
    for k in ("layout", "view", "title", "description"):
        doc.pop(k, None)
    blob = json.dumps({"circuit": doc, "point": point, "seed": int(seed), "duration_s": float(duration_s),
                       "engine": engine_version()}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def finished(runs_dir: Path, key: str) -> dict | None:
    """The stored row of a run that finished successfully, or None."""
    f = runs_dir / f"{key}.json"
    try:
        row = json.loads(f.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    npz = runs_dir / f"{key}.npz"
    return row if row.get("status") == "ok" and npz.exists() else None


def table(rows: list[dict], param_columns: list[str]):
    """Rows as a DataFrame: parameters first, then seed and status, measurements, bookkeeping."""
    import pandas as pd

    df = pd.DataFrame(rows)
    if df.empty:
        return pd.DataFrame(columns=[*param_columns, *LEAD, *TAIL])
    for c in ("error", "recordings"):
        if c not in df:
            df[c] = ""
    df["error"] = df["error"].fillna("")
    first = [c for c in [*param_columns, *LEAD] if c in df]
    last = [c for c in TAIL if c in df]
    middle = [c for c in df.columns if c not in first and c not in last]
    return df[first + middle + last].reset_index(drop=True)


def write(df, out: Path) -> tuple[Path, Path]:
    """``results.parquet`` and ``results.csv`` in ``out`` (written whole, then renamed)."""
    import os

    out.mkdir(parents=True, exist_ok=True)
    pq, csv = out / "results.parquet", out / "results.csv"
    df.to_parquet(str(pq) + ".tmp", engine="pyarrow", index=False)
    os.replace(str(pq) + ".tmp", pq)
    df.to_csv(str(csv) + ".tmp", index=False)
    os.replace(str(csv) + ".tmp", csv)
    return pq, csv
