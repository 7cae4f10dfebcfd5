"""Hostile and broken bank files: bounded before parsing, refused with their reason, and never
fatal to the other banks, in the CLI (a real process, so a crash fails the test instead of
killing pytest) and in the window."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini.yaml"
HEAD = "format: 1\nid: hostile\ntitle: Hostile\n"


def _laughs() -> str:
    lines = [HEAD.rstrip("\n"), 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]  # 10**10 "lol"s
    return "\n".join(lines + ["questions: *a9"]) + "\n"


# file name -> (content, the line and reason `questions validate` gives)
HOSTILE = {
    "deep-brackets.yaml": ("[" * 100_000, "1: the values nest more than 20 deep"),
    "deep-mapping.yaml": ("".join(f"{'  ' * i}a:\n" for i in range(3000)), "21: the values nest more than 20 deep"),
    "recursive-alias.yaml": (HEAD + "questions: &q [*q]\n", "4: the alias *q refers to a value that contains it"),
    "billion-laughs.yaml": (_laughs(), "10: there are more than 4,000,000 values, counting what each alias repeats "
                                       "(a \"billion laughs\" file?)"),
}


def _limit_memory():  # a loader without bounds fails here instead of taking the machine's memory
    resource.setrlimit(resource.RLIMIT_AS, (6 << 30, 6 << 30))


def cli(*args, data_home: Path | None = None, timeout: float = 60):
    env = dict(os.environ)
    if data_home is not None:
        env["XDG_DATA_HOME"] = str(data_home)
    return subprocess.run([sys.executable, "-m", "mockinterviewer", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, env=env, preexec_fn=_limit_memory)


def _write_hostile(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, (content, _) in HOSTILE.items():
        (folder / name).write_text(content)


@pytest.fixture
def fifo(tmp_path):
    """A named pipe called like a bank; afterwards anything still blocked opening it is released."""
    made = []

    def make(folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "pipe.yaml"
        os.mkfifo(path)
        made.append(path)
        return path
    yield make
    for path in made:
        try:  # a reader stuck in open() (the old code) gets end-of-file instead of waiting forever
            os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            pass  # nobody was waiting
        path.unlink()


@pytest.mark.parametrize("name", HOSTILE)
def test_validate_refuses_a_hostile_bank_with_its_line_and_reason(tmp_path, name):
    _write_hostile(tmp_path)
    started = time.monotonic()
    out = cli("questions", "validate", tmp_path / name, MINI)
    assert out.returncode == 1, out.stderr  # 139 was the segfault
    assert f"{tmp_path / name}:{HOSTILE[name][1]}" in out.stdout
    assert f"{MINI}: ok" in out.stdout and "Traceback" not in out.stderr
    assert "1 of 2 bank files has problems." in out.stderr
    assert time.monotonic() - started < 30


def test_validate_refuses_a_named_pipe_instead_of_waiting_on_it(tmp_path, fifo):
    pipe = fifo(tmp_path)
    out = cli("questions", "validate", pipe, timeout=30)
    assert out.returncode == 1
    assert f"{pipe}:1: is not a regular file (a pipe, socket or device), so it was not read" in out.stdout


def test_hostile_banks_in_the_users_folder_leave_every_command_working(tmp_path, fifo):
    banks = tmp_path / "data" / "MockInterviewer" / "banks"
    _write_hostile(banks)
    fifo(banks)
    (banks / "mini.yaml").write_text(MINI.read_text())
    data_home = tmp_path / "data"

    listed = cli("questions", "list", data_home=data_home, timeout=30)
    assert listed.returncode == 0, listed.stderr
    assert "ml-engineer" in listed.stdout and "Two questions for tests (mini, 2 questions" in listed.stdout
    for name, (_, reason) in [*HOSTILE.items(), ("pipe.yaml", (None, "is not a regular file"))]:
        assert any(line.startswith(f"mockinterviewer: skipping a broken bank: {banks / name}") and reason.split(": ")[-1]
                   in line for line in listed.stderr.splitlines()), (name, listed.stderr)

    scored = cli("score", "-q", "prevent-overfitting", "--text", "dropout and early stopping", "--json",
                 data_home=data_home, timeout=60)
    assert scored.returncode == 0, scored.stderr
    assert json.loads(scored.stdout)["question_id"] == "prevent-overfitting"

    checked = cli("questions", "validate", data_home=data_home, timeout=30)
    assert checked.returncode == 1 and f"{banks / 'mini.yaml'}: ok" in checked.stdout
    assert "5 of 7 bank files have problems." in checked.stderr

    due = cli("due", data_home=data_home, timeout=30)
    assert due.returncode == 0, due.stderr
    assert "Traceback" not in listed.stderr + scored.stderr + checked.stderr + due.stderr


def _mini_with(old: str, new: str, path: Path) -> Path:
    text = MINI.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


@pytest.mark.parametrize("weight", [".nan", ".inf", "-.inf", "1e400", "1e9"])
def test_a_weight_that_is_not_a_finite_positive_number_fails_validation_with_its_line(tmp_path, weight):
    bank = _mini_with("      - label: Dropout\n", f"      - label: Dropout\n        weight: {weight}\n",
                      tmp_path / "weights.yaml")
    out = cli("questions", "validate", bank)
    assert out.returncode == 1
    line = _line_of(bank, f"weight: {weight}")
    assert f"{bank}:{line}: weight of key point 'Dropout' must be a positive number up to 1000" in out.stdout


def test_duplicate_keys_are_reported_with_their_line(tmp_path):
    bank = _mini_with("    difficulty: easy\n", "    difficulty: easy\n    difficulty: hard\n", tmp_path / "dup.yaml")
    out = cli("questions", "validate", bank)
    assert out.returncode == 1
    first, second = _line_of(bank, "difficulty: easy"), _line_of(bank, "difficulty: hard")
    assert f"{bank}:{second}: the key 'difficulty' appears twice in one mapping (first on line {first})" in out.stdout


@pytest.mark.parametrize("size, reason", [
    (50_000, "'answer' is 50,000 characters long; at most 20,000 are allowed"),
    (10 * 1024 * 1024, "a value is 10,485,760 characters long; at most 100,000 are allowed"),
])
def test_an_oversized_reference_answer_is_refused_quickly(tmp_path, size, reason):
    bank = _mini_with("    answer: More data or augmentation, regularisation (L1, L2, dropout), early stopping, simpler models.\n",
                      f"    answer: {'a' * size}\n", tmp_path / "long.yaml")
    started = time.monotonic()
    out = cli("score", "--bank", bank, "-q", "prevent-overfitting", "--text", "dropout", timeout=60)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert f"{bank}, line {_line_of(bank, 'answer: aaa')}: {reason}" in out.stderr
    assert time.monotonic() - started < 15  # 32 s before


def test_the_window_lists_the_good_banks_and_keeps_the_broken_ones_in_view(qtbot, open_window, tmp_path, fifo):
    banks = tmp_path / "banks"
    banks.mkdir()
    for name in ("recursive-alias.yaml", "deep-mapping.yaml"):
        (banks / name).write_text(HOSTILE[name][0])
    fifo(banks)
    window = open_window(bank_dirs=(DATA, banks))
    page = window.setup_page
    assert [b.id for b in page.banks] == ["mini"]
    items = [page.bank_list.item(i).text() for i in range(page.bank_list.count())]
    assert items[1:] == ["deep-mapping.yaml: cannot be used", "pipe.yaml: cannot be used",
                         "recursive-alias.yaml: cannot be used"]
    assert "refers to a value that contains it" in page.broken_label.text()
    assert "is not a regular file" in page.broken_label.text()
    qtbot.waitUntil(lambda: "Speech model ready" in page.model_label.text(), timeout=60_000)
    assert page.broken_label.isVisible() and "deep-mapping.yaml, line 21" in page.broken_label.text()


# A child process: with the old code the window crashed at start (exit 139) on the deep brackets.
_WINDOW = """
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from mockinterviewer.gui.app import open_main_window, set_identity

