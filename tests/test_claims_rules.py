"""Rules of the claims judge added for issue 12's wrong statements and paraphrases: each case a
sentence a candidate could say, scored by the app's own scorer, and the verdict they would see."""

from mockinterviewer.core.bank import KeyPoint, Mistake, Question
from mockinterviewer.core.scoring import score_answer
from mockinterviewer.core.transcript import Transcript


def verdicts(question, text):
    return {k.label: k.status for k in score_answer(question, Transcript.typed(text)).key_points}


MONITORING = Question(
    "monitor", "mlops", "medium", "How do you monitor a model in production?", "…", (
        KeyPoint("Retrain and roll out safely", (), claims=(("retrain",), ("rollout",))),
        KeyPoint("Typical transforms", (), claims=(("transforms",),)),
    ),
    concepts=(("retrain", ("retrain", "retraining")), ("rollout", ("roll back", "canary", "shadow")),
              ("transforms", ("flip", "flips", "rotations", "crops"))))


def test_a_point_mostly_taken_back_is_stated_incorrectly():
    said = verdicts(MONITORING, "You should never retrain a model in production; if it degrades, you roll back "
                                "to the first version.")
    assert said["Retrain and roll out safely"] == "incorrect"
    right = verdicts(MONITORING, "Retrain on fresh data and roll it out behind a canary, never retrain blindly.")
    assert right["Retrain and roll out safely"] == "covered"


def test_a_caveat_among_several_positive_mentions_stays_covered():
    said = verdicts(MONITORING, "Use random crops, horizontal flips and small rotations; for digits, for "
                                "example, you wouldn't flip.")
    assert said["Typical transforms"] == "covered"


TOKENS = Question(
    "oov", "nlp", "medium", "How do you handle out-of-vocabulary words?", "…", (
        KeyPoint("Subword tokenisation such as BPE", (), claims=(("subword",),)),
        KeyPoint("Character-level models", (), claims=(("char",),)),
        KeyPoint("Prevents overfitting", (), claims=(("generalisation",),)),
        KeyPoint("Avoid training-serving skew", (), claims=(("skew",),)),
    ),
    concepts=(("subword", ("subword", "bpe")), ("char", ("character level", "characters")),
              ("generalisation", ("unseen data", "new data")),
              ("skew", ("training serving skew", "same feature code"))))


def test_cant_help_denies_what_came_before():
    said = verdicts(TOKENS, "Character level models can't help either, since single characters carry no meaning.")
    assert said["Character-level models"] == "incorrect"


def test_avoiding_a_problem_or_a_harm_is_no_negation():
    said = verdicts(TOKENS, "Modern models mostly avoid the problem with subword tokenization. To avoid "
                            "training serving skew, share the same feature code in both places, and there "
                            "is no training serving skew left.")
    assert said["Subword tokenisation such as BPE"] == "covered"
    assert said["Avoid training-serving skew"] == "covered"


def test_worse_on_some_data_says_where_it_does_badly_not_that_it_is_bad():
    said = verdicts(TOKENS, "Past that point it gets better on the training data but worse on unseen data.")
    assert said["Prevents overfitting"] != "incorrect"
    wrong = verdicts(TOKENS, "Subword tokenisation makes things worse, so I would use whole words.")
    assert wrong["Subword tokenisation such as BPE"] == "incorrect"


def test_not_always_is_a_hedge_not_a_denial():
    said = verdicts(TOKENS, "You don't always need subword tokenization; for a small closed domain words do.")
    assert said["Subword tokenisation such as BPE"] == "covered"


VISION = Question(
    "cnn", "computer-vision", "medium", "How would you build an image classifier?", "…", (
        KeyPoint("Convolution blocks", (), claims=(("conv",),)),
        KeyPoint("Prediction drift", (), claims=(("pred-drift",),)),
        KeyPoint("Residual connections for depth", (), claims=(("residual",),)),
    ),
    concepts=(("conv", ("convolution", "convolution layers", "convolutions")),
              ("pred-drift", ("distribution of predictions", "prediction drift")),
              ("residual", ("residual connections", "skip connections"))))


