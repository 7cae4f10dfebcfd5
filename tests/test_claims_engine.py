"""Engine fixes of the claims judge (issue 12 follow-up): each case a candidate could say, scored
by the app's own scorer on a small hand-made question."""

from mockinterviewer.core.bank import KeyPoint, Mistake, Question
from mockinterviewer.core.scoring import score_answer
from mockinterviewer.core.transcript import Transcript


def score(question, text):
    return score_answer(question, Transcript.typed(text))


def status(result):
    return {k.label: k.status for k in result.key_points}


FOREST = Question(
    "forest", "classical-ml", "medium", "Compare random forests and gradient boosting.", "…", (
        KeyPoint("Forests do not overfit with more trees", ("more trees",),
                 claims=(("rf", "no-overfit"),),
                 mistakes=(Mistake(("more-trees-overfit",), "More trees do not make a forest overfit."),)),
        KeyPoint("Random forest is bagging in parallel", ("bagging",), claims=(("rf", "parallel"),),
                 mistakes=(Mistake(("rf", "sequential"), "A forest trains its trees in parallel."),)),
        KeyPoint("Boosting adds trees sequentially", ("sequentially",), claims=(("gb", "sequential"),),
                 mistakes=(Mistake(("gb", "parallel"), "Boosting trains its trees one after another."),)),
        KeyPoint("Averaging reduces variance", ("averaging",), claims=(("averaging", "variance"),)),
    ),
    concepts=(("rf", ("random forest", "random forests", "bagging")),
              ("gb", ("gradient boosting", "boosting")),
              ("parallel", ("in parallel", "independently")),
              ("sequential", ("sequentially", "one after another")),
              ("averaging", ("average", "averages", "averaging")), ("variance", ("variance",)),
              ("no-overfit", ("does not overfit", "doesn't overfit")),
              ("more-trees-overfit", ("more trees overfit", "adding trees overfits"))))


def test_a_negation_word_is_never_the_one_word_a_phrase_may_skip():
    # "more trees don't overfit" is one word longer than the mistake "more trees overfit": a
    # window with a negation added says the opposite, it is not a slip.
    result = score(FOREST, "With a random forest, more trees don't overfit, they only cost time.")
    assert status(result)["Forests do not overfit with more trees"] != "incorrect"
    wrong = score(FOREST, "Be careful with a random forest, because more trees overfit the training data.")
    assert status(wrong)["Forests do not overfit with more trees"] == "incorrect"


LEARNING = Question(
    "kinds", "fundamentals", "easy", "Supervised versus unsupervised learning?", "…", (
        KeyPoint("Supervised learning uses labels", (), claims=(("supervised", "labels"),)),
        KeyPoint("Self-attention relates the tokens of one sequence", (), claims=(("self-attention",),)),
        KeyPoint("Encoder-only models such as BERT", (), claims=(("encoder-only",),)),
        KeyPoint("Mean imputation fills the gaps", (), claims=(("mean-imputation",),)),
        KeyPoint("Analyse the errors", (), claims=(("analyse",),)),
    ),
    concepts=(("supervised", ("supervised learning",)), ("labels", ("labels", "labelled")),
              ("self-attention", ("self attention",)), ("encoder-only", ("encoder only",)),
              ("mean-imputation", ("mean imputation",)), ("analyse", ("analyse the errors",))))


def test_near_spellings_that_mean_something_else_do_not_match():
    result = score(LEARNING, "Unsupervised learning has no labels at all. The decoder only model uses cross "
                             "attention, and median imputation fills the gaps.")
    assert status(result) == {"Supervised learning uses labels": "missed",
                              "Self-attention relates the tokens of one sequence": "missed",
                              "Encoder-only models such as BERT": "missed",
                              "Mean imputation fills the gaps": "missed",
                              "Analyse the errors": "missed"}, status(result)
    # a slip of one letter, a plural, a compound written apart still match
    slips = score(LEARNING, "Supervised learning needs labels. Self-attention and an encoder-only model, "
                            "mean imputations, and then I analyze the errors.")
    assert set(status(slips).values()) == {"covered"}, status(slips)


