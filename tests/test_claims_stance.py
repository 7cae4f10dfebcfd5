"""What a sentence says about a term (issue 12, round four): a point whose claim is one concept is
not earned by its term alone when the clause rejects, belittles or dismisses it, declares it
impossible or someone else's job, or states an absolute that denies the choice. Each case is a
sentence a candidate could say (most of them from issue 12's feedback), scored by the app's own
scorer, and the verdict they would see."""

from mockinterviewer.core.bank import KeyPoint, Mistake, Question
from mockinterviewer.core.scoring import score_answer
from mockinterviewer.core.transcript import Transcript


def verdicts(question, text):
    return {k.label: k.status for k in score_answer(question, Transcript.typed(text)).key_points}


MLOPS = Question(
    "mlops", "mlops", "medium", "What does MLOps involve?", "…", (
        KeyPoint("Containerised serving", (), claims=(("serving",),)),
        KeyPoint("Avoid training-serving skew", (), claims=(("skew",),),
                 mistakes=(Mistake(("rewrite-features",), "Share one feature pipeline."),)),
        KeyPoint("Safe rollout", (), claims=(("rollout",),)),
        KeyPoint("Monitoring", (), claims=(("monitoring",),)),
        KeyPoint("Version the data", (), claims=(("versioning",),)),
    ),
    concepts=(("serving", ("docker", "containers", "a container", "rest api")),
              ("skew", ("training serving skew", "skew", "same feature code")),
              ("rewrite-features", ("rewrite the features",)),
              ("rollout", ("canary", "canary releases", "a b test", "shadow mode")),
              ("monitoring", ("monitoring", "monitor", "drift")),
              ("versioning", ("version the data", "dvc", "git"))))

IMBALANCE = Question(
    "imbalance", "data", "hard", "How do you handle imbalance in a regression problem?", "…", (
        KeyPoint("Imbalance means rare target ranges", (), claims=(("rare-ranges",),)),
        KeyPoint("Sample weights for rare ranges", (), claims=(("sample-weights",),)),
        KeyPoint("Resample using target bins", (), claims=(("resample-bins",),)),
        KeyPoint("Choose a suitable loss", (), claims=(("loss",),)),
        KeyPoint("Evaluate error per target range", (), claims=(("per-range",),)),
    ),
    concepts=(("rare-ranges", ("skewed target", "long tail", "rare values")),
              ("sample-weights", ("sample weight", "sample weights", "higher weight")),
              ("resample-bins", ("resample", "resampling", "target bins", "bins")),
              ("loss", ("loss function", "huber", "quantile loss")),
              ("per-range", ("by target range", "per range", "in the tail"))))


def test_a_term_said_to_do_harm_is_not_credited():
    said = verdicts(MLOPS, "Containers like Docker slow the model down, so I'd run the notebook directly on the "
                           "server.")
    assert said["Containerised serving"] == "incorrect"
    said = verdicts(IMBALANCE, "Giving rare examples a higher sample weight makes the model worse on them, since "
                               "it overfits to the rare values.")
    assert said["Sample weights for rare ranges"] == "incorrect"
    # a harm said to do harm is said rightly, and a model that does worse somewhere judges nothing
    said = verdicts(MLOPS, "Training serving skew makes the model worse on live traffic, so share the same "
                           "feature code, and serve it from a container behind a REST API.")
    assert said["Avoid training-serving skew"] == "covered"
    assert said["Containerised serving"] == "covered"


def test_a_belittled_term_is_not_credited_but_a_plain_mechanism_is():
    said = verdicts(IMBALANCE, "One overall RMSE is enough; breaking the error down by target range just adds noise.")
    assert said["Evaluate error per target range"] == "incorrect"
    said = verdicts(MLOPS, "I'd switch everything over at once, since canary releases just delay the launch.")
    assert said["Safe rollout"] == "incorrect"
    said = verdicts(MLOPS, "A canary adds a little latency to the release, but it catches a bad model early.")
    assert said["Safe rollout"] == "covered"


def test_a_harm_said_to_be_none_is_not_credited():
    said = verdicts(MLOPS, "Training serving skew isn't a risk as long as you rewrite the features in the "
                           "serving language.")
    assert said["Avoid training-serving skew"] == "incorrect"
    said = verdicts(IMBALANCE, "A skewed target just means the model sees more of the common values, which is good.")
    assert said["Imbalance means rare target ranges"] == "incorrect"
    # "isn't a problem" said of a practice denies nothing about it
    said = verdicts(MLOPS, "Monitoring isn't a problem once drift dashboards exist.")
    assert said["Monitoring"] == "covered"


