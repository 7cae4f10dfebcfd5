"""Content of issue 12 for twelve questions of the shipped bank: for each, an answer in the candidate's own
words that states its points rightly, and a fluent answer that states one of them wrongly. Both were written
for this test by the content author (not taken from bench/eval), and each fails on the bank before this content:
the paraphrases scored 17 to 71 there, and none of the wrong statements was shown as stated incorrectly (the
answer without a number was credited with a measurable result)."""

import pytest

from mockinterviewer import paths
from mockinterviewer.core.bank import load_banks
from mockinterviewer.core.scoring import score_answer
from mockinterviewer.core.transcript import Transcript


@pytest.fixture(scope="module")
def shipped():
    banks, broken = load_banks([paths.questions_dir()])
    assert banks and not broken
    return banks[0]


# question id -> (correct answer in other words, wrong answer, (point, status shown, start of its correction))
CASES = {
    "bias-variance-tradeoff": (
        ("Your mistakes on unseen examples come from three sources. One is assumptions that are too "
         "crude, the model can't even capture the training points well. Another is how jumpy the fit "
         "is, if you changed the training sample a bit you'd get a totally different model, and that "
         "kind of model memorises the quirks and does badly on fresh data. The third is random noise "
         "that nothing will remove. Giving the model more freedom shrinks the first kind of error and "
         "grows the second, so you tune how much freedom it gets by checking performance on data you "
         "held back."),
        ("Bias is when the model is too complex, and variance is when it is too simple. A simpler "
         "model has higher variance."),
        ("High bias causes underfitting", "incorrect", "High bias comes from a model that is too simple")),
    "confusion-matrix-metrics": (
        ("It's a little table that puts what the classifier guessed next to what was really true. In "
         "the yes/no case you count four things: correctly flagged, wrongly flagged, correctly cleared "
         "and the ones it missed. From there you can work out the hit rate among the flagged ones, the "
         "share of real cases caught, and a combined score that's a harmonic mean. The area under the "
         "ROC curve tells you how well it orders positives above negatives whatever cutoff you use. If "
         "positives are really rare that area can look flattering, and the precision-recall curve is "
         "more honest. The final cutoff should come from what each kind of mistake costs the business."),
        ("Precision is out of all actual positives how many were found, and recall is the share of "
         "predicted positives that were right."),
        ("Precision, recall and F1", "incorrect", "Precision divides by what the model predicted positive")),
    "failed-project-lessons": (
        ("In my last job our team had to predict which machines would break down so maintenance could "
         "be scheduled. I built the model and it looked excellent in testing, but after two months in "
         "the plant the technicians said most alerts were false, and the numbers confirmed precision "
         "had fallen to about a third of what we'd seen. Looking into it, the sensors had been "
         "replaced with a different brand, so the readings were on another scale. I should have set up "
         "checks on the input data, that part was on me. We retrained on the new sensor data and "
         "precision came back up to seventy percent. What it taught me is that a model is only as good "
         "as the data feeding it, and these days I always add input monitoring before launch."),
        ("We built a churn model and it never worked in production. Honestly there was nothing to "
         "learn from it, I would do the same again."),
        ("The lesson learned", "incorrect", "A failure story needs a lesson")),
    "imbalanced-regression-targets": (
        ("Imbalance in regression means most of your targets pile up in one region and the interesting "
         "values, the really big ones, hardly ever appear. I'd first squash the target, say predict "
         "the logarithm and convert back. I'd make the rare high values count more when fitting, by "
         "giving those rows bigger weights. Another option is to chop the target range into buckets "
         "and duplicate rows from the sparse buckets. The choice of loss matters too, a quantile loss "
         "if you care about the upper end. And I'd look at the error bucket by bucket, since the "
         "average error mostly reflects the common values."),
        ("I would take the log of the target and weight the big claims more, and then the overall RMSE "
         "is enough to judge the model."),
        ("Evaluate error per target range", "incorrect", "One overall RMSE is dominated by the common values")),
    "lstm-vs-gru": (
        ("Both add little switches to a recurrent net so information and gradients can survive over "
         "long sequences, which plain RNNs struggle with. The long short-term memory has an extra "
         "internal memory track besides its output state, and three switches: one that decides what to "
         "throw away, one for what to write in, one for what to show. The gated recurrent unit merges "
         "those two states and gets by with two switches, one blending old and new and one deciding "
         "how much history to use. The GRU is the simplified version, with roughly a quarter fewer "
         "weights, and it trains quicker. Quality-wise they're usually neck and neck, so I'd just try "
         "both."),
        ("Both are gated recurrent networks, but the LSTM always beats the GRU on accuracy, so there "
         "is no reason to try the GRU."),
        ("Accuracy is usually similar", "incorrect", "Neither is always better")),
    "mlops-best-practices": (
        ("It's taking the habits of good software engineering into the machine learning lifecycle. "
         "Everything gets versioned, the code, the training data and the fitted models, so you can "
         "always trace what's running back to how it was made. Every experiment gets logged with its "
         "settings and scores. Changes go through an automated pipeline that runs tests and checks the "
         "data before anything is promoted. The model is packaged in a container and served either as "
         "an API or a scheduled batch job. The feature code is shared between training and serving so "
         "the features are computed the same way. New versions go out to a small slice of traffic "
         "first, or run silently next to the old one, and you can roll back. Then you watch latency "
         "and input drift, and retrain when things degrade."),
        ("In practice I train the model in a notebook and copy it to the server by hand, and that has "
         "always worked fine for us."),
        ("CI/CD with tests and data validation", "incorrect", "Automate the path to production")),
    "one-hot-vs-label-encoding": (
        ("Label encoding swaps each category for a whole number, so you keep one column. One-hot gives "
         "every category its own column that's either zero or one. The catch with the numbers is that "
         "a model like linear regression will think category three is three times category one, it "
         "invents a ranking that isn't there. That's okay if the categories genuinely have an order, "
         "like low, medium, high, and tree models mostly cope since they just split. One-hot avoids "
         "the fake ranking but if a feature has thousands of values you get thousands of mostly empty "
         "columns. Also in scikit-learn LabelEncoder is really for the target; for inputs use "
         "OrdinalEncoder or OneHotEncoder."),
        ("Label encoding maps each category to an integer, and label encoding has no order, so linear "
         "models are fine with it."),
        ("Integers imply a false order", "incorrect", "The integers of label encoding do suggest an order")),
    "precision-vs-recall": (
        ("Precision asks: of the things the model flagged, what fraction were really positive? Recall "
         "asks: of the things that really were positive, what fraction did the model flag? Making the "
         "model stricter, so it only says yes when it's very sure, usually pushes precision up and "
         "recall down. You can combine them into one number with the F1 score. Which one you care "
         "about depends on which mistake is worse: missing a cancer case is terrible, so screening "
         "wants recall, while a spam filter that throws away real emails is annoying, so it wants "
         "precision."),
        ("For a spam filter you should favour recall, because catching every spam email matters most."),
        ("The choice depends on error costs", "incorrect", "A spam filter usually favours precision")),
    "recommender-evaluation": (
        ("Offline I'd hold back the last few things each user interacted with, train on everything "
         "before, and see whether those items appear near the top of the list we generate. So I'd "
         "measure how many of the top ten are hits, and use a score that rewards getting the relevant "
         "item higher up the list. I'd also check whether the system recommends a wide range of the "
         "catalogue or just the popular stuff. The problem with historical logs is that users could "
         "only click on what the old system showed them, so the offline numbers are skewed. The real "
         "test is an online experiment where some users get the new system and you compare clicks, "
         "purchases and retention."),
        ("I'd measure plain accuracy on the held-out ratings, because a recommender is just a "
         "classifier."),
        ("Ranking metrics at K", "incorrect", "Plain accuracy or rating RMSE says little")),
    "supervised-unsupervised-reinforcement": (
        ("In supervised learning every training example comes with the answer you want, so the model "
         "learns to go from the input to that answer, for example deciding whether an email is spam, "
         "or estimating the price of a house. In unsupervised learning nobody gives you answers, you "
         "just have the raw data and you look for how it's organised, like grouping similar customers "
         "or compressing many features into a few. Reinforcement learning is about an agent that tries "
         "actions, sees what reward it gets back, and gradually learns a strategy that gets the most "
         "reward in the long run, like learning to play chess."),
        ("Unsupervised learning needs labelled data to find its clusters, just like supervised "
         "learning does."),
        ("Unsupervised learning finds structure without labels", "incorrect", "Unsupervised learning has no labels")),
    "tell-me-about-yourself": (
        ("Right now I work as a data scientist in the logistics team of a retailer, mostly on demand "
         "forecasting. Last year I rebuilt our forecasting pipeline myself and the forecast error went "
         "down by about twenty percent, which saved the warehouses a lot of stock. I mostly use "
         "Python, SQL and Spark. I'm looking for a role where I can own models end to end in "
         "production, and that's why this position appeals to me."),
        ("I'm a machine learning engineer at a bank, and over the years I improved our fraud models a "
         "lot and made everything much better for the business."),
        ("A measurable result you can defend", "partly", "")),
    "word-embeddings": (
        ("Embeddings are learned, compact representations where the distance between words reflects "
         "how related they are. Compared with one-hot encoding, which is sparse and treats all words "
         "as equally different, embeddings capture meaning. GloVe and skip-gram are examples. Nowadays "
         "contextual embeddings from transformers are standard."),
        ("Word embeddings are sparse vectors with one dimension per word, and similar words end up far "
         "apart in that space."),
        ("Dense, low-dimensional vectors", "incorrect", "Word embeddings are dense, low-dimensional vectors")),
}


