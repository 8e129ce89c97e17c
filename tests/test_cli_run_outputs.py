"""`synaptica run`: everything that can fail is refused before the run, outputs are strict JSON and
leave no temp files, and the terminal only ever sees one escaped line per problem."""
from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import simcore
from simcore import cli, model
from simcore.io import atomic_write_text, temp_name_pattern
from simcore.model import make_projection, make_region
from simcore.outputs import printable, strict

ROOT = Path(__file__).resolve().parent.parent


def tiny(tmp_path, **settings) -> Path:
    """A small fast circuit; a projection with no synapses (p = 0) and one of constant weights."""
    c = model.Circuit(name="tiny", regions=[make_region("In", "poisson", 5, rate_hz=50.0), make_region("E", "lif", 5)],
                      projections=[make_projection("In->E", "In", "E", connectivity=("one_to_one", {}),
                                                   weights=("constant", {"value": 5.0})),
                                   make_projection("Empty", "In", "E", connectivity=("fixed_probability", {"p": 0.0}))])
    for k, v in settings.items():
        setattr(c.settings, k, v)
    path = tmp_path / "tiny.json"
    simcore.save(c, path)
    return path


def run_cli(capsys, *argv) -> tuple[int, list[str]]:
    rc = cli.main(["run", *map(str, argv)])
    out = capsys.readouterr()
    return rc, [ln for ln in (out.out + out.err).splitlines() if ln.strip()]


@pytest.fixture
def no_simulation(monkeypatch):
    """Fail the test if a simulation is even constructed: the refusal must come before the run."""
    from simcore.engine import simulation

    def boom(*a, **k):
        raise AssertionError("the simulation was started before the options were checked")
    monkeypatch.setattr(simulation.Simulation, "__init__", boom)


@pytest.mark.parametrize("option, value, says", [
    ("--out", "{tmp}", "is a folder"),
    ("--summary", "{tmp}/missing/s.json", "does not exist"),
    ("--out", "/proc/version/x.npz", "cannot write"),
    ("--summary", "/proc/x.json", "cannot write"),
    ("--duration", "1e400", "too large"),
    ("--duration", "1e-9", "shorter than one time step"),
    ("--seed", "-1", "must be >= 0"),
    ("--seed", str(2**40), "must be <="),
])
def test_bad_options_are_one_line_before_the_run(tmp_path, capsys, no_simulation, option, value, says):
    rc, out = run_cli(capsys, tiny(tmp_path), "--quiet", option, value.format(tmp=tmp_path))
    assert rc == 2
    assert len(out) == 1 and out[0].startswith(f"error: {option}") and says in out[0], out


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_folder_is_refused_before_the_run(tmp_path, capsys, no_simulation):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        rc, out = run_cli(capsys, tiny(tmp_path), "--quiet", "--out", ro / "x.npz")
    finally:
        ro.chmod(0o700)
    assert rc == 2 and len(out) == 1 and "not writable" in out[0]


def test_summary_is_strict_json_with_reasons(tmp_path, capsys):
    s = tmp_path / "s.json"
    rc, _ = run_cli(capsys, tiny(tmp_path), "--quiet", "--duration", "0.05s", "--summary", s, "--out", tmp_path / "o.npz")
    assert rc == 0

    def no_constants(name):
        raise AssertionError(f"{name} in a JSON summary")
    doc = json.loads(s.read_text(), parse_constant=no_constants)
    empty = doc["projections"]["Empty"]
    assert empty["n_synapses"] == 0 and empty["w_mean"] is None
    assert empty["w_mean_undefined"] == "the projection has no synapses"
    assert doc["projections"]["In->E"]["w_mean"] == 5.0
    with np.load(tmp_path / "o.npz") as z:  # the summary inside the npz is strict too
        json.loads(str(z["summary"]), parse_constant=no_constants)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_strict_replaces_every_non_finite_number():
    out = strict({"a": float("nan"), "b": [float("inf"), 1.0], "c": np.float64("-inf"), "d": np.arange(2)})
    assert out == {"a": None, "a_undefined": "undefined for this run", "b": [None, 1.0], "c": None,
                   "c_undefined": "overflowed (the value is infinite)", "d": [0, 1]}
    json.dumps(out, allow_nan=False)


