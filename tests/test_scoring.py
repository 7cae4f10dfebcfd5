from pathlib import Path

from mockinterviewer.core.bank import load_bank
from mockinterviewer.core.scoring import score_answer
from mockinterviewer.core.textnorm import normalise
from mockinterviewer.core.transcript import Transcript, Word

BANK = load_bank(Path(__file__).parent / "data" / "mini.yaml")
BIAS = BANK.get("bias-variance-tradeoff")
OVERFIT = BANK.get("prevent-overfitting")


def score(question, text):
    return score_answer(question, Transcript.typed(text))


def test_normalise_meets_whisper_and_bank_spellings():
    assert normalise("L2 regularization") == normalise("l 2 regularization") == "l two regularization"
    assert normalise("Cross-Validation") == "cross validation"
    assert normalise("A/B test") == normalise("AB test")
    assert normalise("A.U.C.") == normalise("AUC") == "auc"
    assert normalise("10.5% of 1,000") == "ten point five percent of one thousand"


def test_complete_answer_beats_partial_beats_off_topic():
    complete = score(BIAS, "High bias means the model underfits because it is too simple; high variance "
                           "means it overfits. It is a tradeoff with model complexity, and I check it with "
                           "cross validation.")
    partial = score(BIAS, "High variance is when the model overfits the training data.")
    off_topic = score(BIAS, "I would deploy the service with Docker and Kubernetes behind a load balancer.")
    assert complete.score == 100
    assert 0 < partial.score < complete.score
    assert off_topic.score == 0
    assert [k.label for k in partial.covered] == ["High variance means overfitting"]


def test_transcription_slips_still_count():
    # Whisper writes British or American spellings, splits or hyphenates compounds.
    result = score(OVERFIT, "Regularisation, drop-out, and early-stopping.")
    assert all(k.covered for k in result.key_points)


def test_short_terms_must_match_exactly():
    # "L1" is a different technique from "L2"; neither may stand in for "dropout".
    result = score(BANK.get("prevent-overfitting"), "I'd use a bigger GPU and L3 cache.")
    assert not result.key_points[0].covered


def test_empty_answer_scores_zero():
    assert score(BIAS, "").score == 0


def test_evidence_carries_word_times():
    words = (Word("So", 0.0, 0.2), Word("we", 0.2, 0.4), Word("use", 0.4, 0.6), Word("early", 1.0, 1.4),
             Word("stopping.", 1.4, 2.0))
    result = score_answer(OVERFIT, Transcript("So we use early stopping.", words))
    early = next(k for k in result.key_points if k.label == "Early stopping")
    assert early.covered
    assert (early.evidence.start, early.evidence.end) == (1.0, 2.0)


def test_a_word_is_not_the_tail_or_stem_of_another():
    from mockinterviewer.core.bank import KeyPoint, Question

    question = Question("q", "x", "easy", "Q?", "A.", (
        KeyPoint("Feature sampling", ("max features",)),
        KeyPoint("Nonlinear methods", ("nonlinear",)),
        KeyPoint("Invariance", ("invariance",)),
    ))
    result = score(question, "Linear models use features and have high variance.")
    assert result.score == 0, [k.evidence for k in result.covered]
    assert all(k.covered for k in score(question, "Set max_features, use non-linear kernels, learn invariances.").key_points)


def test_a_list_of_terms_gets_half_credit_and_is_told_why():
    listed = score(OVERFIT, "Dropout. L2. Early stopping.")
    explained = score(OVERFIT, "I would add dropout so the network cannot rely on single units, use L2 weight decay "
                               "to keep the weights small, and stop early when the validation loss starts rising.")
    assert explained.score == 100 and not explained.flags
    assert listed.score <= 15  # 100, halved for listing terms, scaled by 4 words of 15
    assert [f.code for f in listed.flags] == ["very_short", "term_list"]
    assert listed.explanation == ("3 covered of 3 key points = 100; halved for a list of terms = 50; "
                                  "scaled for length (4 of 15 words) = 13.")
    long_list = score(OVERFIT, "Dropout, L2 regularization, weight decay, early stopping, data augmentation, "
                               "batch normalization, smaller networks, more data, cross validation, ensembles.")
    assert long_list.score == 50 and [f.code for f in long_list.flags] == ["term_list"]


def test_empty_short_and_off_topic_answers_say_why():
    assert [f.code for f in score(BIAS, "").flags] == ["empty"]
    short = score(OVERFIT, "I would use dropout.")
    assert short.score <= 10 and [f.code for f in short.flags] == ["very_short"]
    off = score(BIAS, "I would deploy the service with Docker and Kubernetes behind a load balancer and monitor it.")
    assert off.score == 0 and [f.code for f in off.flags] == ["off_topic"]
    assert "may not address the question" in off.flags[0].message


def test_explanation_and_reference_phrasing_for_missed_points():
    result = score(BIAS, "High variance means the model overfits the training data, and adding capacity makes that worse.")
    assert result.explanation == "1 covered, 3 missed of 4 key points = 25."
    missed = {k.label: k.reference for k in result.missed}
    assert missed["High bias means underfitting"] == "“high bias”, “underfitting”, “underfit”"


def test_confidence_reflects_how_sure_whisper_was():
    sure = (Word("dropout", 0.0, 0.5, 0.95),)
    unsure = (Word("dropout", 0.0, 0.5, 0.40),)
    high = score_answer(OVERFIT, Transcript("dropout", sure)).key_points[1]
    low = score_answer(OVERFIT, Transcript("dropout", unsure)).key_points[1]
    assert high.covered and low.covered and high.confidence == 0.95 and low.confidence == 0.4


def test_other_endings_of_the_same_word_count_but_not_a_different_last_word():
    from mockinterviewer.core.bank import KeyPoint, Question

    question = Question("q", "x", "easy", "Q?", "A.", (
        KeyPoint("Actual class", ("actual class",)),
        KeyPoint("Attention heads", ("attention heads",)),
    ))
    result = score(question, "Rows are the actual classes, and attention has a cost that grows with length.")
    assert [k.covered for k in result.key_points] == [True, False]
