"""Follow-up wording built from a question when its bank gives none: a probe, a hint, a challenge.

A probe must draw a point out without saying it. Its words come from the reference answer's
sentence that states the point, less every word of the point itself: its label, its phrasings,
and every phrase of the concepts its claims and mistakes use (spelling slips and word forms
included: "regularisation" bars "regularization" and "regularise"). What is left is a *hook*
("feature selection" for "L1 gives sparsity"), asked about in a fixed sentence. The *hint* is the
same sentence with the point's words blanked out. Every text built is then held to the one test
of every follow-up (``core/reveal``: its words, and scored as if it were an answer): if that finds
the point at all, the text is dropped for a plainer one, so no generated probe or hint can state
its point. docs/scoring.md, Follow-up questions.
"""

from __future__ import annotations

import re

from mockinterviewer.core.bank import KeyPoint, Question
from mockinterviewer.core.matching import FUNCTION_WORDS
from mockinterviewer.core.reveal import forbidden, gives_away, reveals
from mockinterviewer.core.textnorm import tokens

# Words too common to make a hook on their own ("use", "model"): a hook needs one other word.
_PLAIN = frozenset(
    "also always any both each either every few first get gets give gives good great just like lot lots make makes "
    "many may might much must need needs never new often one only other others own same several some such take "
    "takes then thing things two usually way ways well whether within without would yet use used uses using model "
    "models data during after before through across against among per via whatever whichever still little amount "
    "accepting matters matter rather instead even almost quite really often sometimes".split()) | FUNCTION_WORDS
_SENTENCE = re.compile(r"(?<=[.!?;])\s+")
_MAX_HOOK_WORDS = 4
_MIN_HINT_WORDS = 4     # a hint with fewer words left than this says nothing
_MAX_HINT_WORDS = 28
BLANK = "…"

# Plain wordings, tried in turn when nothing better can be built: the first that keeps the point unsaid.
GENERIC_PROBES = ("There is one more thing an interviewer would listen for here. What would you add to your answer?",
                  "What would you add to your answer?", "Is there anything you would add?", "Go on.")
GENERIC_HINTS = ("Think about what else the question asks for, and take it one step further: what have you left out?",
                 "Take your answer a little further: what is missing?", "What is missing from your answer?",
                 "Anything else?")
_HOOK_PROBES = ("What else matters here? For instance, where does “{}” come into it?",
                "For instance, what about “{}”?")


def _words(sentence: str) -> list[tuple[str, bool]]:
    """(word as written, ends a phrase?) for each word of ``sentence``."""
    out = []
    for raw in sentence.split():
        word = raw.strip("\"'“”‘’()[]")
        out.append((word.rstrip(",;:.!?"), word.endswith((",", ";", ":", ".", "!", "?")) or raw.endswith(")")))
    return out


def _allowed(word: str, banned: set[str]) -> bool:
    toks = tokens(word)
    return bool(toks) and not any(gives_away(t, banned) for t in toks)


def _source_sentence(question: Question, banned: set[str]) -> str:
    """The reference answer's sentence that says most of the point (its banned words), or ''."""
    best, best_hits = "", 0
    for sentence in _SENTENCE.split(" ".join(question.answer.split())):
        hits = sum(gives_away(t, banned) for t in tokens(sentence) if t not in FUNCTION_WORDS)
        if hits > best_hits:
            best, best_hits = sentence, hits
    return best


def hook(question: Question, point: KeyPoint) -> str:
    """A few words near the point in the reference answer that are not the point's own words: the
    stretch of at most four, between the point's words and phrase breaks, that holds the most words
    with meaning ("room to memorise noise"), beginning and ending on one."""
    banned = forbidden(question, point)
    asked = set(tokens(question.text))  # the question's own words say nothing new
    # Nor may a hook name another point: a probe for dropout must not send the candidate to L2.
    others = {t for k in question.key_points if k is not point for p in (k.label, *k.phrasings)
              for t in tokens(p) if t not in FUNCTION_WORDS} - banned

    def meaningful(word: str) -> bool:
        return not all(t in _PLAIN or t in asked for t in tokens(word))

    runs, run = [], []
    for word, ends in _words(_source_sentence(question, banned)):
        if not _allowed(word, banned) or any(t in others for t in tokens(word)):
            run and runs.append(run)
            run = []
            continue
        run.append(word)
        if ends:
            runs.append(run)
            run = []
    run and runs.append(run)
    best, best_key = [], (0, 0)
    for r in runs:
        for i in range(len(r)):
            for j in range(i + 1, min(len(r), i + _MAX_HOOK_WORDS) + 1):
                part = r[i:j]
                if not (meaningful(part[0]) and meaningful(part[-1])):
                    continue
                if len(part) == 1 and part[0].lower().endswith(("s", "ed", "ing", "ly")) \
                        and not part[0].lower().endswith(("ss", "sis", "ics")):
                    continue  # one word alone must be a thing to ask about, not "performs" or "smoothly"
                key = (sum(meaningful(w) for w in part), -len(part))
                if key > best_key:
                    best, best_key = part, key
    return " ".join(best)


def cloze(question: Question, point: KeyPoint) -> str:
    """The reference answer's sentence for the point with the point's words blanked out."""
    banned = forbidden(question, point)
    words = _words(_source_sentence(question, banned))
    kept, shown = [], 0
    for word, _ in words:
        if _allowed(word, banned):
            kept.append(word)
            shown += not all(t in FUNCTION_WORDS for t in tokens(word))
        elif not kept or kept[-1] != BLANK:
            kept.append(BLANK)
    if shown < _MIN_HINT_WORDS or BLANK not in kept:
        return ""
    if len(kept) > _MAX_HINT_WORDS:  # keep the stretch around the first blank
        first = kept.index(BLANK)
        lo = max(0, first - _MAX_HINT_WORDS // 2)
        kept = kept[lo:lo + _MAX_HINT_WORDS]
    return " ".join(kept)


def probe_text(question: Question, point: KeyPoint) -> str:
    """The bank's probe for ``point``, or one built from the question that does not give it away."""
    if point.probe:
        return point.probe
    words = hook(question, point)
    built = [t.format(words) for t in _HOOK_PROBES] if words else []
    return _first_unrevealing(question, point, (*built, *GENERIC_PROBES))


def hint_text(question: Question, point: KeyPoint) -> str:
    """A stronger nudge after a probe that drew nothing: the bank's hint, or a blanked sentence."""
    if point.hint:
        return point.hint
    sentence = cloze(question, point)
    built = [f"Here is a hint. A strong answer says something like: “{sentence}” What fills the gaps?",
             f"A hint: “{sentence}”"] if sentence else []
    return _first_unrevealing(question, point, (*built, *GENERIC_HINTS))


def _first_unrevealing(question: Question, point: KeyPoint, texts) -> str:
    for text in texts:
        if not reveals(question, point, text):
            return text
    return texts[-1]  # the plainest; the test over the shipped bank and the drafts keeps this from happening


def challenge_text(said: str) -> str:
    """For a point stated wrongly: the candidate's own words back, and a request to reason it through."""
    said = " ".join(said.split())
    if said:
        return f"You said “{said}”. Walk me through that again: is that really what happens, and why?"
    return "Something in your answer was not quite right. Walk me through your reasoning again, step by step."
