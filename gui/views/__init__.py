"""Views of how homeostasis and plasticity cooperate, beyond the basic live plots.

* :class:`~.rule_contrib.RuleContributionPanel`: per projection, the cumulative weight change split
  by rule (STDP versus scaling versus normalisation ...), stacked over time.
* :class:`~.kymograph.KymographPanel`: the weight distribution over time as an image.
* :class:`~.delta_w.DeltaWPanel`: the W(t) - W(0) matrix of a projection, sorted by index (input
  groups) or by initial weight, so targeted strengthening shows as a block.
* :class:`~.ei_balance.EIBalancePanel`: excitatory and inhibitory input of a region, their ratio and
  running correlation (the co-tuning of Vogels et al. 2011 as a live number).
* :class:`~.ab.ABPanel`: fork the simulation into a branch B that differs by one change, run both,
  see them overlaid.

Each draws from display frames only (simcore.engine.frames), exports PNG/SVG and its data as CSV
(:mod:`.export`), and is added to the live view by :func:`install`.
"""
from __future__ import annotations

from PySide6.QtCore import Qt


def panels() -> dict:
    from .delta_w import DeltaWPanel
    from .ei_balance import EIBalancePanel
    from .kymograph import KymographPanel
    from .rule_contrib import RuleContributionPanel

    return {"What each rule did": RuleContributionPanel(), "Weight kymograph": KymographPanel(),
            "W(t) − W(0)": DeltaWPanel(), "E/I balance": EIBalancePanel()}


def install(live, docks: dict) -> None:
    """Add the views to ``live.panels`` and dock them as tabs beside the weight and activity plots."""
    win = live.win
    new = panels()
    live.panels.update(new)
    for name, panel in new.items():
        docks[name] = win.add_dock(name, panel, Qt.BottomDockWidgetArea)
    win.tabifyDockWidget(docks["Tracked synapses"], docks["What each rule did"])
    win.tabifyDockWidget(docks["What each rule did"], docks["Weight kymograph"])
    win.tabifyDockWidget(docks["Weight kymograph"], docks["W(t) − W(0)"])
    win.tabifyDockWidget(docks["Membrane potential"], docks["E/I balance"])
    from .ab import ABPanel

    ab = live.panels["A/B fork"] = ABPanel(live)
    docks["A/B fork"] = win.add_dock("A/B fork", ab, Qt.BottomDockWidgetArea)
    win.tabifyDockWidget(docks["E/I balance"], docks["A/B fork"])
    held = {"panel": ab}  # the second branch's worker stops with the window, like the first
    win.destroyed.connect(lambda *_: held["panel"].worker_b and held["panel"].worker_b.stop(1.0))
