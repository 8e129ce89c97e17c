"""Reading and writing circuit files: versioned, validated, diff-friendly JSON; atomic saves.

Loading never executes anything from the file (plain ``json``; no pickle, no eval), and every
problem, whatever the input, surfaces as one :class:`CircuitError` naming the JSON path.
"""
from __future__ import annotations

import gc
import json
import math
import os
import re
import secrets
import stat
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import asdict, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import best_match

from . import model
from .errors import CircuitError, join_path
from .outputs import printable
from .params import kind
from .migrate import migrate
from .schema import FORMAT, VERSION, circuit_schema
from .region_table import RegionTable, region_table, schema_residue
from .validate import check_document, param_at

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

MAX_FILE_BYTES = 64 * 2**20


@lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    schema = circuit_schema()
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


FAST_SCHEMA_ITEMS = 500  # from this many regions + projections + events on, check with the compiled validator


@lru_cache(maxsize=1)
def _fast_validator():
    """The schema compiled by jsonschema-rs (Rust; some 100x faster than jsonschema on big files,
    but a few tenths of a second to compile, so only worth it for big ones). jsonschema stays the
    authority for what is wrong: it names the error whenever this one finds any."""
    import jsonschema_rs

    return jsonschema_rs.validator_for(circuit_schema())


def _fast_valid(doc: Any, table: RegionTable | None = None) -> bool:
    """True when a big document certainly passes the schema; False means "ask jsonschema".

    ``table``: the regions as columns; the regions they show to pass the schema are not sent to it
    (:func:`simcore.region_table.schema_residue`: most of a file with 10^5 regions)."""
    if not isinstance(doc, dict):
        return False
    size = sum(len(doc.get(k)) for k in ("regions", "projections", "protocol", "expect")
               if isinstance(doc.get(k), list))
    if size < FAST_SCHEMA_ITEMS:
        return False
    try:
        if table is not None and len(table.names) >= FAST_SCHEMA_ITEMS:
            residue = schema_residue(doc["regions"], table, _neuron_models(), frozenset(model.ROLES))
            if residue is not None:
                doc = {**doc, "regions": residue}
        return bool(_fast_validator().is_valid(doc))
    except Exception:  # noqa: BLE001 - missing or failing: loading must never depend on the fast path
        return False


@lru_cache(maxsize=1)
def _neuron_models() -> frozenset:
    from .params import kinds

    return frozenset(kinds("neuron"))


# -- reading ---------------------------------------------------------------------------------

def load(path: str | os.PathLike) -> model.Circuit:
    """Read a circuit file; raise :class:`CircuitError` (with the file name) if it is not valid."""
    try:
        p = Path(path)
        st = p.stat()
        if stat.S_ISDIR(st.st_mode):
            raise CircuitError("$", "cannot read file: it is a folder")
        if not stat.S_ISREG(st.st_mode):
            raise CircuitError("$", "cannot read file: not a regular file")
        if st.st_size > MAX_FILE_BYTES:
            raise CircuitError("$", _too_big(st.st_size))
        with open(p, "rb") as f:  # never read more than the limit, whatever stat said
            raw = f.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise CircuitError("$", _too_big(len(raw)))
    except CircuitError as err:
        raise err.with_source(printable(path)) from None
    except OSError as err:
        raise CircuitError("$", f"cannot read file: {err.strerror or err}", printable(path)) from None
    except (ValueError, TypeError) as err:  # e.g. an embedded NUL byte in the name
        raise CircuitError("$", f"cannot read file: {printable(err)}", printable(path)) from None
    try:
        return loads(raw)
    except CircuitError as err:
        raise err.with_source(printable(path)) from None


def _too_big(size: int) -> str:
    return (f"file is {size / 2**20:.1f} MiB; circuit files are at most "
            f"{MAX_FILE_BYTES / 2**20:g} MiB")


