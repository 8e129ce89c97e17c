"""Atomic saves, oversized files, and loading that never executes anything."""
from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import simcore
import simcore.io as sio

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture
def circuit() -> simcore.Circuit:
    return simcore.load(FIXTURES / "circuit_v1.json")


@pytest.fixture
def old_file(tmp_path, circuit) -> tuple[Path, bytes]:
    path = tmp_path / "c.json"
    simcore.save(circuit, path)
    return path, path.read_bytes()


def changed(c: simcore.Circuit) -> simcore.Circuit:
    c.title = "changed ✓"
    c.regions[0].size += 1
    return c


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# -- atomic save ----------------------------------------------------------------------------------

def test_successful_save_replaces_content(old_file, circuit):
    path, before = old_file
    simcore.save(changed(circuit), path)
    assert path.read_bytes() != before
    assert simcore.load(path).title == "changed ✓"
    assert leftovers(path.parent) == []


def test_save_creates_missing_folders(tmp_path, circuit):
    path = tmp_path / "a" / "b" / "c" / "circuit.json"
    assert simcore.save(circuit, path) == path
    assert simcore.load(path) == circuit


@pytest.mark.parametrize("where", ["replace", "fsync", "write"])
def test_crash_mid_save_keeps_old_file(monkeypatch, old_file, circuit, where):
    path, before = old_file

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    if where == "write":  # the disk fills up halfway through the data
        real_fdopen = os.fdopen

        class HalfWriter:
            def __init__(self, f):
                self.f = f

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.f.close()

            def write(self, data):
                self.f.write(data[: len(data) // 2])
                self.f.flush()
                boom()

            def __getattr__(self, name):
                return getattr(self.f, name)

        monkeypatch.setattr(sio.os, "fdopen", lambda *a, **k: HalfWriter(real_fdopen(*a, **k)))
    else:
        monkeypatch.setattr(sio.os, where, boom)
    with pytest.raises(OSError, match="No space left"):
        simcore.save(changed(circuit), path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert leftovers(path.parent) == []


def test_interrupt_mid_save_keeps_old_file(monkeypatch, old_file, circuit):
    path, before = old_file

    def interrupt(*a):
        raise KeyboardInterrupt

    monkeypatch.setattr(sio.os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        simcore.save(changed(circuit), path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert leftovers(path.parent) == []


def test_process_killed_mid_save_keeps_old_file(old_file, tmp_path):
    """SIGKILL (no cleanup possible) while the new text is written but not yet renamed."""
    path, before = old_file
    marker = tmp_path / "writing"
    script = textwrap.dedent(f"""
        import os, sys, time
        sys.path.insert(0, {str(ROOT)!r})
        import simcore, simcore.io as sio
        c = simcore.load({str(path)!r})
        c.title = "never saved"
        def stall(fd):
            open({str(marker)!r}, "w").close()
            time.sleep(60)
        sio.os.fsync = stall
        simcore.save(c, {str(path)!r})
    """)
    proc = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, "the saving process ended early"
            assert time.monotonic() < deadline
            time.sleep(0.02)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert path.read_bytes() == before
    assert simcore.load(path).title != "never saved"
    stray = leftovers(path.parent)
    assert len(stray) == 1 and stray[0].startswith(".c.json.")  # hidden, and never mistaken for the file


def test_unwritable_text_fails_before_touching_anything(old_file, circuit):
    path, before = old_file
    circuit.title = "\ud800"  # a lone surrogate cannot be encoded
    with pytest.raises(UnicodeEncodeError):
        simcore.save(circuit, path)
    assert path.read_bytes() == before
    assert leftovers(path.parent) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_save_keeps_permissions(old_file, circuit):
    path, _ = old_file
    os.chmod(path, 0o640)
    simcore.save(changed(circuit), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    new = path.parent / "new.json"
    simcore.save(circuit, new)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~umask  # not mkstemp's 0600


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_save_through_symlink_keeps_the_link(old_file, circuit, tmp_path):
    path, _ = old_file
    link = tmp_path / "link.json"
    link.symlink_to(path)
    simcore.save(changed(circuit), link)
    assert link.is_symlink()
    assert simcore.load(path).title == "changed ✓"


# -- size limit ----------------------------------------------------------------------------------

def test_oversized_sparse_file_refused_before_reading(tmp_path, monkeypatch):
    big = tmp_path / "big.json"
    with open(big, "wb") as f:
        f.truncate(sio.MAX_FILE_BYTES + 1)  # sparse: no disk space used
    monkeypatch.setattr(sio, "loads", lambda *a: pytest.fail("parsed a file above the size limit"))
    with pytest.raises(simcore.CircuitError, match="at most 64 MiB") as info:
        simcore.load(big)
    assert str(big) in str(info.value)


def test_size_limit_applies_to_content_not_only_stat(tmp_path, monkeypatch):
    path = tmp_path / "c.json"
    path.write_bytes((FIXTURES / "circuit_v1.json").read_bytes())
    monkeypatch.setattr(sio, "MAX_FILE_BYTES", 100)
    with pytest.raises(simcore.CircuitError, match="at most"):
        simcore.load(path)
    monkeypatch.setattr(sio, "MAX_FILE_BYTES", 10**6)
    assert simcore.load(path).name == "migration_fixture"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_endless_device_is_refused():
    with pytest.raises(simcore.CircuitError, match="not a regular file"):
        simcore.load("/dev/zero")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    with pytest.raises(simcore.CircuitError, match="not a regular file"):
        simcore.load(fifo)


@pytest.mark.parametrize("bad", ["a\0b.json", ""])
def test_odd_paths_are_clean_errors(bad):
    with pytest.raises(simcore.CircuitError, match="cannot read file"):
        simcore.load(bad)


# -- loading never executes code ----------------------------------------------------------------------

PAYLOADS = [
    "__import__('os').system('touch {m}')",
    "eval(\"open('{m}', 'w')\")",
    "{{{{ open('{m}', 'w') }}}}",
    "$(touch {m})",
    "`touch {m}`",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_loading_never_executes_code(tmp_path, payload):
    marker = tmp_path / "pwned"
    p = payload.format(m=marker)
    doc = json.loads((FIXTURES / "circuit_v1.json").read_text(encoding="utf-8"))
    # as data where text is allowed: kept verbatim, inert
    doc["title"] = doc["description"] = p
    doc["expect"][0]["note"] = p
    doc["view"] = {p: [p, {"__class__": p, "__reduce__": p}], "py/object": "os.system"}
    path = tmp_path / "data.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    c = simcore.load(path)
    assert c.title == p and c.view[p][0] == p
    simcore.save(c, tmp_path / "again.json")
    # where code might plausibly be evaluated (names, kinds, parameter values, set paths): refused
    for where in (("regions", 0, "name"), ("regions", 0, "model"), ("regions", 1, "params", "tau_m"),
                  ("projections", 0, "weights", "kind"), ("protocol", 0, "param"), ("protocol", 0, "value"),
                  ("settings", "seed"), ("layout", "E", 0), ("expect", 0, "metric")):
        d = json.loads(json.dumps(doc))
        obj = d
        for k in where[:-1]:
            obj = obj[k]
        obj[where[-1]] = p
        with pytest.raises(simcore.CircuitError):
            simcore.from_dict(d)
    # and through the command line
    proc = subprocess.run([sys.executable, "main.py", "validate", str(path)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not marker.exists()


def test_loader_uses_no_code_executing_parsers():
    """Static check of the reading path: no pickle/yaml/marshal, no eval/exec/compile/__import__."""
    import ast

    from simcore import errors, migrate, validate

    for mod in (sio, migrate, validate, errors):
        tree = ast.parse(Path(mod.__file__).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                assert not {n.split(".")[0] for n in names} & {"pickle", "marshal", "yaml", "shelve", "dill"}, \
                    (mod.__name__, names)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("eval", "exec", "compile", "__import__"), (mod.__name__, node.func.id)
