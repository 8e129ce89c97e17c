"""Recordings as Neurodata Without Borders (NWB) files, written and read with pynwb.

Why NWB: it is the format this field shares recordings in; NWB tools (pynwb, nwbinspector, viewers)
read a Synaptica run without knowing Synaptica. The file holds the same data as the NPZ export (both
come from :func:`simcore.engine.commands.recorded`) laid out as NWB types, plus everything needed to
run it again: the circuit file's text, the seed and the simulated duration (:func:`read_run`).

Layout (see docs/nwb.md):

- ``units``: one row per recorded neuron of every spiking region, columns ``region`` and ``neuron``
  (index within the region), ``spike_times`` in seconds.
- ``acquisition/population_rates``: binned population rate (Hz), one column per region.
- ``acquisition/membrane_potential <region>``: membrane potential (V) of the recorded neurons;
  rate units record their rate (Hz), modulators their level.
- ``processing/synapses``: per projection ``<proj> <statistic>`` (mean, CV, min, max, rank correlation,
  per-rule weight change) and ``<proj> tracked <synapse>`` weights over time; ``<proj> weights``, a
  table of every synapse (pre, post, initial and final weight).
- ``intervals/events``: protocol events and live actions (``event`` text, ``origin`` protocol / live).
- ``general/source_script``: the circuit file (JSON text); ``general/notes``: run metadata as JSON
  (seed, duration, dt, engine version, region and projection order, the summary).
"""
from __future__ import annotations

import json
import os
import tempfile
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from .errors import CircuitError

ENGINE = "synaptica"
META_KEY = "synaptica-run"
SYNTHETIC_TAXON = "http://purl.obolibrary.org/obo/NCBITaxon_32630"  # NCBI taxonomy: "synthetic construct"
# the first state variable of a neuron model is what the voltage recorder samples; how to name it in NWB
STATE_SERIES = {"v": ("membrane_potential", "volts", 1e-3, "membrane potential"),
                "rate": ("rate_state", "Hz", 1.0, "firing-rate state of the rate units"),
                "level": ("modulator_level", "n.a.", 1.0, "level of the modulatory signal")}
STAT_COLUMNS = (("w_mean", "mean effective weight"), ("w_cv", "coefficient of variation of the weights"),
                ("w_min", "smallest weight"), ("w_max", "largest weight"),
                ("rank_corr", "Spearman rank correlation with the reference weights"))


def engine_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("synaptica")
    except PackageNotFoundError:
        return "unknown"


# -- writing -------------------------------------------------------------------------------------

def write_nwb(sim, path, summary: dict | None = None, circuit_text: str | None = None) -> None:
    """Write what ``sim`` recorded to ``path`` (atomically). ``circuit_text``: the circuit file as it was
    when the simulation was built (default: the simulation's circuit now, which protocol events that
    set parameters have changed, so pass the file's text when you have it)."""
    from pynwb import NWBHDF5IO

    from .engine.commands import recorded
    from .io import dumps

    summary = sim.summary() if summary is None else summary
    data = recorded(sim, summary)
    text = circuit_text if circuit_text is not None else dumps(sim.circuit)
    nwb = _nwbfile(sim, data, summary, text)
    target = Path(path)
    fd, tmp = tempfile.mkstemp(suffix=".nwb", dir=target.parent if str(target.parent) else ".")
    os.close(fd)
    try:
        with NWBHDF5IO(tmp, "w") as io:
            io.write(nwb)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _nwbfile(sim, data: dict, summary: dict, circuit_text: str):
    from pynwb import NWBFile, ProcessingModule
    from pynwb.file import Subject

    c = sim.circuit
    meta = {"format": META_KEY, "engine": ENGINE, "engine_version": engine_version(), "seed": int(sim.seed),
            "duration_s": float(sim.t), "dt_ms": float(sim.dt), "circuit_name": c.name,
            "regions": list(sim.region_names), "projections": list(sim.projection_names),
            "raster_dropped_chunks": int(sim.raster_dropped),
            "live_actions": _origins(sim, data["events_t"]).count("live"),
            "summary": json.loads(str(data["summary"]))}
    start = datetime.now(timezone.utc).replace(microsecond=0)
    # NWB asks for a subject; a simulated circuit is one: NCBI's "synthetic construct" taxon, sex
    # "other", born when the simulation was built (so its age is the run's length)
    subject = Subject(subject_id=c.name, species=SYNTHETIC_TAXON, sex="O", date_of_birth=start,
                      description=f"simulated neural circuit {c.name!r} (in silico, no animal): "
                                  f"{sim.n_neurons} neurons, {sim.n_synapses} synapses")
    nwb = NWBFile(
        session_description=f"Synaptica simulation of the circuit {c.title or c.name!r}: {sim.t:g} s of "
                            f"biological time, seed {sim.seed}",
        identifier=str(uuid.uuid4()),
        session_start_time=start,
        experiment_description=c.description or f"Simulated circuit {c.name}",
        session_id=f"{c.name}-seed{sim.seed}",
        keywords=["simulation", "spiking neural network", "synaptic plasticity", "homeostasis"],
        source_script=circuit_text, source_script_file_name=f"{c.name}.json",
        notes=json.dumps(meta, default=_plain),
        was_generated_by=[[ENGINE, engine_version()]],
        subject=subject,
    )
    _units(nwb, sim, data)
    _rates(nwb, sim, data)
    _voltages(nwb, sim, data)
    syn = ProcessingModule(name="synapses", description="weights of every projection: statistics over time, "
                                                         "tracked synapses and every synapse's initial and final weight")
    for name in sim.projection_names:
        _projection(syn, sim, data, name)
    if sim.projection_names:
        nwb.add_processing_module(syn)
    _events(nwb, sim, data)
    return nwb


