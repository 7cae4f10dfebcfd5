"""A history that cannot be used as it is: rows it cannot read, a path that is a folder or unreadable,
a full disk. Each gets one sentence, and no answer said to be kept is lost (issue 13)."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from mockinterviewer.core.bank import load_bank
from mockinterviewer.core.scoring import score_answer
from mockinterviewer.core.transcript import Transcript
from mockinterviewer.store import DiskFullError, History, HistoryError
from mockinterviewer.store.rebuild import rebuild_history

MINI = str(Path(__file__).parent / "data" / "mini.yaml")
ANSWER = ("To prevent overfitting I would add dropout between the layers, use L2 regularization on the "
          "weights, and stop early when the validation loss starts to rise.")


def cli(home, *args, prefix=()):
    env = {**os.environ, "XDG_DATA_HOME": str(home)}
    return subprocess.run([*prefix, sys.executable, "-m", "mockinterviewer", *args], capture_output=True, text=True,
                          timeout=120, env=env, stdin=subprocess.DEVNULL)


def one_sentence(out) -> str:
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mockinterviewer: "), out.stderr
    return lines[0]


@pytest.fixture
def home(tmp_path):
    return tmp_path / "data"


def answered(home) -> Path:
    out = cli(home, "answer", "-q", "prevent overfitting", "--bank", MINI, "--text", ANSWER)
    assert out.returncode == 0, out.stderr
    return home / "MockInterviewer" / "history.sqlite3"


@pytest.mark.parametrize("sql", [
    "UPDATE sessions SET banks = '{'",
    "UPDATE sessions SET started_at = 'the day before yesterday'",
    "UPDATE attempts SET result = '{\"score\": '",
    "UPDATE attempts SET words = 'not json'",
    "UPDATE attempts SET attempted_at = '2025-13-45'",
])
def test_a_row_the_app_cannot_read_is_one_sentence_in_every_command(home, sql):
    db = answered(home)
    with sqlite3.connect(db) as conn:
        conn.execute(sql)
    conn.close()
    for args in (("history",), ("history", "--json"), ("due",)):
        out = cli(home, *args)  # what reads the bad value says so in one sentence; the rest works
        assert out.returncode == 0 or any(words in one_sentence(out) for words in ("is damaged", "cannot be read")), args
    assert "is damaged" in one_sentence(cli(home, "report", "--last", "--format", "md"))  # reads every value


def test_one_unreadable_session_is_named_and_the_others_are_still_listed(home):
    from mockinterviewer.gui.history.models import load_overview
    from mockinterviewer.store import History

    db = answered(home)
    answered(home)  # a second session
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE sessions SET banks = '{' WHERE id = 1")
    conn.close()
    out = cli(home, "history")
    assert "Session 1 cannot be read" in one_sentence(out)  # named, exit 2, no traceback
    listed = [line.split()[0] for line in out.stdout.splitlines()[1:]]
    assert listed == ["2"]  # the good one is still listed
    with History(path=db) as history:  # the window's History page reads the same
        overview = load_overview(history)
    assert [s.id for s in overview.sessions] == [2] and "Session 1 cannot be read" in overview.unreadable[0]


def test_a_history_path_that_is_a_folder_is_one_sentence(home):
    folder = home / "MockInterviewer" / "history.sqlite3"
    folder.mkdir(parents=True)
    for args in (("history",), ("report", "--last"), ("due",), ("history", "export", str(home / "x.zip"))):
        assert f"{folder} is a folder" in one_sentence(cli(home, *args)), args
    # An answer is still scored and kept, and says why the history did not take it.
    typed = cli(home, "answer", "-q", "prevent overfitting", "--bank", MINI, "--text", ANSWER)
    assert typed.returncode == 0 and "Traceback" not in typed.stderr, typed.stderr
    assert "Not saved to the history" in typed.stdout and "is a folder" in typed.stdout
    assert "Score: 100/100" in typed.stdout
    assert len(list((home / "MockInterviewer" / "recordings").rglob("*.typed.result.json"))) == 1


def test_an_unreadable_history_is_one_sentence(home):
    db = answered(home)
    db.chmod(0)
    # As root every file is readable: run the command without the capability that allows it.
    no_override = ("setpriv", "--bounding-set=-dac_override,-dac_read_search", "--")
    try:
        out = cli(home, "history", prefix=no_override)
        if "setpriv" in out.stderr and out.returncode != 2:
            pytest.skip(f"setpriv cannot drop capabilities here: {out.stderr.strip()}")
        assert "cannot be read (permission denied)" in one_sentence(out)
    finally:
        db.chmod(0o644)


# --- a full disk ------------------------------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path):
    """A 1 MiB file system to fill: room for a small history, then none."""
    folder = tmp_path / "small-disk"
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)],
                      capture_output=True).returncode != 0:
        pytest.skip("mounting a small file system needs root here; without it a full disk cannot be made")
    yield folder
    subprocess.run(["umount", str(folder)], check=False)


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * 4096)
                f.flush()
        except OSError:
            pass
    return filler


def test_a_full_disk_is_a_full_disk_and_the_history_is_never_moved_aside(small_disk, home):
    bank = load_bank(MINI)
    question = bank.get("prevent-overfitting")
    data_dir = small_disk / "MockInterviewer"
    with History(data_dir=data_dir) as history:
        session = history.start_session()
        kept = history.save_attempt(session, question, score_answer(question, Transcript.typed(ANSWER)))
    db = data_dir / "history.sqlite3"
    original = db.read_bytes()
    filler = fill(small_disk)

    with pytest.raises(DiskFullError) as err:
        History(data_dir=data_dir)
    assert "is full" in str(err.value) and "damaged" not in str(err.value) and "rebuild" not in str(err.value)
    with pytest.raises(DiskFullError, match="not rebuilt"):
        rebuild_history(data_dir=data_dir, banks=[bank])
    assert db.read_bytes() == original and not list(data_dir.glob("*.damaged-*"))

    env_home = small_disk.parent / "xdg"  # the CLI, with its data folder on the full disk
    env_home.mkdir()
    (env_home / "MockInterviewer").symlink_to(data_dir)
    for args in (("history",), ("history", "rebuild")):
        message = one_sentence(cli(env_home, *args))
        assert "is full" in message and "damaged" not in message, args
    assert db.read_bytes() == original and not list(data_dir.glob("*.damaged-*"))

    filler.unlink()  # room again: everything is there, nothing to rebuild
    with History(data_dir=data_dir) as history:
        assert [a.uuid for a in history.attempts(session)] == [kept.uuid]


def test_a_disk_that_fills_during_a_rebuild_puts_the_old_history_back(small_disk, monkeypatch):
    from mockinterviewer.store import migrations

    home = small_disk / "home"
    answered(home)
    data_dir = home / "MockInterviewer"
    db = data_dir / "history.sqlite3"
    original = db.read_bytes()
    # Room for the check before the rebuild, not for a new database: the "full" line is lowered to
    # 8 KiB (the real one, 1 MiB, is the whole of this small disk) and 16 KiB are left free.
    monkeypatch.setattr(migrations, "FULL_BELOW", 8 * 1024)
    filler = fill(small_disk)
    os.truncate(filler, filler.stat().st_size - 16 * 1024)
    assert not migrations.is_full(data_dir)

    with pytest.raises(DiskFullError, match="filled up while the history was rebuilt"):
        rebuild_history(data_dir=data_dir, banks=[load_bank(MINI)])
    assert db.read_bytes() == original  # put back where it was, as it was
    assert not list(data_dir.glob("*.damaged-*")) and not list(data_dir.glob("history.sqlite3-*"))
    filler.unlink()
    with History(data_dir=data_dir) as history:
        [session] = history.sessions()
        assert len(history.attempts(session.id)) == 1


def test_a_data_folder_that_is_a_file_is_one_sentence(home):
    home.mkdir()
    (home / "MockInterviewer").write_text("not a folder")
    message = one_sentence(cli(home, "history"))
    assert f"The data folder {home / 'MockInterviewer'} is a file, not a folder" in message


def test_a_stored_path_that_leads_out_of_the_data_folder_names_no_file(home, tmp_path):
    db = answered(home)
    secret = tmp_path / "secret.flac"
    secret.write_bytes(b"fLaC not yours")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE attempts SET audio_path = '../../secret.flac'")
    conn.close()
    report = cli(home, "report", "--last", "--format", "html", "--audio", "-o", str(tmp_path / "r.html"))
    assert report.returncode == 0, report.stderr
    assert "audio/flac;base64" not in (tmp_path / "r.html").read_text()


def test_a_rebuild_skips_result_files_it_cannot_trust(home, tmp_path):
    answered(home)
    folder = next((home / "MockInterviewer" / "recordings").iterdir())
    os.mkfifo(folder / "02-pipe.typed.result.json")  # would be read forever
    (folder / "03-escape.typed.result.json").write_text(json.dumps({  # its ids would become file names
        "question_id": "../../../escaped", "question": "Q?", "transcript": "x", "score": 5, "key_points": [],
        "history": {"session_uuid": "/../../../../escaped", "attempted_at": "never"}}))
    db = home / "MockInterviewer" / "history.sqlite3"
    db.write_bytes(b"damaged " * 100)
    out = subprocess.run([sys.executable, "-m", "mockinterviewer", "history", "rebuild"], capture_output=True,
                         text=True, timeout=60, stdin=subprocess.DEVNULL, env={**os.environ, "XDG_DATA_HOME": str(home)})
    assert out.returncode == 0, out.stderr
    assert "1 session, 1 answer" in out.stdout and "2 unreadable files skipped" in out.stdout
    assert not list(tmp_path.rglob("*escaped*"))
