"""The parameter reference (Markdown), generated from the declarations like the schema.

``python main.py docs`` rewrites ``resources/parameters.md``; a test keeps it up to date.
"""
from __future__ import annotations

from pathlib import Path

from . import model
from .metrics import METRICS
from .params import CAPABILITIES, Kind, Param, kinds

DOCS_PATH = Path(__file__).resolve().parent.parent / "resources" / "parameters.md"

FAMILY_TITLES = {
    "neuron": "Neuron models and sources (`regions[].model`)",
    "connectivity": "Connectivity (`projections[].connectivity`)",
    "weights": "Weight initialisation (`projections[].weights`)",
    "delay": "Delays (`projections[].delay`)",
    "rule": "Plasticity and inhibition rules (`projections[].rules[]`)",
    "homeostasis": "Homeostats of a region's neurons across its inputs (`regions[].homeostasis`)",
}


def _row(p: Param) -> str:
    if p.type == "choice":
        kind_ = " / ".join(f"`{c}`" for c in p.choices)
    elif p.type == "region":
        kind_ = "region name"
    else:
        kind_ = p.type + (p.bounds_text().replace(" range ", " in ") if p.bounds_text() else "")
    live = "yes" if p.live else "on reset"
    return f"| `{p.name}` | {p.unit or '-'} | `{p.default!r}` | {kind_} | {live} | {p.help} |"


def _table(params: tuple[Param, ...]) -> list[str]:
    if not params:
        return ["No parameters.", ""]
    return ["| parameter | unit | default | type and bounds | live | meaning |",
            "|---|---|---|---|---|---|", *map(_row, params), ""]


def _kind(k: Kind) -> list[str]:
    out = [f"### `{k.name}`: {k.label}", "", k.help, ""]
    info = []
    if "roles" in k.info:
        info.append("roles: " + ", ".join(k.info["roles"]))
    if "synapses" in k.info:
        info.append("applies to synapses: " + ", ".join(k.info["synapses"]))
    if k.info.get("target_models"):
        info.append("target models: " + ", ".join(k.info["target_models"]))
    for end, caps in k.needs.items():
        info.append(f"needs a {end} region that " + " and ".join(CAPABILITIES[c].split(" (")[0] for c in caps))
    for p in k.params:
        if p.accepts:
            info.append(f"{p.name} names a region that " + " and ".join(CAPABILITIES[c].split(" (")[0] for c in p.accepts))
    if k.constraints:
        info.append("constraints: " + ", ".join(c.describe() for c in k.constraints))
    if info:
        out += ["*" + "; ".join(info) + "*", ""]
    return out + _table(k.params)


def docs_text() -> str:
    lines = ["# Synaptica parameter reference", "",
             "Generated from the parameter declarations in `simcore/` by `python main.py docs`; do not edit.",
             "The same declarations generate the file schema (`circuit.schema.json`) and the inspector widgets.",
             "'live' parameters can change while a simulation runs; the others apply on reset.", "",
             "## Simulation settings (`settings`)", "", *_table(model.SETTINGS_PARAMS),
             "## Recording (`recording`)", "", *_table(model.RECORDING_PARAMS)]
    for family, title in FAMILY_TITLES.items():
        lines += [f"## {title}", ""]
        for k in kinds(family).values():
            lines += _kind(k)
    lines += ["## Metrics for `expect` claims", "", "| metric | of | over a window | meaning |", "|---|---|---|---|"]
    lines += [f"| `{m.name}` | {m.applies_to} | {'yes' if m.windowed else 'no'} | {m.help} |" for m in METRICS.values()]
    lines += ["", "Input-output metrics (`io_gain`, `io_threshold`) name the region whose rate is their x axis in the "
              "claim's `input`. A claim with `ref_target` and/or `ref_from_s` / `ref_to_s` is on a ratio: its value "
              "divided by the same metric of `ref_target` (default: its target) over the reference window "
              "(default: its own window)."]
    return "\n".join(lines) + "\n"


def write_docs(path: Path = DOCS_PATH) -> Path:
    from .io import atomic_write_text

    atomic_write_text(Path(path), docs_text())
    return Path(path)
