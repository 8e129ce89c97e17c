"""The shipped JSON Schema is valid and agrees with the files; old files migrate, newer ones are refused."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
from jsonschema import Draft202012Validator

import simcore
from simcore.schema import SCHEMA_PATH, VERSION

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
CIRCUITS = sorted((ROOT / "circuits").rglob("*.json"))


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_shipped_schema_is_valid_draft_2020_12():
    schema = read(SCHEMA_PATH)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    assert schema["properties"]["version"] == {"const": VERSION}


@pytest.mark.parametrize("path", CIRCUITS + [FIXTURES / "circuit_v1.json"], ids=lambda p: p.name)
def test_files_validate_against_shipped_schema(validator, path):
    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(read(path))]
    assert not errors, errors[:3]


def test_saved_files_validate_against_schema(validator, tmp_path):
    c = simcore.load(FIXTURES / "circuit_v0.json")
    simcore.save(c, tmp_path / "c.json")
    validator.validate(read(tmp_path / "c.json"))


def _mutations():
    yield "missing_regions", lambda d: d.pop("regions"), "$"
    yield "unknown_field", lambda d: d.update(colour="blue"), "$"
    yield "size_zero", lambda d: d["regions"][0].update(size=0), "$.regions[0].size"
    yield "size_text", lambda d: d["regions"][0].update(size="20"), "$.regions[0].size"
    yield "p_above_one", lambda d: d["projections"][0]["connectivity"]["params"].update(p=2), \
        "$.projections[0].connectivity.params.p"
    yield "unknown_param", lambda d: d["regions"][1]["params"].update(tau_q=1), "$.regions[1].params"
    yield "dt_zero", lambda d: d["settings"].update(dt_ms=0), "$.settings.dt_ms"
    yield "bad_model", lambda d: d["regions"][0].update(model="hh"), "$.regions[0].model"
    yield "version_2", lambda d: d.update(version=2), "$.version"
    yield "bad_action", lambda d: d["protocol"][0].update(action="explode"), "$.protocol[0].action"


@pytest.mark.parametrize("name,mutate,where", list(_mutations()), ids=[m[0] for m in _mutations()])
def test_malformed_documents_fail_the_schema_and_the_loader(validator, name, mutate, where):
    doc = copy.deepcopy(read(FIXTURES / "circuit_v1.json"))
    mutate(doc)
    errors = list(validator.iter_errors(doc))
    assert errors, f"{name} should not validate"
    assert any(e.json_path.startswith(where) for e in errors), [e.json_path for e in errors]
    with pytest.raises(simcore.CircuitError) as info:
        simcore.from_dict(doc)
    assert info.value.path.startswith(where)


def test_schema_cli_prints_the_schema(capsys):
    from simcore import cli

    assert cli.main(["schema", "--out", "-"]) == 0
    Draft202012Validator.check_schema(json.loads(capsys.readouterr().out))


# -- migration ------------------------------------------------------------------------------------

def test_v0_fixture_is_really_v0():
    doc = read(FIXTURES / "circuit_v0.json")
    assert doc["version"] == 0 and isinstance(doc["regions"], dict) and "dt" in doc and "settings" not in doc


def test_v0_file_loads_equal_to_its_v1_version():
    old = simcore.load(FIXTURES / "circuit_v0.json")
    new = simcore.load(FIXTURES / "circuit_v1.json")
    assert old == new
    assert (old.settings.dt_ms, old.settings.seed, old.settings.duration_s) == (0.05, 7, 2.5)
    assert [r.name for r in old.regions] == ["Input", "E", "I", "DA"]      # order of the v0 object kept
    assert old.region("E").params["tau_m"] == 15.0
    assert old.projection("E->I").connectivity.params["k"] == 5


def test_migrated_file_saves_as_current_version(tmp_path):
    simcore.save(simcore.load(FIXTURES / "circuit_v0.json"), tmp_path / "c.json")
    doc = read(tmp_path / "c.json")
    assert doc["version"] == VERSION and isinstance(doc["regions"], list) and "dt" not in doc


def test_migration_does_not_modify_the_callers_document():
    doc = read(FIXTURES / "circuit_v0.json")
    before = copy.deepcopy(doc)
    simcore.from_dict(doc)
    assert doc == before


def test_v0_errors_name_the_v0_path():
    doc = read(FIXTURES / "circuit_v0.json")
    doc["regions"]["E"] = "not an object"
    with pytest.raises(simcore.CircuitError, match=r"\$\.regions\.E"):
        simcore.from_dict(doc)


@pytest.mark.parametrize("version", [VERSION + 1, 99, 10**12])
def test_newer_version_is_refused(tmp_path, version):
    doc = read(FIXTURES / "circuit_v1.json")
    doc["version"] = version
    (tmp_path / "new.json").write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(simcore.CircuitError, match="newer") as info:
        simcore.load(tmp_path / "new.json")
    assert info.value.path == "$.version" and str(tmp_path / "new.json") in str(info.value)


def test_schema_matches_the_loader_on_version():
    """The schema only describes the current version; old versions are the migrator's business."""
    with pytest.raises(jsonschema.ValidationError):
        Draft202012Validator(read(SCHEMA_PATH)).validate(read(FIXTURES / "circuit_v0.json"))
