"""Property test: every valid circuit survives save -> load and dumps -> loads exactly.

The strategy derives everything from the declarations (``simcore.kinds()``, each Param's type,
bounds and choices, ``model.ALLOWED_SYNAPSES``, each rule's ``info['synapses']``), so a new neuron
model, rule or parameter is covered without touching this file.
"""
from __future__ import annotations

import dataclasses
import math
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import simcore
from simcore import model
from simcore.io import MAX_INT
from simcore.errors import CircuitError
from simcore.params import Ordered, Param, capabilities, kinds
from simcore.schema import LAYOUT_LIMIT, NAME_PATTERN

# -- strategies ---------------------------------------------------------------------------------

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
NAMES = st.from_regex(NAME_PATTERN.removeprefix("^").removesuffix("$"), fullmatch=True)

FINITE = st.floats(allow_nan=False, allow_infinity=False)
POSITION = st.floats(-LAYOUT_LIMIT, LAYOUT_LIMIT)  # canvas coordinates are bounded (a view must show them)
JSON_LEAVES = st.none() | st.booleans() | st.integers(-MAX_INT, MAX_INT) | FINITE | TEXT
JSON_VALUES = st.recursive(JSON_LEAVES, lambda kids: st.lists(kids, max_size=3)
                           | st.dictionaries(TEXT, kids, max_size=3), max_leaves=8)


def param_values(p: Param, region_names: list[str]) -> st.SearchStrategy:
    """Values a declared parameter accepts, drawn from its own type, bounds and choices."""
    if p.type == "bool":
        return st.booleans()
    if p.type == "choice":
        return st.sampled_from(p.choices)
    if p.type == "region":
        return st.sampled_from(["", *region_names])
    if p.type == "int":
        lo = -MAX_INT if p.min is None else math.ceil(p.min) + (1 if p.exclusive_min and float(p.min).is_integer() else 0)
        hi = MAX_INT if p.max is None else math.floor(p.max) - (1 if p.exclusive_max and float(p.max).is_integer() else 0)
        return st.integers(lo, hi)
    return st.floats(min_value=p.min, max_value=p.max, exclude_min=p.exclusive_min and p.min is not None,
                     exclude_max=p.exclusive_max and p.max is not None, allow_nan=False, allow_infinity=False)


def all_params(draw, params: tuple[Param, ...], region_names: list[str], k=None) -> dict:
    out = {p.name: draw(param_values(p, region_names)) for p in params}
    for c in (k.constraints if k is not None else ()):  # ordered pairs the kind declares (v_reset < v_th ...)
        if isinstance(c, Ordered) and out[c.lo] > out[c.hi]:
            out[c.lo], out[c.hi] = out[c.hi], out[c.lo]
    return out


def is_valid(p: Param, value) -> bool:
    return p.check(value) is None


@st.composite
def sections(draw, cls):
    return cls(**all_params(draw, cls.PARAMS, []))


@st.composite
def components(draw, family: str, region_names: list[str]):
    k = draw(st.sampled_from(list(kinds(family).values())))
    return model.Component(k.name, all_params(draw, k.params, region_names, k))


def rule_applies(rule_kind, synapse: str, source_kind, target_kind) -> bool:
    if synapse not in rule_kind.info.get("synapses", model.SYNAPSES):
        return False
    models = rule_kind.info.get("target_models")
    if models and target_kind.name not in models:
        return False
    ends = {"source": source_kind, "target": target_kind}
    return all(set(caps) <= capabilities(ends[end]) for end, caps in rule_kind.needs.items())


