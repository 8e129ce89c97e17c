"""The NEST mapping: refusals in one line before NEST starts, unit conversions, lazy import."""
import subprocess
import sys

import pytest

from simcore import Circuit, load, make_projection, make_region
from simcore.backends.nest.mapping import MappingError, mapping_table, plan

from ..paths import ROOT


def _bcm_circuit():
    return Circuit("bcm", regions=[make_region("In", "poisson", 10), make_region("Out", "lif", 5)],
                   projections=[make_projection("In->Out", "In", "Out", rules=[("bcm", {})])])


def test_an_unsupported_rule_is_refused_in_one_line_naming_rule_projection_and_reason():
    with pytest.raises(MappingError) as err:
        plan(_bcm_circuit())
    msg = str(err.value)
    assert "\n" not in msg
    assert msg.startswith("$.projections[0].rules[0]: rule 'bcm' on projection 'In->Out': ")
    assert "rate-based" in msg


def test_cli_refuses_before_nest_starts_with_one_line_and_exit_code_2(tmp_path):
    from simcore import save

    f = tmp_path / "bcm.json"
    save(_bcm_circuit(), f)
    code = ("import sys, runpy; sys.argv = ['synaptica', 'run', sys.argv[1], '--backend', 'nest', '--quiet'];"
            "from simcore.cli import main; rc = main(sys.argv[1:]);"
            "assert 'nest' not in sys.modules, 'NEST was imported'; sys.exit(rc)")
    r = subprocess.run([sys.executable, "-c", code, str(f)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "bcm.json: $.projections[0].rules[0]: rule 'bcm'" in lines[0]


def test_rate_units_are_refused_naming_the_region():
    with pytest.raises(MappingError, match=r"\$\.regions\[0\]: model 'rate' of region 'Pattern A': rate units"):
        plan(load(ROOT / "circuits/demos/sliding_set_point.json"))


def test_current_lif_weights_convert_mv_to_pa_through_c_m_over_tau_m():
    p = plan(load(ROOT / "circuits/vogels_abbott_cuba.json"))
    ee = next(c for c in p.conns if c.projection == "E->E")
    ie = next(c for c in p.conns if c.projection == "I->E")
    assert p.node("E").model == "iaf_psc_exp"
    assert ee.weight == ("constant", pytest.approx(1.62 * 250.0 / 20.0))
    assert ie.weight == ("constant", pytest.approx(-9.0 * 250.0 / 20.0))
    assert ee.conn == {"rule": "pairwise_bernoulli", "p": 0.02, "allow_autapses": True}


def test_conductance_lif_and_vogels_sprekeler_convert_to_nest_conventions():
    p = plan(load(ROOT / "circuits/demos/inhibitory_balance.json"))
    assert p.node("E").model == "iaf_cond_exp" and p.node("E").params["g_L"] == pytest.approx(12.5)
    ie = next(c for c in p.conns if c.projection == "I->E")
    assert ie.synapse_model == "vogels_sprekeler_synapse"
    assert ie.weight == ("constant", pytest.approx(-0.05 * 12.5))
    assert ie.syn_params["eta"] == pytest.approx(0.03 * 12.5)  # a weight step, in nS like the weights
    assert ie.syn_params["Wmax"] == pytest.approx(-10.0 * 12.5)
    assert ie.syn_params["alpha"] == pytest.approx(2 * 5.0 * 20.0 / 1000.0)
    assert not ie.rule_enabled and ie.off == {"eta": 0.0}
    assert p.node("E").params["tau_minus"] == 20.0
    ee = next(c for c in p.conns if c.projection == "E->E")
    assert ee.conn == {"rule": "pairwise_bernoulli", "p": 0.2, "allow_autapses": False}  # allow_self false


def test_importing_simcore_and_its_cli_does_not_import_nest():
    code = ("import sys; import simcore, simcore.cli; simcore.cli.build_parser(); "
            "import simcore.backends.nest; assert 'nest' not in sys.modules, 'nest imported'")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr


def test_the_docs_page_holds_the_mapping_table_generated_from_the_declarations():
    text = (ROOT / "docs/nest.md").read_text(encoding="utf-8")
    assert mapping_table() in text
