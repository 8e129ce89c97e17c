"""Ctrl+C stops a sweep cleanly (no worker left); workers share the kernel cache safely."""
import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

from simcore import save

from ..paths import ROOT
from .circuits import tiny


def _env(**extra):
    return {**os.environ, "PYTHONPATH": str(ROOT), **extra}


def test_ctrl_c_keeps_finished_runs_and_leaves_no_worker(tmp_path):
    path = save(tiny(), tmp_path / "tiny.json")
    out = tmp_path / "s"
    # two runs of 10 neurons finish in seconds; two of 20000 neurons are still running at Ctrl+C
    proc = subprocess.Popen([sys.executable, "main.py", "sweep", str(path), "--param", "E.size=10,20000",
                             "--seeds", "0-1", "--duration", "40s", "--out", str(out), "--workers", "2"],
                            cwd=ROOT, env=_env(), stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        me = psutil.Process(proc.pid)
        workers: dict[int, psutil.Process] = {}
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and len(list(out.glob("runs/*.json"))) < 2:
            try:
                workers.update({p.pid: p for p in me.children(recursive=True)})
            except psutil.Error:
                break
            time.sleep(0.2)
        assert len(list(out.glob("runs/*.json"))) == 2, "the small runs did not finish"
        assert proc.poll() is None, "the big runs finished before Ctrl+C: make them bigger"
        # the nannies live in the sweep's own process; each starts one worker process
        assert len([p for p in workers.values() if _is_worker(p)]) == 2, [p.pid for p in workers.values()]
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal does on Ctrl+C: the whole process group
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    assert proc.returncode == 130, err
    assert "interrupted" in err.strip().splitlines()[-1] and "Traceback" not in err, err
    assert "local cluster: 2 worker processes; dashboard http://127.0.0.1:" in err
    _, alive = psutil.wait_procs(list(workers.values()), timeout=10)
    assert not alive, [p.pid for p in alive]
    import pandas as pd

    table = pd.read_parquet(out / "results.parquet")
    assert table["E.size"].tolist() == [10, 10] and (table["status"] == "ok").all()  # what finished is kept


def _is_worker(p) -> bool:
    try:
        return any("spawn_main" in a or "forkserver" in a for a in p.cmdline())
    except psutil.Error:
        return False


LOCKED_RUN = """
import sys, time
sys.path.insert(0, {root!r})
from simcore.sweep.runner import Task, run_task
from tests.sweep.circuits import tiny
row = run_task(Task("k", tiny(), {{}}, 0, 0.2, {runs!r}))
print(row["status"], row["error"])
"""


def test_a_run_waits_for_the_kernel_cache_lock(tmp_path):
    """While another process holds the cache lock (compiling), a run does not touch the kernel."""
    from simcore.sweep.runner import compile_lock

    code = LOCKED_RUN.format(root=str(ROOT), runs=str(tmp_path))
    with compile_lock():
        proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=_env(), stdout=subprocess.PIPE, text=True)
        time.sleep(4)
        assert proc.poll() is None and not (tmp_path / "k.json").exists()
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0 and out.split()[0] == "ok"


@pytest.mark.slow
def test_concurrent_first_compiles_leave_a_working_cache(tmp_path):
    """Three processes start on an empty kernel cache at once: all get identical results, and a
    fourth process afterwards loads the kernel from the cache instead of compiling it."""
    env = _env(SYNAPTICA_CACHE_DIR=str(tmp_path / "cache"))
    code = ("import sys, numpy as np; sys.path.insert(0, {root!r})\n"
            "from simcore.sweep.runner import Task, simulate\n"
            "from tests.sweep.circuits import tiny\n"
            "sim, _ = simulate(Task('k', tiny(), {{}}, 0, 0.3))\n"
            "np.save(sys.argv[1], sim.weights('In->E')); print(sim.compile_s)").format(root=str(ROOT))
    procs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path / f"w{i}.npy")], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(3)]
    results = [p.communicate(timeout=600) for p in procs]
    assert all(p.returncode == 0 for p in procs), [e for _, e in results]
    import numpy as np

    ws = [np.load(tmp_path / f"w{i}.npy") for i in range(3)]
    assert all(np.array_equal(ws[0], w) for w in ws[1:])
    first = sorted(float(o.split()[-1]) for o, _ in results)
    after = subprocess.run([sys.executable, "-c", code, str(tmp_path / "w3.npy")], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=600)
    assert after.returncode == 0, after.stderr
    assert np.array_equal(np.load(tmp_path / "w3.npy"), ws[0])
    assert float(after.stdout.split()[-1]) < first[-1] / 3  # loaded, not compiled again
