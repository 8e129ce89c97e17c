"""Checks that a schema cannot express: names, references, Dale's law, what each kind declares it
needs and constrains, derived sizes and memory.

They run on the parsed document (after the schema check), so every error names the JSON path
of the offending value.
"""
from __future__ import annotations

import math
import re

from . import derived, model
from .errors import CircuitError, join_path
from .metrics import METRICS
from .region_table import RegionTable, region_table
from .params import CAPABILITIES, FLOAT32_MAX, Context, Param, capabilities, kind, kinds
from .schema import NAME_PATTERN

_NAME = re.compile(NAME_PATTERN.removeprefix("^").removesuffix("$"))
MAX_INDEX_DIGITS = 9  # a rule index in a protocol path ("rules.<i>.eta"); no projection has a billion rules


def memory_limit_bytes() -> int:
    """Largest total allocation we agree to (see :func:`simcore.derived.memory_limit_bytes`)."""
    return derived.memory_limit_bytes()


def check_document(doc: dict, table: RegionTable | None = None) -> None:
    """Raise :class:`CircuitError` for the first semantic problem in a schema-valid document.

    Linear in the size of the document: every lookup goes through tables built once. ``table``:
    the document's regions as columns, when the caller has them (:mod:`simcore.region_table`).
    """
    regions = doc.get("regions", [])
    projections = doc.get("projections", [])
    ctx = Context(dt_ms=doc.get("settings", {}).get("dt_ms", 0.1))
    names: dict[str, str] = {}
    by_name: dict[str, dict] = {}
    neuron_kinds = kinds("neuron")
    # per model: the roles it allows and whether its parameters need checking (looked up once)
    per_model = {m: (frozenset(k.info["roles"]), bool(k.constraints or _weight_params(k)))
                 for m, k in neuron_kinds.items()}
    checked: set = set()
    if table is None:
        table = region_table(regions)
    index = _regions_pass(table, per_model) if table is not None else None
    if index is not None:
        names = index
        by_name = dict(zip(table.names, regions))
        _check_region_param_sets(table, neuron_kinds, per_model, ctx)
    else:
        _check_regions(regions, names, by_name, neuron_kinds, per_model, ctx)
    fullmatch = _NAME.fullmatch
    allowed_synapses = model.ALLOWED_SYNAPSES
    # per target model: the label when it is a source that takes no input (looked up once)
    no_input = {m: k.label for m, k in neuron_kinds.items() if k.info.get("source") and not k.info.get("accepts_input")}
    for i, p in enumerate(projections):  # paths are only spelled out for an error
        name, syn = p["name"], p["synapse"]
        if name in names or not fullmatch(name):
            _unique(names, name, f"$.projections[{i}].name")
        names[name] = f"$.projections[{i}].name"
        src, tgt = by_name.get(p["source"]), by_name.get(p["target"])
        if src is None or tgt is None:
            end = "source" if src is None else "target"
            raise CircuitError(f"$.projections[{i}].{end}", f"no region named {p[end]!r}")
        role = src["role"]
        if syn not in allowed_synapses[role]:
            raise CircuitError(f"$.projections[{i}].synapse", f"{_a(role)} {role} region cannot make {syn} synapses "
                                                              f"(Dale's law; allowed: {', '.join(allowed_synapses[role])})")
        if syn != "modulatory":
            if tgt["role"] == "modulatory":
                raise CircuitError(f"$.projections[{i}].target", f"{p['target']!r} is a modulatory signal and takes no "
                                                                 "synapses")
            if tgt["model"] in no_input:
                raise CircuitError(f"$.projections[{i}].target", f"{p['target']!r} is a {no_input[tgt['model']]} and "
                                                                 "takes no input")
        for comp in ("connectivity", "weights", "delay"):
            c = p.get(comp)
            if c is not None:
                given = c.get("params")
                key = (comp, c["kind"], frozenset(given.items()) if given else None)
                if key not in checked:  # many projections share their wiring, weights and delays
                    _check_kind(kind(comp, c["kind"]), model.complete(comp, c["kind"], given),
                                f"$.projections[{i}].{comp}.params", ctx)
                    checked.add(key)
        if p.get("rules"):
            _check_rules(p, f"$.projections[{i}]", src, tgt, by_name, ctx, checked)
    incoming: dict[str, list[dict]] | None = None
    naming = {m for m, k in neuron_kinds.items() if _region_params(k)}  # models with parameters naming a region
    for i, r in enumerate(() if table is not None and table.homeostasis is None and naming.isdisjoint(table.models)
                          else regions):
        if r["model"] in naming:
            _check_region_params(neuron_kinds[r["model"]], model.complete("neuron", r["model"], r.get("params")),
                                 f"$.regions[{i}].params", by_name)
        if r.get("homeostasis") is not None:
            if incoming is None:  # built once: a file may give thousands of regions a homeostat
                incoming = {}
                for p in projections:
                    incoming.setdefault(p["target"], []).append(p)
            _check_homeostasis(r, f"$.regions[{i}].homeostasis", incoming.get(r["name"], []))
    # ``names`` maps every region to its position (projections, checked above to join regions only,
    # map to their path): it is the region index derive() would otherwise build again
    sizes = derived.check(doc, index=names, table=table)
    _check_protocol(doc, names, by_name, ctx)
    _check_fork(doc, names, by_name, ctx)
    _check_expect(doc, names, by_name, {p["name"]: n for p, n in zip(projections, sizes.synapses)})
    for key in doc.get("layout", {}):
        if key not in by_name:
            raise CircuitError(join_path("$.layout", key), f"no region named {key!r}")


