"""Connectivity, weight initialisation and delay kinds: declarations and numpy builders.

Each kind is declared once (parameters, help) and paired with the function that realises it.
Builders take a numpy ``Generator`` so that the same seed gives the same wiring.
"""
from __future__ import annotations

import numpy as np

from .params import (FLOAT32_MAX, WEIGHT_MAX, Check, Kind, Ordered, Param, fits_in_steps, kind, register,
                     weight_fits_float32)

# --------------------------------------------------------------------------------------------
# connectivity: (n_pre, n_post, params, rng, same_region) -> (pre, post) int arrays


def _all_to_all(n_pre, n_post, p, rng, same):
    pre, post = np.meshgrid(np.arange(n_pre), np.arange(n_post), indexing="ij")
    pre, post = pre.ravel(), post.ravel()
    return _drop_self(pre, post, p, same)


def _one_to_one(n_pre, n_post, p, rng, same):
    n = min(n_pre, n_post)
    return np.arange(n), np.arange(n)


def _fixed_probability(n_pre, n_post, p, rng, same):
    """Every pair independently with probability p, in time and memory proportional to the synapses
    made (never to n_pre * n_post): the connected pairs are the successes of a Bernoulli sequence
    over the pairs in (pre, post) order, found by jumping geometric gaps. Already in CSR order."""
    prob = p["p"]
    allow_self = p["allow_self"] or not same
    cols = n_post if allow_self else n_post - 1
    total = n_pre * cols
    if prob <= 0.0 or total <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    if prob >= 1.0:
        idx = np.arange(total, dtype=np.int64)
    else:
        parts, last = [], -1
        while True:
            remaining = (total - 1 - last) * prob
            m = int(remaining + 6.0 * np.sqrt(remaining + 1.0) + 16)
            # a gap beyond the end is as good as the end: clipped, so that the draws of a tiny p
            # (int64's maximum) cannot overflow the sum and wrap around to before the end
            pos = last + np.cumsum(np.minimum(rng.geometric(prob, size=m), total + 1))
            if pos[-1] >= total:
                parts.append(pos[: np.searchsorted(pos, total)])
                break
            parts.append(pos)
            last = int(pos[-1])
        idx = np.concatenate(parts)
    pre = idx // cols
    post = idx - pre * cols
    if not allow_self:
        post += post >= pre
    return pre, post


def _fixed_indegree(n_pre, n_post, p, rng, same):
    """Exactly k distinct inputs per target, drawn for all targets at once: uniform draws, and the
    few duplicates drawn again until none is left (a full shuffle when k is a large part of the pool)."""
    k = int(p["k"])
    allow_self = p["allow_self"] or not same
    pool = n_pre if allow_self else n_pre - 1
    k = min(k, pool)
    if k <= 0 or n_post == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    if 4 * k > pool:
        s = np.argpartition(rng.random((n_post, pool)), k - 1, axis=1)[:, :k]
        s.sort(axis=1)
    else:
        s = rng.integers(0, pool, size=(n_post, k))
        s.sort(axis=1)
        while True:
            dup = np.zeros(s.shape, bool)
            dup[:, 1:] = s[:, 1:] == s[:, :-1]
            n_dup = int(dup.sum())
            if n_dup == 0:
                break
            s[dup] = rng.integers(0, pool, size=n_dup)
            s.sort(axis=1)
    if not allow_self:
        s += s >= np.arange(n_post)[:, None]
    return s.reshape(-1), np.repeat(np.arange(n_post), k)


def _drop_self(pre, post, p, same):
    if same and not p.get("allow_self", False):
        keep = pre != post
        return pre[keep], post[keep]
    return pre, post


ALLOW_SELF = Param("allow_self", False, type="bool", live=False,
                   help="Allow a neuron to connect to itself (only matters within one region)")

register(Kind("connectivity", "all_to_all", "All to all", "Every source neuron connects to every target neuron.",
              (ALLOW_SELF,), info={"build": _all_to_all, "expected": lambda a, b, p: a * b}))
register(Kind("connectivity", "one_to_one", "One to one", "Neuron i connects to neuron i.",
              (), info={"build": _one_to_one, "expected": lambda a, b, p: min(a, b)}))
register(Kind("connectivity", "fixed_probability", "Fixed probability",
              "Each source-target pair is connected independently with probability p.",
              (Param("p", 0.1, "", "Connection probability", min=0.0, max=1.0, live=False), ALLOW_SELF),
              info={"build": _fixed_probability, "expected": lambda a, b, p: a * b * p["p"]}))
register(Kind("connectivity", "fixed_indegree", "Fixed in-degree",
              "Each target neuron receives exactly k inputs drawn without replacement.",
              (Param("k", 100, "synapses", "Inputs per target neuron", type="int", min=1, live=False), ALLOW_SELF),
              info={"build": _fixed_indegree, "expected": lambda a, b, p: b * min(int(p["k"]), a)}))

# --------------------------------------------------------------------------------------------
# weights: (n, params, rng) -> float array of magnitudes (>= 0; the sign comes from the synapse)


