"""The evaluation's metrics (bench/eval_scoring.py) compute what docs/scoring.md says they do.

A hand-made case, a small evaluation file and made-up results whose figures were counted by hand,
pins every metric; the typed evaluation then runs for real on a subset of the set.
"""

from pathlib import Path
from types import SimpleNamespace

import pytest

from bench import eval_scoring as ev

REG = "regularization"
R = ["Constrains complexity to generalise better", "Adds a penalty term to the loss", "L2 or ridge shrinks weights",
     "L1 or lasso gives sparsity", "Strength is a tuned hyperparameter", "Dropout, early stopping and augmentation"]

EVAL_FILE = f"""
questions:
  - id: {REG}
    answers:
      - level: complete
        text: a
        covers: ["{R[0]}", "{R[1]}", "{R[2]}"]
      - level: misconception
        text: b
        incorrect: ["{R[2]}", "{R[3]}"]
      - level: partial
        text: c
        covers: ["{R[1]}"]
      - level: paraphrased
        text: d
        covers: ["{R[0]}"]
      - level: paraphrased_2
        text: e
        covers: ["{R[0]}"]
      - level: off_topic
        text: f
        covers: []
"""


def result(score, **statuses):
    """A made-up score result: key points R[i] given as p0..p5 with a status; those left out are
    missed."""
    points = [SimpleNamespace(label=label, covered=statuses.get(f"p{i}", "missed") in ("covered", "partly"),
                              status=statuses.get(f"p{i}", "missed")) for i, label in enumerate(R)]
    return SimpleNamespace(score=score, key_points=points)


@pytest.fixture
def hand_made(tmp_path, shipped_bank):
    path = tmp_path / "answers.yaml"
    path.write_text(EVAL_FILE)
    answers = {a.level: a for a in ev.load_eval_set(shipped_bank, path)}
    results = {
        "complete": result(80, p0="covered", p1="partly", p3="covered", p2="incorrect"),
        "misconception": result(30, p2="incorrect", p3="covered", p4="incorrect"),
        "partial": result(40, p1="covered"),
        "paraphrased": result(55, p0="covered"),
        "paraphrased_2": result(40, p0="partly"),
        "off_topic": result(25),
    }
    return [ev.outcome_of(answers[level], r) for level, r in results.items()]


def test_key_point_metrics_on_a_hand_made_case(hand_made):
    m = ev.level_metrics(hand_made)
    complete = m["complete"]
    # strict: {p0, p3} against {p0, p1, p2}; lenient adds the partly p1
    assert (complete.strict.tp, complete.strict.fp, complete.strict.fn) == (1, 1, 2)
    assert complete.strict.precision == pytest.approx(1 / 2) and complete.strict.recall == pytest.approx(1 / 3)
    assert complete.lenient.precision == pytest.approx(2 / 3) and complete.lenient.recall == pytest.approx(2 / 3)
    # p2 was labelled covered and flagged incorrect: a false flag on a correct point
    assert (complete.false_flags, complete.not_wrong, complete.false_flags_on_covered,
            complete.labelled_covered, complete.answers_falsely_flagged) == (1, 6, 1, 3, 1)
    mis = m["misconception"]
    # labelled wrong: p2 (flagged) and p3 (credited); p4 flagged though not labelled wrong
    assert (mis.wrong, mis.wrong_flagged, mis.wrong_credited) == (2, 1, 1)
    assert (mis.false_flags, mis.not_wrong, mis.false_flags_on_covered) == (1, 4, 0)
    assert mis.strict.fp == 1 and mis.strict.precision == 0.0
    # paraphrased_2 said p0 only partly: a miss when strict, a hit when lenient
    assert m["paraphrased_2"].strict.recall == 0.0 and m["paraphrased_2"].lenient.recall == 1.0
    total = m["all"]
    assert total.answers == 6 and total.wrong == 2 and total.false_flags == 2
    assert (total.strict.tp, total.strict.fp, total.strict.fn) == (3, 2, 3)  # fn: p1, p2; paraphrased_2 p0


