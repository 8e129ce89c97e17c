"""Protocol events and live actions, one path for every backend: ``set``, ``reward``, ``block``."""
from __future__ import annotations

from typing import Any

from ..errors import CircuitError


def apply_event(sim, action: str, target: str, param: str = "", value: Any = 0.0) -> None:
    """Apply one action to ``sim`` (anything with ``set``, ``reward``, ``block``, ``t`` and ``fired``)
    and log it in ``sim.fired`` as (time, words)."""
    if action == "set":
        sim.set(f"{target}.{param}", value)
        text = f"{target}.{param} = {value}"
    elif action == "reward":
        sim.reward(target, float(value))
        text = f"reward {value:g} -> {target}"
    elif action in ("block", "unblock"):
        sim.block(target, action == "block")
        text = f"{action} {target}"
    else:
        raise CircuitError("$.protocol", f"unknown action {action!r}")
    sim.fired.append((sim.t, text))
