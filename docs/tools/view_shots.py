"""Photograph the homeostasis views (gui/views) on real runs of the demonstrations.

Each view is fed the display frames of a headless run of a shipped demonstration (the same
simcore.engine.frames.FrameBuilder the live window uses), then grabbed as a PNG:

    QT_QPA_PLATFORM=offscreen python docs/tools/view_shots.py OUT_DIR

One line per picture. The README gallery shows them (resources/gallery/view_*.png).
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SIZE = (900, 480)

# (file, demonstration, seconds, view, projection or region to show, option index)
SHOTS = (
    ("view_rule_contributions.png", "targeted_strengthening", 24.0, "What each rule did", "Cue->Neurons", None),
    ("view_kymograph.png", "skewed_distributions", 35.0, "Weight kymograph", "Input->Neurons", None),
    ("view_delta_w.png", "targeted_strengthening", 24.0, "W(t) − W(0)", "Cue->Neurons", None),
    ("view_ei_balance.png", "inhibitory_balance", 40.0, "E/I balance", "E", None),
)


def frames_of(demo: str, seconds: float, every_s: float = 0.1):
    import simcore
    from simcore.engine.frames import FrameBuilder

    sim = simcore.Simulation(simcore.load(ROOT / "circuits" / "demos" / f"{demo}.json"))
    fb = FrameBuilder(sim)
    while sim.t < seconds - 1e-9:
        sim.run(min(every_s, seconds - sim.t))
        fb.sample_levels()
        frame = fb.build()
        frame["running"] = sim.t < seconds - 1e-9
        yield frame


def main(out: str) -> int:
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from gui import views

    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, demo, seconds, title, target, option in SHOTS:
        panel = views.panels()[title]
        panel.resize(*SIZE)
        panel.show()
        for i, frame in enumerate(frames_of(demo, seconds)):
            if i == 0:
                panel.draw(frame)
                panel.focus("projection" if "->" in target else "region", target)
            if i % 5 == 0 or not frame["running"]:
                panel.draw(frame)
                app.processEvents()
        app.processEvents()
        panel.grab().save(str(out_dir / name))
        print(out_dir / name, "-", title, "on", demo)
        panel.close()
    ab_shot(app, out_dir / "view_ab_fork.png")
    return 0


def ab_shot(app, path: Path) -> None:
    """The A/B fork in the real window: the runaway demo declares its fork (at 2 s, B switches per-neuron
    scaling on); Run stops A there, forks B and runs both to the end."""
    import time

    from gui.main_window import MainWindow

    win = MainWindow(recover=False)
    win.resize(1400, 900)
    win.show()
    live, ab = win.live, win.live.panels["A/B fork"]
    win.open_path(str(ROOT / "circuits" / "demos" / "runaway_without_homeostasis.json"), interactive=False)
    live.docks["A/B fork"].raise_()

    def wait(cond, timeout=300.0):
        end = time.monotonic() + timeout
        while not cond() and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    live.ctl.run(until=24.0)
    wait(lambda: ab.frames["B"] is not None and ab.frames["B"]["t"] >= 24.0 - 1e-9
         and live.ctl.last["t"] >= 24.0 - 1e-9)
    for _ in range(30):
        app.processEvents()
        time.sleep(0.01)
    ab.resize(SIZE[0], int(SIZE[1] * 1.6))
    app.processEvents()
    ab.grab().save(str(path))
    print(path, "- A/B fork on runaway_without_homeostasis")
    ab.shutdown()
    live.ctl.shutdown()
    win.document.undo_stack.setClean()
    win.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "resources" / "gallery")))