app = QApplication([])
set_identity(app)
window, _box = open_main_window()
page = window.setup_page

def ready():
    if page.start_button.isEnabled() and page.model_label.text().startswith("Speech model ready"):
        items = [page.bank_list.item(i).text() for i in range(page.bank_list.count())]
        print(json.dumps({"items": items, "broken": page.broken_label.text(),
                          "broken_visible": page.broken_label.isVisible()}), flush=True)
        app.quit()

timer = QTimer()
timer.timeout.connect(ready)
timer.start(50)
app.exec()
window.close()
assert window.wait_for_background()
"""


def test_the_window_starts_with_hostile_banks_in_the_users_folder(tmp_path, fifo):
    data_home = tmp_path / "data"
    banks = data_home / "MockInterviewer" / "banks"
    _write_hostile(banks)
    fifo(banks)
    env = {**os.environ, "XDG_DATA_HOME": str(data_home), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    child = subprocess.run([sys.executable, "-c", _WINDOW], capture_output=True, text=True, env=env, timeout=120,
                           preexec_fn=_limit_memory)
    assert child.returncode == 0, child.stderr[-2000:]
    shown = json.loads(child.stdout.splitlines()[-1])
    assert shown["items"][0].startswith("Machine learning engineer")
    assert sorted(shown["items"][1:]) == sorted(f"{name}: cannot be used" for name in [*HOSTILE, "pipe.yaml"])
    assert shown["broken_visible"]
    for name, (_, reason) in HOSTILE.items():
        line, why = reason.split(": ", 1)
        assert f"• {banks / name}, line {line}: {why}" in shown["broken"]


def test_a_pipe_named_with_bank_is_refused_with_a_sentence(tmp_path, fifo):
    pipe = fifo(tmp_path)
    out = cli("questions", "list", "--bank", pipe, timeout=30)
    assert out.returncode == 2
    assert out.stderr == f"mockinterviewer: {pipe}: is not a regular file (a pipe, socket or device), so it was not read\n"
