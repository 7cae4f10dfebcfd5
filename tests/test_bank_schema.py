"""The published JSON Schema agrees with the app's own validation on the shipped and planted banks."""

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "docs" / "question-bank.schema.json").read_text())


def test_the_schema_is_valid_and_accepts_every_shipped_bank():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    for bank in (ROOT / "questions").glob("*.yaml"):
        jsonschema.validate(yaml.safe_load(bank.read_text()), SCHEMA)


@pytest.mark.parametrize("break_it", [
    lambda b: b["questions"][0].update(difficulty="trivial"),
    lambda b: b["questions"][0].update(categroy="x"),
    lambda b: b["questions"][0]["key_points"][0].update(phrasings=[]),
    lambda b: b["questions"][0].update(id="Bias Variance"),
    lambda b: b.update(format=2),
    lambda b: b["questions"][0]["key_points"][0].update(weight=1e9),
    lambda b: b["questions"][0].update(answer="a" * 20_001),
    lambda b: b["questions"][0]["key_points"][0].update(phrasings=[f"p{i}" for i in range(31)]),
    lambda b: b["questions"][0].update(tags=["t" * 501]),
    lambda b: b.update(thesaurus={"early stopping": ["one two three four five six"]}),
    lambda b: b.update(thesaurus={"early stopping": "cut training short"}),
])
def test_the_schema_rejects_what_the_app_rejects(break_it, tmp_path):
    from mockinterviewer.core.bank import validate_bank

    bank = yaml.safe_load((ROOT / "tests" / "data" / "mini.yaml").read_text())
    break_it(bank)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bank, SCHEMA)
    path = tmp_path / "bank.yaml"
    path.write_text(yaml.safe_dump(bank))
    assert validate_bank(path)


def test_the_schema_accepts_the_claims_test_bank():
    jsonschema.validate(yaml.safe_load((ROOT / "tests" / "data" / "claims" / "claims.yaml").read_text()), SCHEMA)


@pytest.mark.parametrize("break_it", [
    lambda b: b["questions"][0]["key_points"][0].update(claims=[]),
    lambda b: b["questions"][0]["key_points"][0].update(claims=[["Not A Name"]]),
    lambda b: b["questions"][0]["key_points"][4]["mistakes"][0].pop("correction"),
    lambda b: b["questions"][0]["key_points"][4]["mistakes"][0].update(corection="x"),
    lambda b: b["questions"][0]["concepts"].update(long=["one two three four five six"]),
    lambda b: [b["questions"][0]["key_points"][0].pop(f) for f in ("phrasings", "claims")],
])
def test_the_schema_rejects_broken_claims_as_the_app_does(break_it, tmp_path):
    from mockinterviewer.core.bank import validate_bank

    bank = yaml.safe_load((ROOT / "tests" / "data" / "claims" / "claims.yaml").read_text())
    break_it(bank)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bank, SCHEMA)
    path = tmp_path / "bank.yaml"
    path.write_text(yaml.safe_dump(bank))
    assert validate_bank(path)
