"""The circuit file's JSON Schema, generated from the parameter declarations.

The shipped copy lives in ``resources/circuit.schema.json``; ``python main.py schema`` rewrites it
and a test checks that it is up to date.
"""
from __future__ import annotations

import json
from pathlib import Path

from . import model
from .metrics import METRICS
from .params import Param, kinds

FORMAT = "synaptica-circuit"
VERSION = 1
NAME_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_ \-<>+]{0,63}$"
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "resources" / "circuit.schema.json"

LAYOUT_LIMIT = 1e7  # canvas units; far beyond any drawing, far below float overflow


def _params_object(params: tuple[Param, ...]) -> dict:
    return {
        "type": "object",
        "properties": {p.name: p.json_schema() for p in params},
        "additionalProperties": False,
    }


def _kinded(family: str, key: str) -> dict:
    """Schema of an object whose ``key`` names a kind and whose ``params`` follow that kind."""
    ks = kinds(family)
    return {
        "allOf": [
            {"if": {"properties": {key: {"const": name}}, "required": [key]},
             "then": {"properties": {"params": _params_object(k.params)}}}
            for name, k in ks.items()
        ],
    }


def _component(family: str) -> dict:
    ks = kinds(family)
    s = {
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"enum": list(ks)}, "params": {"type": "object"}},
        "additionalProperties": False,
    }
    s.update(_kinded(family, "kind"))
    return s


def _region() -> dict:
    s = {
        "type": "object",
        "required": ["name", "model", "size", "role"],
        "properties": {
            "name": {"type": "string", "pattern": NAME_PATTERN},
            "model": {"enum": list(kinds("neuron"))},
            "size": {"type": "integer", "minimum": 1},
            "role": {"enum": list(model.ROLES)},
            "params": {"type": "object"},
            "homeostasis": {"$ref": "#/$defs/homeostasis"},
        },
        "additionalProperties": False,
    }
    s.update(_kinded("neuron", "model"))
    return s


def _homeostasis() -> dict:
    s = _component("homeostasis")
    s["description"] = ("A homeostat of the region's neurons, acting on several incoming projections with one "
                        "sensor and one factor per neuron")
    s["properties"]["enabled"] = {"type": "boolean"}
    s["properties"]["projections"] = {
        "type": "array", "items": {"type": "string"}, "uniqueItems": True,
        "description": "Incoming projections it acts on (empty or absent: every one the kind applies to)"}
    return s


def _rule() -> dict:
    s = _component("rule")
    s["properties"]["enabled"] = {"type": "boolean"}
    return s


def _projection() -> dict:
    return {
        "type": "object",
        "required": ["name", "source", "target", "synapse", "connectivity", "weights"],
        "properties": {
            "name": {"type": "string", "pattern": NAME_PATTERN},
            "source": {"type": "string"},
            "target": {"type": "string"},
            "synapse": {"enum": list(model.SYNAPSES)},
            "connectivity": {"$ref": "#/$defs/connectivity"},
            "weights": {"$ref": "#/$defs/weights"},
            "delay": {"$ref": "#/$defs/delay"},
            "rules": {"type": "array", "items": {"$ref": "#/$defs/rule"}},
        },
        "additionalProperties": False,
    }


def _event() -> dict:
    return {
        "type": "object",
        "required": ["time_s", "action", "target"],
        "properties": {
            "time_s": {"type": "number", "minimum": 0},
            "action": {"enum": list(model.ACTIONS)},
            "target": {"type": "string"},
            "param": {"type": "string"},
            "value": {"type": ["number", "boolean", "string"]},
        },
        "additionalProperties": False,
    }


def _expect() -> dict:
    return {
        "type": "object",
        "required": ["metric", "target"],
        "properties": {
            "metric": {"enum": list(METRICS), "description": "; ".join(f"{m.name}: {m.help}" for m in METRICS.values())},
            "target": {"type": "string"},
            "min": {"type": ["number", "null"]},
            "max": {"type": ["number", "null"]},
            "note": {"type": "string"},
            "from_s": {"type": ["number", "null"], "minimum": 0},
            "to_s": {"type": ["number", "null"], "minimum": 0},
            "input": {"type": "string", "description": "region whose rate is the x axis of io_gain / io_threshold"},
            "ref_target": {"type": "string", "description": "relative claim: divide by the same metric of this "
                                                            "region or projection (default: target)"},
            "ref_from_s": {"type": ["number", "null"], "minimum": 0,
                           "description": "relative claim: start of the reference window"},
            "ref_to_s": {"type": ["number", "null"], "minimum": 0,
                         "description": "relative claim: end of the reference window"},
            "branch": {"enum": ["", "A", "B"], "description": "measured on branch B of the fork (default: A, the "
                                                              "circuit as written)"},
        },
        "additionalProperties": False,
    }