def test_saying_something_is_worthless_or_only_for_a_corner_case_is_stated_incorrectly():
    said = verdicts(VISION, "Convolution layers are only needed for video. Looking at the distribution of "
                            "predictions tells you nothing. Residual connections make deep networks harder to "
                            "train.")
    assert set(said.values()) == {"incorrect"}
    right = verdicts(VISION, "Stack convolution layers, add residual connections so deep networks train, and "
                             "watch the distribution of predictions in production.")
    assert set(said) == set(right) and set(right.values()) == {"covered"}


STOPPING = Question(
    "stop", "deep-learning", "easy", "What is the purpose of early stopping?", "…", (
        KeyPoint("Saves compute and training time", (), claims=(("saves",),)),
    ),
    concepts=(("saves", ("gpu hours", "gpu time", "saves compute")),))


def test_not_wasting_something_is_saving_it():
    said = verdicts(STOPPING, "A side benefit is that you don't burn hours of GPU time on passes that "
                              "achieve nothing.")
    assert said["Saves compute and training time"] == "covered"


def test_a_relative_clause_that_does_not_help_describes_its_noun():
    said = verdicts(STOPPING, "Stopping there gives you back the GPU hours of epochs that don't help.")
    assert said["Saves compute and training time"] == "covered"
    wrong = verdicts(STOPPING, "The GPU hours it saves don't matter at all.")
    assert wrong["Saves compute and training time"] == "incorrect"


MISSING = Question(
    "gaps", "data", "medium", "How do you handle missing values?", "…", (
        KeyPoint("Drop when little is missing at random", (), claims=(("drop",),)),
    ),
    concepts=(("drop", ("dropping rows", "drop rows")),))


def test_never_acceptable_or_never_a_good_idea_denies_what_came_before():
    for text in ("Dropping rows is never acceptable, even if only a handful have a gap.",
                 "Dropping rows is never a good idea though."):
        assert verdicts(MISSING, text)["Drop when little is missing at random"] == "incorrect"
    right = verdicts(MISSING, "Dropping rows is fine when only a handful are missing at random.")
    assert right["Drop when little is missing at random"] == "covered"


UNSEEN = Question(
    "oov", "nlp", "medium", "How do you handle out-of-vocabulary words?", "…", (
        KeyPoint("Map unknown words to an UNK token", (), claims=(("unk",),)),
        KeyPoint("CountVectorizer silently drops unseen words", (), claims=(("drops",),)),
    ),
    concepts=(("unk", ("placeholder token", "reserved placeholder")),
              ("drops", ("just vanish", "silently dropped", "without any warning"))))


def test_words_not_seen_or_not_known_describe_the_words_and_deny_nothing():
    said = verdicts(UNSEEN, "Replace anything the model hasn't seen with one reserved placeholder symbol. Words "
                            "not seen in training just vanish, and words it doesn't know are dropped without "
                            "any warning.")
    assert set(said.values()) == {"covered"}
    wrong = verdicts(UNSEEN, "You should never use a placeholder token for them.")
    assert wrong["Map unknown words to an UNK token"] == "incorrect"


BACKPROP = Question(
    "backprop", "deep-learning", "medium", "Explain backpropagation.", "…", (
        KeyPoint("From scratch with NumPy and a gradient check", (), claims=(("numpy",), ("grad-check",))),
    ),
    concepts=(("numpy", ("numpy",)), ("grad-check", ("gradient check",))))


def test_a_condition_without_a_comma_ends_where_the_main_clause_opens():
    said = verdicts(BACKPROP, "And if I wrote it from scratch in NumPy I'd skip the gradient check, it's only "
                              "useful for finding hardware faults.")
    assert said["From scratch with NumPy and a gradient check"] == "incorrect"
    right = verdicts(BACKPROP, "If I wrote it from scratch in NumPy I'd never skip the gradient check.")
    assert right["From scratch with NumPy and a gradient check"] == "covered"