@pytest.mark.parametrize("question_id", sorted(CASES))
def test_an_answer_in_other_words_is_credited_and_nothing_in_it_is_called_wrong(shipped, question_id):
    result = score_answer(shipped.get(question_id), Transcript.typed(CASES[question_id][0]))
    statuses = {k.label: k.status for k in result.key_points}
    assert result.score >= 80, (result.score, result.explanation, statuses)
    assert "incorrect" not in statuses.values(), statuses


@pytest.mark.parametrize("question_id", sorted(CASES))
def test_a_wrong_statement_is_named_with_its_correction_and_scores_low(shipped, question_id):
    _, wrong, (label, shown, correction) = CASES[question_id]
    result = score_answer(shipped.get(question_id), Transcript.typed(wrong))
    point = next(k for k in result.key_points if k.label == label)
    assert point.status == shown, (point.status, result.explanation)
    assert result.score <= 35, (result.score, result.explanation)
    if shown == "incorrect":  # shown with the words heard, as typed, and the correction
        assert point.correction.startswith(correction), point.correction
        assert point.evidence and point.evidence.text in wrong
        assert "stated incorrectly (0)" in result.explanation
    else:  # an outcome without a number: half credit, and the line says so
        assert not point.correction and "partly (half)" in result.explanation


# Right statements that a reversed-direction mistake once called wrong: the flipped phrase matched the
# original ("precision matters less" reads as "precision matters more"), or a true comparison said the
# other way round ("the LSTM has more parameters than the GRU").
RIGHT_THE_OTHER_WAY = [
    ("lstm-vs-gru", "The LSTM has more parameters than the GRU, so it is slower to train."),
    ("precision-vs-recall", "For spam filtering precision matters more."),
    ("precision-vs-recall", "Lowering the threshold raises recall but lowers precision."),
    ("bias-variance-tradeoff", "Making the model simpler raises the bias but lowers the variance."),
]


