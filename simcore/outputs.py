"""What a run writes, checked before the run and written safely: output paths, strict JSON, names.

A simulation can take hours; an output path that cannot be written must be refused before it
starts, not after (the results would be lost). Summaries are strict JSON (RFC 8259 has no NaN or
Infinity): an undefined statistic is ``null`` with the reason beside it. File names reach the
terminal escaped, so a newline cannot split a one-line error and escape sequences do nothing.
"""
from __future__ import annotations

import math
import os
import stat
from pathlib import Path
from typing import Any

from .errors import CircuitError


def printable(x: Any) -> str:
    """``str(x)`` with control characters (newlines, ANSI escapes, DEL, C1) and unpaired surrogates
    escaped, so that it prints on one line and does nothing to the terminal."""
    s = os.fsdecode(x) if isinstance(x, (bytes, os.PathLike)) else str(x)
    out = []
    for ch in s:
        o = ord(ch)
        if o < 0x20 or 0x7F <= o < 0xA0 or 0xD800 <= o < 0xE000 or ch in "\u2028\u2029":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch) or
                       (f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}"))
        else:
            out.append(ch)
    return "".join(out)


def check_output_path(path: str, option: str) -> Path:
    """Refuse an output path that cannot be written, before any work is done (one line, naming
    the option). The file itself is not created."""
    if path is None or str(path) == "":
        raise CircuitError(option, "needs a file name")
    p = Path(path)
    shown = printable(path)
    if str(path).endswith(os.sep) or (os.altsep and str(path).endswith(os.altsep)):
        raise CircuitError(option, f"{shown} names a folder, not a file")
    try:
        st = p.stat()
    except FileNotFoundError:
        st = None
    except OSError as err:
        raise CircuitError(option, f"cannot write {shown}: {err.strerror or err}") from None
    except ValueError as err:  # an embedded NUL byte
        raise CircuitError(option, f"cannot write {shown}: {err}") from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise CircuitError(option, f"{shown} is a folder; give a file name inside it")
        if not stat.S_ISREG(st.st_mode):
            raise CircuitError(option, f"{shown} is not a regular file")
        if not os.access(p, os.W_OK):
            raise CircuitError(option, f"cannot write {shown}: permission denied")
    parent = p.resolve().parent if p.is_symlink() else (p.parent if str(p.parent) else Path("."))
    if not parent.exists():
        raise CircuitError(option, f"cannot write {shown}: folder {printable(parent)} does not exist")
    if not parent.is_dir():
        raise CircuitError(option, f"cannot write {shown}: {printable(parent)} is not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise CircuitError(option, f"cannot write {shown}: folder {printable(parent)} is not writable")
    _probe(p, option, shown)
    return p


def _probe(p: Path, option: str, shown: str) -> None:
    """Create and remove the temp file a save would create: the only test that also holds for root,
    read-only file systems and pseudo file systems such as /proc."""
    from .io import _create_temp

    try:
        fd, tmp = _create_temp(p)
    except OSError as err:
        raise CircuitError(option, f"cannot write {shown}: {err.strerror or err}") from None
    os.close(fd)
    try:
        os.unlink(tmp)
    except OSError:
        pass


def output_error(option: str, path: str, err: BaseException) -> CircuitError:
    """An error while writing an output, as one line."""
    reason = getattr(err, "strerror", None) or str(err) or type(err).__name__
    return CircuitError(option, f"cannot write {printable(path)}: {printable(' '.join(str(reason).split()))}")


# -- strict JSON --------------------------------------------------------------------------------

def strict(x: Any, reasons: dict[str, str] | None = None, key: str = "") -> Any:
    """A copy of ``x`` with every non-finite float replaced by None (JSON null) and numpy scalars and
    arrays turned into Python values. ``reasons`` maps a key to why its value is undefined; a
    dict that gets a null also gets ``"<key>_undefined": reason``."""
    try:
        import numpy as np
    except ImportError:  # pragma: no cover
        np = None
    if np is not None:
        if isinstance(x, np.ndarray):
            x = x.tolist()
        elif isinstance(x, np.generic):
            x = x.item()
    if isinstance(x, float):
        return x if math.isfinite(x) else None
    if isinstance(x, dict):
        out = {}
        for k, v in x.items():
            sv = strict(v, reasons, k)
            out[k] = sv
            if sv is None and isinstance(v, float):  # numpy float64 is a float too
                out[f"{k}_undefined"] = _why(k, v, x, reasons)
        return out
    if isinstance(x, (list, tuple)):
        return [strict(v, reasons, key) for v in x]
    return x


def _why(key: str, value: float, entry: dict, reasons: dict[str, str] | None) -> str:
    if reasons and key in reasons:
        return reasons[key]
    if math.isinf(value):
        return "overflowed (the value is infinite)"
    if entry.get("n_synapses") == 0:
        return "the projection has no synapses"
    if key == "w_cv":
        return "the mean weight is 0"
    if key in ("rank_corr",):
        return "the weights are constant (ranks are undefined)"
    if key in ("logw_skew", "ratio_spread"):
        return "too few positive weights"
    if key == "scale_factor":
        return "no synapse had a positive weight at the start"
    if key == "rate_hz":
        return "the run simulated no time"
    return "undefined for this run"


def summary_json(summary: dict) -> str:
    """The summary as strict JSON text (null + reason where a statistic is undefined)."""
    import json

    reasons = {}
    if not summary.get("duration_s"):
        reasons["rate_hz"] = "the run simulated no time"
    return json.dumps(strict(summary, reasons), indent=2, allow_nan=False) + "\n"
