"""Spaced review: when each practised question should come back, from its scores (FSRS).

Every answer is a review of its question, rated from its 0-100 score:

    score < 40  -> Again   (back the next day)
    score < 60  -> Hard    (the next day, remembered a little longer)
    score < 85  -> Good    (in 2 days at first, then further apart)
    otherwise   -> Easy    (in 8 days at first, then much further apart)

The ``fsrs`` scheduler replays a question's answers in order, so a weak question comes back
sooner than a strong one, and a question that was weak and is now answered well is spaced out
again. Steps are whole days (no minute-long learning steps: an interview question is practised
once a session, not drilled) and without random fuzz, so the same history gives the same plan.
Questions never practised are new, not due. Works on anything with ``score_history()`` (the
store's History), so the core imports no storage code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Protocol

from fsrs import Card, Rating, Scheduler

RATING_BANDS = ((40, Rating.Again), (60, Rating.Hard), (85, Rating.Good))  # at or above 85: Easy
_SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


class ScoreHistory(Protocol):
    def score_history(self) -> dict[str, list[tuple[dt.datetime, int]]]:
        """Each question id's (time, score) pairs, oldest first."""


@dataclass(frozen=True)
class QuestionReview:
    question_id: str
    attempts: int
    latest: int                     # the last score
    average: float
    last_practised: dt.datetime
    due: dt.datetime                # when FSRS brings it back
    retrievability: float           # FSRS's estimate (0-1) that the answer is still there, at the time asked

    def overdue(self, now: dt.datetime) -> dt.timedelta:
        return _utc(now) - self.due


def is_weak(score: int) -> bool:
    """Below "Easy": worth practising again ("Practise these" takes only these)."""
    return score < RATING_BANDS[-1][0]


def rating_for(score: int) -> Rating:
    for below, rating in RATING_BANDS:
        if score < below:
            return rating
    return Rating.Easy


def schedule(scores: list[tuple[dt.datetime, int]]) -> Card:
    """The FSRS card after replaying ``scores`` (oldest first)."""
    card = Card(card_id=1)  # an id of our own: fsrs would otherwise make one from the clock
    for when, score in scores:
        card, _ = _SCHEDULER.review_card(card, rating_for(score), _utc(when))
    return card


def reviews(history: ScoreHistory, question_ids: Iterable[str] | None = None,
            now: dt.datetime | None = None) -> list[QuestionReview]:
    """Every practised question (of ``question_ids``, when given) with its schedule."""
    now = _utc(now or dt.datetime.now(dt.timezone.utc))
    wanted = None if question_ids is None else set(question_ids)
    out = []
    for qid, scores in history.score_history().items():
        if not scores or (wanted is not None and qid not in wanted):
            continue
        card = schedule(scores)
        values = [s for _, s in scores]
        out.append(QuestionReview(qid, len(scores), values[-1], round(sum(values) / len(values), 1),
                                  _utc(scores[-1][0]), card.due, _SCHEDULER.get_card_retrievability(card, now)))
    return out


def due_questions(history: ScoreHistory, question_ids: Iterable[str] | None = None,
                  now: dt.datetime | None = None) -> list[QuestionReview]:
    """The practised questions due at ``now``, most overdue first (then the weakest first)."""
    now = _utc(now or dt.datetime.now(dt.timezone.utc))
    due = [r for r in reviews(history, question_ids, now) if r.due <= now]
    return sorted(due, key=lambda r: (r.due, r.latest, r.question_id))


def new_questions(history: ScoreHistory, question_ids: Iterable[str]) -> list[str]:
    """The ones of ``question_ids`` never practised."""
    practised = history.score_history()
    return [q for q in question_ids if not practised.get(q)]


def weakest_questions(history: ScoreHistory, n: int = 10, by: str = "latest",
                      question_ids: Iterable[str] | None = None) -> list[QuestionReview]:
    """The ``n`` practised questions with the lowest latest (or ``by="average"``) score."""
    if by not in ("latest", "average"):
        raise ValueError("by is 'latest' or 'average'")
    key = (lambda r: (r.latest, r.average, r.question_id)) if by == "latest" else \
        (lambda r: (r.average, r.latest, r.question_id))
    return sorted(reviews(history, question_ids), key=key)[:n]


def _utc(when: dt.datetime) -> dt.datetime:
    return (when if when.tzinfo else when.astimezone()).astimezone(dt.timezone.utc)