FIT = Question(
    "fit", "fundamentals", "easy", "What is underfitting?", "…", (
        KeyPoint("Underfitting is a model too simple to fit the training data", (),
                 claims=(("underfitting", "too-simple"),),
                 mistakes=(Mistake(("underfitting", "memorises"), "Underfitting is a model too simple; "
                                                                  "memorising the training data is overfitting."),)),
    ),
    concepts=(("underfitting", ("underfitting", "underfits")),
              ("too-simple", ("too simple", "too rigid")),
              ("memorises", ("memorises the training data", "memorizes the training data"))))


def test_x_is_when_y_is_a_definition_that_is_judged():
    wrong = score(FIT, "Underfitting is when the model memorises the training data, noise included.")
    assert status(wrong) == {"Underfitting is a model too simple to fit the training data": "incorrect"}
    right = score(FIT, "Underfitting is when the model is too simple for the data.")
    assert status(right) == {"Underfitting is a model too simple to fit the training data": "covered"}
    # a real condition still asserts nothing wrong
    condition = score(FIT, "When the model memorises the training data, you then see underfitting on a harder task.")
    assert status(condition)["Underfitting is a model too simple to fit the training data"] != "incorrect"


def test_coordinated_clauses_with_their_own_subject_pair_each_subject_with_its_own_verb():
    # The first half states no whole claim ("average" goes with "variance"), yet the forest is
    # its subject: boosting, said after "and", has its own verb.
    averaged = score(FOREST, "Random forests average many deep trees and boosting builds its trees sequentially.")
    assert status(averaged)["Random forest is bagging in parallel"] != "incorrect", status(averaged)
    assert status(averaged)["Boosting adds trees sequentially"] == "covered"
    # Both halves right: nothing is paired across the "and" into the swapped mistakes.
    right = score(FOREST, "A random forest trains its trees in parallel and gradient boosting sequentially.")
    assert status(right)["Random forest is bagging in parallel"] == "covered"
    assert status(right)["Boosting adds trees sequentially"] == "covered"
    # Both halves swapped: each is flagged.
    swapped = score(FOREST, "A random forest trains its trees sequentially, and boosting in parallel.")
    assert status(swapped)["Random forest is bagging in parallel"] == "incorrect"
    assert status(swapped)["Boosting adds trees sequentially"] == "incorrect"
    # Two subjects sharing one verb are not split: "forests and boosting" is one subject.
    shared = score(FOREST, "Bagging and boosting both build many trees, bagging in parallel.")
    assert status(shared)["Random forest is bagging in parallel"] == "covered"


def test_repeating_the_questions_terms_earns_no_partial_credit():
    # "Compare random forests and gradient boosting": naming them again says nothing about any point.
    echo = score(FOREST, "Random forests and gradient boosting are both popular, and I have used random forests "
                         "and gradient boosting a lot in my projects at work.")
    assert echo.score == 0, status(echo)
    assert set(status(echo).values()) == {"missed"}
    # a concept that belongs to one point alone is part of that point's claim: partly
    part = score(FOREST, "In one of them the trees are all trained in parallel, which makes it fast at work.")
    assert status(part)["Random forest is bagging in parallel"] == "partly"
    assert part.score > 0


ENSEMBLE = Question(
    "ensemble", "classical-ml", "medium", "Why do random forests work?", "…", (
        KeyPoint("Averaging reduces variance", (), claims=(("averaging", "reduces-variance"),),
                 correction="Averaging many decorrelated trees reduces variance."),
        KeyPoint("A smaller learning rate needs more rounds", (), claims=(("small-lr", "more-rounds"),)),
    ),
    concepts=(("averaging", ("averaging", "averages", "the average")),
              ("reduces-variance", ("reduces variance", "reduces the variance", "lower variance")),
              ("small-lr", ("smaller learning rate", "lower learning rate")),
              ("more-rounds", ("more rounds", "more trees"))))