def loads(text: str | bytes) -> model.Circuit:
    """Parse a circuit from JSON text."""
    if isinstance(text, (bytes, bytearray, memoryview)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as err:
            raise CircuitError("$", f"not UTF-8 text (byte {err.start})") from None
    if not isinstance(text, str):
        raise CircuitError("$", f"expected JSON text, got {type(text).__name__}")
    if text.startswith("\ufeff"):  # a UTF-8 byte order mark, as some Windows editors write
        text = text[1:]
    if not text.strip():
        raise CircuitError("$", "the file is empty")
    with _gc_paused():  # until the circuit is built: collecting a parse's millions of objects is wasted
        return _parse(text)


def _parse(text: str) -> model.Circuit:
    fast = _parse_plain(text) if len(text) >= FAST_PARSE_CHARS else None
    if fast is not None:
        return from_dict(fast[0], _parsed_clean=True, _table=fast[1])
    _parsing.refused = False
    try:
        doc = json.loads(text, parse_constant=_bad_constant, parse_float=_parse_float, parse_int=_parse_int,
                         object_pairs_hook=_object)
    except json.JSONDecodeError as err:
        hint = " (the file looks truncated)" if _looks_truncated(text, err.pos) else ""
        raise CircuitError("$", f"not valid JSON: {err.msg} at line {err.lineno} column {err.colno}{hint}") from None
    except RecursionError:
        raise CircuitError("$", "not valid JSON: nested too deeply") from None
    except ValueError as err:  # pragma: no cover - the hooks above should catch every other case
        raise CircuitError("$", f"not valid JSON: {_one_line(str(err))}") from None
    return from_dict(doc, _parsed_clean=not _parsing.refused)


FAST_PARSE_CHARS = 256 * 1024  # from this size on, try the parser without per-value hooks first
# digits -> "0", exponent letters and signs -> "e", all else -> " ": long runs of digits and
# three-digit exponents are then plain substrings
_NUMBER_SHAPES = str.maketrans({**{i: " " for i in range(128)}, **{ord(d): "0" for d in "0123456789"},
                                ord("e"): "e", ord("E"): "e", ord("+"): "e", ord("-"): "e"})


def _parse_plain(text: str) -> tuple[Any, RegionTable | None] | None:
    """The document and its region columns, parsed at C speed without the hooks of the careful parse
    (a Python call per object and per integer: a third of the time of a big file), or None when this
    cannot show that the hooks would have had nothing to refuse. Then the careful parse runs and names
    the problem. What the hooks refuse, and how it is ruled out here:

    - a repeated key: every key is followed by a colon, so a document whose objects hold as many keys
      as the text has colons has none (a colon inside a text only makes us take the careful parse);
    - an integer beyond 2**53 needs 16 digits in a row, a float beyond the double range a mantissa of
      309 digits or an exponent of three digits: the text has neither (digits in a row also come with
      long decimals, and take the careful parse);
    - NaN and Infinity: the one hook kept, called only for them;
    - an integer too long for Python to convert: ValueError.
    """
    if not text.isascii():  # non-ASCII text may hold anything; keep the fast path simple
        return None
    shapes = text.translate(_NUMBER_SHAPES)
    if "0" * 16 in shapes or "e000" in shapes:  # (signs read as "e": "1e+400" and "-1000" take the careful parse)
        return None
    _parsing.refused = False
    try:
        doc = json.loads(text, parse_constant=_bad_constant)
    except (ValueError, RecursionError):
        return None
    if _parsing.refused or not isinstance(doc, dict):
        return None
    table = _table(doc)
    if _count_keys(doc, table) != text.count(":"):
        return None
    return doc, table


def _count_keys(doc: dict, table: RegionTable | None) -> int:
    """Keys of every object in ``doc`` (the regions by their columns when there are many). Counting too
    few only sends the file to the careful parse; never count more (a list's length is no keys)."""
    n, stack = 0, []
    if table is not None:  # every region is an object (the columns were read from each)
        n += len(doc) + sum(map(len, doc["regions"]))
        if table.params is not None:
            n += sum(len(g) for g in table.params if type(g) is dict)  # nested objects in them: too few
        if table.homeostasis is not None:
            stack.extend(filter(None, table.homeostasis))
        stack.extend(v for k, v in doc.items() if k != "regions")
    else:
        stack.append(doc)
    _dict, _list = dict, list
    while stack:
        v = stack.pop()
        t = type(v)
        if t is _dict:
            n += len(v)
            stack.extend(x for x in v.values() if type(x) is _dict or type(x) is _list)
        elif t is _list:
            stack.extend(x for x in v if type(x) is _dict or type(x) is _list)
    return n


def _looks_truncated(text: str, pos: int) -> bool:
    """True when the text ends inside a string or with brackets still open (a cut-off file)."""
    if pos >= len(text.rstrip()):
        return True
    depth, in_str, esc = 0, False, False
    for ch in text:
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
    return in_str or depth > 0


_parsing = threading.local()  # .refused: whether the parser's hooks met a value to refuse


class _Bad:
    """Placeholder the JSON parser leaves where a value is unacceptable, so that the error can name
    its JSON path (the parser's hooks do not know where they are)."""

    __slots__ = ("reason",)

    def __init__(self, reason: str):
        self.reason = reason
        _parsing.refused = True


def _bad_constant(name: str) -> _Bad:
    return _Bad(f"{name} is not a JSON number (numbers must be finite)")


def _parse_float(s: str):
    x = float(s)
    if not math.isfinite(x):
        return _Bad(f"the number {_clip(s)} is too large")
    return x


def _parse_int(s: str):
    if len(s.lstrip("-")) > 300:
        return _Bad(f"the number {_clip(s)} is too large")
    x = int(s)
    return x if -MAX_INT <= x <= MAX_INT else _Bad(_big_int(x))


def _object(pairs: list) -> dict:
    out = dict(pairs)  # the common case, at C speed; a shorter dict means a key was repeated
    if len(out) == len(pairs):
        return out
    out = {}
    for k, v in pairs:
        if k in out:
            v = _Bad(f"the key {k!r} appears more than once in this object")
        out[k] = v
    return out


def _clip(s: str, n: int = 24) -> str:
    return s if len(s) <= n else s[: n - 3] + "..."


def _one_line(s: str, n: int = 200) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 3] + "..."


