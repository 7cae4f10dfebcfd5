from pathlib import Path

import pytest

from mockinterviewer.core.bank import load_bank
from mockinterviewer.core.scoring import score_answer
from mockinterviewer.core.session import Order, PracticeSession, State, TransitionError, order_questions
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
    assert [q.id for q in order_questions(BANK.questions, 5, Order.IN_ORDER)] == [q.id for q in BANK.questions]
    assert len(order_questions(BANK.questions, 1, Order.RANDOM, seed=3)) == 1


def _scored_session(mode):
    from mockinterviewer.core.session import Mode

    session = PracticeSession(list(BANK.questions), mode=Mode(mode))
    session.start()
    session.question_spoken()
    session.answer_scored(score_answer(session.current, Transcript.typed("underfitting")))
    return session


def test_practice_allows_another_attempt_and_keeps_both():
    session = _scored_session("practice")
    assert session.can_retry
    session.retry()
    assert session.state is State.LISTENING and session.attempt_number == 2
    better = score_answer(session.current, Transcript.typed(
        "high bias means underfitting, high variance means overfitting, and the trade-off balances the two"))
    session.answer_scored(better)
    assert [r.score for r in session.attempts[0]][-1] == better.score
    assert len(session.attempts[0]) == 2
    session.next()
    session.next()
    summary = session.summary()
    assert summary.results == (better,) and summary.attempts == (2,)


def test_a_mock_interview_allows_one_attempt():
    session = _scored_session("mock")
    assert not session.can_retry
    with pytest.raises(TransitionError, match="one attempt"):
        session.retry()


def test_the_question_can_be_repeated_before_answering():
    session = PracticeSession(list(BANK.questions))
    session.start()
    session.question_spoken()
    session.repeat_question()
    assert session.state is State.SPEAKING
    session.question_spoken()
    session.answer_stopped()
    with pytest.raises(TransitionError):
        session.repeat_question()  # not while the answer is being transcribed


def test_a_corrected_transcript_replaces_the_last_attempt():
    session = _scored_session("practice")
    corrected = score_answer(session.current, Transcript.typed("high bias is underfitting"))
    session.rescored(corrected)
    assert session.current_result is corrected and session.attempts[0] == [corrected]


def test_orders_weakest_first_and_due_first():
    from mockinterviewer.core.session import Order, order_questions

    ids = [q.id for q in BANK.questions]
    scores = {ids[0]: 80, ids[1]: 20}
    weakest = [q.id for q in order_questions(BANK.questions, 10, Order.WEAKEST_FIRST, scores=scores, seed=1)]
    assert weakest[:2] == [ids[1], ids[0]]
    due = [q.id for q in order_questions(BANK.questions, 10, Order.DUE_FIRST, scores=scores, due=[ids[0]], seed=1)]
    assert due[:2] == [ids[0], ids[1]]
    assert [q.id for q in order_questions(BANK.questions, 10, Order.IN_ORDER)] == ids


def test_a_corrected_transcript_keeps_the_timings_of_words_left_alone():
    from mockinterviewer.core.transcript import Word, corrected

    heard = Transcript("I would use drop out and lasso", tuple(
        Word(w, i * 0.5, i * 0.5 + 0.4, 0.6) for i, w in enumerate("I would use drop out and lasso".split())),
        duration=4.0, model="tiny.en")
    fixed = corrected(heard, "I would use dropout and L1 regularisation")
    assert fixed.text == "I would use dropout and L1 regularisation"
    assert [w.text for w in fixed.words] == fixed.text.split()
    by = {w.text: w for w in fixed.words}
    assert (by["use"].start, by["use"].probability) == (1.0, 0.6)  # untouched
    assert by["dropout"].start == 1.5 and by["dropout"].end == pytest.approx(2.4)  # spans "drop out"
    assert by["L1"].start == 3.0 and by["regularisation"].end == pytest.approx(3.4)
    assert by["L1"].probability == 1.0
    assert fixed.model == "tiny.en" and fixed.duration == 4.0


def test_ending_early_keeps_the_answers_and_names_what_was_not_asked():
    questions = list(BANK.questions)
    session = PracticeSession(questions)
    session.start()
    session.question_spoken()
    session.answer_stopped()
    with pytest.raises(TransitionError):
        session.end()  # an answer being scored is waited for
    session.answer_failed()
    session.end()
    summary = session.summary()
    assert session.state is State.FINISHED and summary.results == ()
    assert [q.id for q in summary.skipped] == [questions[0].id]
    assert [q.id for q in summary.not_asked] == [q.id for q in questions[1:]]
    assert summary.average is None
    assert summary.headline() == "Session ended early: nothing was answered, so there is no score (1 skipped, 1 not asked)"


