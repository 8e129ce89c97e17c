"""Build the scaling demonstration by hand in the real window and photograph every step.

The tutorial (``docs/guide/tutorial.md``) shows these pictures. Nothing is faked: the script opens
``gui.main_window.MainWindow`` offscreen and works it the way a user does, through the same widgets
and undo commands (palette kinds dropped on the canvas, renames, the inspector's generated editors, the
protocol table, Run), then checks that what it built is the shipped demonstration
``circuits/demos/scaling_preserves_relative_weights.json`` and saves one PNG per step.

    QT_QPA_PLATFORM=offscreen python docs/tools/tutorial_shots.py OUT_DIR

Exit code 0 and one line per picture; 1 (with the differences) if the circuit built by hand is not
the demonstration, so the tutorial cannot silently drift away from the file it claims to rebuild.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "circuits" / "demos" / "scaling_preserves_relative_weights.json"
SIZE = (1400, 1000)

# (file name, what the step shows) in tutorial order; the tutorial page names the same files
STEPS = (
    ("01-new-circuit.png", "File > New: an empty canvas, the palette on the left, the circuit settings on the right"),
    ("02-input.png", "a Poisson source named Input: 1000 inputs at 10 Hz"),
    ("03-neurons.png", "a LIF region named Neurons: 50 neurons"),
    ("04-projection.png", "Input -> Neurons: 200 inputs per neuron, lognormal weights"),
    ("05-scaling-rule.png", "the synaptic scaling rule with its 8 Hz set point"),
    ("06-protocol.png", "the protocol: at 10 s the input rate is halved"),
    ("07-settings.png", "the circuit's settings: seed 1, 30 s"),
    ("08-after-run.png", "after Run: the rate drops at 10 s and scaling brings it back"),
)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-4].strip(), file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # settings, recent files and autosaves of this scripted session stay out of the user's own
    os.environ["SYNAPTICA_DATA_DIR"] = tempfile.mkdtemp(prefix="synaptica-tutorial-")
    sys.path.insert(0, str(ROOT))

    from PySide6.QtCore import QEventLoop, QPointF, QTimer
    from PySide6.QtWidgets import QApplication, QComboBox, QPushButton, QSpinBox

    import simcore
    from gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(["synaptica"])
    app.setApplicationName("Synaptica")

    def settle(ms: int = 120) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    win = MainWindow(recover=False)
    win.resize(*SIZE)
    win.show()
    settle(300)
    shots = iter(STEPS)

    def shot(show=None, fit: bool = True) -> None:
        """Save the next picture; ``show`` is an inspector editor scrolled into view first."""
        name, what = next(shots)
        if fit:
            win.view.fit()
        settle()
        if show is not None:
            win.inspector.ensureWidgetVisible(show, 50, 120)
            settle(30)
        win.grab().save(str(out / name))
        print(f"wrote {out / name}: {what}")

    def editor(path: str):
        return win.inspector.editors[path].editor

    def choose(combo_name: str, value: str) -> None:
        combo = win.inspector.findChild(QComboBox, combo_name)
        combo.setCurrentIndex(combo.findData(value))
        settle(30)

    # 1. File > New
    win.new_circuit()
    shot()

    # 2. the input: a Poisson source from the palette, renamed, 1000 of them at 10 Hz
    source = win.view.add_region("poisson", QPointF(0.0, 0.0))
    win.view.rename(source, "Input")
    win.inspector.findChild(QSpinBox, "sizeSpin").setValue(1000)
    editor("params.rate_hz").setValue(10.0)
    shot(editor("params.rate_hz"))

    # 3. the neurons: a LIF region (its defaults are the demo's), 50 of them
    target = win.view.add_region("lif", QPointF(320.0, 0.0))
    win.view.rename(target, "Neurons")
    win.inspector.findChild(QSpinBox, "sizeSpin").setValue(50)
    shot()

    # 4. the projection: drag from Input to Neurons, then wire and weigh it in the inspector
    proj = win.view.connect_regions("Input", "Neurons")
    choose("connectivityCombo", "fixed_indegree")
    editor("connectivity.k").setValue(200)
    choose("weightsCombo", "lognormal")
    editor("weights.mean").setValue(0.9)
    editor("weights.cv").setValue(1.0)
    shot(editor("weights.cv"))

    # 5. the rule: Synaptic scaling, set point 8 Hz, a faster proportional rate
    choose("ruleKindCombo", "scaling")
    win.inspector.findChild(QPushButton, "addRuleButton").click()
    settle(30)
    editor("rules.0.target_hz").setValue(8.0)
    editor("rules.0.beta").setValue(0.02)
    shot(editor("rules.0.gain_max"))

    # 6. the protocol: one event, at 10 s set Input.rate_hz to 5
    panel = win.protocol
    win.docks["Protocol"].raise_()
    panel.findChild(QPushButton, "addEventButton").click()
    settle(30)
    panel.table.item(0, 0).setText("10")
    panel.table.cellWidget(0, 2).setCurrentText("Input")
    panel.table.cellWidget(0, 3).setCurrentText("rate_hz")
    panel.table.item(0, 4).setText("5")
    shot()

    # 7. the circuit's own settings: click the empty canvas (nothing selected) and edit them
    win.scene.clearSelection()
    settle(30)
    editor("settings.seed").setValue(1)
    editor("settings.duration_s").setValue(30.0)
    shot(editor("settings.duration_s"))

    problems = compare(win.document.circuit, simcore.load(DEMO))
    if problems:
        print("the circuit built by hand differs from the demonstration:\n  " + "\n  ".join(problems),
              file=sys.stderr)
        return 1

    # 8. Run: 30 s of simulated time, plots streaming; select the projection to see its weights
    win.scene.select_names([proj])
    win.live.panels["Population rates"].window_box.setCurrentText("30 s")  # the whole protocol in view
    done = {"flag": False}
    start = time.perf_counter()
    win.live.run_then(30.0, lambda: done.__setitem__("flag", True))
    while not done["flag"]:
        settle(50)
        if time.perf_counter() - start > 600:
            print("the run did not finish in 10 minutes", file=sys.stderr)
            return 1
    shot()
    win.document.undo_stack.setClean()
    win.autosaver.finish()
    win.close()
    return 0


def compare(built, demo) -> list[str]:
    """What differs between the hand-built circuit and the demonstration (names, structure, numbers)."""
    out = []
    for attr in ("regions", "projections", "protocol"):
        if getattr(built, attr) != getattr(demo, attr):
            out.append(f"{attr}: built {getattr(built, attr)!r}\n    file  {getattr(demo, attr)!r}")
    for key in ("seed", "duration_s", "dt_ms"):
        a, b = getattr(built.settings, key), getattr(demo.settings, key)
        if a != b:
            out.append(f"settings.{key}: built {a!r}, file {b!r}")
    return out


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
