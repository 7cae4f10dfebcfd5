"""Hostile and damaged history archives: nothing outside the data folder, no zip bombs, nothing
half-imported, and an honest word for each (issue 13)."""

import datetime as dt
import json
import os
import sqlite3
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from mockinterviewer.core.bank import load_bank
from mockinterviewer.core.scoring import score_answer
from mockinterviewer.core.transcript import Transcript
from mockinterviewer.store import ArchiveError, History
from mockinterviewer.store.archive import export_history, import_history

DATA = Path(__file__).parent / "data"
SPOKEN = ("To prevent overfitting I would add dropout between the layers, use L2 regularization on the weights, "
          "and stop early when the validation loss starts to rise.")
BIAS = "High bias means the model underfits, high variance means it overfits; cross validation finds the balance."
LAST_SESSION = "(SELECT max(id) FROM sessions)"


@pytest.fixture(scope="module")
def bank():
    return load_bank(DATA / "mini.yaml")


@pytest.fixture
def good(tmp_path, bank):
    """An archive from another computer: a session with a recording and a typed answer, then a later
    typed-only session."""
    other = tmp_path / "other-computer"
    overfit, bias = bank.get("prevent-overfitting"), bank.get("bias-variance-tradeoff")
    early = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.timezone.utc)
    with History(data_dir=other) as h:
        folder = other / "recordings" / "2025-03-01_09-30-00"
        folder.mkdir(parents=True)
        audio = folder / "01-prevent-overfitting.flac"
        audio.write_bytes(b"fLaC" + os.urandom(5000))  # copied, never decoded, by export and import
        first = h.start_session("practice", "window", ["mini"], "tiny.en", folder, started_at=early)
        h.save_attempt(first, overfit, score_answer(overfit, Transcript.typed(SPOKEN)), bank="mini", recording=audio)
        h.save_attempt(first, bias, score_answer(bias, Transcript.typed(BIAS)), bank="mini")
        h.finish_session(first)
        second = h.start_session("mock", "cli", ["mini"], started_at=early + dt.timedelta(days=1))
        h.save_attempt(second, bias, score_answer(bias, Transcript.typed(BIAS)), bank="mini")
        archive = tmp_path / "good.zip"
        export_history(h, archive)
    return archive


@pytest.fixture
def mine(tmp_path, bank):
    """The user's own history, with one session of their own."""
    data_dir = tmp_path / "MockInterviewer"
    bias = bank.get("bias-variance-tradeoff")
    with History(data_dir=data_dir) as h:
        h.save_attempt(h.start_session("practice", "cli", ["mini"]), bias, score_answer(bias, Transcript.typed(BIAS)),
                       bank="mini")
    return data_dir


def tampered(good: Path, name: str, sql=(), manifest=None, members=None) -> Path:
    """``good`` with SQL run on its database, its manifest changed, or members added or replaced."""
    with zipfile.ZipFile(good) as zf:
        content = {i.filename: zf.read(i) for i in zf.infolist()}
    if sql:
        db = good.with_name(name + ".sqlite3")
        db.write_bytes(content["history.sqlite3"])
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA ignore_check_constraints = ON")  # a hostile file obeys no schema
        for statement in sql:
            conn.execute(statement)
        conn.commit()
        conn.close()
        content["history.sqlite3"] = db.read_bytes()
        db.unlink()
    if manifest is not None:
        found = manifest(json.loads(content["manifest.json"]))
        content["manifest.json"] = found if isinstance(found, (str, bytes)) else json.dumps(found)
    content.update(members or {})
    out = good.with_name(name + ".zip")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, data in content.items():
            zf.writestr(member, data)
    return out


def state(root: Path) -> dict:
    """Every file under ``root`` with its bytes (the database by its rows: its WAL may be checkpointed)."""
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
             if p.is_file() and "history.sqlite3" not in p.name}
    with History(data_dir=root / "MockInterviewer") as h:
        files["rows"] = repr([(s.uuid, [(a.uuid, a.score) for a in h.attempts(s.id)]) for s in h.sessions()])
    return files


def refused(mine: Path, archive: Path) -> str:
    with History(data_dir=mine) as history, pytest.raises(ArchiveError) as err:
        import_history(history, archive)
    message = str(err.value)
    assert archive.name in message and "\n" not in message
    assert "rebuild" not in message and "recordings are safe" not in message  # the archive's fault, not yours
    return message