def test_score_checks_per_question_on_a_hand_made_case(hand_made):
    checks = ev.question_checks(hand_made)[REG]
    assert checks == {
        "paraphrased ≥ 50, > partial": True,              # 55 ≥ 50 and 55 > 40
        "paraphrased_2 ≥ 50, > partial": False,           # 40
        "misconception ≤ 35, ≥ 30 below complete": True,  # 30, and 80 - 30 = 50
        "complete ≥ 60": True,
        "off-topic ≤ 20": False,                          # 25
        "complete > partial > off-topic": True,
        "all": False,
    }
    report = ev.report({"typed": hand_made}, [REG], [])
    assert "| typed, half A | 1/1 | 0/1 | 1/1 | 1/1 | 0/1 | 1/1 | 0/1 |" in report
    assert ("| misconception | 1 | 0.00 / 0.00 | 1.00 / 1.00 | 1/2 (50 %) | 1/2 (50 %) | 1/4 (25 %) | 0/0 | 1/1 |"
            in report)
    assert "| complete | 1 | 0.50 / 0.67 | 0.33 / 0.67 | – | – | 1/6 (17 %) | 1/3 | 1/1 |" in report


def test_pooled_conditions_get_key_point_tables_but_no_score_checks(hand_made):
    """Scores of one answer heard by two voices cannot be checked as one question's scores."""
    with pytest.raises(ValueError, match="two scores"):
        ev.question_checks(hand_made + hand_made)
    report = ev.report({"typed": hand_made, "voice|clean": hand_made}, [REG], [],
                       aggregates={"all audio": hand_made + hand_made})
    assert "### all audio, half A: key points per level" in report
    assert "| all audio, half A |" not in report and "| voice|clean, half A | 1/1 |" in report
    assert "| complete | 80 (80–80) | 80 (80–80) |" in report  # typed and all audio columns


def test_results_without_a_status_count_covered_or_missed(shipped_bank, tmp_path):
    """Before issue 12 a key-point result has only ``covered``."""
    old = [SimpleNamespace(label=label, covered=i == 0) for i, label in enumerate(R)]
    assert [ev.point_status(p) for p in old] == ["covered"] + ["missed"] * 5
    with pytest.raises(ValueError):
        ev.point_status(SimpleNamespace(label="x", covered=True, status="maybe"))


def test_thresholds_are_chosen_on_one_half_and_reported_on_the_other(shipped_bank):
    """Value "a" makes every check pass on half A's question and fail on half B's; "b" the reverse.
    Chosen on A, "a" must be reported on B, with B's (failing) figures: nothing leaks across."""
    qa, qb = "bias-variance-tradeoff", "regularization"
    good = {"complete": 90, "partial": 40, "paraphrased": 60, "paraphrased_2": 60, "misconception": 10, "off_topic": 0}
    bad = {**good, "misconception": 80}

    def outcomes_for(value):
        return [ev.Outcome(ev.Answer(q, level, "", frozenset()), scores[level], {})
                for q, scores in ((qa, good if value == ("a",) else bad), (qb, bad if value == ("a",) else good))
                for level in scores]

    chosen = ev.split_half_tune([("a",), ("b",)], outcomes_for, [qa], [qb])
    assert [(r.chosen_on, r.value, r.reported_on) for r in chosen] == [("A", ("a",), "B"), ("B", ("b",), "A")]
    for r, other in zip(chosen, (qb, qa)):
        assert {o.answer.question_id for o in r.outcomes} == {other}
        assert ev.question_checks(r.outcomes)[other]["all"] is False


def test_halves_are_fixed_and_alternate():
    a, b = ev.halves(["d", "b", "a", "c", "e", "b"])
    assert (a, b) == (("a", "c", "e"), ("b", "d"))


@pytest.mark.parametrize("entry, problem", [
    ('level: misconception\n        text: x\n        incorrect: ["No such point"]', "no key point labelled"),
    (f'level: partial\n        text: x\n        covers: ["{R[0]}"]\n        incorrect: ["{R[0]}"]',
     "labelled both covered and incorrect"),
    ("level: brilliant\n        text: x", "unknown level"),
])
def test_a_bad_label_is_named(tmp_path, shipped_bank, entry, problem):
    path = tmp_path / "answers.yaml"
    path.write_text(f"questions:\n  - id: {REG}\n    answers:\n      - {entry}\n")
    with pytest.raises(SystemExit, match=problem):
        ev.load_eval_set(shipped_bank, path)


