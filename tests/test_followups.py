"""Follow-up questions (core/followups, core/probes, core/exchange): which move comes next, probes
that never give their point away, and the credit a point made in a follow-up earns."""

import dataclasses
from pathlib import Path

import pytest

from mockinterviewer import paths
from mockinterviewer.core.bank import load_bank, load_banks
from mockinterviewer.core.exchange import judge_turn, with_turns
from mockinterviewer.core.followups import CHALLENGE, DEEPER, HINT, PROBE, next_follow_up
from mockinterviewer.core.importer import import_files, write_bank
from mockinterviewer.core.probes import forbidden, hint_text, probe_text, reveals
from mockinterviewer.core.scoring import ScoreResult, score_answer
from mockinterviewer.core.transcript import Transcript

IMPORT_DATA = Path(__file__).parent / "data" / "import"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.fixture(scope="module")
def shipped():
    banks, broken = load_banks([paths.questions_dir()])
    assert banks and not broken
    return banks[0]


def typed(text):
    return Transcript.typed(text)


def labels(result):
    return {k.label: k.status for k in result.key_points}


# --- choosing the move --------------------------------------------------------------------------

def test_a_missed_point_gets_a_probe_aimed_at_it_without_its_words(shipped):
    q = shipped.get("regularization")
    result = score_answer(q, typed("Regularization constrains complexity to improve generalisation: it adds a penalty term to the loss, "
                                   "and L2 or ridge shrinks the weights. Dropout, early stopping and data augmentation "
                                   "also help. The strength lambda is tuned on validation data."))
    assert result.key_points[3].status == "missed"  # L1 or lasso gives sparsity
    move = next_follow_up(q, result)
    assert (move.kind, move.point) == (PROBE, "L1 or lasso gives sparsity")
    for word in ("l1", "lasso", "sparse", "sparsity", "zero", "absolute"):
        assert word not in move.text.lower()
    assert not reveals(q, q.key_points[3], move.text)


def test_a_wrong_claim_gets_a_challenge_quoting_it_not_a_probe_for_another_point():
    bank = load_bank(Path(__file__).parent / "data" / "claims" / "claims.yaml")
    q = next(q for q in bank.questions if any(k.mistakes for k in q.key_points))
    wrong = next(k for k in q.key_points if k.mistakes)
    # state every other point rightly in the bank's own words, and this one wrongly
    concepts = dict(q.concepts)
    said = [" ".join(concepts[c][0] for c in wrong.mistakes[0].claim)]
    result = score_answer(q, typed(". ".join(said) + "."))
    assert labels(result)[wrong.label] == "incorrect"
    move = next_follow_up(q, result)
    assert move.kind == CHALLENGE and move.point == wrong.label
    assert result.key_points[move.index].evidence.text in move.text  # the candidate's words, back
    assert wrong.mistakes[0].correction not in move.text             # not the answer


def test_heaviest_first_never_the_same_point_twice_in_a_row_then_hint_then_deeper(shipped):
    q = shipped.get("regularization")
    heavy = dataclasses.replace(q, key_points=tuple(
        dataclasses.replace(k, weight=3.0) if k.label == "Strength is a tuned hyperparameter" else k
        for k in q.key_points))
    result = score_answer(heavy, typed("Regularization adds a penalty term to the loss so the model generalises "
                                       "better. Dropout, early stopping and augmentation help too."))
    first = next_follow_up(heavy, result)
    assert first.point == "Strength is a tuned hyperparameter" and first.kind == PROBE
    nothing = judge_turn(heavy, first, typed("I am not sure."))
    second = next_follow_up(heavy, result, [nothing])
    assert second.point != first.point and second.kind == PROBE
    third = next_follow_up(heavy, result, [nothing, judge_turn(heavy, second, typed("No idea."))])
    assert (third.point, third.kind) == (first.point, HINT)  # the stronger nudge, once it comes round again


def test_everything_covered_goes_deeper_with_the_banks_follow_up(shipped):
    q = shipped.get("regularization")
    result = score_answer(q, typed(q.answer))
    assert not result.missed and not result.incorrect
    move = next_follow_up(q, result)
    assert move.kind == DEEPER and move.text == q.follow_up
    assert next_follow_up(q, result, [judge_turn(q, move, typed("Because of the corners of the L1 ball."))]) is None


def test_a_banks_own_probe_and_hint_are_used(tmp_path):
    path = tmp_path / "b.yaml"
    path.write_text("""format: 1
id: b
title: B
questions:
  - id: q
    category: fundamentals
    difficulty: easy
    question: What does dropout do?
    answer: Dropout randomly zeroes activations during training, which regularises the network.
    key_points:
      - label: Zeroes random activations
        phrasings: [randomly zero, zeroes activations]
        probe: What happens to the units while the network trains?
        hint: Think of a coin flip for every unit.
      - label: Regularises
        phrasings: [regularises, regularization]
""")
    q = load_bank(path).questions[0]
    result = score_answer(q, typed("It is a layer of the network."))
    move = next_follow_up(q, result)
    assert move.text == "What happens to the units while the network trains?"
    turns = [judge_turn(q, move, typed("Nothing."))]
    other = next_follow_up(q, result, turns)
    assert other.point == "Regularises"  # never the same point twice in a row
    turns.append(judge_turn(q, other, typed("No idea.")))
    assert next_follow_up(q, result, turns).text == "Think of a coin flip for every unit."