def first_answer_with(audio: bool) -> str:
    return f"(SELECT min(id) FROM attempts WHERE audio_path IS {'NOT ' if audio else ''}NULL)"


def test_a_good_archive_still_imports_with_its_recording_and_result_files(good, mine):
    with History(data_dir=mine) as history:
        report = import_history(history, good)
        stored = [a for s in history.sessions() for a in history.attempts(s.id)]
    assert (report.sessions_added, report.attempts_added, report.audio_files) == (2, 3, 1)
    audio = [a.audio for a in stored if a.audio]
    assert len(audio) == 1 and audio[0].is_relative_to(mine / "recordings")
    assert len(list((mine / "recordings").rglob("*.result.json"))) == 3 + 1  # and the one of my own answer


@pytest.mark.parametrize("name, sql, members", [
    ("folder-up", ["UPDATE sessions SET folder = 'recordings/../../escaped'"], None),
    ("folder-outside", ["UPDATE sessions SET folder = '../escaped'"], None),
    ("session-uuid", ["UPDATE sessions SET uuid = '/../../../../escaped' WHERE id = 1"], None),
    ("question-id", [f"UPDATE attempts SET question_id = '../../../escaped' WHERE id = {first_answer_with(False)}"],
     None),
    ("planted-bank", [], {"audio/banks/planted.yaml": b"id: planted\n"}),
    ("outside-recordings", [], {"audio/escaped.flac": b"fLaC"}),
])
def test_an_archive_cannot_write_outside_the_folder_its_files_belong_in(good, mine, tmp_path, name, sql, members):
    manifest = None
    if members:  # the recorded answer's audio is said to be this member
        def manifest(m):
            attempt = next(k for k, v in m["audio"].items() if v)
            return {**m, "audio": {**m["audio"], attempt: next(iter(members))}}
    archive = tampered(good, name, sql, manifest, members)
    before = state(tmp_path)
    message = refused(mine, archive)
    assert "nothing was imported" in message
    assert state(tmp_path) == before  # nothing written anywhere, the history as it was
    assert not [p for p in tmp_path.rglob("*escaped*")] and not (mine / "banks").exists()


@pytest.mark.parametrize("name, sql, manifest, expected", [
    ("banks-json", [f"UPDATE sessions SET banks = '{{' WHERE id = {LAST_SESSION}"], None, "banks"),
    ("start-time", [f"UPDATE sessions SET started_at = 'last tuesday' WHERE id = {LAST_SESSION}"], None, "time"),
    ("naive-time", [f"UPDATE sessions SET started_at = '2025-03-02T09:00:00' WHERE id = {LAST_SESSION}"], None,
     "time zone"),
    ("result-json", [f"UPDATE attempts SET result = '{{\"score\": 5' WHERE session_id = {LAST_SESSION}"], None,
     "result"),
    ("result-shape", [f"UPDATE attempts SET result = '[1, 2]' WHERE session_id = {LAST_SESSION}"], None, "result"),
    ("words", [f"UPDATE attempts SET words = '[[\"a\", 1]]' WHERE session_id = {LAST_SESSION}"], None, "word"),
    ("answer-time", [f"UPDATE attempts SET attempted_at = 'soon' WHERE session_id = {LAST_SESSION}"], None, "time"),
    ("score", [f"UPDATE attempts SET score = 150 WHERE session_id = {LAST_SESSION}"], None, "score"),
    ("no-table", ["DROP TABLE attempts"], None, "cannot be read"),
    ("manifest-list", [], lambda m: [m], "not a Mock Interviewer history archive"),
    ("audio-list", [], lambda m: {**m, "audio": list(m["audio"])}, "recordings"),
    ("nested", [], lambda m: "[" * 100_000 + "]" * 100_000, "manifest"),
    ("many-lists", [], lambda m: {**m, "padding": [[] for _ in range(500_000)]}, "manifest"),
    ("version-text", [], lambda m: {**m, "version": "1"}, "damaged"),  # not "a later version"
])
def test_a_poisoned_archive_is_refused_whole_before_anything_is_stored(good, mine, tmp_path, name, sql, manifest,
                                                                        expected):
    archive = tampered(good, name, sql, manifest)
    before = state(tmp_path)
    assert expected in refused(mine, archive)
    # The first session is good and has a recording: neither it nor its audio is left behind.
    assert state(tmp_path) == before


