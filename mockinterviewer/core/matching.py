"""Fuzzy matching of spoken phrases against a transcript, keeping the words as they were said.

The transcript is normalised word by word (``textnorm``), so every normalised token knows the
transcript word it came from: a match is quoted in the candidate's own words ("L2", not
"l two") with that word's time. A phrase of *n* words is compared with every window of
*n−1*, *n* and *n+1* tokens, spaces removed, with rapidfuzz; docs/scoring.md explains the bars.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from mockinterviewer.core.textnorm import tokens
from mockinterviewer.core.transcript import Transcript

# Similarity (0-100) a phrasing needs, by its length in characters once normalised.
EXACT_BELOW = 5
THRESHOLD_SHORT = 86  # 5-7 characters: one slip in seven
THRESHOLD_LONG = 85   # 8+ characters: a changed letter or a split compound, not a missing prefix ("linear" is not "nonlinear")
# A window one word shorter than the phrasing is there for compounds written as one word
# ("crossvalidation", "dropout" for "drop out"), which match almost exactly; without this bar the
# tail of a phrasing ("features" of "max features") would count.
THRESHOLD_FEWER_WORDS = 95

# Words that hold sentences together; an answer with almost none of them is a list of terms.
FUNCTION_WORDS = frozenset(
    "a an the is are was were be been being to of in on at for from by with as that which who this these those "
    "it its it's they them their we our you your i my me he she because so if then than when while where how why "
    "and or but not no can could will would should may might must do does did has have had more less each "
    "there here what also just very about into over under between".split())

# A window that adds or drops one of these is the opposite statement: "more trees don't overfit"
# is not the phrase "more trees overfit", however alike the letters.
NEGATIONS = frozenset("not no never dont doesnt didnt cannot cant isnt arent wasnt werent wont shouldnt couldnt "
                      "wouldnt without nor neither none nothing".split())
# A word that is another with one of these in front says the opposite ("unsupervised", "non
# linear", "incorrect", "decentralised"): never the same word, however alike.
NEGATING_PREFIXES = ("un", "non", "in", "im", "ir", "il", "dis", "de", "anti", "a")

# Function words that still say who or which way: "i designed" is not "is designed", "precision
# matters less" is not "precision matters more". In a phrase they must be heard as written.
KEPT_FUNCTION_WORDS = frozenset("i me my we our more less".split())

_QUOTE_STRIP = " \t.,;:!?\"'“”‘’()[]"


@dataclass(frozen=True)
class Evidence:
    text: str
    start: float | None
    end: float | None


@dataclass(frozen=True)
class Match:
    start: int        # first token
    end: int          # one past the last token
    similarity: float


class Tokens:
    """A transcript's normalised tokens, each tied to the transcript word it came from."""

    def __init__(self, transcript: Transcript):
        self.transcript = transcript
        if transcript.words:
            self.words = [w.text for w in transcript.words]
            self.word_times = [(w.start, w.end) for w in transcript.words]
            word_probability = [w.probability for w in transcript.words]
        else:  # typed: no timings, full confidence
            self.words = transcript.text.split()
            self.word_times = [(None, None)] * len(self.words)
            word_probability = [1.0] * len(self.words)
        self.tokens: list[str] = []
        self.word_of: list[int] = []  # token -> index of its transcript word
        for i, word in enumerate(self.words):
            for tok in _word_tokens(word):
                self.tokens.append(tok)
                self.word_of.append(i)
        self._join_spelled_letters()
        self.probabilities = [word_probability[w] for w in self.word_of]
        self._cache: dict[int, list[str]] = {}

    def _join_spelled_letters(self) -> None:
        """"A U C" written as separate words is the acronym "auc", as ``textnorm`` joins it within a word."""
        out, where, run = [], [], []
        for tok, w in list(zip(self.tokens, self.word_of)) + [("", -1)]:
            if len(tok) == 1 and tok.isalpha():
                run.append((tok, w))
                continue
            if len(run) >= 2 and not (run[0][0] in ("a", "i") and len(run) == 2):
                out.append("".join(t for t, _ in run))
                where.append(run[0][1])
            else:
                out.extend(t for t, _ in run)
                where.extend(x for _, x in run)
            run = []
            if tok:
                out.append(tok)
                where.append(w)
        self.tokens, self.word_of = out, where

    def substitute(self, spans: list[tuple[int, int, tuple[str, ...]]]) -> None:
        """Read tokens ``start:end`` as ``words`` (for each non-overlapping span, in order): "the
        first one" read as the subject it refers to. The new tokens stay tied to the transcript
        words they replace, so evidence still quotes what was said."""
        tokens, word_of, probabilities, at = [], [], [], 0
        for start, end, words in spans:
            tokens += self.tokens[at:start]
            word_of += self.word_of[at:start]
            probabilities += self.probabilities[at:start]
            for k in range(len(words)):
                word_of.append(self.word_of[min(start + k, end - 1)])
            tokens += words
            probabilities += [self.probability(start, end)] * len(words)
            at = end
        self.tokens = tokens + self.tokens[at:]
        self.word_of = word_of + self.word_of[at:]
        self.probabilities = probabilities + self.probabilities[at:]
        self._cache.clear()

    def of_length(self, n: int) -> list[str]:
        if n not in self._cache:
            # Spaces removed, so "cross validation" meets "crossvalidation".
            self._cache[n] = ["".join(self.tokens[i:i + n]) for i in range(max(0, len(self.tokens) - n + 1))]
        return self._cache[n]

    def probability(self, start: int, end: int) -> float:
        heard = self.probabilities[start:end]
        return sum(heard) / len(heard) if heard else 1.0

    def evidence(self, start: int, end: int) -> Evidence:
        """Tokens ``start:end`` quoted as the transcript has them: whole original words, with their times."""
        first, last = self.word_of[start], self.word_of[max(start, end - 1)]
        text = " ".join(self.words[first:last + 1]).strip(_QUOTE_STRIP)
        return Evidence(text=text or " ".join(self.words[first:last + 1]), start=self.word_times[first][0],
                        end=self.word_times[last][1])


