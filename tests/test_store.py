"""The practice history: SQLite storage, migrations, FLAC audio, recovery, disk full, archives, threads."""

import errno
import hashlib
import json
import sqlite3
import threading
import zipfile
from pathlib import Path

import numpy as np
import pytest
import soundfile

from mockinterviewer.core.bank import load_bank
from mockinterviewer.core.scoring import ScoreResult, score_answer
from mockinterviewer.core.transcript import Transcript, Word, corrected
from mockinterviewer.speech.recovery import result_path, save_result, unfinished
from mockinterviewer.store import (ArchiveError, DiskFullError, History, HistoryDamagedError, HistoryTooNewError,
                                   migrations)
from mockinterviewer.store.archive import export_history, import_history
from mockinterviewer.store.rebuild import rebuild_history

DATA = Path(__file__).parent / "data"
FIXTURES = DATA / "history"
SPOKEN = ("To prevent overfitting I would add dropout between the layers, use L2 regularization on the weights, "
          "and stop early when the validation loss starts to rise.")
BIAS = "High bias means the model underfits, high variance means it overfits; cross validation finds the balance."


@pytest.fixture(scope="module")
def bank():
    return load_bank(DATA / "mini.yaml")


def timed(text, start=0.5, step=0.4, model="tiny.en"):
    """A transcript with word timings, as the transcriber hands one over."""
    words = tuple(Word(w, round(start + i * step, 2), round(start + i * step + 0.3, 2), 0.9)
                  for i, w in enumerate(text.split()))
    return Transcript(text, words, duration=round(start + len(words) * step + 1, 2), model=model)


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "MockInterviewer"


@pytest.fixture
def history(data_dir):
    with History(data_dir=data_dir) as h:
        yield h


@pytest.fixture
def recording(espeak, data_dir):
    """A finished answer as the recorder leaves it: a 16-bit WAV in a session folder, its result beside it."""
    def make(name="01-prevent-overfitting.wav", folder="2025-03-01_09-30-00"):
        path = data_dir / "recordings" / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        espeak(SPOKEN, path)
        return path
    return make


def test_a_new_history_is_wal_with_foreign_keys_at_the_latest_version(history):
    conn = history._conn  # the settings themselves are what is tested here
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert migrations.version(conn) == migrations.LATEST
    assert history.path == history.data_dir / "history.sqlite3"


def _schema(conn):
    tables = {}
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
        columns = sorted(tuple(r[1:]) for r in conn.execute(f"PRAGMA table_info({name})"))
        indexes = sorted((r[1], tuple(c[2] for c in conn.execute(f"PRAGMA index_info({r[1]})")))
                         for r in conn.execute(f"PRAGMA index_list({name})"))
        foreign = sorted(tuple(r[2:5]) for r in conn.execute(f"PRAGMA foreign_key_list({name})"))
        tables[name] = (columns, indexes, foreign)
    return tables


def _fixture_versions():
    return sorted(int(p.stem[1:]) for p in FIXTURES.glob("v*.sql"))


def test_there_is_a_real_file_of_every_earlier_version():
    assert _fixture_versions() == list(range(1, migrations.LATEST))


@pytest.mark.parametrize("version", _fixture_versions())
def test_a_file_of_every_earlier_version_migrates_keeping_every_answer(version, tmp_path, history):
    old = tmp_path / "old" / "history.sqlite3"
    old.parent.mkdir()
    with sqlite3.connect(old) as conn:
        conn.executescript((FIXTURES / f"v{version}.sql").read_text(encoding="utf-8"))
    conn.close()
    before = sqlite3.connect(old).execute("SELECT uuid, score, result FROM attempts ORDER BY id").fetchall()

    with History(old, tmp_path / "old") as migrated:
        assert migrations.version(migrated._conn) == migrations.LATEST
        assert _schema(migrated._conn) == _schema(history._conn)  # the same tables as a new history
        sessions = migrated.sessions()
        assert [s.uuid[-1] for s in sessions] == ["2", "1"]
        spoken = migrated.attempts(sessions[1].id)[0]
        assert (spoken.question_id, spoken.result.key_points[0].covered) == ("prevent-overfitting", True)
        assert spoken.words[0].text == "To" and spoken.words[0].start == 0.5
        after = migrated._read("SELECT uuid, score, result, duration_s, words_per_minute, fillers FROM attempts "
                               "ORDER BY id")
    assert [r[:3] for r in after] == before
    delivery = json.loads(before[0][2])["delivery"]
    assert after[0][3:] == (delivery["duration"], delivery["words_per_minute"], 0)  # filled in from the result
    assert after[1][3:5] == (None, None)  # a typed answer has no timings
    assert (old.parent / f"history.sqlite3.v{version}.bak").is_file()  # the file as it was, kept


