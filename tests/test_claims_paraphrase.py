"""Paraphrase rules of the claims judge (issue 12, round four): a right answer in the candidate's
own words is credited. Each case a sentence a candidate could say, scored by the app's own
scorer, and the verdict they would see."""

from mockinterviewer.core.bank import KeyPoint, Mistake, Question
from mockinterviewer.core.references import compared_subjects
from mockinterviewer.core.scoring import score_answer
from mockinterviewer.core.transcript import Transcript


def verdicts(question, text):
    return {k.label: k.status for k in score_answer(question, Transcript.typed(text)).key_points}


def evidence(question, text, label):
    return next(k.evidence.text for k in score_answer(question, Transcript.typed(text)).key_points
                if k.label == label)


PR = Question(
    "pr", "evaluation", "easy", "What is the difference between precision and recall?", "…", (
        KeyPoint("Precision is correctness among predicted positives", (), claims=(("precision", "flagged"),),
                 mistakes=(Mistake(("precision", "actual"), "Precision divides by the predicted positives."),)),
        KeyPoint("Recall is coverage of actual positives", (), claims=(("recall", "actual"),),
                 mistakes=(Mistake(("recall", "flagged"), "Recall divides by the actual positives."),)),
    ),
    concepts=(("precision", ("precision",)), ("recall", ("recall", "sensitivity")),
              ("flagged", ("the model flagged", "predicted positive")),
              ("actual", ("really were positive", "actual positives"))))


def test_the_question_names_what_it_compares():
    assert compared_subjects("What is the difference between precision and recall?") == (("precision",), ("recall",))
    assert compared_subjects("What is the difference between an LSTM and a GRU?") == (("lstm",), ("gru",))
    assert compared_subjects("Compare random forests and gradient boosting.") == (("random", "forests"),
                                                                                   ("gradient", "boosting"))
    assert compared_subjects("When would you use an LSTM vs a GRU?") == (("lstm",), ("gru",))
    assert compared_subjects("How do you prevent overfitting?") == ()
    # not a name but the rest of the sentence: nothing is read into "the second one"
    assert compared_subjects("How do you choose between precision and recall when the classes are "
                             "imbalanced?") == ()


def test_the_first_one_and_the_second_stand_for_the_subjects_the_question_names():
    text = ("The first one looks only at the cases the model flagged and asks how many of them were right. "
            "The second looks at everything that really were positive cases and asks how many it caught.")
    said = verdicts(PR, text)
    assert said["Precision is correctness among predicted positives"] == "covered"
    assert said["Recall is coverage of actual positives"] == "covered"
    # the evidence quotes what the candidate said, not the subject put in its place
    assert evidence(PR, text, "Precision is correctness among predicted positives").startswith("The first one")


def test_the_former_and_the_latter_too():
    said = verdicts(PR, "Of the two, the latter counts what really were positive cases, and the former only "
                        "what the model flagged.")
    assert said["Recall is coverage of actual positives"] == "covered"
    assert said["Precision is correctness among predicted positives"] == "covered"


def test_a_reference_in_the_other_order_is_never_told_it_is_wrong():
    # the candidate took recall first: read in the question's order this would be two mistakes
    said = verdicts(PR, "The first one asks what share of the cases that really were positive got caught. The "
                        "second one asks how many of the cases the model flagged were right.")
    assert "incorrect" not in said.values()


def test_a_short_sentence_that_names_what_the_one_before_described():
    said = verdicts(PR, "Take everything the model flagged: how many of those were right? That's precision.")
    assert said["Precision is correctness among predicted positives"] == "covered"
    # a sentence that goes on about something else is no name for the one before it
    said = verdicts(PR, "Take everything the model flagged and count it. That is a step I would do before "
                        "anything else, and precision comes later.")
    assert said["Precision is correctness among predicted positives"] != "covered"


STORY = Question("story", "behavioural", "medium", "Tell me about a project you are proud of.", "…", (
    KeyPoint("Names the project", (), claims=(("project",),)),), concepts=(("project", ("project",)),))


def test_a_story_told_in_everyday_words_shows_its_structure():
    said = verdicts(STORY, "When I joined, the business wanted faster delivery estimates for a project. I pushed "
                           "for replacing the old rule and rewrote the pipeline. Complaints came down by a quarter "
                           "within two months. What stuck with me is to check the data before the model.")
    assert said["Structure: the situation"] == "covered"
    assert said["Structure: what you did"] == "covered"
    assert said["Structure: a measurable result (a number)"] == "covered"
    assert said["Structure: the lesson learned"] == "covered"
