"""Key points judged as claims (issue 12): the issue's own example answers, negation, mistakes,
paraphrase through concepts, the score's line, evidence in the candidate's words, behavioural
structure and stored results without a status."""

from pathlib import Path

from mockinterviewer.core.bank import KeyPoint, Mistake, Question, load_bank
from mockinterviewer.core.scoring import ScoreResult, score_answer
from mockinterviewer.core.transcript import Transcript, Word

BANK = load_bank(Path(__file__).parent / "data" / "claims" / "claims.yaml")
OVERFIT = BANK.get("prevent-overfitting")
REGULARIZATION = BANK.get("regularization")
BIAS = BANK.get("bias-variance-tradeoff")
FAILED = BANK.get("failed-project")

WRONG_ADVICE = ("make the network much larger, remove dropout, and train for longer without early stopping. "
                "The validation loss does not matter, and using less data is better than data augmentation. "
                "Weight decay and L2 regularization make overfitting worse, so avoid them.")
SWAPPED = ("L2 regularisation pushes weights exactly to zero, so it does feature selection, while L1 only shrinks "
           "them smoothly")
OWN_WORDS = ("You add a cost for large weights to the quantity the optimiser minimises, so the model prefers simpler "
             "functions that carry over to new data. Squaring the weights makes them all smaller, using their "
             "absolute values pushes many of them to exactly nothing. How strong that cost should be is something "
             "you pick by checking on data held aside. Randomly switching off units and halting training early "
             "have a similar effect.")


def score(question, text):
    return score_answer(question, Transcript.typed(text))


def status(result):
    return {k.label: k.status for k in result.key_points}


def test_wrong_advice_scores_low_and_each_wrong_statement_is_named():
    result = score(OVERFIT, WRONG_ADVICE)
    assert result.score <= 10
    assert set(status(result).values()) == {"incorrect"}, status(result)
    heard = {k.label: k.evidence.text for k in result.key_points}
    assert heard["Use dropout during training"] == "remove dropout"
    assert heard["Monitor the train versus validation gap"] == "validation loss does not matter"
    assert "data augmentation" in heard["Add more or augmented data"]
    assert "worse" in heard["Regularise with L1, L2 or weight decay"]
    assert "larger" in heard["Reduce capacity or use bagging ensembles"]
    corrections = {k.label: k.correction for k in result.key_points}
    assert corrections["Reduce capacity or use bagging ensembles"] == ("A larger network memorises more noise; "
                                                                        "reduce its capacity instead.")
    assert corrections["Use dropout during training"] == "Dropout reduces overfitting; keep it during training."
    assert result.explanation == "6 stated incorrectly (0) of 6 key points = 0."
    assert not any(f.code == "off_topic" for f in result.flags)  # it is on topic, and wrong


def test_swapped_l1_and_l2_are_flagged_for_both_points():
    result = score(REGULARIZATION, SWAPPED)
    points = {k.label: k for k in result.key_points}
    l2, l1 = points["L2 or ridge shrinks weights"], points["L1 or lasso gives sparsity"]
    assert (l2.status, l1.status) == ("incorrect", "incorrect")
    assert l2.evidence.text == "L2 regularisation pushes weights exactly to zero"
    assert l1.evidence.text == "L1 only shrinks"
    assert "it is L1 that drives weights exactly to zero" in l2.correction
    assert result.score == 0


def test_a_correct_answer_in_own_words_gets_credit():
    result = score(REGULARIZATION, OWN_WORDS)
    assert result.score >= 80, status(result)
    assert not result.incorrect
    assert status(result)["L1 or lasso gives sparsity"] == "covered"


def test_the_right_claims_paired_in_one_sentence_are_not_mistaken_for_the_swap():
    result = score(REGULARIZATION, "L1 gives sparse weights and L2 shrinks them smoothly, which is why we tune "
                                   "lambda with cross validation.")
    assert not result.incorrect
    assert {k.label for k in result.key_points if k.status == "covered"} == {
        "L1 or lasso gives sparsity", "L2 or ridge shrinks weights", "Strength is a tuned hyperparameter"}


def test_a_list_of_terms_has_a_line_that_adds_up_and_quotes_what_was_typed():
    result = score(OVERFIT, "Dropout. L2. Early stopping. Data augmentation.")
    assert result.score == 13
    assert result.explanation == ("4 covered, 2 missed of 6 key points = 67; halved for a list of terms = 33; "
                                  "scaled for length (6 of 15 words) = 13.")
    regularise = next(k for k in result.key_points if k.label.startswith("Regularise"))
    assert regularise.evidence.text == "L2"


