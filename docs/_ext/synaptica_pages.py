"""Everything else the site derives instead of copying, and the ``synaptica-command`` directive.

- ``_generated/parameters.md`` and ``_generated/circuit.schema.json``: written from the parameter
  declarations by :func:`simcore.docs.docs_text` and :func:`simcore.schema.schema_text` (the same code
  as ``synaptica docs`` and ``synaptica schema``), included by the reference pages.
- ``guide/_shots/*.png``: the tutorial's screenshots, taken by ``docs/tools/tutorial_shots.py`` driving
  the real window offscreen (again only when the GUI's or the engine's sources changed).
- a "More" table of contents on the front page for every other ``docs/*.md`` page, so that a page
  dropped into ``docs/`` appears without editing the index.
- ``synaptica-command``: runs ``synaptica ARGS`` at build time and shows the command with its real
  output; an unexpected exit code is a build warning, so the CLI examples cannot go stale.
"""
from __future__ import annotations

import os
import shlex
import subprocess
import sys

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from synaptica_build import DOCS, GENERATED, ROOT, cached, store, tree_hash, write_if_changed

logger = logging.getLogger(__name__)

SHOTS = DOCS / "guide" / "_shots"
TUTORIAL_TOOL = DOCS / "tools" / "tutorial_shots.py"
OWN_PAGES = {"index"}  # top-level pages the index lists itself; any other docs/*.md goes under "More"


def _env() -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    env.setdefault("MPLBACKEND", "Agg")
    return env


def reference_files(app) -> None:
    sys.path.insert(0, str(ROOT))
    from simcore.docs import docs_text
    from simcore.schema import schema_text

    write_if_changed(GENERATED / "parameters.md", docs_text())
    write_if_changed(GENERATED / "circuit.schema.json", schema_text())


def tutorial_shots(app) -> None:
    from tutorial_shots import STEPS

    key = tree_hash(ROOT / "gui", ROOT / "simcore", TUTORIAL_TOOL,
                    ROOT / "circuits" / "demos" / "scaling_preserves_relative_weights.json")
    if cached("tutorial", key) and all((SHOTS / name).exists() for name, _ in STEPS):
        return
    logger.info("[tutorial] building the scaling demo in the window, offscreen")
    r = subprocess.run([sys.executable, str(TUTORIAL_TOOL), str(SHOTS)], cwd=ROOT, env=_env(),
                       capture_output=True, text=True, timeout=900)
    if r.returncode != 0:
        logger.warning(f"tutorial screenshots failed (exit {r.returncode}): {r.stderr.strip()[-800:]}")
        return
    store("tutorial", key, {"log": r.stdout})


def more_toctree(app, docname: str, source: list[str]) -> None:
    """Append a "More" toctree to the front page listing the other top-level pages, if there are any."""
    if docname != "index":
        return
    extra = sorted(p.stem for p in DOCS.glob("*.md") if p.stem not in OWN_PAGES)
    if extra:
        source[0] += "\n\n```{toctree}\n:caption: More\n:maxdepth: 1\n\n" + "\n".join(extra) + "\n```\n"


def reread_index(app, env, added, changed, removed) -> list[str]:
    """The front page's "More" list depends on which pages exist: read it again whenever pages come or go."""
    return ["index"] if (added or removed) and "index" in env.found_docs else []


class SynapticaCommand(SphinxDirective):
    """``synaptica ARGS``, run now from the repository root, shown with its output."""

    required_arguments = 1
    final_argument_whitespace = True
    option_spec = {"returncode": directives.nonnegative_int, "head": directives.nonnegative_int,
                   "stderr": directives.flag}

    def run(self):
        args = shlex.split(self.arguments[0])
        cmd = [sys.executable, str(ROOT / "main.py"), *args]
        try:
            r = subprocess.run(cmd, cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=600)
        except subprocess.TimeoutExpired:
            logger.warning(f"synaptica {self.arguments[0]}: timed out", location=self.get_location())
            return []
        expected = self.options.get("returncode", 0)
        if r.returncode != expected:
            logger.warning(f"synaptica {self.arguments[0]}: exit code {r.returncode}, expected {expected}: "
                           f"{r.stderr.strip()[-500:]}", location=self.get_location())
        out = r.stdout + (r.stderr if "stderr" in self.options else "")
        lines = out.rstrip("\n").splitlines()
        head = self.options.get("head")
        if head and len(lines) > head:
            lines = lines[:head] + ["…"]
        text = "\n".join([f"$ synaptica {self.arguments[0]}", *lines])
        block = nodes.literal_block(text, text)
        block["language"] = "console"
        return [block]


def setup(app):
    sys.path.insert(0, str(DOCS / "tools"))
    app.connect("builder-inited", reference_files)
    app.connect("builder-inited", tutorial_shots)
    app.connect("source-read", more_toctree)
    app.connect("env-get-outdated", reread_index)
    app.add_directive("synaptica-command", SynapticaCommand)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