def test_impossible_nice_to_have_or_someone_elses_job_is_not_credited():
    said = verdicts(IMBALANCE, "SMOTE only works for classes, so resampling with target bins is impossible in "
                               "regression.")
    assert said["Resample using target bins"] == "incorrect"
    said = verdicts(MLOPS, "Once the model is deployed the project is done; monitoring is the infrastructure "
                           "team's job.")
    assert said["Monitoring"] == "incorrect"
    said = verdicts(MLOPS, "Shadow mode is nice to have, but it isn't part of a release.")
    assert said["Safe rollout"] == "incorrect"
    said = verdicts(MLOPS, "Shadow mode is nice to have.")
    assert said["Safe rollout"] == "incorrect"
    # a ranking, not a dismissal: the contrast after it denies nothing
    said = verdicts(MLOPS, "Docker is nice to have for deployment, but I mostly rely on a REST API behind a canary.")
    assert said["Containerised serving"] == "covered"
    said = verdicts(MLOPS, "Monitoring is my job as much as the platform team's, so I watch the drift.")
    assert said["Monitoring"] == "covered"
    said = verdicts(MLOPS, "Monitoring is our team's job, so we page on drift.")
    assert said["Monitoring"] == "covered"
    said = verdicts(IMBALANCE, "It is impossible to learn the tail from three rows, so resample using target bins.")
    assert said["Resample using target bins"] == "covered"


def test_an_absolute_that_denies_the_choice_is_not_credited():
    said = verdicts(IMBALANCE, "Mean squared error is always the right loss function for regression.")
    assert said["Choose a suitable loss"] == "incorrect"
    said = verdicts(IMBALANCE, "With outliers in the tail, Huber is the right loss function.")
    assert said["Choose a suitable loss"] == "covered"


def test_a_rejection_said_of_a_pronoun_is_said_of_the_term_before_it():
    said = verdicts(MLOPS, "If the offline metrics improve, an online A B test will always agree, so you can "
                           "usually skip it.")
    assert said["Safe rollout"] == "incorrect"
    said = verdicts(MLOPS, "Coverage is one thing, but shadow mode matters, and you should never skip it.")
    assert said["Safe rollout"] == "covered"
    said = verdicts(MLOPS, "Git is fine for the code, and you can't ignore it for the data either.")
    assert said["Version the data"] == "covered"


def test_a_wrong_statement_rejected_again_of_a_pronoun_is_still_a_wrong_statement():
    reg = Question(
        "reg", "ml", "medium", "How do you regularise a network?", "…", (
            KeyPoint("Regularisation prevents overfitting", (), claims=(("regularisation", "prevents-overfitting"),),
                     mistakes=(Mistake(("regularisation", "causes-overfitting"),
                                       "Regularisation reduces overfitting."),)),
        ),
        concepts=(("regularisation", ("regularisation", "regularization", "l2")),
                  ("prevents-overfitting", ("prevents overfitting",)),
                  ("causes-overfitting", ("overfitting worse", "causes overfitting"))))
    said = verdicts(reg, "Regularization like L2 makes overfitting worse, so you should remove it.")
    assert said["Regularisation prevents overfitting"] == "incorrect"


def test_nobody_did_it_denies_it():
    story = Question(
        "story", "behavioural", "medium", "Tell me about a project you improved.", "…", (
            KeyPoint("A result you measured", (), claims=(("measured",),)),
        ),
        concepts=(("measured", ("measured", "measured the effect")),))
    said = verdicts(story, "We did improve the claims model at some point, but nobody really measured by how much.")
    assert said["A result you measured"] == "incorrect"
    said = verdicts(story, "Nobody asked me to, but I measured the effect on the claims queue.")
    assert said["A result you measured"] == "covered"