def test_a_sessions_average_counts_the_last_attempt_at_each_question():
    from mockinterviewer.core.averages import session_average

    assert session_average([("a", 20), ("b", 60), ("a", 100)]) == 80  # a retried: 100 counts, not 20
    assert session_average([]) is None


# --- follow-up turns ---------------------------------------------------------------------------------

def _scored(session, text):
    session.question_spoken()
    session.answer_stopped()
    session.answer_scored(score_answer(session.current, Transcript.typed(text)))


def test_a_mock_interview_asks_one_follow_up_per_question_and_credits_the_reply():
    from mockinterviewer.core.exchange import judge_turn
    from mockinterviewer.core.session import Mode

    session = PracticeSession(list(BANK.questions), Mode.MOCK)  # one follow-up by default
    seen = []
    session.subscribe(seen.append)
    session.start()
    _scored(session, "High bias means the model underfits the data it is given.")
    first = session.current_result
    move = session.next_follow_up()
    assert move is not None and move.kind == "probe"
    session.ask_follow_up(move)
    assert session.state is State.SPEAKING and session.prompt == move.text and session.attempt_number == 1
    session.question_spoken()
    session.answer_stopped()
    point = BANK.questions[0].key_points[move.index]
    reply = Transcript.typed(f"Well, {point.phrasings[0]} is the other half of it.")
    session.follow_up_answered(judge_turn(session.current, move, reply))
    assert session.state is State.SCORED and session.follow_up is None
    result = session.current_result
    assert result.key_points[move.index].follow_up == "recovered" and result.score > first.score
    assert [t.follow_up for t in result.turns] == [move]
    assert session.next_follow_up() is None  # N = 1 asked
    with pytest.raises(TransitionError):
        session.ask_follow_up(move)
    session.next()
    _scored(session, "Use dropout.")
    session.ask_follow_up(session.next_follow_up())
    session.skip_follow_up()  # passed on: kept, worth nothing
    session.next()
    summary = session.summary()
    assert [len(r.turns) for r in summary.results] == [1, 1]
    assert summary.results[1].turns[0].transcript is None
    assert seen.count(State.SCORED) == 4


def test_no_follow_ups_when_turned_off_and_a_retry_starts_its_own_exchange():
    from mockinterviewer.core.session import Mode

    off = PracticeSession(list(BANK.questions), Mode.MOCK, max_follow_ups=0)
    off.start()
    _scored(off, "High bias means underfitting.")
    assert off.next_follow_up() is None
    with pytest.raises(ValueError):
        PracticeSession(list(BANK.questions), Mode.MOCK, max_follow_ups=-1)
    practice = PracticeSession(list(BANK.questions))  # practice: on demand, one at a time
    practice.start()
    _scored(practice, "High bias means underfitting.")
    move = practice.next_follow_up()
    practice.ask_follow_up(move)
    with pytest.raises(TransitionError):
        practice.answer_scored(score_answer(practice.current, Transcript.typed("high variance")))
    practice.skip_follow_up()
    assert len(practice.current_result.turns) == 1
    practice.retry()
    practice.answer_stopped()
    practice.answer_scored(score_answer(practice.current, Transcript.typed("High bias means underfitting.")))
    assert practice.current_result.turns == () and practice.attempt_number == 2


def test_a_second_opinion_arriving_after_a_follow_up_keeps_the_exchange():
    import dataclasses

    from mockinterviewer.core.exchange import judge_turn
    from mockinterviewer.core.session import Mode

    session = PracticeSession(list(BANK.questions), Mode.MOCK)
    session.start()
    _scored(session, "High bias means the model underfits the data it is given.")
    first = session.current_result
    move = session.next_follow_up()
    session.ask_follow_up(move)
    session.question_spoken()
    point = BANK.questions[0].key_points[move.index]
    session.follow_up_answered(judge_turn(session.current, move, Transcript.typed(f"And {point.phrasings[0]}.")))
    credited = session.current_result
    # The model's opinion on the first answer comes back now (here: a raise of 10 points).
    opinion = dataclasses.replace(first, score=first.score + 10, explanation=first.explanation + " (raised)")
    held = session.add_second_opinion(first, opinion)
    assert held is session.current_result and held.turns == credited.turns
    assert held.score == credited.score + 10 and held.key_points[move.index].follow_up == "recovered"
    assert session.add_second_opinion(first, opinion) is None  # the first answer is no longer held as it was
