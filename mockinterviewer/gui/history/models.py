"""What the history page shows, read on a worker thread, and the table models that show it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt

from mockinterviewer.core.review import QuestionReview, due_questions, weakest_questions
from mockinterviewer.core.scoring import ScoreResult
from mockinterviewer.gui.widgets.rows_model import RowsTableModel

WEAKEST = 8


@dataclass(frozen=True)
class Overview:
    """Everything the page shows before a session is picked, read in one go on a worker."""
    sessions: list            # SessionInfo with at least one answer, newest first
    series: dict              # category -> [(datetime, average score)]
    weakest: list             # (QuestionReview, question text), weakest first
    due: list                 # (question id, question text), most overdue first
    unreadable: tuple = ()    # one sentence per session whose row could not be read (left out)


@dataclass(frozen=True)
class Answer:
    attempt: object           # store.Attempt
    result: ScoreResult
    audio: Path | None        # None when typed, or when the recording is gone


def load_overview(history, weakest: int = WEAKEST) -> Overview:
    texts = history.question_texts()
    sessions = [s for s in history.sessions() if s.answers]
    return Overview(sessions, history.category_series(),
                    [(r, texts.get(r.question_id, r.question_id)) for r in weakest_questions(history, weakest)],
                    [(r.question_id, texts.get(r.question_id, r.question_id)) for r in due_questions(history)],
                    tuple(history.unreadable_sessions))


def load_answers(history, session_id: int) -> list[Answer]:
    return [Answer(a, a.result, a.audio if a.audio is not None and a.audio.exists() else None)
            for a in history.attempts(session_id)]


def load_question_scores(history, question_id: str) -> list[tuple[dt.datetime, float]]:
    return [(a.attempted_at, a.score) for a in history.attempts_for_question(question_id)]


def when_text(when: dt.datetime, date: bool = True) -> str:
    """"Thu 19 Nov, 09:30" in the computer's time zone; the year only when it is not this one."""
    local = when.astimezone()
    if not date:
        return f"{local:%H:%M}"
    year = "" if local.year == dt.datetime.now().year else f" {local.year}"
    return f"{local:%a} {local.day} {local:%b}{year}, {local:%H:%M}"


# -- table models --------------------------------------------------------------------------------

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class _Model(RowsTableModel):
    NUMERIC: tuple[int, ...] = ()

    def cells(self, row) -> tuple:
        raise NotImplementedError

    def tooltip(self, row) -> str | None:
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cells(row)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row) or self.cells(row)[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.NUMERIC:
            return _RIGHT
        return None


class SessionsModel(_Model):
    HEADERS = ("When", "Mode", "Where", "Answers", "Average")
    NUMERIC = (3, 4)

    def cells(self, s) -> tuple:
        return (when_text(s.started_at), "Mock interview" if s.mode == "mock" else "Practice",
                "Terminal" if s.source == "cli" else "Window", str(s.answers),
                "—" if s.average is None else str(s.average))

    def tooltip(self, s) -> str:
        banks = ", ".join(s.banks) or "no bank recorded"
        ended = "" if s.finished_at else " Not finished."
        return f"{s.questions} question{'s' if s.questions != 1 else ''} from {banks}.{ended}"


class AnswersModel(_Model):
    HEADERS = ("Question", "Score", "Attempt", "When")
    NUMERIC = (1, 2)

    def cells(self, a: Answer) -> tuple:
        t = a.attempt
        return t.question, str(t.score), str(t.attempt_no), when_text(t.attempted_at, date=False)

    def tooltip(self, a: Answer) -> str:
        return a.attempt.question


class WeakestModel(_Model):
    HEADERS = ("Question", "Latest score", "Average", "Answers")
    NUMERIC = (1, 2, 3)

    def cells(self, row) -> tuple:
        review, text = row
        return text, str(review.latest), f"{review.average:g}", str(review.attempts)

    def tooltip(self, row) -> str:
        review: QuestionReview = row[0]
        return f"{row[1]}\nLast practised {when_text(review.last_practised)}."