@pytest.mark.parametrize("question_id, text", RIGHT_THE_OTHER_WAY)
def test_a_right_statement_said_the_other_way_round_is_not_called_wrong(shipped, question_id, text):
    result = score_answer(shipped.get(question_id), Transcript.typed(text))
    assert "incorrect" not in {k.status for k in result.key_points}, result.explanation


# Right statements that the bank before this content showed as stated incorrectly: a negation or a
# contrast read as denying the point ("the GRU gets rid of the separate cell state", "so they don't
# drift apart"), a phrase matching more than it says ("PR-AUC for imbalanced data" as "AUC for
# imbalanced data", "false positive rate" as false positives, "I worked with the other team" as
# blame), or a swap pairing words across a comma.
ONCE_FLAGGED = [
    ("lstm-vs-gru", "The GRU gets rid of the separate cell state and just uses two gates."),
    ("lstm-vs-gru", "Compared to GRU, LSTM has three gates."),
    ("lstm-vs-gru", "The GRU is a simpler version of the LSTM, with fewer parameters."),
    ("lstm-vs-gru", "LSTM: cell state and hidden state, input, forget and output gates."),
    ("confusion-matrix-metrics", "Use PR-AUC for imbalanced data rather than accuracy."),
    ("confusion-matrix-metrics", "Raising the threshold gives fewer false alarms."),
    ("precision-vs-recall", "The ROC curve plots the true positive rate against the false positive rate."),
    ("failed-project-lessons", "I worked closely with the other team to fix the pipeline, and I learned to check "
                               "data contracts early."),
    ("one-hot-vs-label-encoding", "One-hot blows up the number of columns when there are many categories."),
    ("one-hot-vs-label-encoding", "One-hot doesn't imply any order, unlike the integers of label encoding."),
    ("mlops-best-practices", "We keep training and serving features identical so they don't drift apart."),
    ("recommender-evaluation", "A random split is not what I'd use for the offline evaluation."),
]


