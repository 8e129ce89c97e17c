"""Checks that a schema cannot express: names, references, Dale's law, sizes, memory.

They run on the parsed document (after the schema check), so every error names the JSON path
of the offending value.
"""
from __future__ import annotations

import os
import re

from . import model
from .connectivity import expected_synapses
from .errors import CircuitError, join_path
from .metrics import METRICS
from .params import kind
from .schema import NAME_PATTERN

_NAME = re.compile(NAME_PATTERN.removeprefix("^").removesuffix("$"))

# (lower, upper) parameter pairs that must be ordered wherever a kind declares both
RANGE_PAIRS = (("v_reset", "v_th"), ("v_init_low", "v_init_high"), ("low", "high"), ("low_ms", "high_ms"))


def memory_limit_bytes() -> int:
    """Largest synapse store we agree to allocate: SYNAPTICA_MAX_MEMORY_GB, else half the RAM."""
    env = os.environ.get("SYNAPTICA_MAX_MEMORY_GB")
    if env:
        try:
            gb = float(env)
        except ValueError:
            gb = float("nan")
        if not (gb > 0 and gb < 2**40):
            raise CircuitError("$", f"SYNAPTICA_MAX_MEMORY_GB={env!r} is not a positive number of GiB")
        return int(gb * 2**30)
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        return 8 * 2**30


def check_document(doc: dict) -> None:
    """Raise :class:`CircuitError` for the first semantic problem in a schema-valid document."""
    regions = doc.get("regions", [])
    projections = doc.get("projections", [])
    names: dict[str, str] = {}
    sizes: dict[str, int] = {}
    roles: dict[str, str] = {}
    region_models: dict[str, str] = {}
    for i, r in enumerate(regions):
        path = f"$.regions[{i}]"
        _unique(names, r["name"], f"{path}.name")
        sizes[r["name"]] = r["size"]
        region_models[r["name"]] = r["model"]
        roles[r["name"]] = r["role"]
        k = kind("neuron", r["model"])
        if r["role"] not in k.info["roles"]:
            raise CircuitError(f"{path}.role", f"{_a(k.label)} {k.label} region cannot be {r['role']} "
                                               f"(allowed: {', '.join(k.info['roles'])})")
        params = model.complete("neuron", r["model"], r.get("params"))
        _check_ranges(params, path + ".params", RANGE_PAIRS)
    region_names = set(sizes)
    total = 0.0
    for i, p in enumerate(projections):
        path = f"$.projections[{i}]"
        _unique(names, p["name"], f"{path}.name")
        for end in ("source", "target"):
            if p[end] not in region_names:
                raise CircuitError(f"{path}.{end}", f"no region named {p[end]!r}")
        role = roles[p["source"]]
        if p["synapse"] not in model.ALLOWED_SYNAPSES[role]:
            raise CircuitError(f"{path}.synapse", f"{_a(role)} {role} region cannot make {p['synapse']} synapses "
                                                  f"(Dale's law; allowed: {', '.join(model.ALLOWED_SYNAPSES[role])})")
        if roles[p["target"]] == "modulatory" and p["synapse"] != "modulatory":
            raise CircuitError(f"{path}.target", f"{p['target']!r} is a modulatory signal and takes no synapses")
        tk = kind("neuron", region_models[p["target"]])
        if tk.info.get("source") and not tk.info.get("accepts_input") and p["synapse"] != "modulatory":
            raise CircuitError(f"{path}.target", f"{p['target']!r} is a {tk.label} and takes no input")
        for comp in ("connectivity", "weights", "delay"):
            if comp in p:
                c = p[comp]
                _check_ranges(model.complete(comp, c["kind"], c.get("params")), f"{path}.{comp}.params",
                              RANGE_PAIRS)
        for j, rule in enumerate(p.get("rules", [])):
            rk = kind("rule", rule["kind"])
            allowed = rk.info.get("synapses", model.SYNAPSES)
            if p["synapse"] not in allowed:
                raise CircuitError(f"{path}.rules[{j}].kind", f"{rk.label} does not apply to {p['synapse']} "
                                                              f"synapses (allowed: {', '.join(allowed)})")
            models = rk.info.get("target_models")
            tgt_model = next((r["model"] for r in regions if r["name"] == p["target"]), None)
            if models and tgt_model not in models:
                raise CircuitError(f"{path}.rules[{j}].kind", f"{rk.label} needs a target region of model "
                                                              f"{', '.join(models)}, not {tgt_model}")
            params = model.complete("rule", rule["kind"], rule.get("params"))
            for prm in rk.params:
                if prm.type == "region" and params[prm.name] and params[prm.name] not in region_names:
                    raise CircuitError(f"{path}.rules[{j}].params.{prm.name}", f"no region named {params[prm.name]!r}")
        c = p["connectivity"]
        n = expected_synapses(c["kind"], sizes[p["source"]], sizes[p["target"]],
                              model.complete("connectivity", c["kind"], c.get("params")))
        total += n
    for i, r in enumerate(regions):
        params = model.complete("neuron", r["model"], r.get("params"))
        for prm in kind("neuron", r["model"]).params:
            if prm.type == "region" and params[prm.name] and params[prm.name] not in region_names:
                raise CircuitError(f"$.regions[{i}].params.{prm.name}", f"no region named {params[prm.name]!r}")
    _check_protocol(doc, names)
    for i, e in enumerate(doc.get("expect", [])):
        if e["target"] not in names:
            raise CircuitError(f"$.expect[{i}].target", f"no region or projection named {e['target']!r}")
        if e.get("min") is not None and e.get("max") is not None and e["min"] > e["max"]:
            raise CircuitError(f"$.expect[{i}]", "min is larger than max")
        m = METRICS[e["metric"]]
        is_region = e["target"] in {r["name"] for r in regions}
        if (m.applies_to == "region") != is_region:
            raise CircuitError(f"$.expect[{i}].metric", f"{e['metric']} is a {m.applies_to} metric, "
                                                        f"{e['target']!r} is a {'region' if is_region else 'projection'}")
        if (e.get("from_s") is not None or e.get("to_s") is not None) and not m.windowed:
            raise CircuitError(f"$.expect[{i}]", f"{e['metric']} describes the end of the run; drop from_s/to_s")
        if e.get("from_s") is not None and e.get("to_s") is not None and e["from_s"] >= e["to_s"]:
            raise CircuitError(f"$.expect[{i}].to_s", "must be later than from_s")
        _check_claim_input(i, e, m, regions)
        _check_claim_reference(i, e, m, names, {r["name"] for r in regions})
    _check_io_view(doc.get("view", {}).get("io_curve"), region_names)
    for key in doc.get("layout", {}):
        if key not in region_names:
            raise CircuitError(join_path("$.layout", key), f"no region named {key!r}")
    _check_memory(doc)


