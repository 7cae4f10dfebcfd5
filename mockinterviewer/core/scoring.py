"""Key-point coverage: which points of the reference answer a transcript states, right or wrong.

Each key point is judged by ``core/claims``: its claims (concepts heard together in one clause)
make it *covered*, a claim heard negated or one of its listed mistakes makes it *stated
incorrectly* (so does the relation heard with its direction reversed), part of a claim that
includes a concept distinct to the point makes it *partly* covered. Points without claims
are judged on their label and phrasings as before, negation included. Phrases are compared with
the transcript after ``textnorm`` normalisation by the fuzzy matcher of ``core/matching``.
The score is the weighted credit (covered 1, partly 0.5, incorrect and missed 0), halved for a
list of terms and scaled for a very short answer; ``explanation`` accounts for it step by step.
docs/scoring.md explains the choices.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from mockinterviewer.core import claims
from mockinterviewer.core.bank import Question
from mockinterviewer.core.claims import (COVERED, INCORRECT, MISSED, PARTLY, Analysis, concepts_for,
                                         credit, distinct_concepts, judge, reversed_mistakes,
                                         phrase_match, statements, structure_points)
from mockinterviewer.core.delivery import Delivery, Pause, analyse
from mockinterviewer.core.matching import FUNCTION_WORDS as _FUNCTION_WORDS, Evidence, Tokens, find_all
from mockinterviewer.core.opinion import SecondOpinion
from mockinterviewer.core.references import compared_subjects, resolve
from mockinterviewer.core.transcript import Transcript, Word
from mockinterviewer.core.turns import Turn

STATUSES = (COVERED, PARTLY, INCORRECT, MISSED)


@dataclass(frozen=True)
class KeyPointResult:
    label: str
    covered: bool          # earns credit: status covered or partly
    confidence: float
    evidence: Evidence | None  # the words as the transcript has them, with their time
    weight: float = 1.0
    reference: str = ""    # how the point could be said, shown for a missed point
    status: str = ""       # covered | partly | incorrect | missed; derived from ``covered`` when empty
    correction: str = ""   # for a point stated incorrectly: what is true
    # Made in a follow-up turn (core/exchange.py): "recovered" (missed or partly made before) or
    # "corrected" (stated wrongly before); the extra credit it earned, the turn (1 = the first
    # follow-up) and the words heard there. ``status`` stays what the first answer made of it.
    follow_up: str = ""
    follow_up_credit: float = 0.0
    follow_up_turn: int = 0
    follow_up_evidence: Evidence | None = None

    def __post_init__(self):
        if self.status not in STATUSES:  # older callers and stored results give only ``covered``
            object.__setattr__(self, "status", COVERED if self.covered else MISSED)
        object.__setattr__(self, "covered", self.status in (COVERED, PARTLY) or bool(self.follow_up))

    @property
    def credit(self) -> float:
        return credit(self.status) + self.follow_up_credit


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
    second_opinion: SecondOpinion | None = None  # a language model's, when one is configured
    turns: tuple[Turn, ...] = ()  # the follow-up exchange after this answer (core/exchange.py)

    @property
    def covered(self) -> list[KeyPointResult]:
        """The points that earn credit: covered, and partly covered."""
        return [k for k in self.key_points if k.covered]

    @property
    def incorrect(self) -> list[KeyPointResult]:
        return [k for k in self.key_points if k.status == INCORRECT and not k.follow_up]

    @property
    def missed(self) -> list[KeyPointResult]:
        return [k for k in self.key_points if k.status == MISSED and not k.follow_up]

    @property
    def recovered(self) -> list[KeyPointResult]:
        """The points made in a follow-up turn: recovered, or corrected."""
        return [k for k in self.key_points if k.follow_up]

    @property
    def headline(self) -> str:
        """"4 of 5 key points covered", or with the partly covered, wrongly stated and recovered ones counted."""
        n = len(self.key_points)
        partly = sum(k.status == PARTLY and not k.follow_up for k in self.key_points)
        wrong = [k for k in self.incorrect if not k.follow_up]
        full = sum(k.status == COVERED for k in self.key_points)
        if not partly and not wrong and not self.recovered:
            return f"{full} of {n} key points covered"
        recovered = sum(k.follow_up == "recovered" for k in self.key_points)
        corrected = sum(k.follow_up == "corrected" for k in self.key_points)
        parts = [f"{full} covered" if full else "",
                 f"{partly} partly" if partly else "",
                 f"{len(wrong)} stated incorrectly" if wrong else "",
                 f"{recovered} recovered on follow-up" if recovered else "",
                 f"{corrected} corrected on follow-up" if corrected else ""]
        return f"{', '.join(p for p in parts if p)} of {n} key points"

    def to_dict(self) -> dict:
        data = {
            "question_id": self.question_id,
            "question": self.question,
            "transcript": self.transcript.text,
            "score": self.score,
            "key_points": [
                {
                    "label": k.label,
                    "status": k.status,
                    "covered": k.covered,
                    "credit": k.credit,
                    "confidence": round(k.confidence, 2),
                    "evidence": None if k.evidence is None else {
                        "text": k.evidence.text, "start": k.evidence.start, "end": k.evidence.end},
                    "reference_phrasing": k.reference,
                    "weight": k.weight,
                    "correction": k.correction,
                    **({"follow_up": k.follow_up, "follow_up_credit": k.follow_up_credit,
                        "follow_up_turn": k.follow_up_turn,
                        "follow_up_evidence": None if k.follow_up_evidence is None else {
                            "text": k.follow_up_evidence.text, "start": k.follow_up_evidence.start,
                            "end": k.follow_up_evidence.end}} if k.follow_up else {}),
                }
                for k in self.key_points
            ],
            "turns": [t.to_dict() for t in self.turns],
            "explanation": self.explanation,
            "flags": [{"code": f.code, "message": f.message} for f in self.flags],
            "delivery": self.delivery.to_dict() if self.delivery else None,
            "reference_answer": self.reference_answer,
            "model": self.transcript.model,
            "duration": round(self.transcript.duration, 2),
            # The word timings, so a stored result can be shown (and its evidence found) again.
            "words": [[w.text, w.start, w.end, round(w.probability, 3)] for w in self.transcript.words],
        }
        if self.second_opinion is not None:  # absent otherwise, so results without one read as before
            data["second_opinion"] = self.second_opinion.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "ScoreResult":
        """The result ``to_dict`` wrote (results stored before word timings were kept have none)."""
        words = tuple(Word(str(t), s, e, p) for t, s, e, p in data.get("words") or ())
        transcript = Transcript(data["transcript"], words, float(data.get("duration") or 0.0), data.get("model") or "")
        def evidence(e):
            return None if e is None else Evidence(e["text"], e["start"], e["end"])

        points = tuple(
            KeyPointResult(k["label"], bool(k["covered"]) and not k.get("follow_up"), float(k["confidence"]),
                           evidence(k.get("evidence")), k.get("weight", 1.0), k.get("reference_phrasing", ""),
                           # results stored before statuses existed: covered or missed
                           k.get("status") or "", k.get("correction") or "",
                           k.get("follow_up") or "", float(k.get("follow_up_credit") or 0.0),
                           int(k.get("follow_up_turn") or 0), evidence(k.get("follow_up_evidence")))
            for k in data["key_points"])
        flags = tuple(Flag(f["code"], f["message"]) for f in data.get("flags") or ())
        d = data.get("delivery")
        delivery = None if d is None else Delivery(
            d["words"], d["duration"], d["speaking_seconds"], d["words_per_minute"], d["pace"], dict(d["fillers"]),
            dict(d["hedges"]), tuple(Pause(p["start"], p["end"]) for p in d["long_pauses"]), d["length"],
            tuple(d["notes"]))
        return cls(data["question_id"], data["question"], transcript, int(data["score"]), points,
                   data.get("reference_answer", ""), data.get("explanation", ""), flags, delivery,
                   second_opinion=SecondOpinion.from_dict(data.get("second_opinion")),
                   turns=tuple(Turn.from_dict(t) for t in data.get("turns") or ()))


VERY_SHORT_WORDS = 15
TERM_LIST_FUNCTION_SHARE = 0.2   # below this share of function words, the answer is a list
TERM_LIST_WORDS_PER_POINT = 5    # or fewer than this many words per covered point


def _flags(words: list[str], heard: int, credited: int) -> tuple[Flag, ...]:
    if not words:
        return (Flag("empty", "No answer was heard, so no key point could be credited."),)
    flags = []
    if len(words) < VERY_SHORT_WORDS:
        flags.append(Flag("very_short", f"The answer is very short ({len(words)} words): too little to explain "
                                        "the points an interviewer listens for."))
    if heard == 0:
        flags.append(Flag("off_topic", "None of the key points were heard: the answer may not address the question."))
    elif credited:
        share = sum(w.lower().strip(".,;:!?") in _FUNCTION_WORDS for w in words) / len(words)
        # Words per point says nothing about a sentence or two (that is "very short" already).
        thin = len(words) >= VERY_SHORT_WORDS and len(words) / credited < TERM_LIST_WORDS_PER_POINT
        if share < TERM_LIST_FUNCTION_SHARE or thin:
            flags.append(Flag("term_list", "The answer lists terms without explaining them, so it gets half credit: "
                                           "say what each one does and why it helps."))
    return tuple(flags)


def _explain(results, raw: int, halved: int | None, scaled: int | None, words: int) -> str:
    """The score's arithmetic in one line, e.g. "3 covered, 1 partly (half), 1 stated incorrectly (0),
    1 missed of 6 key points = 58; halved for a list of terms = 29"."""
    counts = {s: sum(r.status == s for r in results) for s in STATUSES}
    parts = [f"{counts[COVERED]} covered"] if counts[COVERED] else []
    if counts[PARTLY]:
        share = "half" if claims.PARTLY_CREDIT == 0.5 else f"{claims.PARTLY_CREDIT:g} each"
        parts.append(f"{counts[PARTLY]} partly ({share})")
    if counts[INCORRECT]:
        parts.append(f"{counts[INCORRECT]} stated incorrectly (0)")
    if counts[MISSED]:
        parts.append(f"{counts[MISSED]} missed")
    text = f"{', '.join(parts)} of {len(results)} key points"
    if any(r.weight != 1 for r in results):
        text += (f" ({sum(r.weight * r.credit for r in results):g} of {sum(r.weight for r in results):g} "
                 "by weight)")
    text += f" = {raw}"
    if halved is not None:
        text += f"; halved for a list of terms = {halved}"
    if scaled is not None:
        text += f"; scaled for length ({words} of {VERY_SHORT_WORDS} words) = {scaled}"
    return text + "."


