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
