"""The documentation builds without a single warning, its code examples run, and generated pages
follow the files they are made from (a new demo or a new docs page appears by itself)."""
import json
import os
import subprocess
import sys

import pytest

from .paths import ROOT

DOCS = ROOT / "docs"
sys.path.insert(0, str(DOCS / "_ext"))


def _sphinx(builder: str, out, doctrees) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MPLBACKEND": "Agg", "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "sphinx", "-W", "-q", "-b", builder, "-d", str(doctrees), str(DOCS), str(out)]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)


@pytest.mark.slow
def test_docs_build_without_warnings_and_examples_run(tmp_path):
    html, doctrees = tmp_path / "html", tmp_path / "doctrees"
    r = _sphinx("html", html, doctrees)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "WARNING" not in r.stderr, r.stderr[-3000:]
    # a page per demonstration, with its measured claims, screenshot and plot
    demos = sorted(p.stem for p in (ROOT / "circuits" / "demos").glob("*.json"))
    for name in demos:
        page = (html / "demos" / f"{name}.html").read_text(encoding="utf-8")
        n_claims = len(json.loads((ROOT / "circuits" / "demos" / f"{name}.json").read_text())["expect"])
        assert page.count("PASS ") == n_claims, name
        assert f"{name}-window.png" in page and f"{name}-run.png" in page
    for shot in ("01-new-circuit", "08-after-run"):
        assert (html / "_images" / f"{shot}.png").stat().st_size > 10_000
    cli = (html / "reference" / "cli.html").read_text(encoding="utf-8")
    assert "--check" in cli and "ok      circuits/demos/scaling_preserves_relative_weights.json" in cli
    params = (html / "reference" / "parameters.html").read_text(encoding="utf-8")
    assert "target_hz" in params and "tau_a_s" in params

    r = _sphinx("doctest", tmp_path / "doctest", doctrees)
    assert r.returncode == 0, (r.stdout + r.stderr)[-3000:]
    summary = (tmp_path / "doctest" / "output.txt").read_text(encoding="utf-8")
    assert " 0 failures in tests" in summary and "tests\n" in summary


def test_an_extra_docs_page_is_listed_under_more(tmp_path, monkeypatch):
    import synaptica_pages

    (tmp_path / "index.md").write_text("# Home\n")
    (tmp_path / "nwb.md").write_text("# NWB\n")
    monkeypatch.setattr(synaptica_pages, "DOCS", tmp_path)
    source = ["# Home\n"]
    synaptica_pages.more_toctree(None, "index", source)
    assert ":caption: More" in source[0] and "\nnwb\n" in source[0]
    alone = ["# Home\n"]
    (tmp_path / "nwb.md").unlink()
    synaptica_pages.more_toctree(None, "index", alone)
    assert alone == ["# Home\n"]  # no extra page: no empty toctree (which would be a warning)


def test_citations_are_found_in_descriptions():
    from synaptica_gallery import citations

    text = ("Scaling is sped up ~500x over van Rossum et al. 2000 (in a dish). At 2 s inhibitory STDP "
            "(Vogels, Sprekeler et al. 2011) starts; plain Hebb 1949; see Turrigiano et al. 1998.")
    assert citations(text) == ["van Rossum et al. 2000", "Vogels, Sprekeler et al. 2011", "Hebb 1949",
                               "Turrigiano et al. 1998"]


@pytest.mark.slow
def test_a_new_demo_file_gets_its_page(tmp_path, monkeypatch):
    import synaptica_gallery as g

    demo = json.loads((ROOT / "circuits" / "demos" / "scaling_preserves_relative_weights.json").read_text())
    demo["name"], demo["title"] = "brand_new", "A brand new demonstration"
    demo["settings"]["duration_s"] = 2.0
    demo["protocol"] = []
    demo["expect"] = [{"metric": "rate_hz", "target": "Neurons", "min": 4.0, "max": 12.0, "note": "near 8 Hz",
                       "from_s": 1.0, "to_s": 2.0}]
    demos = tmp_path / "demos"
    demos.mkdir()
    (demos / "brand_new.json").write_text(json.dumps(demo))
    monkeypatch.setattr(g, "DEMOS", demos)
    monkeypatch.setattr(g, "OUT", tmp_path / "out")
    monkeypatch.setattr(g, "IMG", tmp_path / "out" / "_img")
    monkeypatch.setattr(g, "cached", lambda name, key: None)
    monkeypatch.setattr(g, "store", lambda name, key, entry: None)
    g.generate(None)
    page = (tmp_path / "out" / "brand_new.md").read_text(encoding="utf-8")
    assert page.startswith("(demo-brand_new)=\n# A brand new demonstration")
    assert "PASS Neurons.rate_hz over 1-2 s = " in page and "| near 8 Hz | `Neurons.rate_hz` | 1–2 s |" in page
    assert "van Rossum et al. 2000" in page  # the paper named in the description
    assert "[A brand new demonstration](brand_new.md)" in (tmp_path / "out" / "index.md").read_text()
    for suffix in ("run", "window"):  # no gallery picture shipped: the app took one itself
        assert (tmp_path / "out" / "_img" / f"brand_new-{suffix}.png").stat().st_size > 5_000


def test_the_tutorial_refuses_a_circuit_that_is_not_the_demo():
    """The tutorial's screenshots are only kept when the hand-built circuit is the demonstration."""
    sys.path.insert(0, str(DOCS / "tools"))
    import copy

    import simcore
    from tutorial_shots import DEMO, compare

    demo = simcore.load(DEMO)
    assert compare(copy.deepcopy(demo), demo) == []
    built = copy.deepcopy(demo)
    built.projections[0].rules[0].params["target_hz"] = 5.0  # forgot to set the 8 Hz set point
    built.settings.seed = 0
    problems = compare(built, demo)
    assert len(problems) == 2 and problems[0].startswith("projections:") and "settings.seed" in problems[1]
