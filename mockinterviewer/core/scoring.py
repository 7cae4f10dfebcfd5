"""Key-point coverage: which points of the reference answer a transcript covers.

Each key point's label and phrasings are compared, after ``textnorm`` normalisation, with
windows of the transcript of about the same number of words using rapidfuzz. Short phrasings
("l two", "auc") must match exactly, because one changed letter there is another word; longer
ones tolerate the small slips Whisper makes ("regularisation", "biasmarians" is not enough).
The score is the weighted share of key points covered. docs/scoring.md explains the choices.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from mockinterviewer.core.bank import KeyPoint, Question
from mockinterviewer.core.delivery import Delivery, Pause, analyse
from mockinterviewer.core.textnorm import tokens
from mockinterviewer.core.transcript import Transcript, Word

# Similarity (0-100) a phrasing needs, by its length in characters once normalised.
EXACT_BELOW = 5
THRESHOLD_SHORT = 86  # 5-7 characters: one slip in seven
THRESHOLD_LONG = 85   # 8+ characters: a changed letter or a split compound, not a missing prefix ("linear" is not "nonlinear")
# A window one word shorter than the phrasing is there for compounds written as one word
# ("crossvalidation", "dropout" for "drop out"), which match almost exactly; without this bar the
# tail of a phrasing ("features" of "max features") would count.
THRESHOLD_FEWER_WORDS = 95


@dataclass(frozen=True)
class Evidence:
    text: str
    start: float | None
    end: float | None


@dataclass(frozen=True)
class KeyPointResult:
    label: str
    covered: bool
    confidence: float
    evidence: Evidence | None
    weight: float = 1.0
    reference: str = ""  # how the point could be said, shown for a missed point


@dataclass(frozen=True)
class Flag:
    code: str     # empty | very_short | off_topic | term_list
    message: str  # one sentence for the candidate


@dataclass(frozen=True)
class ScoreResult:
    question_id: str
    question: str
    transcript: Transcript
    score: int
    key_points: tuple[KeyPointResult, ...]
    reference_answer: str
    explanation: str = ""
    flags: tuple[Flag, ...] = ()
    delivery: Delivery | None = None

    @property
    def covered(self) -> list[KeyPointResult]:
        return [k for k in self.key_points if k.covered]

    @property
    def missed(self) -> list[KeyPointResult]:
        return [k for k in self.key_points if not k.covered]

    def to_dict(self) -> dict:
        return {
            "question_id": self.question_id,
            "question": self.question,
            "transcript": self.transcript.text,
            "score": self.score,
            "key_points": [
                {
                    "label": k.label,
                    "covered": k.covered,
                    "confidence": round(k.confidence, 2),
                    "evidence": None if k.evidence is None else {
                        "text": k.evidence.text, "start": k.evidence.start, "end": k.evidence.end},
                    "reference_phrasing": k.reference,
                    "weight": k.weight,
                }
                for k in self.key_points
            ],
            "explanation": self.explanation,
            "flags": [{"code": f.code, "message": f.message} for f in self.flags],
            "delivery": self.delivery.to_dict() if self.delivery else None,
            "reference_answer": self.reference_answer,
            "model": self.transcript.model,
            "duration": round(self.transcript.duration, 2),
            # The word timings, so a stored result can be shown (and its evidence found) again.
            "words": [[w.text, w.start, w.end, round(w.probability, 3)] for w in self.transcript.words],
        }

    @classmethod
    def from_dict(cls, data: dict) -> "ScoreResult":
        """The result ``to_dict`` wrote (results stored before word timings were kept have none)."""
        words = tuple(Word(str(t), s, e, p) for t, s, e, p in data.get("words") or ())
        transcript = Transcript(data["transcript"], words, float(data.get("duration") or 0.0), data.get("model") or "")
        points = tuple(
            KeyPointResult(k["label"], bool(k["covered"]), float(k["confidence"]),
                           None if k.get("evidence") is None else Evidence(
                               k["evidence"]["text"], k["evidence"]["start"], k["evidence"]["end"]),
                           k.get("weight", 1.0), k.get("reference_phrasing", ""))
            for k in data["key_points"])
        flags = tuple(Flag(f["code"], f["message"]) for f in data.get("flags") or ())
        d = data.get("delivery")
        delivery = None if d is None else Delivery(
            d["words"], d["duration"], d["speaking_seconds"], d["words_per_minute"], d["pace"], dict(d["fillers"]),
            dict(d["hedges"]), tuple(Pause(p["start"], p["end"]) for p in d["long_pauses"]), d["length"],
            tuple(d["notes"]))
        return cls(data["question_id"], data["question"], transcript, int(data["score"]), points,
                   data.get("reference_answer", ""), data.get("explanation", ""), flags, delivery)


def _threshold(phrase: str) -> float:
    compact = len(phrase.replace(" ", ""))
    if compact < EXACT_BELOW:
        return 100.0
    return THRESHOLD_SHORT if compact < 8 else THRESHOLD_LONG


def _close_in_length(target: str, heard: str) -> bool:
    """Slips change a letter or two; a word three letters shorter is another word
    ("variance" is not "invariance"), however similar the rest. A different ending on the same
    stem is the same word ("classes" for "class", "overfit" for "overfitting")."""
    if abs(len(target) - len(heard)) <= max(1, int(0.15 * len(target))):
        return True
    short, long_ = sorted((target, heard), key=len)
    return len(short) >= 5 and long_.startswith(short) and len(long_) - len(short) <= 4


def _same_words(phrase: list[str], heard: list[str]) -> bool:
    """Each content word of the phrasing is heard, in order, close to its own spelling:
    "attention has" is not "attention heads", though the joined strings are 92 % alike;
    "only on labelled" is "only labelled"."""
    content = [w for w in phrase if w not in _FUNCTION_WORDS] or phrase
    rest = iter(heard)
    return all(any(fuzz.ratio(p, h) >= 80 or (_close_in_length(p, h) and (p.startswith(h) or h.startswith(p)))
                   for h in rest) for p in content)


class _Windows:
    """The transcript's word windows of each length, built once per transcript."""

    def __init__(self, transcript: Transcript):
        self.transcript = transcript
        # Word timings, expanded to the normalised tokens each word yields ("L2" -> "l", "two").
        self.tokens: list[str] = []
        self.times: list[tuple[float | None, float | None]] = []
        self.probabilities: list[float] = []  # Whisper's confidence in each word; 1 for typed text
        if transcript.words:
            for word in transcript.words:
                for tok in tokens(word.text):
                    self.tokens.append(tok)
                    self.times.append((word.start, word.end))
                    self.probabilities.append(word.probability)
        else:
            self.tokens = tokens(transcript.text)
            self.times = [(None, None)] * len(self.tokens)
            self.probabilities = [1.0] * len(self.tokens)
        self._cache: dict[int, list[str]] = {}

    def of_length(self, n: int) -> list[str]:
        if n not in self._cache:
            # Spaces removed, so "cross validation" meets "crossvalidation".
            self._cache[n] = ["".join(self.tokens[i:i + n]) for i in range(max(0, len(self.tokens) - n + 1))]
        return self._cache[n]

    def probability(self, start: int, n: int) -> float:
        heard = self.probabilities[start:start + n]
        return sum(heard) / len(heard) if heard else 1.0

    def evidence(self, start: int, n: int) -> Evidence:
        words = self.tokens[start:start + n]
        times = self.times[start:start + n]
        return Evidence(text=" ".join(words), start=times[0][0], end=times[-1][1])


