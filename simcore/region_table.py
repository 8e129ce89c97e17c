"""The regions of a circuit file as columns (names, models, sizes, roles), read once at C speed.

A big file holds 10^5 regions that mostly look alike. Validation, the size estimate and the build
of the description each read every region, and a Python loop with a dozen dict lookups per region
was most of their time. The columns are made with ``map`` and ``itemgetter`` (no Python frame per
region), once per document, and shared by those stages. :func:`region_table` gives ``None`` when
the list is not uniform enough (a region that is not an object or lacks a field); callers then take
their per-region loop, which names the problem with its JSON path.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter, methodcaller

_NAME, _MODEL, _SIZE, _ROLE = (itemgetter(k) for k in ("name", "model", "size", "role"))
_PARAMS, _HOMEOSTASIS = methodcaller("get", "params"), methodcaller("get", "homeostasis")
REQUIRED = 4  # name, model, size, role: a region with exactly this many fields has no other
FIELDS = frozenset(("name", "model", "size", "role", "params", "homeostasis"))
_NAME_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_ \-<>+]{0,63}")  # schema.NAME_PATTERN, without its "$"


@dataclass(repr=False, eq=False)  # columns of 10^5 entries: never printed or compared whole
class RegionTable:
    """Columns of the region list, position for position. ``params`` and ``homeostasis`` are None when
    no region has the field (the common case of a big generated file), else one entry per region."""

    names: list
    models: list
    sizes: list
    roles: list
    params: list | None
    homeostasis: list | None
    _names_match: bool | None = field(default=None, repr=False)

    @property
    def names_match(self) -> bool:
        """Every name is text matching the schema's name pattern (no trailing newline either)."""
        if self._names_match is None:
            self._names_match = _names_match(self.names)
        return self._names_match

    def first_of(self, model: str) -> int:
        """Position of the first region of ``model``."""
        return self.models.index(model)

    @property
    def sizes_are_int(self) -> bool:
        return set(map(type, self.sizes)) <= {int}


def _names_match(names: list) -> bool:
    try:
        joined = "".join(names)
    except TypeError:  # a name that is not text
        return False
    # the common case at C speed: letters and digits only, 1 to 64 of them, match the pattern
    if joined.isascii() and joined.isalnum() and names and min(map(len, names)) >= 1 and max(map(len, names)) <= 64:
        return True
    return all(map(_NAME_RE.fullmatch, names))


def region_table(regions) -> RegionTable | None:
    """The columns of ``regions`` (a list of region objects), or None when some region is not an object
    with the four required fields."""
    if type(regions) is not list:
        return None
    try:
        names, models = list(map(_NAME, regions)), list(map(_MODEL, regions))
        sizes, roles = list(map(_SIZE, regions)), list(map(_ROLE, regions))
    except (TypeError, KeyError, IndexError):  # a region that is not an object, or lacks a field
        return None
    if set(map(len, regions)) <= {REQUIRED}:
        return RegionTable(names, models, sizes, roles, None, None)
    params = list(map(_PARAMS, regions))
    homeostasis = list(map(_HOMEOSTASIS, regions))
    return RegionTable(names, models, sizes, roles,
                       None if params.count(None) == len(params) else params,
                       None if homeostasis.count(None) == len(homeostasis) else homeostasis)


def schema_residue(regions: list, table: RegionTable, models: frozenset, roles: frozenset) -> list | None:
    """The regions the JSON Schema must still see, when the columns already show that every other one
    passes it; None when they cannot tell (then the schema sees them all, and names any problem).

    A region passes when its fields are among the declared ones, its name matches the pattern, its
    model and role are among ``models`` and ``roles`` and its size is an integer >= 1, and its
    parameters are those of a region the schema does see. Parameters compare as sets of (name,
    value); only text and numbers may take part, since ``True == 1`` would let a boolean pass for
    a number. A region with a homeostat is always seen."""
    if not table.names_match or not models.issuperset(table.models) or not roles.issuperset(table.roles):
        return None
    sizes = table.sizes
    if set(map(type, sizes)) - {int} or (sizes and min(sizes) < 1):
        return None
    if table.params is None and table.homeostasis is None:  # exactly the four required fields each
        return regions[:1]
    if not all(map(FIELDS.issuperset, regions)):
        return None
    seen = [r for r, h in zip(regions, table.homeostasis) if h is not None] if table.homeostasis else []
    if table.params is None:
        return seen + [regions[table.first_of(m)] for m in dict.fromkeys(table.models)]
    given = [g for g in table.params if g is not None]
    if set(map(type, given)) - {dict} or set(map(type, chain.from_iterable(map(dict.values, given)))) - {int, float, str}:
        return None
    keys = zip(table.models, [frozenset(g.items()) if g else None for g in table.params])
    n = len(regions)
    firsts = dict(zip(reversed(list(keys)), range(n - 1, -1, -1))).values()
    return seen + [regions[i] for i in sorted(firsts)]