def test_an_archive_whose_database_is_not_one_is_the_archives_fault(good, mine, tmp_path):
    archive = tampered(good, "garbage", members={"history.sqlite3": b"garbage " * 1000})
    before = state(tmp_path)
    assert "database" in refused(mine, archive)
    assert state(tmp_path) == before


def test_the_summary_counts_only_what_was_stored(good, mine, tmp_path):
    # The same answers under new session ids: importing them into a history that has them adds nothing.
    with History(data_dir=mine) as history:
        import_history(history, good)
    again = tampered(good, "renamed", ["UPDATE sessions SET uuid = lower(hex(randomblob(4))) || "
                                       "'-0000-4000-8000-' || lower(hex(randomblob(6)))"])
    with History(data_dir=mine) as history:
        counts = history.counts()
        report = import_history(history, again)
        assert history.counts() == (counts[0] + report.sessions_added, counts[1] + report.attempts_added)
    assert (report.sessions_added, report.attempts_added, report.sessions_skipped) == (0, 0, 2)
    assert report.summary() == "Imported 0 sessions (0 answers, 0 recordings), 2 already there."


def test_an_import_that_fills_the_disk_leaves_no_recording_behind(good, mine, tmp_path):
    from mockinterviewer.store import DiskFullError

    before = state(tmp_path)
    with History(data_dir=mine) as history:
        pages = history._conn.execute("PRAGMA page_count").fetchone()[0]
        history._conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own disk-full path (SQLITE_FULL)
        with pytest.raises(DiskFullError) as err:
            import_history(history, good)
    assert str(err.value) == (f"The disk holding {mine} is full, so {good} was not imported (nothing was added): "
                              "free some space and import again.")
    assert state(tmp_path) == before  # the recording it had copied is gone again


def cli(home, *args, env=None):
    env = {**os.environ, "XDG_DATA_HOME": str(home), **(env or {})}
    return subprocess.run([sys.executable, "-m", "mockinterviewer", *args], capture_output=True, text=True,
                          timeout=120, env=env, stdin=subprocess.DEVNULL)


def test_after_a_refused_import_history_and_report_still_work(good, tmp_path):
    home = tmp_path / "home"
    typed = cli(home, "answer", "-q", "prevent overfitting", "--bank", str(DATA / "mini.yaml"), "--text", SPOKEN)
    assert typed.returncode == 0, typed.stderr
    archive = tampered(good, "bad-result", [f"UPDATE attempts SET result = '{{' WHERE session_id = {LAST_SESSION}"])
    out = cli(home, "history", "import", str(archive))
    assert out.returncode == 2 and "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert "bad-result.zip is damaged" in out.stderr
    listing = cli(home, "history", "--json")
    assert listing.returncode == 0 and len(json.loads(listing.stdout)) == 1
    report = cli(home, "report", "--last", "--format", "json")
    assert report.returncode == 0 and json.loads(report.stdout)["answers"][0]["score"] == 100


# --- zip bombs: crafted by hand, a few MB on disk ---------------------------------------------

def deflated_zeros(size: int) -> tuple[bytes, int]:
    """A raw deflate stream of ``size`` zero bytes (a whole number of MiB) and its CRC, without
    compressing them: one flushed 1 MiB block, repeated."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    mib = bytes(2**20)
    block = c.compress(mib) + c.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(size // 2**20):
        crc = zlib.crc32(mib, crc)
    return block * (size // 2**20) + c.flush(), crc


def raw_zip(path: Path, entries) -> Path:
    """A zip written field by field: (name, method, crc, data, declared size[, declared packed size])
    per member; a zip's directory says what it likes."""
    central = b""
    with open(path, "wb") as f:
        for name, method, crc, data, size, *packed in entries:
            packed = packed[0] if packed else len(data)
            offset, encoded = f.tell(), name.encode()
            f.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 33, crc, packed, size,
                                len(encoded), 0) + encoded + data)
            central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, method, 0, 33, crc, packed, size,
                                   len(encoded), 0, 0, 0, 0, 0, offset) + encoded
        start = f.tell()
        f.write(central + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central),
                                      start, 0))
    return path


def stored(name, data):
    return (name, zipfile.ZIP_STORED, zlib.crc32(data), data, len(data))