def _check_rules(p: dict, path: str, src: dict, tgt: dict, by_name: dict, ctx: Context, checked: set) -> None:
    """A projection's rules: the synapses and regions each kind needs, and its parameters. Each check
    depends only on the key it is filed under, so a file repeating a rule checks it once."""
    ends = {"source": (src, "source"), "target": (tgt, "target")}
    for j, rule in enumerate(p["rules"]):
        rpath = f"{path}.rules[{j}]"
        given = rule.get("params")
        key = ("rule", rule["kind"], p["synapse"], src["model"], tgt["model"],
               frozenset(given.items()) if given else None)
        if key in checked:
            continue
        rk = kind("rule", rule["kind"])
        allowed = rk.info.get("synapses", model.SYNAPSES)
        if p["synapse"] not in allowed:
            raise CircuitError(f"{rpath}.kind", f"{rk.label} does not apply to {p['synapse']} "
                                                f"synapses (allowed: {', '.join(allowed)})")
        models = rk.info.get("target_models")
        if models and tgt["model"] not in models:
            raise CircuitError(f"{rpath}.kind", f"{rk.label} needs a target region of model "
                                                f"{', '.join(models)}, not {tgt['model']}")
        for end, caps in rk.needs.items():
            region, word = ends[end]
            have = capabilities(kind("neuron", region["model"]))
            missing = [c for c in caps if c not in have]
            if missing:
                raise CircuitError(f"{rpath}.kind", f"{rk.label} needs a {word} region that "
                                                    f"{' and '.join(CAPABILITIES[c] for c in missing)}; "
                                                    f"{region['name']!r} is {_a(region['model'])} "
                                                    f"{kind('neuron', region['model']).label} region")
        params = model.complete("rule", rule["kind"], given)
        _check_kind(rk, params, f"{rpath}.params", ctx)
        _check_region_params(rk, params, f"{rpath}.params", by_name)
        checked.add(key)
    for j, rule in enumerate(p["rules"]):  # few rules scale their synapses: this check is not filed by key
        bounds = kind("rule", rule["kind"]).info.get("gain_bounds")
        if bounds:
            problem = gain_problem(model.complete("rule", rule["kind"], rule.get("params")), bounds, 1.0, p)
            if problem:
                raise CircuitError(f"{path}.rules[{j}].params.{problem[0]}", problem[1])


def _largest_weight(p: dict) -> float:
    """The largest initial weight of a projection, as its weights kind declares it (0 when it does not)."""
    w = p["weights"]
    largest = kind("weights", w["kind"]).info.get("largest")
    return float(largest(model.complete("weights", w["kind"], w.get("params")))) if largest else 0.0


def gain_problem(params: dict, bounds: tuple[str, str], exponent: float, p: dict) -> tuple[str, str] | None:
    """(parameter, reason) when the gain bound a scaling kind declares (``bounds``: the names of its
    lower and upper bound) lets the weights the kernel uses, weight x gain ** exponent, of projection
    ``p`` leave the float32 range; None otherwise (and when the bound is no bound: a lower bound of 0)."""
    which = bounds[1] if exponent > 0 else bounds[0]
    bound = params[which]
    if bound <= 0:
        return None
    try:
        gain = float(bound) ** exponent
    except OverflowError:
        gain = math.inf
    largest = _largest_weight(p)
    if not largest * gain > FLOAT32_MAX:
        return None
    return which, (f"{which} = {bound:g} lets the weights of {p['name']!r} reach {largest * gain:.3g} (largest initial "
                   f"weight {largest:g} x gain {gain:.3g}), beyond the float32 range ({FLOAT32_MAX:.4g})")