MAX_DEPTH = 64          # nesting of objects and arrays (a circuit itself needs about 6)
MAX_INT = 2**53         # larger integers would not survive conversion to float


def _check_plain(x: Any, path: str = "$", depth: int = 0) -> None:
    """Refuse anything that is not plain, finite, reasonably nested JSON data, naming its path.

    Runs before the schema so that from_dict is safe on any Python value (cycles, NaN, huge
    integers, non-string keys, lone surrogates) and a loaded circuit can always be saved again.
    One pass over the data; the JSON path is only built for the value that is refused.
    """
    bad = _find_bad(x, depth)
    if bad is not None:
        keys, reason = bad
        for k in reversed(keys):
            path = join_path(path, k)
        raise CircuitError(path, reason)


_FLOAT, _INT, _STR, _BOOL, _DICT, _LIST = float, int, str, bool, dict, list


def _find_bad(x: Any, depth: int) -> tuple[list, str] | None:
    """(keys from the offending value up to ``x``, reason), or None when ``x`` is plain JSON data.

    Leaves (most of a big file) are checked inline, without a call each."""
    t = type(x)
    if t is _DICT:
        if depth >= MAX_DEPTH:
            return [], f"nested more than {MAX_DEPTH} levels deep"
        for k, v in x.items():
            if type(k) is not _STR:
                return [], f"object key {_clip(repr(k))} is not text"
            if not k.isascii():
                bad = _bad_text(k)
                if bad is not None:
                    return bad
            t = type(v)
            if t is _STR:
                if v.isascii():
                    continue
            elif t is _FLOAT:
                if v - v == 0.0:  # finite
                    continue
            elif t is _INT:
                if -MAX_INT <= v <= MAX_INT:
                    continue
            elif t is _BOOL or v is None:
                continue
            bad = _find_bad(v, depth + 1)
            if bad is not None:
                bad[0].append(k)
                return bad
        return None
    if t is _LIST:
        if depth >= MAX_DEPTH:
            return [], f"nested more than {MAX_DEPTH} levels deep"
        for i, v in enumerate(x):
            t = type(v)
            if t is _FLOAT:
                if v - v == 0.0:
                    continue
            elif t is _DICT or t is _LIST or t is not _BOOL and v is not None:
                pass
            else:
                continue
            bad = _find_bad(v, depth + 1)
            if bad is not None:
                bad[0].append(i)
                return bad
        return None
    if t is _STR:
        return None if x.isascii() else _bad_text(x)
    if t is _FLOAT:
        return None if math.isfinite(x) else ([], f"{x} is not allowed (numbers must be finite)")
    if x is None or t is _BOOL:
        return None
    if t is _INT:
        return None if -MAX_INT <= x <= MAX_INT else ([], _big_int(x))
    return _find_bad_slow(x, depth)


