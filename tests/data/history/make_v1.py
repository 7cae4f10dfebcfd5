"""Makes v1.sql: a history database as schema version 1 wrote it, with real scored answers.

Kept so the fixture can be reproduced; the test reads the committed v1.sql, not this script, so
a later change to the app cannot change what "a version 1 file" is. Run from the repository root:
    python tests/data/history/make_v1.py
"""

import json
import sqlite3
import tempfile
from pathlib import Path

from mockinterviewer.core.bank import load_bank
from mockinterviewer.core.scoring import score_answer
from mockinterviewer.core.transcript import Transcript, Word

# Schema version 1, exactly as it shipped (version 2 added the delivery columns and an index).
V1_SCHEMA = """
CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY,
    uuid          TEXT NOT NULL UNIQUE,
    mode          TEXT NOT NULL CHECK (mode IN ('practice', 'mock')),
    source        TEXT NOT NULL CHECK (source IN ('window', 'cli')),
    banks         TEXT NOT NULL DEFAULT '[]',
    model         TEXT NOT NULL DEFAULT '',
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    folder        TEXT
);
CREATE TABLE attempts (
    id                INTEGER PRIMARY KEY,
    uuid              TEXT NOT NULL UNIQUE,
    session_id        INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    question_id       TEXT NOT NULL,
    bank              TEXT NOT NULL DEFAULT '',
    question          TEXT NOT NULL,
    category          TEXT NOT NULL DEFAULT '',
    difficulty        TEXT NOT NULL DEFAULT '',
    attempt_no        INTEGER NOT NULL DEFAULT 1,
    attempted_at      TEXT NOT NULL,
    audio_path        TEXT,
    transcript        TEXT NOT NULL,
    words             TEXT NOT NULL DEFAULT '[]',
    edited_transcript TEXT,
    score             INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    result            TEXT NOT NULL,
    model             TEXT NOT NULL DEFAULT ''
);
CREATE INDEX attempts_by_session ON attempts (session_id, attempted_at);
"""

SPOKEN = ("To prevent overfitting I would add dropout between the layers, use L2 regularization on the weights, "
          "and stop early when the validation loss starts to rise.")


def timed(text: str, start: float = 0.5, step: float = 0.4) -> Transcript:
    words = tuple(Word(w, round(start + i * step, 2), round(start + i * step + 0.3, 2), 0.9)
                  for i, w in enumerate(text.split()))
    return Transcript(text, words, duration=round(start + len(words) * step + 1, 2), model="tiny.en")


def main() -> None:
    root = Path(__file__).resolve().parent
    bank = load_bank(root.parent / "mini.yaml")
    overfit, bias = bank.get("prevent-overfitting"), bank.get("bias-variance-tradeoff")
    rows = [  # (session, question, transcript, audio, time)
        (1, overfit, timed(SPOKEN), "recordings/2025-01-10_09-00-00/01-prevent-overfitting.flac", "2025-01-10T09:01:00+00:00"),
        (1, bias, Transcript.typed("High bias underfits."), None, "2025-01-10T09:05:00+00:00"),
        (2, bias, timed("High bias means underfitting and high variance means overfitting, a tradeoff we tune "
                        "with cross validation."), None, "2025-01-12T18:00:00+00:00"),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(Path(tmp) / "v1.sqlite3")
        conn.executescript(V1_SCHEMA)
        conn.execute("INSERT INTO sessions VALUES (1, 'a1b2c3d4-0000-4000-8000-000000000001', 'practice', 'window', "
                     "'[\"mini\"]', 'tiny.en', '2025-01-10T09:00:00+00:00', '2025-01-10T09:06:00+00:00', "
                     "'recordings/2025-01-10_09-00-00')")
        conn.execute("INSERT INTO sessions VALUES (2, 'a1b2c3d4-0000-4000-8000-000000000002', 'mock', 'cli', "
                     "'[\"mini\"]', 'tiny.en', '2025-01-12T18:00:00+00:00', NULL, NULL)")
        for n, (session, question, transcript, audio, when) in enumerate(rows, 1):
            result = score_answer(question, transcript)
            conn.execute("INSERT INTO attempts VALUES (?, ?, ?, ?, 'mini', ?, ?, ?, 1, ?, ?, ?, ?, NULL, ?, ?, ?)",
                         (n, f"b1b2c3d4-0000-4000-8000-00000000000{n}", session, question.id, question.text,
                          question.category, question.difficulty, when, audio, transcript.text,
                          json.dumps([[w.text, w.start, w.end, w.probability] for w in transcript.words]),
                          result.score, json.dumps(result.to_dict()), transcript.model))
        conn.commit()
        dump = "\n".join(conn.iterdump())
        conn.close()
    (root / "v1.sql").write_text(f"-- A Mock Interviewer history, schema version 1 (made by make_v1.py).\n"
                                 f"PRAGMA user_version = 1;\n{dump}\n", encoding="utf-8")


if __name__ == "__main__":
    main()
