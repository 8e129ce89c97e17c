"""Reading and writing circuit files: versioned, validated, diff-friendly JSON; atomic saves.

Loading never executes anything from the file (plain ``json``; no pickle, no eval), and every
problem, whatever the input, surfaces as one :class:`CircuitError` naming the JSON path.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import best_match

from . import model
from .errors import CircuitError
from .migrate import migrate
from .schema import FORMAT, VERSION, circuit_schema
from .validate import check_document

MAX_FILE_BYTES = 64 * 2**20


@lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    schema = circuit_schema()
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


# -- reading ---------------------------------------------------------------------------------

def load(path: str | os.PathLike) -> model.Circuit:
    """Read a circuit file; raise :class:`CircuitError` (with the file name) if it is not valid."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CircuitError("$", f"file is {size / 2**20:.0f} MiB; circuit files are at most "
                                    f"{MAX_FILE_BYTES // 2**20} MiB")
        raw = p.read_bytes()
    except CircuitError as err:
        raise err.with_source(str(path)) from None
    except OSError as err:
        raise CircuitError("$", f"cannot read file: {err.strerror or err}", str(path)) from None
    try:
        return loads(raw)
    except CircuitError as err:
        raise err.with_source(str(path)) from None


def loads(text: str | bytes) -> model.Circuit:
    """Parse a circuit from JSON text."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as err:
            raise CircuitError("$", f"not UTF-8 text (byte {err.start})") from None
    if not text.strip():
        raise CircuitError("$", "the file is empty")
    try:
        doc = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as err:
        hint = " (the file looks truncated)" if err.pos >= len(text.rstrip()) else ""
        raise CircuitError("$", f"not valid JSON: {err.msg} at line {err.lineno} column {err.colno}{hint}") from None
    except RecursionError:
        raise CircuitError("$", "not valid JSON: nested too deeply") from None
    return from_dict(doc)


def _refuse_constant(name: str):
    raise CircuitError("$", f"not valid JSON: {name} is not a JSON number")


def from_dict(doc: Any) -> model.Circuit:
    """Validate a parsed document (any version) and build the circuit."""
    doc = migrate(doc)
    try:
        err = best_match(_validator().iter_errors(doc))
    except RecursionError:
        raise CircuitError("$", "nested too deeply") from None
    if err is not None:
        raise CircuitError(err.json_path, _reason(err)) from None
    check_document(doc)
    return _build(doc)


def _reason(err: jsonschema.ValidationError) -> str:
    v = err.validator
    inst = _short(err.instance)
    if v == "required":
        missing = [r for r in err.validator_value if not isinstance(err.instance, dict) or r not in err.instance]
        return f"missing required field {missing[0]!r}" if missing else err.message
    if v == "additionalProperties":
        extra = sorted(set(err.instance) - set(err.schema.get("properties", {}))) if isinstance(err.instance, dict) else []
        allowed = ", ".join(err.schema.get("properties", {}))
        return f"unknown field {extra[0]!r} (allowed: {allowed})" if extra else err.message
    if v in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        op = {"minimum": ">=", "exclusiveMinimum": ">", "maximum": "<=", "exclusiveMaximum": "<"}[v]
        return f"{inst} is out of range: must be {op} {err.validator_value:g}"
    if v == "type":
        want = err.validator_value if isinstance(err.validator_value, str) else " or ".join(err.validator_value)
        return f"{inst} has the wrong type: expected {want}"
    if v == "enum":
        return f"{inst} is not one of {', '.join(map(repr, err.validator_value))}"
    if v == "const":
        return f"{inst} should be {err.validator_value!r}"
    if v == "pattern":
        return f"{inst} is not a valid name (letters, digits, space, _ - < > +; at most 64 characters)"
    return err.message


def _short(x: Any) -> str:
    s = json.dumps(x) if not isinstance(x, str) else repr(x)
    return s if len(s) <= 40 else s[:37] + "..."


def _build(doc: dict) -> model.Circuit:
    comp = lambda fam, c: model.Component(c["kind"], _params(fam, c["kind"], c.get("params")))  # noqa: E731
    default_delay = {"kind": "constant"}
    regions = [model.Region(r["name"], r["model"], r["size"], r["role"], _params("neuron", r["model"], r.get("params")))
               for r in doc["regions"]]
    projections = [
        model.Projection(
            p["name"], p["source"], p["target"], p["synapse"],
            comp("connectivity", p["connectivity"]), comp("weights", p["weights"]),
            comp("delay", p.get("delay", default_delay)),
            [model.Rule(r["kind"], _params("rule", r["kind"], r.get("params")), r.get("enabled", True))
             for r in p.get("rules", [])])
        for p in doc["projections"]]
    return model.Circuit(
        name=doc["name"], title=doc.get("title", ""), description=doc.get("description", ""),
        settings=_section(model.Settings, doc.get("settings", {})),
        recording=_section(model.Recording, doc.get("recording", {})),
        regions=regions, projections=projections,
        protocol=[model.Event(float(e["time_s"]), e["action"], e["target"], e.get("param", ""),
                              _number(e.get("value", 0.0))) for e in doc.get("protocol", [])],
        expect=[model.Expect(e["metric"], e["target"], _opt_float(e.get("min")), _opt_float(e.get("max")),
                             e.get("note", "")) for e in doc.get("expect", [])],
        layout={k: [float(x) for x in v] for k, v in doc.get("layout", {}).items()},
        view=doc.get("view", {}),
    )


def _params(family: str, name: str, given: dict | None) -> dict:
    from .params import kind

    k = kind(family, name)
    out = k.defaults()
    out.update(given or {})
    return {p.name: p.coerce(out[p.name]) for p in k.params}


def _section(cls, given: dict):
    return cls(**{p.name: p.coerce(given.get(p.name, p.default)) for p in cls.PARAMS})


def _number(x):
    return float(x) if isinstance(x, int) and not isinstance(x, bool) else x


def _opt_float(x):
    return None if x is None else float(x)


# -- writing ---------------------------------------------------------------------------------

def to_dict(c: model.Circuit) -> dict:
    """The document for a circuit, keys in a stable, readable order."""
    comp = lambda x: {"kind": x.kind, "params": dict(x.params)}  # noqa: E731
    doc: dict[str, Any] = {"format": FORMAT, "version": VERSION, "name": c.name}
    if c.title:
        doc["title"] = c.title
    if c.description:
        doc["description"] = c.description
    doc["settings"] = {f.name: getattr(c.settings, f.name) for f in fields(c.settings)}
    doc["recording"] = {f.name: getattr(c.recording, f.name) for f in fields(c.recording)}
    doc["regions"] = [{"name": r.name, "model": r.model, "size": r.size, "role": r.role, "params": dict(r.params)}
                      for r in c.regions]
    doc["projections"] = [
        {"name": p.name, "source": p.source, "target": p.target, "synapse": p.synapse,
         "connectivity": comp(p.connectivity), "weights": comp(p.weights), "delay": comp(p.delay),
         "rules": [{"kind": r.kind, "enabled": r.enabled, "params": dict(r.params)} for r in p.rules]}
        for p in c.projections]
    if c.protocol:
        doc["protocol"] = [asdict(e) for e in c.protocol]
    if c.expect:
        doc["expect"] = [{k: v for k, v in asdict(e).items() if v is not None and v != ""} for e in c.expect]
    if c.layout:
        doc["layout"] = {k: list(v) for k, v in c.layout.items()}
    if c.view:
        doc["view"] = c.view
    return doc


def dumps(c: model.Circuit) -> str:
    """Circuit as JSON text: UTF-8, two-space indent, one key per line (diff-friendly)."""
    return json.dumps(to_dict(c), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def save(c: model.Circuit, path: str | os.PathLike) -> Path:
    """Write a circuit atomically: the old file stays intact until the new one is complete."""
    text = dumps(c)
    return atomic_write_text(Path(path), text)


def atomic_write_text(path: Path, text: str) -> Path:
    """Write a temp file beside ``path``, flush and fsync it, then rename it over ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:  # make the rename itself durable
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass
    return path