def test_the_evaluation_set_has_every_level_labelled(shipped_bank):
    answers = ev.load_eval_set(shipped_bank)
    by_question = {}
    for a in answers:
        by_question.setdefault(a.question_id, []).append(a.level)
    assert len(by_question) == 24
    for q, levels in by_question.items():
        assert sorted(levels) == sorted(ev.LEVELS), q
    for a in answers:
        if a.level in ev.CORRECT_LEVELS or a.level == "off_topic":
            assert not a.incorrect, (a.question_id, a.level)
        if a.level == "misconception":
            assert len(a.incorrect) >= 2, a.question_id  # states several facts wrongly
        if a.level == "paraphrased_2":
            assert len(a.covers) >= 3, a.question_id


def test_typed_evaluation_runs_on_a_subset(tmp_path):
    out = tmp_path / "eval.md"
    conditions = ev.main(["--typed-only", "--questions", "3", "--markdown", str(out)])  # both halves
    typed = conditions["typed"]
    assert len(typed) == 3 * len(ev.LEVELS)
    assert {o.answer.level for o in typed} == set(ev.LEVELS)
    text = out.read_text()
    assert "### typed, half A: key points per level" in text and "### typed, half B: key points per level" in text
    # The figures in the file are the ones the metric code gives for these outcomes.
    m = ev.level_metrics(typed)["complete"]
    assert f"| complete | 3 | {m.strict.precision:.2f} / {m.lenient.precision:.2f} |" in text


def test_saved_transcripts_are_scored_again_as_heard(tmp_path, shipped_bank):
    """--rescore scores what an earlier audio run heard: the words and their times as saved."""
    from mockinterviewer.core.scoring import score_answer
    from mockinterviewer.core.transcript import Transcript, Word

    answers = [a for a in ev.load_eval_set(shipped_bank) if a.question_id == REG]
    heard = {}
    for a in answers:  # "heard" with one slip per answer, and word times half a second apart
        text = a.text.replace("penalty", "pen alty")
        words = tuple(Word(w, i / 2, i / 2 + 0.4, 0.9) for i, w in enumerate(text.split()))
        heard.setdefault("voice|clean", []).append((a, Transcript(text, words, len(words) / 2, "tiny.en")))
    saved = tmp_path / "heard.json"
    ev.save_transcripts(saved, heard)
    assert ev.load_transcripts(saved, answers) == heard
    conditions = ev.main(["--rescore", str(saved), "--questions", "3", "--markdown", str(tmp_path / "r.md")])
    rescored = {o.answer.level: o.score for o in conditions["voice|clean"]}
    assert rescored == {a.level: score_answer(shipped_bank.get(REG), t).score for a, t in heard["voice|clean"]}
    assert len(conditions["typed"]) == 3 * len(ev.LEVELS)  # the typed answers are scored beside them
    assert "| voice|clean, half A |" in (tmp_path / "r.md").read_text()


def test_a_bad_tune_argument_is_one_sentence(capsys):
    with pytest.raises(SystemExit) as exit_:
        ev.main(["--typed-only", "--tune", "mockinterviewer.core.scoring.NO_SUCH=1,2"])
    assert exit_.value.code == 2
    assert "mockinterviewer.core.scoring has no NO_SUCH" in capsys.readouterr().err


def test_a_tuned_value_is_set_while_scoring_and_restored_after():
    """--tune sets a module constant for one scoring run only, even when that run fails."""
    module = SimpleNamespace(LIMIT=85)
    seen = ev.with_values([(module, "LIMIT")], (99,), lambda: [module.LIMIT])
    assert seen == [99] and module.LIMIT == 85
    with pytest.raises(ZeroDivisionError):
        ev.with_values([(module, "LIMIT")], (0,), lambda: [1 / module.LIMIT])
    assert module.LIMIT == 85


def test_a_tuned_value_is_not_hidden_by_what_scoring_worked_out_once_per_question(shipped_bank):
    from mockinterviewer.core import scoring

    question = shipped_bank.get(REG)
    scoring._prepared(question)  # worked out once, with today's values
    seen = ev.with_values([(scoring, "VERY_SHORT_WORDS")], (scoring.VERY_SHORT_WORDS,),
                          lambda: scoring._prepared.cache_info().currsize)
    assert seen == 0  # worked out again with the value being tried