def _find_bad_slow(x: Any, depth: int) -> tuple[list, str] | None:
    """Subclasses of the JSON types and everything else (rare: documents built in Python)."""
    if isinstance(x, _Bad):
        return [], x.reason
    if isinstance(x, bool):
        return None
    if isinstance(x, int):
        return None if abs(x) <= MAX_INT else ([], _big_int(x))
    if isinstance(x, float):
        return _find_bad(float(x), depth)
    if isinstance(x, str):
        return _bad_text(str(x))
    if isinstance(x, dict):
        return _find_bad(dict(x), depth)
    if isinstance(x, list):
        return _find_bad(list(x), depth)
    return [], f"{type(x).__name__} is not a JSON value"


def _bad_text(s: str) -> tuple[list, str] | None:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return [], "text contains an unpaired surrogate (invalid Unicode)"
    return None


def _big_int(x: int) -> str:
    return f"the number {_clip(str(x)) if abs(x) < 10**300 else 'given'} is too large"


def from_dict(doc: Any, _parsed_clean: bool = False, _table: RegionTable | None = None) -> model.Circuit:
    """Validate a parsed document (any version) and build the circuit."""
    with _gc_paused():
        return _from_dict(doc, _parsed_clean, _table)


@contextmanager
def _gc_paused():
    """A big file makes millions of objects and no cycles: collecting them while parsing, checking
    and building is wasted time."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _from_dict(doc: Any, parsed_clean: bool, table: RegionTable | None = None) -> model.Circuit:
    table = table if table is not None else _table(doc)
    if not (parsed_clean and _clean_and_valid(doc, table)):
        _check_plain(doc)
        current = doc.get("version") == VERSION if isinstance(doc, dict) else False
        migrated = migrate(doc)
        if migrated is not doc or not current:  # a migration may change the regions in place
            doc, table = migrated, _table(migrated)
        try:
            err = None if _fast_valid(doc, table) else best_match(_validator().iter_errors(doc))
        except RecursionError:
            raise CircuitError("$", "nested too deeply") from None
        if err is not None:
            raise CircuitError(err.json_path, _reason(err)) from None
    check_document(doc, table)
    return _build(doc, table)


def _table(doc: Any) -> RegionTable | None:
    return region_table(doc.get("regions")) if isinstance(doc, dict) else None


def _clean_and_valid(doc: Any, table: RegionTable | None = None) -> bool:
    """A shortcut for big files straight from the parser: True when the document is of the current
    version and passes the compiled schema, so that :func:`_check_plain` has nothing left to find.

    The parser's hooks met nothing to refuse (no NaN, inf, integer beyond MAX_INT or repeated key;
    a lone surrogate makes the compiled validator fail), and the schema closes every object except
    ``view`` to unknown fields (tests/test_io_fuzz.py checks this), so only ``view`` can nest deeper
    than MAX_DEPTH: it alone is walked. The regions the columns vouch for hold only text and numbers
    (:func:`simcore.region_table.schema_residue`). False means "take the full path", which names the
    problem."""
    if not isinstance(doc, dict) or doc.get("version") != VERSION or doc.get("format") != FORMAT:
        return False
    if not _fast_valid(doc, table):
        return False
    _check_plain(doc.get("view"), "$.view", 1)
    return True


def _reason(err: jsonschema.ValidationError) -> str:
    """Say in plain words what a schema error means (one line, no schema jargon)."""
    v = err.validator
    inst = _short(err.instance)
    if v == "required":
        missing = [r for r in err.validator_value if not isinstance(err.instance, dict) or r not in err.instance]
        return f"missing required field {missing[0]!r}" if missing else _one_line(err.message)
    if v == "additionalProperties":
        props = err.schema.get("properties", {})
        extra = sorted(set(err.instance) - set(props)) if isinstance(err.instance, dict) else []
        allowed = ", ".join(props) or "none"
        return f"unknown field {_clip(repr(extra[0]), 60)} (allowed: {allowed})" if extra else _one_line(err.message)
    if v in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        op = {"minimum": ">=", "exclusiveMinimum": ">", "maximum": "<=", "exclusiveMaximum": "<"}[v]
        return f"{inst} is out of range: must be {op} {err.validator_value:g}"
    if v == "type":
        want = err.validator_value if isinstance(err.validator_value, str) else " or ".join(err.validator_value)
        want = {"object": "an object", "array": "an array", "string": "text", "number": "a number",
                "integer": "a whole number", "boolean": "true or false", "number or null": "a number or null",
                "number or boolean or string": "a number, true/false or text"}.get(want, want)
        return f"{inst} has the wrong type: expected {want}"
    if v == "enum":
        return f"{inst} is not one of {', '.join(map(repr, err.validator_value))}"
    if v == "const":
        return f"{inst} should be {err.validator_value!r}"
    if v == "pattern":
        return f"{inst} is not a valid name (letters, digits, space, _ - < > +; at most 64 characters)"
    if v == "minLength":
        return "must not be empty" if err.validator_value == 1 else f"must be at least {err.validator_value} characters"
    if v == "maxLength":
        return f"is too long: at most {err.validator_value} characters"
    if v in ("minItems", "maxItems") and err.validator_value == err.schema.get("minItems") == err.schema.get("maxItems"):
        return f"{inst} should be a list of exactly {err.validator_value} numbers"
    if v == "minItems":
        return f"{inst} has too few items: at least {err.validator_value}"
    if v == "maxItems":
        return f"{inst} has too many items: at most {err.validator_value}"
    return _one_line(err.message)


def _short(x: Any) -> str:
    s = json.dumps(x) if not isinstance(x, str) else repr(x)
    return s if len(s) <= 40 else s[:37] + "..."


def _build(doc: dict, table: RegionTable | None = None) -> model.Circuit:
    protocol = doc.get("protocol", [])
    # name tables for the set paths of protocol events and of a fork's changes (not built for big files without them)
    tables = (dict(zip(table.names, doc["regions"])) if table is not None else {r["name"]: r for r in doc["regions"]},
              {p["name"]: p for p in doc["projections"]}) if protocol or doc.get("fork") else ()
    seen: dict = {}
    comp = lambda fam, c: model.Component(c["kind"], _params(fam, c["kind"], c.get("params"), seen))  # noqa: E731
    default_delay = {"kind": "constant"}
    if table is not None and table.params is None and table.homeostasis is None:
        regions = _plain_regions(table)
    else:
        regions = _regions(doc["regions"], seen)
    projections = [
        model.Projection(
            p["name"], p["source"], p["target"], p["synapse"],
            comp("connectivity", p["connectivity"]), comp("weights", p["weights"]),
            comp("delay", p.get("delay", default_delay)),
            [model.Rule(r["kind"], _params("rule", r["kind"], r.get("params"), seen), r.get("enabled", True))
             for r in p.get("rules", [])])
        for p in doc["projections"]]
    return model.Circuit(
        name=doc["name"], title=doc.get("title", ""), description=doc.get("description", ""),
        settings=_section(model.Settings, doc.get("settings", {})),
        recording=_section(model.Recording, doc.get("recording", {})),
        regions=regions, projections=projections,
        protocol=[model.Event(float(e["time_s"]), e["action"], e["target"], e.get("param", ""),
                              _event_value(tables, e)) for e in protocol],
        expect=[model.Expect(e["metric"], e["target"], _opt_float(e.get("min")), _opt_float(e.get("max")),
                             e.get("note", ""), _opt_float(e.get("from_s")), _opt_float(e.get("to_s")),
                             e.get("input", ""), e.get("ref_target", ""), _opt_float(e.get("ref_from_s")),
                             _opt_float(e.get("ref_to_s")), "" if e.get("branch") == "A" else e.get("branch", ""))
                for e in doc.get("expect", [])],
        layout={k: [float(x) for x in v] for k, v in doc.get("layout", {}).items()},
        view=doc.get("view", {}),
        fork=_fork(tables, doc.get("fork")),
    )


def _plain_regions(table: RegionTable) -> list[model.Region]:
    """Regions that give only the four required fields, built by columns (``map`` calls the class from
    C: no Python loop body per region of a file with 10^5 of them). Each gets its own copy of its
    model's defaults."""
    defaults = {m: kind("neuron", m).defaults() for m in set(table.models)}
    params = map(dict, map(defaults.__getitem__, table.models))
    sizes = table.sizes if table.sizes_are_int else map(int, table.sizes)
    return list(map(model.Region, table.names, table.models, sizes, table.roles, params))


