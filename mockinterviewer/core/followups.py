"""The interviewer's next move after a judged answer: challenge, probe, hint, or the deeper question.

A tutor's order: a point **stated incorrectly** gets a *challenge* (the candidate's own words back,
asked to reason again, the right answer not given); a point **missed** (or only partly made) gets
a *probe* that draws it out without its words; a point whose probe or challenge drew nothing gets
a stronger *hint* when it comes round again; with nothing left to recover, the question's own
``follow_up`` goes deeper. The heaviest point comes first (at equal weight: wrong before missed
before partly, then the bank's order), and the same point is never asked about twice in a row.
The wording comes from the bank (``probe``, ``hint``) or from ``core/probes``; with a language
model configured, a probe or hint may be put in its words (``reworded``), held to the same test.
docs/scoring.md, Follow-up questions; docs/language-model.md.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

from mockinterviewer.core.bank import Question
from mockinterviewer.core.claims import INCORRECT, MISSED, PARTLY
from mockinterviewer.core.probes import challenge_text, hint_text, probe_text
from mockinterviewer.core.reveal import reveals
from mockinterviewer.core.textnorm import tokens
from mockinterviewer.core.turns import FollowUp

CHALLENGE, PROBE, HINT, DEEPER = "challenge", "probe", "hint", "deeper"
KINDS = (CHALLENGE, PROBE, HINT, DEEPER)
_RANK = {INCORRECT: 0, MISSED: 1, PARTLY: 2}

__all__ = ["CHALLENGE", "DEEPER", "HINT", "KINDS", "PROBE", "FollowUp", "can_reword", "next_follow_up", "open_points",
           "reworded"]


def open_points(result, turns=()) -> list[int]:
    """The indexes of the points still to recover: wrong, missed or partly made in the answer
    and not made in a later turn, heaviest first."""
    done = {t.follow_up.index for t in turns if t.recovered}
    keyed = [(-k.weight, _RANK[k.status], i) for i, k in enumerate(result.key_points)
             if k.status in _RANK and i not in done]
    return [i for *_, i in sorted(keyed)]


def next_follow_up(question: Question, result, turns=()) -> FollowUp | None:
    """What to ask after ``result`` (the first answer's judged result) and the follow-up ``turns``
    so far (``core/exchange.Turn``); None when nothing is left worth asking."""
    points = question.key_points
    last = turns[-1].follow_up.index if turns else None
    asked: dict[int, list[str]] = {}
    for t in turns:
        asked.setdefault(t.follow_up.index, []).append(t.follow_up.kind)
    for i in open_points(result, turns):
        if i == last or i >= len(points):  # never the same point twice in a row; structure points have no wording
            continue
        kinds = asked.get(i, [])
        k = result.key_points[i]
        if not kinds:
            if k.status == INCORRECT:
                said = k.evidence.text if k.evidence else ""
                return FollowUp(CHALLENGE, challenge_text(said), k.label, i)
            return FollowUp(PROBE, probe_text(question, points[i]), k.label, i)
        if HINT not in kinds:
            return FollowUp(HINT, hint_text(question, points[i]), k.label, i)
    # Nothing (else) to recover: go deeper, once.
    if question.follow_up and not any(t.follow_up.kind == DEEPER for t in turns):
        return FollowUp(DEEPER, question.follow_up)
    return None


def can_reword(question: Question, move: FollowUp) -> bool:
    """Whether a language model may put ``move`` in its own words: a probe or a hint, which leads to
    a point without saying it (the bank's own, or one the app built: ``core/probes``), so that it can
    refer to what the candidate said; that wording stays the fallback. The bank's deeper question
    is asked as written, and a challenge quotes the candidate's words back."""
    return move.kind in (PROBE, HINT) and 0 <= move.index < len(question.key_points)


def reworded(question: Question, move: FollowUp, phrase: Callable[[str], str], by: str = "") -> FollowUp:
    """``move`` in other words from ``phrase(offline_text)`` (a language model's, named ``by``:
    ``llm/advisor``), marked as phrased by it, for a probe or hint the bank did not write
    (``can_reword``); kept as it was when the new words would give the point away by the one test
    every follow-up passes (``core/reveal``: its words and their forms, and scored as an answer),
    only repeat the question or the app's wording, or are empty. The same for the window and the CLI."""
    if not can_reword(question, move):
        return move
    point = question.key_points[move.index]
    text = " ".join(str(phrase(move.text) or "").split())
    if not text or text == move.text or set(tokens(text)) <= set(tokens(question.text)) \
            or reveals(question, point, text):
        return move
    return dataclasses.replace(move, text=text, phrased_by=by)
