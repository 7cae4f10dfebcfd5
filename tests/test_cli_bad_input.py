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
    return subprocess.run([sys.executable, "-m", "mockinterviewer", *map(str, args)], capture_output=True,
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