def _regions(given_regions: list[dict], seen: dict) -> list[model.Region]:
    Region, regions, defaults = model.Region, [], {}
    for r in given_regions:  # a loop without calls for the common region: files may hold 10^5 of them
        m, given, h = r["model"], r.get("params"), r.get("homeostasis")
        if given:
            params = _params("neuron", m, given, seen)
        else:
            params = defaults.get(m)
            params = (params if params is not None else defaults.setdefault(m, kind("neuron", m).defaults())).copy()
        regions.append(Region(r["name"], m, int(r["size"]), r["role"], params, None if h is None else _homeostasis(h)))
    return regions


def _fork(tables: tuple[dict, dict], f: dict | None) -> model.Fork | None:
    if f is None:
        return None
    from .validate import param_at

    return model.Fork(float(f.get("time_s", 0.0)),
                      [model.Change(ch["target"], ch["param"], param_at(*tables, ch["target"], ch["param"]).coerce(ch["value"]))
                       for ch in f["changes"]], f.get("label_a", "A"), f.get("label_b", "B"))


def _homeostasis(h: dict | None) -> model.Homeostasis | None:
    if h is None:
        return None
    return model.Homeostasis(h["kind"], _params("homeostasis", h["kind"], h.get("params")), h.get("enabled", True),
                             list(h.get("projections", [])))