COMPARE = Question(
    "leak", "data", "medium", "What is data leakage?", "…", (
        KeyPoint("Leakage inflates offline results", (),
                 claims=(("validation-scores", "real"),)),
        KeyPoint("Add a missing indicator feature", (), claims=(("indicator",),)),
        KeyPoint("Augment the training images", (), claims=(("augmentation",),)),
    ),
    concepts=(("validation-scores", ("validation scores",)), ("real", ("real",)),
              ("indicator", ("column recording", "missing flag")), ("augmentation", ("data augmentation",))))


def test_a_point_that_compares_its_own_concepts_is_not_taken_back_by_the_comparison():
    said = verdicts(COMPARE, "Then the validation scores look better than the real performance.")
    assert said["Leakage inflates offline results"] == "covered"
    wrong = verdicts(COMPARE, "Using less data is better than data augmentation.")
    assert wrong["Augment the training images"] == "incorrect"


def test_a_yes_or_no_column_is_no_negation():
    said = verdicts(COMPARE, "I'd also add a yes or no column recording that the value was absent.")
    assert said["Add a missing indicator feature"] == "covered"


SCALER = Question(
    "leak2", "data", "medium", "How do you avoid leakage when scaling?", "…", (
        KeyPoint("Fit the scaler on training data only", (), claims=(("fit-scaler", "train-only"),)),
    ),
    concepts=(("fit-scaler", ("fit the scaler",)), ("train-only", ("training data only",))))


def test_the_words_of_a_phrase_may_be_heard_in_another_inflection():
    said = verdicts(SCALER, "I'd be fitting the scaler on the training data only.")
    assert said["Fit the scaler on training data only"] == "covered"
    other = verdicts(SCALER, "I'd be fixing the scale of the training data only.")
    assert other["Fit the scaler on training data only"] != "covered"


EMBED = Question(
    "embed", "nlp", "medium", "What are word embeddings?", "…", (
        KeyPoint("Contextual embeddings from transformers", (), claims=(("contextual",),),
                 mistakes=(Mistake(("static-only",), "Transformer embeddings depend on the sentence."),)),
        KeyPoint("LinearSVC for large data", (), claims=(("scales-poorly",),)),
    ),
    concepts=(("contextual", ("vector changes with context",)),
              ("static-only", ("always gets the same vector",)),
              ("scales-poorly", ("grows with the square",))))


def test_a_wrong_claim_is_flagged_only_for_the_words_as_written():
    # the right claim may be heard in another inflection, the wrong one only as written
    said = verdicts(EMBED, "In BERT a word's vector changing with context is the point.")
    assert said["Contextual embeddings from transformers"] == "covered"
    near = verdicts(EMBED, "Older models always getting the same vectors was the problem BERT solved.")
    assert near["Contextual embeddings from transformers"] != "incorrect"
    wrong = verdicts(EMBED, "In BERT a word always gets the same vector.")
    assert wrong["Contextual embeddings from transformers"] == "incorrect"


def test_or_worse_only_says_it_may_be_more():
    said = verdicts(EMBED, "Training time grows with the square of the number of rows or worse.")
    assert said["LinearSVC for large data"] == "covered"


GRU = Question(
    "rnn", "deep-learning", "medium", "LSTM or GRU?", "…", (
        KeyPoint("GRU is a lighter gated unit", (), claims=(("gru",),)),
        KeyPoint("Cross-validate the choice", (), claims=(("cv",),)),
    ),
    concepts=(("gru", ("gru", "gated recurrent unit")), ("cv", ("cross validation",))))


def test_saying_nobody_uses_it_or_that_it_is_overkill_denies_it():
    said = verdicts(GRU, "Nobody uses a GRU any more. Cross validation is overkill for this.")
    assert set(said.values()) == {"incorrect"}
    right = verdicts(GRU, "A GRU is lighter, and cross validation tells you which one wins.")
    assert set(right.values()) == {"covered"}