def _check_regions(regions: list, names: dict, by_name: dict, neuron_kinds: dict, per_model: dict,
                   ctx: Context) -> None:
    """Region by region, in file order: the first problem is the one reported (fills ``names``, region
    name -> position, and ``by_name``)."""
    checked: set = set()
    fullmatch = _NAME.fullmatch
    for i, r in enumerate(regions):  # the hot loop of a big file: paths are only built for an error
        name = r["name"]
        if name in names or not fullmatch(name):
            _unique(names, name, f"$.regions[{i}].name")
        names[name] = i  # the region's index: its path is only spelled out in an error message
        by_name[name] = r
        model_name = r["model"]
        roles, constrained = per_model[model_name]
        if r["role"] not in roles:
            k = neuron_kinds[model_name]
            raise CircuitError(f"$.regions[{i}].role", f"{_a(k.label)} {k.label} region cannot be {r['role']} "
                                                       f"(allowed: {', '.join(k.info['roles'])})")
        if constrained:
            given = r.get("params")
            key = (model_name, frozenset(given.items()) if given else None)
            if key not in checked:  # big files repeat the same parameters: check each set once
                k = neuron_kinds[model_name]
                params = k.defaults()
                params.update(given or ())
                _check_kind(k, params, f"$.regions[{i}].params", ctx)
                checked.add(key)


def _regions_pass(table: RegionTable, per_model: dict) -> dict | None:
    """Region name -> position when no region has a bad or repeated name or a role its model does not
    allow (checked by columns); None sends the file through :func:`_check_regions`, which names the
    first problem."""
    names = table.names
    if not table.names_match:
        return None
    index = dict(zip(names, range(len(names))))
    if len(index) != len(names):
        return None
    pairs = set(zip(table.models, table.roles))
    return index if all(m in per_model and role in per_model[m][0] for m, role in pairs) else None


def _check_region_param_sets(table: RegionTable, neuron_kinds: dict, per_model: dict, ctx: Context) -> None:
    """The declared constraints of each distinct (model, parameters) of the regions, once, in the order
    of their first region (whose path the message names), as :func:`_check_regions` would meet them."""
    models = table.models
    if table.params is None:
        firsts = [((m, None), models.index(m)) for m in dict.fromkeys(models)]
        given = None
    else:
        given = table.params
        frozen = [frozenset(g.items()) if g else None for g in given]
        n = len(models)
        # the last write of a key wins: reversed, that is the key's first region
        firsts = sorted(dict(zip(zip(reversed(models), reversed(frozen)), range(n - 1, -1, -1))).items(),
                        key=lambda s: s[1])
    for (model_name, _), i in firsts:
        if per_model[model_name][1]:
            k = neuron_kinds[model_name]
            params = k.defaults()
            params.update((given[i] if given is not None else None) or ())
            _check_kind(k, params, f"$.regions[{i}].params", ctx)

_WEIGHT_PARAMS: dict[int, tuple] = {}


def _weight_params(k) -> tuple:
    """The kind's weight-valued parameters (unit "w"), which must fit the float32 weight store."""
    got = _WEIGHT_PARAMS.get(id(k))
    if got is None:
        got = _WEIGHT_PARAMS[id(k)] = tuple(p for p in k.params if p.unit == "w" and p.type == "float")
    return got


def _check_kind(k, params: dict, path: str, ctx: Context) -> None:
    """The kind's declared constraints, and the float32 range of every weight-valued parameter."""
    for prm in _weight_params(k):
        if abs(params[prm.name]) > FLOAT32_MAX:
            raise CircuitError(f"{path}.{prm.name}", f"{prm.name} = {params[prm.name]:g} is beyond the float32 "
                                                     f"range of stored weights ({FLOAT32_MAX:.4g})")
    v = k.violation(params, ctx)
    if v:
        raise CircuitError(f"{path}.{v[0]}", v[1])


_REGION_PARAMS: dict[int, tuple] = {}


def _region_params(k) -> tuple:
    got = _REGION_PARAMS.get(id(k))
    if got is None:
        got = _REGION_PARAMS[id(k)] = tuple(p for p in k.params if p.type == "region")
    return got


