-- The practice history, as a new database is created (schema version 4).
-- migrations.py brings a database of an earlier version to this one; a test checks that both
-- end in the same tables. Times are ISO 8601 in UTC ("2025-03-01T09:30:00+00:00"), so they sort
-- as text. Paths are relative to the user data folder, with "/" separators, so a history moved
-- to another computer (history export / import) still finds its audio.

CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY,
    uuid          TEXT NOT NULL UNIQUE,               -- the same on every computer: import merges by it
    mode          TEXT NOT NULL CHECK (mode IN ('practice', 'mock')),
    source        TEXT NOT NULL CHECK (source IN ('window', 'cli')),
    banks         TEXT NOT NULL DEFAULT '[]',         -- JSON list of bank ids
    model         TEXT NOT NULL DEFAULT '',           -- speech model, "typed" when nothing was spoken
    started_at    TEXT NOT NULL,
    finished_at   TEXT,                               -- NULL while practising, or if the app was killed
    folder        TEXT                                -- the session's recordings folder
);

CREATE TABLE attempts (
    id                INTEGER PRIMARY KEY,
    uuid              TEXT NOT NULL UNIQUE,
    session_id        INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    question_id       TEXT NOT NULL,
    bank              TEXT NOT NULL DEFAULT '',
    question          TEXT NOT NULL,                  -- the text as asked, should the bank change later
    category          TEXT NOT NULL DEFAULT '',
    difficulty        TEXT NOT NULL DEFAULT '',
    attempt_no        INTEGER NOT NULL DEFAULT 1,     -- 2 for the first retry in the same session
    attempted_at      TEXT NOT NULL,
    audio_path        TEXT,                           -- NULL for a typed answer
    transcript        TEXT NOT NULL,                  -- as heard
    words             TEXT NOT NULL DEFAULT '[]',     -- as heard: JSON [[text, start, end, probability], ...]
    edited_transcript TEXT,                           -- the candidate's correction, which was scored
    score             INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    result            TEXT NOT NULL,                  -- ScoreResult.to_dict() as JSON
    model             TEXT NOT NULL DEFAULT '',
    -- version 2: delivery figures as columns, for charts over time without parsing every result
    duration_s        REAL,
    words_per_minute  REAL,
    fillers           INTEGER,
    -- version 3: the language model whose second opinion the result holds (NULL: none); docs/language-model.md
    llm_model         TEXT
);

CREATE INDEX attempts_by_session ON attempts (session_id, attempted_at);
CREATE INDEX attempts_by_question ON attempts (question_id, attempted_at);

-- version 4: the follow-up turns after an answer (core/turns.py), one row each, so that each
-- turn's recording is found (and moved, compressed, exported) like the answer's own. The whole
-- exchange, with what each turn made, is also in the attempt's result JSON ("turns").
CREATE TABLE turns (
    id            INTEGER PRIMARY KEY,
    attempt_id    INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    turn_no       INTEGER NOT NULL CHECK (turn_no >= 1),   -- 1 for the first follow-up
    kind          TEXT NOT NULL,                       -- challenge | probe | hint | deeper
    question      TEXT NOT NULL,                       -- the follow-up as asked
    point         TEXT NOT NULL DEFAULT '',            -- the key point it aimed at
    audio_path    TEXT,                                -- the reply's recording; NULL when typed or skipped
    transcript    TEXT,                                -- the reply; NULL when skipped
    status        TEXT NOT NULL DEFAULT '',            -- the point in the reply: covered | partly | incorrect | missed
    UNIQUE (attempt_id, turn_no)
);
