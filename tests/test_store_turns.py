"""Follow-up turns in the practice history (schema version 3): saved with their answer, their
recordings compressed like the answer's, read back after a restart; older histories migrate."""

import sqlite3
from pathlib import Path

import pytest

from mockinterviewer.core.bank import load_bank
from mockinterviewer.core.exchange import judge_turn, with_turns
from mockinterviewer.core.followups import next_follow_up
from mockinterviewer.core.scoring import score_answer
from mockinterviewer.core.transcript import Transcript
from mockinterviewer.store import History, migrations

BANK = load_bank(Path(__file__).parent / "data" / "mini.yaml")
FIXTURES = Path(__file__).parent / "data" / "history"


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


def _exchange(reply_audio):
    q = BANK.get("bias-variance-tradeoff")
    first = score_answer(q, Transcript.typed("High bias means the model underfits the data it is given."))
    probe = next_follow_up(q, first)
    turn = judge_turn(q, probe, Transcript.typed("High variance means it overfits, memorizes the training data."),
                      str(reply_audio))
    second = next_follow_up(q, first, [turn])
    return q, with_turns(first, [turn, judge_turn(q, second, None)])


def test_an_answer_with_follow_ups_is_saved_with_every_turn_and_read_back_after_a_restart(data_dir, espeak):
    reply = data_dir / "recordings" / "s1" / "01-bias-variance-tradeoff-follow-up-1.wav"
    reply.parent.mkdir(parents=True)
    espeak("High variance means it overfits.", reply)
    q, result = _exchange(reply)
    with History(data_dir=data_dir) as history:
        session = history.start_session("mock", "window", ["mini"], "typed", reply.parent)
        history.save_attempt(session, q, result, bank="mini")
    with History(data_dir=data_dir) as history:  # a restart
        [attempt] = history.attempts(history.sessions()[0].id)
        again = attempt.result
        rows = history._read("SELECT turn_no, kind, point, audio_path, transcript, status FROM turns")
    assert [t.follow_up for t in again.turns] == [t.follow_up for t in result.turns]
    assert again.score == result.score and again.explanation == result.explanation
    flac = reply.with_suffix(".flac")
    assert again.turns[0].audio == str(flac) and flac.is_file() and not reply.exists()  # compressed, found
    assert again.turns[1].transcript is None and again.turns[1].audio == ""           # the skipped one
    assert rows == [(1, "probe", result.turns[0].follow_up.point, "recordings/s1/" + flac.name,
                     result.turns[0].transcript.text, "covered"),
                    (2, "probe", result.turns[1].follow_up.point, None, None, "")]


@pytest.mark.parametrize("version", [1, 2])
def test_a_history_of_version_1_or_2_migrates_and_then_keeps_follow_ups(version, tmp_path):
    old = tmp_path / "data" / "history.sqlite3"
    old.parent.mkdir()
    with sqlite3.connect(old) as conn:
        conn.executescript((FIXTURES / f"v{version}.sql").read_text(encoding="utf-8"))
    conn.close()
    with History(old, old.parent) as history:
        assert migrations.version(history._conn) == migrations.LATEST == 3
        sessions = history.sessions()
        before = [a.result for s in sessions for a in history.attempts(s.id)]
        assert before and all(r.turns == () for r in before)  # answers saved before have no turns
        q, result = _exchange(tmp_path / "nowhere.wav")
        history.save_attempt(sessions[0].id, q, result)
    with History(old, old.parent) as history:
        last = history.attempts(history.sessions()[0].id)[-1]
        assert len(last.result.turns) == 2 and last.result.key_points[1].follow_up == "recovered"


def test_follow_ups_added_to_a_saved_answer_replace_its_result_and_are_compressed_at_the_end(data_dir, espeak):
    reply = data_dir / "recordings" / "s1" / "01-bias-variance-tradeoff-follow-up-1.wav"
    reply.parent.mkdir(parents=True)
    espeak("High variance means it overfits.", reply)
    q, result = _exchange(reply)
    first = score_answer(q, Transcript.typed("High bias means the model underfits the data it is given."))
    with History(data_dir=data_dir) as history:
        session = history.start_session("mock", "window", ["mini"], "typed", reply.parent)
        saved = history.save_attempt(session, q, first, compress=False)  # as the window saves it
        history.save_turns(saved.id, result)                              # then its follow-ups
        assert reply.exists() and history.compress_pending() == 1        # the session's end
    with History(data_dir=data_dir) as history:
        [attempt] = history.attempts(history.sessions()[0].id)
        assert attempt.score == result.score and attempt.edited_transcript is None
        assert attempt.result.turns[0].audio == str(reply.with_suffix(".flac")) and not reply.exists()
