"""Importing plain-text and Markdown question lists (mockinterviewer.core.importer)."""

from pathlib import Path

import pytest
import yaml

from mockinterviewer.core.bank import load_bank
from mockinterviewer.core.importer import (DraftQuestion, ImportResult, import_files, import_text,
                                           write_bank)
from mockinterviewer.core.keypoints import STOP, draft_key_points
from mockinterviewer.errors import UserError

DATA = Path(__file__).parent / "data" / "import"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
OWN_FILES = sorted(DATA.iterdir())
GENERIC = {"model", "data", "training", "use"}


def seed(prefix: str) -> Path:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    if not found:
        pytest.skip("../shared/seeds is absent: the seed documents are only beside a project checkout")
    return found[0]


def imported(path: Path) -> ImportResult:
    return import_files([path])


def assert_every_line_accounted_for(path: Path, result: ImportResult):
    """Each non-blank line is in a question, or skipped with a reason; each problem is skipped too."""
    covered = {n for q in result.questions for n in range(q.line, q.end_line + 1)}
    skipped = {n for s in result.skipped for n in range(s.line, s.end_line + 1)}
    for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            assert no in covered | skipped, f"{path.name}:{no} was dropped silently: {line!r}"
    assert not covered & skipped
    for problem in result.problems:
        assert problem.line in skipped


def assert_draft_key_points(q: DraftQuestion):
    assert 1 <= len(q.key_points) <= 7, q.text
    labels = [label.lower() for label, _ in q.key_points]
    assert len(labels) == len(set(labels)), q.key_points
    for label, phrasings in q.key_points:
        assert label and phrasings, q.text
        for phrasing in phrasings:
            words = phrasing.lower().split()
            assert 1 <= len(words) <= 4, phrasing
            assert not all(w in STOP for w in words), phrasing
            assert phrasing.lower() not in GENERIC, phrasing
        assert len({p.lower() for p in phrasings}) == len(phrasings), phrasings


# --- The seed documents ---------------------------------------------------------------------------

def test_seed_000_emoji_keycap_questions():
    path = seed("000")
    result = imported(path)
    assert len(result.questions) == 16
    assert not result.problems
    texts = [q.text for q in result.questions]
    assert texts[0] == "Tell me about yourself"
    assert texts[1] == "Supervised vs Unsupervised vs Reinforcement Learning?"
    assert texts[5] == "What is a confusion matrix? Key metrics?"
    assert texts[9] == "Walk through deployed ML project"  # keycap "1️⃣0️⃣"
    assert texts[15] == "Failed ML project + lessons?"
    assert [q.line for q in result.questions][:4] == [2, 5, 10, 15]
    assert result.questions[0].answer.startswith('"I have 4+ years as ML engineer')
    assert result.questions[1].answer.splitlines() == [
        "Supervised: Labeled data (classification/regression).",
        "Unsupervised: Patterns in unlabeled data (clustering/PCA).",
        "Reinforcement: Agent learns via rewards (games/robotics)."]
    assert "Double Tap" not in result.questions[-1].answer  # the footer is not part of an answer
    assert {(s.line, s.end_line) for s in result.skipped} == {(1, 1), (70, 70)}
    assert all(q.difficulty is None for q in result.questions)
    assert_every_line_accounted_for(path, result)


def test_seed_001_numbered_q_paragraphs_with_code():
    path = seed("001")
    result = imported(path)
    assert len(result.questions) == 57
    assert not result.problems
    first, third, last = result.questions[0], result.questions[2], result.questions[-1]
    assert first.text == "How do you handle overfitting in a deep neural network?"
    assert first.answer.startswith("Overfitting can be handled by using techniques such as dropout")
    assert third.text == "How do you implement data augmentation in a computer vision task?"
    assert third.answer.endswith("For example,\n\nimport imgaug\naugmenter = imgaug.Augmenter()\n"
                                 "images = augmenter.augment_images(images)")
    assert last.text == "How do you evaluate the performance of a machine learning model using cross-validation?"
    assert last.answer.endswith("scores = cross_val_score(model, X, y, cv=5)")  # not the tips after it
    assert not any("Need help" in q.text or "Tips" in q.text for q in result.questions)
    spans = {(s.line, s.end_line, s.reason) for s in result.skipped}
    assert (1, 5, "the title and introduction before the first question") in spans
    assert (293, 313, "a tips, closing or footer section") in spans
    assert_every_line_accounted_for(path, result)