@st.composite
def valid_circuits(draw, max_regions: int = 5, max_projections: int = 6):
    neuron_kinds = kinds("neuron")
    names = draw(st.lists(NAMES, min_size=1, max_size=max_regions + max_projections, unique=True))
    n_regions = draw(st.integers(1, min(max_regions, len(names))))
    region_names, projection_names = names[:n_regions], names[n_regions:]

    regions = []
    for name in region_names:
        k = draw(st.sampled_from(list(neuron_kinds.values())))
        regions.append(model.Region(name, k.name, draw(st.integers(1, 20)), draw(st.sampled_from(k.info["roles"])),
                                    all_params(draw, k.params, region_names, k)))
    by_name = {r.name: r for r in regions}

    projections = []
    for name in projection_names:
        src = draw(st.sampled_from(regions))
        synapse = draw(st.sampled_from(model.ALLOWED_SYNAPSES[src.role]))
        targets = [r for r in regions if synapse == "modulatory" or (
            r.role != "modulatory" and (not neuron_kinds[r.model].info.get("source")
                                        or neuron_kinds[r.model].info.get("accepts_input")))]
        if not targets:
            continue
        tgt = draw(st.sampled_from(targets))
        applicable = [rk for rk in kinds("rule").values()
                      if rule_applies(rk, synapse, neuron_kinds[src.model], neuron_kinds[tgt.model])]
        rules = []
        if applicable:
            for rk in draw(st.lists(st.sampled_from(applicable), max_size=2)):
                rules.append(model.Rule(rk.name, all_params(draw, rk.params, region_names, rk), draw(st.booleans())))
        projections.append(model.Projection(
            name, src.name, tgt.name, synapse, draw(components("connectivity", region_names)),
            draw(components("weights", region_names)), draw(components("delay", region_names)), rules))

    protocol = [draw(events(by_name, projections, region_names)) for _ in range(draw(st.integers(0, 4)))]
    expect = [draw(claims(region_names, [p.name for p in projections])) for _ in range(draw(st.integers(0, 3)))]
    layout = {n: [draw(POSITION), draw(POSITION)] for n in draw(st.lists(st.sampled_from(region_names), unique=True))}
    return repair(model.Circuit(
        name=draw(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)),
        title=draw(TEXT), description=draw(TEXT),
        settings=draw(sections(model.Settings)), recording=draw(sections(model.Recording)),
        regions=regions, projections=projections, protocol=protocol, expect=expect, layout=layout,
        view=draw(st.dictionaries(TEXT, JSON_VALUES, max_size=3)),
    ))


_INDEX = re.compile(r"\[(\d+)\]")


def repair(c: model.Circuit) -> model.Circuit:
    """Make a drawn circuit valid by undoing, one at a time, whatever validation refuses (the JSON
    path says what): constraints between parameters, capabilities, derived sizes. Values that pass
    stay as drawn, so the circuits keep their extreme but legal values."""
    seen: set[str] = set()
    history = []
    for _ in range(200):
        try:
            simcore.from_dict(simcore.to_dict(c))
            return c
        except CircuitError as err:
            path = err.path
            history.append(str(err))
        idx = [int(x) for x in _INDEX.findall(path)]
        again = path in seen
        seen.add(path)
        if path.startswith("$.settings") or (again and not path.startswith(("$.protocol", "$.expect",
                                                                            "$.projections"))):
            c.settings, c.recording = model.Settings(seed=c.settings.seed), model.Recording()
        elif path.startswith("$.recording"):
            c.recording = model.Recording()
        elif path.startswith("$.regions"):
            r = c.regions[idx[0]]
            if path.endswith(".size"):
                r.size = 1
            else:
                r.params = model.complete("neuron", r.model)
        elif path.startswith("$.projections") and ".rules[" in path:
            del c.projections[idx[0]].rules[idx[1]]
            c.protocol = [e for e in c.protocol if e.target != c.projections[idx[0]].name]
        elif path.startswith("$.projections"):
            p = c.projections[idx[0]]
            comp = next((x for x in ("connectivity", "weights", "delay") if f".{x}" in path), None)
            if comp and again and comp == "connectivity":
                p.connectivity = model.Component("one_to_one", {})
            elif comp and again:  # the defaults fail too: the time step is to blame
                c.settings, c.recording = model.Settings(seed=c.settings.seed), model.Recording()
            elif comp:
                setattr(p, comp, model.Component(getattr(p, comp).kind, model.complete(comp, getattr(p, comp).kind)))
            else:
                raise AssertionError(f"cannot repair {history[-1]}")
        elif path.startswith("$.protocol"):
            del c.protocol[idx[0]]
        elif path.startswith("$.view"):  # drawn view entries may collide with the declared ones ("plots": null)
            c.view = {}
        elif path.startswith("$.expect"):
            e = c.expect[idx[0]]
            if e.from_s is None and e.to_s is None:
                del c.expect[idx[0]]
            else:
                e.from_s = e.to_s = None
        else:
            raise AssertionError(f"cannot repair {history[-1]}")
    raise AssertionError(f"repair did not converge: {history[-3:]}")


def ordered(draw, strategy):
    a, b = draw(strategy), draw(strategy)
    if a is not None and b is not None and a > b:
        a, b = b, a
    return a, b


