"""Sources make spikes; only a spike train (imposed spikes) may be the target of a projection."""
import pytest

from simcore import Circuit, CircuitError, dumps, loads, make_projection, make_region


def circuit(target_model):
    return Circuit("s", regions=[make_region("A", "poisson", 5), make_region("B", target_model, 5)],
                   projections=[make_projection("A->B", "A", "B")])


@pytest.mark.parametrize("model", ["poisson", "pattern"])
def test_projection_into_a_generating_source_is_refused(model):
    with pytest.raises(CircuitError, match=r"\$\.projections\[0\]\.target: 'B' is a .* and takes no input"):
        loads(dumps(circuit(model)))


def test_spike_train_accepts_input_as_imposed_spikes():
    assert loads(dumps(circuit("spike_train"))).projections[0].target == "B"