def test_seed_002_difficulty_glued_to_the_answer():
    path = seed("002")
    result = imported(path)
    assert [q.text for q in result.questions] == [
        "Explain the difference between supervised, unsupervised, and reinforcement learning",
        "Implement a neural network from scratch and explain backpropagation",
        "Explain overfitting, underfitting, and regularization techniques",
        "Implement a convolutional neural network (CNN) for image classification",
        "Explain model deployment and MLOps best practices"]
    assert [q.difficulty for q in result.questions] == ["easy", "hard", "medium", "hard", "medium"]
    assert result.questions[0].answer.startswith("Supervised Learning: Learning from labeled data")
    assert result.questions[0].answer.endswith("Examples: Game playing (AlphaGo), Robotics, Self-driving cars")
    assert result.questions[1].answer.startswith("Neural networks learn by adjusting weights")
    assert not result.problems
    assert {(s.line, s.end_line) for s in result.skipped} == {(1, 2), (20, 27)}
    assert_every_line_accounted_for(path, result)


@pytest.mark.parametrize("prefix, count", [("000", 16), ("001", 57), ("002", 5)])
def test_each_seed_becomes_a_valid_bank(tmp_path, prefix, count):
    result = imported(seed(prefix))
    for q in result.questions:
        assert_draft_key_points(q)
    bank = load_bank(write_bank(result, tmp_path / f"seed-{prefix}.yaml"))
    assert len(bank.questions) == count
    assert [q.answer for q in bank.questions] == [q.answer for q in result.questions]


def test_seed_000_key_points_name_the_techniques():
    result = imported(seed("000"))
    overfitting = dict(result.questions[3].key_points)
    assert result.questions[3].text == "How do you prevent overfitting?"
    phrasings = {p.lower() for ph in overfitting.values() for p in ph}
    assert {"early stopping", "dropout", "l1 regularization", "l2 regularization", "data augmentation",
            "cross-validation"} <= phrasings
    bias_variance = dict(result.questions[2].key_points)
    assert bias_variance["High bias"] == ("High bias", "Underfitting")


# --- Layouts of our own ---------------------------------------------------------------------------

def test_markdown_headings_with_code_fences():
    path = DATA / "markdown_headings.md"
    result = imported(path)
    overfit, precision, batchnorm = result.questions
    assert (overfit.line, overfit.text, overfit.difficulty) == (7, "What is overfitting?", "easy")
    assert overfit.answer == ("Overfitting is when a model learns the noise in the training data.\n"
                              "Common fixes: **dropout**, **early stopping** and **L2 regularization**.")
    assert (precision.line, precision.text, precision.difficulty) == (12, "How do you compute precision in Python?",
                                                                      "hard")
    # The fence, the "# comment" inside it and the deeper "#### Example" heading all stay in the answer.
    assert "```python\n# a comment, not a heading\nfrom sklearn.metrics import precision_score" in precision.answer
    assert precision.answer.endswith("#### Example\n\nWith 8 true positives and 2 false positives, precision is 0.8.")
    assert (batchnorm.line, batchnorm.text, batchnorm.difficulty) == (29, "Explain batch normalization", "medium")
    assert batchnorm.answer.startswith("Batch normalization (BN) normalises")  # not the "Difficulty:" line
    assert {"Dropout", "Early stopping", "L2 regularization"} <= {label for label, _ in overfit.key_points}
    assert ("Batch normalization", ("Batch normalization", "BN")) in batchnorm.key_points
    assert not result.problems
    assert {(s.line, s.end_line, s.reason) for s in result.skipped} == {
        (1, 5, "the title and introduction before the first question"), (27, 27, "a section heading"),
        (35, 38, "a tips, closing or footer section")}
    assert_every_line_accounted_for(path, result)


