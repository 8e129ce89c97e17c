"""Plain Hebb (negative control): on the same correlated input where Oja settles, weights grow without bound."""
import numpy as np
from tests.rules.ruleutil import input_weights, present, rate_inputs, rel_err

from simcore.engine.simulation import Simulation

D = 3
RU = 10.0


def _patterns(n, seed):
    rng = np.random.default_rng(seed)
    return np.maximum(0.0, 0.5 + 0.5 * rng.normal(size=(n, D)))


def test_weights_grow_without_bound_where_oja_settles():
    w0 = np.full(D, 0.1)
    X = _patterns(500, seed=0)  # 10 s, each pattern held 20 ms
    norms = {}
    for rule in ("hebb", "oja"):
        sim = Simulation(rate_inputs(D, rule, {"eta": 0.5, "rate_unit_hz": RU}, w0))
        n = []
        for k, x in enumerate(X):
            present(sim, RU * x, 20)
            if k % 100 == 99:
                n.append(float(np.linalg.norm(input_weights(sim, D))))
        norms[rule] = np.array(n)
    hebb, oja = norms["hebb"], norms["oja"]
    assert np.all(np.diff(hebb) > 0)                     # never stops growing
    assert np.all(np.diff(np.diff(hebb)) > 0)            # and accelerates (exponential growth)
    assert hebb[-1] > 20 * np.linalg.norm(w0) and np.isfinite(hebb[-1])
    assert abs(oja[-1] - oja[-2]) < 0.02 * oja[-1] and abs(oja[-1] - 1.0) < 0.1  # Oja has settled at 1


def test_kernel_matches_numpy_reference_step_for_step():
    eta = 0.3
    w0 = np.array([0.3, 0.1, 0.2])
    sim = Simulation(rate_inputs(D, "hebb", {"eta": eta, "rate_unit_hz": RU}, w0))
    xs, ys = [], []
    for x in _patterns(100, seed=1):
        for k in range(D):
            sim.set(f"X{k}.bias", float(RU * x[k]))
        for _ in range(10):
            sim.step(1)
            xs.append([sim.net.regions[k].arrays.S[0, 0] for k in range(D)])
            ys.append(sim.net.regions[D].arrays.S[0, 0])
    W = w0.astype(np.float32)
    k = eta * 1e-3
    for x, y in zip(np.array(xs) / RU, np.array(ys) / RU):
        for i in range(D):
            W[i] = np.float32(float(W[i]) + k * x[i] * y)
    w = input_weights(sim, D)
    assert np.abs(w - w0).max() > 0.02
    assert rel_err(w, W) < 1e-6
    # the recorded contribution is the total weight change
    total = sum(rb.arrays.glob[0] for rb in sim.net.rules)
    assert abs(total - (w - w0).sum()) < 1e-4 * abs((w - w0).sum())
