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