def test_q_and_a_pairs():
    path = DATA / "qa_pairs.md"
    result = imported(path)
    assert [(q.line, q.text, q.difficulty) for q in result.questions] == [
        (1, "What is the bias-variance tradeoff?", None),
        (5, "Which metric would you use for an imbalanced classification problem, and why?", None),
        (10, "What does PCA do?", "medium"),
        (13, "How does dropout work?", None)]
    assert [q.answer for q in result.questions] == [
        "Bias is error from wrong assumptions (underfitting); variance is error from\n"
        "sensitivity to the training set (overfitting). Reducing one tends to raise the other.",
        "Precision, recall, F1 and AUC-PR say more than accuracy when positives are rare.",
        "PCA projects data onto the directions of greatest variance.",
        "During training, dropout zeroes a random subset of activations so units cannot co-adapt."]
    assert {"Precision", "Recall", "F1", "AUC-PR"} <= {label for label, _ in result.questions[1].key_points}
    assert not result.problems and not result.skipped
    assert_every_line_accounted_for(path, result)


def test_numbered_list_with_indented_answers():
    path = DATA / "numbered.md"
    result = imported(path)
    assert [(q.line, q.end_line, q.text, q.difficulty) for q in result.questions] == [
        (3, 9, "What is cross-validation?", None),
        (11, 14, "Explain the curse of dimensionality", "hard"),
        (16, 18, "How would you detect data drift?", None)]
    assert result.questions[0].answer == (
        "Cross-validation splits the data into k folds, trains on k-1 of them\n"
        "and validates on the remaining one, rotating through all folds.\n\n"
        "Common variants:\n- Stratified k-fold\n- Time-series split")
    assert result.questions[1].answer.endswith("1. Distances concentrate.\n2. More data is needed to cover the space.")
    assert [label for label, _ in result.questions[0].key_points][:2] == ["Stratified k-fold", "Time-series split"]
    assert len(result.questions[0].claims) >= 3  # the answer's clauses give the claims the terms lack
    assert {"KS", "PSI"} <= {label for label, _ in result.questions[2].key_points}
    assert {(s.line, s.reason) for s in result.skipped} == {
        (1, "the title and introduction before the first question"), (20, "a tips, closing or footer section")}
    assert_every_line_accounted_for(path, result)


def test_mixed_layouts_in_one_file():
    path = DATA / "mixed.md"
    result = imported(path)
    assert [(q.line, q.text, q.difficulty) for q in result.questions] == [
        (3, "What is gradient descent?", None),
        (6, "What is the learning rate?", None),
        (9, "Explain regularization", None),
        (13, "What is a ROC curve?", None),
        (16, "Describe k-means clustering", "medium"),
        (19, "Why do we scale features", None)]
    assert result.questions[2].answer == "Regularization adds a penalty such as L1 or L2 to limit model complexity."
    assert result.questions[4].answer.startswith("K-means assigns points to the nearest centroid")
    assert result.questions[5].answer.startswith("Scaling puts features on comparable ranges")
    assert dict(result.questions[1].key_points) == {"Learning rate": ("learning rate",)}  # from the question
    assert not result.problems
    assert_every_line_accounted_for(path, result)


def test_messy_file_reports_what_it_cannot_import():
    path = DATA / "messy.md"
    result = imported(path)
    assert [(q.line, q.text, q.difficulty, q.answer) for q in result.questions] == [
        (6, "What is batch normalization?", "medium", "Batch normalization normalises activations over each mini-batch."),
        (17, "What is a learning rate?", None, "The step size used by gradient descent.")]
    assert [(p.line, p.message) for p in result.problems] == [
        (5, "the question “What is dropout?” has no answer under it, so it was not imported"),
        (10, "this paragraph is outside any question, so it was not imported"),
        (13, "an answer with no question above it was not imported"),
        (15, "this looks like a question but has no answer under it, so it was not imported")]
    assert all(p.file == str(path) for p in result.problems)
    assert {(s.line, s.end_line) for s in result.skipped} == {(1, 3), (5, 5), (9, 9), (10, 15), (20, 20)}
    assert_every_line_accounted_for(path, result)


def test_plain_question_lines_without_markers():
    path = DATA / "plain.txt"
    result = imported(path)
    assert [(q.line, q.end_line, q.text) for q in result.questions] == [
        (1, 2, "What is a p-value?"), (4, 6, "When would you use a random forest instead of gradient boosting?")]
    assert result.questions[1].answer.endswith("It is also easy to parallelise.")
    assert_every_line_accounted_for(path, result)