def _reference(point, concepts: dict) -> str:
    """How the point could be said: its first phrasings, or its first claim's concepts together."""
    if point.phrasings:
        return ", ".join(f"“{p}”" for p in point.phrasings[:3])
    claim = point.claims[0] if point.claims else ()
    return " with ".join(f"“{concepts[c][0]}”" for c in claim if concepts.get(c))


@lru_cache(maxsize=512)
def _asked_words(text: str) -> frozenset[str]:
    return frozenset(Tokens(Transcript.typed(text)).tokens)


@lru_cache(maxsize=512)
def _prepared(question: Question):
    """What scoring needs of a question besides the answer, worked out once: its concepts, the
    reversed-direction mistakes and their concepts, and per point the concepts distinct to it
    (what the question itself names is not: repeating it earns no partial credit)."""
    points = question.key_points + structure_points(question)
    concepts = concepts_for(question, points)
    reverse, twins = reversed_mistakes(points, concepts)
    named = find_all([p for ps in concepts.values() for p in ps], Tokens(Transcript.typed(question.text)))
    asked = {c for c, ps in concepts.items() if any(named[p] for p in ps)}
    return concepts, reverse, twins, distinct_concepts(points, asked)


@lru_cache(maxsize=512)
def _wrong_concepts(question: Question) -> frozenset[str]:
    """The concepts that only wrong claims use (mistakes, reversed twins): matched only as written."""
    points = question.key_points + structure_points(question)
    right = {c for p in points for claim in p.claims for c in claim}
    concepts, _, twins, _ = _prepared(question)
    wrong = {c for p in points for m in p.mistakes for c in m.claim} | set(twins)
    return frozenset(wrong - right)


