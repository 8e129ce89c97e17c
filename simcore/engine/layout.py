"""Pack a built network into a few flat arrays ("arenas") described by tables of offsets and shapes.

The kernel (simcore.engine.kernel) is compiled once per set of component *kinds*; it never sees a
circuit's structure as types, only as data: one arena per dtype, and for every array of every
region, projection and rule one row ``(offset, d0, d1, d2)`` of a table. Inside the time-step loop
the kernel takes views of the arenas from these rows, so 3 regions or 3000 compile to the same code.

The namedtuples of the network (``RegionBuild.arrays`` ...) are rebound to views of the same arenas,
so Python reads and writes (live parameter changes, tests, displays) go straight to the kernel's
memory. Whatever replaces an array (e.g. a spike schedule with more rows) calls :func:`pack` again.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .impl import RegionArrays, RuleArrays, SynArrays

# rows per instance in each table, in the order of the namedtuple fields the kernel rebuilds
REGION_FIELDS = ("S", "P", "inp", "spk", "rng", "flags")
SYN_FIELDS = ("W", "post", "indptr", "in_indptr", "in_syn", "pre_of", "delay", "gain")
RULE_FIELDS = ("P", "pre", "post", "syn", "glob", "M", "flags", "src", "tgt")
ARENA_OF = {  # field -> arena name, per table
    "region": {"S": "f64", "P": "f64", "inp": "f64", "spk": "i32", "rng": "u64", "flags": "i64"},
    "syn": {"W": "f32", "post": "i32", "indptr": "i32", "in_indptr": "i32", "in_syn": "i32", "pre_of": "i32",
            "delay": "i32", "gain": "f64"},
    "rule": {"P": "f64", "pre": "f64", "post": "f64", "syn": "f64", "glob": "f64", "M": "f64", "flags": "i64",
             "src": "f64", "tgt": "f64"},
}
DTYPES = {"f64": np.float64, "f32": np.float32, "i32": np.int32, "u64": np.uint64, "i64": np.int64}
SHARED = ("M", "src", "tgt")  # rule fields that are views of a region's state, not arrays of their own
ALIGN = 8  # elements: every array starts on a 64-byte boundary of its arena


@dataclass
class Arenas:
    f64: np.ndarray
    f32: np.ndarray
    i32: np.ndarray
    u64: np.ndarray
    i64: np.ndarray
    RT: np.ndarray  # region table (nreg * 6, 4)
    PT: np.ndarray  # projection (synapse) table (nproj * 8, 4)
    LT: np.ndarray  # rule table (nrule * 9, 4)

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.f64, self.f32, self.i32, self.u64, self.i64, self.RT, self.PT, self.LT))


def _shape4(a: np.ndarray) -> tuple[int, int, int]:
    s = tuple(int(x) for x in a.shape) + (1, 1, 1)
    return s[0], s[1], s[2]


class _Packer:
    def __init__(self):
        self.size = {k: 0 for k in DTYPES}
        self.items: list[tuple[str, np.ndarray, np.ndarray, int]] = []  # (arena, array, table, row)

    def place(self, arena: str, a: np.ndarray, table: np.ndarray, row: int) -> None:
        off = self.size[arena]
        table[row] = (off, *_shape4(a))
        self.size[arena] = off + -(-a.size // ALIGN) * ALIGN
        self.items.append((arena, a, table, row))


def pack(net) -> Arenas:
    """Copy every array of ``net`` into arenas, rebind the network's namedtuples to views of them and
    return the arenas with their tables. Idempotent: packing a packed network copies it afresh."""
    regions, projections, rules = net.regions, net.projections, net.rules
    RT = np.zeros((len(regions) * len(REGION_FIELDS), 4), np.int64)
    PT = np.zeros((len(projections) * len(SYN_FIELDS), 4), np.int64)
    LT = np.zeros((len(rules) * len(RULE_FIELDS), 4), np.int64)
    pk = _Packer()
    for i, r in enumerate(regions):
        for f, name in enumerate(REGION_FIELDS):
            pk.place(ARENA_OF["region"][name], getattr(r.arrays, name), RT, i * len(REGION_FIELDS) + f)
    for k, p in enumerate(projections):
        for f, name in enumerate(SYN_FIELDS):
            pk.place(ARENA_OF["syn"][name], getattr(p.arrays, name), PT, k * len(SYN_FIELDS) + f)
    dummy = np.zeros((1, 1))  # M of a rule without a modulator
    dummy_row = np.zeros((1, 4), np.int64)
    pk.place("f64", dummy, dummy_row, 0)
    for m, rb in enumerate(rules):
        for f, name in enumerate(RULE_FIELDS):
            if name not in SHARED:
                pk.place(ARENA_OF["rule"][name], getattr(rb.arrays, name), LT, m * len(RULE_FIELDS) + f)
    arenas = {k: np.zeros(max(1, n), DTYPES[k]) for k, n in pk.size.items()}
    for arena, a, table, row in pk.items:
        off, d0, d1, d2 = table[row]
        arenas[arena][off:off + a.size] = a.reshape(-1)

    def view(arena: str, row) -> np.ndarray:
        off, d0, d1, d2 = (int(x) for x in row)
        shape = {1: (d0,), 2: (d0, d1), 3: (d0, d1, d2)}
        flat = arenas[arena][off:off + d0 * d1 * d2]
        return flat, shape

    def rebind(table, base, fields, arena_of, old):
        out = {}
        for f, name in enumerate(fields):
            if name in SHARED:
                continue
            flat, shape = view(arena_of[name], table[base + f])
            out[name] = flat.reshape(getattr(old, name).shape)
        return out

    for i, r in enumerate(regions):
        r.arrays = RegionArrays(**rebind(RT, i * len(REGION_FIELDS), REGION_FIELDS, ARENA_OF["region"], r.arrays))
    for k, p in enumerate(projections):
        p.arrays = SynArrays(**rebind(PT, k * len(SYN_FIELDS), SYN_FIELDS, ARENA_OF["syn"], p.arrays))
    nf = len(RULE_FIELDS)
    for m, rb in enumerate(rules):
        p = projections[rb.projection]
        own = rebind(LT, m * nf, RULE_FIELDS, ARENA_OF["rule"], rb.arrays)
        src, tgt = p.source, p.target
        LT[m * nf + RULE_FIELDS.index("src")] = RT[src * len(REGION_FIELDS)]
        LT[m * nf + RULE_FIELDS.index("tgt")] = RT[tgt * len(REGION_FIELDS)]
        LT[m * nf + RULE_FIELDS.index("M")] = RT[rb.modulator * len(REGION_FIELDS)] if rb.modulator >= 0 else dummy_row[0]
        M = regions[rb.modulator].arrays.S if rb.modulator >= 0 else view("f64", dummy_row[0])[0].reshape(1, 1)
        if rb.follows >= 0:  # one part of a region's homeostat: M is the leading part's post state
            LT[m * nf + RULE_FIELDS.index("M")] = LT[rb.follows * nf + RULE_FIELDS.index("post")]
            M = rules[rb.follows].arrays.post
        rb.arrays = RuleArrays(M=M, src=regions[src].arrays.S, tgt=regions[tgt].arrays.S, **own)
    return Arenas(RT=RT, PT=PT, LT=LT, **arenas)
