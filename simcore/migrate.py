"""Upgrade circuit documents written by older versions of Synaptica, one version at a time.

Each migration takes the parsed JSON of version N and returns version N + 1. A file from a newer
version is refused with a clear message instead of being half-understood.
"""
from __future__ import annotations

import json

from .errors import CircuitError, join_path
from .schema import FORMAT, VERSION


def _v0_to_v1(doc: dict) -> dict:
    """Version 0 (the 2026 draft) keyed regions and projections by name and kept the
    settings at top level as ``dt`` (ms), ``seed`` and ``duration`` (s)."""
    out = {k: v for k, v in doc.items() if k not in ("dt", "seed", "duration", "regions", "projections")}
    settings = dict(doc["settings"]) if isinstance(doc.get("settings"), dict) else {}
    for old, new in (("dt", "dt_ms"), ("seed", "seed"), ("duration", "duration_s")):
        if old in doc:
            settings[new] = doc[old]
    if settings:
        out["settings"] = settings
    for key in ("regions", "projections"):
        items = doc.get(key, {})
        if isinstance(items, dict):
            for name, body in items.items():
                if not isinstance(body, dict):
                    raise CircuitError(join_path(f"$.{key}", name), f"should be an object, not {_json_type(body)}")
            out[key] = [{"name": name, **body} for name, body in items.items()]
        else:
            out[key] = items
    out["version"] = 1
    return out


MIGRATIONS = {0: _v0_to_v1}


def migrate(doc: object) -> dict:
    """Bring a parsed document to the current version, or raise :class:`CircuitError`."""
    if not isinstance(doc, dict):
        raise CircuitError("$", f"a circuit file holds a JSON object, not {_json_type(doc)}")
    if doc.get("format") != FORMAT:
        if "format" not in doc:
            raise CircuitError("$", f"missing 'format': this is not a Synaptica circuit file (expected format {FORMAT!r})")
        raise CircuitError("$.format", f"is {doc.get('format')!r}, expected {FORMAT!r}")
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        if "version" not in doc:
            raise CircuitError("$", "missing required field 'version'")
        raise CircuitError("$.version", f"{_short(version)} is not a whole number")
    if version > VERSION:
        raise CircuitError("$.version", f"file version {version} is newer than this Synaptica reads "
                                        f"(up to {VERSION}); please update Synaptica")
    if version < 0:
        raise CircuitError("$.version", f"version {version} does not exist")
    while version < VERSION:
        doc = MIGRATIONS[version](doc)
        version = doc["version"]
    return doc


def _short(x: object) -> str:
    s = repr(x) if isinstance(x, str) else json.dumps(x)
    return s if len(s) <= 40 else s[:37] + "..."


def _json_type(x: object) -> str:
    return {list: "an array", str: "a string", int: "a number", float: "a number", bool: "a boolean",
            type(None): "null"}.get(type(x), type(x).__name__)


def per_neuron_scaling(doc: dict) -> dict:
    """Replace per-projection ``scaling`` rules by one per-neuron homeostat of their target region.

    Opt-in (not applied on load): a region whose incoming excitatory projections carry scaling rules
    with one and the same set of parameters gets ``homeostasis`` (kind ``scaling``) with those
    parameters, listing the projections when not all of its excitatory inputs had one, and the rules
    are removed. The dynamics are the same (each per-projection sensor counted the same spikes), up to
    the order of rules within a step when scaling was not a projection's last rule. Regions whose
    rules disagree keep them: they describe pathway-specific homeostats, which stay valid."""
    out = json.loads(json.dumps(doc))
    for r in out.get("regions", []):
        if r.get("homeostasis") is not None:
            continue
        incoming = [p for p in out.get("projections", []) if p["target"] == r["name"] and p["synapse"] == "excitatory"]
        scaled = [(p, i) for p in incoming for i, rule in enumerate(p.get("rules", [])) if rule["kind"] == "scaling"]
        if not scaled or len({p["name"] for p, _ in scaled}) != len(scaled):
            continue
        params = [json.dumps(p["rules"][i].get("params", {}), sort_keys=True) for p, i in scaled]
        enabled = {p["rules"][i].get("enabled", True) for p, i in scaled}
        if len(set(params)) != 1 or len(enabled) != 1:
            continue
        from .model import complete

        h = {"kind": "scaling", "enabled": enabled.pop(),
             "params": complete("homeostasis", "scaling", scaled[0][0]["rules"][scaled[0][1]].get("params", {}))}
        if len(scaled) != len(incoming):
            h["projections"] = [p["name"] for p, _ in scaled]
        r["homeostasis"] = h
        for p, i in scaled:
            p["rules"].pop(i)
            for e in out.get("protocol", []):  # events keep pointing at the same rule
                parts = e.get("param", "").split(".")
                if e["target"] == p["name"] and len(parts) == 3 and parts[0] == "rules" and parts[1].isdigit():
                    if int(parts[1]) == i:
                        e["target"], e["param"] = r["name"], f"homeostasis.{parts[2]}"
                    elif int(parts[1]) > i:
                        e["param"] = f"rules.{int(parts[1]) - 1}.{parts[2]}"
    return out
