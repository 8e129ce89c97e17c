"""Valid-looking files that used to break the GUI are refused at load with one line; the view copes
with what a circuit built in code may hold; auto-layout keeps labels readable."""
import copy
import json
import math

import pytest

import simcore
from gui.main_window import READABLE_SCALE
from tests.paths import ROOT

DEMO = ROOT / "circuits" / "demos" / "topdown_gating.json"


def broken(kind):
    d = json.loads(DEMO.read_text())
    if kind == "layout":
        d["layout"]["Sensory"] = [1e308, -1e308]
    elif kind == "plots":
        d["view"]["plots"] = 5
    elif kind == "explanation":
        d["view"]["explanation"] = ["first", "second"]
    elif kind == "index":
        d["protocol"][0] = {"time_s": 1.0, "action": "set", "target": "Attended->Sensory",
                            "param": "rules." + "9" * 5000 + ".eta", "value": 1.0}
    return d


@pytest.mark.parametrize("kind,where", [("layout", "$.layout.Sensory"), ("plots", "$.view.plots"),
                                        ("explanation", "$.view.explanation"), ("index", "$.protocol[0].param")])
def test_files_that_broke_the_view_are_refused_with_one_line(window, tmp_path, no_dialogs, kind, where):
    path = tmp_path / f"{kind}.json"
    path.write_text(json.dumps(broken(kind)))
    before = copy.deepcopy(window.document.circuit)
    assert not window.open_path(str(path))
    (name, args), = [c for c in no_dialogs if c[0] == "critical"]
    message = args[2]
    assert where in message and "\n" not in message and "Traceback" not in message
    assert window.document.circuit == before


def test_positions_no_view_can_show_are_placed_again(window, qtbot):
    c = simcore.load(DEMO)
    c.layout["Sensory"] = [1e308, -1e308]            # a circuit built in code is not bounds-checked
    c.view = {"plots": 5, "explanation": ["x"], "focus": "Attended->Sensory"}
    window.set_circuit(c, None)
    qtbot.wait(50)
    t = window.view.transform()
    assert all(math.isfinite(v) for v in (t.m11(), t.m22(), t.dx(), t.dy()))
    assert all(abs(v) < 1e7 for v in window.document.circuit.layout["Sensory"])
    assert window.present.panel.explanation.text() == ""   # the demo dock is built, without the bad parts


@pytest.mark.parametrize("path", sorted((ROOT / "circuits" / "demos").glob("*.json")), ids=lambda p: p.stem)
def test_auto_layout_keeps_labels_readable(window, path):
    window.resize(1366, 768)
    assert window.open_path(str(path), interactive=False)
    window.auto_layout("spring")
    assert window.view.scale_factor() >= READABLE_SCALE - 1e-6
    xs = [xy[0] for xy in window.document.circuit.layout.values()]
    ys = [xy[1] for xy in window.document.circuit.layout.values()]
    assert max(xs) - min(xs) < 1500 and max(ys) - min(ys) < 1200   # compact: no region drifted away
