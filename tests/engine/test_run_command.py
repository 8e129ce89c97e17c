"""`python main.py run` end to end, as a user calls it."""
import json
import subprocess
import sys

import numpy as np

from simcore import Circuit, Expect, make_projection, make_region, save

from ..paths import ROOT


def run(*args):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "run", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


def tiny(path, expect):
    c = Circuit("tiny", regions=[make_region("In", "poisson", 50, rate_hz=10.0), make_region("E", "lif", 20)],
                projections=[make_projection("In->E", "In", "E", weights=("constant", {"value": 2.0}),
                                             rules=[("stdp_pair", {"w_max": 4.0})])],
                expect=expect)
    save(c, path)
    return path


def test_run_writes_summary_and_npz_with_documented_keys(tmp_path):
    f = tiny(tmp_path / "c.json", [])
    r = run(f, "--duration", "500ms", "--seed", "3", "--out", tmp_path / "r.npz", "--summary", tmp_path / "s.json")
    assert r.returncode == 0, r.stderr
    assert "In->E" in r.stdout and "rate (Hz)" in r.stdout
    s = json.loads((tmp_path / "s.json").read_text())
    assert s["duration_s"] == 0.5 and s["seed"] == 3
    assert abs(s["regions"]["In"]["rate_hz"] - 10.0) < 3.0
    d = np.load(tmp_path / "r.npz")
    for key in ("regions", "rates_t", "rates", "spike_t", "w/In->E", "w0/In->E", "pre/In->E", "stats/In->E"):
        assert key in d.files
    assert d["rates"].shape == (50, 2)
    assert json.loads(str(d["summary"]))["seed"] == 3


def test_check_reports_each_claim_and_fails_on_a_false_one(tmp_path):
    good = tiny(tmp_path / "good.json", [Expect("rate_hz", "In", 5.0, 15.0)])
    r = run(good, "--duration", "1s", "--check", "--quiet")
    assert r.returncode == 0 and "PASS In.rate_hz" in r.stdout
    bad = tiny(tmp_path / "bad.json", [Expect("rate_hz", "In", 50.0, None, "impossible")])
    r = run(bad, "--duration", "1s", "--check", "--quiet")
    assert r.returncode == 1 and "FAIL In.rate_hz" in r.stdout


def test_bad_input_gives_one_line_and_exit_2(tmp_path):
    (tmp_path / "broken.json").write_text("{not json")
    for args in ([tmp_path / "broken.json"], [tmp_path / "missing.json"],
                 [tiny(tmp_path / "c.json", []), "--duration", "ten seconds"]):
        r = run(*args)
        assert r.returncode == 2
        assert "Traceback" not in r.stderr + r.stdout
        assert len(r.stderr.strip().splitlines()) == 1
