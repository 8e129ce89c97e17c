"""``NestSimulation``: a circuit running in NEST behind the ``run`` / ``summary`` / ``weights`` API of
:class:`simcore.Simulation`, so that ``synaptica run --backend nest``, ``--out``, ``--summary`` and
``--check`` work unchanged.

NEST runs in chunks (``nest.Run`` inside one ``RunManager``). Between chunks the runner fires protocol
events, reads the spike recorders (population rates, raster), samples weight statistics and applies
multiplicative synaptic scaling, which NEST has no model for: per postsynaptic neuron a sensor a_j is
updated exactly from the chunk's spike times, the gain g_j <- g_j exp(T [beta (a_goal - a_j) + gamma I_j])
as in :mod:`simcore.rules.scaling`, and every weight of the projection onto j (with the rule's weight-unit
parameters, e.g. Wmax) is multiplied by the same factor g_new / g_old. The chunk length is the scaling
rule's ``update_ms`` but at least ``mapping.SCALING_CHUNK_MS`` (100 ms: writing weights into NEST costs
~5 us per synapse), otherwise the statistics interval; :attr:`chunk_ms` and the summary state it.
"""
from __future__ import annotations

import copy
import math
import time
from types import SimpleNamespace
from typing import Any

import numpy as np

from ...engine.expect import weight_shape
from ...engine.recorders import Ring
from ...engine.stats import spearman, weight_stats
from ...errors import CircuitError
from . import mapping
from .builder import build, connect_follow, import_nest

BIG_PROJECTION = 100_000  # plastic projections larger than this are sampled once a second, not per interval


class _Proj:
    """One projection's synapses in NEST. Reading a SynapseCollection costs ~10 us per synapse in
    PyNEST 3.10, so the connectivity is read once and only when needed, and the weights of projections
    that only this runner changes (static, or scaled) are kept as a copy; constant static weights are
    never read."""

    def __init__(self, cs, conns, first_pre: int, first_post: int):
        self.cs, self.conns = cs, conns
        self.n = len(conns)
        self.unit = cs.sign * cs.factor
        self.gain = np.ones(cs.n_post)
        self.scalers: list = []
        self.homeostat = False  # a member of its target region's per-neuron homeostat
        self.base: dict = {}
        self._first = (first_pre, first_post)
        self._pre = self._post = None
        self.shadow = not cs.rule  # weights change only through this runner
        self.w = np.full(self.n, cs.weight[1]) if self.shadow and cs.weight[0] == "constant" else None

    @property
    def varies(self) -> bool:
        return bool(self.cs.rule or self.cs.scaling or self.homeostat or self.cs.weight[0] != "constant")

    def _read_ends(self) -> None:
        got = self.conns.get(["source", "target"]) if self.n else {"source": [], "target": []}
        self._pre = np.atleast_1d(np.asarray(got["source"], np.int64)) - self._first[0]
        self._post = np.atleast_1d(np.asarray(got["target"], np.int64)) - self._first[1]

    @property
    def pre(self) -> np.ndarray:
        if self._pre is None:
            self._read_ends()
        return self._pre

    @property
    def post(self) -> np.ndarray:
        if self._post is None:
            self._read_ends()
        return self._post

    def weights(self) -> np.ndarray:
        """NEST weights (NEST units), in connection order."""
        if self.w is not None:
            return self.w
        w = np.atleast_1d(np.asarray(self.conns.get("weight"), float)) if self.n else np.zeros(0)
        if self.shadow:
            self.w = w
        return w


def _sensor(n: int, params: dict, enabled: bool, **what) -> SimpleNamespace:
    """Sensor, gain and controller state of n neurons (a scaling rule's or a homeostat's): the sensors
    start at the set point, the gains at 1."""
    return SimpleNamespace(p=dict(params), enabled=bool(enabled), a=np.full(n, params["target_hz"]),
                           integ=np.zeros(n), drift=np.zeros(n), g=np.ones(n), seen_ms=0.0, last_ms=0.0, **what)


