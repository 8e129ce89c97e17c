"""`python main.py validate` on the malformed corpus: one clean line per file, exit code 2, no traceback."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MALFORMED = ROOT / "tests" / "malformed"
EXPECTED: dict[str, str] = json.loads((MALFORMED / "expected.json").read_text(encoding="utf-8"))
VALID = [ROOT / "tests" / "fixtures" / "circuit_v1.json", ROOT / "tests" / "fixtures" / "circuit_v0.json",
         ROOT / "circuits" / "vogels_abbott_cuba.json"]


def run_validate(*files: str | Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "SYNAPTICA_MAX_MEMORY_GB"}
    return subprocess.run([sys.executable, "main.py", "validate", *map(str, files)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def lines(proc: subprocess.CompletedProcess) -> list[str]:
    return [ln for ln in (proc.stdout + proc.stderr).splitlines() if ln.strip()]


@pytest.fixture(scope="module")
def single_runs() -> dict[str, subprocess.CompletedProcess]:
    """`validate FILE` for every corpus file, run a few at a time (each is a fresh interpreter)."""
    with ThreadPoolExecutor(max_workers=max(2, min(8, os.cpu_count() or 2))) as pool:
        procs = pool.map(lambda name: run_validate(MALFORMED / name), EXPECTED)
        return dict(zip(EXPECTED, procs))


def test_corpus_is_complete():
    on_disk = {p.name for p in MALFORMED.glob("*.json")} - {"expected.json"}
    assert on_disk == set(EXPECTED), "every corpus file needs an entry in expected.json and vice versa"
    assert len(EXPECTED) >= 30


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_malformed_file_gives_one_clean_line(single_runs, name):
    proc = single_runs[name]
    out = lines(proc)
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.returncode == 2, out
    assert len(out) == 1, out
    line = out[0]
    assert line.startswith("INVALID "), line
    assert name in line, line                      # names the file ...
    assert EXPECTED[name] in line, line            # ... and the JSON path / reason
    assert len(line) < 400, line


def test_every_malformed_file_is_refused_by_the_library_too():
    import simcore

    for name, expected in EXPECTED.items():
        with pytest.raises(simcore.CircuitError) as info:
            simcore.load(MALFORMED / name)
        assert expected in str(info.value), name
        assert "\n" not in str(info.value)


def test_all_at_once_one_line_per_file():
    files = [MALFORMED / n for n in sorted(EXPECTED)] + VALID
    proc = run_validate(*files)
    out = lines(proc)
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.returncode == 2
    assert len(out) == len(files), out
    for f, line in zip(files, out):
        assert str(f) in line
        assert line.startswith("ok ") == (f in VALID), line


def test_valid_files_alone_exit_zero():
    proc = run_validate(*VALID)
    out = lines(proc)
    assert proc.returncode == 0, out
    assert len(out) == len(VALID)
    assert all(ln.startswith("ok ") for ln in out), out


@pytest.mark.parametrize("path", ["missing_file.json", "tests", "tests/fixtures/nope/circuit.json"])
def test_unreadable_path_is_a_clean_error(path):
    proc = run_validate(path)
    out = lines(proc)
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.returncode == 2
    assert len(out) == 1 and path in out[0] and "cannot read file" in out[0], out


def test_validate_without_files_is_a_usage_error():
    proc = run_validate()
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "usage" in proc.stderr.lower()


def test_no_traceback_on_a_terminal_that_cannot_print_the_message():
    files = [MALFORMED / n for n in sorted(EXPECTED)]
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    proc = subprocess.run([sys.executable, "main.py", "validate", *map(str, files)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.returncode == 2
    assert len(lines(proc)) == len(files)


def test_validate_in_process(capsys):
    """The same command through simcore.cli.main (as the `synaptica` entry point calls it)."""
    from simcore import cli

    assert cli.main(["validate", str(MALFORMED / "dt_zero.json"), str(VALID[0])]) == 2
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("INVALID ") and "$.settings.dt_ms" in out[0]
    assert out[1].startswith("ok ")
