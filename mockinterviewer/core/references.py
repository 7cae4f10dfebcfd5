""""The first one", "the latter": which of the question's compared subjects an answer refers to.

A question that compares things ("What is the difference between precision and recall?",
"Compare random forests and gradient boosting") invites answers that name them by their place:
"the first one counts only what the model flagged", "the second approach gives each value its
own column", "the latter has fewer gates". Such a reference is read as the subject it stands
for, so that a claim about it is judged as if the subject had been named; the evidence still
quotes the candidate's own words. No Qt, no model.
"""

from __future__ import annotations

import re
from functools import lru_cache

from mockinterviewer.core.matching import Tokens
from mockinterviewer.core.textnorm import tokens

# "difference(s) between A, B and C", "compare A and B", "A vs B": the subjects, in order.
_BETWEEN = re.compile(r"\b(?:between|compare|comparing|contrast)\s+(.+?)(?:[?.!;:]|$)", re.IGNORECASE)
_VERSUS = re.compile(r"^(?:.*?\b(?:is|are|use|choose|pick|prefer)\s+)?(.+?)\s+(?:vs\.?|versus)\s+(.+?)(?:[?.!;:]|$)",
                     re.IGNORECASE)
_LEADING = frozenset("a an the".split())
# A subject is a name of a few words; a longer one is the rest of the sentence ("between precision
# and recall when the classes are imbalanced"), and the question is left unread.
_SUBJECT_WORDS = 4
_ORDINALS = {"first": 0, "second": 1, "third": 2, "former": 0, "latter": -1}
# Nouns that stand for a compared subject after an ordinal: "the first approach", "the second one".
_GENERIC_NOUNS = frozenset("one kind type approach method technique option way variant model metric measure "
                           "family style scheme version paradigm case idea encoding algorithm network "
                           "architecture".split())
# After a bare "the first" / "the second", a word that says it is the subject of a clause (a
# verb or copula), not an ordinal of some other noun ("the first layer", "the first few epochs").
_CLAUSE_WORDS = frozenset("is are was were has have does do can could will would gives give uses use looks "
                          "look asks ask counts count measures measure means mean tells tell takes take makes "
                          "make creates create turns turn treats treat just only simply".split())


@lru_cache(maxsize=512)
def compared_subjects(question_text: str) -> tuple[tuple[str, ...], ...]:
    """The subjects a question compares, as normalised tokens, in the order it names them; empty
    when it compares nothing. "the difference between supervised, unsupervised and reinforcement
    learning" -> (supervised), (unsupervised), (reinforcement learning)."""
    found = _BETWEEN.search(question_text)
    if found:
        parts = re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or|with|to|versus|vs\.?)\s+", found.group(1))
    else:
        found = _VERSUS.search(question_text)
        if not found:
            return ()
        parts = [found.group(1), found.group(2)]
    subjects = []
    for part in parts:
        words = tokens(part)
        while words and words[0] in _LEADING:
            words = words[1:]
        if not words or len(words) > _SUBJECT_WORDS:
            return ()
        subjects.append(tuple(words))
    return tuple(subjects) if 2 <= len(subjects) <= 3 else ()


def resolve(toks: Tokens, subjects: tuple[tuple[str, ...], ...]) -> bool:
    """Read each reference to a compared subject in ``toks`` as the subject itself: "the first
    one" -> "precision" for "What is the difference between precision and recall?". "The other
    one" is the second of two once the first was referred to. Whether there was any."""
    if len(subjects) < 2:
        return False
    words, out, i, said_first = toks.tokens, [], 0, False
    while i < len(words):
        if words[i] == "the" and i + 1 < len(words) and (words[i + 1] in _ORDINALS or words[i + 1] == "other"):
            ordinal, nxt = words[i + 1], words[i + 2] if i + 2 < len(words) else ""
            if ordinal == "other":
                index = 1 if said_first and len(subjects) == 2 and nxt in _GENERIC_NOUNS else None
            elif ordinal in ("former", "latter"):
                index = _ORDINALS[ordinal] if len(subjects) == 2 else None
            else:
                index = _ORDINALS[ordinal] if _ORDINALS[ordinal] < len(subjects) and (
                    nxt in _GENERIC_NOUNS or nxt in _CLAUSE_WORDS or not nxt) else None
            if index is not None:
                end = i + 2 + (nxt in _GENERIC_NOUNS)
                out.append((i, end, subjects[index]))
                said_first = said_first or index == 0
                i = end
                continue
        i += 1
    if out:
        toks.substitute(out)
    return bool(out)