def _match_point(point: KeyPoint, windows: _Windows) -> KeyPointResult:
    best_score, best_at = 0.0, None
    for phrasing in (point.label, *point.phrasings):
        words = tokens(phrasing)
        if not words:
            continue
        target = "".join(words)
        cutoff = _threshold(target)
        for n in {max(1, len(words) - 1), len(words), len(words) + 1}:
            choices = windows.of_length(n)
            if not choices:
                continue
            needed = max(cutoff, THRESHOLD_FEWER_WORDS) if n < len(words) else cutoff
            for _text, similarity, at in process.extract(target, choices, scorer=fuzz.ratio, score_cutoff=needed,
                                                         limit=10):
                if similarity <= best_score:
                    continue
                if n > len(words):  # one word inserted: judged word by word, not by total length
                    if not _same_words(words, windows.tokens[at:at + n]):
                        continue
                elif not _close_in_length(target, choices[at]) or (
                        n == len(words) > 1 and not _same_words(words, windows.tokens[at:at + n])):
                    continue
                best_score, best_at = similarity, (at, n)
    reference = ", ".join(f"“{p}”" for p in point.phrasings[:3])
    if best_at is None:
        return KeyPointResult(point.label, False, 0.0, None, point.weight, reference)
    # How closely the words match, times how sure Whisper was of them.
    confidence = best_score / 100 * windows.probability(*best_at)
    return KeyPointResult(point.label, True, round(confidence, 3), windows.evidence(*best_at), point.weight, reference)


