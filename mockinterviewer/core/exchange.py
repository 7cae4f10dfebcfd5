"""Judging a follow-up reply and crediting what it recovered.

A reply is scored like an answer to the question (``core/scoring``), and only the key point the
follow-up aims at is read from it: made there (covered or partly), the point is **recovered on
follow-up**, or **corrected** when the first answer stated it wrongly.

The rule (docs/scoring.md, Follow-up questions): a point made in a follow-up earns **half of the
credit the first answer left on it**. Missed, then covered: 0.5. Partly (0.5), then covered: 0.75.
Stated wrongly, then put right: 0.5. Missed, then only partly made: 0.25. The first answer still
counts most, as an interviewer's impression would; the follow-up's share is added after the first
answer's own steps (halved for a list of terms, scaled for length) and said in the score's line:
"... = 58; 1 recovered on follow-up (half credit, +8) = 66."
"""

from __future__ import annotations

import dataclasses

from mockinterviewer.core.bank import Question
from mockinterviewer.core.claims import INCORRECT, credit
from mockinterviewer.core.scoring import ScoreResult, score_answer
from mockinterviewer.core.transcript import Transcript
from mockinterviewer.core.turns import CORRECTED, RECOVERED, FollowUp, Turn

FOLLOW_UP_SHARE = 0.5  # of the credit the first answer left on a point


def judge_turn(question: Question, follow_up: FollowUp, transcript: Transcript | None, audio: str = "") -> Turn:
    """The reply ``transcript`` to ``follow_up`` (None: skipped), judged against the point it aims at."""
    if transcript is None or follow_up.index < 0:
        return Turn(follow_up, transcript, audio=audio)
    point = score_answer(question, transcript).key_points[follow_up.index]
    return Turn(follow_up, transcript, point.status, point.evidence, audio, point.correction)


def with_turns(result: ScoreResult, turns) -> ScoreResult:
    """``result`` (the first answer as scored, with no turns yet) with the follow-up ``turns`` credited."""
    if result.turns:
        raise ValueError("credit follow-up turns on the first answer's own result")
    turns = tuple(turns)
    if not turns:
        return result
    first_turn: dict[int, tuple[int, Turn]] = {}
    for n, turn in enumerate(turns, 1):
        best = first_turn.get(turn.follow_up.index)
        if turn.recovered and (best is None or credit(turn.status) > credit(best[1].status)):
            first_turn[turn.follow_up.index] = (n, turn)
    points = []
    for i, k in enumerate(result.key_points):
        base = dataclasses.replace(k, follow_up="", follow_up_credit=0.0, follow_up_turn=0,
                                   follow_up_evidence=None)
        found = first_turn.get(i)
        extra = FOLLOW_UP_SHARE * (credit(found[1].status) - credit(k.status)) if found else 0.0
        if found and extra > 0:
            n, turn = found
            base = dataclasses.replace(base, follow_up=CORRECTED if k.status == INCORRECT else RECOVERED,
                                       follow_up_credit=extra, follow_up_turn=n, follow_up_evidence=turn.evidence)
        points.append(base)
    total = sum(k.weight for k in points)
    bonus = round(100 * sum(k.weight * k.follow_up_credit for k in points) / total) if total else 0
    score = min(100, result.score + bonus)
    base_line = explanation = result.explanation
    if any(k.follow_up for k in points):
        recovered = sum(k.follow_up == RECOVERED for k in points)
        corrected = sum(k.follow_up == CORRECTED for k in points)
        what = " and ".join(p for p in (f"{recovered} recovered" if recovered else "",
                                        f"{corrected} corrected" if corrected else "") if p)
        explanation = f"{base_line.rstrip('.')}; {what} on follow-up (half credit, +{bonus}) = {score}."
    return dataclasses.replace(result, key_points=tuple(points), score=score, explanation=explanation, turns=turns)

