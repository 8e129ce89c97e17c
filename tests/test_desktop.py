"""``synaptica install-desktop``: valid freedesktop files, a MIME type that matches real circuit files,
an uninstall that leaves nothing behind, and a launcher that opens the file it is given."""
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from gui import desktop_entry as de

from .paths import ROOT

needs_validator = pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                                     reason="desktop-file-validate (Debian package desktop-file-utils) not installed")


def cli(*args, env=None):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "install-desktop", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120, env=env)


def exec_args(line: str) -> list[str]:
    """Decode an Exec value as a launcher does (Desktop Entry spec): string escapes first, then
    arguments split on spaces, double-quoted ones with backslash escapes inside."""
    line = line.replace("\\\\", "\\").replace("%%", "%")
    args, cur, quoted, i, started = [], "", False, 0, False
    while i < len(line):
        c = line[i]
        if quoted and c == "\\":
            cur += line[i + 1]
            i += 1
        elif c == '"':
            quoted, started = not quoted, True
        elif c == " " and not quoted:
            if cur or started:
                args.append(cur)
            cur, started = "", False
        else:
            cur += c
        i += 1
    return args + ([cur] if cur or started else [])


def validate(path):
    r = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True, timeout=60)
    return r.returncode, (r.stdout + r.stderr).strip()


@needs_validator
def test_install_writes_valid_entry_icon_and_mime_type(tmp_path):
    r = cli("--prefix", tmp_path)
    assert r.returncode == 0, r.stderr
    entry = tmp_path / "applications" / "synaptica.desktop"
    assert validate(entry) == (0, "")
    text = entry.read_text()
    exec_ = next(line for line in text.splitlines() if line.startswith("Exec="))
    assert exec_.endswith(" %f") and f"MimeType={de.MIME_TYPE};" in text and "Icon=synaptica" in text
    for icon in ("apps/synaptica.svg", f"mimetypes/{de.MIME_ICON}.svg"):
        assert ET.parse(tmp_path / "icons" / "hicolor" / "scalable" / icon).getroot().tag.endswith("svg")
    if shutil.which("update-mime-database"):  # the database accepted the type: its compiled files name it
        assert (tmp_path / "mime" / "application" / "x-synaptica-circuit.xml").is_file()
        assert f"{de.MIME_TYPE}:*.synaptica.json" in (tmp_path / "mime" / "globs2").read_text()
        assert '"format": "synaptica-circuit"' in (tmp_path / "mime" / "magic").read_bytes().decode("latin-1")
    if shutil.which("update-desktop-database"):
        assert f"{de.MIME_TYPE}=synaptica.desktop;" in (tmp_path / "applications" / "mimeinfo.cache").read_text()


def test_the_magic_matches_every_circuit_file_shipped():
    """Circuits are saved as plain .json: the magic string must sit in the first 256 bytes of each."""
    magic = ET.fromstring(de.MIME_XML).find(".//{*}match")
    lo, hi = (int(x) for x in magic.get("offset").split(":"))
    files = sorted((ROOT / "circuits").rglob("*.json"))
    assert files
    for f in files:
        head = f.read_bytes()[: hi + len(magic.get("value"))]
        assert magic.get("value").encode() in head[lo:], f


@needs_validator
def test_exec_quotes_paths_with_spaces_and_reserved_characters(tmp_path):
    argv = [str(tmp_path / "my apps" / "bin$1" / "synaptica-gui"), "--x=\"q\"", "50%"]
    entry = tmp_path / "synaptica.desktop"
    entry.write_text(de.desktop_entry(argv))
    assert validate(entry) == (0, "")
    line = next(x for x in entry.read_text().splitlines() if x.startswith("Exec="))[5:]
    # undo the file's string escaping, then the Exec quoting: the arguments come back unchanged
    assert exec_args(line)[:-1] == argv


def test_uninstall_removes_exactly_what_install_wrote(tmp_path):
    r = cli("--prefix", tmp_path)
    assert r.returncode == 0, r.stderr
    r = cli("--prefix", tmp_path, "--uninstall")
    assert r.returncode == 0, r.stderr
    assert not list(tmp_path.rglob("*")), list(tmp_path.rglob("*"))


def test_uninstall_keeps_other_applications_and_mime_types(tmp_path):
    other_app = tmp_path / "applications" / "other.desktop"
    other_mime = tmp_path / "mime" / "packages" / "other.xml"
    other_app.parent.mkdir(parents=True)
    other_mime.parent.mkdir(parents=True)
    other_app.write_text("[Desktop Entry]\nType=Application\nName=Other\nExec=other %f\nMimeType=text/x-other;\n")
    other_mime.write_text(de.MIME_XML.replace(de.MIME_TYPE, "text/x-other").replace("synaptica", "other"))
    assert cli("--prefix", tmp_path).returncode == 0
    assert cli("--prefix", tmp_path, "--uninstall").returncode == 0
    assert other_app.is_file() and other_mime.is_file()
    assert not list(tmp_path.rglob("*synaptica*"))
    if shutil.which("update-mime-database"):
        assert "text/x-other" in (tmp_path / "mime" / "globs2").read_text()


def test_default_location_is_xdg_data_home_and_no_qt_is_loaded(tmp_path):
    code = ("import sys, main; rc = main.main(['install-desktop']); "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6')]; "
            "assert rc == 0 and not bad, bad")
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path)}
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "applications" / "synaptica.desktop").is_file()


def test_the_launcher_opens_the_file_it_is_given(tmp_path):
    """The Exec line with %f replaced by a file: a good circuit opens (screenshot written), a bad one is
    refused (exit code 2), so the file really reached the window."""
    line = next(x for x in de.desktop_entry(de.launcher()).splitlines() if x.startswith("Exec="))[5:]
    argv = exec_args(line)
    assert argv[-1] == "%f"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    for circuit, want in ((ROOT / "circuits" / "vogels_abbott_cuba.json", 0), (bad, 2)):
        cmd = argv[:-1] + [str(circuit), "--screenshot", str(tmp_path / "shot.png"), "--size", "800x600"]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=180, env=env, cwd=tmp_path)
        assert r.returncode == want, r.stderr
    assert (tmp_path / "shot.png").stat().st_size > 1000