def test_a_relation_stated_with_its_direction_reversed_is_stated_incorrectly():
    wrong = score(ENSEMBLE, "Averaging the trees increases the variance, and a higher learning rate needs more "
                            "rounds to converge.")
    assert status(wrong) == {"Averaging reduces variance": "incorrect",
                             "A smaller learning rate needs more rounds": "incorrect"}, status(wrong)
    assert wrong.incorrect[0].correction == "Averaging many decorrelated trees reduces variance."
    right = score(ENSEMBLE, "Averaging reduces the variance, and a smaller learning rate needs more rounds.")
    assert set(status(right).values()) == {"covered"}, status(right)
    # the reversed direction denied is no wrong statement
    denied = score(ENSEMBLE, "Averaging never increases the variance of the forest.")
    assert status(denied)["Averaging reduces variance"] != "incorrect"


def test_more_ways_of_advising_against_a_point_are_wrong_statements():
    from pathlib import Path

    from mockinterviewer.core.bank import load_bank

    overfit = load_bank(Path(__file__).parent / "data" / "claims" / "claims.yaml").get("prevent-overfitting")
    for text in ("I wouldn't use dropout in a network like that.", "Dropout only wastes time in my experience.",
                 "Adding dropout is bad practice for small networks.", "Dropout only confuses the network."):
        assert status(score(overfit, text))["Use dropout during training"] == "incorrect", text
    assert status(score(overfit, "I would use dropout, it never wastes much time."))[
        "Use dropout during training"] == "covered"


def test_very_little_of_something_is_said_against_it():
    tuning = Question("gb", "classical-ml", "medium", "Compare random forests and gradient boosting.", "…", (
        KeyPoint("Boosting needs tuning", (), claims=(("gb", "tuning"),)),),
        concepts=(("gb", ("gradient boosting", "boosting")), ("tuning", ("tuning", "tune"))))
    assert status(score(tuning, "Boosting needs very little tuning, the defaults are fine."))[
        "Boosting needs tuning"] == "incorrect"
    assert status(score(tuning, "Boosting needs a little tuning of the learning rate and depth."))[
        "Boosting needs tuning"] == "covered"
    assert status(score(tuning, "With little data boosting still needs tuning of its depth."))[
        "Boosting needs tuning"] == "covered"


def test_a_point_whose_label_goes_one_way_is_incorrect_when_its_claim_is_heard_going_the_other():
    vocab = Question("oov", "nlp", "medium", "How do you handle out-of-vocabulary words?", "…", (
        KeyPoint("Normalise text to shrink the vocabulary", (), claims=(("normalise",),),
                 correction="Lowercasing and stemming shrink the vocabulary, so fewer words are unknown."),),
        concepts=(("normalise", ("lowercasing", "stemming", "lemmatisation")),))
    wrong = score(vocab, "Lowercasing and stemming actually make the vocabulary bigger.")
    assert status(wrong) == {"Normalise text to shrink the vocabulary": "incorrect"}
    assert wrong.incorrect[0].correction.startswith("Lowercasing and stemming shrink")
    for text in ("Lowercasing and stemming make the vocabulary smaller.", "I apply lowercasing and stemming first.",
                 "Lowercasing makes the model more robust to typos.",
                 "If the vocabulary grows too large, stemming helps."):
        assert status(score(vocab, text)) == {"Normalise text to shrink the vocabulary": "covered"}, text


def test_a_story_outcome_going_either_way_is_a_result():
    # "lower" must not be read as the reverse of the outcome "faster" ("slower"): any change is a result.
    story = Question("story", "behavioural", "medium", "Tell me about a project.", "…",
                     (KeyPoint("Owns the work", ("i built",)),))
    result = score(story, "At my last job the checkout page was slow. I rewrote the cache layer and we got "
                          "lower latency, forty percent faster pages. I learned to measure first.")
    assert status(result)["Structure: a measurable result (a number)"] == "covered", status(result)
