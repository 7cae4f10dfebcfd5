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


@pytest.mark.parametrize("version", [1, 2, 3])
def test_a_history_of_an_earlier_version_migrates_and_then_keeps_follow_ups(version, tmp_path):
    old = tmp_path / "data" / "history.sqlite3"
    old.parent.mkdir()
    with sqlite3.connect(old) as conn:
        conn.executescript((FIXTURES / f"v{version}.sql").read_text(encoding="utf-8"))
    conn.close()
    with History(old, old.parent) as history:
        assert migrations.version(history._conn) == migrations.LATEST == 4
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


def test_an_archive_carries_the_follow_ups_and_their_recordings_to_another_computer(tmp_path, espeak):
    import json
    import zipfile

    from mockinterviewer.store.archive import export_history, import_history

    here, there = tmp_path / "here", tmp_path / "there"
    reply = here / "recordings" / "s1" / "01-bias-variance-tradeoff-follow-up-1.wav"
    reply.parent.mkdir(parents=True)
    espeak("High variance means it overfits.", reply)
    q, result = _exchange(reply)
    with History(data_dir=here) as history:
        session = history.start_session("mock", "window", ["mini"], "typed", reply.parent)
        history.save_attempt(session, q, result, bank="mini")
        manifest = export_history(history, tmp_path / "moving.zip")
    key = next(k for k in manifest["audio"] if k.endswith("#1"))
    assert manifest["audio"][key] == "audio/recordings/s1/01-bias-variance-tradeoff-follow-up-1.flac"
    with History(data_dir=there) as history:
        report = import_history(history, tmp_path / "moving.zip")
        assert report.audio_files == 1
        [attempt] = history.attempts(history.sessions()[0].id)
        moved = attempt.result.turns[0]
        assert Path(moved.audio) == there / "recordings" / "s1" / "01-bias-variance-tradeoff-follow-up-1.flac"
        assert Path(moved.audio).is_file() and moved.status == "covered"
        assert attempt.result.turns[1].transcript is None

    # A hostile archive: a reply's recording outside the recordings folder is refused, nothing added.
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(tmp_path / "moving.zip") as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "manifest.json":
                m = json.loads(data)
                m["audio"][key] = "audio/elsewhere/x.flac"
                data = json.dumps(m).encode()
                dst.writestr("audio/elsewhere/x.flac", b"fLaC")
            dst.writestr(info.filename, data)
    from mockinterviewer.store import ArchiveError
    with History(data_dir=tmp_path / "third") as history:
        with pytest.raises(ArchiveError, match="nothing was imported"):
            import_history(history, bad)
        assert history.sessions() == [] and not (tmp_path / "third" / "elsewhere").exists()


def test_a_rebuilt_history_keeps_the_follow_ups_and_finds_their_recordings(data_dir, espeak):
    from mockinterviewer.speech.recovery import save_result
    from mockinterviewer.store.rebuild import rebuild_history

    folder = data_dir / "recordings" / "2025-03-01_09-30-00"
    folder.mkdir(parents=True)
    answer, reply = folder / "01-bias-variance-tradeoff.wav", folder / "01-bias-variance-tradeoff-follow-up-1.wav"
    espeak("High bias means the model underfits the data it is given.", answer)
    espeak("High variance means it overfits.", reply)
    q, result = _exchange(reply)
    with History(data_dir=data_dir) as history:
        session = history.start_session("mock", "window", ["mini"], "tiny.en", folder)
        save_result(answer, result.to_dict())
        history.save_attempt(session, q, result, bank="mini", recording=answer)
    (data_dir / "history.sqlite3").unlink()
    for extra in data_dir.glob("history.sqlite3-*"):
        extra.unlink()
    rebuild_history(data_dir=data_dir)
    with History(data_dir=data_dir) as history:
        [attempt] = history.attempts(history.sessions()[0].id)
        assert [t.follow_up for t in attempt.result.turns] == [t.follow_up for t in result.turns]
        assert attempt.result.turns[0].audio == str(reply.with_suffix(".flac"))


def test_a_stored_result_with_too_many_turns_or_an_unknown_kind_is_not_a_score_result():
    import json

    from mockinterviewer.store import rows

    q, result = _exchange(Path("x.wav"))
    data = result.to_dict()
    rows.check_result(json.dumps(data))
    for bad in ({**data, "turns": data["turns"] * 51}, {**data, "turns": [{**data["turns"][0], "kind": "evil"}]}):
        with pytest.raises(rows.RowError, match="not a score result"):
            rows.check_result(json.dumps(bad))
