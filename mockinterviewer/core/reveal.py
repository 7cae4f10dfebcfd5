"""Whether a question put to the candidate gives a key point away: the one check for every follow-up.

A follow-up that names the point ("what about L2 shrinking the weights?") tests nothing. Every
wording the app would ask is held to the same test, whoever wrote it: a probe or hint built from
the reference answer (``core/probes``), one in the bank, and one phrased by a language model
(``core/followups.reworded``, ``llm/followup``). A text *gives the point away* when it says a
word of the point (its label, its phrasings, or a phrase of a concept its claims or mistakes use,
as the bank wrote them, function words aside), including a slip or another form of it ("regularise" for
"regularization"), or when, scored as if it were an answer (``core/scoring``), it already makes
the point or states it wrongly. The plain words the bank's thesaurus adds to a concept are held
to the second test only: a hint is written in plain words, and may use one as long as it does
not state the point. No Qt, no model.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from mockinterviewer.core.bank import KeyPoint, Question
from mockinterviewer.core.matching import FUNCTION_WORDS
from mockinterviewer.core.textnorm import tokens

SCORED_AS_ANSWER = "scored as an answer, it makes the point"


def forbidden(question: Question, point: KeyPoint) -> set[str]:
    """The normalised words that would give ``point`` away."""
    concepts = dict(question.concepts)
    phrases = [point.label, *point.phrasings]
    for claim in (*point.claims, *(m.claim for m in point.mistakes)):
        for name in claim:
            phrases += [name.replace("-", " "), *concepts.get(name, ())]
    return {t for p in phrases for t in tokens(p) if t not in FUNCTION_WORDS}


def gives_away(token: str, banned: set[str]) -> bool:
    """Whether ``token`` is one of the ``banned`` words, a slip of one, or another form of it."""
    if token in banned:
        return True
    for b in banned:
        # a slip or another form of the word: "regularise" for "regularization", "shrinks" for "shrink"
        if len(token) >= 4 and len(b) >= 4 and (token[:6] == b[:6]
                                                 or fuzz.ratio(token, b) >= 80):
            return True
    return False


def given_away(question: Question, point: KeyPoint, text: str) -> str:
    """What of ``point`` the follow-up ``text`` gives away: the word it says, or SCORED_AS_ANSWER;
    "" when it keeps the point hidden."""
    from mockinterviewer.core.scoring import score_answer  # scoring imports this module's users
    from mockinterviewer.core.transcript import Transcript

    banned = forbidden(question, point)
    for t in tokens(text):
        if t not in FUNCTION_WORDS and gives_away(t, banned):
            return t
    only = Question(question.id, question.category, question.difficulty, question.text, question.answer,
                    (point,), concepts=question.concepts, plain=question.plain)
    return SCORED_AS_ANSWER if score_answer(only, Transcript.typed(text)).key_points[0].status != "missed" else ""


def reveals(question: Question, point: KeyPoint, text: str) -> bool:
    """Whether ``text``, spoken as an answer, would already make ``point`` (or state it wrongly),
    or says any word of its own."""
    return bool(given_away(question, point, text))
