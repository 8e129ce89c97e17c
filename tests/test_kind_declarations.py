"""Each kind declares what it needs and constrains next to its parameters; validation enforces the
declarations generically (no central list of parameter pairs, no kind names in validate.py)."""
from __future__ import annotations

import copy

import pytest

import simcore
from simcore import io, model, validate
from simcore.errors import CircuitError
from simcore.params import _REGISTRY, Check, Kind, Ordered, Param, capabilities, kinds, register


def test_the_central_list_of_parameter_pairs_is_gone():
    assert not hasattr(validate, "RANGE_PAIRS")
    src = validate.__file__ and open(validate.__file__, encoding="utf-8").read()
    for name in ("v_reset", "v_peak", "lif", "adex", "poisson", "reward_stdp", "modulator"):
        assert f'"{name}"' not in src, f"validate.py names {name!r}: it belongs to the kind's own module"


def test_kinds_declare_the_constraints_of_the_issue():
    lif, adex = simcore.kind("neuron", "lif"), simcore.kind("neuron", "adex")
    assert any(isinstance(c, Ordered) and (c.lo, c.hi) == ("v_reset", "v_th") for c in lif.constraints)
    assert any(isinstance(c, Ordered) and (c.lo, c.hi) == ("v_reset", "v_peak") for c in adex.constraints)
    assert simcore.kind("rule", "stdp_pair").needs == {"source": ("spiking",), "target": ("spiking",)}
    assert simcore.kind("rule", "reward_stdp").param("modulator").accepts == ("signal",)
    assert "signal" in capabilities(simcore.kind("neuron", "modulator"))
    assert "signal" not in capabilities(simcore.kind("neuron", "lif"))
    assert capabilities(simcore.kind("neuron", "rate")) == {"rate"}


@pytest.fixture
def band_kind():
    """A new weights kind declared only in this test: its constraints must be enforced untouched."""
    k = register(Kind("weights", "test_band", "Band", "test only",
                      (Param("lo", 0.0, "w", min=0.0), Param("hi", 1.0, "w", min=0.0), Param("odd", 1, type="int")),
                      constraints=(Ordered("lo", "hi"),
                                   Check(("odd",), lambda p, ctx: None if p["odd"] % 2 else ("odd", "must be odd"),
                                         "odd is odd"))))
    io._validator.cache_clear()
    yield k
    del _REGISTRY["weights"]["test_band"]
    io._validator.cache_clear()


def _doc(params: dict) -> dict:
    c = model.Circuit(name="x", regions=[model.make_region("E", "lif", 3)],
                      projections=[model.make_projection("E->E", "E", "E")])
    doc = io.to_dict(c)
    doc["projections"][0]["weights"] = {"kind": "test_band", "params": params}
    return doc


def test_a_new_kind_gets_its_constraints_enforced_generically(band_kind):
    io.from_dict(_doc({"lo": 0.1, "hi": 0.2, "odd": 3}))
    with pytest.raises(CircuitError) as e:
        io.from_dict(_doc({"lo": 0.5, "hi": 0.2}))
    assert e.value.path == "$.projections[0].weights.params.lo" and "below hi" in e.value.reason
    with pytest.raises(CircuitError) as e:
        io.from_dict(_doc({"odd": 2}))
    assert e.value.path == "$.projections[0].weights.params.odd" and e.value.reason == "must be odd"
    with pytest.raises(CircuitError) as e:  # unit "w": the float32 range of stored weights
        io.from_dict(_doc({"lo": 0.0, "hi": 1e39}))
    assert e.value.path == "$.projections[0].weights.params.hi" and "float32" in e.value.reason


def test_register_refuses_a_constraint_on_an_undeclared_parameter():
    with pytest.raises(ValueError, match="undeclared"):
        register(Kind("weights", "test_broken", "B", "", (Param("a", 1.0),), constraints=(Ordered("a", "b"),)))
    with pytest.raises(ValueError, match="needs"):
        register(Kind("rule", "test_broken", "B", "", (), needs={"source": ("telepathic",)}))
    assert "test_broken" not in kinds("weights") and "test_broken" not in kinds("rule")


def test_a_protocol_event_is_checked_against_the_constraints_at_its_time():
    c = model.Circuit(name="x", regions=[model.make_region("E", "lif", 3)],
                      protocol=[model.Event(1.0, "set", "E", "v_th", -70.0), model.Event(0.5, "set", "E", "v_reset", -75.0)])
    io.from_dict(io.to_dict(c))  # v_reset drops first (0.5 s), then v_th (1 s): fine in time order
    bad = copy.deepcopy(c)
    bad.protocol[1].time_s = 2.0  # now v_th = -70 comes while v_reset is still -60
    with pytest.raises(CircuitError) as e:
        io.from_dict(io.to_dict(bad))
    assert e.value.path == "$.protocol[0].value" and "v_reset (-60) must be below v_th (-70)" in e.value.reason
