"""Sphinx configuration of the Synaptica documentation (MyST Markdown pages).

Build (warnings are errors; the second command runs every code example):

    sphinx-build -W -b html docs docs/_build/html
    sphinx-build -W -b doctest docs docs/_build/doctest
"""
import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(DOCS / "_ext"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")

import simcore  # noqa: E402  (after the path is set)

project = "Synaptica"
author = "Synaptica developers"
copyright = "Synaptica developers"
try:
    from importlib.metadata import version as _version

    release = _version("synaptica")
except Exception:  # not installed: read it from the source tree only
    release = "0.1.0"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.doctest",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "sphinxarg.ext",
    "synaptica_pages",
    "synaptica_gallery",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_generated", "_ext", "tools", "**/_shots", "**/_img", "README.md"]
myst_enable_extensions = ["colon_fence", "deflist", "attrs_inline"]
myst_heading_anchors = 3

html_theme = "furo"
html_title = f"Synaptica {release}"
html_static_path = []

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"undoc-members": False}
autosummary_generate = False
napoleon_google_docstring = False
napoleon_numpy_docstring = False

# every doctest runs from the repository root, so the examples name files as a user would
doctest_global_setup = f"""
import os
os.chdir({str(ROOT)!r})
"""
doctest_test_doctest_blocks = "default"

nitpicky = False