# Words that hold sentences together; an answer with almost none of them is a list of terms.
_FUNCTION_WORDS = frozenset(
    "a an the is are was were be been being to of in on at for from by with as that which who this these those "
    "it its it's they them their we our you your i my me he she because so if then than when while where how why "
    "and or but not no can could will would should may might must do does did has have had more less each "
    "there here what also just very about into over under between".split())
VERY_SHORT_WORDS = 15
TERM_LIST_FUNCTION_SHARE = 0.2   # below this share of function words, the answer is a list
TERM_LIST_WORDS_PER_POINT = 5    # or fewer than this many words per covered point


def _flags(words: list[str], covered: int, total: int) -> tuple[Flag, ...]:
    if not words:
        return (Flag("empty", "No answer was heard, so no key point could be credited."),)
    flags = []
    if len(words) < VERY_SHORT_WORDS:
        flags.append(Flag("very_short", f"The answer is very short ({len(words)} words): too little to explain "
                                        "the points an interviewer listens for."))
    if covered == 0:
        flags.append(Flag("off_topic", "None of the key points were heard: the answer may not address the question."))
    else:
        share = sum(w.lower().strip(".,;:!?") in _FUNCTION_WORDS for w in words) / len(words)
        # Words per point says nothing about a sentence or two (that is "very short" already).
        thin = len(words) >= VERY_SHORT_WORDS and len(words) / covered < TERM_LIST_WORDS_PER_POINT
        if share < TERM_LIST_FUNCTION_SHARE or thin:
            flags.append(Flag("term_list", "The answer lists terms without explaining them, so it gets half credit: "
                                           "say what each one does and why it helps."))
    return tuple(flags)


def _explain(score: int, results, flags) -> str:
    covered = [r for r in results if r.covered]
    text = f"{len(covered)} of {len(results)} key points covered"
    if any(r.weight != 1 for r in results):
        text += f" ({sum(r.weight for r in covered):g} of {sum(r.weight for r in results):g} by weight)"
    if any(f.code == "term_list" for f in flags):
        text += ", halved because the answer only lists terms"
    if any(f.code == "very_short" for f in flags):
        text += ", scaled down because the answer is very short"
    return f"{text}: {score} / 100."


def score_answer(question: Question, transcript: Transcript) -> ScoreResult:
    windows = _Windows(transcript)
    results = tuple(_match_point(p, windows) for p in question.key_points)
    total = sum(r.weight for r in results)
    covered = sum(r.weight for r in results if r.covered)
    score = round(100 * covered / total) if total else 0
    flags = _flags(transcript.text.split(), sum(r.covered for r in results), len(results))
    if any(f.code == "term_list" for f in flags):
        score //= 2
    words = len(transcript.text.split())
    if any(f.code == "very_short" for f in flags):  # a sentence or two cannot explain a point: near zero
        score = round(score * words / VERY_SHORT_WORDS)
    return ScoreResult(question.id, question.text, transcript, score, results, question.answer,
                       explanation=_explain(score, results, flags), flags=flags, delivery=analyse(transcript))