@st.composite
def claims(draw, region_names: list[str], projection_names: list[str]):
    """An expect entry: a declared metric (simcore.metrics, when present) about a fitting target."""
    try:
        from simcore.metrics import METRICS
    except ImportError:  # before metrics were declared any text was a metric
        METRICS = None
    if METRICS is None:
        metric, target, windowed = draw(TEXT), draw(st.sampled_from(region_names + projection_names)), False
    else:
        usable = [m for m in METRICS.values() if m.applies_to == "region" or projection_names]
        m = draw(st.sampled_from(usable))
        metric, windowed = m.name, m.windowed
        target = draw(st.sampled_from(region_names if m.applies_to == "region" else projection_names))
    lo, hi = ordered(draw, st.one_of(st.none(), FINITE))
    kw = {}
    fields = {f.name for f in dataclasses.fields(model.Expect)}
    if windowed and {"from_s", "to_s"} <= fields:
        a, b = ordered(draw, st.one_of(st.none(), st.floats(0, 1e6)))
        if a is not None and b is not None and a == b:
            b = None
        kw = {"from_s": a, "to_s": b}
    if METRICS is not None and getattr(m, "needs_input", False):  # input-output metrics name their input region
        kw["input"] = draw(st.sampled_from(region_names))
    if "ref_target" in fields and draw(st.booleans()):  # a relative claim: same kind of target, own window
        same_kind = region_names if target in region_names else projection_names
        kw["ref_target"] = draw(st.one_of(st.just(""), st.sampled_from(same_kind)))
        if windowed:
            a, b = ordered(draw, st.one_of(st.none(), st.floats(0, 1e6)))
            kw.update(ref_from_s=a, ref_to_s=b if a is None or b is None or a < b else None)
    return model.Expect(metric, target, lo, hi, draw(TEXT), **kw)


@st.composite
def events(draw, regions: dict, projections: list, region_names: list[str]):
    time_s = draw(st.floats(min_value=0.0, allow_nan=False, allow_infinity=False))
    choices = ["block", "unblock"]
    if any(r.role == "modulatory" for r in regions.values()):
        choices.append("reward")
    settable = [p for p in projections if p.rules]
    choices += ["set_region"] + (["set_projection"] if settable else [])
    action = draw(st.sampled_from(choices))
    if action == "reward":
        target = draw(st.sampled_from([r.name for r in regions.values() if r.role == "modulatory"]))
        return model.Event(time_s, "reward", target, "", draw(FINITE))
    if action in ("block", "unblock"):
        return model.Event(time_s, action, draw(st.sampled_from(list(regions))), "", 0.0)
    if action == "set_region":
        region = draw(st.sampled_from(list(regions.values())))
        params = simcore.kind("neuron", region.model).params
        if not params:
            return model.Event(time_s, "block", region.name, "", 0.0)
        p = draw(st.sampled_from(params))
        return model.Event(time_s, "set", region.name, p.name, draw(param_values(p, region_names)))
    proj = draw(st.sampled_from(settable))
    i = draw(st.integers(0, len(proj.rules) - 1))
    rk = simcore.kind("rule", proj.rules[i].kind)
    options = [Param("enabled", True, type="bool"), *rk.params]
    p = draw(st.sampled_from(options))
    return model.Event(time_s, "set", proj.name, f"rules.{i}.{p.name}", draw(param_values(p, region_names)))


# -- tests ----------------------------------------------------------------------------------------

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(valid_circuits())
def test_save_load_round_trip(c):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "sub" / "c.json"
        simcore.save(c, path)
        assert simcore.load(path) == c
        text = simcore.dumps(c)
        assert simcore.dumps(simcore.loads(text)) == text
        assert path.read_text(encoding="utf-8") == text
        assert simcore.from_dict(simcore.to_dict(c)) == c


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_circuits())
def test_generated_circuits_are_really_valid(c):
    """Guard against a vacuous strategy: circuits are non-trivial and every parameter checks out."""
    for r in c.regions:
        k = simcore.kind("neuron", r.model)
        assert set(r.params) == set(k.param_names())
        assert all(is_valid(k.param(n), v) for n, v in r.params.items())
    simcore.from_dict(simcore.to_dict(c))  # raises if not valid


def test_a_hand_made_circuit_round_trips(tmp_path):
    c = simcore.load(Path(__file__).parent / "fixtures" / "circuit_v1.json")
    simcore.save(c, tmp_path / "x.json")
    assert simcore.load(tmp_path / "x.json") == c
    # a set event keeps the type of the parameter it sets
    ev = [e for e in c.protocol if e.action == "set"]
    assert ev[0].value == 0.0 and isinstance(ev[0].value, float)
    assert ev[1].value is True