GATES = Question(
    "gates", "deep-learning", "medium", "What is the difference between an LSTM and a GRU?", "…", (
        KeyPoint("LSTM has three gates", (), claims=(("lstm", "three-gates"), ("gate-names",)),
                 mistakes=(Mistake(("lstm", "two-gates"), "The LSTM has three gates."),)),
        KeyPoint("GRU has two gates", (), claims=(("gru", "two-gates"), ("update-reset",)),
                 mistakes=(Mistake(("gru", "three-gates"), "The GRU has two gates."),)),
        KeyPoint("GRU is smaller", (), claims=(("gru", "smaller"),)),
        KeyPoint("LSTM keeps a cell state", (), claims=(("lstm", "cell"),)),
    ),
    concepts=(("lstm", ("lstm",)), ("gru", ("gru",)), ("three-gates", ("three gates",)),
              ("two-gates", ("two gates",)), ("gate-names", ("forget input and output gates",)),
              ("update-reset", ("update gate", "reset gate")), ("smaller", ("smaller", "fewer parameters")),
              ("cell", ("cell state",))))


def test_a_fact_said_of_the_rival_subject_does_not_earn_the_point():
    said = verdicts(GATES, "An LSTM has two gates, an update gate and a reset gate, and the GRU has three, the "
                           "forget, input and output gates.")
    assert said["GRU has two gates"] == "missed"
    said = verdicts(GATES, "The LSTM has three gates and a cell state, and the GRU uses only two gates, an update "
                           "gate and a reset gate, so it has fewer parameters.")
    assert said["GRU has two gates"] == "covered"
    said = verdicts(GATES, "The GRU is smaller. It has an update gate and a reset gate.")
    assert said["GRU has two gates"] == "covered"


def test_a_rival_denied_by_nobody_is_no_rival():
    kinds = Question(
        "kinds", "fundamentals", "easy", "What is unsupervised learning?", "…", (
            KeyPoint("Unsupervised learning finds structure without labels", (),
                     claims=(("no-labels", "structure"),)),
            KeyPoint("Clustering examples", (), claims=(("clustering",), ("no-labels", "clustering"))),
            KeyPoint("Supervised learning uses labels", (), claims=(("supervised", "labels"),)),
            KeyPoint("Labels make classification possible", (), claims=(("labels", "structure"),)),
        ),
        concepts=(("no-labels", ("no labels", "without labels")), ("labels", ("labels", "annotated")),
                  ("structure", ("groupings", "structure")), ("clustering", ("customers into segments",)),
                  ("supervised", ("supervised",))))
    said = verdicts(kinds, "Here nobody has annotated anything, so the algorithm discovers groupings on its own, "
                           "for example splitting customers into segments.")
    assert said["Clustering examples"] == "covered"
    # said without commas, "nobody" still denies only its own verb
    said = verdicts(kinds, "Here nobody has annotated anything and the algorithm discovers groupings on its own "
                           "for example splitting customers into segments.")
    assert said["Clustering examples"] == "covered"
    said = verdicts(kinds, "Here the data is annotated with labels, and the algorithm sorts customers into segments.")
    assert said["Clustering examples"] != "covered"  # (its relation to no labels is still partly heard)


def test_far_apart_reverses_close_together():
    vectors = Question(
        "emb", "nlp", "medium", "What are word embeddings?", "…", (
            KeyPoint("Similar words get nearby vectors", (), claims=(("similar", "close"),)),
        ),
        concepts=(("similar", ("similar meanings", "similar words")), ("close", ("close together", "nearby"))))
    said = verdicts(vectors, "Words with similar meanings get vectors that are as far apart as possible, so that "
                             "the model can tell them apart.")
    assert said["Similar words get nearby vectors"] == "incorrect"
    said = verdicts(vectors, "Words with similar meanings end up close together, and unrelated ones far apart.")
    assert said["Similar words get nearby vectors"] == "covered"


def test_a_cost_conceded_is_no_rejection():
    said = verdicts(MLOPS, "Containers slow the model down a little, but they make serving reproducible.")
    assert said["Containerised serving"] == "covered"
    said = verdicts(MLOPS, "A canary release just delays the launch by a day, which is worth it.")
    assert said["Safe rollout"] == "covered"
    said = verdicts(IMBALANCE, "A higher sample weight on rare rows makes the model a bit worse on the common "
                               "values, but much better in the tail.")
    assert said["Sample weights for rare ranges"] == "covered"
    said = verdicts(MLOPS, "Although Docker slows the first start down, I would serve the model from a container.")
    assert said["Containerised serving"] == "covered"
    said = verdicts(MLOPS, "Docker slows the first request down, so you warm it up, and it prevents surprises.")
    assert said["Containerised serving"] == "covered"
    said = verdicts(MLOPS, "A canary release just delays the full rollout by a day, and lets you roll back.")
    assert said["Safe rollout"] == "covered"


