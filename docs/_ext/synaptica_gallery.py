"""The gallery: one page per demonstration, written by the build from ``circuits/demos/*.json``.

For every demo file the build runs the circuit headless exactly as ``synaptica run FILE --check``
does (public :class:`simcore.Simulation`, the file's seed and duration, the claims evaluated by
:func:`simcore.engine.expect.evaluate`), plots the recorded rates and weights with matplotlib and
writes ``docs/demos/<name>.md``: title, what to watch, the science and the papers it names, the claims
with the values measured in that run, the app's screenshot and the plot. A new demo file therefore
gets its page by itself; a claim that fails is a build warning (an error under ``-W``).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from sphinx.util import logging

from synaptica_build import ROOT, DOCS, cached, store, tree_hash, write_if_changed

logger = logging.getLogger(__name__)

DEMOS = ROOT / "circuits" / "demos"
OUT = DOCS / "demos"            # generated pages (not in version control)
IMG = OUT / "_img"
GALLERY = ROOT / "resources" / "gallery"      # the README's screenshots, reused when present
# "van Rossum, Bi & Turrigiano 2000", "Vogels, Sprekeler et al. 2011", "Hebb 1949"
CITATION = re.compile(r"\b((?:(?:van|de|von|da) )?[A-Z][A-Za-z'\-]+(?:(?:,| &| and) (?:(?:van|de|von) )?"
                      r"[A-Z][A-Za-z'\-]+)*(?: et al\.)?,? (?:1[89]|20)\d\d[a-z]?)\b")
NOT_AUTHORS = {"At", "In", "From", "Until", "Since", "After", "Before", "Up", "Year"}


# -- running a demo ---------------------------------------------------------------------------

def run_demo(path: Path) -> dict:
    """Run the demo as ``run --check`` does and keep what its page shows (plain JSON data)."""
    import numpy as np

    import simcore
    from simcore.fork import branch_of, evaluate, measure, run_branches

    circuit = simcore.load(path)
    t0 = time.perf_counter()
    sims = run_branches(circuit)  # the file's seed, like `synaptica run`; both branches of a fork
    wall = time.perf_counter() - t0
    sim = sims["A"]
    summary = {"duration_s": circuit.settings.duration_s}
    claims = []
    for e, (ok, line) in zip(circuit.expect, evaluate(circuit, sims)):
        value = measure(sims, e)
        claims.append({"ok": ok, "line": line, "metric": e.metric, "target": e.target, "min": e.min,
                       "max": e.max, "from_s": e.from_s, "to_s": e.to_s, "note": e.note,
                       "value": value if np.isfinite(value) else None, "branch": branch_of(e)})
    rates = sim.rates.values()
    stats = {p: sim.stats[p].values()[:, :2].tolist() for p in sim.projection_names}
    out = {"claims": claims, "wall_s": wall, "seed": sim.seed, "duration_s": summary["duration_s"],
           "regions": sim.region_names, "rates": rates.tolist(), "stats": stats,
           "rate_bin_ms": circuit.recording.rate_bin_ms}
    if "B" in sims:  # the fork's second branch, drawn dashed beside A
        b = sims["B"]
        out.update(rates_b=b.rates.values().tolist(), labels=[circuit.fork.label_a, circuit.fork.label_b],
                   stats_b={p: b.stats[p].values()[:, :2].tolist() for p in b.projection_names})
    return out


def plot_run(circuit, run: dict, target: Path) -> None:
    """Population rates (smoothed) with the claimed bands, and the mean weight of each plastic projection."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    import simcore

    rates = np.asarray(run["rates"]).reshape(-1, 1 + len(run["regions"]))
    t = rates[:, 0]
    k = max(1, int(round(200.0 / run["rate_bin_ms"])))  # 200 ms boxcar
    claimed = {c["target"] for c in run["claims"] if c["metric"] == "rate_hz"}
    shown = [i for i, r in enumerate(circuit.regions)
             if not simcore.kind("neuron", r.model).info.get("source") or r.name in claimed]
    plastic = [p.name for p in circuit.projections if p.rules]
    rows = 2 if plastic else 1
    fig, axes = plt.subplots(rows, 1, figsize=(9, 2.9 * rows), sharex=True, squeeze=False, dpi=110)
    ax = axes[0, 0]
    colours = {}
    forked = "rates_b" in run
    tag = {b: f" ({b}: {label})" for b, label in zip("AB", run.get("labels", ("", "")))} if forked else {"A": ""}
    box = np.ones(k)  # a centred boxcar, renormalised at both ends (no dip at the edges)
    for i in shown:
        name = run["regions"][i]
        y = np.convolve(rates[:, 1 + i], box, mode="same") / np.convolve(np.ones(len(t)), box, mode="same")
        (line,) = ax.plot(t, y, lw=1.3, label=name + tag["A"])
        colours[name] = line.get_color()
    if forked:
        rb = np.asarray(run["rates_b"]).reshape(-1, 1 + len(run["regions"]))
        for i in shown:
            name = run["regions"][i]
            y = np.convolve(rb[:, 1 + i], box, mode="same") / np.convolve(np.ones(len(rb)), box, mode="same")
            ax.plot(rb[:, 0], y, lw=1.3, ls="--", color=colours[name], label=name + tag["B"])
    for c in run["claims"]:
        if c["metric"] != "rate_hz" or c["target"] not in colours:
            continue
        lo = c["min"] if c["min"] is not None else 0.0
        hi = c["max"] if c["max"] is not None else lo
        a = c["from_s"] or 0.0
        b = c["to_s"] if c["to_s"] is not None else t[-1] if len(t) else 0.0
        ax.fill_between([a, b], [lo, lo], [hi, hi], color=colours[c["target"]], alpha=0.18, lw=0,
                        hatch="//" if c.get("branch") == "B" else None)  # a claim on the fork's branch B
    peaks = [float(np.nanmax(rates[:, 1 + i])) for i in shown if len(t)]
    if peaks and max(peaks) > 100 and min(peaks) < 0.2 * max(peaks):  # a runaway control beside the others
        ax.set_yscale("symlog", linthresh=10.0)
    ax.set_ylabel("rate (Hz)")
    ax.set_title("Population rates (200 ms smoothing); shaded: the claimed range over its window", fontsize=9)
    if shown:
        ax.legend(fontsize=8, loc="best", ncol=min(4, len(shown)))
    if plastic:
        ax2 = axes[1, 0]
        for p in plastic:
            s = np.asarray(run["stats"][p]).reshape(-1, 2)
            (line,) = ax2.plot(s[:, 0], s[:, 1], lw=1.3, label=p + tag["A"])
            if forked:
                sb = np.asarray(run["stats_b"][p]).reshape(-1, 2)
                ax2.plot(sb[:, 0], sb[:, 1], lw=1.3, ls="--", color=line.get_color(), label=p + tag["B"])
        ws = np.concatenate([np.asarray(run["stats"][p]).reshape(-1, 2)[:, 1] for p in plastic])
        ws = ws[np.isfinite(ws) & (ws > 0)]
        if ws.size and ws.max() / ws.min() > 30:  # weights of very different sizes, or a runaway
            ax2.set_yscale("log")
        ax2.set_ylabel("mean weight")
        ax2.set_title("Mean effective weight of each plastic projection", fontsize=9)
        ax2.legend(fontsize=8, loc="best", ncol=min(3, len(plastic)))
    _mark_events(axes[:, 0], circuit.protocol)
    axes[-1, 0].set_xlabel("time (s)")
    fig.tight_layout()
    target.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(target)
    plt.close(fig)