def _time(t: np.ndarray) -> dict:
    """starting_time + rate for regular samples (NWB best practice), else explicit timestamps."""
    t = np.asarray(t, float)
    if len(t) >= 2:
        step = np.diff(t)
        if np.allclose(step, step[0], rtol=1e-6, atol=1e-9) and step[0] > 0:
            return {"starting_time": float(t[0]), "rate": float(1.0 / step[0])}
    return {"timestamps": t}


def _units(nwb, sim, data) -> None:
    t_end = float(sim.t)
    t, neuron, region = data["spike_t"], data["spike_neuron"], data["spike_region"]
    order = np.lexsort((t, neuron, region))
    t, neuron, region = t[order], neuron[order], region[order]
    rows = sim.raster_rows()
    spiking = [i for i, name in enumerate(sim.region_names) if sim.is_spiking(name) and rows[i]]
    if not spiking or not len(t):
        return  # no spike recorded: no Units table (an all-empty spike_times column trips NWB readers)
    # spikes older than the raster ring are gone: each unit was observed from the ring's oldest spike on
    t0 = float(data["spike_t"].min()) if sim.raster.n > len(sim.raster.data) else 0.0
    t_end = max(t_end, float(t.max()))
    from hdmf.common import VectorData, VectorIndex
    from pynwb.misc import Units

    # whole columns at once (one row per recorded neuron): add_unit row by row is ~100x slower
    unit_region = np.concatenate([np.full(rows[i], i, np.int64) for i in spiking])
    unit_neuron = np.concatenate([np.arange(rows[i], dtype=np.int64) for i in spiking])
    width = int(max(rows)) + 1
    ends = np.searchsorted(region.astype(np.int64) * width + neuron, unit_region * width + unit_neuron, side="right")
    n = len(unit_region)
    spike_times = VectorData(name="spike_times", description="spike times (s)", data=_packed(t))
    obs = VectorData(name="obs_intervals", description="observation interval of each unit (s)",
                     data=np.tile([t0, t_end], (n, 1)))
    columns = [spike_times, VectorIndex(name="spike_times_index", data=_packed(ends), target=spike_times),
               obs, VectorIndex(name="obs_intervals_index", data=np.arange(1, n + 1), target=obs),
               VectorData(name="region", description="region (neuron population) of the neuron",
                          data=[sim.region_names[i] for i in unit_region]),
               VectorData(name="neuron", description="index of the neuron within its region", data=unit_neuron)]
    nwb.units = Units(name="units", id=np.arange(n), columns=columns, resolution=sim.dt * 1e-3, description=(
        "spikes of the first recording.raster_max_neurons neurons of every spiking region "
        f"(at most recording.raster_max_spikes spikes are kept; observed from {t0:g} s to {t_end:g} s)"))


def _rates(nwb, sim, data) -> None:
    from pynwb import TimeSeries

    if not len(data["rates_t"]):
        return
    bin_s = sim.circuit.recording.rate_bin_ms * 1e-3
    names = ", ".join(sim.region_names)
    nwb.add_acquisition(TimeSeries(
        name="population_rates", data=_packed(data["rates"]), unit="Hz", **_time(data["rates_t"]),
        description=f"population rate per region in bins of {bin_s * 1e3:g} ms (time = end of the bin); "
                    f"columns: {names}",
        comments=json.dumps({"columns": list(sim.region_names), "bin_s": bin_s})))


