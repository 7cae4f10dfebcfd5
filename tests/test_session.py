from pathlib import Path

import pytest

from mockinterviewer.core.bank import load_bank
from mockinterviewer.core.scoring import score_answer
from mockinterviewer.core.session import PracticeSession, State, TransitionError, pick_questions
from mockinterviewer.core.transcript import Transcript

BANK = load_bank(Path(__file__).parent / "data" / "mini.yaml")


def test_a_session_walks_through_every_state_and_summarises():
    session = PracticeSession(list(BANK.questions))
    seen = []
    session.subscribe(seen.append)
    session.start()
    session.question_spoken()
    session.answer_stopped()
    session.answer_scored(score_answer(session.current, Transcript.typed("high bias underfitting")))
    session.next()
    session.question_spoken()
    session.next()  # the second question is skipped
    assert seen == [State.SPEAKING, State.LISTENING, State.TRANSCRIBING, State.SCORED, State.SPEAKING,
                    State.LISTENING, State.FINISHED]
    summary = session.summary()
    assert [r.question_id for r in summary.results] == ["bias-variance-tradeoff"]
    assert [q.id for q in summary.skipped] == ["prevent-overfitting"]
    assert summary.average == summary.results[0].score


def test_steps_out_of_order_are_refused():
    session = PracticeSession(list(BANK.questions))
    with pytest.raises(TransitionError):
        session.answer_stopped()
    session.start()
    with pytest.raises(TransitionError):
        session.answer_stopped()  # still speaking
    session.question_spoken()
    session.answer_stopped()
    with pytest.raises(TransitionError):
        session.next()  # not while transcribing
    session.answer_failed()
    assert session.state is State.LISTENING


def test_a_result_for_another_question_is_refused():
    session = PracticeSession(list(BANK.questions))
    session.start()
    session.question_spoken()
    other = score_answer(BANK.questions[1], Transcript.typed("dropout"))
    with pytest.raises(TransitionError):
        session.answer_scored(other)


def test_pick_questions_counts_and_keeps_order_when_asked():
    assert [q.id for q in pick_questions(BANK.questions, 5, shuffle=False)] == [q.id for q in BANK.questions]
    assert len(pick_questions(BANK.questions, 1, shuffle=True, seed=3)) == 1