def test_a_history_from_a_later_version_is_refused_in_one_sentence(tmp_path):
    path = tmp_path / "history.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    conn.close()
    with pytest.raises(HistoryTooNewError, match="later version of Mock Interviewer"):
        History(path, tmp_path)


def test_a_spoken_answer_is_saved_with_its_audio_as_verified_flac(history, bank, recording, data_dir):
    wav = recording()
    samples, rate = soundfile.read(wav, dtype="int16")
    wav_size = wav.stat().st_size
    question = bank.get("prevent-overfitting")
    result = score_answer(question, timed(SPOKEN))
    save_result(wav, result.to_dict())  # what the window does the moment it has scored

    session = history.start_session("practice", "window", ["mini"], "tiny.en", wav.parent)
    attempt = history.save_attempt(session, question, result, bank="mini", recording=wav)

    flac = wav.with_suffix(".flac")
    assert attempt.audio == flac and not wav.exists() and not result_path(wav).exists()
    back, back_rate = soundfile.read(flac, dtype="int16")
    assert back_rate == rate and np.array_equal(back, samples)  # lossless
    assert flac.stat().st_size < wav_size
    beside = json.loads(result_path(flac).read_text())
    assert beside["score"] == result.score and beside["history"]["session_uuid"] == history.session(session).uuid
    assert unfinished(data_dir / "recordings") == []  # not offered as unscored at the next start
    stored = history.attempt(attempt.id)
    assert stored.result.to_dict() == result.to_dict()
    assert stored.words == result.transcript.words and stored.model == "tiny.en"
    assert history._read("SELECT audio_path FROM attempts")[0][0] == \
        "recordings/2025-03-01_09-30-00/01-prevent-overfitting.flac"  # relative: the history can move


def test_a_stored_result_round_trips_with_its_word_timings(bank):
    result = score_answer(bank.get("prevent-overfitting"), timed(SPOKEN))
    data = result.to_dict()
    assert data["words"][0] == ["To", 0.5, 0.8, 0.9]
    again = ScoreResult.from_dict(json.loads(json.dumps(data)))
    assert again.to_dict() == data
    assert again.covered[0].evidence == result.covered[0].evidence and again.delivery == result.delivery


def test_retries_corrections_and_the_figures_the_window_shows(history, bank):
    bias, overfit = bank.get("bias-variance-tradeoff"), bank.get("prevent-overfitting")
    first = history.start_session("practice", "window", ["mini"])
    history.save_attempt(first, bias, score_answer(bias, Transcript.typed("High bias underfits.")), bank="mini")
    heard = timed("Hi by us means the mall is to symbol and under feeds, while high variance means it overfits the "
                  "noise in the data.")  # Whisper at its worst: the first point is lost in the mishearing
    fixed = corrected(heard, "High bias means underfitting and high variance means overfitting.")
    retry = history.save_attempt(first, bias, score_answer(bias, fixed), bank="mini", heard=heard)
    history.save_attempt(first, overfit, score_answer(overfit, timed(SPOKEN)), bank="mini")
    history.finish_session(first)

    assert (retry.attempt_no, retry.edited_transcript, retry.transcript) == (2, fixed.text, heard.text)
    assert retry.shown_transcript == fixed.text and retry.result.transcript.text == fixed.text
    info = history.session(first)
    assert (info.answers, info.questions, info.finished_at is not None) == (3, 2, True)
    assert info.average == round((retry.score + 100) / 2)  # the last attempt at each question counts
    assert [a.attempt_no for a in history.attempts_for_question(bias.id)] == [1, 2]
    series = history.category_series()
    assert set(series) == {"fundamentals", "deep-learning"} and series["deep-learning"][0][1] == 100.0
    assert history.latest_scores() == {bias.id: retry.score, overfit.id: 100}
    assert history.last_session().id == first


def test_a_transcript_corrected_after_scoring_replaces_the_result_and_keeps_what_was_heard(history, bank, data_dir):
    bias = bank.get("bias-variance-tradeoff")
    heard = timed("Hi by us means the mall is to symbol and under feeds, while high variance means it overfits the "
                  "noise in the data.")  # Whisper at its worst: the first point is lost in the mishearing
    session = history.start_session()
    first = history.save_attempt(session, bias, score_answer(bias, heard))
    fixed = score_answer(bias, corrected(heard, "High bias means the model is too simple and underfits, while high "
                                               "variance means it overfits the noise in the data."))
    again = history.replace_result(first.id, fixed)
    assert (again.transcript, again.edited_transcript, again.score) == (heard.text, fixed.transcript.text, fixed.score)
    assert again.score > first.score and again.attempt_no == 1 and len(history.attempts(session)) == 1
    history.close()
    history.path.write_bytes(b"damaged")
    rebuild_history(data_dir=data_dir, banks=[bank])  # the file beside it was brought up to date too
    with History(data_dir=data_dir) as rebuilt:
        [restored] = rebuilt.attempts(rebuilt.sessions()[0].id)
    assert (restored.transcript, restored.edited_transcript, restored.score) == \
        (heard.text, fixed.transcript.text, fixed.score)


