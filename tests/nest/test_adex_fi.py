"""The AdEx neuron's f-I curve against NEST's aeif_psc_exp on the same circuit (Brette & Gerstner 2005
parameters, our defaults; one neuron per current, 2 s).

NEST integrates with an adaptive Runge-Kutta-Fehlberg solver, we with forward Euler at 0.1 ms; the
difference grows with the rate (fewer steps per upswing). Measured: equal spike counts at 700, 800 and
1000 pA, 116 against 117 at 1500 pA; the adapted inter-spike interval (mean of the last three) 0.3-0.9%
longer in ours. Brian2's forward Euler gives exactly our spikes (tests/test_adex_fi_brian2.py), so the
remaining offset is the integration scheme, not the model. Hence the bounds: one spike in 2 s, the
adapted interval within 1.5%. Before the fix, the adaptation took in the overshoot of the spiking step:
10 spikes instead of 32 at 800 pA, the adapted interval twice as long (132 against 67 ms).
"""
import numpy as np
import pytest

from simcore import Circuit, make_region
from simcore.backends.nest import NestSimulation
from simcore.engine import Simulation

pytestmark = pytest.mark.peer

DT_MS, DURATION_S = 0.1, 2.0
CURRENTS_PA = (700.0, 800.0, 1000.0, 1500.0)


def _trains(sim) -> list[np.ndarray]:
    sim.run(DURATION_S)
    r = sim.raster.values()
    return [np.sort(r[r[:, 2] == k, 0]) * DT_MS for k in range(len(CURRENTS_PA))]


def test_adex_f_i_curve_matches_nest_aeif_psc_exp():
    c = Circuit("adex f-I", regions=[make_region(f"N{k}", "adex", 1, i_bias=i) for k, i in enumerate(CURRENTS_PA)])
    c.settings.dt_ms = DT_MS
    ours = _trains(Simulation(c, seed=0))
    nest_sim = NestSimulation(c, seed=0, threads=1)
    assert nest_sim.plan.node("N0").model == "aeif_psc_exp"
    theirs = _trains(nest_sim)
    seen = [(i, len(o), len(t), float(np.diff(o)[-3:].mean() / np.diff(t)[-3:].mean()))
            for i, o, t in zip(CURRENTS_PA, ours, theirs)]
    print("AdEx f-I (pA, spikes ours, spikes NEST, adapted ISI ours/NEST):", seen)
    for i_pa, n_ours, n_nest, isi_ratio in seen:
        assert n_ours >= 10, seen  # every current fires, also after adaptation
        assert abs(n_ours - n_nest) <= 1, seen
        assert abs(isi_ratio - 1.0) < 0.015, seen