def _lognormal(n, p, rng):
    mean, cv = p["mean"], p["cv"]
    if cv == 0:
        return np.full(n, mean)
    sigma2 = np.log1p(cv * cv)
    mu = np.log(mean) - sigma2 / 2
    return rng.lognormal(mu, np.sqrt(sigma2), n)


def _lognormal_fits(p, ctx):
    """A lognormal weight 8 log-space standard deviations above the median must fit in float32."""
    sigma2 = np.log1p(p["cv"] ** 2)
    top = np.log(p["mean"]) - sigma2 / 2 + 8 * np.sqrt(sigma2)
    if top > np.log(FLOAT32_MAX):
        return "mean", (f"lognormal weights of mean {p['mean']:g} and cv {p['cv']:g} reach about e^{top:.0f}, "
                        f"beyond the float32 range of stored weights ({FLOAT32_MAX:.4g})")
    return None


def _lognormal_largest(p) -> float:
    """The largest weight to expect: 8 standard deviations up in log space (as _lognormal_fits)."""
    sigma2 = float(np.log1p(p["cv"] ** 2))
    return float(np.exp(min(700.0, np.log(p["mean"]) - sigma2 / 2 + 8 * np.sqrt(sigma2))))


def _clipped_normal(n, p, rng):
    return np.clip(rng.normal(p["mean"], p["sd"], n), p["low"], p["high"])


WEIGHT_HELP = " Weights are magnitudes in the target model's synaptic unit; the synapse type gives the sign."
register(Kind("weights", "constant", "Constant", "Every synapse has the same weight." + WEIGHT_HELP,
              (Param("value", 1.0, "w", "Weight", min=0.0, max=WEIGHT_MAX),),
              info={"build": lambda n, p, rng: np.full(n, p["value"]), "largest": lambda p: p["value"]},
              constraints=(weight_fits_float32("value"),)))
register(Kind("weights", "uniform", "Uniform", "Weights drawn uniformly in [low, high]." + WEIGHT_HELP,
              (Param("low", 0.0, "w", "Lower end", min=0.0, max=WEIGHT_MAX),
               Param("high", 1.0, "w", "Upper end", min=0.0, max=WEIGHT_MAX)),
              info={"build": lambda n, p, rng: rng.uniform(p["low"], p["high"], n), "largest": lambda p: p["high"]},
              constraints=(Ordered("low", "high", strict=False), weight_fits_float32("low", "high"))))
register(Kind("weights", "clipped_normal", "Clipped normal",
              "Normal weights clipped to [low, high] (never negative)." + WEIGHT_HELP,
              (Param("mean", 1.0, "w", "Mean", min=0.0, max=WEIGHT_MAX),
               Param("sd", 0.2, "w", "Standard deviation", min=0.0, max=WEIGHT_MAX),
               Param("low", 0.0, "w", "Clip below", min=0.0, max=WEIGHT_MAX),
               Param("high", WEIGHT_MAX, "w", "Clip above", min=0.0, max=WEIGHT_MAX)),
              info={"build": _clipped_normal,
                    "largest": lambda p: min(p["high"], max(p["low"], p["mean"] + 8 * p["sd"]))},
              constraints=(Ordered("low", "high", strict=False), weight_fits_float32("low", "high"))))
register(Kind("weights", "lognormal", "Lognormal (mean, CV)",
              "Skewed weights, many weak and few strong, as measured in cortex: lognormal with the given "
              "mean and coefficient of variation (Song et al. 2005)." + WEIGHT_HELP,
              (Param("mean", 1.0, "w", "Mean weight", min=0.0, exclusive_min=True, max=WEIGHT_MAX),
               Param("cv", 1.0, "", "Coefficient of variation (sd / mean)", min=0.0, max=20.0)),
              info={"build": _lognormal, "largest": _lognormal_largest}, constraints=(Check(("mean", "cv"), _lognormal_fits, "the largest "
                    "expected weight (8 standard deviations up in log space) fits in float32"),)))

# --------------------------------------------------------------------------------------------
# delays: (n, params, rng) -> float array in ms

register(Kind("delay", "constant", "Constant", "Every synapse has the same transmission delay.",
              (Param("value_ms", 0.1, "ms", "Delay", min=0.0, max=1000.0, live=False),),
              info={"build": lambda n, p, rng: np.full(n, p["value_ms"])}, constraints=(fits_in_steps("value_ms"),)))
register(Kind("delay", "uniform", "Uniform", "Delays drawn uniformly in [low, high].",
              (Param("low_ms", 0.1, "ms", "Shortest delay", min=0.0, max=1000.0, live=False),
               Param("high_ms", 5.0, "ms", "Longest delay", min=0.0, max=1000.0, live=False)),
              info={"build": lambda n, p, rng: rng.uniform(p["low_ms"], p["high_ms"], n)},
              constraints=(Ordered("low_ms", "high_ms", strict=False), fits_in_steps("high_ms"))))


def expected_synapses(conn_kind: str, n_pre: int, n_post: int, params: dict) -> float:
    """Expected number of synapses of a projection, computed before anything is allocated."""
    return float(kind("connectivity", conn_kind).info["expected"](n_pre, n_post, params))