def _voltages(nwb, sim, data) -> None:
    from pynwb import TimeSeries

    from .params import kind

    if not len(data["voltage_t"]):
        return
    counts, index = sim.voltage_neurons()
    off = 0
    for name, k in zip(sim.region_names, counts):
        cols = slice(off, off + k)
        off += k
        region = sim.circuit.region(name)
        var = kind("neuron", region.model).impl.vars[0]
        if not k or var not in STATE_SERIES:  # spike sources record no state worth keeping
            continue
        prefix, unit, conversion, what = STATE_SERIES[var]
        neurons = [int(x) for x in index[cols]]
        nwb.add_acquisition(TimeSeries(
            name=f"{prefix} {name}", data=_packed(data["voltage"][:, cols]), unit=unit, conversion=conversion,
            **_time(data["voltage_t"]),
            description=f"{what} of neurons {neurons} of region {name} (the last seconds of the run)",
            comments=json.dumps({"region": name, "neurons": neurons})))


def _projection(module, sim, data, name: str) -> None:
    from hdmf.common import DynamicTable, VectorData
    from pynwb import TimeSeries

    target = sim.endpoints(name)[1]
    from .params import kind

    unit = kind("neuron", sim.circuit.region(target).model).info.get("weight_unit", "a.u.")
    stats = data[f"stats/{name}"]
    if len(stats):
        time = _time(stats[:, 0])
        for col, (key, what) in enumerate(STAT_COLUMNS, start=1):
            module.add(TimeSeries(name=f"{name} {key}", data=stats[:, col], description=f"{what} of {name}",
                                  unit=unit if key in ("w_mean", "w_min", "w_max") else "n.a.", **time))
        for r, rule in enumerate(sim.rules_of(name)):
            module.add(TimeSeries(name=f"{name} dw {r} {rule}", data=stats[:, 6 + r], unit=unit, **time,
                                  description=f"total weight change made by rule {r} ({rule}) of {name}"))
    tracked = data[f"tracked/{name}"]
    idx = data[f"tracked_index/{name}"]
    if len(tracked):
        # one series per synapse: time stays the longest dimension even for short runs (NWB practice)
        time = _time(tracked[:, 0])
        pre, post = data[f"pre/{name}"], data[f"post/{name}"]
        for col, syn in enumerate(idx, start=1):
            module.add(TimeSeries(
                name=f"{name} tracked {int(syn)}", data=tracked[:, col], unit=unit, **time,
                description=f"effective weight of tracked synapse {int(syn)} of {name} "
                            f"(presynaptic neuron {int(pre[syn])}, postsynaptic neuron {int(post[syn])})",
                comments=json.dumps({"synapse": int(syn), "pre": int(pre[syn]), "post": int(post[syn])})))
    if len(data[f"w/{name}"]):
        cols = [VectorData(name="pre", description="presynaptic neuron (index in the source region)",
                           data=_packed(data[f"pre/{name}"])),
                VectorData(name="post", description="postsynaptic neuron (index in the target region)",
                           data=_packed(data[f"post/{name}"])),
                VectorData(name="w_initial", description=f"effective weight at the start ({unit})",
                           data=_packed(np.asarray(data[f"w0/{name}"], np.float64))),
                VectorData(name="w_final", description=f"effective weight at the end ({unit})",
                           data=_packed(data[f"w/{name}"]))]
        n = len(data[f"w/{name}"])
        module.add(DynamicTable(name=f"{name} weights", columns=cols, id=_packed(np.arange(n, dtype=np.int64)),
                                description=f"every synapse of {name}, in weight order"))


def _events(nwb, sim, data) -> None:
    from pynwb.epoch import TimeIntervals

    t, text = data["events_t"], data["events"]
    if not len(t):
        return
    table = TimeIntervals(name="events", description="protocol events (from the circuit file) and live "
                                                     "actions (from the window), in the order they fired")
    step_s = sim.dt * 1e-3
    table.add_column("event", "what happened, as the engine logged it")
    table.add_column("origin", "'protocol' for an event of the circuit's protocol, 'live' for a live action")
    for ti, txt, origin in zip(t, text, _origins(sim, t)):
        # an event acts at one instant; its interval is the time step in which it was applied
        table.add_interval(start_time=float(ti), stop_time=float(ti) + step_s, event=str(txt), origin=origin)
    nwb.add_time_intervals(table)


def _origins(sim, t) -> list[str]:
    """Which logged events came from the protocol: those fire in time order, each exactly at its own
    step (chunks end at protocol events); anything else was a live action."""
    due = [sim.steps_for(e.time_s) for e in sorted(sim.circuit.protocol, key=lambda e: e.time_s)]
    out, k = [], 0
    for ti in t:
        step = int(round(ti * 1000.0 / sim.dt))
        if k < len(due) and max(due[k], 0) == step:
            out.append("protocol")
            k += 1
        else:
            out.append("live")
    return out