# --- generated probes never reveal their point ------------------------------------------------------

def _drafts(tmp_path):
    files = sorted(IMPORT_DATA.iterdir()) + (sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else [])
    return load_bank(write_bank(import_files(files), tmp_path / "drafts.yaml"))


def test_no_generated_probe_or_hint_reveals_its_point_in_the_shipped_bank_and_the_importers_drafts(shipped, tmp_path):
    drafts = _drafts(tmp_path)
    checked = 0
    for bank in (shipped, drafts):
        for q in bank.questions:
            for point in q.key_points:
                point = dataclasses.replace(point, probe="", hint="")  # generated, not the bank's
                for text in (probe_text(q, point), hint_text(q, point)):
                    assert not reveals(q, point, text), (q.id, point.label, text)
                    checked += 1
    assert checked > 2 * 300


def test_every_key_point_of_the_shipped_bank_has_its_own_probe_and_hint_and_none_reveals_its_point(shipped):
    checked = 0
    for q in shipped.questions:
        for point in q.key_points:
            assert point.probe and point.hint, (q.id, point.label)  # written for the bank, not built
            assert probe_text(q, point) == point.probe and hint_text(q, point) == point.hint
            for text in (point.probe, point.hint):
                # spoken aloud: one plain sentence, no markup, short enough to hold in mind
                assert len(text.split()) <= 30 and not any(c in text for c in "*_`#[]<>{}\n"), (q.id, text)
                assert not reveals(q, point, text), (q.id, point.label, text)
                checked += 1
    assert checked == 2 * sum(len(q.key_points) for q in shipped.questions) > 2 * 300


def test_the_forbidden_words_take_in_label_phrasings_and_concept_synonyms():
    bank = load_bank(Path(__file__).parent / "data" / "claims" / "claims.yaml")
    q = next(q for q in bank.questions if any(k.claims for k in q.key_points))
    point = next(k for k in q.key_points if k.claims)
    words = forbidden(q, point)
    concepts = dict(q.concepts)
    for name in point.claims[0]:
        assert set(concepts[name][-1].lower().split()) & words or name == "number"


# --- crediting ------------------------------------------------------------------------------------

def test_a_point_recovered_on_follow_up_earns_half_and_the_line_says_so(shipped):
    q = shipped.get("regularization")
    result = score_answer(q, typed("Regularization constrains complexity to improve generalisation: it adds a penalty term to the loss, "
                                   "and L2 or ridge shrinks the weights. Dropout, early stopping and data augmentation "
                                   "also help. The strength lambda is tuned on validation data."))
    move = next_follow_up(q, result)
    turn = judge_turn(q, move, typed("L1, the lasso, drives some weights exactly to zero, so it gives sparse models."))
    assert turn.recovered and turn.evidence is not None
    final = with_turns(result, [turn])
    point = final.key_points[move.index]
    assert (point.status, point.follow_up, point.credit, point.follow_up_turn) == ("missed", "recovered", 0.5, 1)
    assert final.score == result.score + round(100 * 0.5 / len(q.key_points))
    assert final.explanation.endswith(f"; 1 recovered on follow-up (half credit, +{final.score - result.score}) "
                                      f"= {final.score}.")
    assert "1 recovered on follow-up" in final.headline
    assert point not in final.missed and point in final.covered
    # stored and read back, the whole exchange is there
    again = ScoreResult.from_dict(final.to_dict())
    def kept(r):  # (confidence is stored to two places)
        return [(k.label, k.status, k.follow_up, k.credit, k.follow_up_turn, k.follow_up_evidence) for k in r.key_points]
    assert again.turns == final.turns and kept(again) == kept(final) and again.score == final.score


def test_a_wrong_claim_corrected_in_the_follow_up_is_shown_corrected():
    bank = load_bank(Path(__file__).parent / "data" / "claims" / "claims.yaml")
    q = next(q for q in bank.questions if any(k.mistakes for k in q.key_points))
    wrong = next(k for k in q.key_points if k.mistakes and k.claims)
    concepts = dict(q.concepts)
    result = score_answer(q, typed(" ".join(concepts[c][0] for c in wrong.mistakes[0].claim) + "."))
    move = next_follow_up(q, result)
    assert move.kind == CHALLENGE
    turn = judge_turn(q, move, typed(" ".join(concepts[c][0] for c in wrong.claims[0]) + "."))
    final = with_turns(result, [turn])
    point = final.key_points[move.index]
    assert (point.status, point.follow_up, point.credit) == ("incorrect", "corrected", 0.5)
    assert "1 corrected on follow-up" in final.explanation and point not in final.incorrect