def _params(family: str, name: str, given: dict | None, seen: dict | None = None) -> dict:
    """The complete parameters of a kind, as a new dict. ``seen``: the kinds met so far in this
    file, with their defaults (called per region: each kind is looked up once)."""
    got = seen.get((family, name)) if seen is not None else None
    if got is None:
        k = kind(family, name)
        got = (k.defaults(), k.params)
        if seen is not None:
            seen[(family, name)] = got
    out = dict(got[0])
    if given:
        out.update(given)
        for p in got[1]:  # normalise given values to their declared type (an int 5 becomes 5.0)
            if p.name in given:
                out[p.name] = p.coerce(out[p.name])
    return out


def _section(cls, given: dict):
    return cls(**{p.name: p.coerce(given.get(p.name, p.default)) for p in cls.PARAMS})


def _event_value(tables: tuple[dict, dict], e: dict):
    """A "set" value takes the type of the parameter it sets (an int stays an int), others are numbers."""
    value = e.get("value", 0.0)
    if e["action"] == "set":
        return param_at(*tables, e["target"], e.get("param", "")).coerce(value)
    return _number(value)


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
    doc["regions"] = [_region_dict(r) for r in c.regions]
    doc["projections"] = [
        {"name": p.name, "source": p.source, "target": p.target, "synapse": p.synapse,
         "connectivity": comp(p.connectivity), "weights": comp(p.weights), "delay": comp(p.delay),
         "rules": [{"kind": r.kind, "enabled": r.enabled, "params": dict(r.params)} for r in p.rules]}
        for p in c.projections]
    if c.protocol:
        doc["protocol"] = [asdict(e) for e in c.protocol]
    if c.expect:
        doc["expect"] = [{k: v for k, v in asdict(e).items()
                          if k in ("metric", "target") or (v is not None and v != "")} for e in c.expect]
    if c.fork is not None:
        doc["fork"] = {"time_s": c.fork.time_s, "label_a": c.fork.label_a, "label_b": c.fork.label_b,
                       "changes": [asdict(ch) for ch in c.fork.changes]}
    if c.layout:
        doc["layout"] = {k: list(v) for k, v in c.layout.items()}
    if c.view:
        doc["view"] = c.view
    return doc


