"""A circuit's A/B fork (``fork`` in the file, simcore.fork): read, written and validated like the rest of
the file, older files unchanged, and run headless as two branches whose claims are measured on each."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import simcore
from simcore import make_homeostasis
from simcore import make_projection as P
from simcore import make_region as R
from simcore.cli import main
from simcore.errors import CircuitError
from simcore.fork import evaluate, run_branches
from simcore.model import Change, Expect, Fork

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


def forked(time_s: float = 0.4) -> simcore.Circuit:
    """Input -> E with per-neuron scaling switched off in A; B switches it on at ``time_s``."""
    c = simcore.Circuit(name="forked")
    c.settings.duration_s = 1.2
    E = R("E", "lif", 40)
    E.homeostasis = make_homeostasis(target_hz=2.0, beta=0.2, tau_a_s=0.2, enabled=False)
    c.regions = [R("Input", "poisson", 100, rate_hz=20.0), E]
    c.projections = [P("Input->E", "Input", "E", connectivity=("fixed_indegree", {"k": 30}),
                       weights=("constant", {"value": 4.0}))]
    c.layout = {"Input": [0.0, 0.0], "E": [200.0, 0.0]}
    c.fork = Fork(time_s, [Change("E", "homeostasis.enabled", True)], "no scaling", "scaling")
    c.expect = [Expect("rate_hz", "E", min=8.0, from_s=0.8, to_s=1.2, note="A stays high"),
                Expect("rate_hz", "E", max=6.0, from_s=0.8, to_s=1.2, branch="B", note="B scaled down")]
    return c


def test_fork_round_trips_through_the_file():
    c = forked()
    text = simcore.dumps(c)
    doc = json.loads(text)
    assert doc["fork"] == {"time_s": 0.4, "label_a": "no scaling", "label_b": "scaling",
                           "changes": [{"target": "E", "param": "homeostasis.enabled", "value": True}]}
    assert doc["expect"][1]["branch"] == "B" and "branch" not in doc["expect"][0]  # A is the default
    again = simcore.loads(text)
    assert again == c and simcore.dumps(again) == text


@pytest.mark.parametrize("name", ["circuit_v0.json", "circuit_v1.json", "runaway_two_copies_v1.json"])
def test_files_without_a_fork_load_as_before(name):
    """Older files (and the runaway demo as it was, two copies of the circuit) are untouched: no fork,
    every claim on the circuit as written, written back without a fork section."""
    c = simcore.load(FIXTURES / name)
    assert c.fork is None and all(e.branch == "" for e in c.expect)
    assert "fork" not in json.loads(simcore.dumps(c))


@pytest.mark.parametrize("edit, path, words", [
    (lambda d: d["fork"]["changes"][0].update(target="Nowhere"), "$.fork.changes[0].target", "no region"),
    (lambda d: d["fork"]["changes"][0].update(param="homeostasis.nothing"), "$.fork.changes[0].param", "nothing"),
    (lambda d: d["fork"]["changes"][0].update(value="yes"), "$.fork.changes[0]", ""),
    (lambda d: d["fork"].update(time_s=5.0), "$.fork.time_s", "not before the end"),
    (lambda d: d["fork"].update(changes=d["fork"]["changes"] * 2), "$.fork.changes[1].param", "already changed"),
    (lambda d: d.pop("fork"), "$.expect[1].branch", "needs the circuit's 'fork'"),
    (lambda d: d["fork"].update(when=1), "$.fork", "when"),
])
def test_a_bad_fork_is_refused_in_one_line_with_its_json_path(edit, path, words):
    doc = json.loads(simcore.dumps(forked()))
    edit(doc)
    with pytest.raises(CircuitError) as err:
        simcore.loads(json.dumps(doc))
    line = str(err.value)
    assert "\n" not in line and path in line and words in line, line


def test_branches_share_the_past_and_b_equals_an_independent_run_with_the_change():
    c = forked()
    sims = run_branches(c, seed=3)
    a, b = sims["A"], sims["B"]
    assert a.t == pytest.approx(1.2) and b.t == pytest.approx(1.2)
    ra, rb = a.rates.values(), b.rates.values()
    before = ra[:, 0] <= 0.4 + 1e-9
    assert np.array_equal(ra[before], rb[before])  # one run before the fork
    solo = simcore.Simulation(c, seed=3)
    solo.run(0.4)
    solo.set("E.homeostasis.enabled", True)
    solo.run(0.8)
    assert np.array_equal(solo.rates.values(), rb) and np.array_equal(solo.weights("Input->E"), b.weights("Input->E"))
    results = evaluate(c, sims)
    assert [ok for ok, _ in results] == [True, True], results
    assert results[0][1].startswith("[A: no scaling]") and results[1][1].startswith("[B: scaling]")
    # measured on the wrong branch, each claim would fail: the branch matters
    swapped = evaluate(c, {"A": b, "B": a})
    assert [ok for ok, _ in swapped] == [False, False], swapped


def test_run_check_measures_each_claim_on_its_branch(tmp_path, capsys):
    path = tmp_path / "forked.json"
    simcore.save(forked(), path)
    code = main(["run", str(path), "--check", "--seed", "3"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "branch A (no scaling)" in out and "branch B (scaling), forked at 0.4 s" in out
    lines = [ln for ln in out.splitlines() if ln.startswith(("PASS", "FAIL"))]
    assert lines[0].startswith("PASS [A: no scaling]") and lines[1].startswith("PASS [B: scaling]"), lines