def test_a_follow_up_that_misses_again_earns_nothing_and_a_skipped_one_is_kept(shipped):
    q = shipped.get("regularization")
    result = score_answer(q, typed("Regularization adds a penalty term to the loss."))
    move = next_follow_up(q, result)
    final = with_turns(result, [judge_turn(q, move, typed("I would have to look that up.")),
                                judge_turn(q, next_follow_up(q, result), None)])
    assert final.score == result.score and final.explanation == result.explanation
    assert len(final.turns) == 2 and final.turns[1].transcript is None


def test_a_probe_or_hint_that_is_not_text_or_too_long_is_refused_with_its_line(tmp_path):
    from mockinterviewer.core.bank import validate_bank
    path = tmp_path / "b.yaml"
    path.write_text("""format: 1
id: b
title: B
questions:
  - id: q
    category: fundamentals
    difficulty: easy
    question: What does dropout do?
    answer: Dropout randomly zeroes activations.
    key_points:
      - label: Zeroes random activations
        phrasings: [randomly zero]
        probe: [not, text]
        hint: %s
""" % ("x" * 2001))
    found = [(e.line, e.reason) for e in validate_bank(path)]
    assert found == [(13, "'probe' must be text"),
                     (14, "'hint' is 2,001 characters long; at most 2,000 are allowed")]


def test_a_language_models_wording_replaces_a_built_probe_only_when_it_keeps_the_point_hidden(shipped):
    from mockinterviewer.core.followups import reworded

    authored = shipped.get("regularization")
    # the bank writes its own probes; strip them so the move's wording is built (core/probes)
    q = dataclasses.replace(authored, key_points=tuple(dataclasses.replace(k, probe="", hint="")
                                                       for k in authored.key_points))
    result = score_answer(q, typed("Regularization constrains complexity to improve generalisation: it adds a "
                                   "penalty term to the loss, and L2 or ridge shrinks the weights. Dropout, early "
                                   "stopping and data augmentation also help. The strength lambda is tuned on "
                                   "validation data."))
    move = next_follow_up(q, result)  # the probe for "L1 or lasso gives sparsity"
    hidden = "Is there another kind that behaves differently, and what would it be good for?"
    assert reworded(q, move, lambda offline: hidden).text == hidden
    for gives_away in ("What does lasso do to the weights?", "Which penalty makes the weights sparse?", "", "  "):
        assert reworded(q, move, lambda offline: gives_away) == move  # the offline wording stays
    deeper = next_follow_up(q, score_answer(q, typed(q.answer)))
    assert reworded(q, deeper, lambda offline: hidden) == deeper  # the bank's own question is not reworded
    written = next_follow_up(authored, result)  # the bank's own probe for the same point
    assert written.text == authored.key_points[3].probe
    # The bank's own probe may be put in the model's words too (it stays the fallback), by the same test.
    assert reworded(authored, written, lambda offline: "Is there a second sort worth knowing?").text == \
        "Is there a second sort worth knowing?"
    assert reworded(authored, written, lambda offline: "What does lasso do?") == written


def test_a_wording_kept_from_a_language_model_is_marked_as_its_own_and_the_mark_is_stored_with_the_turn(shipped):
    from mockinterviewer.core.exchange import judge_turn
    from mockinterviewer.core.followups import reworded
    from mockinterviewer.core.turns import Turn

    authored = shipped.get("regularization")
    q = dataclasses.replace(authored, key_points=tuple(dataclasses.replace(k, probe="", hint="")
                                                       for k in authored.key_points))
    result = score_answer(q, typed("Regularization adds a penalty term to the loss, and L2 or ridge shrinks the "
                                   "weights. The strength lambda is tuned on validation data."))
    move = next_follow_up(q, result)
    hidden = "Is there another kind that behaves differently, and what would it be good for?"
    asked = reworded(q, move, lambda offline: hidden, by="llama3.2")
    assert (asked.text, asked.phrased_by) == (hidden, "llama3.2")
    for kept in ("Which penalty makes the weights sparse?", q.text, move.text):  # gives it away, or says nothing new
        assert reworded(q, move, lambda offline: kept, by="llama3.2").phrased_by == ""
    turn = judge_turn(q, asked, typed("Maybe one that sets some weights to zero."))
    again = Turn.from_dict(turn.to_dict())
    assert again.follow_up == asked and again.to_dict()["phrased_by"] == "llama3.2"
    assert Turn.from_dict({**turn.to_dict(), "phrased_by": "m" * 10_000}).follow_up.phrased_by == "m" * 200
    assert Turn.from_dict({k: v for k, v in turn.to_dict().items() if k != "phrased_by"}).follow_up.phrased_by == ""