@pytest.mark.parametrize("path", OWN_FILES, ids=lambda p: p.name)
def test_own_layouts_have_valid_draft_key_points_and_load_as_banks(tmp_path, path):
    result = imported(path)
    assert result.questions
    for q in result.questions:
        assert_draft_key_points(q)
        assert q.text and q.answer and q.file == str(path)
    assert len(load_bank(write_bank(result, tmp_path / "bank.yaml")).questions) == len(result.questions)


# --- Question and difficulty shapes -----------------------------------------------------------------

@pytest.mark.parametrize("source, text, difficulty", [
    ("## Q1. **What is bagging?** (Hard)\nBagging averages models fit on bootstrap samples.", "What is bagging?", "hard"),
    ("### [easy] What is a tensor?\nA multi-dimensional array.", "What is a tensor?", "easy"),
    ("**Q:** What is stacking? Easy\n**A:** A meta-model combines base models.", "What is stacking?", "easy"),
    ("Question 4: What is boosting? | Difficulty: Medium\nAnswer: Sequential models fix earlier errors.",
     "What is boosting?", "medium"),
    ("1. Explain attention (advanced)\n   Attention weighs inputs by relevance.", "Explain attention", "hard"),
    ("Explain dropoutHard\nAnswer: Units are dropped at random.", "Explain dropout", "hard"),
    ("🔥 🔟 What is a GAN?\n✅ Answer:\nTwo networks compete.", "What is a GAN?", None),
])
def test_question_text_is_cleaned_and_difficulty_picked_up(source, text, difficulty):
    (q,) = import_text(source).questions
    assert (q.text, q.difficulty) == (text, difficulty)
    assert q.answer and q.file == "<text>"


def test_crlf_bom_and_tabs_are_read():
    result = import_text("\ufeffQ: What is a loss function?\r\nA: It measures\r\n\tthe error.\r\n")
    (q,) = result.questions
    assert q.text == "What is a loss function?"
    assert q.answer == "It measures\n    the error."


def test_q_learning_is_not_a_question_label():
    result = import_text("## What is Q-learning?\nQ-learning: a value-based method.\nQ-values estimate returns.")
    (q,) = result.questions
    assert q.answer.endswith("Q-values estimate returns.")


def test_numbered_steps_inside_an_answer_stay_in_the_answer():
    result = import_text("## How do you tune a model?\n1. Explain the baseline to the team first\n"
                         "2. Search the learning rate\n3. Describe the results in a report")
    assert len(result.questions) == 1
    assert result.questions[0].answer.count("\n") == 2


def test_text_without_questions_is_a_problem():
    result = import_text("Just some notes.\nNothing to ask here.", "notes.txt")
    assert not result.questions
    assert [(p.file, p.line) for p in result.problems] == [("notes.txt", 0)]


# --- Key points ---------------------------------------------------------------------------------------

def test_key_points_from_terms_enumerations_and_acronyms():
    points = dict(draft_key_points(
        "Bagging: Parallel ensembles (bootstrap samples).\nRegularization options include dropout, L1/L2 penalties and "
        "early stopping. Principal component analysis (PCA) reduces dimensions; XGBoost is popular."))
    assert points["Bagging"] == ("Bagging", "Parallel ensembles")
    assert points["L1/L2 penalties"][:2] == ("L1 penalties", "L2 penalties")
    assert points["Principal component analysis"] == ("Principal component analysis", "PCA")
    assert {"Dropout", "Early stopping", "XGBoost"} <= set(points)
    assert len(points) <= 7


def test_key_points_are_at_most_seven_and_deduplicated():
    answer = ", ".join(f"Technique{n}X" for n in range(12)) + ". Dropout, dropout, Dropouts and dropout."
    points = draft_key_points(answer)
    assert len(points) == 7
    assert len({label.lower() for label, _ in points}) == 7


def test_key_points_fall_back_to_the_question():
    assert draft_key_points("It depends on the case.", "What is the difference between precision and recall?") \
        == (("Precision", ("precision",)), ("Recall", ("recall",)))
    assert draft_key_points("Be honest.", "Tell me about yourself")[0][1]  # never empty


# --- Reading files and writing banks ------------------------------------------------------------------

def test_unreadable_files_are_problems_on_line_0(tmp_path):
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00 not utf-8 \x81")
    missing = tmp_path / "missing.md"
    result = import_files([binary, DATA / "qa_pairs.md", missing])
    assert len(result.questions) == 4
    assert [(p.file, p.line) for p in result.problems] == [(str(binary), 0), (str(missing), 0)]
    assert "UTF-8" in result.problems[0].message


