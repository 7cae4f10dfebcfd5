"""How an answer compares with the candidate's earlier answers to the same question."""

from __future__ import annotations

import datetime as dt


def comparison_line(earlier: list[tuple[dt.datetime, int]], score: int, limit: int = 4) -> str:
    """One line for the feedback: the last few earlier scores and the change since the last one.

    ``earlier`` holds (when, score) of the previous answers, oldest first, not counting this one.
    """
    if not earlier:
        return "Your first answer to this question: its score is the mark to beat next time."
    shown = earlier[-limit:]
    past = ", ".join(f"{s} ({when:%-d %b})" for when, s in shown)
    more = f"{len(earlier) - limit} more and " if len(earlier) > limit else ""
    change = score - earlier[-1][1]
    trend = f"up {change}" if change > 0 else f"down {-change}" if change < 0 else "the same"
    best = max(s for _, s in earlier)
    record = " Your best yet." if score > best else ""
    return f"Earlier answers: {more}{past}. This one: {score}, {trend} on the last.{record}"
