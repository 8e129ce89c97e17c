"""Oja's rule (Oja 1982): the weight vector of a linear rate unit turns to the principal eigenvector of
its input correlation matrix and its squared length settles at 1 / alpha."""
import numpy as np
import pytest
from tests.rules.ruleutil import input_weights, present, rate_inputs, rel_err

from simcore.engine.simulation import Simulation

D = 5
RU = 10.0  # rate_unit_hz


def _patterns(n, seed):
    """Non-negative correlated 5-D inputs (in rate units): a strong shared component along u plus noise."""
    rng = np.random.default_rng(seed)
    u = np.array([1.0, 0.8, 0.3, 0.0, 0.0])
    u /= np.linalg.norm(u)
    L = np.linalg.cholesky(3.0 * np.outer(u, u) + 0.3 * np.eye(D))
    return np.maximum(0.0, 0.3 + rng.normal(size=(n, D)) @ L.T)


@pytest.mark.parametrize("alpha", [1.0, 2.0])
def test_converges_to_principal_eigenvector_with_length_one_over_alpha(alpha):
    w0 = np.array([0.05, 0.05, 0.05, 0.4, 0.4])  # pointing away from the principal component
    sim = Simulation(rate_inputs(D, "oja", {"eta": 0.2, "alpha": alpha, "rate_unit_hz": RU}, w0))
    X = _patterns(1500, seed=1)  # 30 s, each pattern held 20 ms
    for x in X:
        present(sim, RU * x, 20)
    ev, V = np.linalg.eigh(X.T @ X / len(X))  # the correlation matrix the rule saw
    v1 = V[:, -1] * np.sign(V[:, -1].sum())
    w = input_weights(sim, D)
    cos0 = w0 @ v1 / np.linalg.norm(w0)
    cos = w @ v1 / np.linalg.norm(w)
    assert cos0 < 0.7
    assert cos > 0.99, (cos, w, v1)
    assert w @ w == pytest.approx(1.0 / alpha, rel=0.05)
    # and not just any direction: the second eigenvector is nearly orthogonal
    assert abs(w @ V[:, -2]) / np.linalg.norm(w) < 0.15


def test_kernel_matches_numpy_reference_step_for_step():
    eta, alpha = 0.5, 1.0
    w0 = np.array([0.3, 0.1, 0.2, 0.4, 0.05])
    sim = Simulation(rate_inputs(D, "oja", {"eta": eta, "alpha": alpha, "rate_unit_hz": RU}, w0))
    X = _patterns(100, seed=2)
    xs, ys = [], []
    for x in X:
        for k in range(D):
            sim.set(f"X{k}.bias", float(RU * x[k]))
        for _ in range(10):
            sim.step(1)
            xs.append([sim.net.regions[k].arrays.S[0, 0] for k in range(D)])
            ys.append(sim.net.regions[D].arrays.S[0, 0])
    W = w0.astype(np.float32)
    k = eta * 1.0 * 1e-3
    for x, y in zip(np.array(xs) / RU, np.array(ys) / RU):
        for i in range(D):
            W[i] = np.float32(max(0.0, float(W[i]) + k * y * (x[i] - alpha * y * float(W[i]))))
    w = input_weights(sim, D)
    assert np.abs(w - w0).max() > 0.05
    assert rel_err(w, W) < 1e-6
