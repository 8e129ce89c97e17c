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
BYTES_PER_SYNAPSE = 24  # weight, target, source index, delay slot, two permutation indices


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
    for i, r in enumerate(regions):
        if r.get("homeostasis") is not None:
            _check_homeostasis(r, f"$.regions[{i}].homeostasis", projections)
    _check_memory(total, sum(sizes.values()))
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
    for key in doc.get("layout", {}):
        if key not in region_names:
            raise CircuitError(join_path("$.layout", key), f"no region named {key!r}")


def homeostat_members(kind_name: str, params: dict, listed: list[str], incoming: list[tuple[str, str]]
                      ) -> list[tuple[str, float]]:
    """The projections a region's homeostat acts on, as ``(name, exponent)`` in circuit order.

    ``incoming`` is ``(name, synapse)`` of every projection onto the region. Listed projections must
    be ones the kind acts on (ValueError naming the first that is not); an empty list means every
    incoming projection it acts on (the kind's ``exponent`` capability says which, and how)."""
    hk = kind("homeostasis", kind_name)
    out = []
    for name, synapse in incoming:
        if listed and name not in listed:
            continue
        e = hk.info["exponent"](synapse, params)
        if e is None:
            if listed:
                raise ValueError(f"{hk.label} does not act on {synapse} synapses with these parameters ({name!r})")
            continue
        out.append((name, e))
    return out


def _check_homeostasis(r: dict, path: str, projections: list[dict]) -> None:
    h = r["homeostasis"]
    hk = kind("homeostasis", h["kind"])
    impl = kind("neuron", r["model"]).impl
    if hk.info.get("needs") == "spiking" and (impl is None or not impl.spiking):
        raise CircuitError(f"{path}.kind", f"{hk.label} senses spikes; {r['name']!r} is not a spiking region")
    incoming = [(p["name"], p["synapse"]) for p in projections if p["target"] == r["name"]]
    names = {n for n, _ in incoming}
    for j, name in enumerate(h.get("projections", [])):
        if name not in names:
            raise CircuitError(f"{path}.projections[{j}]", f"no projection named {name!r} onto {r['name']!r}")
    params = model.complete("homeostasis", h["kind"], h.get("params"))
    try:
        members = homeostat_members(h["kind"], params, h.get("projections", []), incoming)
    except ValueError as err:
        raise CircuitError(f"{path}.projections", str(err)) from None
    if not members:
        raise CircuitError(path, f"{hk.label} of {r['name']!r} acts on no projection (none onto it is excitatory)")
    for p in projections:
        if p["name"] in dict(members):
            for j, rule in enumerate(p.get("rules", [])):
                if kind("rule", rule["kind"]).impl is not None and kind("rule", rule["kind"]).impl.uses_gain:
                    raise CircuitError(f"{path}.projections", f"{p['name']!r} has its own {kind('rule', rule['kind']).label} "
                                       f"rule (rules[{j}]); a synapse takes one scaling factor: remove one of them")


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


def _check_memory(synapses: float, neurons: int) -> None:
    need = synapses * BYTES_PER_SYNAPSE + neurons * 64
    limit = memory_limit_bytes()
    if need > limit:
        raise CircuitError("$.projections", f"circuit too large: about {synapses:.3g} synapses need "
                                            f"~{need / 2**30:.1f} GiB, above the limit of {limit / 2**30:.1f} GiB "
                                            "(set SYNAPTICA_MAX_MEMORY_GB to change it)")


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

    Paths: ``<param>``, ``homeostasis.<param>`` or ``homeostasis.enabled`` of a region; ``rules.<i>.<param>`` or
    ``rules.<i>.enabled`` of a projection.
    """
    from .params import Param

    parts = param.split(".") if param else []
    if target in regions and parts[:1] == ["homeostasis"]:
        h = regions[target].get("homeostasis")
        if h is None:
            raise KeyError(f"region {target!r} has no homeostasis")
        hk = kind("homeostasis", h["kind"])
        if len(parts) == 2 and parts[1] == "enabled":
            return Param("enabled", True, type="bool")
        if len(parts) == 2 and parts[1] in hk.param_names():
            return hk.param(parts[1])
        raise KeyError(f"{'.'.join(parts[1:])!r} is not a parameter of {hk.label} ({', '.join(hk.param_names())})")
    if target in regions:
        k = kind("neuron", regions[target]["model"])
        if len(parts) == 1 and parts[0] in k.param_names():
            return k.param(parts[0])
        raise KeyError(f"{param!r} is not a parameter of {_a(k.label)} {k.label} region ({', '.join(k.param_names())})")
    p = projections[target]
    if len(parts) == 3 and parts[0] == "rules" and parts[1].isascii() and parts[1].isdigit():
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
