"""Validation of the bank fields for claims: concepts, claims, mistakes, corrections (FILE:LINE errors)."""

from pathlib import Path

import pytest

from mockinterviewer.core.bank import load_bank, validate_bank
from mockinterviewer.errors import BankError

DATA = Path(__file__).parent / "data"

HEAD = """format: 1
id: t
title: T
concepts:
  dropout: [dropout, drop out]
questions:
  - id: q
    category: fundamentals
    difficulty: easy
    question: How do you prevent overfitting?
    answer: Dropout and early stopping.
"""


def write(tmp_path, body: str) -> Path:
    path = tmp_path / "bank.yaml"
    path.write_text(HEAD + body)
    return path


def problems(tmp_path, body):
    return [(e.line, e.reason) for e in validate_bank(write(tmp_path, body))]


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_the_claims_test_bank_loads_with_concepts_claims_and_mistakes():
    bank = load_bank(DATA / "claims" / "claims.yaml")
    q = bank.get("regularization")
    l2 = q.key_points[2]
    assert l2.claims == (("l2", "shrink"),)
    assert l2.mistakes[0].claim == ("l2", "exact-zero")
    assert "it is L1" in l2.mistakes[0].correction
    concepts = dict(q.concepts)
    assert "squaring the weights" in concepts["l2"] and "dropout" in concepts  # the bank's own, merged in
    overfit = bank.get("prevent-overfitting")
    assert overfit.key_points[3].claims == (("dropout",),)  # a single name without brackets is one claim
    assert overfit.key_points[3].correction == "Dropout reduces overfitting; keep it during training."


def test_a_question_concept_overrides_the_bank_concept_of_that_name(tmp_path):
    bank = load_bank(write(tmp_path, """    concepts:
      dropout: [randomly zero]
    key_points:
      - label: Dropout
        claims: [[dropout]]
"""))
    assert dict(bank.questions[0].concepts) == {"dropout": ("randomly zero",)}
    assert bank.questions[0].key_points[0].phrasings == ()  # claims alone are enough


def test_an_undefined_concept_is_named_with_its_line(tmp_path):
    body = """    key_points:
      - label: Dropout
        phrasings: [dropout]
        claims: [[dropuot]]
"""
    found = problems(tmp_path, body)
    path = tmp_path / "bank.yaml"
    assert found == [(line_of(path, "claims: [[dropuot]]"),
                      "a claim of key point 'Dropout' of 'q' names concept 'dropuot', which neither the question "
                      "nor the bank defines (did you mean 'dropout'?)")]
    with pytest.raises(BankError) as err:
        load_bank(path)
    assert str(err.value).startswith(f"{path}, line {found[0][0]}: ")


@pytest.mark.parametrize("body, line_text, message", [
    ("""    key_points:
      - label: Dropout
        phrasings: [dropout]
        mistakes:
          - claim: [dropout]
""", "- claim: [dropout]", "'correction' is missing or empty"),
    ("""    key_points:
      - label: Dropout
        phrasings: [dropout]
        mistakes:
          - claim: [dropout]
            correction: No.
            corection: typo
""", "corection: typo", "unknown field 'corection' in a mistake of key point 'Dropout' of 'q' (did you mean 'correction'?)"),
    ("""    concepts:
      long: [a phrase of far too many words]
    key_points:
      - label: Dropout
        claims: [[long]]
""", "long: [a phrase", "phrase 'a phrase of far too many words' of concept 'long' in question 'q' must be 1 to 5 spoken words"),
    ("""    concepts:
      Bad Name: [dropout]
    key_points:
      - label: Dropout
        phrasings: [dropout]
""", "Bad Name:", "concept name 'Bad Name' in question 'q' must be lowercase letters, digits and hyphens"),
    ("""    key_points:
      - label: Dropout
        phrasings: [dropout]
        claims: []
""", "claims: []", "'claims' of key point 'Dropout' of 'q' must be a non-empty list of claims"),
    ("""    key_points:
      - label: Dropout
""", "- label: Dropout", "key point 'Dropout' of 'q' needs at least one phrasing"),
    ("""    concepts:
      many: [""" + ", ".join(f"w{i}" for i in range(41)) + """]
    key_points:
      - label: Dropout
        phrasings: [dropout]
""", "many: [", "concept 'many' in question 'q' has 41 phrases; at most 40 are allowed"),
    ("""    key_points:
      - label: Dropout
        phrasings: [dropout]
        claims: [""" + ", ".join("[dropout]" for _ in range(21)) + """]
""", "claims: [[dropout]", "key point 'Dropout' of 'q' has 21 claims; at most 20 are allowed"),
])
def test_bad_claim_fields_get_one_sentence_with_their_line(tmp_path, body, line_text, message):
    found = problems(tmp_path, body)
    assert (line_of(tmp_path / "bank.yaml", line_text), message) in found, found


def test_claims_survive_the_bank_cache(tmp_path):
    fresh = load_bank(DATA / "claims" / "claims.yaml", cache_dir=tmp_path)
    assert list(tmp_path.glob("bank-*.json"))
    cached = load_bank(DATA / "claims" / "claims.yaml", cache_dir=tmp_path)
    assert cached.questions == fresh.questions
    assert cached.get("regularization").key_points[2].mistakes[0].claim == ("l2", "exact-zero")


def test_a_bank_with_too_many_concepts_is_refused_with_one_sentence(tmp_path):
    path = tmp_path / "bank.yaml"
    path.write_text(HEAD.replace("concepts:\n  dropout: [dropout, drop out]\n",
                                 "concepts:\n" + "".join(f"  c{i}: [word{i}]\n" for i in range(301)))
                    + "    key_points:\n      - label: Dropout\n        phrasings: [dropout]\n")
    found = [(e.line, e.reason) for e in validate_bank(path)]
    assert found == [(4, "the bank defines 301 concepts; at most 300 are allowed")]