def test_the_history_can_be_written_from_many_threads(history, bank):
    question = bank.get("prevent-overfitting")
    result = score_answer(question, Transcript.typed(SPOKEN))
    session = history.start_session()
    errors = []

    def work():
        try:
            for _ in range(5):
                history.save_attempt(session, question, result, bank="mini")
                history.sessions()
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(a.attempt_no for a in history.attempts(session)) == list(range(1, 31))


@pytest.mark.parametrize("damage", ["not a database", "truncated"])
def test_a_damaged_database_is_named_in_one_sentence_and_the_audio_is_untouched(
        damage, history, bank, recording, data_dir):
    question = bank.get("prevent-overfitting")
    session = history.start_session()
    for n in range(30):  # enough pages that cutting the file in half loses some
        history.save_attempt(session, question, score_answer(question, Transcript.typed(SPOKEN + " " * n)))
    attempt = history.save_attempt(session, question, score_answer(question, timed(SPOKEN)), recording=recording())
    audio = attempt.audio.read_bytes()
    history.close()
    raw = history.path.read_bytes()
    history.path.with_name("history.sqlite3-wal").unlink(missing_ok=True)
    history.path.write_bytes(b"my notes, not a database" * 100 if damage == "not a database" else raw[:len(raw) // 2])

    with pytest.raises(HistoryDamagedError) as err:
        History(data_dir=data_dir)
    message = str(err.value)
    assert "damaged" in message and "recordings are safe" in message and message.count(".") <= 2
    assert attempt.audio.read_bytes() == audio


def test_rebuild_moves_the_damaged_file_aside_and_recovers_every_answer(history, bank, recording, data_dir):
    bias, overfit = bank.get("bias-variance-tradeoff"), bank.get("prevent-overfitting")
    first = history.start_session("mock", "window", ["mini"], "tiny.en", data_dir / "recordings" / "2025-03-01_09-30-00")
    history.save_attempt(first, overfit, score_answer(overfit, timed(SPOKEN)), bank="mini",
                                  recording=recording())
    heard = timed("High buy us means under fitting.")
    history.save_attempt(first, bias, score_answer(bias, corrected(heard, "High bias means underfitting.")),
                         bank="mini", heard=heard)
    history.finish_session(first)
    cli = history.start_session("practice", "cli", ["mini"])
    history.save_attempt(cli, bias, score_answer(bias, Transcript.typed(BIAS)), bank="mini")
    # An answer scored before the history existed: only the result file the window wrote beside it.
    legacy = recording("01-bias-variance-tradeoff.wav", "2024-12-24_08-00-00-cli")
    save_result(legacy, score_answer(bias, timed(BIAS)).to_dict())
    before = {s.uuid: (s.mode, s.source, [(a.question_id, a.score, a.edited_transcript, a.transcript, a.audio,
                                           a.result_data) for a in history.attempts(s.id)]) for s in history.sessions()}
    audio = {p: p.read_bytes() for p in (data_dir / "recordings").rglob("*.*") if p.suffix in (".flac", ".wav")}
    history.close()
    garbage = b"\x00garbage" * 512
    history.path.write_bytes(garbage)

    report = rebuild_history(data_dir=data_dir, banks=[bank])

    assert report.moved_to.read_bytes() == garbage  # moved aside, never deleted
    assert (report.sessions, report.attempts, report.unreadable) == (3, 4, [])
    with History(data_dir=data_dir) as rebuilt:
        after = {s.uuid: (s.mode, s.source, [(a.question_id, a.score, a.edited_transcript, a.transcript, a.audio,
                                              a.result_data) for a in rebuilt.attempts(s.id)]) for s in rebuilt.sessions()}
        old = [s for s in rebuilt.sessions() if s.uuid not in before][0]
        legacy_attempt = rebuilt.attempts(old.id)[0]
    assert {k: v for k, v in after.items() if k in before} == before
    assert (old.source, legacy_attempt.category, legacy_attempt.bank, legacy_attempt.audio) == \
        ("cli", "fundamentals", "mini", legacy)
    assert {p: p.read_bytes() for p in audio} == audio  # the recordings are untouched


def test_rebuild_after_a_crash_while_compressing_counts_the_answer_once(history, bank, recording, data_dir):
    question = bank.get("prevent-overfitting")
    wav = recording()
    session = history.start_session(folder=wav.parent)
    result = score_answer(question, timed(SPOKEN))
    save_result(wav, result.to_dict())
    history.save_attempt(session, question, result, recording=wav, compress=False)
    # Killed after the FLAC and its result were written, before the WAV was deleted.
    from mockinterviewer.store.audio_files import compress_to_flac

    flac = compress_to_flac(wav)
    save_result(flac, json.loads(result_path(wav).read_text()))
    history.close()
    history.path.write_bytes(b"damaged")
    report = rebuild_history(data_dir=data_dir, banks=[])
    assert report.attempts == 1
    with History(data_dir=data_dir) as rebuilt:
        assert [a.audio for a in rebuilt.attempts(rebuilt.sessions()[0].id)] == [flac]


def test_a_full_disk_while_saving_says_so_and_loses_nothing_saved(history, bank, data_dir):
    question = bank.get("prevent-overfitting")
    session = history.start_session()
    kept = history.save_attempt(session, question, score_answer(question, Transcript.typed(SPOKEN)))
    pages = history._conn.execute("PRAGMA page_count").fetchone()[0]
    history._conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own disk-full path (SQLITE_FULL)
    long_answer = Transcript.typed(SPOKEN + " and more" * 3000)
    with pytest.raises(DiskFullError, match="full.*everything saved before it is kept"):
        history.save_attempt(session, question, score_answer(question, long_answer))
    history.close()
    with History(data_dir=data_dir) as reopened:
        assert [a.uuid for a in reopened.attempts(session)] == [kept.uuid]


def test_a_full_disk_while_compressing_keeps_the_wav(history, bank, recording, monkeypatch):
    import mockinterviewer.store.audio_files as audio_files

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(audio_files.soundfile, "write", full)  # the one write point of the FLAC
    wav = recording()
    question = bank.get("prevent-overfitting")
    attempt = history.save_attempt(history.start_session(folder=wav.parent), question,
                                   score_answer(question, timed(SPOKEN)), recording=wav)
    assert attempt.audio == wav and wav.is_file() and not list(wav.parent.glob("*.flac*"))
    monkeypatch.undo()
    assert history.compress_pending() == 1  # once there is room again
    assert history.attempt(attempt.id).audio == wav.with_suffix(".flac") and not wav.exists()


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_archive_round_trips_and_importing_twice_adds_nothing(history, bank, recording, tmp_path):
    overfit, bias = bank.get("prevent-overfitting"), bank.get("bias-variance-tradeoff")
    s1 = history.start_session("practice", "window", ["mini"], "tiny.en", tmp_path / "MockInterviewer" / "recordings" / "a")
    history.save_attempt(s1, overfit, score_answer(overfit, timed(SPOKEN)), bank="mini", recording=recording(folder="a"))
    history.save_attempt(s1, bias, score_answer(bias, Transcript.typed(BIAS)), bank="mini")
    history.finish_session(s1)
    archive = tmp_path / "history.zip"
    manifest = export_history(history, archive)
    assert (manifest["format"], manifest["version"], manifest["sessions"], manifest["attempts"]) == \
        ("mockinterviewer-history", 1, 1, 2)

    other = tmp_path / "new-laptop"
    with History(data_dir=other) as target:
        mine = target.start_session("mock", "cli", ["mini"])  # the new laptop has a session of its own
        target.save_attempt(mine, bias, score_answer(bias, Transcript.typed(BIAS)), bank="mini")
        first = import_history(target, archive)
        second = import_history(target, archive)
        sessions = {s.uuid: s for s in target.sessions()}
        imported = target.attempts(sessions[history.session(s1).uuid].id)
    assert (first.sessions_added, first.attempts_added, first.audio_files) == (1, 2, 1)
    assert (second.sessions_added, second.sessions_skipped) == (0, 1)
    assert len(sessions) == 2
    originals = history.attempts(s1)
    assert [(a.uuid, a.score, a.result_data) for a in imported] == [(a.uuid, a.score, a.result_data) for a in originals]
    assert imported[0].audio.is_relative_to(other) and _digest(imported[0].audio) == _digest(originals[0].audio)
    assert result_path(imported[0].audio).is_file()  # the new laptop can rebuild from its files too


def test_an_archive_that_is_not_one_is_refused_in_one_sentence(history, tmp_path):
    notes = tmp_path / "notes.zip"
    notes.write_text("not a zip")
    with pytest.raises(ArchiveError, match="not a Mock Interviewer history archive"):
        import_history(history, notes)
    evil = tmp_path / "evil.zip"
    export_history(history, evil)
    with zipfile.ZipFile(evil, "a") as zf, pytest.warns(UserWarning, match="Duplicate name"):  # a second manifest
        zf.writestr("manifest.json", json.dumps({"format": "mockinterviewer-history", "version": 1,
                                                 "audio": {"x": "audio/../../outside.flac"}}))
    with pytest.raises(ArchiveError, match="damaged"):
        import_history(history, evil)
    assert not (tmp_path / "outside.flac").exists()
