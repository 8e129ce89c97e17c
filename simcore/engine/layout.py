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
SYN_FIELDS = ("W", "post", "indptr", "in_indptr", "in_syn", "in_pre", "delay", "gain")
RULE_FIELDS = ("P", "pre", "post", "syn", "glob", "M", "flags", "src", "tgt")
ARENA_OF = {  # field -> arena name, per table
    "region": {"S": "f64", "P": "f64", "inp": "f64", "spk": "i32", "rng": "u64", "flags": "i64"},
    "syn": {"W": "f32", "post": "i32", "indptr": "i32", "in_indptr": "i32", "in_syn": "i32", "in_pre": "i32",
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
    """Offsets first (from shapes alone), then the arenas, then the copies instance by instance."""

    def __init__(self):
        self.size = {k: 0 for k in DTYPES}

    def place(self, arena: str, a: np.ndarray, table: np.ndarray, row: int) -> None:
        off = self.size[arena]
        table[row] = (off, *_shape4(a))
        self.size[arena] = off + -(-a.size // ALIGN) * ALIGN


def pack(net) -> Arenas:
    """Copy every array of ``net`` into arenas, rebind the network's namedtuples to views of them and
    return the arenas with their tables. Idempotent: packing a packed network copies it afresh.

    Memory: the arenas are allocated untouched (pages are committed as they are written) and each
    instance is rebound as soon as it is copied, so its own arrays can be freed: the peak stays near
    one copy of the network plus its largest instance, not two copies."""
    regions, projections, rules = net.regions, net.projections, net.rules
    nr, ns, nl = len(REGION_FIELDS), len(SYN_FIELDS), len(RULE_FIELDS)
    RT = np.zeros((len(regions) * nr, 4), np.int64)
    PT = np.zeros((len(projections) * ns, 4), np.int64)
    LT = np.zeros((len(rules) * nl, 4), np.int64)
    pk = _Packer()
    for i, r in enumerate(regions):
        for f, name in enumerate(REGION_FIELDS):
            pk.place(ARENA_OF["region"][name], getattr(r.arrays, name), RT, i * nr + f)
    for k, p in enumerate(projections):
        for f, name in enumerate(SYN_FIELDS):
            pk.place(ARENA_OF["syn"][name], getattr(p.arrays, name), PT, k * ns + f)
    dummy_row = np.zeros((1, 4), np.int64)
    pk.place("f64", np.zeros((1, 1)), dummy_row, 0)  # M of a rule without a modulator
    for m, rb in enumerate(rules):
        for f, name in enumerate(RULE_FIELDS):
            if name not in SHARED:
                pk.place(ARENA_OF["rule"][name], getattr(rb.arrays, name), LT, m * nl + f)
    arenas = {k: np.zeros(max(1, n), DTYPES[k]) for k, n in pk.size.items()}

    def move(table, base, fields, arena_of, old) -> dict:
        out = {}
        for f, name in enumerate(fields):
            if name in SHARED:
                continue
            a = getattr(old, name)
            off = int(table[base + f, 0])
            view = arenas[arena_of[name]][off:off + a.size]
            view[:] = a.reshape(-1)
            out[name] = view.reshape(a.shape)
        return out

    for i, r in enumerate(regions):
        r.arrays = RegionArrays(**move(RT, i * nr, REGION_FIELDS, ARENA_OF["region"], r.arrays))
    for k, p in enumerate(projections):
        p.arrays = SynArrays(**move(PT, k * ns, SYN_FIELDS, ARENA_OF["syn"], p.arrays))
    dummy = arenas["f64"][int(dummy_row[0, 0]):int(dummy_row[0, 0]) + 1].reshape(1, 1)
    for m, rb in enumerate(rules):
        p = projections[rb.projection]
        own = move(LT, m * nl, RULE_FIELDS, ARENA_OF["rule"], rb.arrays)
        src, tgt = p.source, p.target
        LT[m * nl + RULE_FIELDS.index("src")] = RT[src * nr]
        LT[m * nl + RULE_FIELDS.index("tgt")] = RT[tgt * nr]
        LT[m * nl + RULE_FIELDS.index("M")] = RT[rb.modulator * nr] if rb.modulator >= 0 else dummy_row[0]
        M = regions[rb.modulator].arrays.S if rb.modulator >= 0 else dummy
        if rb.follows >= 0:  # one part of a region's homeostat: M is the leading part's post state
            LT[m * nl + RULE_FIELDS.index("M")] = LT[rb.follows * nl + RULE_FIELDS.index("post")]
            M = rules[rb.follows].arrays.post
        rb.arrays = RuleArrays(M=M, src=regions[src].arrays.S, tgt=regions[tgt].arrays.S, **own)
    return Arenas(RT=RT, PT=PT, LT=LT, **arenas)