def _check_io_view(io: dict | None, region_names: set) -> None:
    """The input-output plot of a view names two regions and phases that end after they start."""
    if not io:
        return
    for key in ("input", "target"):
        if io[key] not in region_names:
            raise CircuitError(f"$.view.io_curve.{key}", f"no region named {io[key]!r}")
    for i, ph in enumerate(io.get("phases", [])):
        if ph["from_s"] >= ph["to_s"]:
            raise CircuitError(f"$.view.io_curve.phases[{i}].to_s", "must be later than from_s")


def _check_claim_input(i: int, e: dict, m, regions: list[dict]) -> None:
    """Input-output metrics need the region whose rate is their x axis; the others take none."""
    if m.needs_input:
        if not e.get("input"):
            raise CircuitError(f"$.expect[{i}].input", f"{e['metric']} needs the region whose rate is its input")
        if e["input"] not in {r["name"] for r in regions}:
            raise CircuitError(f"$.expect[{i}].input", f"no region named {e['input']!r}")
    elif e.get("input"):
        raise CircuitError(f"$.expect[{i}].input", f"{e['metric']} is not an input-output metric; drop input")


def _check_claim_reference(i: int, e: dict, m, names: set, region_names: set) -> None:
    """A relative claim divides by the same metric of a target of the same kind over a valid window."""
    ref = e.get("ref_target")
    if ref:
        if ref not in names:
            raise CircuitError(f"$.expect[{i}].ref_target", f"no region or projection named {ref!r}")
        if (ref in region_names) != (e["target"] in region_names):
            raise CircuitError(f"$.expect[{i}].ref_target", f"{e['metric']} is a {m.applies_to} metric, "
                                                            f"{ref!r} is not {_a(m.applies_to)} {m.applies_to}")
    lo, hi = e.get("ref_from_s"), e.get("ref_to_s")
    if (lo is not None or hi is not None) and not m.windowed:
        raise CircuitError(f"$.expect[{i}]", f"{e['metric']} describes the end of the run; drop ref_from_s/ref_to_s")
    if lo is not None and hi is not None and lo >= hi:
        raise CircuitError(f"$.expect[{i}].ref_to_s", "must be later than ref_from_s")


