"""The network of the Vogels-Sprekeler benchmark script (python -m simcore.bench_vs): a valid circuit with
the paper's parameters mapped into units of the leak conductance. (The script itself is not run here: its
set of kinds, LIF + vogels_sprekeler without a Poisson source, would cost the suite a kernel compile.)"""
import math

from simcore.bench_vs import G_E, G_II, run_ours, vs_circuit
from simcore.io import to_dict
from simcore.validate import check_document


def test_circuit_is_valid_and_mapped():
    c = vs_circuit(scale=0.1)
    check_document(to_dict(c))
    assert [r.size for r in c.regions] == [800, 200]
    w = {p.name: p.weights.params["value"] for p in c.projections}
    assert w["E->E"] == w["E->I"] == G_E == 0.03 and w["I->I"] == G_II == 0.3  # 0.3 nS, 3 nS over gL = 10 nS
    rule = c.projection("I->E").rules[0]
    assert rule.kind == "vogels_sprekeler" and rule.params["eta"] == 1e-3  # 1e-2 nS over gL


def test_background_current_gives_the_paper_neurons_regular_rate():
    """Unconnected, the 200 pA background (i_bias 20 mV over gL) drives each cell from reset -60 mV towards
    -40 mV: it fires every t_ref + C/gL ln 2 = 5 + 13.86 ms, at 53.0 Hz."""
    res = run_ours(0.5, scale=0.02, wired=False)
    expected = 1000.0 / (5.0 + 20.0 * math.log(2.0))
    assert abs(res["rate_e"] - expected) < 0.5 and abs(res["rate_i"] - expected) < 0.5