def _check_region_params(k, params: dict, path: str, by_name: dict) -> None:
    """Parameters that name a region: the region exists and has what the parameter accepts."""
    for prm in _region_params(k):
        if not params[prm.name]:
            continue
        name = params[prm.name]
        if name not in by_name:
            raise CircuitError(f"{path}.{prm.name}", f"no region named {name!r}")
        rk = kind("neuron", by_name[name]["model"])
        missing = [c for c in prm.accepts if c not in capabilities(rk)]
        if missing:
            raise CircuitError(f"{path}.{prm.name}", f"{prm.name} must name a region that "
                                                     f"{' and '.join(CAPABILITIES[c] for c in missing)}; "
                                                     f"{name!r} is {_a(rk.label)} {rk.label} region")


def _check_expect(doc: dict, names: dict, by_name: dict, synapses: dict) -> None:
    st = doc.get("settings", {})
    dt = st.get("dt_ms", 0.1)
    duration = st.get("duration_s", 10.0)
    for i, e in enumerate(doc.get("expect", [])):
        if e["target"] not in names:
            raise CircuitError(f"$.expect[{i}].target", f"no region or projection named {e['target']!r}")
        if e.get("min") is not None and e.get("max") is not None and e["min"] > e["max"]:
            raise CircuitError(f"$.expect[{i}]", "min is larger than max")
        m = METRICS[e["metric"]]
        is_region = e["target"] in by_name
        if (m.applies_to == "region") != is_region:
            raise CircuitError(f"$.expect[{i}].metric", f"{e['metric']} is a {m.applies_to} metric, "
                                                        f"{e['target']!r} is a {'region' if is_region else 'projection'}")
        if m.applies_to == "projection" and synapses.get(e["target"], 1) == 0:
            raise CircuitError(f"$.expect[{i}].target", f"projection {e['target']!r} makes no synapses: "
                                                        f"{e['metric']} is undefined")
        if (e.get("from_s") is not None or e.get("to_s") is not None) and not m.windowed:
            raise CircuitError(f"$.expect[{i}]", f"{e['metric']} describes the end of the run; drop from_s/to_s")
        if e.get("from_s") is not None and e.get("to_s") is not None and e["from_s"] >= e["to_s"]:
            raise CircuitError(f"$.expect[{i}].to_s", "must be later than from_s")
        if e.get("branch") == "B" and doc.get("fork") is None:
            raise CircuitError(f"$.expect[{i}].branch", "a claim on branch B needs the circuit's 'fork'")
        _check_claim_input(i, e, m, by_name)
        _check_claim_reference(i, e, m, names, by_name)
        problem = claim_window_problem(e, doc.get("recording", {}), dt, duration)
        if problem:
            raise CircuitError(f"$.expect[{i}].{problem[0]}", problem[1])
    _check_io_view((doc.get("view") or {}).get("io_curve"), by_name)


def _check_io_view(io: dict | None, region_names) -> None:
    """The input-output plot of a view names two regions and phases that end after they start."""
    if not io:
        return
    for key in ("input", "target"):
        if io[key] not in region_names:
            raise CircuitError(f"$.view.io_curve.{key}", f"no region named {io[key]!r}")
    for i, ph in enumerate(io.get("phases", [])):
        if ph["from_s"] >= ph["to_s"]:
            raise CircuitError(f"$.view.io_curve.phases[{i}].to_s", "must be later than from_s")


def _check_claim_input(i: int, e: dict, m, region_names) -> None:
    """Input-output metrics need the region whose rate is their x axis; the others take none."""
    if m.needs_input:
        if not e.get("input"):
            raise CircuitError(f"$.expect[{i}].input", f"{e['metric']} needs the region whose rate is its input")
        if e["input"] not in region_names:
            raise CircuitError(f"$.expect[{i}].input", f"no region named {e['input']!r}")
    elif e.get("input"):
        raise CircuitError(f"$.expect[{i}].input", f"{e['metric']} is not an input-output metric; drop input")


def _check_claim_reference(i: int, e: dict, m, names, region_names) -> None:
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


def claim_window_problem(e: dict, recording: dict, dt_ms: float, duration_s: float) -> tuple[str, str] | None:
    """Why a windowed claim cannot be evaluated from what a run of ``duration_s`` keeps, or None."""
    m = METRICS[e["metric"]]
    if not m.windowed or (m.history == "at" and e.get("to_s") is None):
        return None
    return derived.claim_problem(e, recording, dt_ms, duration_s, m.history)