def _verdicts(question: Question, toks: Tokens) -> list:
    points = question.key_points + structure_points(question)
    concepts, reverse, twins, distinct = _prepared(question)
    analysis = Analysis(toks, concepts | twins, statements(points), points, _wrong_concepts(question))
    asked_words = _asked_words(question.text)
    verdicts = []
    for i, point in enumerate(points):
        lexical = phrase_match(i, analysis)
        given = bool(lexical) and set(toks.tokens[lexical[0][0].start:lexical[0][0].end]) <= asked_words
        verdicts.append(judge(point, analysis, lexical, distinct[i], given, reverse[i]))
    return verdicts


_RANK = {MISSED: 0, PARTLY: 1, COVERED: 2}


def score_answer(question: Question, transcript: Transcript) -> ScoreResult:
    points = question.key_points + structure_points(question)
    verdicts = _verdicts(question, Tokens(transcript))
    referred = Tokens(transcript)
    if resolve(referred, compared_subjects(question.text)):
        # "The first one counts only what it flagged": read as the question's first subject, a
        # reference may earn a point; it never makes one wrong (the candidate may have meant
        # the subjects in another order than the question's), and it never undoes a wrong one.
        verdicts = [v if INCORRECT in (v.status, r.status) or _RANK[v.status] >= _RANK[r.status] else r
                    for v, r in zip(verdicts, _verdicts(question, referred))]
    results = []
    for point, verdict in zip(points, verdicts):
        reference = _reference(point, dict(question.concepts))
        # How closely the words match, times how sure Whisper was of them.
        confidence = round(verdict.similarity / 100 * verdict.probability, 3) if verdict.evidence else 0.0
        results.append(KeyPointResult(point.label, verdict.status in (COVERED, PARTLY), confidence, verdict.evidence,
                                      point.weight, reference, verdict.status, verdict.correction))
    return total(question.id, question.text, transcript, tuple(results), question.answer)


def total(question_id: str, question: str, transcript: Transcript, results: tuple[KeyPointResult, ...],
          reference_answer: str, note: str = "") -> ScoreResult:
    """The score of judged points: weighted credit, halved for a list of terms, scaled for length.
    ``note`` ends the explanation (a second opinion that changed a point says so there)."""
    total_weight = sum(r.weight for r in results)
    raw = round(100 * sum(r.weight * r.credit for r in results) / total_weight) if total_weight else 0
    words = transcript.text.split()
    flags = _flags(words, sum(r.status != MISSED for r in results), sum(r.covered for r in results))
    score, halved, scaled = raw, None, None
    if any(f.code == "term_list" for f in flags):
        score = halved = score // 2
    if any(f.code == "very_short" for f in flags):  # a sentence or two cannot explain a point: near zero
        score = scaled = round(score * len(words) / VERY_SHORT_WORDS)
    explanation = _explain(results, raw, halved, scaled, len(words))
    if note:
        explanation = f"{explanation[:-1]}; {note}."
    return ScoreResult(question_id, question, transcript, score, results, reference_answer,
                       explanation=explanation, flags=flags, delivery=analyse(transcript))