def test_write_bank_output_loads_and_marks_drafts(tmp_path):
    result = import_files([DATA / "qa_pairs.md", DATA / "mixed.md"])
    path = write_bank(result, tmp_path / "my-notes.yaml")
    bank = load_bank(path)
    assert (bank.id, bank.title) == ("my-notes", "My notes")
    assert "drafts" in bank.description
    assert len(bank.questions) == 10
    pca = bank.get("pca")
    assert pca is not None and pca.text == "What does PCA do?" and pca.difficulty == "medium"
    assert pca.category == "imported"
    assert pca.tags == ("draft", "draft-key-points")
    assert pca.sources == ("qa_pairs.md:10",)
    assert bank.get("gradient-descent").difficulty == "medium"  # the default when the source is silent
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert list(raw) == ["format", "id", "title", "description", "questions"]
    assert all(set(point) <= {"label", "phrasings", "claims"} for q in raw["questions"] for point in q["key_points"])
    assert path.read_text(encoding="utf-8").startswith("# Imported by Mock Interviewer")


def test_write_bank_refuses_to_overwrite_without_force(tmp_path):
    result = imported(DATA / "qa_pairs.md")
    path = write_bank(result, tmp_path / "bank.yaml", bank_id="qa", title="Q and A")
    with pytest.raises(UserError, match=r"bank\.yaml already exists; use --force to replace it\."):
        write_bank(result, path)
    before = path.read_text(encoding="utf-8")
    write_bank(imported(DATA / "numbered.md"), path, force=True)
    assert path.read_text(encoding="utf-8") != before
    assert len(load_bank(path).questions) == 3
    assert not list(tmp_path.glob("*.tmp"))


def test_write_bank_rejects_empty_results_and_bad_ids(tmp_path):
    with pytest.raises(UserError):
        write_bank(ImportResult((), ()), tmp_path / "empty.yaml")
    with pytest.raises(UserError, match="lowercase"):
        write_bank(imported(DATA / "qa_pairs.md"), tmp_path / "x.yaml", bank_id="Not An Id")
    assert not list(tmp_path.iterdir())


def test_unique_ids_and_key_points_for_questions_without_any(tmp_path):
    bare = DraftQuestion("Tell me about yourself.", "Be brief.", None, (), "notes.md", 3)
    again = DraftQuestion("Tell me about yourself!", "Mention your role.", "easy", (), "notes.md", 9)
    bank = load_bank(write_bank(ImportResult((bare, again), ()), tmp_path / "b.yaml"))
    assert [q.id for q in bank.questions] == ["tell-me-about-yourself", "tell-me-about-yourself-2"]
    assert all(q.key_points and q.key_points[0].phrasings for q in bank.questions)
    assert [q.difficulty for q in bank.questions] == ["medium", "easy"]


def test_imported_questions_get_draft_claims_not_just_their_topic(tmp_path):
    from mockinterviewer.core.scoring import score_answer
    from mockinterviewer.core.transcript import Transcript

    notes = tmp_path / "leakage.md"
    notes.write_text("Q: Data leakage\nA: Data leakage happens when information from outside the training data, such as "
                     "the test set, is used to build the model. It makes validation scores look better than real "
                     "performance. Prevent it by fitting scalers only on the training fold, and by using time-based "
                     "splits for temporal data.\n", encoding="utf-8")
    bank = load_bank(write_bank(import_files([notes]), tmp_path / "leakage.yaml"))
    question = bank.questions[0]
    claimed = [k for k in question.key_points if k.claims]
    assert len(claimed) >= 3, question.key_points
    assert all(len(claim) >= 2 for k in claimed for claim in k.claims)  # a term and what is said about it
    assert [k.label for k in question.key_points] != ["Data leakage"]
    assert score_answer(question, Transcript.typed("Data leakage.")).score <= 20
    told = score_answer(question, Transcript.typed(
        "Data leakage is when information from outside the training data reaches the model, for example from the "
        "test set. Then the validation scores look better than the real performance. To prevent it you fit "
        "scalers on the training fold only."))
    assert told.score >= 60, told.explanation