def test_spoken_evidence_quotes_the_words_as_transcribed_with_their_time():
    words = (Word("I'd", 0.0, 0.2), Word("add", 0.2, 0.4), Word("L2", 0.5, 0.9, 0.8), Word("regularisation,", 0.9, 1.6),
             Word("and", 1.6, 1.8), Word("dropout.", 1.8, 2.3))
    result = score_answer(OVERFIT, Transcript("I'd add L2 regularisation, and dropout.", words))
    regularise = next(k for k in result.key_points if k.label.startswith("Regularise"))
    assert regularise.status == "covered"
    assert (regularise.evidence.text, regularise.evidence.start) in {("L2", 0.5), ("L2 regularisation", 0.5)}
    dropout = next(k for k in result.key_points if k.label == "Use dropout during training")
    assert (dropout.evidence.text, dropout.evidence.start, dropout.evidence.end) == ("dropout", 1.8, 2.3)


def test_partly_covered_points_earn_half_and_the_line_says_so():
    result = score(BIAS, "High bias is a problem in many models, and I have read a lot about it recently, "
                         "high variance means the model overfits the training data.")
    assert status(result) == {"High bias means underfitting": "partly", "High variance means overfitting": "covered"}
    assert result.score == 75
    assert result.explanation == "1 covered, 1 partly (half) of 2 key points = 75."


def test_mistakes_and_paraphrases_through_concepts():
    wrong = score(BIAS, "High bias causes overfitting while high variance leads to underfitting, which is what "
                        "the tradeoff is about in most of the models I have trained.")
    assert set(status(wrong).values()) == {"incorrect"}
    assert wrong.key_points[0].correction == "High bias causes underfitting; overfitting comes from high variance."
    right = score(BIAS, "A model that is too rigid misses the pattern, and one that is too flexible fits the noise "
                        "in whatever sample it was trained on.")
    assert set(status(right).values()) == {"covered"} and right.score == 100


def test_negation_that_explains_or_cancels_is_not_a_wrong_statement():
    correct = score(OVERFIT, "Without early stopping, the model keeps fitting noise, and if you train for longer it "
                             "overfits. Removing dropout hurts. I use L2 so that the model does not overfit, and I "
                             "watch the validation loss. Not only dropout but also data augmentation helps.")
    assert not correct.incorrect, [(k.label, k.evidence) for k in correct.incorrect]
    assert {"Stop training early", "Use dropout during training", "Regularise with L1, L2 or weight decay",
            "Monitor the train versus validation gap", "Add more or augmented data"} <= {
        k.label for k in correct.key_points if k.status == "covered"}


def test_a_negation_word_inside_a_concept_phrase_does_not_negate():
    question = Question("accuracy", "evaluation", "easy", "When is accuracy misleading?", "On imbalanced data.", (
        KeyPoint("Accuracy misleads on imbalanced data", ("misleading",), claims=(("accuracy", "misleading"),)),),
        concepts=(("accuracy", ("accuracy",)), ("misleading", ("misleading", "not reliable", "deceptive"))))
    assert score(question, "Accuracy is not reliable when one class is rare.").key_points[0].status == "covered"
    assert score(question, "Accuracy is never misleading when one class is rare.").key_points[0].status == "incorrect"


def test_points_without_claims_still_score_on_phrasings_with_negation():
    question = Question("q", "x", "easy", "How do you prevent overfitting?", "Dropout.", (
        KeyPoint("Dropout", ("dropout",), correction="Dropout helps."), KeyPoint("Early stopping", ("early stopping",))))
    result = score(question, "I would use dropout and early stopping on the validation loss.")
    assert status(result) == {"Dropout": "covered", "Early stopping": "covered"}
    wrong = score(question, "You should never use dropout, and early stopping is useless.")
    assert status(wrong) == {"Dropout": "incorrect", "Early stopping": "incorrect"}
    assert wrong.key_points[0].correction == "Dropout helps."
    assert wrong.key_points[1].correction == "Early stopping"  # no correction given: the label says what is right


def test_behavioural_answers_are_judged_on_structure_with_a_measurable_result():
    story = ("At my last job we had a churn model that failed in production. I built a new feature pipeline and "
             "convinced the team to retrain it weekly. It cut false positives by {}. I learned to check the data "
             "first; it was my mistake not to.")
    for number in ("thirty percent", "30%"):
        result = score(FAILED, story.format(number))
        assert set(status(result).values()) == {"covered"}, (number, status(result))
        measurable = next(k for k in result.key_points if "measurable" in k.label)
        assert measurable.evidence.text.endswith(number)
    vague = score(FAILED, story.format("a lot"))
    assert status(vague)["Structure: a measurable result (a number)"] == "partly"
    assert vague.score == 90
    rambling = score(FAILED, "Machine learning projects fail for many reasons, such as bad data or unclear goals, "
                             "and it is important to be careful.")
    assert status(rambling)["Structure: a measurable result (a number)"] == "missed"
    assert status(rambling)["Structure: what you did"] == "missed"