def _mark_events(axes, protocol) -> None:
    """Dotted lines at the protocol's events, labelled once at the top. An event repeated many times
    (a reward after every cue) becomes one row of ticks with one label instead of a wall of lines."""
    groups: dict[str, list[float]] = {}
    for e in protocol:
        groups.setdefault(_event_text(e).split(": ", 1)[1], []).append(e.time_s)
    labels: dict[float, list[str]] = {}
    top = axes[0]
    for what, times in groups.items():
        if len(times) > 4:
            for ax in axes:
                ax.plot(times, [1.0] * len(times), "|", color="0.35", ms=6, transform=ax.get_xaxis_transform(),
                        clip_on=False)
            labels.setdefault(times[0], []).append(f"{what} ×{len(times)} ({times[0]:g}–{times[-1]:g} s)")
        else:
            for t in times:
                for ax in axes:
                    ax.axvline(t, color="0.4", ls=":", lw=1)
                labels.setdefault(t, []).append(what)
    for k, (t, texts) in enumerate(sorted(labels.items())):
        label = "; ".join(texts)
        label = label if len(label) <= 60 else label[:59] + "…"
        top.annotate(label, (t, 0.97 - 0.09 * (k % 3)), xycoords=("data", "axes fraction"), xytext=(3, 0),
                     textcoords="offset points", fontsize=7, va="top", ha="left", color="0.2",
                     bbox={"boxstyle": "square,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85})
    for ax in axes:
        ax.grid(alpha=0.25)


def screenshot(path: Path, circuit, target: Path) -> None:
    """The README's gallery picture when there is one, else the app photographs itself now."""
    shipped = GALLERY / f"{path.stem}.png"
    if shipped.exists():
        write_if_changed(target, shipped.read_bytes())
        return
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    cmd = [sys.executable, str(ROOT / "main.py"), str(path), "--run", f"{circuit.settings.duration_s:g}s",
           "--screenshot", str(target)]
    r = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    if r.returncode != 0 or not target.exists():
        logger.warning(f"{path.name}: the window screenshot failed: {r.stderr.strip()[-500:]}")


# -- writing the page -------------------------------------------------------------------------

def _event_text(e) -> str:
    if e.action == "set":
        return f"{e.time_s:g} s: {e.target}.{e.param} = {e.value}"
    return f"{e.time_s:g} s: {e.action} {e.target}" + (f" {e.value:g}" if e.action == "reward" else "")


def _num(x) -> str:
    return "–" if x is None else f"{x:.4g}"


def _window(c: dict) -> str:
    if c["from_s"] is None and c["to_s"] is None:
        return "end of run" if c["metric"] != "rate_hz" else "whole run"
    if c["to_s"] is None:
        return f"after {c['from_s']:g} s"
    return f"{c['from_s'] or 0:g}–{c['to_s']:g} s"


def _required(c: dict) -> str:
    if c["min"] is not None and c["max"] is not None:
        return f"{c['min']:g} … {c['max']:g}"
    return f"≥ {c['min']:g}" if c["min"] is not None else f"≤ {c['max']:g}"


def citations(*texts: str) -> list[str]:
    """Author-year references named in free text, in order of appearance, without repeats."""
    out: list[str] = []
    for text in texts:
        for m in CITATION.finditer(text or ""):
            ref = m.group(1)
            if ref.split()[0].strip(",") in NOT_AUTHORS or ref in out:
                continue
            out.append(ref)
    return out


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def page(path: Path, circuit, raw: dict, run: dict) -> str:
    import simcore

    name = path.stem
    view = circuit.view or {}
    title = circuit.title or circuit.name
    rules = []
    for p in circuit.projections:
        for r in p.rules:
            if r.kind not in rules:
                rules.append(r.kind)
    rule_kinds = [simcore.kind("rule", r) for r in rules]
    models = []
    for r in circuit.regions:
        if r.model not in models:
            models.append(r.model)
    # optional fields a demo may carry besides its description (top level or in "view")
    extra = {k: raw.get(k, (raw.get("view") or {}).get(k)) for k in ("science", "paper", "reference", "references")}
    refs = []
    for key in ("paper", "reference", "references"):
        v = extra[key]
        refs += [v] if isinstance(v, str) else [str(x) for x in v] if isinstance(v, list) else []
    refs += [c for c in citations(circuit.description, extra["science"] or "", *(k.help for k in rule_kinds))
             if not any(c in r for r in refs)]
    n_ok = sum(c["ok"] for c in run["claims"])
    lines = [
        f"(demo-{name})=",
        f"# {title}",
        "",
        f"```{{figure}} _img/{name}-window.png",
        f":alt: Synaptica running {name}",
        "",
        f"The app on this demo after its {circuit.settings.duration_s:g} s run "
        f"(`synaptica circuits/demos/{name}.json --run {circuit.settings.duration_s:g}s --screenshot …`).",
        "```",
        "",
        "## What to watch",
        "",
        view.get("explanation") or circuit.description,
        "",
        "## The science",
        "",
        circuit.description,
        "",
    ]
    if extra["science"]:
        lines += [str(extra["science"]), ""]
    if rule_kinds:
        lines += ["The rules at work, as their declarations describe them:", ""]
        lines += [f"- **{k.label}** (`{k.name}`): {k.help}" for k in rule_kinds]
        lines += [""]
    if refs:
        lines += ["**Papers:** " + "; ".join(refs) + ".", ""]
    lines += [
        "## The claims, measured",
        "",
        f"Measured while these pages were built: one headless run of {run['duration_s']:g} s of biological "
        f"time, seed {run['seed']}, {run['wall_s']:.1f} s of wall time; {n_ok} of {len(run['claims'])} claims hold.",
        "",
        "| claim | quantity | window | required | measured | |",
        "|---|---|---|---|---|---|",
    ]
    for c in run["claims"]:
        lines.append(f"| {_cell(c['note'] or '')} | `{c['target']}.{c['metric']}` | {_window(c)} | {_required(c)} "
                     f"| {_num(c['value'])} | {'✓' if c['ok'] else '**✗ fails**'} |")
    lines += [
        "",
        "The same check from the command line prints these lines (the claims evaluated by the same code):",
        "",
        "```console",
        f"$ synaptica run circuits/demos/{name}.json --check --quiet",
        *[("PASS " if c["ok"] else "FAIL ") + c["line"] for c in run["claims"]],
        "```",
        "",
        "## From the run",
        "",
        f"```{{figure}} _img/{name}-run.png",
        f":alt: rates and weights of {name}",
        "",
        "Recorded in the run above; dotted lines: the protocol's events.",
        "```",
        "",
        "## The circuit",
        "",
        "| region | model | size | role |",
        "|---|---|---|---|",
        *[f"| {_cell(r.name)} | {simcore.kind('neuron', r.model).label} | {r.size:,} | {r.role} |"
          for r in circuit.regions],
        "",
    ]
    if circuit.projections:
        lines += ["| projection | synapse | connectivity | weights | rules |", "|---|---|---|---|---|"]
        for p in circuit.projections:
            conn = simcore.kind("connectivity", p.connectivity.kind).label
            w = simcore.kind("weights", p.weights.kind).label
            rl = ", ".join(simcore.kind("rule", r.kind).label + ("" if r.enabled else " (off)") for r in p.rules)
            lines.append(f"| {_cell(p.name)} | {p.synapse} | {_cell(conn)} | {_cell(w)} | {_cell(rl) or '–'} |")
        lines += [""]
    if circuit.protocol:
        lines += ["Protocol:", ""] + [f"- {_cell(_event_text(e))}" for e in circuit.protocol] + [""]
    lines += [
        f"Models: {', '.join(f'`{m}`' for m in models)}"
        + (f"; rules: {', '.join(f'`{r}`' for r in rules)}" if rules else "")
        + " (see the [parameter reference](../reference/parameters.md)). "
        f"Download {{download}}`{name}.json <../../circuits/demos/{name}.json>` and open it with "
        f"`synaptica circuits/demos/{name}.json`, or File > Demonstrations… in the app.",
        "",
    ]
    return "\n".join(lines)


def index_page(entries: list[tuple[str, str, str, int, int]]) -> str:
    lines = [
        "# Demonstrations",
        "",
        "Each demonstration is a circuit in `circuits/demos/` that states its claim in an `expect` block. "
        "These pages are generated from those files by the documentation build, which runs every demo "
        "headless and reports the measured values; a new file in `circuits/demos/` gets its page by itself.",
        "",
    ]
    for name, title, summary, ok, n in entries:
        lines += [f"## [{title}]({name}.md)", "", f"{summary} *{ok} of {n} claims hold in this build.*", "",
                  f"```{{image}} _img/{name}-window.png", f":alt: {name}", ":width: 640px", "```", ""]
    lines += ["```{toctree}", ":hidden:", ":glob:", "", "*", "```", ""]
    return "\n".join(lines)


# -- the build hook -----------------------------------------------------------------------------

def generate(app) -> None:
    import simcore

    sys.path.insert(0, str(ROOT))
    from gui.demo.catalog import first_sentence  # plain text helper; the catalog module imports no Qt

    engine_key = tree_hash(ROOT / "simcore")
    plot_code = tree_hash(Path(__file__))
    entries = []
    files = sorted(DEMOS.glob("*.json"))
    for path in files:
        name = path.stem
        try:
            circuit = simcore.load(path)
        except simcore.CircuitError as err:
            logger.warning(f"demo not documented: {err}")
            continue
        raw = json.loads(path.read_text(encoding="utf-8"))
        key = tree_hash(path) + engine_key
        run = cached(f"demo-{name}", key)
        if run is None:
            logger.info(f"[gallery] running {name} ({circuit.settings.duration_s:g} s)")
            run = run_demo(path)
            store(f"demo-{name}", key, run)
        plot = IMG / f"{name}-run.png"
        if cached(f"plot-{name}", key + plot_code) is None or not plot.exists():
            plot_run(circuit, run, plot)
            store(f"plot-{name}", key + plot_code, {})
        shot = IMG / f"{name}-window.png"
        if (GALLERY / f"{name}.png").exists() or not shot.exists():
            screenshot(path, circuit, shot)
        for c in run["claims"]:
            if not c["ok"]:
                logger.warning(f"{path.name}: claim fails in the docs build: {c['line']}")
        write_if_changed(OUT / f"{name}.md", page(path, circuit, raw, run))
        entries.append((name, circuit.title or name, first_sentence(circuit.description),
                        sum(c["ok"] for c in run["claims"]), len(run["claims"])))
    write_if_changed(OUT / "index.md", index_page(entries))
    keep = {f"{e[0]}.md" for e in entries} | {"index.md"}
    for stale in OUT.glob("*.md"):  # a demo file was removed or renamed: its page goes too
        if stale.name not in keep:
            stale.unlink()
    for stale in IMG.glob("*.png"):
        if stale.name.rsplit("-", 1)[0] not in {e[0] for e in entries}:
            stale.unlink()


def setup(app):
    app.connect("builder-inited", generate)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}

