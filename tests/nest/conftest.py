"""NEST tests: skipped when NEST is not installed; every test leaves a fresh kernel behind."""
import importlib.util
import os

import pytest

os.environ.setdefault("PYNEST_QUIET", "1")
HAVE_NEST = importlib.util.find_spec("nest") is not None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/nest/" in str(item.fspath).replace(os.sep, "/") and item.get_closest_marker("peer"):
            if not HAVE_NEST:
                item.add_marker(pytest.mark.skip(reason="nest-simulator is not installed"))


@pytest.fixture(autouse=True)
def fresh_nest_kernel():
    """No NEST network leaks from one test into the next (one kernel per process)."""
    yield
    import sys

    if "nest" in sys.modules:
        sys.modules["nest"].ResetKernel()