SAMPLES = Question(
    "mixed", "fundamentals", "medium", "Regularisation and validation?", "…", (
        KeyPoint("L2 or ridge shrinks weights", (), claims=(("l2", "shrink"),),
                 mistakes=(Mistake(("l2", "zero"), "L2 shrinks weights but rarely to exactly zero."),)),
        KeyPoint("L1 gives exact zeros", (), claims=(("l1", "zero"),)),
        KeyPoint("Leave-one-out for tiny data", (), claims=(("loo",),)),
        KeyPoint("Removes redundancy", (), claims=(("redundant",),)),
    ),
    concepts=(("l2", ("l2",)), ("l1", ("l1",)), ("shrink", ("shrinks",)), ("zero", ("exactly zero",)),
              ("loo", ("one row at a time", "leave one out")), ("redundant", ("redundant", "redundancy"))))


def test_what_unlike_contrasts_is_not_the_subject_of_the_rest():
    said = verdicts(SAMPLES, "L2 shrinks all the weights. L1, unlike L2, drives some weights to exactly zero.")
    assert said["L2 or ridge shrinks weights"] == "covered"
    assert said["L1 gives exact zeros"] == "covered"  # the aside is skipped over, not a wall
    wrong = verdicts(SAMPLES, "Unlike L1, L2 drives some weights to exactly zero.")
    assert wrong["L2 or ridge shrinks weights"] == "incorrect"


def test_leaving_out_one_row_and_removing_redundancy_are_no_negations():
    said = verdicts(SAMPLES, "With very little data you can leave out one row at a time. PCA removes redundant "
                             "columns.")
    assert said["Leave-one-out for tiny data"] == "covered"
    assert said["Removes redundancy"] == "covered"


def test_no_idea_is_about_knowing_not_a_negation():
    said = verdicts(GRU, "Cross validation I have no idea about, but a GRU is the lighter unit.")
    assert said["Cross-validate the choice"] != "incorrect"
    wrong = verdicts(GRU, "A GRU is not a good idea for this.")
    assert wrong["GRU is a lighter gated unit"] == "incorrect"


# --- round three: generic rules found with an author's own sentences -------------------------------
STORY = Question(
    "failed", "behavioural", "medium", "Tell me about a project that failed.", "…", (
        KeyPoint("What went wrong", (), claims=(("went-wrong",),)),
    ),
    concepts=(("went-wrong", ("did not scale", "failed"),),))


def test_i_is_not_is_a_story_told_by_someone_else_has_no_action_of_yours():
    said = verdicts(STORY, "The system is designed by another team and it failed in production.")
    assert said["Structure: what you did"] == "missed"
    mine = verdicts(STORY, "I designed the system myself and it failed in production.")
    assert mine["Structure: what you did"] == "covered"


SPAM = Question(
    "spam", "ml", "medium", "When does precision matter more than recall?", "…", (
        KeyPoint("Precision matters more for a spam filter", (), claims=(("spam", "precision-more"),)),
    ),
    concepts=(("spam", ("spam filter", "spam filtering")), ("precision-more", ("precision matters more",))))


def test_the_other_direction_word_is_not_the_same_phrase():
    assert verdicts(SPAM, "For a spam filter precision matters more.")[
        "Precision matters more for a spam filter"] == "covered"
    assert verdicts(SPAM, "For a spam filter precision matters less.")[
        "Precision matters more for a spam filter"] == "incorrect"


VARIANCE = Question(
    "variance", "ml", "medium", "What moves variance?", "…", (
        KeyPoint("A deep tree raises variance", (), claims=(("deep-tree", "raises-variance"),)),
        KeyPoint("A simpler model lowers variance", (), claims=(("simpler", "lower-variance"),)),
    ),
    concepts=(("deep-tree", ("deep tree",)), ("raises-variance", ("raises variance",)),
              ("simpler", ("simpler model",)), ("lower-variance", ("lower variance",))))