def _region_dict(r: model.Region) -> dict:
    out = {"name": r.name, "model": r.model, "size": r.size, "role": r.role, "params": dict(r.params)}
    h = r.homeostasis
    if h is not None:
        out["homeostasis"] = {"kind": h.kind, "enabled": h.enabled, "params": dict(h.params)}
        if h.projections:
            out["homeostasis"]["projections"] = list(h.projections)
    return out


def dumps(c: model.Circuit) -> str:
    """Circuit as JSON text: UTF-8, two-space indent, one key per line (diff-friendly)."""
    return json.dumps(to_dict(c), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def save(c: model.Circuit, path: str | os.PathLike) -> Path:
    """Write a circuit atomically: the old file stays intact until the new one is complete."""
    text = dumps(c)
    return atomic_write_text(Path(path), text)


def atomic_write_text(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically (see :func:`atomic_write`)."""
    data = text.encode("utf-8")  # fails before anything is touched if the text cannot be written
    return atomic_write(path, lambda f: f.write(data))


def atomic_write(path: str | os.PathLike, write: Callable[[Any], Any]) -> Path:
    """Write a temp file beside ``path`` with ``write(binary file)``, fsync it, rename it over ``path``.

    If anything fails (or the process is interrupted) the old file is untouched and the temp file
    removed; temp files left by a killed earlier save (nobody holds their lock any more) are removed
    by the next save. A new file gets the usual permissions (0666 minus the umask), a replaced file
    keeps its own; a symlink is followed, so the file it points to is replaced and the link kept.
    """
    path = Path(path)
    if path.is_symlink():
        path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = None
    fd, tmp = _create_temp(path)
    try:
        with os.fdopen(fd, "wb") as f:
            _lock(f)
            _remove_stale_temps(path, keep=tmp)
            if mode is not None:
                os.chmod(tmp, mode)
            write(f)
            f.flush()
            os.fsync(f.fileno())
            if fcntl is not None:
                os.replace(tmp, path)  # while still locked: a concurrent cleaner never takes it for stale
        if fcntl is None:
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


def temp_name_pattern(path: Path) -> re.Pattern:
    """Names of the temp files that saves of ``path`` create (``.<name>.<12 hex>.tmp``)."""
    return re.compile(re.escape(f".{path.name}.") + r"[0-9a-f]{12}\.tmp")


def _create_temp(path: Path) -> tuple[int, str]:
    """Create ``.<name>.<random>.tmp`` beside ``path`` (mode 0666 minus umask, unlike mkstemp's 0600)."""
    for _ in range(100):
        tmp = str(path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"cannot create a temporary file beside {path}")


def _lock(f) -> None:
    """Hold an exclusive lock on our temp file while we write it: a lockable temp file is stale."""
    if fcntl is not None:
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            pass


STALE_AGE_S = 24 * 3600  # without file locks (Windows), a temp file this old is taken as stale


def _remove_stale_temps(path: Path, keep: str) -> None:
    """Remove temp files of earlier saves of ``path`` that were killed before they could clean up."""
    pattern = temp_name_pattern(path)
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return
    for entry in entries:
        if not pattern.fullmatch(entry.name) or entry.path == keep:
            continue
        try:
            if fcntl is None:
                import time

                if time.time() - entry.stat(follow_symlinks=False).st_mtime < STALE_AGE_S:
                    continue
                os.unlink(entry.path)
                continue
            fd = os.open(entry.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # fails while a live save holds it
        except OSError:
            os.close(fd)
            continue
        try:
            os.unlink(entry.path)
        except OSError:
            pass
        finally:
            os.close(fd)
