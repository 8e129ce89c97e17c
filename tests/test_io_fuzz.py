"""Fuzzing: whatever the input, loading raises CircuitError or succeeds, never anything else.

And whatever loads can be saved and loads again to the same circuit (so the GUI never holds a
circuit it cannot write back).
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import simcore
try:
    from tests.test_io_roundtrip import JSON_VALUES, TEXT, valid_circuits
except ImportError:  # tests/ without __init__.py (rootdir-relative import mode)
    from test_io_roundtrip import JSON_VALUES, TEXT, valid_circuits

FIXTURES = Path(__file__).parent / "fixtures"
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Values that have broken JSON loaders before: specials, huge and tiny numbers, type confusion.
NASTY = st.sampled_from([
    None, True, False, 0, -1, 1.5, -0.0, 2**31, 2**63, 2**64 + 1, 10**400, -10**400, 1e308, -1e308, 5e-324,
    float("nan"), float("inf"), -float("inf"), "", " ", "\n", "\ud800", "x" * 10_000, "NaN", "1e999",
    "rules.\u00b2.lam", "rules.0.enabled", "__import__('os').system('true')", [], {}, [[]], {"": {}},
    [1, 2, 3], [1.0, 2.0], {"kind": "constant"}, (1, 2), {1: 2}, {None: 1}, b"bytes", object(),
])


def check(doc) -> None:
    """from_dict succeeds or raises CircuitError; success means the circuit saves and reloads equal."""
    try:
        c = simcore.from_dict(doc)
    except simcore.CircuitError as err:
        assert "\n" not in str(err) and str(err).startswith("$"), str(err)
        return
    text = simcore.dumps(c)
    assert simcore.loads(text) == c
    assert simcore.dumps(simcore.loads(text)) == text


def check_text(text) -> None:
    try:
        c = simcore.loads(text)
    except simcore.CircuitError as err:
        assert "\n" not in str(err), str(err)
        return
    assert simcore.loads(simcore.dumps(c)) == c


def paths(doc, prefix=()):
    """Every path (tuple of keys / indices) into a document, the root included (at most 12 deep)."""
    yield prefix
    if len(prefix) >= 12:
        return
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from paths(v, prefix + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from paths(v, prefix + (i,))


def get(doc, path):
    for k in path:
        doc = doc[k]
    return doc


def deep(value, depth: int):
    for i in range(depth):
        value = [value] if i % 2 else {"a": value}
    return value


def swap_type(x):
    if isinstance(x, bool):
        return int(x)
    if isinstance(x, (int, float)):
        return str(x)
    if isinstance(x, str):
        return [x]
    if isinstance(x, list):
        return {str(i): v for i, v in enumerate(x)}
    if isinstance(x, dict):
        return list(x.values())
    return 0


@st.composite
def mutated_documents(draw):
    base = draw(st.one_of(
        valid_circuits(max_regions=3, max_projections=3).map(simcore.to_dict),
        st.sampled_from(["circuit_v1.json", "circuit_v0.json"]).map(
            lambda n: json.loads((FIXTURES / n).read_text(encoding="utf-8")))))
    doc = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        all_paths = list(paths(doc))
        path = draw(st.sampled_from(all_paths))
        op = draw(st.sampled_from(["delete", "replace", "nasty", "unknown_key", "swap_type", "deep", "dup_list"]))
        if not path:  # the root itself
            if op in ("replace", "nasty"):
                doc = draw(JSON_VALUES if op == "replace" else NASTY)
            continue
        parent, key = get(doc, path[:-1]), path[-1]
        if op == "delete":
            del parent[key]
        elif op == "replace":
            parent[key] = draw(JSON_VALUES)
        elif op == "nasty":
            parent[key] = draw(NASTY)
        elif op == "unknown_key":
            target = parent[key] if isinstance(parent[key], dict) else parent
            if isinstance(target, dict):
                target[draw(TEXT)] = draw(JSON_VALUES)
        elif op == "swap_type":
            parent[key] = swap_type(parent[key])
        elif op == "deep":
            parent[key] = deep(parent[key], draw(st.sampled_from([10, 63, 64, 65, 200])))
        elif op == "dup_list" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
        if not isinstance(doc, (dict, list)):
            break
    return doc


@settings(max_examples=60, **SETTINGS)
@given(JSON_VALUES)
def test_random_json_values(doc):
    check(doc)
    check_text(json.dumps(doc))


@settings(max_examples=150, **SETTINGS)
@given(mutated_documents())
def test_mutated_documents(doc):
    check(doc)
    try:
        text = json.dumps(doc)  # Python objects that are not JSON (NaN, tuples, ...) only go to from_dict
    except (TypeError, ValueError, RecursionError):
        return
    check_text(text)


@settings(max_examples=50, **SETTINGS)
@given(st.binary(max_size=300))
def test_random_bytes(data):
    check_text(data)


@settings(max_examples=40, **SETTINGS)
@given(st.data())
def test_mutated_text(data):
    """Cut, splice and corrupt the text of a valid file."""
    text = (FIXTURES / "circuit_v1.json").read_text(encoding="utf-8")
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(text)))
        j = data.draw(st.integers(i, min(len(text), i + 20)))
        text = text[:i] + data.draw(st.sampled_from(["", "{", "]", ",", '"', "\\", "NaN", "-", "1e999", "\x00",
                                                     "\ud800", "\ufeff", " ", "null", "[" * 50])) + text[j:]
    check_text(text)
    check_text(text.encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize("value", [
    "{" * 100_000, "[" * 100_000 + "]" * 100_000, '{"a":' * 5000 + "1" + "}" * 5000,
    "1" * 5000, "-" + "9" * 100_000, "1e999999", '"\\ud800"', "\ufeff", "[NaN]", '{"a": 1, "a": 2}',
])
def test_pathological_texts(value):
    check_text(value)
    check_text(value.encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize("doc", [
    float("nan"), {"format": "synaptica-circuit", "version": 1, "name": "x", "regions": [], "projections": [],
                   "view": {"n": float("nan")}},
    {"format": "synaptica-circuit", "version": True},
    {"format": "synaptica-circuit", "version": 10**400},
    {"format": ["synaptica-circuit"], "version": 1},
    {"format": "synaptica-circuit", "version": 0, "regions": [1, 2], "projections": "x"},
    {"format": "synaptica-circuit", "version": 0, "regions": {"E": None}},
])
def test_pathological_documents(doc):
    check(doc)


def test_cyclic_document_is_refused():
    doc = json.loads((FIXTURES / "circuit_v1.json").read_text(encoding="utf-8"))
    doc["view"] = {}
    doc["view"]["self"] = doc["view"]
    with pytest.raises(simcore.CircuitError, match="nested"):
        simcore.from_dict(doc)


def test_loads_refuses_non_text():
    for x in (None, 1, ["{}"], {"format": "synaptica-circuit"}):
        with pytest.raises(simcore.CircuitError):
            simcore.loads(x)  # type: ignore[arg-type]


def test_byte_order_mark_is_accepted():
    text = (FIXTURES / "circuit_v1.json").read_text(encoding="utf-8")
    assert simcore.loads("\ufeff" + text) == simcore.loads(text)
    assert simcore.loads(("\ufeff" + text).encode("utf-8")) == simcore.loads(text)


@pytest.mark.parametrize("depth", [65, 3000, 100_000])
def test_very_deep_python_document_is_refused(depth):
    doc = json.loads((FIXTURES / "circuit_v1.json").read_text(encoding="utf-8"))
    v: object = 1
    for _ in range(depth):
        v = [v]
    doc["view"] = {"x": v}
    with pytest.raises(simcore.CircuitError, match="nested more than"):
        simcore.from_dict(doc)
