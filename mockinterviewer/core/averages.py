"""What a session's average score means, in one place for every screen, command and report.

A session's average is the mean of the *last* attempt at each question answered in it, rounded
to a whole score: a retry replaces the attempt before it (as in the summary), and a question
skipped counts for nothing rather than zero. A session with no answer has no average (None),
never "0 / 100". The Progress chart's points per category use the same rule on the answers of
that category.
"""

from __future__ import annotations

from typing import Hashable, Iterable


def last_scores(answers: Iterable[tuple[Hashable, int]]) -> dict[Hashable, int]:
    """``answers`` are (question, score) pairs in the order given; each question's last score."""
    last: dict[Hashable, int] = {}
    for question, score in answers:
        last.pop(question, None)  # keep the order of the last answers
        last[question] = score
    return last


def session_average(answers: Iterable[tuple[Hashable, int]]) -> int | None:
    """The average of the last attempt at each question, or None when nothing was answered."""
    scores = list(last_scores(answers).values())
    return round(sum(scores) / len(scores)) if scores else None