def test_failed_npz_write_leaves_no_temp_file_and_one_line(tmp_path, capsys, monkeypatch):
    def half_then_fail(f, **data):
        f.write(b"PK\x03\x04 partial")
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(np, "savez_compressed", half_then_fail)
    rc, out = run_cli(capsys, tiny(tmp_path), "--quiet", "--duration", "0.02s", "--out", tmp_path / "o.npz")
    assert rc == 2 and out == [f"error: --out: cannot write {tmp_path / 'o.npz'}: No space left on device"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny.json"]


def test_stale_temp_of_a_killed_save_is_removed_by_the_next_save(tmp_path):
    target = tmp_path / "c.json"
    stale = tmp_path / ".c.json.0123456789ab.tmp"
    stale.write_bytes(b"x" * 1000)          # a save killed with -9 leaves this behind
    live = tmp_path / ".c.json.ba9876543210.tmp"
    live.write_bytes(b"y")
    other = tmp_path / ".d.json.0123456789ab.tmp"  # another file's temp: not ours to touch
    other.write_bytes(b"z")
    with open(live, "rb") as held:          # a save in progress elsewhere holds its lock
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        atomic_write_text(target, "new\n")
    assert target.read_text() == "new\n"
    assert not stale.exists() and live.exists() and other.exists()
    assert temp_name_pattern(target).fullmatch(stale.name)


def test_validate_into_a_closed_pipe_ends_quietly():
    files = sorted((ROOT / "tests" / "malformed").glob("*.json")) * 20
    proc = subprocess.Popen([sys.executable, "main.py", "validate", *map(str, files)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()                     # as `| head -1` does
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipe" not in err, err
    assert proc.returncode == 141


def test_file_names_are_printed_escaped(tmp_path, capsys):
    bad = tmp_path / "evil\nname\x1b[31mred.json"
    bad.write_text("{")
    good = tmp_path / "ok\x1b]0;title\x07.json"
    simcore.save(model.Circuit(name="x", regions=[make_region("E", "lif", 2)]), good)
    rc = cli.main(["validate", str(bad), str(good)])
    out = capsys.readouterr().out
    assert rc == 2
    lines = out.splitlines()
    assert len(lines) == 2 and "\x1b" not in out and "\x07" not in out
    assert "evil\\nname\\x1b[31mred.json" in lines[0] and "ok\\x1b]0;title\\x07.json" in lines[1]
    assert printable("a\u2028b\x9b") == "a\\u2028b\\x9b"


def test_claim_outside_the_kept_history_is_refused_before_the_run(tmp_path, capsys, no_simulation):
    c = simcore.load(tiny(tmp_path))
    c.recording.history_s = 1.0
    c.settings.duration_s = 1.0
    c.expect = [model.Expect("w_mean", "In->E", 0.0, 10.0, to_s=0.5), model.Expect("rate_hz", "E", 0.0, 1e3,
                                                                                       from_s=0.1, to_s=0.9)]
    simcore.save(c, tmp_path / "claims.json")
    rc, out = run_cli(capsys, tmp_path / "claims.json", "--quiet", "--check", "--duration", "5s")
    assert rc == 2 and len(out) == 1
    assert "$.expect[0].to_s" in out[0] and "keeps only its last" in out[0], out


def test_a_claim_at_a_sample_no_longer_kept_gets_no_value(tmp_path):
    from simcore import Simulation
    from simcore.engine.expect import measure

    c = simcore.load(tiny(tmp_path))
    c.recording.history_s = 0.2
    sim = Simulation(c, seed=0)
    sim.run(1.0)
    assert np.isfinite(measure(sim, "w_mean", "In->E", None, 1.0))
    # a sample no longer kept: refused with the claim's path (NaN once; before that the t = 0.8 s sample)
    with pytest.raises(simcore.CircuitError, match=r"\$\.to_s: the claim needs the statistics history from 0\.1 s"):
        measure(sim, "w_mean", "In->E", None, 0.1)