@lru_cache(maxsize=8192)
def _word_tokens(word: str) -> tuple[str, ...]:
    """``tokens`` of one transcript word; answers repeat their words, so each is normalised once."""
    return tuple(tokens(word))


@lru_cache(maxsize=32768)
def _phrase_tokens(phrase: str) -> tuple[str, ...]:
    """``tokens`` of a bank phrase; a question's phrases are matched against every answer."""
    return tuple(tokens(phrase))


def threshold(phrase: str) -> float:
    compact = len(phrase.replace(" ", ""))
    if compact < EXACT_BELOW:
        return 100.0
    return THRESHOLD_SHORT if compact < 8 else THRESHOLD_LONG


def close_in_length(target: str, heard: str) -> bool:
    """Slips change a letter or two; a word three letters shorter is another word
    ("variance" is not "invariance"), however similar the rest. A different ending on the same
    stem is the same word ("classes" for "class", "overfit" for "overfitting")."""
    if abs(len(target) - len(heard)) <= max(1, int(0.15 * len(target))):
        return True
    short, long_ = sorted((target, heard), key=len)
    return len(short) >= 5 and long_.startswith(short) and len(long_) - len(short) <= 4


def negated_form(a: str, b: str) -> bool:
    """One word is the other with a negating prefix: "supervised" / "unsupervised"."""
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 4 and any(long_ == prefix + short for prefix in NEGATING_PREFIXES)


# Whether the words of a phrase of several words may be heard in another inflection.
INFLECTIONS = True
_SUFFIXES = ("ing", "ed", "es", "s")


def _stem(word: str) -> str:
    """A word without its inflection: "fitting" -> "fit", "tuned" -> "tun", "tune" -> "tun"."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[:-len(suffix)]
            if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "ls":
                word = word[:-1]  # a doubled consonant: "fitting", "stopped"
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def stem_key(phrase: str) -> tuple[str, ...]:
    """A phrase's words without their inflections: "raise recall" and "raises recall" share one."""
    return tuple(_stem(w) for w in _phrase_tokens(phrase))


