"""A figure from a sweep's table: metrics against one swept parameter, one line per value of
another, mean and standard deviation over seeds (the same reading as the result window).

    python -m gui.sweep.plot sweep/ --x "B->B.rules.0.lam" --series "B->B.rules.1.tau_a_s" \\
        --metric "rate_hz[B - STDP + scaling]" --metric "rank_corr[B->B]" --out figure.png
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

SERIES_COLORS = ["#3a6fb5", "#d9603b", "#2a9d8f", "#8a4fb3", "#b23a48", "#e39b2d"]


def summarise(df, x: str, metric: str, series: str | None = None):
    """{series value: (x values, means, sds)} over the finished runs."""
    ok = df[df["status"] == "ok"]
    out = {}
    for key, part in (ok.groupby(series) if series else [(None, ok)]):
        g = part.groupby(x)[metric]
        out[key] = (np.array(g.mean().index, float), g.mean().to_numpy(float), g.std(ddof=0).to_numpy(float))
    return out


def render(df, x: str, metrics: list[str], series: str | None = None, size=(560, 300), title: str = ""):
    """A pyqtgraph GraphicsLayoutWidget with one plot per metric (log x when the values span >= 20x)."""
    import pyqtgraph as pg

    from ..plots.base import style_plot

    glw = pg.GraphicsLayoutWidget()
    glw.resize(size[0] * len(metrics), size[1])
    if title:
        glw.addLabel(title, row=0, col=0, colspan=len(metrics), size="10pt")
    for k, metric in enumerate(metrics):
        plot = style_plot(glw.addPlot(row=1, col=k), metric, None, x, None)
        if series and k == 0:  # one legend for all plots, bottom left
            plot.addLegend(offset=(8, -8), labelTextSize="8pt")
        data = summarise(df, x, metric, series)
        xs_all = np.concatenate([v[0] for v in data.values()]) if data else np.zeros(0)
        logx = bool(len(xs_all) and xs_all.min() > 0 and xs_all.max() / xs_all.min() >= 20)
        plot.setLogMode(x=logx)
        for i, (key, (xs, means, sds)) in enumerate(sorted(data.items(), key=lambda kv: kv[0] or 0)):
            colour = SERIES_COLORS[i % len(SERIES_COLORS)]
            name = f"{series.rsplit('.', 1)[-1]} = {key:g}" if series else None
            plot.plot(xs, means, pen=pg.mkPen(colour, width=2), symbol="o", symbolSize=7, symbolBrush=colour,
                      symbolPen=None, name=name)
            px = np.log10(xs) if logx else xs
            plot.addItem(pg.ErrorBarItem(x=px, y=means, height=2 * sds, pen=pg.mkPen(colour, width=1.2), beam=0))
    return glw


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m gui.sweep.plot", description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", help="the sweep's --out folder (with results.parquet)")
    ap.add_argument("--x", required=True, help="swept parameter on the horizontal axis")
    ap.add_argument("--series", help="swept parameter drawn as separate lines")
    ap.add_argument("--metric", action="append", required=True, help="table column to plot (repeat for more)")
    ap.add_argument("--title", default="")
    ap.add_argument("--out", required=True, help="PNG file to write")
    args = ap.parse_args(argv)
    import pandas as pd
    from PySide6.QtWidgets import QApplication

    try:
        df = pd.read_parquet(Path(args.folder) / "results.parquet")
    except (OSError, ValueError) as err:
        print(f"error: {args.folder}: cannot read results.parquet: {err}", file=sys.stderr)
        return 2
    missing = [c for c in [args.x, args.series, *args.metric] if c and c not in df]
    if missing:
        print(f"error: no column {missing[0]!r} in the table ({', '.join(df.columns[:12])}, ...)", file=sys.stderr)
        return 2
    app = QApplication.instance() or QApplication([])
    glw = render(df, args.x, args.metric, args.series, title=args.title)
    glw.show()
    app.processEvents()
    glw.grab().save(args.out)
    glw.close()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
