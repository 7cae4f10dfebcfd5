"""What a report says, as plain values built from a stored session; every format renders this.

Kept apart from the templates so the HTML, Markdown, PDF, JSON and CSV reports cannot disagree,
and so the window can show the same figures. No Qt here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path

from mockinterviewer import __version__
from mockinterviewer.core.averages import session_average
from mockinterviewer.core.delivery import clock, summary as delivery_summary
from mockinterviewer.store.history import Attempt, History, iso

REPORT_FORMAT = "mockinterviewer-report"
REPORT_VERSION = 1


@dataclass(frozen=True)
class CoveredPoint:
    label: str
    evidence: str            # the words heard for it
    start: float | None      # seconds into the recording
    end: float | None
    confidence: float
    status: str = "covered"  # or "partly": half credit; for a point made in a follow-up, the first answer's
    follow_up: str = ""      # "recovered" or "corrected": made in follow-up number ``follow_up_turn``
    follow_up_turn: int = 0


@dataclass(frozen=True)
class TurnReport:
    """One follow-up turn: what was asked, the reply, and what it made of the point it aimed at."""
    number: int              # 1 for the first follow-up
    kind: str                # challenge | probe | hint | deeper
    question: str
    point: str
    skipped: bool
    transcript: str
    status: str              # the point in the reply: covered | partly | incorrect | missed ("" for deeper)
    evidence: str
    start: float | None
    end: float | None
    audio: Path | None       # absolute, for embedding
    audio_name: str | None   # as stored
    phrased_by: str = ""     # the language model that worded the question ("": the app's own words)


@dataclass(frozen=True)
class IncorrectPoint:
    """A point stated wrongly: what was heard, when, and what is true."""
    label: str
    evidence: str
    start: float | None
    end: float | None
    correction: str


@dataclass(frozen=True)
class MissedPoint:
    label: str
    reference: str           # how it could have been said


@dataclass(frozen=True)
class AnswerReport:
    number: int
    question_id: str
    bank: str
    question: str
    category: str
    difficulty: str
    attempt: int             # 2 for a retry of the same question
    attempted_at: dt.datetime
    score: int
    explanation: str
    flags: tuple[tuple[str, str], ...]   # (code, sentence)
    transcript: str          # what was scored: the candidate's correction if any
    heard_transcript: str    # what Whisper wrote
    edited: bool
    covered: tuple[CoveredPoint, ...]
    missed: tuple[MissedPoint, ...]
    reference_answer: str
    delivery: dict | None    # Delivery.to_dict()
    delivery_line: str       # the same figures in one line
    model: str
    audio: Path | None       # absolute, for embedding
    audio_name: str | None   # as stored (relative to the data folder): what a report shows
    incorrect: tuple[IncorrectPoint, ...] = ()
    second_opinion: dict | None = None   # a language model's (SecondOpinion.to_dict() plus its critique line)
    turns: tuple[TurnReport, ...] = ()

    @property
    def points(self) -> int:
        return len(self.covered) + len(self.missed) + len(self.incorrect)


@dataclass(frozen=True)
class CategoryTotal:
    category: str
    answers: int
    average: float
    best: int
    worst: int


@dataclass(frozen=True)
class DeliveryTotals:
    spoken_answers: int
    speaking_seconds: float
    words: int
    words_per_minute: float | None   # over every spoken answer together
    fillers: int
    hedges: int
    long_pauses: int

    @property
    def speaking_clock(self) -> str:
        return clock(self.speaking_seconds)


@dataclass(frozen=True)
class Report:
    session_id: int
    session_uuid: str
    mode: str
    source: str
    banks: tuple[str, ...]
    model: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    answers: tuple[AnswerReport, ...]
    average: int | None          # of each question's last attempt
    categories: tuple[CategoryTotal, ...]
    delivery: DeliveryTotals
    generated_at: dt.datetime
    app_version: str = __version__

    @property
    def questions(self) -> int:
        return len({a.question_id for a in self.answers})

    def to_dict(self) -> dict:
        """The JSON report; docs/report.schema.json describes it."""
        return {
            "format": REPORT_FORMAT, "version": REPORT_VERSION, "generated_at": iso(self.generated_at),
            "app_version": self.app_version,
            "session": {"id": self.session_id, "uuid": self.session_uuid, "mode": self.mode, "source": self.source,
                        "banks": list(self.banks), "model": self.model, "started_at": iso(self.started_at),
                        "finished_at": iso(self.finished_at) if self.finished_at else None},
            "summary": {"answers": len(self.answers), "questions": self.questions, "average": self.average,
                        "categories": [asdict(c) for c in self.categories], "delivery": asdict(self.delivery)},
            "answers": [{
                "number": a.number, "question_id": a.question_id, "bank": a.bank, "question": a.question,
                "category": a.category, "difficulty": a.difficulty, "attempt": a.attempt,
                "attempted_at": iso(a.attempted_at), "score": a.score, "explanation": a.explanation,
                "flags": [{"code": c, "message": m} for c, m in a.flags], "transcript": a.transcript,
                "heard_transcript": a.heard_transcript, "edited": a.edited,
                "covered": [asdict(p) for p in a.covered], "incorrect": [asdict(p) for p in a.incorrect],
                "missed": [asdict(p) for p in a.missed],
                "reference_answer": a.reference_answer, "delivery": a.delivery, "model": a.model,
                "audio": a.audio_name, "second_opinion": a.second_opinion,
                "turns": [{**{k: v for k, v in asdict(t).items() if k not in ("audio", "audio_name")},
                           "audio": t.audio_name} for t in a.turns],
            } for a in self.answers],
        }


def build_report(history: History, session_id: int) -> Report:
    """The report of one stored session (UnknownSessionError if there is none)."""
    session = history.session(session_id)
    attempts = history.attempts(session_id)
    answers = tuple(_answer(history, n, a) for n, a in enumerate(attempts, 1))
    last = {a.question_id: a for a in answers}  # the last attempt at each question counts
    return Report(session.id, session.uuid, session.mode, session.source, session.banks, session.model,
                  session.started_at, session.finished_at, answers,
                  session_average((a.question_id, a.score) for a in answers), _categories(last.values()),
                  _delivery(answers), dt.datetime.now(dt.timezone.utc).replace(microsecond=0))


def _answer(history: History, number: int, a: Attempt) -> AnswerReport:
    result = a.result
    covered = tuple(_covered(k) for k in result.covered)
    incorrect = tuple(IncorrectPoint(k.label, k.evidence.text if k.evidence else "",
                                     k.evidence.start if k.evidence else None, k.evidence.end if k.evidence else None,
                                     k.correction or k.label) for k in result.incorrect)
    missed = tuple(MissedPoint(k.label, k.reference) for k in result.missed)
    return AnswerReport(
        number, a.question_id, a.bank, a.question, a.category, a.difficulty, a.attempt_no, a.attempted_at, a.score,
        result.explanation, tuple((f.code, f.message) for f in result.flags), a.shown_transcript, a.transcript,
        a.edited_transcript is not None, covered, missed, result.reference_answer,
        result.delivery.to_dict() if result.delivery else None,
        delivery_summary(result.delivery) if result.delivery else "", a.model,
        a.audio if a.audio and a.audio.is_file() else None, _audio_name(history, a.audio), incorrect,
        {**result.second_opinion.to_dict(), "critique": result.second_opinion.critique}
        if result.second_opinion else None,
        tuple(_turn(history, n, t) for n, t in enumerate(result.turns, 1)))


def _covered(k) -> CoveredPoint:
    """A point credited: in the answer, or (``follow_up``) in a follow-up, quoted from there."""
    ev = k.follow_up_evidence if k.follow_up else k.evidence
    return CoveredPoint(k.label, ev.text if ev else "", ev.start if ev else None, ev.end if ev else None,
                        k.confidence, k.status, k.follow_up, k.follow_up_turn)


def _turn(history: History, number: int, t) -> TurnReport:
    audio = Path(t.audio) if t.audio else None
    ev = t.evidence
    return TurnReport(number, t.follow_up.kind, t.follow_up.text, t.follow_up.point, t.transcript is None,
                      t.transcript.text if t.transcript else "", t.status, ev.text if ev else "",
                      ev.start if ev else None, ev.end if ev else None,
                      audio if audio and audio.is_file() else None, _audio_name(history, audio),
                      t.follow_up.phrased_by)


def _audio_name(history: History, audio: Path | None) -> str | None:
    """The recording as stored, relative to the data folder; only its name if it lies elsewhere
    (a shared report should not show the candidate's folders)."""
    if audio is None:
        return None
    stored = history.relative(audio)
    return audio.name if Path(stored).is_absolute() else stored


def _categories(answers) -> tuple[CategoryTotal, ...]:
    by: dict[str, list[int]] = {}
    for a in answers:
        by.setdefault(a.category or "uncategorised", []).append(a.score)
    return tuple(CategoryTotal(c, len(s), round(sum(s) / len(s), 1), max(s), min(s)) for c, s in sorted(by.items()))


def _delivery(answers) -> DeliveryTotals:
    spoken = [a.delivery for a in answers if a.delivery and a.delivery.get("speaking_seconds")]
    seconds = round(sum(d["speaking_seconds"] for d in spoken), 1)
    words = sum(d["words"] for d in spoken)
    return DeliveryTotals(
        len(spoken), seconds, words, round(words * 60 / seconds) if seconds >= 5 else None,
        sum(sum(d["fillers"].values()) for a in answers if (d := a.delivery)),
        sum(sum(d["hedges"].values()) for a in answers if (d := a.delivery)),
        sum(len(d["long_pauses"]) for a in answers if (d := a.delivery)))
