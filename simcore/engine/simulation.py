"""``Simulation``: run, step, change parameters live, snapshot, summarise, reset."""
from __future__ import annotations

import copy
import time
from dataclasses import asdict
from typing import Any, Callable

import numpy as np

from .. import derived
from ..errors import CircuitError
from ..model import Circuit
from ..params import MAX_STEPS, kind
from ..validate import param_at
from .build import Network, build
from .phases import PhaseTimer
from .plan import make_plan
from .expect import weight_shape
from .recorders import Ring
from .threads import ThreadGovernor, check_threads, default_threads, run_threads
from .stats import RankReference, effective_histogram, effective_moments, spearman, weight_stats

RATE_CEILING_HZ = 1000.0  # a spiking neuron population above this has blown up
RANK_SAMPLE = 5000  # synapses in the running rank-correlation estimate (the summary uses all)
HIST_SAMPLE = 250_000  # default: synapses read per histogram in snapshot() (every k-th; counts scaled by k)
VOLTAGE_HISTORY_S = derived.VOLTAGE_HISTORY_S


SCRATCH = ("_counts_buf", "_vrec_buf")  # per-chunk recorder buffers (see _chunk_rows): not copied by fork or pickle


class SimulationError(RuntimeError):
    """The run cannot go on (numerical blow-up); the message names the region or projection."""


