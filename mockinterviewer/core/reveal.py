"""Whether a question put to the candidate gives a key point away.

A follow-up that names the point ("what about L2 shrinking the weights?") tests nothing. A
phrasing *reveals* a point when, after ``textnorm`` normalisation, it contains one of the
point's phrases (its label, its phrasings, or a phrase of a concept its claims use) as whole
words, or a content word of the label (function words aside). Words of the question itself
reveal nothing: they were said before the answer. Used for phrasings written by a language
model (``llm/followup.py``) and meant for the offline follow-ups too. No Qt, no model.
"""

from __future__ import annotations

from mockinterviewer.core.bank import KeyPoint
from mockinterviewer.core.matching import FUNCTION_WORDS
from mockinterviewer.core.textnorm import tokens


def point_phrases(point: KeyPoint, concepts: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """Everything that would give ``point`` away: label, phrasings, the phrases of its claims' concepts."""
    concepts = concepts or {}
    names = {c for claim in point.claims for c in claim}
    phrases = [point.label, *point.phrasings, *(p for n in sorted(names) for p in concepts.get(n, ()))]
    return [p for p in phrases if p.strip()]


def reveals_point(text: str, point: KeyPoint, concepts: dict[str, tuple[str, ...]] | None = None,
                  question: str = "") -> str | None:
    """The phrase or word of ``point`` that ``text`` gives away, or None if it gives none away."""
    said = tokens(text)
    if not said:
        return None
    asked = set(tokens(question))
    padded = f" {' '.join(said)} "
    for phrase in point_phrases(point, concepts):
        words = tokens(phrase)
        if words and not set(words) <= asked and f" {' '.join(words)} " in padded:
            return phrase
    said_set = set(said)
    for word in tokens(point.label):
        if word not in FUNCTION_WORDS and word not in asked and word in said_set:
            return word
    return None