@pytest.mark.parametrize("question_id, text", ONCE_FLAGGED)
def test_a_right_statement_once_shown_as_wrong_is_not_called_wrong(shipped, question_id, text):
    result = score_answer(shipped.get(question_id), Transcript.typed(text))
    assert "incorrect" not in {k.status for k in result.key_points}, result.explanation
    assert "stated incorrectly" not in result.explanation


@pytest.mark.parametrize("question_id", sorted(CASES))
def test_the_reference_answer_is_never_called_wrong_and_makes_every_technical_point(shipped, question_id):
    """A guard: wider concepts must not turn the bank's own answer against itself (a bare
    'regularisation' once paired with 'raises variance' across a comma in bias-variance-tradeoff).
    The behavioural answers describe a good answer in the second person, so only the technical
    ones must cover every point."""
    question = shipped.get(question_id)
    result = score_answer(question, Transcript.typed(question.answer))
    assert "incorrect" not in {k.status for k in result.key_points}, result.explanation
    if question.category != "behavioural":
        assert result.score == 100, result.explanation


# Mistakes written for the key points whose claim is a single concept (any mention of the term used to
# credit them, however it was stated): per question, a wrong statement a candidate makes, shown stated
# incorrectly with its correction, and a right statement of the same point in other words (often with
# a negation or a contrast) that must not be flagged. Written by the content author for this test.
# question id -> (wrong statement, (point, start of its correction), right statement of that point)
SINGLE_CONCEPT_MISTAKES = {
    "imbalanced-regression-targets": (
        "I would standardise the target with a StandardScaler, which fixes the skew.",
        ("Transform the target", "Standardising or min-max scaling the target is linear"),
        "Standardising the target alone does not fix the skew, so I take the log of the target instead."),
    "deployed-project-walkthrough": (
        "We never measured the impact, so I'm not sure if it helped.",
        ("Measured outcome and monitoring", "Give a measured outcome"),
        "It cut fraud losses by twelve percent against the baseline, and we monitored drift with dashboards."),
    "tech-stack": (
        "I chose PyTorch just because it's popular, it's what everyone uses.",
        ("Explains why each tool was chosen", "Give a reason tied to the work"),
        "I chose PyTorch because it is easier to debug, rather than TensorFlow."),
    "neural-network-tensorflow": (
        "Then I pickle the model to save it.",
        ("Data pipelines and saving", "Save Keras models with model.save"),
        "I feed it with tf.data and save the model in the .keras format rather than pickle."),
    "transformer-pytorch": (
        "For a BERT style classifier the encoder needs a causal mask.",
        ("Causal and padding masks", "A causal mask is for autoregressive decoding"),
        "A causal mask is for the decoder; the encoder only needs a key padding mask."),
    "cnn-tensorflow": (
        "Training from scratch is better than a pretrained model.",
        ("Start from a pretrained Keras application", "With a modest dataset, start from a pretrained Keras application"),
        "Rather than training from scratch, start from a pretrained Keras application like EfficientNet."),
    "random-forest-sklearn": (
        "More trees cause overfitting in a random forest.",
        ("Number of trees", "More trees do not make a random forest overfit"),
        "Adding more trees does not cause overfitting."),
    "gradient-boosting-sklearn": (
        "The subsample parameter samples the features for each tree.",
        ("Subsampling adds randomness", "subsample is the fraction of rows"),
        "Setting subsample to 0.8 fits each tree on a fraction of rows."),
    "rnn-pytorch": (
        "The LSTM output is only the last hidden state.",
        ("Outputs per step and a final hidden state", "nn.RNN, LSTM and GRU return the output at every time step"),
        "It returns the output for each time step and the final hidden state h_n."),
    "gan-pytorch": (
        "I update both networks together on the same loss for both.",
        ("Alternate updates with a BCE loss", "Alternate the updates"),
        "I alternate: one discriminator step with BCE on real and fake, then one generator step."),
    "batch-norm-vs-layer-norm": (
        "Only batch norm has gamma and beta; layer norm has no learnable parameters.",
        ("Both have a learnable scale and shift", "Both BatchNorm and LayerNorm have a learnable scale and shift"),
        "Like batch norm, layer norm has a learnable scale and offset."),
    "feature-engineering": (
        "Trees need scaling, so I standardise everything first.",
        ("Numeric transforms, binning and interactions", "Tree models split on thresholds and do not need scaling"),
        "Trees don't need scaling, but linear models and neural networks do, so I standardise for them."),
    "cross-validation-strategies": (
        "Always use leave one out, LOOCV is always best.",
        ("Nested CV or leave-one-out for special cases", "Leave-one-out is costly"),
        "Leave one out suits very small datasets, and nested CV gives an honest estimate when tuning."),
    "nlp-model-evaluation": (
        "For NER token accuracy is enough.",
        ("Entity-level F1 or exact match for extraction", "Token-level accuracy is inflated"),
        "For NER I use entity level F1 rather than token accuracy."),
    "self-vs-cross-attention": (
        "In encoder decoder models the queries come from the encoder.",
        ("Decoder attends to encoder outputs", "In an encoder-decoder model the queries come from the decoder"),
        "Cross-attention lets the decoder queries attend to the encoder outputs."),
    "missing-values-time-series": (
        "I'd just drop the missing rows and carry on.",
        ("Understand gaps and add an indicator", "Dropping missing timestamps breaks the regular spacing"),
        "I add an indicator column for values that were missing."),
    "validation-set-purpose": (
        "A random split is fine, I always shuffle and split.",
        ("The split mirrors deployment conditions", "The validation split should mirror how the model will be used"),
        "The validation split should mirror production, for example split by time for forecasting."),
    "discriminative-vs-generative": (
        "Discriminative models can generate new samples too.",
        ("Generative models can sample new data", "Only generative models can sample new data"),
        "Discriminative models only learn the boundary, but generative models can generate new data."),
    "deep-learning-test-evaluation": (
        "The softmax outputs are calibrated probabilities already.",
        ("Compare with a baseline and check calibration", "Softmax outputs of modern networks are often overconfident"),
        "I compare with a baseline and check calibration, because softmax outputs are often overconfident."),
    "clustering-evaluation": (
        "Silhouette works for any cluster shape, so it is fine for DBSCAN.",
        ("Metrics assume convex clusters", "Silhouette, Calinski-Harabasz and Davies-Bouldin favour compact, convex clusters"),
        "Silhouette favours convex clusters, so it can be unfair to DBSCAN's arbitrary shapes."),
    "deep-learning-vs-traditional-ml": (
        "Deep learning works well with little data and is cheaper to train.",
        ("Deep learning needs more data and compute", "Deep learning usually needs more labelled data and more compute"),
        "Deep learning needs more data and GPUs, while classical models work with small datasets."),
    "semi-supervised-learning": (
        "It makes no assumptions, it works on any data.",
        ("Relies on cluster or smoothness assumptions", "It relies on assumptions such as the cluster or smoothness"),
        "It relies on the cluster assumption, that nearby points share a label."),
    "collaborative-vs-content-filtering": (
        "Matrix factorisation uses item attributes like genre.",
        ("Neighbourhoods, matrix factorisation or embeddings", "Matrix factorisation is collaborative"),
        "Matrix factorisation learns latent factors from the ratings alone, without item attributes."),
    "regression-metrics": (
        "MAE squares the errors, so it punishes large errors.",
        ("MAE is the average absolute error", "MAE averages the absolute errors"),
        "RMSE squares the errors, while MAE just averages their absolute size."),
    "outliers": (
        "Capping removes the rows with extreme values.",
        ("Cap or winsorise extreme values", "Capping or winsorising keeps every row"),
        "Winsorising caps the values at a percentile and keeps every row."),
    "parametric-vs-nonparametric": (
        "Linear regression is non-parametric because it fits the data.",
        ("Parametric examples such as linear regression", "Linear and logistic regression and naive Bayes are parametric"),
        "Linear regression is parametric, it has a fixed set of coefficients."),
    "cnn-vs-rnn": (
        "Pooling layers learn weights that combine neighbouring pixels.",
        ("Pooling builds a feature hierarchy", "Pooling has no learnable weights"),
        "Pooling has no weights; it just takes the max, and stacking layers builds a hierarchy."),
    "gradient-descent-variants": (
        "With Adam you don't need tuning, Adam needs no learning rate at all.",
        ("Learning rate and schedule matter", "The learning rate is the most important setting even with Adam"),
        "Even with Adam I tune the learning rate and decay it over training."),
    "batch-normalization": (
        "Batch norm causes overfitting because it adds parameters.",
        ("Mild regularising effect", "BatchNorm's regularising effect is mild"),
        "Batch statistics add a little noise, which acts as a mild regulariser."),
    "dimensionality-reduction": (
        "Feature selection combines the features into new ones, like PCA.",
        ("Feature selection is an alternative", "Feature selection keeps a subset of the original features"),
        "Feature selection keeps a subset of the original features, unlike PCA, which builds new ones."),
    "time-series-forecast-evaluation": (
        "Baselines are pointless, any real model beats the last value.",
        ("Beat naive baselines", "Always compare with naive baselines"),
        "I compare against a naive baseline such as the last value or seasonal naive."),
    "ensemble-methods": (
        "Stacking is just averaging the predictions of the base models.",
        ("Stacking and voting", "Stacking trains a meta-model on out-of-fold predictions"),
        "Stacking trains a meta model on out-of-fold predictions, while voting just averages."),
    "attention-mechanism": (
        "The query is compared with the values using a dot product.",
        ("Queries scored against keys with a softmax", "The query is scored against the keys"),
        "Each query is compared with the keys by a dot product, softmaxed, and the weights are applied to the values."),
    "pretraining": (
        "Pretrained representations are task specific and can't be reused for other tasks.",
        ("Learns reusable representations", "The point of pre-training is representations that transfer"),
        "The representations are general and reusable across many downstream tasks."),
    "data-augmentation-purpose": (
        "Any transformation is fine, the model will cope.",
        ("Transformations that preserve the label", "Only transformations that keep the label are valid"),
        "The transformations must preserve the label; flipping a six would make it a nine."),
    "overfitting-vs-underfitting": (
        "A big gap between the training and validation error means the model is underfitting.",
        ("Learning curves diagnose both", "A large gap between training and validation error means overfitting"),
        "If the training and validation curves diverge, the model is overfitting, and if both stay high it underfits."),
    "class-imbalance-classification": (
        "A stratified split balances the classes so each split is fifty fifty.",
        ("Use stratified train and validation splits", "Stratified splitting keeps the original class proportions"),
        "A stratified split keeps the same class proportions in train and validation, it does not make them fifty fifty."),
    "cross-validation": (
        "I report the best fold score as the model's performance.",
        ("Averages the scores and reports the spread", "Report the mean across all folds and their spread"),
        "I report the mean score across the folds and the standard deviation, not the best fold."),
    "transfer-learning": (
        "I freeze the new head and train only the backbone.",
        ("Freeze the backbone and train a new head", "Freeze the pretrained backbone and train the new head"),
        "I freeze the pretrained backbone and train only the new classification head."),
    "bias-variance-tradeoff": (
        "With enough data the noise goes away, more data removes the noise term too.",
        ("Error splits into bias, variance and noise", "The irreducible noise is in the data itself"),
        "More data reduces variance, but the irreducible noise stays whatever you do."),
    "precision-vs-recall": (
        "F1 combines precision and accuracy into one number.",
        ("F1 combines both", "F1 is the harmonic mean of precision and recall; accuracy plays no part"),
        "Unlike accuracy, the F1 score combines precision and recall."),
    "confusion-matrix-metrics": (
        "A confusion matrix shows the correlation between features, so you can see which ones are redundant.",
        ("Table of predicted versus actual classes", "A confusion matrix counts predicted classes against actual"),
        "Unlike a correlation matrix between features, a confusion matrix counts predicted against actual classes."),
    "word-embeddings": (
        "Word2Vec needs labelled data, every word pair has to be hand labelled as similar or not.",
        ("Word2Vec, GloVe and fastText", "Word2Vec, GloVe and fastText learn from raw unlabelled text"),
        "Word2Vec learns from raw text without any labelled data, by predicting a word from its neighbours."),
    "lstm-vs-gru": (
        "In the LSTM the forget gate decides what new information to add to the cell.",
        ("LSTM has three gates", "The forget gate decides what to drop"),
        "The forget gate decides what to throw away, the input gate what to add, and the output gate what to show."),
    "supervised-unsupervised-reinforcement": (
        "Classification predicts a number, like a house price, and regression predicts a category.",
        ("Classification and regression are supervised tasks", "Classification predicts a category"),
        "Classification predicts a category, and regression predicts a number like a house price."),
    "one-hot-vs-label-encoding": (
        "Trees need one-hot encoding, they can't handle label-encoded integers.",
        ("Trees tolerate label encoding", "Tree models split on thresholds"),
        "Trees don't need one-hot encoding; they cope with label encoded integers because they just split on thresholds."),
    "failed-project-lessons": (
        "The model stopped working after launch and we never found out why, it was just bad luck.",
        ("The root cause you found", "Explain the root cause you found"),
        "We didn't know why at first, but when I dug into it I found the cause was a change in the upstream schema."),
    "recommender-evaluation": (
        "The logs are unbiased, so if a user didn't click an item it means they dislike it.",
        ("Logged data biases offline metrics", "Logged interactions are biased by what the old system chose to show"),
        "The logs are not unbiased: users could only click on what the old system showed them."),
    "tell-me-about-yourself": (
        "To be honest I just need a job, and I don't know much about your company.",
        ("Why this role is the next step", "Close by saying why this team, product or problem"),
        "I'm not just looking for any job; I'm applying here because your team works on exactly my kind of problem."),
    "mlops-best-practices": (
        "We only version the code in Git, the data doesn't need versioning.",
        ("Version code, data and models", "Version the data and the trained models as well as the code"),
        "Not just the code: we version the data and the models too, with DVC and a registry."),
}


