"""Protocol events in words, for an audience: the engine logs ``Input.rate_hz = 5.0``; the Demonstration
dock's timeline and the presentation banner say ``Input rate halved (10 → 5 Hz)``. No Qt here."""
from __future__ import annotations

import re

import simcore


def _num(value: str):
    try:
        return float(value)
    except ValueError:
        return None


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def _switched_on(value: str) -> bool:
    return value.strip() in ("True", "1", "1.0")


def _change(old, new) -> str:
    if old is None or new is None or old == 0 or new == old:
        return ""
    f = new / old
    for ratio, word in ((0.5, "halved"), (2.0, "doubled"), (0.25, "quartered"), (10.0, "×10"), (0.1, "÷10")):
        if abs(f - ratio) < 1e-9:
            return word
    return f"{(f - 1) * 100:+.0f}%"


class EventWords:
    """Turns the engine's event log lines (``Input.rate_hz = 5.0``, ``reward 1 -> Dopamine``, ``block X``)
    into sentences for an audience (``Input rate halved (10 → 5 Hz)``), remembering earlier values."""

    def __init__(self, circuit: simcore.Circuit):
        self.circuit = circuit
        self.values: dict[tuple[str, str], float] = {}
        self.names = sorted([r.name for r in circuit.regions] + [p.name for p in circuit.projections],
                            key=len, reverse=True)

    def _old(self, target: str, param: str):
        if (target, param) in self.values:
            return self.values[(target, param)]
        try:
            return float(self.circuit.region(target).params[param])
        except Exception:
            return None

    def _rule_label(self, proj: str, index: int) -> str:
        try:
            rule = self.circuit.projection(proj).rules[index]
            return simcore.kind("rule", rule.kind).label
        except Exception:
            return f"rule {index + 1}"

    def __call__(self, text: str) -> str:
        m = re.match(r"reward (\S+) -> (.+)$", text)
        if m:
            return f"{m.group(2)}: reward" + ("" if _num(m.group(1)) == 1.0 else f" ×{m.group(1)}")
        m = re.match(r"(block|unblock) (.+)$", text)
        if m:
            return f"{m.group(2)} {'blocked' if m.group(1) == 'block' else 'unblocked'}"
        for name in self.names:
            if text.startswith(name + ".") and " = " in text:
                param, value = text[len(name) + 1:].split(" = ", 1)
                return self._param(name, param, value)
        return text

    def _param(self, target: str, param: str, value: str) -> str:
        m = re.match(r"rules\.(\d+)\.enabled$", param)
        if m:
            on = _switched_on(value)
            return f"{target}: {self._rule_label(target, int(m.group(1)))} switched {'on' if on else 'off'}"
        if param == "gate":
            return f"{target}: gate {'opened' if _switched_on(value) else 'closed'}"
        new = _num(value)
        old = self._old(target, param)
        if new is not None:
            self.values[(target, param)] = new
        if param == "rate_hz" and new is not None:
            how = _change(old, new)
            was = f"{_fmt(old)} → " if old is not None else ""
            return f"{target} rate {how + ' ' if how else 'set '}({was}{_fmt(new)} Hz)".replace("set (", "set to (")
        return f"{target}: {param} = {_fmt(new) if new is not None else value}"


def fmt_time(t: float) -> str:
    return f"{t:.2f}".rstrip("0").rstrip(".")


def protocol_lines(circuit: simcore.Circuit) -> list[str]:
    """The protocol as a timeline; runs of the same event are merged (``t = 6.1–23.85 s: … ×72``)."""
    words = EventWords(circuit)
    rows: list[list] = []  # [t_first, t_last, text, count]
    for ev in sorted(circuit.protocol, key=lambda e: e.time_s):
        if ev.action == "reward":
            raw = f"reward {ev.value:g} -> {ev.target}"
        elif ev.action in ("block", "unblock"):
            raw = f"{ev.action} {ev.target}"
        else:
            raw = f"{ev.target}.{ev.param} = {ev.value}"
        text = words(raw)
        if rows and rows[-1][2] == text:
            rows[-1][1] = ev.time_s
            rows[-1][3] += 1
        else:
            rows.append([ev.time_s, ev.time_s, text, 1])
    out = []
    for t0, t1, text, n in rows:
        when = f"t = {fmt_time(t0)} s" if n == 1 else f"t = {fmt_time(t0)}–{fmt_time(t1)} s"
        out.append(f"{when}: {text}" + (f" (×{n})" if n > 1 else ""))
    return out
