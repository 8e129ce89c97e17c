"""Every quantity a circuit file implies, computed in one place before anything is allocated.

A file fixes more than its parameters: the number of time steps of a run, the slots of each
region's input ring buffer (longest incoming delay / dt), the rows of every recorder, the step at
which each protocol event fires. Validation refuses a file whose derived quantities cannot be
represented or would not fit in memory, naming the JSON path of the value that causes it, so
that a file that validates never fails later on an allocation nobody foresaw. The engine sizes
its recorders with the same functions (:func:`recorder_rows`).

Everything here works on the parsed document (a dict, parameters possibly incomplete) and on
floats, so that absurd values give an answer instead of an ``OverflowError``.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

from .errors import CircuitError
from .params import MAX_STEPS, capabilities, kind, kinds

VOLTAGE_HISTORY_S = 2.0          # membrane potentials are kept for the last 2 s
RASTER_CHUNK_MAX = 500_000       # spikes buffered per chunk before they reach the raster ring
# bytes per synapse for the whole run: the arena (weight f32; target, source, delay, reverse index
# i32) and three float64 copies of the weights (built, reference, start of the run)
BYTES_PER_SYNAPSE = 5 * 4 + 3 * 8
# while projections are wired each keeps 16 B/synapse until the arena takes it, and the one being
# wired has 64-bit indices, random gaps and float64 weights and delays before they are narrowed
KEPT_PER_SYNAPSE = 16
WIRING_PER_SYNAPSE = 40
BASELINE_BYTES = 150 * 2**20     # the interpreter with numpy, numba and the kernel loaded
MIN_STATS_SAMPLES = 2


def memory_limit_bytes() -> int:
    """Largest total we agree to allocate: SYNAPTICA_MAX_MEMORY_GB, else half the RAM."""
    env = os.environ.get("SYNAPTICA_MAX_MEMORY_GB")
    if env:
        try:
            gb = float(env)
        except ValueError:
            gb = float("nan")
        if not (gb > 0 and gb < 2**40):
            raise CircuitError("$", f"SYNAPTICA_MAX_MEMORY_GB={env!r} is not a positive number of GiB")
        return int(gb * 2**30)
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        return 8 * 2**30


def steps(seconds: float, dt_ms: float) -> float:
    """Time steps in ``seconds`` as a float (inf when it does not fit; never raises)."""
    try:
        x = seconds * 1000.0 / dt_ms
    except (OverflowError, ZeroDivisionError):
        return math.inf
    return x


def _int_or_inf(x: float) -> float:
    return float(int(x)) if math.isfinite(x) else math.inf


@dataclass(frozen=True)
class RecorderRows:
    """Rows of each bounded recorder (floats: inf when absurd; the engine takes ``int`` of them)."""

    rates: float      # population-rate bins (history_s / rate_bin_ms)
    voltage: float    # membrane-potential samples (2 s / dt)
    stats: float      # weight-statistics / E-I input samples (history_s / stats_every_ms)
    chunk: float      # steps simulated in one kernel call at most (stats_every_ms / dt)
    raster: float     # spikes in the raster ring


def recorder_rows(recording: dict, dt_ms: float) -> RecorderRows:
    """The recorder sizes a run of this circuit allocates (the engine's formulas, in floats)."""
    rec = _complete_recording(recording)
    return RecorderRows(
        rates=max(1.0, _int_or_inf(rec["history_s"] * 1000.0 / rec["rate_bin_ms"])),
        voltage=max(1.0, _int_or_inf(steps(VOLTAGE_HISTORY_S, dt_ms))),
        stats=max(float(MIN_STATS_SAMPLES), _int_or_inf(rec["history_s"] * 1000.0 / rec["stats_every_ms"])),
        chunk=max(1.0, _round_or_inf(rec["stats_every_ms"] / dt_ms if dt_ms > 0 else math.inf)),
        raster=float(max(1, rec["raster_max_spikes"])),
    )


def _round_or_inf(x: float) -> float:
    return float(round(x)) if math.isfinite(x) else math.inf


def _complete_recording(recording: dict) -> dict:
    from .model import RECORDING_PARAMS

    out = {p.name: p.default for p in RECORDING_PARAMS}
    out.update(recording or {})
    return out


def _settings(doc: dict) -> dict:
    from .model import SETTINGS_PARAMS

    out = {p.name: p.default for p in SETTINGS_PARAMS}
    out.update(doc.get("settings") or {})
    return out


@dataclass
class Item:
    """One allocation: where in the file its size comes from, what it is, how many bytes."""

    path: str
    what: str
    bytes: float


@dataclass
class Derived:
    dt_ms: float
    duration_s: float
    run_steps: float
    slots: list[float]                      # input ring-buffer slots per region (1: direct input)
    synapses: list[float]                   # expected synapses per projection
    rows: RecorderRows
    other: list[Item] = field(default_factory=list)  # every allocation but the synapse stores
    # (projection index, expected synapses, bytes) of each projection's synapse store: a file may hold
    # 10^5 projections, and their Items (two formatted strings each) are only made when asked for
    synapse_bytes: list[tuple[int, float, float]] = field(default_factory=list)
    projections: list = field(default_factory=list, repr=False)

    @property
    def items(self) -> list[Item]:
        """Every allocation, the synapse stores first (in projection order)."""
        return [self._synapse_item(*s) for s in self.synapse_bytes] + self.other

    def _synapse_item(self, k: int, n: float, b: float) -> Item:
        return Item(f"$.projections[{k}].connectivity", f"{n:.3g} synapses of {self.projections[k]['name']!r}", b)

    @property
    def total_bytes(self) -> float:
        return sum(b for _, _, b in self.synapse_bytes) + sum(i.bytes for i in self.other)

    def largest(self) -> Item:
        """The largest allocation (the first of them in :attr:`items` order)."""
        other = max(self.other, key=lambda i: i.bytes) if self.other else None
        if self.synapse_bytes:
            syn = max(self.synapse_bytes, key=lambda s: s[2])
            if other is None or syn[2] >= other.bytes:
                return self._synapse_item(*syn)
        return other


def _complete(family: str, name: str, params: dict | None) -> dict:
    out = kind(family, name).defaults()
    out.update(params or {})
    return out


def _memo_complete(memo: dict, family: str, name: str, params: dict | None) -> dict:
    """:func:`_complete` once per distinct parameter set of a file (projections repeat theirs);
    the result is shared: read it, do not change it."""
    key = (family, name, frozenset(params.items()) if params else None)
    got = memo.get(key)
    if got is None:
        got = memo[key] = _complete(family, name, params)
    return got


def _longest_delay_ms(delay: dict | None, memo: dict) -> tuple[float, str]:
    d = delay or {"kind": "constant"}
    p = _memo_complete(memo, "delay", d["kind"], d.get("params"))
    if d["kind"] == "uniform":
        return p["high_ms"], "delay.params.high_ms"
    return p["value_ms"], "delay.params.value_ms"


def derive(doc: dict, duration_s: float | None = None, index: dict | None = None, table=None) -> Derived:
    """All derived sizes of a schema-valid document (``duration_s`` overrides the file's;
    ``index``: region name -> position, and ``table``: the regions as columns
    (:class:`simcore.region_table.RegionTable`), when the caller has them already)."""
    from .connectivity import expected_synapses

    st = _settings(doc)
    dt = st["dt_ms"]
    dur = st["duration_s"] if duration_s is None else duration_s
    regions = doc.get("regions", [])
    projections = doc.get("projections", [])
    if index is None:
        index = {r["name"]: i for i, r in enumerate(regions)}
    rec = _complete_recording(doc.get("recording"))
    rows = recorder_rows(rec, dt)
    items: list[Item] = []
    max_delay = [1.0] * len(regions)
    delay_path = [""] * len(regions)
    channels = [2] * len(regions)
    synapses = []
    total_syn, biggest = 0.0, (0.0, -1)
    fed = [False] * len(regions)  # a region nothing projects onto gets a one-slot buffer (engine.build)
    memo: dict = {}
    sizes = table.sizes if table is not None else None
    syn_memo: dict = {}    # (connectivity, its parameters, source size, target size) -> expected synapses
    rows_of: dict = {}     # rule kind -> rows of per-synapse state
    delay_memo: dict = {}  # (delay kind, its parameters) -> (delay slots, JSON path within the projection)
    syn_bytes = []
    fed_by = ("excitatory", "inhibitory", "shunting")
    for k, p in enumerate(projections):  # the hot loop of a file with many projections: no Python object per one
        s, t = index.get(p["source"]), index.get(p["target"])
        if s is None or t is None:
            synapses.append(0.0)
            continue
        syn = p["synapse"]
        if syn in fed_by:
            fed[t] = True
        c = p["connectivity"]
        ns, nt = (sizes[s], sizes[t]) if sizes is not None else (regions[s]["size"], regions[t]["size"])
        given = c.get("params")
        key = (c["kind"], frozenset(given.items()) if given else None, ns, nt)
        n = syn_memo.get(key)
        if n is None:
            n = syn_memo[key] = expected_synapses(c["kind"], ns, nt, _memo_complete(memo, "connectivity", c["kind"],
                                                                                    given))
        synapses.append(n)
        rule_rows = 0
        for rule in p.get("rules", ()):
            r_rows = rows_of.get(rule["kind"])
            if r_rows is None:
                impl = kind("rule", rule["kind"]).impl
                r_rows = rows_of[rule["kind"]] = len(impl.syn_vars) if impl is not None else 0
            rule_rows += r_rows
        n_alloc = n + 6.0 * math.sqrt(n)  # fixed probability: a few standard deviations above the mean
        syn_bytes.append((k, n, n_alloc * (BYTES_PER_SYNAPSE + 8 * rule_rows) + 4.0 * (ns + nt + 2) + 8.0 * nt))
        total_syn += n_alloc
        if n_alloc > biggest[0]:
            biggest = (n_alloc, k)
        if n > 0:
            delay = p.get("delay")
            given = delay.get("params") if delay else None
            key = (delay["kind"] if delay else None, frozenset(given.items()) if given else None)
            got = delay_memo.get(key)
            if got is None:
                ms, where = _longest_delay_ms(delay, memo)
                got = delay_memo[key] = (max(1.0, _round_or_inf(ms / dt)), where)
            d = got[0]
            if d > max_delay[t]:
                max_delay[t] = d
                delay_path[t] = f"$.projections[{k}].{got[1]}"
        if syn == "shunting":
            channels[t] = 3
    slots, n_voltage = [], 0
    if regions:  # arrays rather than a loop: files may hold 10^5 regions
        import numpy as np

        per_model = _per_model(dt)
        code_of = {m: c for c, m in enumerate(per_model)}
        models = table.models if table is not None else [r["model"] for r in regions]
        code = np.array(list(map(code_of.__getitem__, models)), dtype=np.intp)
        n = np.array(table.sizes if table is not None else [r["size"] for r in regions], dtype=float)
        rows_ = np.array([-1.0 if v[0] is None else float(v[0]) for v in per_model.values()])[code]
        per_params: dict = {}  # (model, parameters) -> state rows, for kinds whose rows depend on them
        for i in np.flatnonzero(rows_ < 0):
            r = regions[i]
            given = r.get("params")
            key = (r["model"], frozenset(given.items()) if given else None)
            if key not in per_params:
                per_params[key] = _state_rows(kinds("neuron")[r["model"]].impl, r, dt)
            rows_[i] = per_params[key]
        direct_ok = np.array([v[1] for v in per_model.values()], dtype=bool)[code]
        signal = np.array([v[2] for v in per_model.values()], dtype=bool)[code]
        d = np.array(max_delay, dtype=float)
        sl = np.where((direct_ok & (d == 1)) | ~np.array(fed, dtype=bool), 1.0, d + 1)
        slots = sl.tolist()
        with np.errstate(over="ignore", invalid="ignore"):
            state_b = (8.0 * rows_ + 8.0) * n  # state rows and a spike list of 2n int32 (kernel.run_chunk)
            ring_b = 8.0 * np.array(channels, dtype=float) * sl * n
        n_voltage = int(np.where(signal, 1, np.minimum(rec["voltage_neurons"], n)).sum())
        i = int(np.argmax(state_b))  # the first of the largest
        items.append(Item(f"$.regions[{i}].size", f"neuron state of all regions (largest: {regions[i]['name']!r}, "
                          f"{regions[i]['size']:,} neurons)", float(state_b.sum())))
        i = int(np.argmax(ring_b))
        items.append(Item(delay_path[i] or f"$.regions[{i}].size",
                          f"input ring buffers (largest: {regions[i]['name']!r}, {slots[i]:.3g} delay slots x "
                          f"{channels[i]} channels x {regions[i]['size']:,} neurons)", float(ring_b.sum())))
    nreg = len(regions)
    items.append(Item("$.recording.history_s", f"rate history ({rows.rates:.3g} bins of recording.rate_bin_ms "
                      f"x {nreg + 1} columns)", 8.0 * rows.rates * (nreg + 1)))
    items.append(Item("$.settings.dt_ms", f"membrane-potential history ({rows.voltage:.3g} steps of the last "
                      f"{VOLTAGE_HISTORY_S:g} s x {n_voltage + 1} columns)", 8.0 * rows.voltage * (n_voltage + 1)))
    stat_cols = 1 + 2 * nreg
    for p in projections:
        stat_cols += 6 + len(p.get("rules", [])) + 1 + rec["tracked_synapses"]
    items.append(Item("$.recording.stats_every_ms", f"statistics history ({rows.stats:.3g} samples x {stat_cols} "
                      "columns)", 8.0 * rows.stats * stat_cols))
    items.append(Item("$.recording.stats_every_ms", f"per-chunk buffers ({rows.chunk:.3g} steps per chunk x "
                      f"{nreg + n_voltage} columns)", 8.0 * rows.chunk * (nreg + n_voltage)))
    items.append(Item("$.recording.raster_max_spikes", f"raster ({rows.raster:.3g} spikes)",
                      24.0 * (rows.raster + min(rows.raster, RASTER_CHUNK_MAX))))
    # wiring makes temporaries on top of what stays: the peak is the larger of the two
    steady_syn = BYTES_PER_SYNAPSE * total_syn
    peak_syn = KEPT_PER_SYNAPSE * total_syn + WIRING_PER_SYNAPSE * biggest[0]
    if peak_syn > steady_syn:
        items.append(Item(f"$.projections[{biggest[1]}].connectivity", "temporaries while the largest projection "
                          "is wired", peak_syn - steady_syn))
    items.append(Item("$", "the interpreter with numpy and numba", BASELINE_BYTES))
    return Derived(dt, dur, steps(dur, dt), slots, synapses, rows, items, syn_bytes, projections)


def _per_model(dt: float) -> dict[str, tuple[int | None, bool, bool]]:
    """Per neuron model: (state rows, or None when they depend on the parameters; whether its input
    can go straight into its state; whether it is a modulatory signal)."""
    out = {}
    for name, k in kinds("neuron").items():
        impl = k.impl
        rows_ = None if impl is not None and impl.extra_rows is not None else _state_rows(impl, {}, dt)
        out[name] = (rows_, impl is not None and impl.direct_rows is not None, "signal" in capabilities(k))
    return out


def _state_rows(impl, region: dict, dt: float) -> int:
    """Rows of a region's state: its variables, or what its extra rows make (a frozen pattern)."""
    if impl is None:
        return 1
    if impl.extra_rows is None:
        return len(impl.vars)
    import numpy as np

    params = _complete("neuron", region["model"], region.get("params"))
    return int(impl.extra_rows(params, 1, dt, np.random.default_rng(0)).shape[0])


def check(doc: dict, duration_s: float | None = None, duration_path: str = "$.settings.duration_s",
          index: dict | None = None, table=None) -> Derived:
    """Raise :class:`CircuitError` when a derived quantity is not representable or does not fit in
    memory; return the derived quantities otherwise (``index`` and ``table`` as for :func:`derive`)."""
    d = derive(doc, duration_s, index, table)
    if not d.run_steps <= MAX_STEPS:
        raise CircuitError(duration_path, f"a run of {d.duration_s:g} s is {d.run_steps:.3g} time steps of "
                                          f"{d.dt_ms:g} ms, more than a run can count ({MAX_STEPS:.3g})")
    if d.run_steps < 0.5:
        raise CircuitError(duration_path, f"a run of {d.duration_s:g} s is shorter than one time step "
                                          f"({d.dt_ms:g} ms)")
    for i, e in enumerate(doc.get("protocol", [])):
        n = steps(e["time_s"], d.dt_ms)
        if not n <= MAX_STEPS:
            raise CircuitError(f"$.protocol[{i}].time_s", f"an event at {e['time_s']:g} s is {n:.3g} time steps "
                                                           f"away, more than a run can count ({MAX_STEPS:.3g})")
    limit = memory_limit_bytes()
    total = d.total_bytes
    if not total <= limit:
        worst = d.largest()
        raise CircuitError(worst.path, f"circuit too large: needs ~{_gib(total)} in all, above the limit of {_gib(limit)} "
                                       f"(set SYNAPTICA_MAX_MEMORY_GB to change it); the largest part is the "
                                       f"{worst.what}: ~{_gib(worst.bytes)}")
    return d


def _gib(b: float) -> str:
    return f"{b / 2**30:.3g} GiB" if math.isfinite(b) else "an unbounded amount of memory"


# -- claims on windows of the recorded history -------------------------------------------------

def claim_problem(e: dict, rec: dict, dt_ms: float, duration_s: float, windowed_kind: str) -> tuple[str, str] | None:
    """Why a windowed ``expect`` claim cannot be evaluated from what a run of ``duration_s`` keeps,
    as (field, reason), or None. ``windowed_kind``: "rates" (rate bins), "samples" (statistics
    samples averaged over the window) or "at" (one statistics sample at ``to_s``)."""
    lo, hi = e.get("from_s"), e.get("to_s")
    if lo is None and hi is None:
        return None
    rows = recorder_rows(rec, dt_ms)
    rec = _complete_recording(rec)
    end = _round_or_inf(steps(duration_s, dt_ms)) * dt_ms * 1e-3
    if hi is not None and hi > end + 1e-9:
        return "to_s", f"the claim's window ends at {hi:g} s, after the end of the run ({end:g} s)"
    if windowed_kind == "rates":
        kept = rows.rates * rec["rate_bin_ms"] * 1e-3
        what = "rate history"
    else:
        kept = (rows.stats - 1) * rec["stats_every_ms"] * 1e-3
        what = "statistics history"
    first = end - kept
    need = (hi if windowed_kind == "at" else (lo or 0.0))
    field_ = "to_s" if windowed_kind == "at" else "from_s"
    if need < first - 1e-9:
        return field_, (f"the claim needs the {what} from {need:g} s, but a run of {end:g} s keeps only its "
                        f"last {kept:g} s (recording.history_s); raise history_s to at least {end - need:g} "
                        "or shorten the run")
    return None