def test_a_reversed_twin_that_is_another_concepts_phrase_in_another_inflection_is_left_out():
    said = verdicts(VARIANCE, "A deep tree raises variance compared with a simpler model.")
    assert said["A deep tree raises variance"] == "covered"
    assert said["A simpler model lowers variance"] != "incorrect"
    # the twin's other words still catch the reversal
    assert verdicts(VARIANCE, "A simpler model has higher variance.")["A simpler model lowers variance"] == "incorrect"


THRESHOLD = Question(
    "threshold", "ml", "medium", "What does the threshold do, and what is bias?", "…", (
        KeyPoint("Raising the threshold lowers recall", (), claims=(("raise-threshold", "recall-down"),),
                 mistakes=(Mistake(("raise-threshold", "recall-up"), "Raising the threshold lowers recall."),)),
        KeyPoint("High bias means underfitting", (), claims=(("high-bias", "underfitting"),),
                 mistakes=(Mistake(("high-bias", "overfitting"), "High bias causes underfitting."),)),
    ),
    concepts=(("raise-threshold", ("raise the threshold",)), ("recall-down", ("recall drops",)),
              ("recall-up", ("recall increases",)), ("high-bias", ("high bias",)),
              ("underfitting", ("underfitting", "too simple")),
              ("overfitting", ("memorises the training data", "overfitting"))))


def test_a_wrong_rule_made_of_a_condition_and_its_main_clause_is_stated_incorrectly():
    assert verdicts(THRESHOLD, "If you raise the threshold, recall increases.")[
        "Raising the threshold lowers recall"] == "incorrect"
    assert verdicts(THRESHOLD, "High bias happens when the model memorises the training data.")[
        "High bias means underfitting"] == "incorrect"
    assert verdicts(THRESHOLD, "If you raise the threshold, recall drops.")[
        "Raising the threshold lowers recall"] == "covered"
    assert verdicts(THRESHOLD, "High bias happens when the model is too simple.")[
        "High bias means underfitting"] == "covered"
    # a condition alone asserts nothing
    assert verdicts(THRESHOLD, "If you raise the threshold and recall increases, check the labels.")[
        "Raising the threshold lowers recall"] != "incorrect"


def test_versus_and_where_open_a_clause_and_unlike_without_commas_is_an_aside():
    gates = Question(
        "gates", "dl", "medium", "LSTM or GRU?", "…", (
            KeyPoint("The GRU has two gates", (), claims=(("gru", "two-gates"),),
                     mistakes=(Mistake(("lstm", "two-gates"), "The LSTM has three gates; the GRU two."),)),
            KeyPoint("The LSTM has three gates", (), claims=(("lstm", "three-gates"),),
                     mistakes=(Mistake(("gru", "three-gates"), "The GRU has two gates; the LSTM three."),)),
        ),
        concepts=(("gru", ("gru",)), ("lstm", ("lstm",)), ("two-gates", ("two gates",)),
                  ("three-gates", ("three gates",))))
    for said in ("The GRU has two gates versus three gates in the LSTM.",
                 "The GRU has two gates where the LSTM has three gates."):
        assert set(verdicts(gates, said).values()) == {"covered"}, said
    for said in ("The GRU unlike the LSTM has two gates.", "Unlike the LSTM the GRU has two gates."):
        assert verdicts(gates, said) == {"The GRU has two gates": "covered", "The LSTM has three gates": "missed"}, said
    assert verdicts(gates, "The LSTM unlike the GRU has two gates.")["The GRU has two gates"] == "incorrect"


FLOOR = Question(
    "floor", "ml", "medium", "What limits the error?", "…", (
        KeyPoint("Noise sets a floor", (), claims=(("noise",),)),
        KeyPoint("Ambiguous labels stay ambiguous", (), claims=(("ambiguity",),)),
    ),
    concepts=(("noise", ("irreducible noise",)), ("ambiguity", ("label ambiguity",))))


