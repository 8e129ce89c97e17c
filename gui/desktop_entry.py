"""``synaptica install-desktop``: put the app in the desktop's menu and let circuits open on double-click.

Writes the freedesktop.org files a Linux desktop reads (no Qt involved, so it runs anywhere the
command line does): a desktop entry (``applications/synaptica.desktop``, ``Exec=... %f``), the icon
in the hicolor theme, and a shared-mime-info type ``application/x-synaptica-circuit`` for circuit files
(glob ``*.synaptica.json`` and, for plain ``.json`` names, magic on ``"format": "synaptica-circuit"``).
Then it refreshes the desktop and MIME databases with ``update-desktop-database`` and
``update-mime-database`` when they are installed. ``--uninstall`` removes exactly those files (and the
databases' caches when nothing else is left for them to describe).
"""
from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from simcore.cli import EXIT_USAGE, command

APP_ID = "synaptica"
MIME_TYPE = "application/x-synaptica-circuit"
MIME_ICON = MIME_TYPE.replace("/", "-")
ICON = Path(__file__).resolve().parent.parent / "resources" / "icons" / "synaptica.svg"
GUI_SCRIPT = "synaptica-gui"  # [project.gui-scripts] in pyproject.toml

MIME_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">
  <mime-type type="{MIME_TYPE}">
    <comment>Synaptica neural circuit</comment>
    <sub-class-of type="application/json"/>
    <icon name="{MIME_ICON}"/>
    <glob pattern="*.synaptica.json"/>
    <magic priority="60">
      <match type="string" offset="0:256" value="&quot;format&quot;: &quot;synaptica-circuit&quot;"/>
    </magic>
  </mime-type>
</mime-info>
"""


def data_dir() -> Path:
    """$XDG_DATA_HOME (~/.local/share), where per-user desktop files live."""
    import platformdirs

    return Path(platformdirs.user_data_path())


def launcher() -> list[str]:
    """The command that starts the window: the installed gui script beside this Python, else on PATH,
    else this Python running main.py."""
    here = Path(sys.executable).parent / GUI_SCRIPT
    if here.is_file():
        return [str(here)]
    found = shutil.which(GUI_SCRIPT)
    if found:
        return [found]
    return [sys.executable, str(Path(__file__).resolve().parent.parent / "main.py")]


def exec_line(argv: list[str]) -> str:
    """Quote per the Desktop Entry spec: reserved characters need double quotes, and inside them
    ``"`` `` ` `` ``$`` ``\\`` are backslash-escaped (then every backslash is doubled by the string
    escaping of the file)."""
    def quote(arg: str) -> str:
        if arg and not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`="):
            return arg
        inner = "".join("\\" + c if c in '"`$\\' else c for c in arg)
        return '"' + inner + '"'
    return " ".join(quote(a) for a in argv).replace("\\", "\\\\").replace("%", "%%")


def desktop_entry(argv: list[str]) -> str:
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",
        "Name=Synaptica",
        "GenericName=Neural circuit designer",
        "Comment=Design neural circuits visually and watch plasticity and homeostasis shape them live",
        f"Exec={exec_line(argv)} %f",
        f"Icon={APP_ID}",
        "Terminal=false",
        "Categories=Science;Biology;",
        "Keywords=neuron;synapse;plasticity;homeostasis;simulation;spiking;",
        f"MimeType={MIME_TYPE};",
        "StartupNotify=true",
        "",
    ])


def files(root: Path, argv: list[str] | None = None) -> dict[Path, str]:
    """Every file this command writes under the data directory ``root``, with its text."""
    icon = ICON.read_text(encoding="utf-8")
    return {
        root / "applications" / f"{APP_ID}.desktop": desktop_entry(argv or launcher()),
        root / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg": icon,
        root / "icons" / "hicolor" / "scalable" / "mimetypes" / f"{MIME_ICON}.svg": icon,
        root / "mime" / "packages" / f"{APP_ID}.xml": MIME_XML,
    }


def install(root: Path, argv: list[str] | None = None) -> list[Path]:
    written = []
    for path, text in files(root, argv).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    refresh(root)
    return written


def uninstall(root: Path) -> list[Path]:
    removed = []
    for path in files(root):
        if path.is_file():
            path.unlink()
            removed.append(path)
    refresh(root)
    _drop_empty_caches(root)
    for path in files(root):  # directories left empty by the removal, up to (not including) root
        for parent in path.parents:
            if parent == root or root not in parent.parents:
                break
            try:
                parent.rmdir()
            except OSError:
                break
    return removed


def refresh(root: Path) -> None:
    """Rebuild the desktop and MIME caches so menus and file managers see the change now."""
    tools = [("update-desktop-database", root / "applications"), ("update-mime-database", root / "mime")]
    for tool, folder in tools:
        exe = shutil.which(tool)
        if exe and folder.is_dir():
            subprocess.run([exe, str(folder)], capture_output=True, timeout=120, check=False)


def _drop_empty_caches(root: Path) -> None:
    """After the removal: a cache describing no source file at all is only what the refresh left behind."""
    apps = root / "applications"
    if apps.is_dir() and not any(apps.rglob("*.desktop")):
        (apps / "mimeinfo.cache").unlink(missing_ok=True)
    mime = root / "mime"
    packages = mime / "packages"
    if mime.is_dir() and not (packages.is_dir() and any(packages.iterdir())):
        for entry in mime.iterdir():
            if entry != packages:
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


# -- command line ------------------------------------------------------------------------------

def _args(p):
    p.add_argument("--uninstall", action="store_true", help="remove what install-desktop wrote")
    p.add_argument("--prefix", metavar="DIR",
                   help="data directory to write into (default $XDG_DATA_HOME, i.e. ~/.local/share; "
                        "/usr/local/share for every user)")


@command("install-desktop", "add Synaptica to the desktop menu and open circuit files with it (freedesktop)", _args)
def _install_desktop(args) -> int:
    root = Path(args.prefix).expanduser() if args.prefix else data_dir()
    if not args.prefix and not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        print(f"error: install-desktop writes freedesktop.org files (Linux, BSD); this is {sys.platform}",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.uninstall:
            removed = uninstall(root)
            print(f"removed {len(removed)} files from {root}" if removed else f"nothing to remove in {root}")
        else:
            for path in install(root):
                print(f"wrote {path}")
            print(f"launcher: {shlex.join(launcher())}")
    except OSError as err:
        print(f"error: {root}: {err.strerror or err}", file=sys.stderr)
        return EXIT_USAGE
    return 0
