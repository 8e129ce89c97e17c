"""Every shipped circuit loads, validates and round-trips."""
from pathlib import Path

import pytest

import simcore

ROOT = Path(__file__).resolve().parent.parent
CIRCUITS = sorted((ROOT / "circuits").rglob("*.json"))


def test_there_are_circuits():
    assert len(CIRCUITS) >= 1


@pytest.mark.parametrize("path", CIRCUITS, ids=lambda p: p.name)
def test_circuit_loads_and_round_trips(path):
    c = simcore.load(path)
    assert simcore.loads(simcore.dumps(c)) == c


@pytest.mark.parametrize("path", CIRCUITS, ids=lambda p: p.name)
def test_circuit_file_is_canonical(path):
    """Shipped files are written by `save`, so diffs stay minimal when the app re-saves them."""
    assert path.read_text(encoding="utf-8") == simcore.dumps(simcore.load(path))


def test_shipped_schema_is_up_to_date():
    from simcore.schema import SCHEMA_PATH, schema_text

    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), "run: python main.py schema"


def test_shipped_parameter_reference_is_up_to_date():
    from simcore.docs import DOCS_PATH, docs_text

    text = DOCS_PATH.read_text(encoding="utf-8")
    assert text == docs_text(), "run: python main.py docs"
    for kind_name in ("lif", "scaling", "stdp_pair", "vogels_sprekeler"):
        assert f"### `{kind_name}`" in text
