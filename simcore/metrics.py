"""The quantities a demonstration can make claims about (its ``expect`` block), declared once.

Windowed metrics (``windowed``) are evaluated over ``[from_s, to_s]`` of the recorded history;
the others describe the state at the end of the run. Input-output metrics (``needs_input``) name the
region whose rate is the x axis in the claim's ``input``. Any claim can be made relative: with a
``ref_target`` or a ``ref_from_s`` / ``ref_to_s`` window its value is the ratio of the metric to the same
metric of ``ref_target`` (default: the claim's target) over the reference window (default: the claim's).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    name: str
    applies_to: str  # "region" or "projection"
    help: str
    windowed: bool = False
    needs_input: bool = False  # measured against the rate of the claim's ``input`` region
    history: str = ""  # what a windowed claim reads: "rates" (rate bins), "samples" (statistics samples), "at" (one sample at to_s)


METRICS = {m.name: m for m in (
    Metric("rate_hz", "region", "mean population rate (Hz); over [from_s, to_s] when given, else the whole run",
           windowed=True, history="rates"),
    Metric("e_input", "region", "mean excitatory synaptic input state (model units); averaged over [from_s, to_s] "
           "(sampled every stats_every_ms) when given, else at the end", windowed=True, history="samples"),
    Metric("i_input", "region", "mean inhibitory synaptic input state (model units); averaged over [from_s, to_s] "
           "(sampled every stats_every_ms) when given, else at the end", windowed=True, history="samples"),
    Metric("io_gain", "region", "slope of the input-output curve (Hz of output per Hz of the rate of the claim's "
           "input region), one point per protocol step over [from_s, to_s], the line fitted through the steps "
           "where the target responds (see simcore.iocurve)", windowed=True, needs_input=True, history="rates"),
    Metric("io_threshold", "region", "input rate (Hz) at which the line fitted to the input-output curve over "
           "[from_s, to_s] crosses zero output (see io_gain)", windowed=True, needs_input=True, history="rates"),
    Metric("level", "region", "level of a modulatory signal at the end"),
    Metric("w_mean", "projection", "mean effective weight; at to_s when given, else at the end", windowed=True, history="at"),
    Metric("w_cv", "projection", "coefficient of variation of the weights; at to_s when given", windowed=True, history="at"),
    Metric("rank_corr", "projection", "Spearman rank correlation of the weights with those at the start of the "
           "run (at the end) or at t = 0 (at to_s, estimated on a sample of synapses)", windowed=True, history="at"),
    Metric("w_min", "projection", "smallest weight at the end"),
    Metric("w_max", "projection", "largest weight at the end"),
    Metric("w_median", "projection", "median weight at the end"),
    Metric("w_skew", "projection", "skewness of the weights at the end (> 0: many weak, few strong)"),
    Metric("logw_skew", "projection", "skewness of log weights at the end (about 0 for a lognormal)"),
    Metric("frac_low", "projection", "fraction of weights below 10% of the largest weight bound of the rules"),
    Metric("frac_high", "projection", "fraction of weights above 90% of the largest weight bound of the rules"),
    Metric("scale_factor", "projection", "median of w(end) / w(start of run) over synapses"),
    Metric("ratio_spread", "projection", "largest relative spread (max - min) / mean of w(end) / w(start) across "
           "the synapses onto one neuron: 0 for pure multiplicative scaling"),
)}