class NestSimulation:
    """A circuit running in NEST. ``Simulation(circuit, backend="nest")`` returns one of these.

    >>> sim = NestSimulation(load("circuits/vogels_abbott_cuba.json"), seed=0, threads=2)   # doctest: +SKIP
    >>> sim.run(1.0)["regions"]["E"]["rate_hz"]
    """

    backend = "nest"

    def __init__(self, circuit, seed: int | None = None, threads: int = 1, chunk_ms: float | None = None):
        self.circuit = copy.deepcopy(circuit)
        self.plan = mapping.plan(self.circuit, seed)  # refuses before NEST is started
        self.seed = self.plan.seed
        self.threads = int(threads)
        self.dt = self.plan.dt
        self._chunk_override = chunk_ms
        self._nest = import_nest()
        self._setup()

    # -- construction -----------------------------------------------------------------------
    def _setup(self) -> None:
        t0 = time.perf_counter()
        nest, plan, rec = self._nest, self.plan, self.circuit.recording
        self.b = build(nest, plan, self.threads)
        self._t_ms = 0.0
        self._names = [n.region for n in plan.nodes]
        self._sizes = np.array([n.n for n in plan.nodes], float)
        self._spiking = [n.model != "volume_transmitter" for n in plan.nodes]
        self._first = {r: int(self.b.pops[r][0].global_id) for r in self._names}
        nreg = len(self._names)
        self.rates = Ring(int(rec.history_s * 1000 / rec.rate_bin_ms), nreg + 1)
        self.raster = Ring(rec.raster_max_spikes, 3, np.int64)
        self.voltage = Ring(1, 1)  # membrane potentials are not recorded in NEST runs
        n_stats = max(2, int(rec.history_s * 1000 / rec.stats_every_ms))
        self.stats = {cs.projection: Ring(n_stats, 6 + sum(1 for r in self.circuit.projection(cs.projection).rules))
                      for cs in plan.conns}
        self.ei = Ring(n_stats, 1 + 2 * nreg)
        self._bin_ms = rec.rate_bin_ms
        self._bin_index = 0
        self._bin_acc = np.zeros(nreg)
        self._raster_lim = [min(rec.raster_max_neurons, n.n) for n in plan.nodes]
        self._spikes_total = np.zeros(nreg)
        self._spike_log: dict[str, list] = {r: [] for r in self._names}
        # projections: connectivity in our index space, sign and unit factor, scaling state
        self._proj = {}
        rng = np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=(9,)))
        for cs in plan.conns:
            entry = _Proj(cs, self.b.conns[cs.projection], self._first[cs.source], self._first[cs.target])
            for idx, params, enabled in cs.scaling:
                entry.scalers.append(_sensor(cs.n_post, params, enabled, index=idx))
            entry.homeostat = any(cs.projection in dict(h.members) for h in plan.homeostats)
            entry.base = {k: np.atleast_1d(np.asarray(entry.conns.get(k), float))
                          for k in cs.scaled if entry.n} if cs.scaled and (cs.scaling or entry.homeostat) else {}
            k = min(rec.tracked_synapses, entry.n)
            entry.tracked = np.sort(rng.choice(entry.n, k, replace=False)) if k else np.zeros(0, np.int64)
            self._proj[cs.projection] = entry
        self._homeostats = [_sensor(h.n, h.params, h.enabled, region=h.region, members=list(h.members))
                            for h in plan.homeostats]
        self.tracked_w = {name: Ring(n_stats, 1 + len(e.tracked)) for name, e in self._proj.items()}
        self.tracked = {name: e.tracked for name, e in self._proj.items()}  # synapse indices, as the engine's
        self.w0 = {name: self.weights(name) for name in self._proj}
        self.net = SimpleNamespace(  # the names write_npz and the expect evaluation read
            regions=[SimpleNamespace(name=n.region, n=n.n) for n in plan.nodes],
            projections=[SimpleNamespace(name=cs.projection, w0=self.w0[cs.projection]) for cs in plan.conns])
        self._events = list(plan.protocol)
        self._next_event = 0
        self.fired: list[tuple[float, str]] = []
        self._level = {m: 0.0 for m in plan.modulators}
        self._rewards: dict[str, list] = {}  # modulator -> [(time ms, amount)] (for its level)
        self._blocked: dict[str, Any] = {}
        scaling_ms = [s.p["update_ms"] for e in self._proj.values() for s in e.scalers] + \
            [h.p["update_ms"] for h in self._homeostats]
        self.stats_ms = rec.stats_every_ms
        if any(e.n > BIG_PROJECTION and e.cs.rule for e in self._proj.values()):
            self.stats_ms = max(self.stats_ms, 1000.0)
        self.chunk_ms = float(self._chunk_override or (max(min(scaling_ms), mapping.SCALING_CHUNK_MS) if scaling_ms
                                                      else self.stats_ms))
        self.compile_s = time.perf_counter() - t0
        self._last_run = {"duration_s": 0.0, "wall_s": 0.0, "spikes": np.zeros(nreg),
                          "w_start": {n: self.weights(n) for n in self._proj}}
        self._record_stats()

    # -- running ----------------------------------------------------------------------------
    @property
    def t(self) -> float:
        return self._t_ms * 1e-3

    def _steps(self, ms: float) -> int:
        return int(round(ms / self.dt))

    def run(self, duration_s: float, progress=None) -> dict:
        """Advance ``duration_s`` seconds of biological time in NEST; return :meth:`summary`."""
        if duration_s < 0:
            raise ValueError("duration must be >= 0")
        nest = self._nest
        end_step = self._steps(self._t_ms + duration_s * 1000.0)
        self._last_run = {"duration_s": 0.0, "wall_s": 0.0, "spikes": self._spikes_total.copy(),
                          "w_start": {n: self.weights(n) for n in self._proj}}
        self._schedule_trains(self._t_ms, end_step * self.dt)
        bar = None
        if progress is True:
            from tqdm import tqdm

            bar = tqdm(total=round(duration_s, 6), unit="s", desc="simulating in NEST",
                       bar_format="{desc} {bar} {n:.1f}/{total:.1f} s biological [{elapsed}<{remaining}]")
        w0 = time.perf_counter()
        start = self._t_ms
        try:
            self._fire_due_events()
            while self._steps(self._t_ms) < end_step:
                now = self._steps(self._t_ms)
                nxt = min(end_step, self._next_boundary(now, self.chunk_ms), self._next_boundary(now, self.stats_ms))
                if self._next_event < len(self._events):
                    nxt = min(nxt, max(now + 1, self._steps(self._events[self._next_event][0] * 1000.0)))
                with nest.RunManager():
                    nest.Run((nxt - now) * self.dt)
                self._t_ms = nxt * self.dt
                self._collect()
                self._scale(nxt)
                if nxt % self._steps(self.stats_ms) == 0 or nxt == end_step:
                    self._record_stats()
                self._fire_due_events()
                if bar is not None:
                    bar.update((nxt - now) * self.dt * 1e-3)
                elif progress:
                    progress((self._t_ms - start) / max(duration_s * 1000.0, 1e-12), self.t)
        finally:
            if bar is not None:
                bar.close()
            self._last_run["duration_s"] = (self._t_ms - start) * 1e-3
            self._last_run["wall_s"] = time.perf_counter() - w0
        return self.summary()

    def _next_boundary(self, now: int, every_ms: float) -> int:
        k = max(1, self._steps(every_ms))
        return (now // k + 1) * k

    def _schedule_trains(self, t0: float, t1: float) -> None:
        for node in self.plan.nodes:
            if node.source != "spike_generator":
                continue
            p = {**node.source_params, "rate_hz": 0.0 if node.region in self._blocked else node.region_params["rate_hz"]}
            times = mapping.spike_train_times(p, node.n, t0 + 0.5 * self.dt, t1 + 0.5 * self.dt, self.dt)
            self.b.generators[node.region].set([{"spike_times": ts} for ts in times])

    # -- after each chunk -------------------------------------------------------------------
    def _collect(self) -> None:
        nreg = len(self._names)
        per_bin: dict[int, np.ndarray] = {}
        self._spike_log = {}
        for i, region in enumerate(self._names):
            rec = self.b.recorders.get(region)
            if rec is None:
                continue
            ev = rec.get("events")
            times = np.asarray(ev["times"], float)
            senders = np.asarray(ev["senders"], np.int64) - self._first[region]
            rec.set(n_events=0)
            if not len(times):
                continue
            self._spikes_total[i] += len(times)
            self._spike_log[region] = (times, senders)
            bins = np.floor((times - 0.5 * self.dt) / self._bin_ms).astype(np.int64)
            for bidx, cnt in zip(*np.unique(bins, return_counts=True)):
                per_bin.setdefault(int(bidx), np.zeros(nreg))[i] += cnt
            keep = senders < self._raster_lim[i]
            if keep.any():
                steps = np.rint(times[keep] / self.dt).astype(np.int64) - 1
                self.raster.push(np.column_stack([steps, senders[keep], np.full(keep.sum(), i)]))
        done = int(math.floor(self._t_ms / self._bin_ms + 1e-9))  # bins that are complete now
        while self._bin_index < done:
            self._bin_acc += per_bin.pop(self._bin_index, 0.0)
            self.rates.push(np.r_[(self._bin_index + 1) * self._bin_ms * 1e-3,
                                  self._bin_acc / self._sizes / (self._bin_ms * 1e-3)])
            self._bin_acc[:] = 0
            self._bin_index += 1
        for bidx, cnt in per_bin.items():  # spikes of the bin still open
            self._bin_acc += cnt
        self._update_levels()

    def _update_levels(self) -> None:
        for region, m in self.plan.modulators.items():
            if not m["gate"]:
                self._level[region] = 0.0
            elif m["follow"]:
                i = self._names.index(m["follow"])
                rates = self.rates.tail(max(1, int(round(m["tau"] / self._bin_ms))))
                self._level[region] = m["gain"] * float(rates[:, 1 + i].mean()) if len(rates) else 0.0
            else:
                self._level[region] = sum(a * math.exp(-(self._t_ms - t) / m["tau"])
                                          for t, a in self._rewards.get(region, []) if t <= self._t_ms)

    def _scale(self, step: int) -> None:
        """Multiplicative scaling between chunks (see the module docstring). The sensors follow every
        chunk exactly; the gains change once at least ``update_ms`` has passed since their last change.
        A region's per-neuron homeostat (one sensor and factor g per neuron) moves every member
        projection by the same factor, to its exponent (g ** -k on inhibitory ones)."""
        none = (np.zeros(0), np.zeros(0, np.int64))
        moved: dict[str, np.ndarray] = {}
        for h in self._homeostats:
            ratio = self._advance(h, *self._spike_log.get(h.region, none))
            if ratio is None:
                continue
            for name, expo in h.members:
                f = ratio if expo == 1.0 else ratio ** expo
                moved[name] = moved[name] * f if name in moved else f
        for name, e in self._proj.items():
            if not e.n or (not e.scalers and name not in moved):
                continue
            cs = e.cs
            times, senders = self._spike_log.get(cs.target, none)
            factor = moved.get(name, np.ones(cs.n_post))
            for s in e.scalers:
                ratio = self._advance(s, times, senders)
                if ratio is not None:
                    factor = factor * ratio
            if np.all(factor == 1.0):
                continue
            e.gain = e.gain * factor
            w = e.weights() * factor[e.post]
            if e.shadow:
                e.w = w
            cols = {"weight": w}
            for key in cs.scaled:
                cols[key] = e.base[key] * e.gain[e.post]
            # a list of dicts (one per synapse) is what PyNEST accepts under MPI too
            keys = list(cols)
            e.conns.set([dict(zip(keys, row)) for row in zip(*(cols[k].tolist() for k in keys))])

    def _advance(self, s, times: np.ndarray, senders: np.ndarray) -> np.ndarray | None:
        """One sensor-and-gain state (a projection's scaling rule or a region's homeostat) after the
        chunk: the sensor follows the spikes exactly; every ``update_ms`` the gain g moves as
        :mod:`simcore.rules.scaling` says. Returns g_new / g_old per neuron, or None when g did not move."""
        tau_ms = s.p["tau_a_s"] * 1000.0
        s.a *= math.exp(-(self._t_ms - s.seen_ms) / tau_ms)
        s.seen_ms = self._t_ms
        if len(times):
            np.add.at(s.a, senders, np.exp(-(self._t_ms - times) / tau_ms) / s.p["tau_a_s"])
        T_ms = self._t_ms - s.last_ms
        if T_ms < s.p["update_ms"] - 0.5 * self.dt:
            return None
        s.last_ms = self._t_ms
        if not s.enabled:
            return None
        T = T_ms * 1e-3
        err = s.p["target_hz"] + s.drift - s.a
        integ = s.integ + err * T if s.p["gamma"] else s.integ
        ng = s.g * np.exp(T * (s.p["beta"] * err + s.p["gamma"] * integ))
        clamped = (ng > s.p["gain_max"]) | (ng < s.p["gain_min"])
        ng = np.clip(ng, s.p["gain_min"], max(s.p["gain_max"], s.p["gain_min"]))
        s.integ = np.where(clamped, s.integ, integ)
        if s.p["set_point_tau_s"] > 0:
            s.drift += ((s.a - s.p["target_hz"]) - s.drift) * (1.0 - math.exp(-T / s.p["set_point_tau_s"]))
        ratio = ng / s.g
        s.g = ng
        return ratio

    def _record_stats(self) -> None:
        for name, e in self._proj.items():
            if not e.cs.rule and not e.scalers and not e.homeostat and len(self.stats[name].values()):
                row = self.stats[name].tail(1)[0].copy()
                row[0] = self.t
                self.stats[name].push(row)
                self.tracked_w[name].push(np.r_[self.t, self.tracked_w[name].tail(1)[0, 1:]])
                continue
            w = self.weights(name)
            st = weight_stats(w) if len(w) else {"w_mean": np.nan, "w_cv": np.nan, "w_min": np.nan, "w_max": np.nan}
            ref = self.w0[name]
            rc = spearman(ref, w) if len(w) > 1 else 1.0
            nrules = self.stats[name].data.shape[1] - 6
            self.stats[name].push(np.r_[self.t, st["w_mean"], st["w_cv"], st["w_min"], st["w_max"], rc,
                                        np.full(nrules, np.nan)])
            self.tracked_w[name].push(np.r_[self.t, w[e.tracked]])
        row = [self.t]
        for node in self.plan.nodes:
            if node.input_state:
                ke, ki, div = node.input_state
                pop = self.b.pops[node.region]
                row += [float(np.mean(pop.get(ke))) / div, float(np.mean(pop.get(ki))) / div]
            else:
                row += [np.nan, np.nan]
        self.ei.push(np.array(row))

    # -- protocol and live control ----------------------------------------------------------
    def _fire_due_events(self) -> None:
        while self._next_event < len(self._events) and \
                self._steps(self._events[self._next_event][0] * 1000.0) <= self._steps(self._t_ms):
            t, action, target, param, value = self._events[self._next_event]
            self._next_event += 1
            self.apply_event(action, target, param, value)

    def apply_event(self, action: str, target: str, param: str = "", value: Any = 0.0) -> None:
        from ...engine.events import apply_event

        apply_event(self, action, target, param, value)

    def set(self, path: str, value: Any) -> None:
        """Change a parameter between chunks (the same paths as ``Simulation.set``)."""
        target, _, param = path.partition(".")
        nest = self._nest
        if any(n.region == target for n in self.plan.nodes) and param.startswith("homeostasis."):
            h = next((h for h in self._homeostats if h.region == target), None)
            spec = self.circuit.region(target).homeostasis
            if h is None or spec is None:
                raise CircuitError(path, f"region {target!r} has no homeostasis")
            name = param.split(".", 1)[1]
            if name == "enabled":
                h.enabled = spec.enabled = bool(value)
            else:
                h.p[name] = spec.params[name] = value
            return
        if any(n.region == target for n in self.plan.nodes):
            node = self.plan.node(target)
            node.region_params[param] = value
            self.circuit.region(target).params[param] = value
            if node.source == "poisson_generator":
                node.source_params = {"rate": node.region_params["rate_hz"]}
                if target not in self._blocked:
                    self.b.generators[target].set(rate=float(node.region_params["rate_hz"]))
            elif node.source == "spike_generator":
                node.source_params = mapping._source_params("spike_train", node.region_params)
                self._schedule_trains(self._t_ms, self._end_hint())
            elif node.model == "volume_transmitter":
                m = self.plan.modulators[target]
                if param == "gate":
                    m["gate"] = bool(value)
                    have = self.b.follow_conns.get(target)
                    if m["follow"] and value and have is None:
                        self.b.follow_conns[target] = connect_follow(nest, self.b, target, m["follow"])
                    elif m["follow"] and not value and have is not None:
                        nest.Disconnect(have)
                        self.b.follow_conns[target] = None
                else:
                    raise mapping.MappingError(path, f"modulator parameter {param!r} cannot change in a NEST run")
            else:
                model, params, _ = mapping.NEURONS[node.kind].convert(node.region_params, self.dt)
                params = {k: v for k, v in params.items() if k not in ("V_m", "w")}
                if target in self._blocked:
                    self._blocked[target] = params.pop("V_th")
                self.b.pops[target].set(params)
            return
        e = self._proj.get(target)
        if e is None:
            raise CircuitError(path, f"no region or projection named {target!r}")
        _, idx, name = param.split(".")
        idx = int(idx)
        rule = self.circuit.projection(target).rules[idx]
        for s in e.scalers:
            if s.index == idx:
                if name == "enabled":
                    s.enabled = bool(value)
                else:
                    s.p[name] = value
                return
        cs = e.cs
        if idx != cs.rule_index:
            raise CircuitError(path, f"no rule {idx} on {target!r}")
        if name == "enabled":
            rule.enabled = cs.rule_enabled = bool(value)
        else:
            rule.params[name] = value
        if cs.synapse_model == "stdp_dopamine_synapse":
            tmp = copy.deepcopy(self.circuit)
            fresh = mapping.plan(tmp, self.seed).conns[[c.projection for c in self.plan.conns].index(target)]
            common = {k: v for k, v in fresh.syn_params.items() if k in ("A_plus", "A_minus", "b", "tau_c", "Wmax")}
            if not cs.rule_enabled:
                common.update(A_plus=0.0, A_minus=0.0)
            nest.SetDefaults(self.b.models[target], common)
            return
        _, syn, _ = mapping.RULES[cs.rule].convert(rule.params, cs.sign * cs.factor)
        if not cs.rule_enabled:
            syn.update(cs.off)
        update = {}
        for k, v in syn.items():
            if k in cs.scaled and (e.scalers or e.homeostat):
                e.base[k] = np.full(e.n, float(v))
                update[k] = (e.base[k] * e.gain[e.post]).tolist()
            else:
                update[k] = float(v)
        if e.n:
            e.conns.set(update)

    def _end_hint(self) -> float:
        return self._t_ms + max(1000.0 * self.plan.duration_s, 1000.0) * 10

    def reward(self, region: str, amount: float = 1.0) -> None:
        """Dopamine spikes to a modulator's volume transmitter (one per unit of reward)."""
        if region not in self.plan.modulators:
            raise CircuitError(region, "rewards go to modulatory regions")
        n = int(round(amount))
        self._rewards.setdefault(region, []).append((self._t_ms, float(n)))
        if n <= 0 or not self.plan.modulators[region]["gate"]:
            return
        t = round(self._t_ms + self.dt, 10)
        self.b.reward_gens[region].set(spike_times=[t], spike_multiplicities=[n])

    def block(self, region: str, on: bool = True) -> None:
        """Silence a region's output (rate 0 for sources, an unreachable threshold for neurons)."""
        node = self.plan.node(region)
        if on and region not in self._blocked:
            if node.source == "poisson_generator":
                self._blocked[region] = None
                self.b.generators[region].set(rate=0.0)
            elif node.source == "spike_generator":
                self._blocked[region] = None
                self._schedule_trains(self._t_ms, self._end_hint())
            else:
                self._blocked[region] = node.params["V_th"]
                self.b.pops[region].set(V_th=1e9)
        elif not on and region in self._blocked:
            old = self._blocked.pop(region)
            if node.source == "poisson_generator":
                self.b.generators[region].set(rate=float(node.region_params["rate_hz"]))
            elif node.source == "spike_generator":
                self._schedule_trains(self._t_ms, self._end_hint())
            else:
                self.b.pops[region].set(V_th=old)

    def reset(self) -> None:
        """Back to t = 0: a fresh NEST kernel with the same seed."""
        self.plan = mapping.plan(self.circuit, self.seed)
        self._setup()

    # -- reading ----------------------------------------------------------------------------
    def weights(self, projection: str) -> np.ndarray:
        """Effective weights in our units (NEST weight / (sign x unit factor)), in connection order."""
        e = self._proj[projection]
        if not e.n:
            return np.zeros(0)
        return e.weights() / e.unit

    def connectivity(self, projection: str) -> tuple[np.ndarray, np.ndarray]:
        e = self._proj[projection]
        return e.pre.copy(), e.post.copy()

    @property
    def region_names(self) -> list[str]:
        return list(self._names)

    @property
    def projection_names(self) -> list[str]:
        return list(self._proj)

    @property
    def n_neurons(self) -> int:
        return int(self._sizes.sum())

    @property
    def n_synapses(self) -> int:
        return int(sum(e.n for e in self._proj.values()))

    def modulator_levels(self) -> dict[str, float]:
        return dict(self._level)

    def summary(self) -> dict:
        """The same structure as ``Simulation.summary`` (per-rule weight contributions are not separable
        in NEST and read NaN)."""
        lr = self._last_run
        dur = lr["duration_s"]
        spikes = self._spikes_total - lr["spikes"]
        regions = {}
        for i, node in enumerate(self.plan.nodes):
            entry = {"n": node.n, "model": node.kind,
                     "rate_hz": float(spikes[i] / node.n / dur) if dur > 0 and self._spiking[i] else
                     (0.0 if dur > 0 else float("nan"))}
            if node.input_state:
                ke, ki, div = node.input_state
                pop = self.b.pops[node.region]
                entry["e_input"] = float(np.mean(pop.get(ke))) / div
                entry["i_input"] = float(np.mean(pop.get(ki))) / div
            if node.model == "volume_transmitter":
                entry["level"] = self._level[node.region]
            regions[node.region] = entry
        projections = {}
        for name, e in self._proj.items():
            w = self.weights(name)
            w_start = lr["w_start"][name]
            rules = self.circuit.projection(name).rules
            bounds = [r.params["w_max"] for r in rules if "w_max" in r.params]
            entry = {"n_synapses": int(len(w)), **(weight_stats(w) if len(w) else {}),
                     "rank_corr": spearman(w_start, w) if len(w) else float("nan"),
                     "w_mean_start": float(w_start.mean()) if len(w) else float("nan"),
                     **weight_shape(w, w_start, e.post if e.varies else np.zeros(len(w), np.int64),
                                    max(bounds) if bounds else None),
                     "rules": {f"{i}:{r.kind}": float("nan") for i, r in enumerate(rules)}}
            projections[name] = entry
        return {"duration_s": dur, "wall_s": lr["wall_s"], "t_s": self.t, "seed": self.seed,
                "compile_s": self.compile_s, "backend": "nest", "threads": self.threads, "chunk_ms": self.chunk_ms,
                "regions": regions, "projections": projections}
