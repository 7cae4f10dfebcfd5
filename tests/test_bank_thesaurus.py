"""The bank's thesaurus (issue 12, round four): plain words for a term, heard wherever a question's
concept lists the term; a bad thesaurus is refused with its line."""

from pathlib import Path

from mockinterviewer.core.bank import load_bank, validate_bank
from mockinterviewer.core.claims import concepts_for
from mockinterviewer.core.scoring import score_answer
from mockinterviewer.core.transcript import Transcript

BANK = """format: 1
id: t
title: T
thesaurus:
  early stopping: [cut training short, stop once it plateaus]
  overfitting: [memorises the noise]
questions:
  - id: q
    category: fundamentals
    difficulty: easy
    question: How do you prevent overfitting?
    answer: Stop training early, when the validation loss stops improving.
    concepts:
      stop: [early stopping]
      harm: [overfitting]
      blame: [overfitting]
      reckless: [train forever]
    key_points:
      - label: Early stopping
        phrasings: [early stopping]
        claims: [[stop]]
      - label: Training forever is fine
        phrasings: [train forever]
        claims: [[harm]]
        mistakes:
          - claim: [reckless, blame]
            correction: Training forever lets the model overfit.
"""


def write(tmp_path, text: str) -> Path:
    path = tmp_path / "bank.yaml"
    path.write_text(text)
    return path


def statuses(bank, text):
    result = score_answer(bank.get("q"), Transcript.typed(text))
    return {k.label: k.status for k in result.key_points}


def test_a_term_of_the_thesaurus_is_heard_in_its_plain_words(tmp_path):
    bank = load_bank(write(tmp_path, BANK))
    said = statuses(bank, "I would cut training short as soon as the held out score stops improving.")
    assert said["Early stopping"] == "covered"
    q = bank.get("q")
    assert concepts_for(q, q.key_points)["stop"] == ("early stopping", "cut training short", "stop once it plateaus")
    assert dict(q.concepts)["stop"] == ("early stopping",)  # what the bank wrote, as the window shows it


def test_the_concepts_of_a_mistake_stay_as_written(tmp_path):
    # "blame" is used only by a mistake: a candidate is told they are wrong only for words the bank wrote
    q = load_bank(write(tmp_path, BANK)).get("q")
    concepts = concepts_for(q, q.key_points)
    assert concepts["blame"] == ("overfitting",)
    assert concepts["harm"] == ("overfitting", "memorises the noise")


def test_a_bad_thesaurus_is_refused_with_its_line(tmp_path):
    bad = BANK.replace("  overfitting: [memorises the noise]", "  overfitting: [a phrase far too long to be spoken as one]")
    errors = validate_bank(write(tmp_path, bad))
    assert [(e.line, "thesaurus term 'overfitting'" in e.reason and "1 to 5 spoken words" in e.reason)
            for e in errors] == [(6, True)]
    not_a_list = BANK.replace("  overfitting: [memorises the noise]", "  overfitting: 3")
    assert [e.line for e in validate_bank(write(tmp_path, not_a_list))] == [6]


def test_a_thesaurus_cannot_make_a_concept_unbounded(tmp_path):
    # 40 terms of 40 plain phrasings each, all listed by one concept: scoring still matches a bounded number
    terms = "".join(f"  term{i}: [{', '.join(f'plain {i} way {j}' for j in range(40))}]\n" for i in range(40))
    listed = ", ".join(f"term{i}" for i in range(40))
    bank = BANK.replace("thesaurus:\n", "thesaurus:\n" + terms).replace("stop: [early stopping]", f"stop: [{listed}]")
    q = load_bank(write(tmp_path, bank)).get("q")
    stop = concepts_for(q, q.key_points)["stop"]
    assert len(stop) == 120 and stop[:40] == tuple(f"term{i}" for i in range(40))


def test_a_hint_in_plain_words_may_use_a_plain_word_but_not_state_the_point(tmp_path):
    from mockinterviewer.core.reveal import reveals

    q = load_bank(write(tmp_path, BANK)).get("q")
    point = q.key_points[0]
    # "short" is a word of the thesaurus's "cut training short", not of the bank's own concept
    assert not reveals(q, point, "Think about when a long run should come to an end.")
    assert not reveals(q, point, "Keep the summary short: what would you watch while it trains?")
    assert reveals(q, point, "Would you cut training short?")  # scored as an answer, it makes the point