def _a(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _unique(names: dict, name: str, path: str) -> None:
    if not _NAME.fullmatch(name):  # the schema's pattern lets a trailing newline through ("$")
        raise CircuitError(path, f"{name!r} is not a valid name (letters, digits, space, _ - < > +; "
                                 "at most 64 characters)")
    if name in names:
        raise CircuitError(path, f"the name {name!r} is already used at {names[name]}")
    names[name] = path


def _check_ranges(params: dict, path: str, pairs) -> None:
    for lo, hi in pairs:
        if lo in params and hi in params and params[lo] > params[hi]:
            raise CircuitError(f"{path}.{lo}", f"{lo} ({params[lo]:g}) is larger than {hi} ({params[hi]:g})")


def _check_memory(doc: dict) -> None:
    """Refuse a circuit whose run would need more memory than the limit: every array the engine
    allocates, counted from the description (simcore.engine.memory)."""
    from .engine.memory import check
    from .io import _build

    check(_build(doc), memory_limit_bytes())


def _check_protocol(doc: dict, names: dict) -> None:
    regions = {r["name"]: r for r in doc.get("regions", [])}
    projections = {p["name"]: p for p in doc.get("projections", [])}
    for i, e in enumerate(doc.get("protocol", [])):
        path = f"$.protocol[{i}]"
        t = e["target"]
        if t not in names:
            raise CircuitError(f"{path}.target", f"no region or projection named {t!r}")
        if e["action"] == "set":
            try:
                prm = param_at(regions, projections, t, e.get("param", ""))
            except KeyError as err:
                raise CircuitError(f"{path}.param", str(err.args[0])) from None
            problem = prm.check(e.get("value"))
            if problem:
                raise CircuitError(f"{path}.value", f"{prm.name} {problem}")
        elif e["action"] == "reward":
            if t not in regions or regions[t]["role"] != "modulatory":
                raise CircuitError(f"{path}.target", f"reward goes to a modulatory region, {t!r} is not one")
        elif t not in regions:
            raise CircuitError(f"{path}.target", f"{e['action']} needs a region, {t!r} is a projection")


def param_at(regions: dict, projections: dict, target: str, param: str):
    """The declaration of the parameter a "set" path points at (raises KeyError with a reason).

    Paths: ``<param>`` of a region; ``rules.<i>.<param>`` or
    ``rules.<i>.enabled`` of a projection.
    """
    from .params import Param

    parts = param.split(".") if param else []
    if target in regions:
        k = kind("neuron", regions[target]["model"])
        if len(parts) == 1 and parts[0] in k.param_names():
            return k.param(parts[0])
        raise KeyError(f"{param!r} is not a parameter of {_a(k.label)} {k.label} region ({', '.join(k.param_names())})")
    p = projections[target]
    if len(parts) == 3 and parts[0] == "rules" and parts[1].isascii() and parts[1].isdigit():
        if len(parts[1]) > 6:  # int() of thousands of digits raises; no circuit has a million rules
            raise KeyError(f"projection {target!r} has no rule {parts[1][:8]}…")
        rules = p.get("rules", [])
        idx = int(parts[1])
        if idx >= len(rules):
            raise KeyError(f"projection {target!r} has no rule {idx}")
        if parts[2] == "enabled":
            return Param("enabled", True, type="bool")
        rk = kind("rule", rules[idx]["kind"])
        if parts[2] in rk.param_names():
            return rk.param(parts[2])
        raise KeyError(f"{parts[2]!r} is not a parameter of {rk.label}")
    raise KeyError(f"{param!r} is not a settable path of a projection (use rules.<i>.<param> or rules.<i>.enabled)")