def _fork() -> dict:
    return {
        "type": "object",
        "description": "an A/B comparison: at time_s the simulation forks and branch B gets the changes",
        "required": ["changes"],
        "properties": {
            "time_s": {"type": "number", "minimum": 0},
            "label_a": {"type": "string", "description": "what branch A (the circuit as written) is, in words"},
            "label_b": {"type": "string", "description": "what branch B is, in words"},
            "changes": {"type": "array", "minItems": 1, "items": {
                "type": "object", "required": ["target", "param", "value"],
                "properties": {"target": {"type": "string"}, "param": {"type": "string"},
                               "value": {"type": ["number", "boolean", "string"]}},
                "additionalProperties": False}},
        },
        "additionalProperties": False,
    }


def circuit_schema() -> dict:
    """The JSON Schema (draft 2020-12) of a current-version circuit file."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://synaptica.invalid/circuit.schema.json",
        "title": "Synaptica circuit",
        "description": f"A Synaptica circuit file, format {FORMAT!r} version {VERSION}. "
                       "Generated from the parameter declarations; do not edit by hand.",
        "type": "object",
        "required": ["format", "version", "name", "regions", "projections"],
        "properties": {
            "format": {"const": FORMAT},
            "version": {"const": VERSION},
            "name": {"type": "string", "minLength": 1, "maxLength": 200},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "settings": _params_object(model.SETTINGS_PARAMS),
            "recording": _params_object(model.RECORDING_PARAMS),
            "regions": {"type": "array", "items": {"$ref": "#/$defs/region"}},
            "projections": {"type": "array", "items": {"$ref": "#/$defs/projection"}},
            "protocol": {"type": "array", "items": {"$ref": "#/$defs/event"}},
            "expect": {"type": "array", "items": {"$ref": "#/$defs/expect"}},
            "fork": {"$ref": "#/$defs/fork"},
            # canvas positions: bounded so that a view transform stays finite (1e308 made it NaN)
            "layout": {
                "type": "object",
                "additionalProperties": {"type": "array", "minItems": 2, "maxItems": 2,
                                         "items": {"type": "number", "minimum": -LAYOUT_LIMIT,
                                                   "maximum": LAYOUT_LIMIT}},
            },
            # how a demonstration is shown: which plots, which projection in focus, the text beside it
            "view": {
                "type": "object",
                "properties": {
                    "plots": {"type": "array", "items": {"type": "string"}},
                    "focus": {"type": "string"},
                    "explanation": {"type": "string"},
                    "io_curve": {
                        "type": "object",
                        "description": "the input-output plot: the rate of target against the rate of input, one "
                                       "curve per phase",
                        "required": ["input", "target"],
                        "properties": {
                            "input": {"type": "string"},
                            "target": {"type": "string"},
                            "phases": {"type": "array", "items": {
                                "type": "object", "required": ["from_s", "to_s"],
                                "properties": {"label": {"type": "string"},
                                               "from_s": {"type": "number", "minimum": 0},
                                               "to_s": {"type": "number", "minimum": 0}},
                                "additionalProperties": False}},
                        },
                        "additionalProperties": False,
                    },
                },
            },
        },
        "additionalProperties": False,
        "$defs": {
            "region": _region(),
            "projection": _projection(),
            "connectivity": _component("connectivity"),
            "weights": _component("weights"),
            "delay": _component("delay"),
            "rule": _rule(),
            "homeostasis": _homeostasis(),
            "event": _event(),
            "expect": _expect(),
            "fork": _fork(),
        },
    }


def schema_text() -> str:
    return json.dumps(circuit_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema(path: Path = SCHEMA_PATH) -> Path:
    from .io import atomic_write_text

    atomic_write_text(path, schema_text())
    return path