def homeostat_members(kind_name: str, params: dict, listed: list[str], incoming: list[tuple[str, str]]
                      ) -> list[tuple[str, float]]:
    """The projections a region's homeostat acts on, as ``(name, exponent)`` in circuit order.

    ``incoming`` is ``(name, synapse)`` of every projection onto the region. Listed projections must
    be ones the kind acts on (ValueError naming the first that is not); an empty list means every
    incoming projection it acts on (the kind's ``exponent`` capability says which, and how)."""
    hk = kind("homeostasis", kind_name)
    out = []
    wanted = set(listed)
    for name, synapse in incoming:
        if wanted and name not in wanted:
            continue
        e = hk.info["exponent"](synapse, params)
        if e is None:
            if listed:
                raise ValueError(f"{hk.label} does not act on {synapse} synapses with these parameters ({name!r})")
            continue
        out.append((name, e))
    return out


def _check_homeostasis(r: dict, path: str, projections: list[dict]) -> None:
    """``projections``: those onto the region."""
    h = r["homeostasis"]
    hk = kind("homeostasis", h["kind"])
    impl = kind("neuron", r["model"]).impl
    if hk.info.get("needs") == "spiking" and (impl is None or not impl.spiking):
        raise CircuitError(f"{path}.kind", f"{hk.label} senses spikes; {r['name']!r} is not a spiking region")
    incoming = [(p["name"], p["synapse"]) for p in projections]
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
    acted_on = dict(members)
    bounds = hk.info.get("gain_bounds")
    if bounds:
        for p in projections:
            if p["name"] in acted_on:
                problem = gain_problem(params, bounds, acted_on[p["name"]], p)
                if problem:
                    raise CircuitError(f"{path}.params.{problem[0]}", problem[1])
    for p in projections:
        if p["name"] in acted_on:
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
        where = names[name]
        where = f"$.regions[{where}].name" if isinstance(where, int) else where
        raise CircuitError(path, f"the name {name!r} is already used at {where}")
    names[name] = path


def _check_protocol(doc: dict, names: dict, regions: dict | None = None, ctx: Context | None = None) -> None:
    """Each event's target and value, and the constraints of the kind whose parameter it sets,
    evaluated on the parameters as they are at that time (events applied in time order).
    (The protocol table of the GUI calls this with ``doc`` and ``names`` only.)"""
    if regions is None:
        regions = {r["name"]: r for r in doc.get("regions", [])}
    if ctx is None:
        ctx = Context(dt_ms=doc.get("settings", {}).get("dt_ms", 0.1))
    projections = {p["name"]: p for p in doc.get("projections", [])}
    current: dict[tuple, dict] = {}  # (target, rule index or -1) -> parameters after the events so far
    events = sorted(enumerate(doc.get("protocol", [])), key=lambda ie: ie[1]["time_s"])
    for i, e in events:
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
            if not prm.live:
                raise CircuitError(f"{path}.param", f"{prm.name} cannot change during a run (it is fixed when "
                                                    "the simulation is built)")
            _check_set(regions, projections, current, t, e.get("param", ""), prm, e.get("value"), path, ctx)
        elif e["action"] == "reward":
            if t not in regions or "signal" not in capabilities(kind("neuron", regions[t]["model"])):
                raise CircuitError(f"{path}.target", f"reward goes to a modulatory signal, {t!r} is not one")
        elif t not in regions:
            raise CircuitError(f"{path}.target", f"{e['action']} needs a region, {t!r} is a projection")


def _check_fork(doc: dict, names: dict, regions: dict, ctx: Context) -> None:
    """The fork happens within the run, and each of its changes is a live parameter with a valid value
    (as a protocol "set" event at the fork time would be)."""
    f = doc.get("fork")
    if f is None:
        return
    duration = doc.get("settings", {}).get("duration_s", 10.0)
    if f.get("time_s", 0.0) >= duration:
        raise CircuitError("$.fork.time_s", f"{f['time_s']:g} s is not before the end of the run ({duration:g} s)")
    projections = {p["name"]: p for p in doc.get("projections", [])}
    seen = set()
    for i, ch in enumerate(f["changes"]):
        path = f"$.fork.changes[{i}]"
        if ch["target"] not in names:
            raise CircuitError(f"{path}.target", f"no region or projection named {ch['target']!r}")
        try:
            prm = param_at(regions, projections, ch["target"], ch["param"])
        except KeyError as err:
            raise CircuitError(f"{path}.param", str(err.args[0])) from None
        problem = prm.check(ch["value"])
        if problem:
            raise CircuitError(f"{path}.value", f"{prm.name} {problem}")
        if not prm.live:
            raise CircuitError(f"{path}.param", f"{prm.name} cannot change during a run (it is fixed when the "
                                                "simulation is built)")
        if (ch["target"], ch["param"]) in seen:
            raise CircuitError(f"{path}.param", f"{ch['target']}.{ch['param']} is already changed above")
        seen.add((ch["target"], ch["param"]))