# Second cases for two questions already in the table above (question id, wrong, (point, correction), right).
MORE_SINGLE_CONCEPT_MISTAKES = [
    ("random-forest-sklearn",
     "Permutation importance is biased towards high cardinality features, so use feature_importances_.",
     ("Feature importance caveat", "It is the impurity-based feature_importances_"),
     "The impurity based importances are biased towards high cardinality features, so I use permutation "
     "importance on held out data."),
    ("self-vs-cross-attention",
     "Self-attention gives one fixed vector per word whatever the sentence.",
     ("Self-attention builds contextual representations", "Self-attention mixes each token with the others"),
     "Self-attention builds contextual representations: each token's vector depends on all other tokens."),
]
SINGLE_CONCEPT_CASES = sorted((q, *case) for q, case in SINGLE_CONCEPT_MISTAKES.items()) + MORE_SINGLE_CONCEPT_MISTAKES


@pytest.mark.parametrize("question_id, wrong, point, right", SINGLE_CONCEPT_CASES)
def test_a_wrong_statement_of_a_single_concept_point_is_named_with_its_correction(shipped, question_id, wrong, point,
                                                                                 right):
    label, correction = point
    result = score_answer(shipped.get(question_id), Transcript.typed(wrong))
    point = next(k for k in result.key_points if k.label == label)
    assert point.status == "incorrect", (point.status, result.explanation)
    assert point.correction.startswith(correction), point.correction
    assert point.evidence and point.evidence.text in wrong
    assert "stated incorrectly (0)" in result.explanation


@pytest.mark.parametrize("question_id, wrong, point, right", SINGLE_CONCEPT_CASES)
def test_a_right_statement_of_a_single_concept_point_is_credited_and_not_called_wrong(shipped, question_id, wrong,
                                                                                    point, right):
    label, _ = point
    result = score_answer(shipped.get(question_id), Transcript.typed(right))
    statuses = {k.label: k.status for k in result.key_points}
    assert statuses[label] == "covered", (statuses, result.explanation)
    assert "incorrect" not in statuses.values(), statuses