# The child reports its own peak from /proc (VmHWM, this process's memory alone): the rusage of a
# child also counts the memory of the parent it was forked from, which is the whole test run's.
PEAK_REPORTING_CLI = """
import sys
from pathlib import Path
from mockinterviewer.__main__ import main
try:
    code = main(sys.argv[2:])
finally:
    Path(sys.argv[1]).write_text(next(l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM")))
sys.exit(code)
"""


def import_in_child(home, archive, tmpdir):
    """`history import` in its own process; its exit status, stderr and peak memory (MB)."""
    env = {**os.environ, "XDG_DATA_HOME": str(home), "TMPDIR": str(tmpdir)}
    peak = home.parent / "peak-kb"
    child = subprocess.run([sys.executable, "-c", PEAK_REPORTING_CLI, str(peak), "history", "import", str(archive)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, stdin=subprocess.DEVNULL,
                           timeout=120)
    return child.returncode, child.stderr.decode(), int(peak.read_text()) / 1024


@pytest.fixture
def small_tmp(tmp_path):
    """A 16 MiB temporary folder: a bomb unpacked to temp would fill it."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(folder)],
                      capture_output=True).returncode != 0:
        pytest.skip("mounting a small file system needs root here; without it the temporary folder is unbounded")
    yield folder
    subprocess.run(["umount", str(folder)], check=False)


@pytest.mark.parametrize("bomb, said", [("database", "unpacks to over 200 times"),
                                        ("recording", "unpacks to over 200 times"),
                                        ("big-recording", "more than 512 MiB"),
                                        ("total", "would unpack to 78.1 GiB")])
def test_a_zip_bomb_is_refused_without_using_memory_or_temp_space(good, tmp_path, small_tmp, bomb, said):
    with zipfile.ZipFile(good) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        database = zf.read("history.sqlite3")
    recorded = next(k for k, v in manifest["audio"].items() if v)
    entries = [stored("history.sqlite3", database)]
    if bomb == "database":  # 1 GiB of zeros in place of the database
        data, crc = deflated_zeros(2**30)
        entries = [("history.sqlite3", zipfile.ZIP_DEFLATED, crc, data, 2**30)]
    elif bomb == "recording":  # a 400 MiB "recording", read whole to compare it with the file there
        data, crc = deflated_zeros(400 * 2**20)
        entries.append(("audio/recordings/x/01-bomb.flac", zipfile.ZIP_DEFLATED, crc, data, 400 * 2**20))
        manifest["audio"][recorded] = "audio/recordings/x/01-bomb.flac"
    elif bomb == "big-recording":  # one recording bigger than any answer, stored (its directory says)
        entries.append(("audio/recordings/x/01-big.flac", zipfile.ZIP_STORED, 0, b"", 600 * 2**20, 600 * 2**20))
        manifest["audio"][recorded] = "audio/recordings/x/01-big.flac"
    else:  # members each under every limit, 78 GiB in all
        entries += [(f"extra/{n}.flac", zipfile.ZIP_STORED, 0, b"", 400 * 2**20, 400 * 2**20) for n in range(200)]
    entries.append(stored("manifest.json", json.dumps(manifest).encode()))
    archive = raw_zip(tmp_path / f"{bomb}.zip", entries)
    assert archive.stat().st_size < 3 * 2**20

    status, err, peak_mb = import_in_child(tmp_path / "home", archive, small_tmp)
    assert status == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert said in err and "nothing was imported" in err and f"{bomb}.zip" in err
    assert peak_mb < 300
    assert not list(small_tmp.iterdir())
    recordings = tmp_path / "home" / "MockInterviewer" / "recordings"
    assert not recordings.exists() or not list(recordings.rglob("*.flac"))


def test_an_archive_path_that_is_a_pipe_or_a_folder_is_one_sentence_without_waiting(tmp_path):
    home = tmp_path / "home"
    pipe = tmp_path / "history.zip"
    os.mkfifo(pipe)
    for path in (pipe, tmp_path):
        out = subprocess.run([sys.executable, "-m", "mockinterviewer", "history", "import", str(path)],
                             capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL,
                             env={**os.environ, "XDG_DATA_HOME": str(home)})
        assert out.returncode == 2 and out.stderr.strip() == \
            f"mockinterviewer: {path} is not a file, so it is not a history archive."