def _packed(a):
    """Large arrays are stored gzip-compressed (chunked); small ones plainly."""
    a = np.asarray(a)
    if a.size < 4096:
        return a
    from hdmf.backends.hdf5.h5_utils import H5DataIO

    return H5DataIO(a, compression="gzip", compression_opts=4, shuffle=True)


def _plain(x):
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, np.ndarray):
        return x.tolist()
    raise TypeError(type(x))


# -- reading -------------------------------------------------------------------------------------

def read_run(path) -> dict:
    """What is needed to run a recording again: ``circuit`` (the parsed circuit), ``circuit_text``,
    ``seed``, ``duration_s`` and the rest of the run metadata. Bad files raise CircuitError (one line)."""
    from .io import loads

    meta, text = _read_meta(path)
    circuit = loads(text)
    return {**meta, "circuit": circuit, "circuit_text": text}


@contextmanager
def _opened(path):
    """The NWBFile of a Synaptica recording and its run metadata; bad files raise CircuitError."""
    from pynwb import NWBHDF5IO

    if not Path(path).is_file():
        raise CircuitError(str(path), "no such file")
    try:
        io = NWBHDF5IO(str(path), "r")
        nwb = io.read()
    except Exception as err:  # h5py / hdmf raise many kinds; the user needs one line
        raise CircuitError(str(path), f"cannot read as NWB ({type(err).__name__}: {err})") from None
    try:
        try:
            meta = json.loads(nwb.notes or "")
        except ValueError:
            meta = {}
        if not isinstance(meta, dict) or meta.get("format") != META_KEY or not nwb.source_script:
            raise CircuitError(str(path), "not a Synaptica recording (no circuit and run metadata in it)")
        yield nwb, meta
    finally:
        io.close()


def _read_meta(path) -> tuple[dict, str]:
    with _opened(path) as (nwb, meta):
        return meta, nwb.source_script


def read_recording(path) -> dict:
    """The recording as plain arrays under the NPZ keys (spikes, rates, voltages, weights, events), for
    comparisons and analysis without pynwb's object model."""
    with _opened(path) as (nwb, meta):
        out: dict = {"regions": np.array(meta["regions"]), "projections": np.array(meta["projections"])}
        out["spike_t"], out["spike_neuron"] = np.zeros(0), np.zeros(0, np.int64)
        out["spike_region"] = np.zeros(0, np.int64)
        if nwb.units is not None:  # ragged spike_times: flat data + end offset of every unit
            index = nwb.units["spike_times"]
            ends = np.asarray(index.data[:], np.int64)
            counts = np.diff(np.r_[0, ends])
            regions = {name: i for i, name in enumerate(meta["regions"])}
            out["spike_t"] = np.asarray(index.target.data[:], float)
            out["spike_neuron"] = np.repeat(np.asarray(nwb.units["neuron"].data[:], np.int64), counts)
            out["spike_region"] = np.repeat([regions[str(r)] for r in nwb.units["region"].data[:]], counts)
        rates = nwb.acquisition.get("population_rates")
        out["rates"] = np.asarray(rates.data[:]) if rates is not None else np.zeros((0, len(meta["regions"])))
        out["rates_t"] = np.asarray(rates.get_timestamps()) if rates is not None else np.zeros(0)
        out["voltage"] = {name: np.asarray(ts.data[:]) * ts.conversion for name, ts in nwb.acquisition.items()
                          if name != "population_rates"}
        syn = nwb.processing.get("synapses")
        for name in meta["projections"]:
            if syn is not None and f"{name} weights" in syn.data_interfaces:
                table = syn[f"{name} weights"]
                for col in ("pre", "post", "w_initial", "w_final"):
                    out[f"{col}/{name}"] = np.asarray(table[col].data[:])
            series = sorted((int(k.rsplit(" ", 1)[1]), ts) for k, ts in (syn.data_interfaces.items() if syn else ())
                            if k.startswith(f"{name} tracked "))
            if series:
                out[f"tracked_index/{name}"] = np.array([k for k, _ in series])
                out[f"tracked/{name}"] = np.column_stack([np.asarray(ts.data[:]) for _, ts in series])
            if syn is not None and f"{name} w_mean" in syn.data_interfaces:
                out[f"w_mean/{name}"] = np.asarray(syn[f"{name} w_mean"].data[:])
        ev = nwb.intervals.get("events") if nwb.intervals else None
        out["events_t"] = np.asarray(ev["start_time"].data[:]) if ev is not None else np.zeros(0)
        out["events"] = [str(x) for x in ev["event"].data[:]] if ev is not None else []
        out["origins"] = [str(x) for x in ev["origin"].data[:]] if ev is not None else []
    out["meta"] = meta
    return out
