"""Spaced review with FSRS: weak questions come back sooner; never-practised ones are new, not due."""

import datetime as dt
from pathlib import Path

import pytest
from fsrs import Rating

from mockinterviewer.core.bank import load_bank
from mockinterviewer.core.review import (due_questions, new_questions, rating_for, reviews, schedule,
                                         weakest_questions)
from mockinterviewer.core.scoring import score_answer
from mockinterviewer.core.transcript import Transcript
from mockinterviewer.store import History

DATA = Path(__file__).parent / "data"
T0 = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.timezone.utc)


class Scores:
    """What the scheduler reads from a history: each question's (time, score) pairs."""

    def __init__(self, scores):
        self.scores = scores

    def score_history(self):
        return self.scores


@pytest.mark.parametrize("score, rating", [(0, Rating.Again), (39, Rating.Again), (40, Rating.Hard),
                                           (59, Rating.Hard), (60, Rating.Good), (84, Rating.Good),
                                           (85, Rating.Easy), (100, Rating.Easy)])
def test_a_score_maps_to_a_rating_by_the_documented_bands(score, rating):
    assert rating_for(score) is rating


def test_a_question_scored_20_is_due_before_one_scored_95():
    history = Scores({"strong": [(T0, 95)], "weak": [(T0, 20)]})
    assert [r.question_id for r in due_questions(history, now=T0 + dt.timedelta(hours=12))] == []
    assert [r.question_id for r in due_questions(history, now=T0 + dt.timedelta(days=2))] == ["weak"]
    later = due_questions(history, now=T0 + dt.timedelta(days=30))
    assert [r.question_id for r in later] == ["weak", "strong"]  # most overdue first
    assert later[0].overdue(T0 + dt.timedelta(days=30)) > later[1].overdue(T0 + dt.timedelta(days=30))


def test_a_question_answered_well_after_a_weak_start_is_spaced_out_again():
    recovered = schedule([(T0, 20), (T0 + dt.timedelta(days=1), 90)])
    still_weak = schedule([(T0, 20), (T0 + dt.timedelta(days=1), 20)])
    assert recovered.due > still_weak.due
    steady = schedule([(T0 + dt.timedelta(days=d), 90) for d in (0, 8, 30)])
    assert steady.due - (T0 + dt.timedelta(days=30)) > dt.timedelta(days=30)  # further apart each time


def test_never_practised_questions_are_new_not_due():
    history = Scores({"weak": [(T0, 20)]})
    far = T0 + dt.timedelta(days=365)
    assert [r.question_id for r in due_questions(history, ["weak", "never"], far)] == ["weak"]
    assert new_questions(history, ["weak", "never"]) == ["never"]
    assert due_questions(history, ["never"], far) == []  # limited to the questions asked about


def test_due_and_weakest_from_real_scored_answers_in_a_stored_history(tmp_path):
    bank = load_bank(DATA / "mini.yaml")
    bias, overfit = bank.get("bias-variance-tradeoff"), bank.get("prevent-overfitting")
    with History(data_dir=tmp_path) as history:
        session = history.start_session(started_at=T0)
        weak = score_answer(bias, Transcript.typed("High bias means the model is too simple, so it underfits the "
                                                   "data it is trained on and also the test data."))
        strong = score_answer(overfit, Transcript.typed("I would add dropout between the layers, use L2 regularization "
                                                        "on the weights, and stop early when validation loss rises."))
        assert weak.score < 40 and strong.score >= 85
        history.save_attempt(session, bias, weak, attempted_at=T0)
        history.save_attempt(session, overfit, strong, attempted_at=T0)
        after_two_days = due_questions(history, [q.id for q in bank.questions], T0 + dt.timedelta(days=2))
        weakest = weakest_questions(history, 1)
        by_average = weakest_questions(history, 5, by="average")
        states = {r.question_id: r for r in reviews(history, now=T0 + dt.timedelta(days=2))}
    assert [r.question_id for r in after_two_days] == [bias.id]
    assert [w.question_id for w in weakest] == [bias.id] and weakest[0].latest == weak.score
    assert [w.question_id for w in by_average] == [bias.id, overfit.id]
    assert states[bias.id].retrievability < states[overfit.id].retrievability