def _check_set(regions, projections, current, target, param, prm, value, path, ctx) -> None:
    if prm.name == "enabled" and prm.type == "bool" and param.endswith(".enabled"):
        return
    if target in regions:
        key, k, family, given = (target, -1), kind("neuron", regions[target]["model"]), "neuron", regions[target]
    else:
        idx = int(param.split(".")[1])
        rule = projections[target]["rules"][idx]
        key, k, family, given = (target, idx), kind("rule", rule["kind"]), "rule", rule
    params = current.get(key)
    if params is None:
        params = current[key] = model.complete(family, k.name, given.get("params"))
    params[prm.name] = value
    if prm.type == "region":
        try:
            _check_region_params(k, {prm.name: value, **{q.name: "" for q in k.params if q.type == "region"
                                                         and q.name != prm.name}}, path, regions)
        except CircuitError as err:
            raise CircuitError(f"{path}.value", err.reason) from None
        return
    if prm.unit == "w" and prm.type == "float" and abs(value) > FLOAT32_MAX:
        raise CircuitError(f"{path}.value", f"{prm.name} = {value:g} is beyond the float32 range of stored "
                                            f"weights ({FLOAT32_MAX:.4g})")
    bounds = k.info.get("gain_bounds") if family == "rule" else None
    if bounds and prm.name in bounds:
        problem = gain_problem(params, bounds, 1.0, projections[target])
        if problem:
            raise CircuitError(f"{path}.value", f"after this event {problem[1]}")
    v = k.violation(params, ctx, touched=prm.name)
    if v:
        raise CircuitError(f"{path}.value", f"after this event {v[1]}")


def live_change_problem(k, params: dict, name: str, value, dt_ms: float) -> str | None:
    """Why setting ``name`` to ``value`` during a run would break a constraint the kind declares."""
    merged = dict(params)
    merged[name] = value
    if any(p.name == name for p in _weight_params(k)) and abs(value) > FLOAT32_MAX:
        return f"{name} = {value:g} is beyond the float32 range of stored weights ({FLOAT32_MAX:.4g})"
    v = k.violation(merged, Context(dt_ms=dt_ms), touched=name)
    return v[1] if v else None


_PARAMS_OF: dict[int, dict] = {}
_ENABLED = Param("enabled", True, type="bool")


def _params_of(k) -> dict:
    """A kind's parameters by name (kinds are registered once and never change)."""
    d = _PARAMS_OF.get(id(k))
    if d is None:
        d = _PARAMS_OF[id(k)] = {p.name: p for p in k.params}
    return d


def param_at(regions: dict, projections: dict, target: str, param: str):
    """The declaration of the parameter a "set" path points at (raises KeyError with a reason).

    Paths: ``<param>``, ``homeostasis.<param>`` or ``homeostasis.enabled`` of a region; ``rules.<i>.<param>`` or
    ``rules.<i>.enabled`` of a projection.
    """
    parts = param.split(".") if param else []
    shown = param if len(param) <= 60 else param[:57] + "..."
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
        if len(parts) == 1 and parts[0] in _params_of(k):
            return _params_of(k)[parts[0]]
        raise KeyError(f"{shown!r} is not a parameter of {_a(k.label)} {k.label} region ({', '.join(k.param_names())})")
    p = projections[target]
    if (len(parts) == 3 and parts[0] == "rules" and parts[1].isascii() and parts[1].isdigit()
            and len(parts[1]) <= MAX_INDEX_DIGITS):
        rules = p.get("rules", [])
        idx = int(parts[1])
        if idx >= len(rules):
            raise KeyError(f"projection {target!r} has no rule {idx}")
        if parts[2] == "enabled":
            return _ENABLED
        rk = kind("rule", rules[idx]["kind"])
        if parts[2] in _params_of(rk):
            return _params_of(rk)[parts[2]]
        raise KeyError(f"{parts[2]!r} is not a parameter of {rk.label}")
    raise KeyError(f"{shown!r} is not a settable path of a projection (use rules.<i>.<param> or rules.<i>.enabled)")
