import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# OpenMP threads (NEST) that spin while they wait starve everything else when the cores are shared
# (tests run in parallel): 20x slower NEST runs were measured
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
# the tests already run in parallel (pytest-xdist): each simulation steps on one thread unless a
# test asks for more (tests/engine/test_threads.py); threads that wait for a busy core are slow
os.environ.setdefault("SYNAPTICA_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