def test_a_harm_said_to_be_none_under_a_condition_is_left_to_the_condition():
    said = verdicts(MLOPS, "With the same feature code in both places, training serving skew isn't a problem.")
    assert said["Avoid training-serving skew"] == "covered"
    said = verdicts(MLOPS, "Training serving skew isn't a risk as long as you rewrite the features by hand.")
    assert said["Avoid training-serving skew"] == "incorrect"  # the condition is itself the mistake
    said = verdicts(MLOPS, "Training serving skew is not a real risk in practice.")
    assert said["Avoid training-serving skew"] == "incorrect"


def test_a_pronoun_rejected_for_a_situation_or_after_a_contrast_is_a_limit():
    said = verdicts(MLOPS, "Shadow mode runs the new model next to the old one, and at launch time you skip it.")
    assert said["Safe rollout"] == "covered"
    said = verdicts(MLOPS, "Shadow mode is great for risky models, but it is useless for tiny internal tools.")
    assert said["Safe rollout"] == "covered"
    said = verdicts(MLOPS, "Shadow mode costs compute, so I'd skip it.")
    assert said["Safe rollout"] == "incorrect"


def test_a_term_that_averts_a_harm_is_a_practice_not_a_harm():
    said = verdicts(MLOPS, "Sharing the same feature code prevents drift between training and serving, which is good.")
    assert said["Monitoring"] != "incorrect"
    fixes = Question(
        "boost", "ml", "medium", "How does boosting work?", "…", (
            KeyPoint("Each tree fixes the errors of the last", (), claims=(("fix-errors",),)),
        ),
        concepts=(("fix-errors", ("fixes the errors", "corrects the errors")),))
    said = verdicts(fixes, "Each new tree fixes the errors of the previous ones, which is good for bias.")
    assert said["Each tree fixes the errors of the last"] == "covered"
    said = verdicts(fixes, "Each new tree fixes the errors of the previous ones, so it just adds noise.")
    assert said["Each tree fixes the errors of the last"] == "incorrect"


def test_advice_against_a_harm_states_the_point():
    said = verdicts(MLOPS, "Training serving skew should be avoided, so share the same feature code.")
    assert said["Avoid training-serving skew"] == "covered"
    said = verdicts(MLOPS, "Training serving skew is harmful, it quietly hurts accuracy.")
    assert said["Avoid training-serving skew"] == "covered"
    said = verdicts(MLOPS, "Containers should be avoided; run the notebook on the server.")
    assert said["Containerised serving"] == "incorrect"


def test_rejected_in_the_passive_or_rarely_needed_is_not_credited():
    said = verdicts(MLOPS, "Version the data if you like, but monitoring can safely be skipped.")
    assert said["Monitoring"] == "incorrect"
    said = verdicts(MLOPS, "Shadow mode is rarely needed in practice.")
    assert said["Safe rollout"] == "incorrect"
    said = verdicts(MLOPS, "Monitoring can't be ignored, and shadow mode should never be skipped.")
    assert said["Monitoring"] == "covered"
    assert said["Safe rollout"] == "covered"
    said = verdicts(MLOPS, "Drift is often ignored by new teams, so I monitor it from day one.")
    assert said["Monitoring"] == "covered"


def test_a_harm_made_impossible_under_a_condition_is_averted():
    said = verdicts(MLOPS, "With the same feature code in both places, training serving skew is impossible.")
    assert said["Avoid training-serving skew"] == "covered"
    said = verdicts(IMBALANCE, "With only a few rows, resampling with target bins is impossible.")
    assert said["Resample using target bins"] == "incorrect"


