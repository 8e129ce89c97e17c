"""Under a real (virtual) X server, the window is driven with real input events (xdotool): build a
circuit by dragging from the palette, connect, add a rule, run, save, reopen and compare."""
import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.paths import ROOT

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (shutil.which("Xvfb") and shutil.which("xdotool")),
                                 reason="needs Xvfb and xdotool (apt-get install xvfb xdotool)")]


@pytest.fixture
def x_display(tmp_path):
    """A private Xvfb at 1366x768; its display number is chosen by the server (-displayfd)."""
    r, w = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                            pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(w)
    with os.fdopen(r) as f:
        number = f.readline().strip()
    yield f":{number}"
    proc.terminate()
    proc.wait(10)


def test_build_run_save_reopen_with_real_mouse_and_keys(x_display, tmp_path, data_dir):
    env = dict(os.environ, DISPLAY=x_display, QT_QPA_PLATFORM="xcb", PYTHONPATH=str(ROOT),
               SYNAPTICA_DATA_DIR=str(data_dir))
    out = tmp_path / "built.json"
    r = subprocess.run([sys.executable, str(ROOT / "tests" / "gui" / "xvfb_driver.py"), str(out)], env=env,
                       capture_output=True, text=True, timeout=240, cwd=str(tmp_path))
    lines = [ln for ln in r.stdout.splitlines() if ln.startswith("{")]
    assert r.returncode == 0 and lines, r.stderr[-2000:]
    report = json.loads(lines[-1])
    steps = {s[0]: s[1:] for s in report["steps"]}
    assert steps["source dropped"][0] == ["poisson"], report
    assert [len(steps["lif dropped"][0])] == [2], report
    assert len(steps["connected"][0]) == 1, report
    assert steps["rule added"][0], report
    assert steps["ran"][0] and steps["ran"][1] >= 0.3, report
    assert steps["saved"][0] and steps["saved"][1] == str(out), report
    assert report["reopened_equal"], report
    c = report["circuit"]
    assert [r["model"] for r in c["regions"]] == ["poisson", "lif"]
    assert c["projections"][0]["rules"][0]["kind"] == steps["rule added"][0][0]
