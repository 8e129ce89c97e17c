"""Synaptica: design neural circuits and watch plasticity and homeostasis shape them live.

``python main.py [CIRCUIT]`` opens the window; ``python main.py validate|run|schema ...`` works headless.
"""
from __future__ import annotations

import sys

USAGE = """usage: synaptica [CIRCUIT] [--screenshot PNG] [--run DURATION]   open the window
       synaptica validate FILE...                                  check circuit files
       synaptica run CIRCUIT [--duration 10s] [--out run.npz] ...  simulate headless
       synaptica schema [--out FILE]                               write the file format's JSON Schema
       synaptica install-desktop [--uninstall]                     add the app to the desktop menu
       synaptica COMMAND --help                                    help on one command
"""


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from simcore import cli

    import gui.desktop_entry  # noqa: F401  registers install-desktop (imports no Qt)
    if argv and argv[0] in cli.subcommands():
        return cli.main(argv)
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__.strip().splitlines()[0] + "\n\n" + USAGE)
        print("window options:")
        from gui.app import build_parser

        build_parser().print_help()
        return 0
    from gui.app import main as gui_main

    return gui_main(argv)


if __name__ == "__main__":
    sys.exit(main())