class Simulation:
    """A running instance of a circuit. The circuit is copied: editing it afterwards changes nothing.

    >>> from simcore import load, Simulation
    >>> sim = Simulation(load("circuits/demos/scaling_preserves_relative_weights.json"), seed=0)
    >>> summary = sim.run(1.0)                 # the same dict as sim.summary()
    >>> sorted(summary["regions"]), summary["duration_s"]
    (['Input', 'Neurons'], 1.0)
    """

    def __new__(cls, circuit: Circuit | None = None, seed: int | None = None, backend: str = "numba", **kw):
        # Simulation(circuit, backend="nest") runs in NEST behind the same API (simcore.backends.nest)
        if backend == "nest":
            from ..backends.nest.runner import NestSimulation

            return NestSimulation(circuit, seed=seed, **kw)
        if backend != "numba":
            raise ValueError(f"unknown backend {backend!r} (numba or nest)")
        return super().__new__(cls)

    def __init__(self, circuit: Circuit, seed: int | None = None, backend: str = "numba", threads: int | None = None):
        """``threads``: how many threads step the network (results are the same for any number);
        default: every core when the network is big enough to gain from them, else one
        (simcore.engine.threads.default_threads)."""
        # ``set`` (live changes, protocol events) edits ``self.circuit``; reset starts again from this
        self._pristine = copy.deepcopy(circuit)
        self.circuit = copy.deepcopy(circuit)
        self.seed = circuit.settings.seed if seed is None else int(seed)
        self._kernel = None
        self.compile_s = 0.0
        self._threads_asked = None if threads is None else check_threads(threads)
        self._governor = ThreadGovernor()  # adjusts an automatic thread count to the machine's load
        self.phase_timer = PhaseTimer()  # off until started: where the kernel's time goes
        self._setup()

    # -- construction -----------------------------------------------------------------------
    def _setup(self) -> None:
        c = self.circuit
        self.net: Network = build(c, self.seed)
        self._plan = make_plan(self.net)
        self.__dict__.pop("_rate_window", None)  # the runaway check's window (engine/health.py)
        split = sum(r.n for r in self.net.regions if r.kind.impl.update_range is not None)
        self.threads = self._threads_asked if self._threads_asked is not None else default_threads(split)
        self.dt = c.settings.dt_ms
        self.step_index = 0
        rec = c.recording
        self._vcounts = [min(rec.voltage_neurons, r.n) if r.kind.name != "modulator" else 1 for r in self.net.regions]
        self._vidx = np.concatenate([np.linspace(0, r.n - 1, k).round().astype(np.int64) if k else np.zeros(0, np.int64)
                                     for r, k in zip(self.net.regions, self._vcounts)] or [np.zeros(0, np.int64)])
        self._vreg = np.repeat(np.arange(len(self._vcounts), dtype=np.int64), self._vcounts)
        self._rast_lim = np.array([min(rec.raster_max_neurons, r.n) for r in self.net.regions], np.int64)
        rows = derived.recorder_rows(asdict(rec), self.dt)  # the sizes validation checked, in one place
        self._rast = np.zeros((int(min(rows.raster, derived.RASTER_CHUNK_MAX)), 3), np.int64)
        self._rast_n = np.zeros(1, np.int64)
        self._stats_steps = int(rows.chunk)
        self._bin_steps = max(1, round(rec.rate_bin_ms / self.dt))
        nreg = len(self.net.regions)
        self.rates = Ring(int(rows.rates), nreg + 1)
        self._bin_rows = np.zeros((self._bin_steps, nreg))  # the counts of the bin still open
        self._bin_fill = 0
        self._bin_sizes = np.array([r.n for r in self.net.regions], float)
        self.raster = Ring(int(rows.raster), 3, np.int64)
        self.raster_dropped = 0
        self.voltage = Ring(int(rows.voltage), 1 + len(self._vidx))
        n_stats = int(rows.stats)
        self.stats = {p.name: Ring(n_stats, 6 + len(self._rules_of(k))) for k, p in enumerate(self.net.projections)}
        self.ei = Ring(n_stats, 1 + 2 * nreg)
        rng = np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=(9,)))
        self.tracked: dict[str, np.ndarray] = {}
        self.tracked_w = {}
        self._rank_idx = {}
        for p in self.net.projections:
            n = len(p.arrays.W)
            k = min(rec.tracked_synapses, n)
            self.tracked[p.name] = np.sort(rng.choice(n, k, replace=False)) if k else np.zeros(0, np.int64)
            self.tracked_w[p.name] = Ring(n_stats, 1 + k)
            self._rank_idx[p.name] = np.sort(rng.choice(n, min(RANK_SAMPLE, n), replace=False)) if n else np.zeros(0, np.int64)
        self.set_reference()
        self._static_cache: dict[str, dict] = {}
        self._static_summary: dict[str, dict] = {}
        self._spikes_total = np.zeros(nreg)
        self._events = sorted(self.circuit.protocol, key=lambda e: e.time_s)
        self._next_event = 0
        self.fired: list[tuple[float, str]] = []
        self._last_run = {"duration_s": 0.0, "wall_s": 0.0, "spikes": np.zeros(nreg), "w_start": self._weights_all()}
        self._record_stats()

    def _rules_of(self, k: int):
        return [rb for rb in self.net.rules if rb.projection == k]

    # -- kernel ---------------------------------------------------------------------------
    def compile(self, log: Callable[[str], None] | None = None) -> float:
        """Load the kernel for the registered component kinds, compiling it the first time on this
        machine (cached on disk afterwards, for every circuit); return seconds spent."""
        if self._kernel is not None:
            return 0.0
        from .kernel import kernel_lock, load_kernel, record_entries

        t0 = time.perf_counter()
        with kernel_lock():
            kernel, path, cached = load_kernel(*self._plan.kinds)
            if log and not cached:
                log("compiling simulation kernels (first run only; cached afterwards)...")
            self._kernel = kernel
            self._call(0, 0)
            if not cached:
                record_entries(path)
        self.compile_s = time.perf_counter() - t0
        return self.compile_s

    def _call(self, t0: int, n: int) -> None:
        self._counts = self._chunk_rows("_counts_buf", n, len(self.net.regions))
        self._vrec = self._chunk_rows("_vrec_buf", n, len(self._vidx))
        self._rast_n[0] = 0
        if self._threads_asked is not None or self.threads == 1 or n == 0:
            self._kernel_call(self.threads, t0, 0, n)
            return
        gov = self._governor
        done = 0
        for nth, k in gov.pieces(self.threads, n):  # any chunking gives the same run
            probe = nth is not None
            nth = nth if probe else gov.choice
            start = time.perf_counter()
            self._kernel_call(nth, t0 + done, done, k)
            gov.record(nth, self.threads, k, time.perf_counter() - start, probe)
            done += k

    def _chunk_rows(self, name: str, n: int, width: int) -> np.ndarray:
        """A (max(n, 1), width) recorder array for one chunk, a view of a buffer kept between chunks
        (allocating two fresh arrays for every chunk cost the window's engine ~1% of its time). The
        kernel writes every row of its steps; a zero-step chunk gets a zeroed row."""
        rows = max(n, 1)
        buf = self.__dict__.get(name)
        if buf is None or buf.shape[0] < rows or buf.shape[1] != width:
            buf = np.zeros((max(rows, 1024), width))
            self.__dict__[name] = buf
        out = buf[:rows]
        if n == 0:
            out[:] = 0.0
        return out

    def _kernel_call(self, nth: int, t0: int, at: int, n: int) -> None:
        """Steps ``t0 .. t0+n-1`` on ``nth`` threads, recorded from row ``at`` of this chunk's recorders."""
        timer = self.phase_timer
        start = time.perf_counter()
        run_threads(self._kernel, nth, len(self.net.regions),
                    (t0, n, *self._plan.args(), self._counts[at:], self._rast, self._rast_n, self._rast_lim,
                     self._vrec[at:], self._vidx, self._vreg, self.dt * 1e-3, timer.for_kernel(nth)))
        if timer.on:
            timer.wall_s += time.perf_counter() - start

    # -- running ----------------------------------------------------------------------------
    @property
    def t(self) -> float:
        """Simulated time in seconds."""
        return self.step_index * self.dt * 1e-3

    def steps_for(self, duration_s: float) -> int:
        return int(round(duration_s * 1000.0 / self.dt))

    def run(self, duration_s: float, progress: bool | Callable[[float, float], None] | None = None) -> dict:
        """Advance ``duration_s`` seconds of biological time; return :meth:`summary`.

        ``progress``: True draws a progress bar on stderr; a callable gets (fraction done, t).
        """
        if not 0 <= duration_s <= MAX_STEPS * self.dt * 1e-3:  # also refuses NaN and inf
            raise ValueError(f"duration must be a number of seconds in [0, {MAX_STEPS * self.dt * 1e-3:.3g}], "
                             f"not {duration_s!r}")
        self.compile(log=_stderr if progress is True else None)
        total = self.steps_for(duration_s)
        bar = None
        if progress is True:
            from tqdm import tqdm

            bar = tqdm(total=round(duration_s, 6), unit="s", unit_scale=False, desc="simulating",
                       bar_format="{desc} {bar} {n:.1f}/{total:.1f} s biological [{elapsed}<{remaining}]")
        self._last_run = {"duration_s": 0.0, "wall_s": 0.0, "spikes": self._spikes_total.copy(),
                          "w_start": self._weights_all()}
        w0 = time.perf_counter()
        done = 0
        try:
            while done < total:
                n = self._advance(total - done)
                done += n
                if bar is not None:
                    bar.update(n * self.dt * 1e-3)
                elif progress:
                    progress(done / total, self.t)
        finally:
            if bar is not None:
                bar.close()
            self._last_run["duration_s"] = done * self.dt * 1e-3
            self._last_run["wall_s"] = time.perf_counter() - w0
        return self.summary()

    def step(self, n: int = 1) -> int:
        """Advance exactly ``n`` time steps (in chunks); return the steps done."""
        self.compile()
        done = 0
        while done < n:
            done += self._advance(n - done)
        return done

    def _advance(self, max_steps: int) -> int:
        """One chunk: up to the next protocol event, statistics sample or ``max_steps``."""
        self._fire_due_events()
        s0 = self.step_index
        n = min(max_steps, self._stats_steps - s0 % self._stats_steps)
        if self._next_event < len(self._events):
            n = min(n, max(1, self._event_step(self._events[self._next_event]) - s0))
        self._call(s0, n)
        self.step_index += n
        self._collect(n)
        self._check_health(n)
        if self.step_index % self._stats_steps == 0:
            self._record_stats()
        self._fire_due_events()
        return n

    def _event_step(self, e) -> int:
        return self.steps_for(e.time_s)

    def _fire_due_events(self) -> None:
        while self._next_event < len(self._events) and self._event_step(self._events[self._next_event]) <= self.step_index:
            e = self._events[self._next_event]
            self._next_event += 1
            self.apply_event(e.action, e.target, e.param, e.value)

    def apply_event(self, action: str, target: str, param: str = "", value: Any = 0.0) -> None:
        """Protocol events and live controls share this path."""
        from .events import apply_event

        apply_event(self, action, target, param, value)

    # -- after each chunk -------------------------------------------------------------------
    def _collect(self, n: int) -> None:
        counts = self._counts[:n]
        self._spikes_total += counts.sum(axis=0)
        self._bin_rates(counts, n)
        k = int(self._rast_n[0])
        if k:
            self.raster.push(self._rast[:k])
        if k >= len(self._rast):
            self.raster_dropped += 1
        if len(self._vidx):
            tcol = (self.step_index - n + np.arange(1, n + 1)) * self.dt * 1e-3
            self.voltage.push(np.column_stack([tcol, self._vrec[:n]]))

    def _bin_rates(self, counts: np.ndarray, n: int) -> None:
        """Population rates in bins of ``_bin_steps``. Every bin is summed at once from its rows of
        counts, so the rates are bit for bit the same for any chunking (also for rate regions, whose
        counts are not whole numbers): a bin that a chunk leaves open keeps its rows until the next
        chunk completes it. The whole bins of a chunk go in one reshape and one ring push, not a
        Python pass per bin (a chunk of the window's engine holds ten of them)."""
        B = self._bin_steps
        sizes = self._bin_sizes
        bin_s = B * self.dt * 1e-3
        first = self.step_index - n  # step of counts[0]
        pos = 0
        if self._bin_fill:
            take = min(n, B - self._bin_fill)
            self._bin_rows[self._bin_fill:self._bin_fill + take] = counts[:take]
            self._bin_fill += take
            pos = take
            if self._bin_fill < B:
                return
            acc = self._bin_rows.sum(axis=0)
            self.rates.push(np.concatenate(([(first + pos) * self.dt * 1e-3], acc / sizes / bin_s)))
            self._bin_fill = 0
        whole = (n - pos) // B
        if whole:
            acc = counts[pos:pos + whole * B].reshape(whole, B, -1).sum(axis=1)
            rows = np.empty((whole, acc.shape[1] + 1))
            rows[:, 0] = (first + pos + B * np.arange(1, whole + 1)) * self.dt * 1e-3
            rows[:, 1:] = acc / sizes / bin_s
            self.rates.push(rows)
            pos += whole * B
        if pos < n:
            self._bin_rows[:n - pos] = counts[pos:n]
            self._bin_fill = n - pos

    def _check_health(self, n: int) -> None:
        from .health import check_chunk  # stops a blown-up run naming the region or projection (health.py)

        check_chunk(self, n, self.__dict__.setdefault("_health_static", set()))

    def _record_stats(self) -> None:
        t = self.t
        for k, p in enumerate(self.net.projections):
            rules = self._rules_of(k)
            if not rules and p.name in self._static_cache:
                row = self._static_cache[p.name]
            else:
                # compiled passes over the stored arrays (GIL released, no copy of millions of
                # weights): a GUI thread beside this one keeps running while statistics are taken
                a = p.arrays
                m, sd, lo, hi = effective_moments(a.W, a.gain, a.post, self._uses_gain(k))
                idx = self._rank_idx[p.name]
                rc = self._rank_ref[p.name].corr(self.weights_at(p.name, idx)) if len(idx) else 1.0
                row = np.array([m, sd / m if m > 0 else np.nan, lo, hi, rc], float)
                if not rules:
                    self._static_cache[p.name] = row
            contrib = [rb.arrays.glob[0] for rb in rules]
            self.stats[p.name].push(np.concatenate(([t], row, np.asarray(contrib, float))))  # (np.r_: 10x slower)
            tr = self.tracked[p.name]
            w_tr = p.arrays.W[tr] * p.arrays.gain[p.arrays.post[tr]] if len(tr) else np.zeros(0)
            self.tracked_w[p.name].push(np.concatenate(([t], w_tr)))
        ei = [t]
        for r in self.net.regions:
            rows = r.kind.impl.input_rows
            if rows:
                ei += [float(r.arrays.S[rows[0]].mean()), float(r.arrays.S[rows[1]].mean())]
            else:
                ei += [np.nan, np.nan]
        self.ei.push(np.array(ei))

    # -- weights ----------------------------------------------------------------------------
    def weights(self, projection: str) -> np.ndarray:
        """Effective weights of a projection (stored weight times the target's scaling gain)."""
        p = self.net.projections[self._proj_index(projection)]
        a = p.arrays
        if any(rb.kind.impl.uses_gain for rb in self._rules_of(self._proj_index(projection))):
            return a.W.astype(np.float64) * a.gain[a.post]
        return a.W.astype(np.float64)

    def connectivity(self, projection: str) -> tuple[np.ndarray, np.ndarray]:
        """(presynaptic index, postsynaptic index) of every synapse, in weight order."""
        a = self.net.projections[self._proj_index(projection)].arrays
        return np.repeat(np.arange(len(a.indptr) - 1, dtype=a.post.dtype), np.diff(a.indptr)), a.post.copy()

    def _weights_all(self) -> dict[str, np.ndarray]:
        return {p.name: self.weights(p.name) for p in self.net.projections}

    def set_reference(self) -> None:
        """Take the current weights as the reference of the rank correlation ("relative weighting")."""
        self._w_ref = self._weights_all()
        for w in self._w_ref.values():
            w.flags.writeable = False  # handed out by reference_weights()
        self._rank_ref = {name: RankReference(w[self._rank_idx[name]]) for name, w in self._w_ref.items()}
        self._ref_hist: dict[tuple, np.ndarray] = {}
        self._ref_max: dict[str, float] = {}
        self.reference_t = self.t
        self.reference_version = getattr(self, "reference_version", 0) + 1

    def _proj_index(self, name: str) -> int:
        for k, p in enumerate(self.net.projections):
            if p.name == name:
                return k
        raise KeyError(f"no projection named {name!r}")

    # -- live control -----------------------------------------------------------------------
    def set(self, path: str, value: Any) -> None:
        """Change a parameter between chunks: ``"Input.rate_hz"``, ``"EE.rules.0.eta"``,
        ``"EE.rules.1.enabled"``. Parameters declared ``live=False`` need a reset."""
        target, _, param = path.partition(".")
        regions = {r.name: {"model": r.model, "role": r.role,
                            "homeostasis": {"kind": r.homeostasis.kind} if r.homeostasis else None}
                   for r in self.circuit.regions}
        projections = {p.name: {"rules": [{"kind": r.kind} for r in p.rules]} for p in self.circuit.projections}
        if target not in regions and target not in projections:
            raise CircuitError(path, f"no region or projection named {target!r}")
        try:
            prm = param_at(regions, projections, target, param)
        except KeyError as err:
            raise CircuitError(path, str(err.args[0])) from None
        problem = prm.check(value)
        if problem:
            raise CircuitError(path, f"{prm.name} {problem}")
        if not prm.live:
            raise CircuitError(path, f"{prm.name} cannot change during a run; it applies after a reset")
        value = prm.coerce(value)
        if target in regions and param.startswith("homeostasis."):
            self._set_homeostasis(target, param.split(".", 1)[1], value)
            return
        problem = _live_problem(self.circuit, target, param, prm, value, self.dt)  # the kind's constraints
        if problem:
            raise CircuitError(path, problem)
        if target in regions:
            r = self.circuit.region(target)
            r.params[param] = value
            rb = self.net.regions[self.net.region_index(target)]
            new = rb.kind.impl.prepare(r.params, self.dt)
            rb.arrays.P[:len(new)] = new  # the engine's flags after it (build.region_params) stay
            return
        proj = self.circuit.projection(target)
        _, idx, name = param.split(".")
        rule = proj.rules[int(idx)]
        k = self._proj_index(target)
        rb = next(x for x in self._rules_of(k) if x.index == int(idx))
        if name == "enabled":
            rule.enabled = bool(value)
            rb.arrays.flags[0] = 1 if value else 0
        else:
            rule.params[name] = value
            rb.arrays.P[:] = rb.kind.impl.prepare(rule.params, self.dt)

    def _set_homeostasis(self, region: str, name: str, value: Any) -> None:
        """Every part of a region's homeostat (one per projection it acts on) takes the change."""
        h = self.circuit.region(region).homeostasis
        tgt = self.net.region_index(region)
        parts = [rb for rb in self.net.rules
                 if rb.index < 0 and rb.kind.family == "homeostasis" and self.net.projections[rb.projection].target == tgt]
        if name == "enabled":
            h.enabled = bool(value)
        else:
            h.params[name] = value
        for rb in parts:
            if name == "enabled":
                rb.arrays.flags[0] = 1 if value else 0
            else:
                impl = rb.kind.impl
                e = rb.arrays.P[impl.extra["exponent_index"]]
                rb.arrays.P[:] = impl.prepare(h.params, self.dt)
                rb.arrays.P[impl.extra["exponent_index"]] = e

    def fork(self) -> "Simulation":
        """An independent copy of this simulation as it is now: the same state, history, protocol
        position and random streams, so both continue exactly as this one would (bit for bit) until
        one of them is changed, e.g. ``b = sim.fork(); b.set("E.homeostasis.enabled", False)``.

        Everything is deep-copied except the compiled kernel (shared; it holds no state), and the
        copy's network is packed into arenas of its own."""
        skip = ("_kernel", "_plan", *SCRATCH)
        state = copy.deepcopy({k: v for k, v in self.__dict__.items() if k not in skip})
        twin = object.__new__(type(self))
        twin.__dict__.update(state)
        twin._kernel = self._kernel
        twin._plan = make_plan(twin.net)
        return twin

    def __getstate__(self) -> dict:
        """Pickling (e.g. a fork sent from the engine process to the window): everything but the kernel
        and the arenas; the receiving side packs the network anew and loads its kernel when it runs."""
        return {k: v for k, v in self.__dict__.items() if k not in ("_kernel", "_plan", *SCRATCH)}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._kernel = None
        self._plan = make_plan(self.net)

    def reward(self, region: str, amount: float = 1.0) -> None:
        """Deliver a pulse to a modulatory region (decays with its tau_ms)."""
        r = self.net.regions[self._region_index(region)]
        if r.kind.name != "modulator":
            raise CircuitError(region, "rewards go to modulatory regions")
        r.arrays.S[1, :] += amount

    def set_spike_times(self, region: str, neurons, times_s) -> None:
        """Make a spike-train region fire neuron ``neurons[k]`` at ``times_s[k]`` (seconds, absolute).

        Times are rounded to the time step; the region's regular train is turned off."""
        from ..neurons.spike_train import with_schedule

        k = self._region_index(region)
        r = self.net.regions[k]
        if r.kind.name != "spike_train":
            raise CircuitError(region, "exact spike times need a spike_train region")
        steps = np.rint(np.asarray(times_s, float) * 1000.0 / self.dt)
        r.arrays = r.arrays._replace(S=with_schedule(r.arrays.S, neurons, steps))
        for rb in self.net.rules:  # rules hold a reference to the source/target state
            p = self.net.projections[rb.projection]
            if p.source == k:
                rb.arrays = rb.arrays._replace(src=r.arrays.S)
            if p.target == k:
                rb.arrays = rb.arrays._replace(tgt=r.arrays.S)
            if rb.modulator == k:
                rb.arrays = rb.arrays._replace(M=r.arrays.S)
        self._plan = make_plan(self.net)  # the state grew: pack the arenas again

    def block(self, region: str, on: bool = True) -> None:
        """Silence a region's output, as TTX blocks action potentials."""
        self.net.regions[self._region_index(region)].arrays.flags[0] = 1 if on else 0

    def _region_index(self, name: str) -> int:
        try:
            return self.net.region_index(name)
        except StopIteration:
            raise CircuitError(name, f"no region named {name!r}") from None

    def reset(self) -> None:
        """Back to t = 0 with the same seed (bit-identical replay); keeps the compiled kernel.

        Parameters changed by :meth:`set` or protocol events since construction are undone: the
        replay equals a fresh ``Simulation`` of the circuit it was built from."""
        kernel, kinds = self._kernel, self._plan.kinds
        self.circuit = copy.deepcopy(self._pristine)
        self._setup()
        if [k.name for ks in self._plan.kinds for k in ks] == [k.name for ks in kinds for k in ks]:
            self._kernel = kernel  # one kernel serves every circuit of the same kinds

    # -- reading: public, read-only views for displays ---------------------------------------
    # Display code (simcore.engine.frames, the GUI) uses these instead of private attributes.
    @property
    def compiled(self) -> bool:
        """True once the kernel is compiled (:meth:`compile`); :meth:`reset` keeps it."""
        return self._kernel is not None

    @property
    def stats_steps(self) -> int:
        """Time steps between two weight-statistics samples (``recording.stats_every_ms``)."""
        return self._stats_steps

    @property
    def region_names(self) -> list[str]:
        return [r.name for r in self.net.regions]

    @property
    def projection_names(self) -> list[str]:
        return [p.name for p in self.net.projections]

    @property
    def n_neurons(self) -> int:
        return int(sum(r.n for r in self.net.regions))

    @property
    def n_synapses(self) -> int:
        return int(sum(len(p.arrays.W) for p in self.net.projections))

    def is_spiking(self, region: str) -> bool:
        """True for a region of spiking neurons (not rate units, not a modulator)."""
        r = self.net.regions[self._region_index(region)]
        return bool(r.kind.impl.spiking) and r.kind.name != "modulator"

    def projection_size(self, projection: str) -> int:
        """Number of synapses of a projection."""
        return len(self.net.projections[self._proj_index(projection)].arrays.W)

    def raster_rows(self) -> list[int]:
        """Neurons recorded in the raster per region (the first ``recording.raster_max_neurons``)."""
        return [int(x) for x in self._rast_lim]

    def voltage_neurons(self) -> tuple[list[int], np.ndarray]:
        """(recorded neurons per region, their indices within the region concatenated in region order):
        the columns of :attr:`voltage` after its time column."""
        return list(self._vcounts), self._vidx.copy()

    def modulator_levels(self) -> dict[str, float]:
        """Current level of every modulatory region."""
        return {r.name: float(r.arrays.S[0, 0]) for r in self.net.regions if r.kind.name == "modulator"}

    def blocked(self) -> list[str]:
        """Regions whose output is blocked (:meth:`block`)."""
        return [r.name for r in self.net.regions if r.arrays.flags[0]]

    def rules_of(self, projection: str) -> list[str]:
        """Kinds of the rules of a projection, in circuit order (empty: static weights)."""
        return [rb.kind.name for rb in self._rules_of(self._proj_index(projection))]

    def endpoints(self, projection: str) -> tuple[str, str]:
        """(source region, target region) of a projection."""
        p = self.net.projections[self._proj_index(projection)]
        return self.net.regions[p.source].name, self.net.regions[p.target].name

    def sample_index(self, projection: str) -> np.ndarray:
        """The fixed random sample of synapse indices (sorted; at most ``RANK_SAMPLE``) that the running
        rank correlation uses; displays draw their scatter from its start. A copy."""
        return self._rank_idx[projection].copy()

    def weights_at(self, projection: str, index: np.ndarray) -> np.ndarray:
        """Effective weights of the synapses ``index`` only (cheap for a sample of a big projection)."""
        k = self._proj_index(projection)
        a = self.net.projections[k].arrays
        w = a.W[index].astype(np.float64)
        if self._uses_gain(k):
            w *= a.gain[a.post[index]]
        return w

    def reference_weights(self, projection: str) -> np.ndarray:
        """Effective weights at the reference time (:meth:`set_reference`): a read-only array, replaced
        (never modified) when the reference changes; see :attr:`reference_version`."""
        return self._w_ref[projection]

    def weight_histogram(self, projection: str, bins: int, lo: float, hi: float, log: bool = False,
                         sample: int | None = HIST_SAMPLE) -> dict:
        """Histogram of the current effective weights on [lo, hi] (log10 bins when ``log``), computed in
        one compiled pass that releases the GIL, without a copy of the weights.

        ``sample``: read at most about this many synapses (every k-th one, ``k = ceil(n / sample)``)
        and scale the counts by k; None reads all. Out-of-range values go to the edge bins; in log
        mode non-positive weights are left out and counted. Returns ``{"counts", "edges", "min",
        "max", "nonpos", "every"}`` (min and max of the synapses read)."""
        k = self._proj_index(projection)
        a = self.net.projections[k].arrays
        n = len(a.W)
        every = max(1, -(-n // sample)) if sample else 1
        counts = np.zeros(bins, np.int64)
        if n == 0:
            return {"counts": counts, "edges": _edges(lo, hi, bins, log), "min": float("nan"),
                    "max": float("nan"), "nonpos": 0, "every": 1}
        wmin, wmax, nonpos = effective_histogram(a.W, a.gain, a.post, self._uses_gain(k), float(lo), float(hi),
                                                 bool(log), counts, every)
        counts *= every
        return {"counts": counts, "edges": _edges(lo, hi, bins, log), "min": float(wmin), "max": float(wmax),
                "nonpos": int(nonpos) * every, "every": every}

    def reference_histogram(self, projection: str, bins: int, lo: float, hi: float, log: bool = False) -> np.ndarray:
        """Histogram of :meth:`reference_weights` (all of them), cached until the reference changes.
        Same binning as :meth:`weight_histogram`. A copy."""
        key = (projection, int(bins), float(lo), float(hi), bool(log))
        h = self._ref_hist.get(key)
        if h is None:
            ref = self._w_ref[projection]
            h = np.zeros(bins, np.int64)
            if len(ref):
                effective_histogram(ref, _ONE, _ZERO_IDX, False, float(lo), float(hi), bool(log), h, 1)
            if len(self._ref_hist) > 64:
                self._ref_hist.clear()
            self._ref_hist[key] = h
        return h.copy()

    def reference_range(self, projection: str) -> tuple[float, float]:
        """(smallest positive, largest) reference weight (cached; (nan, nan) when there is none)."""
        r = self._ref_max.get(projection)
        if r is None:
            ref = self._w_ref[projection]
            pos = ref[ref > 0]
            r = (float(pos.min()) if len(pos) else float("nan"), float(ref.max()) if len(ref) else float("nan"))
            self._ref_max[projection] = r
        return r

    def _uses_gain(self, k: int) -> bool:
        return any(rb.kind.impl.uses_gain for rb in self._rules_of(k))

    def snapshot(self, raster_window_s: float = 2.0, scatter: int = 2000, hist_sample: int | None = HIST_SAMPLE) -> dict:
        """Copies of the recorders for display; cheap enough to call at every frame, also for millions
        of synapses: histograms read at most about ``hist_sample`` synapses per projection (counts
        scaled; None: all), reference histograms are cached, the scatter reads ``scatter`` synapses.

        Keys: t, step, regions, sizes, rates, raster (last ``raster_window_s``), voltage, ei, fired,
        reference_t, projections -> {hist, hist_ref, edges (lo = 0, hi = largest weight now or at the
        reference), n, stats_t, w_mean, w_cv, w_min, w_max, rank_corr, contrib, rules, tracked,
        scatter_ref, scatter_now, plastic, sampled_every}. For a live display with log histograms,
        stable bin ranges and modulator history see :class:`simcore.engine.frames.FrameBuilder`.
        """
        names = self.region_names
        rates = self.rates.values()
        rast = self.raster.since(0, self.step_index - self.steps_for(raster_window_s))
        volt = self.voltage.values()
        ei = self.ei.values()
        out: dict[str, Any] = {
            "t": self.t, "step": self.step_index, "regions": names, "sizes": [r.n for r in self.net.regions],
            "rates": {"t": rates[:, 0], **{n: rates[:, i + 1] for i, n in enumerate(names)}},
            "raster": {"t": rast[:, 0] * self.dt * 1e-3, "neuron": rast[:, 1], "region": rast[:, 2]},
            "voltage": self._split_voltage(volt),
            "ei": {"t": ei[:, 0], **{n: (ei[:, 1 + 2 * i], ei[:, 2 + 2 * i]) for i, n in enumerate(names)}},
            "projections": {}, "fired": list(self.fired), "reference_t": self.reference_t,
        }
        bins = self.circuit.recording.weight_bins
        for k, p in enumerate(self.net.projections):
            n = len(p.arrays.W)
            st = self.stats[p.name].values()
            idx = self._rank_idx[p.name][:scatter]
            if n:
                # the range needs the maximum: one sampled pass for it, then the histogram (both nogil)
                probe = self.weight_histogram(p.name, 1, 0.0, 1.0, sample=hist_sample)
                hi = max(probe["max"], self.reference_range(p.name)[1])
                if not hi > 0:
                    hi = 1.0
                h = self.weight_histogram(p.name, bins, 0.0, hi, sample=hist_sample)
                hist, edges, every = h["counts"], h["edges"], h["every"]
                hist0 = self.reference_histogram(p.name, bins, 0.0, hi)
            else:
                hist = hist0 = np.zeros(bins, np.int64)
                edges, every = np.linspace(0, 1, bins + 1), 1
            out["projections"][p.name] = {
                "hist": hist, "hist_ref": hist0, "edges": edges, "n": n, "sampled_every": every,
                "stats_t": st[:, 0], "w_mean": st[:, 1], "w_cv": st[:, 2], "w_min": st[:, 3], "w_max": st[:, 4],
                "rank_corr": st[:, 5], "contrib": st[:, 6:], "rules": [rb.kind.name for rb in self._rules_of(k)],
                "tracked": self.tracked_w[p.name].values(), "scatter_ref": self._w_ref[p.name][idx],
                "scatter_now": self.weights_at(p.name, idx), "plastic": bool(self._rules_of(k)),
            }
        return out

    def _split_voltage(self, volt: np.ndarray) -> dict:
        out = {"t": volt[:, 0] if len(volt) else np.zeros(0)}
        off = 0
        for r, k in zip(self.net.regions, self._vcounts):
            out[r.name] = volt[:, 1 + off:1 + off + k] if len(volt) else np.zeros((0, k))
            off += k
        return out

    def summary(self) -> dict:
        """Rates of the last run and weight statistics; the same data as ``run --summary`` writes."""
        lr = self._last_run
        dur = lr["duration_s"]
        spikes = self._spikes_total - lr["spikes"]
        regions = {}
        for i, r in enumerate(self.net.regions):
            entry = {"n": r.n, "model": r.kind.name,
                     "rate_hz": float(spikes[i] / r.n / dur) if dur > 0 else float("nan")}
            rows = r.kind.impl.input_rows
            if rows:
                entry["e_input"] = float(r.arrays.S[rows[0]].mean())
                entry["i_input"] = float(r.arrays.S[rows[1]].mean())
            if r.kind.name == "modulator":
                entry["level"] = float(r.arrays.S[0, 0])
            if not r.kind.impl.spiking and r.kind.name != "modulator":
                entry["rate_now_hz"] = float(r.arrays.S[0].mean())
            regions[r.name] = entry
        projections = {k_: dict(v) for k_, v in self._static_summary.items()}
        for k, p in enumerate(self.net.projections):
            if p.name in projections:
                continue
            w = self.weights(p.name)
            w_start = lr["w_start"][p.name]
            bounds = [r.params["w_max"] for r in self.circuit.projections[k].rules if "w_max" in r.params]
            entry = {"n_synapses": int(len(w)), **weight_stats(w),
                     "rank_corr": spearman(w_start, w) if len(w) else float("nan"),
                     "w_mean_start": float(w_start.mean()) if len(w) else float("nan"),
                     **weight_shape(w, w_start, p.arrays.post, max(bounds) if bounds else None),
                     "rules": {f"{rb.index if rb.index >= 0 else rb.kind.family}:{rb.kind.name}": float(rb.arrays.glob[0])
                               for rb in self._rules_of(k)}}
            if not self._rules_of(k):  # no rule, no change: the statistics of static weights are computed once
                self._static_summary[p.name] = entry
            projections[p.name] = entry
        projections = {p.name: projections[p.name] for p in self.net.projections}
        return {"duration_s": dur, "wall_s": lr["wall_s"], "t_s": self.t, "seed": self.seed,
                "compile_s": self.compile_s, "regions": regions, "projections": projections}


def _live_problem(circuit, target: str, param: str, prm, value, dt: float) -> str | None:
    from ..validate import live_change_problem

    if prm.type not in ("float", "int"):
        return None
    if param.startswith("rules."):
        rule = circuit.projection(target).rules[int(param.split(".")[1])]
        return live_change_problem(kind("rule", rule.kind), rule.params, prm.name, value, dt)
    r = circuit.region(target)
    return live_change_problem(kind("neuron", r.model), r.params, prm.name, value, dt)


_ONE = np.ones(1)
_ZERO_IDX = np.zeros(1, np.int32)


def _edges(lo: float, hi: float, bins: int, log: bool) -> np.ndarray:
    if log:
        return np.logspace(np.log10(lo), np.log10(hi), bins + 1)
    return np.linspace(lo, hi, bins + 1)


def _stderr(msg: str) -> None:
    import sys

    print(msg, file=sys.stderr, flush=True)