def same_word(p: str, h: str, inflections: bool = False) -> bool:
    """A heard word is the phrasing's word, slips and endings allowed: a short word must be exact
    ("mean" is not "median", "self" not "cross"), one of 5-7 letters may differ by one edit
    ("analyse" / "analyze", not "encoder" / "decoder"), a longer one by a fifth; never with a
    negating prefix added or dropped. With ``inflections``, another inflection of it too."""
    if p == h:
        return True
    if negated_form(p, h):
        return False
    if inflections and len(p) >= 3 and len(h) >= 3 and _stem(p) == _stem(h) and len(_stem(p)) >= 3:
        return True  # another form of the same verb or noun: "fit" / "fitting", "tune" / "tuned"
    short, long_ = sorted((p, h), key=len)
    if close_in_length(p, h) and long_.startswith(short) and (
            len(short) >= 5 or (long_ == short + "s" and short not in FUNCTION_WORDS)):  # not "i" / "is"
        return True  # the same stem: "classes" for "class", "overfit" for "overfitting", "grus"
    if len(p) < EXACT_BELOW:
        return False
    if len(p) < 8:
        return Levenshtein.distance(p, h) <= 1
    return fuzz.ratio(p, h) >= 80


def same_words(phrase: list[str], heard: list[str], inflections: bool = False) -> bool:
    """Each content word of the phrasing is heard, in order, close to its own spelling:
    "attention has" is not "attention heads", though the joined strings are 92 % alike;
    "only on labelled" is "only labelled"; "supervised learning" is not "unsupervised learning"."""
    content = [w for w in phrase if w not in FUNCTION_WORDS or w in KEPT_FUNCTION_WORDS] or phrase
    rest = iter(heard)
    return all(any(same_word(p, h, inflections) for h in rest) for p in content)


def find_all(phrases, toks: Tokens, inflections: bool | None = None,
             exact: frozenset[str] = frozenset()) -> dict[str, list[Match]]:
    """Where each phrase is heard, best first, overlapping matches keeping the best of them; one
    rapidfuzz ``cdist`` per window length for all the phrases at once (a question's concepts and
    phrasings are dozens), rather than one ``extract`` per phrase and length. The phrases in
    ``exact`` are never heard in another inflection."""

    inflect = INFLECTIONS if inflections is None else inflections
    wanted: dict[int, list[tuple[str, list[str], str, float]]] = {}  # window length -> phrases needing it
    out: dict[str, list[Match]] = {}
    for phrase in dict.fromkeys(phrases):
        words = _phrase_tokens(phrase)
        out[phrase] = []
        if not words:
            continue
        target, cutoff = "".join(words), threshold("".join(words))
        for n in {max(1, len(words) - 1), len(words), len(words) + 1}:
            needed = max(cutoff, THRESHOLD_FEWER_WORDS) if n < len(words) else cutoff
            wanted.setdefault(n, []).append((phrase, words, target, needed))
    found: dict[str, list[Match]] = {p: [] for p in out}
    for n, rows in wanted.items():
        choices = toks.of_length(n)
        if not choices:
            continue
        scores = process.cdist([r[2] for r in rows], choices, scorer=fuzz.ratio, dtype=np.float32,
                               score_cutoff=min(r[3] for r in rows))
        for row, at in zip(*np.nonzero(scores >= np.array([[r[3]] for r in rows], dtype=np.float32) - 1e-4)):
            phrase, words, target, _ = rows[row]
            at = int(at)
            if NEGATIONS.intersection(toks.tokens[at:at + n]) != NEGATIONS.intersection(words):
                continue  # a negation added or dropped: the opposite statement
            if n > len(words):
                # a compound split in two ("non linear" for "nonlinear") matches almost exactly
                if scores[row, at] < THRESHOLD_FEWER_WORDS and not same_words(words, toks.tokens[at:at + n]):
                    continue
            elif n == len(words) > 1 and inflect and phrase not in exact \
                    and same_words(words, toks.tokens[at:at + n], True) \
                    and not negated_form(target, choices[at]):
                pass  # every word heard in some form of its own: "fitting the scaler" for "fit the scaler"
            elif not close_in_length(target, choices[at]) or negated_form(target, choices[at]) or (
                    n == len(words) > 1 and not same_words(words, toks.tokens[at:at + n])):
                continue
            found[phrase].append(Match(at, at + n, float(scores[row, at])))
    for phrase, matches in found.items():
        matches.sort(key=lambda m: (-m.similarity, m.end - m.start, m.start))
        for m in matches:
            if all(m.end <= k.start or m.start >= k.end for k in out[phrase]):
                out[phrase].append(m)
    return out


def find(phrase: str, toks: Tokens) -> list[Match]:
    """Where ``phrase`` is heard, best first; overlapping matches keep the best of them."""
    return find_all([phrase], toks)[phrase]