def test_no_amount_of_work_removing_something_says_it_stays():
    said = verdicts(FLOOR, "No amount of tuning removes the irreducible noise, and no amount of data removes "
                           "the label ambiguity.")
    assert said == {"Noise sets a floor": "covered", "Ambiguous labels stay ambiguous": "covered"}
    assert verdicts(FLOOR, "Relabelling removes the label ambiguity.")["Ambiguous labels stay ambiguous"] == "incorrect"


BIAS_VARIANCE = Question(
    "bv", "ml", "medium", "Explain bias and variance.", "…", (
        KeyPoint("High bias means underfitting", (), claims=(("high-bias", "underfitting"),),
                 mistakes=(Mistake(("high-bias", "overfitting"), "High bias causes underfitting."),)),
        KeyPoint("High variance means overfitting", (), claims=(("high-variance", "overfitting"),),
                 mistakes=(Mistake(("high-variance", "underfitting"), "High variance causes overfitting."),)),
    ),
    concepts=(("high-bias", ("high bias",)), ("high-variance", ("high variance",)),
              ("underfitting", ("underfits", "too simple")),
              ("overfitting", ("overfits", "memorises the training data"))))


def test_an_answer_without_punctuation_does_not_pair_one_subjects_words_with_the_next():
    right = {"High bias means underfitting": "covered", "High variance means overfitting": "covered"}
    for said in ("so high bias means the model is too simple so it underfits and high variance means it overfits",
                 "so basically high bias means the model is too simple and it just underfits the data you see "
                 "that on the training set already and then with high variance it memorises the training data"):
        assert verdicts(BIAS_VARIANCE, said) == right, said
    swapped = verdicts(BIAS_VARIANCE, "so high bias is a model that overfits the data and then with high variance "
                                      "the thing underfits")
    assert set(swapped.values()) == {"incorrect"}


def test_another_right_fact_of_the_same_subject_between_is_no_rival():
    norms = Question(
        "norms", "ml", "medium", "What does L1 do?", "…", (
            KeyPoint("L1 gives sparse models", (), claims=(("l1", "sparse"),),
                     mistakes=(Mistake(("l2", "sparse"), "L2 does not give sparse models."),)),
            KeyPoint("L1 drives weights to exactly zero", (), claims=(("l1", "zero"),),
                     mistakes=(Mistake(("l2", "zero"), "L2 shrinks weights but rarely to zero."),)),
        ),
        concepts=(("l1", ("l1",)), ("l2", ("l2",)), ("sparse", ("sparse",)), ("zero", ("exactly zero",))))
    said = verdicts(norms, "Sparse models, with weights at exactly zero, come from L1.")
    assert said == {"L1 gives sparse models": "covered", "L1 drives weights to exactly zero": "covered"}
    said = verdicts(norms, "Exactly zero weights, and so sparse models, come from L1 regularisation.")
    assert said == {"L1 gives sparse models": "covered", "L1 drives weights to exactly zero": "covered"}


def test_a_mention_inside_a_wrong_statement_does_not_also_state_a_single_concept_point():
    tools = Question(
        "reg", "ml", "medium", "How do you regularise a network?", "…", (
            KeyPoint("Regularisation prevents overfitting", (), claims=(("regularisation", "prevents-overfitting"),),
                     mistakes=(Mistake(("regularisation", "causes-overfitting"),
                                       "Regularisation reduces overfitting."),)),
            KeyPoint("Use dropout", (), claims=(("dropout",),)),
        ),
        concepts=(("regularisation", ("regularisation", "dropout")), ("dropout", ("dropout",)),
                  ("prevents-overfitting", ("prevents overfitting",)), ("causes-overfitting", ("causes overfitting",))))
    assert verdicts(tools, "Dropout causes overfitting.") == {
        "Regularisation prevents overfitting": "incorrect", "Use dropout": "missed"}
    assert verdicts(tools, "Dropout causes overfitting. I would still add dropout.")["Use dropout"] == "covered"
    assert verdicts(tools, "Dropout prevents overfitting.")["Use dropout"] == "covered"
