"""`history`, `due`, `report` and terminal answers saved to the history, as a user runs them."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mockinterviewer.core.bank import load_bank
from mockinterviewer.core.scoring import score_answer
from mockinterviewer.core.transcript import Transcript
from mockinterviewer.store import History

MINI = str(Path(__file__).parent / "data" / "mini.yaml")
ANSWER = ("To prevent overfitting I would add dropout between the layers, use L2 regularization on the "
          "weights, and stop early when the validation loss starts to rise.")


@pytest.fixture
def home(tmp_path):
    return tmp_path / "data"


def cli(home, *args, timeout=120):
    env = {**os.environ, "XDG_DATA_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "mockinterviewer", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, stdin=subprocess.DEVNULL)


def one_sentence(out):
    assert "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mockinterviewer: "), out.stderr
    return lines[0]


def test_a_typed_terminal_answer_is_a_session_and_reports_in_every_format(home, tmp_path):
    assert cli(home, "answer", "-q", "prevent overfitting", "--bank", MINI, "--text", ANSWER).returncode == 0
    sessions = json.loads(cli(home, "history", "--json").stdout)
    assert len(sessions) == 1
    assert {k: sessions[0][k] for k in ("mode", "source", "banks", "answers", "average", "model")} == \
        {"mode": "practice", "source": "cli", "banks": ["mini"], "answers": 1, "average": 100, "model": "typed"}
    assert sessions[0]["finished_at"] is not None
    listing = cli(home, "history").stdout
    assert "terminal" in listing and " 100 " in listing

    for fmt in ("html", "md", "pdf", "json", "csv"):
        out = cli(home, "report", "--last", "--format", fmt, "-o", str(tmp_path / f"r.{fmt}"))
        assert out.returncode == 0, out.stderr
        assert (tmp_path / f"r.{fmt}").stat().st_size > 500
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["answers"][0]["question"] == "How do you prevent overfitting?"
    assert "How do you prevent overfitting?" in cli(home, "report", str(sessions[0]["id"])).stdout  # md to stdout
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


def test_an_unknown_session_or_an_empty_history_is_one_sentence(home):
    out = cli(home, "report", "--last", "--format", "md")
    assert out.returncode == 2 and "no answers in the history" in one_sentence(out)
    out = cli(home, "report", "42")
    assert out.returncode == 2 and "There is no session 42 in the history" in one_sentence(out)
    out = cli(home, "report", "--last", "--format", "pdf")
    assert out.returncode == 2 and "needs a file" in one_sentence(out)
    out = cli(home, "history")
    assert out.returncode == 0 and "No sessions yet" in out.stdout


def test_a_damaged_history_is_named_then_rebuilt_from_the_result_files(home):
    assert cli(home, "answer", "-q", "prevent overfitting", "--bank", MINI, "--text", ANSWER).returncode == 0
    db = home / "MockInterviewer" / "history.sqlite3"
    for extra in ("-wal", "-shm"):
        Path(f"{db}{extra}").unlink(missing_ok=True)
    db.write_bytes(b"not a database at all" * 50)
    out = cli(home, "history")
    assert out.returncode == 2 and "is damaged" in one_sentence(out) and "history rebuild" in out.stderr
    # A new answer is still scored and shown, though the history cannot take it, and it is kept
    # where the rebuild the message recommends finds it.
    typed = cli(home, "answer", "-q", "bias variance", "--bank", MINI, "--text", "High bias underfits.")
    assert typed.returncode == 0 and "Not saved to the history" in typed.stdout and "is kept in" in typed.stdout
    out = cli(home, "history", "rebuild")
    assert out.returncode == 0 and "2 sessions, 2 answers" in out.stdout and "damaged file is kept" in out.stdout
    sessions = json.loads(cli(home, "history", "--json").stdout)
    assert sorted((s["source"], s["banks"], s["answers"], s["average"] == 100) for s in sessions) == \
        [("cli", ["mini"], 1, False), ("cli", ["mini"], 1, True)]
    transcripts = {json.loads(cli(home, "report", str(s["id"]), "--format", "json").stdout)["answers"][0]["transcript"]
                   for s in sessions}
    assert transcripts == {ANSWER, "High bias underfits."}
    assert list((home / "MockInterviewer").glob("history.sqlite3.damaged-*"))


def test_export_then_import_on_another_computer(home, tmp_path):
    assert cli(home, "answer", "-q", "prevent overfitting", "--bank", MINI, "--text", ANSWER).returncode == 0
    archive = tmp_path / "moving.zip"
    out = cli(home, "history", "export", str(archive))
    assert out.returncode == 0 and "1 session, 1 answer, 0 recordings" in out.stdout
    laptop = tmp_path / "laptop"
    assert "Imported 1 session" in cli(laptop, "history", "import", str(archive)).stdout
    assert "1 already there" in cli(laptop, "history", "import", str(archive)).stdout
    assert json.loads(cli(laptop, "history", "--json").stdout)[0]["uuid"] == \
        json.loads(cli(home, "history", "--json").stdout)[0]["uuid"]
    out = cli(laptop, "history", "import", str(tmp_path / "missing.zip"))
    assert out.returncode == 2 and "There is no archive" in one_sentence(out)


def test_due_lists_weak_questions_first_and_counts_the_new(home):
    bank = load_bank(MINI)
    bias, overfit = bank.get("bias-variance-tradeoff"), bank.get("prevent-overfitting")
    ten_days_ago = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=10)
    with History(data_dir=home / "MockInterviewer") as history:
        session = history.start_session(started_at=ten_days_ago)
        history.save_attempt(session, overfit, score_answer(overfit, Transcript.typed(ANSWER)), bank="mini",
                             attempted_at=ten_days_ago)
        history.save_attempt(session, bias, score_answer(bias, Transcript.typed("High bias underfits.")), bank="mini",
                             attempted_at=ten_days_ago)
    data = json.loads(cli(home, "due", "--bank", MINI, "--json").stdout)
    assert [d["question_id"] for d in data["due"]] == ["bias-variance-tradeoff", "prevent-overfitting"]
    assert data["due"][0]["overdue_days"] > data["due"][1]["overdue_days"] > 0 and data["new"] == []
    text = cli(home, "due", "--bank", MINI).stdout
    assert text.index("bias-variance-tradeoff") < text.index("prevent-overfitting") and "overdue" in text


def test_a_spoken_terminal_answer_is_kept_as_flac_in_the_history(home, mic, espeak, tmp_path):
    length = mic(wav=espeak(ANSWER, tmp_path / "answer.wav"), silence_after=3)
    out = cli(home, "answer", "-q", "prevent overfitting", "--bank", MINI, "--no-speak", "--max-seconds",
              f"{length - 1:.1f}", "--json", timeout=300)
    assert out.returncode == 0, out.stderr
    recording = Path(json.loads(out.stdout)["recording"])
    assert recording.suffix == ".flac" and recording.is_file() and not recording.with_suffix(".wav").exists()
    session = json.loads(cli(home, "history", "--json").stdout)[0]
    assert (session["source"], session["model"], session["answers"]) == ("cli", "tiny.en", 1)
    report = json.loads(cli(home, "report", "--last", "--format", "json").stdout)
    assert report["answers"][0]["audio"] == recording.relative_to(home / "MockInterviewer").as_posix()
    assert report["summary"]["delivery"]["spoken_answers"] == 1
