"""Bad input to the command line, run as a user runs it (a real process): one sentence naming the
problem, exit 2, no traceback, and nothing half-made left behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

LIST = "Q: What is dropout?\nA: Randomly zeroing units during training, so that they cannot co-adapt.\n"


def cli(*args, data_home: Path | None = None, timeout: float = 120, **kwargs):
    env = dict(os.environ)
    if data_home is not None:
        env["XDG_DATA_HOME"] = str(data_home)
    argv = [a if isinstance(a, bytes) else str(a) for a in args]  # bytes: as a terminal passes them
    return subprocess.run([sys.executable, "-m", "mockinterviewer", *argv], capture_output=True,
                          timeout=timeout, env=env, **kwargs)


def one_sentence(out, expected: str) -> str:
    err = out.stderr.decode("utf-8", "replace")
    assert out.returncode == 2, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert expected in err, err
    return err


# --- questions import ---------------------------------------------------------------------------
def test_import_into_a_folder_writes_the_bank_inside_it(tmp_path):
    (tmp_path / "notes.txt").write_text(LIST)
    folder = tmp_path / "banks"
    folder.mkdir()
    out = cli("questions", "import", tmp_path / "notes.txt", "-o", folder, "--force")
    assert out.returncode == 0, out.stderr
    assert f"Imported 1 questions into {folder / 'notes.yaml'}." in out.stdout.decode()
    assert cli("questions", "validate", folder / "notes.yaml").returncode == 0


def test_import_refuses_to_write_the_bank_over_its_own_list(tmp_path):
    source = tmp_path / "notes.txt"
    source.write_text(LIST)
    out = cli("questions", "import", source, "-o", tmp_path / "." / "notes.txt", "--force")
    one_sentence(out, "notes.txt is a question list being imported; the bank needs another name.")
    assert source.read_text() == LIST


@pytest.mark.parametrize("case, expected", [
    ("latin-1", "No questions were found: {file}: the file is not UTF-8 text; save it as UTF-8 and import it again."),
    ("unreadable", "No questions were found: {file}: the file cannot be read (Input/output error)."),
    ("pipe", "No questions were found: {file}: the file is not a regular file (a pipe, socket or device)"),
])
def test_import_of_a_list_that_cannot_be_read_says_why(tmp_path, case, expected):
    if case == "latin-1":
        source = tmp_path / "notes.txt"
        source.write_bytes(LIST.replace("units", "unités").encode("latin-1"))
    elif case == "unreadable":
        source = Path("/proc/self/mem")  # a regular file whose read fails, even for root (chmod 000 is not)
    else:
        source = tmp_path / "notes.txt"
        os.mkfifo(source)
    out = cli("questions", "import", source, "-o", tmp_path / "out.yaml", timeout=30)
    one_sentence(out, expected.format(file=source))
    assert not (tmp_path / "out.yaml").exists()


# --- answer: limits and typed text ----------------------------------------------------------------
MINI = Path(__file__).parent / "data" / "mini.yaml"


def _saved(data_home: Path) -> tuple[list, list]:
    """The files under the data folder that hold audio, and the sessions `history` lists."""
    audio = [p for p in data_home.rglob("*") if p.suffix in (".wav", ".flac")]
    listed = cli("history", "--json", data_home=data_home)
    assert listed.returncode == 0, listed.stderr
    import json

    return audio, json.loads(listed.stdout)


@pytest.mark.parametrize("option, value, expected", [
    ("--max-seconds", "nan", "--max-seconds must be more than 0 and at most 3600 seconds, not nan."),
    ("--max-seconds", "inf", "--max-seconds must be more than 0 and at most 3600 seconds, not inf."),
    ("--max-seconds", "1e308", "--max-seconds must be more than 0 and at most 3600 seconds, not 1e+308."),
    ("--max-seconds", "-5", "--max-seconds must be more than 0 and at most 3600 seconds, not -5."),
    ("--silence-stop", "nan", "--silence-stop must be from 0 to 60 seconds (0 is off), not nan."),
    ("--silence-stop", "-1", "--silence-stop must be from 0 to 60 seconds (0 is off), not -1."),
])
def test_answer_limits_that_are_not_usable_numbers_are_refused_before_recording(tmp_path, option, value, expected):
    out = cli("answer", "-q", "prevent-overfitting", "--bank", MINI, "--no-speak", option, value,
              data_home=tmp_path, timeout=60)
    one_sentence(out, expected)
    assert out.stdout == b""
    assert _saved(tmp_path) == ([], [])


def test_typed_answer_that_is_not_utf8_is_refused_and_nothing_is_saved(tmp_path):
    # Bytes that are not UTF-8 reach Python as lone surrogates (surrogateescape).
    out = cli("answer", "-q", "prevent-overfitting", "--bank", MINI, "--text", b"dropout and early stopping \xe9t\xe9",
              data_home=tmp_path, timeout=60)
    one_sentence(out, "The answer text is not valid UTF-8; is the terminal set to UTF-8?")
    assert _saved(tmp_path) == ([], [])
    scored = cli("score", "-q", "prevent-overfitting", "--bank", MINI, "--text", b"dropout \xff", timeout=60)
    one_sentence(scored, "The answer text is not valid UTF-8")


# --- audio files ----------------------------------------------------------------------------------
def test_an_audio_file_without_read_permission_is_called_unreadable(tmp_path):
    import numpy as np
    import soundfile

    wav = tmp_path / "answer.wav"
    soundfile.write(wav, np.zeros(16000, np.float32), 16000)
    wav.chmod(0)
    # root reads any file; without these two capabilities it obeys the mode bits as a user does
    prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
    out = subprocess.run([*prefix, sys.executable, "-m", "mockinterviewer", "transcribe", str(wav)],
                         capture_output=True, timeout=120)
    one_sentence(out, f"{wav} cannot be read (Permission denied).")


def test_a_float_wav_holding_nan_is_refused_quickly(tmp_path):
    import time

    import numpy as np
    import soundfile

    samples = np.zeros(16000 * 5, np.float32)
    samples[8000:9000] = np.nan
    wav = tmp_path / "nan.wav"
    soundfile.write(wav, samples, 16000, subtype="FLOAT")
    started = time.monotonic()
    out = cli("score", "-q", "prevent-overfitting", "--bank", MINI, "--audio", wav, timeout=120)
    one_sentence(out, f"{wav} holds samples that are not numbers (NaN or infinity), so it is not usable audio.")
    assert time.monotonic() - started < 20  # 33 s before, for a ")))" transcript


# --- escape sequences from banks and transcripts ---------------------------------------------------
ESCAPES = ('\\e[2J\\e[H', '\\e]0;pwned\\a', '\\e]8;;https://evil.example/\\e\\\\click here\\e]8;;\\e\\\\', '\\x9b31m',
           '\\x07', '\\e[?1049h', '\\r')
RAW_CONTROLS = {chr(c) for c in [*range(0, 9), *range(11, 32), *range(0x7f, 0xa0)]}


def _bank_with_escapes(folder: Path) -> Path:
    text = MINI.read_text()
    poison = "".join(ESCAPES)
    lines = text.splitlines()
    for start in ("title: Two questions for tests", "question: How do you prevent overfitting?",
                  "- label: Dropout", "answer: More data"):
        i = next(i for i, line in enumerate(lines) if line.strip().startswith(start))
        key, value = lines[i].split(": ", 1)
        lines[i] = f'{key}: "{value}{poison} tail"'
    text = "\n".join(lines) + "\n"
    path = folder / "escapes.yaml"
    path.write_text(text)
    return path


def _assert_clean(out) -> str:
    printed = out.stdout.decode("utf-8") + out.stderr.decode("utf-8")
    found = {repr(c) for c in printed if c in RAW_CONTROLS and c not in "\r"}
    found |= {"lone \\r"} if "\r" in printed.replace("\r\n", "") else set()
    assert not found, found
    return printed


def test_escape_sequences_in_banks_and_transcripts_never_reach_the_terminal(tmp_path):
    bank = _bank_with_escapes(tmp_path)
    assert cli("questions", "validate", bank).returncode == 0

    listed = _assert_clean(cli("questions", "list", "--bank", bank))
    assert "How do you prevent overfitting?click here tail" in listed

    typed = "dropout \x1b]0;owned\x07and early \x1b[2Jstopping \x9b1m"
    scored = _assert_clean(cli("score", "-q", "prevent-overfitting", "--bank", bank, "--text", typed))
    assert "dropout and early stopping" in scored and "+ Dropout" in scored and "More data" in scored

    as_json = cli("score", "-q", "prevent-overfitting", "--bank", bank, "--text", typed, "--json")
    _assert_clean(as_json)
    import json

    assert json.loads(as_json.stdout)["transcript"].startswith("dropout ")  # JSON escapes it: "\u001b]0;..."

    answered = _assert_clean(cli("answer", "-q", "prevent-overfitting", "--bank", bank, "--text", typed,
                                 data_home=tmp_path / "data"))
    assert "Question: How do you prevent overfitting?click here tail" in answered
    report = _assert_clean(cli("report", "--last", data_home=tmp_path / "data"))
    assert "How do you prevent overfitting?" in report and "click here" in report  # Markdown escapes the rest

    unknown = cli("score", "-q", "\x1b[2Jnothing like it\x07", "--bank", bank, "--text", "x")
    assert unknown.returncode == 2 and "No question matches" in _assert_clean(unknown)


def test_import_leaves_out_a_question_too_long_for_a_bank_and_keeps_the_others(tmp_path):
    source = tmp_path / "notes.txt"
    source.write_text(LIST + "\nQ: What is a very long answer?\nA: " + "word " * 5_000 + "\n")
    out = cli("questions", "import", source, "-o", tmp_path / "out.yaml")
    assert out.returncode == 0, out.stderr
    assert "Imported 1 questions into" in out.stdout.decode()
    assert (f"{source}:4: its answer is 24,999 characters long (at most 20,000 fit in a bank), so it was not imported"
            in out.stderr.decode())
    assert cli("questions", "validate", tmp_path / "out.yaml").returncode == 0