def test_the_subject_a_label_names_decides_whose_fact_it_is():
    cells = Question(
        "cells", "deep-learning", "medium", "What is the difference between an LSTM and a GRU?", "…", (
            KeyPoint("LSTM keeps a separate cell state", (),
                     claims=(("lstm", "cell"), ("cell-extra",), ("gru", "merged"))),
            KeyPoint("GRU is smaller", (), claims=(("gru", "smaller"),)),
            KeyPoint("LSTM has three gates", (), claims=(("lstm", "three-gates"),)),
            KeyPoint("GRU merges the states", (), claims=(("gru", "merged"),)),
            KeyPoint("Both ease vanishing gradients", (), claims=(("lstm", "vanishing"), ("gru", "vanishing"))),
        ),
        concepts=(("lstm", ("lstm",)), ("gru", ("gru",)), ("cell", ("cell state",)),
                  ("vanishing", ("vanishing gradients",)),
                  ("cell-extra", ("cell state next to the hidden state",)), ("merged", ("merges",)),
                  ("smaller", ("smaller",)), ("three-gates", ("three gates",))))
    said = verdicts(cells, "The GRU is the one with a separate cell state next to the hidden state.")
    assert said["LSTM keeps a separate cell state"] != "covered"
    said = verdicts(cells, "The LSTM is the one with a cell state next to the hidden state.")
    assert said["LSTM keeps a separate cell state"] == "covered"


def test_a_subject_said_to_suffer_what_the_point_says_it_averts_is_stated_wrongly():
    rnn = Question(
        "rnn", "deep-learning", "medium", "What is the difference between an LSTM and a GRU?", "…", (
            KeyPoint("Both use gates against vanishing gradients", (),
                     claims=(("lstm", "vanishing"), ("gru", "vanishing"))),
        ),
        concepts=(("lstm", ("lstm",)), ("gru", ("gru",)), ("vanishing", ("vanishing gradients",))))
    said = verdicts(rnn, "The LSTM is a plain RNN with a longer memory, so it still suffers from vanishing gradients.")
    assert said["Both use gates against vanishing gradients"] == "incorrect"
    said = verdicts(rnn, "The LSTM was built because plain RNNs suffer from vanishing gradients.")
    assert said["Both use gates against vanishing gradients"] == "covered"
    said = verdicts(rnn, "Plain RNNs suffer from vanishing gradients, so the LSTM uses gates against them.")
    assert said["Both use gates against vanishing gradients"] == "covered"


def test_noise_said_to_be_fine_is_a_fact_not_a_dismissal():
    error = Question(
        "bv", "fundamentals", "medium", "Explain the bias-variance trade-off.", "…", (
            KeyPoint("Error splits into bias, variance and noise", (), claims=(("decomposition",),)),
        ),
        concepts=(("decomposition", ("bias variance and noise", "irreducible noise")),))
    said = verdicts(error, "There is always some irreducible noise, and that is fine, no model can remove it.")
    assert said["Error splits into bias, variance and noise"] == "covered"


def test_a_setting_said_to_slow_things_down_is_a_fact():
    rate = Question(
        "gd", "optimisation", "medium", "How do you choose a learning rate?", "…", (
            KeyPoint("Learning rate and schedule matter", (), claims=(("lr",),)),
        ),
        concepts=(("lr", ("learning rate",)),))
    said = verdicts(rate, "A very small learning rate slows training down, and a large one diverges.")
    assert said["Learning rate and schedule matter"] == "covered"
    said = verdicts(rate, "The learning rate slows everything down, so I never tune it.")
    assert said["Learning rate and schedule matter"] == "incorrect"


def test_not_enough_is_a_limit_not_a_denial():
    reduce = Question(
        "dr", "ml", "medium", "How do you reduce dimensionality?", "…", (
            KeyPoint("PCA keeps directions of maximum variance", (), claims=(("pca",),)),
            KeyPoint("UMAP for curved structure", (), claims=(("umap",),)),
        ),
        concepts=(("pca", ("pca",)), ("umap", ("umap",))))
    said = verdicts(reduce, "PCA is linear, so for curved manifolds it is not enough and UMAP helps.")
    assert said == {"PCA keeps directions of maximum variance": "covered", "UMAP for curved structure": "covered"}


def test_what_makes_it_worse_is_judged_not_where_it_does_worse():
    stopping = Question(
        "es", "deep-learning", "easy", "Why use early stopping?", "…", (
            KeyPoint("Prevents overfitting", (), claims=(("generalisation",),)),
            KeyPoint("Sample weights", (), claims=(("weights",),)),
        ),
        concepts=(("generalisation", ("new data", "unseen data")), ("weights", ("sample weight",))))
    said = verdicts(stopping, "Training too long makes the model worse on new data, so stop when the validation "
                              "loss stops improving.")
    assert said["Prevents overfitting"] == "covered"
    said = verdicts(stopping, "A higher sample weight makes the model worse on new data.")
    assert said["Sample weights"] == "incorrect"
