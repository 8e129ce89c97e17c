"""Validation of big files: linear in their size, and the shortcut big files take refuses exactly
what the full path refuses (simcore.io._clean_and_valid)."""
from __future__ import annotations

import copy
import json
import time

import pytest

import simcore
from simcore import io
from simcore.bench_validate import regions_doc


def homeostatic_doc(n: int) -> str:
    """n regions, each with a homeostat and one projection onto it (the checks of a homeostat
    used to scan every projection of the file: quadratic)."""
    regions = [{"name": f"R{k}", "model": "lif", "size": 1, "role": "excitatory",
                "homeostasis": {"kind": "scaling"}} for k in range(n)]
    projections = [{"name": f"P{k}", "source": f"R{k}", "target": f"R{(k + 1) % n}", "synapse": "excitatory",
                    "connectivity": {"kind": "one_to_one"}, "weights": {"kind": "constant"}} for k in range(n)]
    return json.dumps({"format": "synaptica-circuit", "version": 1, "name": "homeo",
                       "recording": {"voltage_neurons": 0, "tracked_synapses": 0, "history_s": 1.0},
                       "regions": regions, "projections": projections})


def cpu(text: str, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        io.loads(text)
        best = min(best, time.process_time() - t0)
    return best


def test_homeostats_validate_in_linear_time():
    small, large = homeostatic_doc(1_000), homeostatic_doc(10_000)
    io.loads(small)  # imports and compiled schema outside the timing
    ratio = cpu(large) / cpu(small)
    assert ratio < 25, f"10x the regions took {ratio:.0f}x the time (linear: ~10, quadratic: ~100)"


def big() -> dict:
    return json.loads(regions_doc(600))  # above io.FAST_SCHEMA_ITEMS: the shortcut applies


def deep(levels: int):
    x: object = 1
    for _ in range(levels):
        x = {"a": x}
    return x


@pytest.mark.parametrize("label, text", [
    ("deep view", lambda d: json.dumps({**d, "view": {"x": deep(80)}})),
    ("repeated key", lambda d: json.dumps(d)[:-1] + ', "name": "again"}'),
    ("integer beyond 2**53", lambda d: json.dumps(d).replace('"size": 1,', f'"size": {2**60},', 1)),
    ("NaN", lambda d: json.dumps(d).replace('"size": 1,', '"size": NaN,', 1)),
    ("overflowing float", lambda d: json.dumps(d).replace('"history_s": 1.0', '"history_s": 1e999', 1)),
    ("lone surrogate", lambda d: json.dumps(d).replace('"R5"', '"R5\\ud800"', 1)),
])
def test_the_shortcut_of_big_files_refuses_what_the_full_path_refuses(label, text):
    t = text(big())
    with pytest.raises(simcore.CircuitError) as short:
        io.loads(t)
    doc = json.loads(t, parse_constant=io._bad_constant, parse_float=io._parse_float, parse_int=io._parse_int,
                     object_pairs_hook=io._object)
    with pytest.raises(simcore.CircuitError) as full:
        io.from_dict(doc)  # no shortcut: every value walked, then the schema
    assert str(short.value) == str(full.value), label


def test_only_the_view_is_open_to_unknown_nesting():
    """The shortcut walks only ``view`` for depth: every other object of the schema must be closed."""
    from simcore.schema import circuit_schema

    open_at = []

    def walk(s, path):
        if isinstance(s, dict):
            if s.get("type") == "object" and s.get("additionalProperties", True) in (True, {}):
                if "properties" in s or path.endswith("params"):
                    open_at.append(path)
            for k, v in s.items():
                walk(v, f"{path}/{k}")
        elif isinstance(s, list):
            for i, v in enumerate(s):
                walk(v, f"{path}/{i}")

    walk(circuit_schema(), "#")
    # params objects are closed per kind by the allOf/if/then of their component
    assert [p for p in open_at if not p.endswith("/params")] == ["#/properties/view"]
    d = big()
    d["regions"][3]["params"] = {"tau_m": deep(80)}
    with pytest.raises(simcore.CircuitError):
        io.loads(json.dumps(d))


def test_a_big_valid_file_loads_the_same_by_both_paths():
    d = big()
    d["view"] = {"plots": ["raster"], "explanation": "x"}
    t = json.dumps(d)
    assert io.to_dict(io.loads(t)) == io.to_dict(io.from_dict(copy.deepcopy(json.loads(t))))


@pytest.fixture
def plain_parse_always(monkeypatch):
    """Every text takes the parse without hooks first (io._parse_plain), not only big ones."""
    monkeypatch.setattr(io, "FAST_PARSE_CHARS", 0)


def _careful(text: str) -> str:
    doc = json.loads(text, parse_constant=io._bad_constant, parse_float=io._parse_float, parse_int=io._parse_int,
                     object_pairs_hook=io._object)
    try:
        io.from_dict(doc)
    except simcore.CircuitError as err:
        return str(err)
    return "ok"


def _with_params(d: dict) -> dict:
    for r in d["regions"]:
        r["params"] = {"tau_m": 20.0, "v_th": -50.0}
    return d


@pytest.mark.parametrize("label, text", [
    ("repeated key at the top", lambda d: json.dumps(d)[:-1] + ', "name": "again"}'),
    ("repeated key in a region", lambda d: json.dumps(d).replace('"name": "R7",', '"name": "R7", "name": "R8",', 1)),
    ("repeated key in parameters", lambda d: json.dumps(_with_params(d)).replace('"tau_m": 20.0,',
                                                                                  '"tau_m": 20.0, "tau_m": 1e9,', 1)),
    ("repeated key and a colon in a text", lambda d: json.dumps({**d, "title": "a: b"})[:-1] + ', "name": "x"}'),
    ("integer beyond 2**53", lambda d: json.dumps(d).replace('"size": 1,', f'"size": {2**60},', 1)),
    ("integer beyond 2**53 in parameters", lambda d: json.dumps(_with_params(d)).replace('"tau_m": 20.0',
                                                                                          f'"tau_m": {2**60}', 1)),
    ("5000 digits", lambda d: json.dumps(d).replace('"size": 1,', f'"size": {"9" * 5000},', 1)),
    ("NaN", lambda d: json.dumps(d).replace('"size": 1,', '"size": NaN,', 1)),
    ("overflowing float", lambda d: json.dumps(d).replace('"history_s": 1.0', '"history_s": 1e999', 1)),
    ("overflowing float, long mantissa", lambda d: json.dumps(d).replace('"history_s": 1.0',
                                                                         f'"history_s": {"9" * 400}.0', 1)),
    ("overflowing float, signed exponent", lambda d: json.dumps(d).replace('"history_s": 1.0',
                                                                           '"history_s": -1E+400', 1)),
    ("lone surrogate", lambda d: json.dumps(d).replace('"R5"', '"R5\\ud800"', 1)),
    ("name of 65 letters", lambda d: json.dumps(d).replace('"R5"', '"' + "R" * 65 + '"', 1)),
    ("size 0", lambda d: json.dumps(d).replace('"size": 1,', '"size": 0,', 1)),
    ("size 2.0", lambda d: json.dumps(d).replace('"size": 1,', '"size": 2.0,', 1)),
    ("size true", lambda d: json.dumps(d).replace('"size": 1,', '"size": true,', 1)),
    ("unknown region field", lambda d: json.dumps(d).replace('"name": "R9",', '"name": "R9", "colour": "red",', 1)),
    ("name with a trailing newline", lambda d: json.dumps(d).replace('"R5"', '"R5\\n"', 1)),
    ("unknown parameter", lambda d: json.dumps(_with_params(d)).replace('"tau_m": 20.0', '"tau_mm": 20.0', 1)),
    ("parameter out of range", lambda d: json.dumps(_with_params(d)).replace('"tau_m": 20.0', '"tau_m": -1.0', 1)),
    ("boolean for a number", lambda d: json.dumps(_with_params(d)).replace('"tau_m": 20.0', '"tau_m": true', 1)),
    ("valid, with parameters", lambda d: json.dumps(_with_params(d))),
    ("valid, a colon in a text", lambda d: json.dumps({**d, "title": "a: b"})),
    ("valid, as saved", lambda d: simcore.dumps(io.from_dict(d))),
])
def test_every_shortcut_refuses_what_the_careful_path_refuses(plain_parse_always, label, text):
    """The parse without hooks, the regions checked by columns and the schema seeing only the regions the
    columns cannot vouch for: the same answer, word for word, as the careful path for each case."""
    t = text(big())
    try:
        io.loads(t)
        short = "ok"
    except simcore.CircuitError as err:
        short = str(err)
    assert short == _careful(t), label
    if label.startswith("valid"):
        assert io.to_dict(io.loads(t)) == io.to_dict(io.from_dict(json.loads(t))), label


def _executed_lines(text: str) -> int:
    """Python lines executed by loading ``text``: a count, not a time (the machine may be busy)."""
    import sys

    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        count += 1
        return tracer

    sys.settrace(tracer)
    try:
        io.loads(text)
    finally:
        sys.settrace(None)
    return count


def _saved_regions_doc(n: int) -> str:
    """A file as the app saves it: every region and projection with its complete parameters."""
    return simcore.dumps(io.loads(regions_doc(n)))


def _events_doc(n: int) -> str:
    from simcore.bench_validate import events_doc

    return events_doc(n)


@pytest.mark.parametrize("make, n", [(regions_doc, 4_000), (_saved_regions_doc, 2_000), (homeostatic_doc, 1_000),
                                     (_events_doc, 1_000)])
def test_validation_work_is_linear_in_the_file(make, n):
    """Four times the file, at most about four times the Python work (a table rebuilt per region or per
    event made it sixteen). Both sizes take the same paths (above the sizes that choose them)."""
    io.loads(make(n))  # imports, compiled schema
    small, large = _executed_lines(make(n)), _executed_lines(make(4 * n))
    assert large / small < 5, f"4x the file executed {large / small:.1f}x the lines ({small} -> {large})"


def claims_doc(n: int) -> str:
    """n regions and a relative claim on every tenth (each claim used to copy the region names: a
    quadratic done in C, which a count of Python lines does not see)."""
    d = json.loads(regions_doc(n))
    d["expect"] = [{"metric": "rate_hz", "target": f"R{k}", "ref_target": "R0", "max": 2.0} for k in range(0, n, 10)]
    return json.dumps(d)


def test_claims_validate_in_linear_time():
    small, large = claims_doc(2_000), claims_doc(20_000)
    io.loads(small)
    ratio = min(cpu(large) / cpu(small) for _ in range(2))  # interleaved pairs: the best is the least disturbed
    assert ratio < 30, f"10x the regions and claims took {ratio:.0f}x the time (linear: ~10, quadratic: ~100)"