def test_status_and_correction_survive_storage_and_old_results_still_load():
    result = score(OVERFIT, WRONG_ADVICE)
    data = result.to_dict()
    assert data["key_points"][3]["status"] == "incorrect" and data["key_points"][3]["credit"] == 0
    assert data["key_points"][3]["correction"] == "Dropout reduces overfitting; keep it during training."
    again = ScoreResult.from_dict(data)
    assert [(k.status, k.correction, k.evidence) for k in again.key_points] == [
        (k.status, k.correction, k.evidence) for k in result.key_points]
    old = score(OVERFIT, "I use dropout and early stopping, and I keep an eye on the validation loss.").to_dict()
    for k in old["key_points"]:  # a result stored before statuses existed
        del k["status"], k["correction"], k["credit"]
    loaded = ScoreResult.from_dict(old)
    assert [k.status for k in loaded.key_points] == ["covered", "missed", "missed", "covered", "covered", "missed"]
    assert [k.label for k in loaded.missed] == ["Add more or augmented data", "Regularise with L1, L2 or weight decay",
                                                 "Reduce capacity or use bagging ensembles"]


def test_mistake_model_keeps_its_correction():
    point = OVERFIT.key_points[-1]
    assert point.mistakes == (Mistake(("enlarge",), "A larger network memorises more noise; reduce its capacity instead."),)
    assert dict(OVERFIT.concepts)["train-longer"][0] == "train longer"


def test_a_point_judged_on_claims_alone_lends_its_terms_to_the_decoder_prompt():
    from mockinterviewer.speech.incremental import question_prompt

    question = Question("q", "x", "easy", "How do you prevent overfitting?", "Dropout.", (
        KeyPoint("Dropout", (), claims=(("dropout",),)),), concepts=(("dropout", ("dropout", "drop out")),))
    assert question_prompt(question) == "How do you prevent overfitting? dropout."


def test_a_claim_reaches_across_a_comma_or_so_but_not_across_a_rival_or_a_contrast():
    across = score(BIAS, "If the model is too simple, it underfits, and that shows on training and test data alike.")
    assert status(across)["High bias means underfitting"] == "covered"
    because = score(REGULARIZATION, "Regularization constrains the model, so it generalizes better to unseen data.")
    assert status(because)["Constrains complexity to generalise better"] == "covered"
    contrast = score(BIAS, "High bias is common in linear models, while underfitting is a separate issue that we "
                           "handle with more features.")
    assert status(contrast)["High bias means underfitting"] == "partly"


def test_a_missed_point_with_claims_alone_says_how_it_could_be_stated():
    question = Question("q", "x", "easy", "Explain bias.", "High bias underfits.", (
        KeyPoint("High bias means underfitting", (), claims=(("high-bias", "underfitting"),)),),
        concepts=(("high-bias", ("high bias", "too simple")), ("underfitting", ("underfitting",))))
    missed = score(question, "I would deploy it with Docker and Kubernetes behind a load balancer.").key_points[0]
    assert (missed.status, missed.reference) == ("missed", "“high bias” with “underfitting”")


def test_double_negatives_and_harmless_harms_are_not_wrong_statements():
    result = score(OVERFIT, "Don't forget dropout between the layers. More data never hurts, and it doesn't hurt to "
                            "add weight decay either.")
    assert not result.incorrect, [(k.label, k.evidence) for k in result.incorrect]
    assert {"Use dropout during training", "Add more or augmented data", "Regularise with L1, L2 or weight decay"} <= {
        k.label for k in result.key_points if k.status == "covered"}
    ignored = score(OVERFIT, "Just ignore the validation loss and forget about dropout, they only slow you down.")
    assert {k.label for k in ignored.incorrect} == {"Monitor the train versus validation gap",
                                                   "Use dropout during training"}


def test_the_standard_of_a_comparison_is_not_negated():
    result = score(OVERFIT, "Don't train for longer than the validation loss keeps improving, then stop early.")
    assert not result.incorrect, [(k.label, k.evidence) for k in result.incorrect]
    assert status(result)["Monitor the train versus validation gap"] == "covered"


def test_advice_against_a_point_is_a_wrong_statement_but_a_fact_about_it_is_not():
    against = score(OVERFIT, "Dropout should not be used, it only slows training down.")
    assert status(against)["Use dropout during training"] == "incorrect"
    fact = score(OVERFIT, "Dropout is not used at inference time, only while training.")
    assert status(fact)["Use dropout during training"] == "covered"
