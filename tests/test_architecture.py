"""The layering rule: simcore is the engine and model and never imports Qt or the GUI."""
import ast
import subprocess
import sys

from .paths import ROOT

FORBIDDEN = ("PySide6", "PyQt5", "PyQt6", "pyqtgraph", "gui", "shiboken6")


def test_no_module_under_simcore_imports_qt_or_gui():
    offenders = []
    for path in (ROOT / "simcore").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert not offenders, offenders


def test_running_a_simulation_loads_no_qt():
    code = ("import sys; from simcore import load, Simulation; "
            "Simulation(load('circuits/vogels_abbott_cuba.json')).run(0.01); "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'gui')]; "
            "assert not bad, bad")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr


def test_gui_reads_the_simulation_through_its_public_api():
    """No gui module reaches into private attributes of the engine (``sim._x``, ``.net...arrays``)."""
    import re

    bad = re.compile(r"\bsim\._[A-Za-z]|\.arrays\b")
    offenders = [f"{p.relative_to(ROOT)}:{i}" for p in (ROOT / "gui").rglob("*.py")
                 for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if bad.search(line)]
    assert not offenders, offenders
