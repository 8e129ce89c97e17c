"""Start the window: argument parsing, QApplication, main window, screenshots."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CIRCUIT = ROOT / "circuits" / "vogels_abbott_cuba.json"  # the reference circuit (tests, benchmarks)
# opened at launch when no circuit is given: the product's central claim
STARTUP_CIRCUIT = ROOT / "circuits" / "demos" / "scaling_preserves_relative_weights.json"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="synaptica", description="Open the Synaptica window.")
    p.add_argument("circuit", nargs="?", help="circuit file to open (default: a demonstration circuit)")
    p.add_argument("--empty", action="store_true", help="start with an empty circuit")
    p.add_argument("--screenshot", metavar="PNG", help="save a PNG of the main window and exit")
    p.add_argument("--run", metavar="DURATION", help="with --screenshot: simulate this long first (e.g. 5s)")
    p.add_argument("--size", metavar="WxH", default="1400x900", help="window size (default 1400x900)")
    p.add_argument("--present", action="store_true",
                   help="start in presentation mode (full screen; with --screenshot: at --size)")
    p.add_argument("--make-thumbnails", nargs="?", const="", metavar="DIR",
                   help="write the start page's demo thumbnails (default resources/thumbnails/) and exit")
    return p


NO_DISPLAY_HINT = ("run it under a virtual display (xvfb-run -a synaptica ...), offscreen "
                   "(QT_QPA_PLATFORM=offscreen synaptica CIRCUIT --screenshot out.png) or headless "
                   "(synaptica run CIRCUIT)")


def display_problem(env=None, platform: str | None = None) -> str | None:
    """Why Qt would find no display to open the window on (Qt itself aborts with exit 134 and advice
    to reinstall), or None. Linux only: X11 (DISPLAY) or Wayland (WAYLAND_DISPLAY)."""
    import os

    env = os.environ if env is None else env
    if not (platform or sys.platform).startswith("linux"):
        return None
    qpa = env.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0]
    if qpa not in ("", "xcb", "wayland"):
        return None  # offscreen, minimal, vnc, ...: no display needed
    if env.get("WAYLAND_DISPLAY") and qpa in ("", "wayland"):
        return None
    display = env.get("DISPLAY", "")
    if not display:
        return "no display: DISPLAY is not set"
    host, _, rest = display.partition(":")
    number = rest.split(".")[0]
    if host in ("", "unix") and number.isdigit() and not Path(f"/tmp/.X11-unix/X{number}").exists():
        return f"no display: nothing serves DISPLAY={display}"
    return None


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    problem = display_problem()
    if problem:
        print(f"synaptica: {problem}; {NO_DISPLAY_HINT}", file=sys.stderr)
        return 2
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from .main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Synaptica")
    app.setOrganizationName("Synaptica")
    app.setDesktopFileName("synaptica")  # matches install-desktop's entry: the desktop shows its icon and name
    icon = ROOT / "resources" / "icons" / "synaptica.svg"
    if icon.is_file():
        from PySide6.QtGui import QIcon
        app.setWindowIcon(QIcon(str(icon)))
    if args.make_thumbnails is not None:
        from .demo.thumbnails import THUMB_DIR, make_thumbnails
        for path in make_thumbnails(Path(args.make_thumbnails) if args.make_thumbnails else THUMB_DIR):
            print(f"wrote {path}")
        return 0
    win = MainWindow(recover=args.screenshot is None)
    default = next((p for p in (STARTUP_CIRCUIT, DEFAULT_CIRCUIT) if p.exists()), None)
    path = None if args.empty else (args.circuit or default)
    if path and not win.open_path(str(path), interactive=args.screenshot is None):
        if args.screenshot:
            return 2
    width, height = (int(v) for v in args.size.lower().split("x"))
    win.resize(width, height)
    win.show()
    if args.present:
        win.present.enter(full_screen=not args.screenshot)  # a screenshot keeps --size
    if args.screenshot:
        def shoot():
            win.view.fit()
            app.processEvents()
            win.grab().save(args.screenshot)
            print(f"wrote {args.screenshot}")
            app.quit()
        if args.run:  # simulate in the window (plots streaming), then shoot
            from simcore.engine.commands import parse_duration
            QTimer.singleShot(300, lambda: win.live.run_then(parse_duration(args.run), shoot))
        else:
            QTimer.singleShot(300, shoot)
    elif args.run:
        from simcore.engine.commands import parse_duration
        QTimer.singleShot(300, lambda: win.live.ctl.run(until=parse_duration(args.run)))
    return leave(win, app.exec())


def leave(win, code: int) -> NoReturn:
    """The window is closed and its work saved: end the engine and the process without tearing the
    interpreter down (with Qt, pyqtgraph and numba loaded that took 1-3 s on a busy machine, long
    after the window had gone). Settings and autosaves are written explicitly before this point."""
    import os

    win.live.ctl.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
