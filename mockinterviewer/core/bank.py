"""Question banks: the model, the YAML loader with line-numbered errors, and lookup.

The format is documented in docs/question-bank.md.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from mockinterviewer.core import safe_yaml
from mockinterviewer.core.textnorm import tokens
from mockinterviewer.errors import BankError, UserError, first_line

FORMAT_VERSION = 1
DIFFICULTIES = ("easy", "medium", "hard")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Mistake:
    """A wrong claim candidates make about a key point, and what to tell them instead."""
    claim: tuple[str, ...]  # concept names, all heard in one clause
    correction: str


@dataclass(frozen=True)
class KeyPoint:
    label: str
    phrasings: tuple[str, ...]
    weight: float = 1.0
    claims: tuple[tuple[str, ...], ...] = ()  # ways to state the point: concept names heard in one clause
    mistakes: tuple[Mistake, ...] = ()
    correction: str = ""  # shown when the point is stated wrongly (negated); the label when empty
    probe: str = ""       # a follow-up question that draws the point out without saying it (core/probes.py)
    hint: str = ""        # a stronger nudge, asked when the probe drew nothing


@dataclass(frozen=True)
class Question:
    id: str
    category: str
    difficulty: str
    text: str
    answer: str
    key_points: tuple[KeyPoint, ...]
    follow_up: str = ""
    tags: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    # The concepts its claims and mistakes use: (name, phrases), the bank's merged with the question's.
    concepts: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # What the bank's thesaurus adds to the concepts of its right claims: (name, plain phrases).
    # Kept apart from ``concepts``, which are what the bank wrote (a follow-up may say a plain
    # word the thesaurus lists, as long as it does not make the point: core/reveal.py).
    plain: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class Bank:
    id: str
    title: str
    path: Path
    questions: tuple[Question, ...]
    description: str = ""
    _by_id: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        self._by_id.update({q.id: q for q in self.questions})

    def get(self, question_id: str) -> Question | None:
        return self._by_id.get(question_id)


QUESTION_FIELDS = {"id", "category", "difficulty", "question", "answer", "key_points", "follow_up", "tags", "sources",
                   "concepts"}
BANK_FIELDS = {"format", "id", "title", "description", "questions", "concepts", "thesaurus"}
KEY_POINT_FIELDS = {"label", "phrasings", "weight", "claims", "mistakes", "correction", "probe", "hint"}
MISTAKE_FIELDS = {"claim", "correction"}
CONCEPT_WORDS = 5  # a concept's phrase is spoken words, 1 to 5 of them
# Bounds on what scoring must match, so a hostile or runaway bank cannot make every answer slow.
MAX_CONCEPTS = 300        # defined in one bank, or in one question
MAX_PHRASES = 40          # per concept
MAX_CLAIMS = 20           # claims, or mistakes, per key point
MAX_CLAIM_CONCEPTS = 5    # concepts in one claim
MAX_THESAURUS = 300       # terms in a bank's thesaurus (each with at most MAX_PHRASES plain phrasings)
MAX_WITH_THESAURUS = 3 * MAX_PHRASES  # a concept's phrases once the thesaurus has added to them
# Concepts every bank may use without defining them (core/claims.py detects them): a number,
# spoken or written ("thirty percent", "30%", "twice"), for measurable results.
BUILTIN_CONCEPTS = frozenset({"number"})
# Bounded YAML (mockinterviewer/core/safe_yaml.py); these names keep the checks below short.
_Located, _LocatedList = safe_yaml.Located, safe_yaml.LocatedList
# What a bank may hold, so that no bank can make scoring or the window crawl (a 10 MB reference
# answer made `score` take 32 s); far above what any real question needs (docs/question-bank.md).
MAX_QUESTIONS = 50_000
MAX_CHARS = {"answer": 20_000, "question": 2_000, "follow_up": 2_000, "description": 5_000, "probe": 2_000,
             "hint": 2_000}
MAX_SHORT_TEXT = 500  # every other text: ids, titles, categories, labels, phrasings, tags, sources
MAX_ITEMS = {"key_points": 30, "phrasings": 30}
MAX_LIST_ITEMS = 100  # tags, sources
MAX_WEIGHT = 1_000
# Part of the cache key: entries from before a check was added (the YAML bounds) are not trusted.
_CHECKS_VERSION = 5  # 3: concepts, claims and mistakes are part of the cached bank; 4: probes and hints;
# 5: the thesaurus's phrasings are part of the cached concepts


class _Problems:
    """Every problem found in one file; validation goes on past the first."""

    def __init__(self, path: Path):
        self.path = path
        self.errors: list[BankError] = []

    def add(self, message: str, line: int | None) -> None:
        self.errors.append(BankError(self.path, message, line))


def load_bank(path: str | Path, cache_dir: str | Path | None = None) -> Bank:
    """Read and validate one bank file; raise BankError naming the file and line at fault.

    With ``cache_dir``, a bank that validated once is kept there as JSON under its content's
    hash, so the next start reads it without parsing YAML (10,000 questions: ~0.3 s, not ~2 s).
    """
    with _gc_paused():
        errors, bank = _read(Path(path), cache_dir)
    if errors:
        first = errors[0]
        first.others = errors[1:]
        raise first
    return bank


def validate_bank(path: str | Path) -> list[BankError]:
    """Every problem in a bank file (an empty list when it is valid)."""
    with _gc_paused():
        return _read(Path(path), None)[0]


@contextlib.contextmanager
def _gc_paused():
    """Loading makes hundreds of thousands of objects and no cycles; the cyclic collector,
    triggered again and again by the allocations, took 60% of the time of a 10,000-question load."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read(path: Path, cache_dir) -> tuple[list[BankError], Bank | None]:
    try:
        raw = safe_yaml.read_file(path)
    except safe_yaml.Refused as exc:
        return [BankError(path, exc.reason)], None
    except FileNotFoundError:
        return [BankError(path, "no such file")], None
    except IsADirectoryError:
        return [BankError(path, "is a folder, not a bank file")], None
    except OSError as exc:
        return [BankError(path, f"cannot be read ({exc.strerror or exc})")], None
    cached = None
    if cache_dir is not None:
        digest = hashlib.sha256(raw).hexdigest()
        cached = Path(cache_dir) / f"bank-{FORMAT_VERSION}.{_CHECKS_VERSION}-{digest}.json"
        try:  # written by this code after validation; still bounded, in case it was tampered with
            return [], _bank_from_dict(path, json.loads(safe_yaml.read_file(cached, 4 * safe_yaml.MAX_BYTES)))
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            pass  # not cached yet, or a damaged cache entry: parse the YAML
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return [BankError(path, "the file is not UTF-8 text")], None
    try:
        data, duplicates = safe_yaml.load(text)
    except safe_yaml.Refused as exc:
        return [BankError(path, exc.reason, exc.line)], None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        return [BankError(path, f"YAML syntax error: {problem}", mark.line + 1 if mark else None)], None
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        return [BankError(path, f"YAML syntax error: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")], None
    problems = _Problems(path)
    for message, line in duplicates:
        problems.add(message, line)
    clean = _check_bank(data, problems)
    if problems.errors:
        return problems.errors, None
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(".tmp")
            tmp.write_text(json.dumps(clean), encoding="utf-8")
            tmp.replace(cached)
        except OSError:
            pass  # a read-only cache only costs speed
    return [], _bank_from_dict(path, clean)


def _check_bank(data, problems: _Problems) -> dict:
    """Validate the parsed YAML, recording every problem; return the bank as plain, clean data."""
    if not isinstance(data, _Located):
        problems.add("a bank must be a mapping with 'format', 'id', 'title' and 'questions'", 1)
        return {}
    _unknown_fields(data, BANK_FIELDS, "the bank", problems)
    if data.get("format") != FORMAT_VERSION:
        problems.add(f"'format' must be {FORMAT_VERSION}, not {data.get('format')!r}", data.line_of("format"))
    bank_id = _text(data, "id", problems)
    if bank_id and not SLUG.match(bank_id):
        problems.add(f"bank id {bank_id!r} must be lowercase letters, digits and hyphens", data.line_of("id"))
    clean = {"id": bank_id, "title": _text(data, "title", problems),
             "description": _text(data, "description", problems, required=False), "questions": []}
    bank_concepts = _concepts(data, "the bank", problems)
    thesaurus = _thesaurus(data, problems)
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        problems.add("'questions' must be a non-empty list", data.line_of("questions"))
        return clean
    if len(raw_questions) > MAX_QUESTIONS:
        problems.add(f"a bank may hold at most {MAX_QUESTIONS:,} questions, not {len(raw_questions):,}",
                     data.line_of("questions"))
        return clean
    seen: dict[str, int] = {}
    for raw in raw_questions:
        question = _check_question(raw, data.line_of("questions"), problems, bank_concepts, thesaurus)
        if question is None:
            continue
        if question["id"] in seen:
            problems.add(f"question id {question['id']!r} is used twice (first on line {seen[question['id']]})",
                         raw.line_of("id"))
        seen.setdefault(question["id"], raw.line_of("id"))
        clean["questions"].append(question)
    return clean


def _check_question(raw, parent_line: int, problems: _Problems, bank_concepts: dict | None = None,
                    thesaurus: dict | None = None) -> dict | None:
    if not isinstance(raw, _Located):
        problems.add("each question must be a mapping with 'id', 'question', 'answer' and 'key_points'",
                     getattr(raw, "line", parent_line))
        return None
    before = len(problems.errors)
    qid = _text(raw, "id", problems)
    name = repr(qid) if qid else f"the question on line {raw.line}"
    _unknown_fields(raw, QUESTION_FIELDS, f"question {name}", problems)
    if qid and not SLUG.match(qid):
        problems.add(f"question id {qid!r} must be lowercase letters, digits and hyphens", raw.line_of("id"))
    difficulty = _text(raw, "difficulty", problems)
    if difficulty and difficulty not in DIFFICULTIES:
        problems.add(f"difficulty of {name} must be one of {', '.join(DIFFICULTIES)}, not {difficulty!r}",
                     raw.line_of("difficulty"))
    question = {"id": qid, "category": _text(raw, "category", problems), "difficulty": difficulty,
                "question": _text(raw, "question", problems), "answer": _text(raw, "answer", problems),
                "follow_up": _text(raw, "follow_up", problems, required=False),
                "tags": _strings(raw, "tags", name, problems), "sources": _strings(raw, "sources", name, problems),
                "key_points": []}
    # The question's concepts add to the bank's, and override a bank concept of the same name.
    concepts = {**(bank_concepts or {}), **_concepts(raw, f"question {name}", problems)}
    raw_points = raw.get("key_points")
    if not isinstance(raw_points, list) or not raw_points:
        problems.add(f"{name} needs a non-empty 'key_points' list", raw.line_of("key_points"))
    elif len(raw_points) > MAX_ITEMS["key_points"]:
        problems.add(f"{name} has {len(raw_points)} key points; at most {MAX_ITEMS['key_points']} are allowed",
                     raw.line_of("key_points"))
    else:
        for point in raw_points:
            checked = _check_key_point(point, name, raw.line_of("key_points"), problems, concepts)
            if checked:
                question["key_points"].append(checked)
    used = {c for k in question["key_points"] for claim in k["claims"] + [m["claim"] for m in k["mistakes"]]
            for c in claim}
    # What scoring needs, no more; the concepts of right claims also hear the thesaurus's plain
    # words for each term they list (a mistake's concepts stay as written: a candidate is told
    # they are wrong only for words the bank wrote down).
    right = {c for k in question["key_points"] for claim in k["claims"] for c in claim}
    question["concepts"] = {c: concepts[c] for c in concepts if c in used}
    question["plain"] = {c: added for c in question["concepts"] if c in right
                         for added in [thesaurus_additions(concepts[c], thesaurus or {})] if added}
    return question if len(problems.errors) == before else None


def thesaurus_additions(phrases: list[str], thesaurus: dict[str, list[str]]) -> list[str]:
    """What the bank's thesaurus adds to a concept: for each of its phrases that is a term of the
    thesaurus ("overfitting", "precision"), the term's plain phrasings ("memorises the noise", "of
    the ones it flagged"), so that every question that lists the term hears them without listing
    them. One level deep: a plain phrasing that is itself a term brings nothing more. The concept
    has at most ``MAX_WITH_THESAURUS`` phrases with them, so that no bank can make scoring slow."""
    if not thesaurus:
        return []
    own = set(phrases)
    added = dict.fromkeys(p for phrase in phrases for p in thesaurus.get(" ".join(tokens(phrase)), ())
                          if p not in own)
    return list(added)[:max(0, MAX_WITH_THESAURUS - len(own))]


def _thesaurus(data: _Located, problems: _Problems) -> dict[str, list[str]]:
    """The bank's ``thesaurus``: term -> plain phrasings (1-5 spoken words each), keyed by the
    term's normalised words so that "one-hot" and "one hot" are one term."""
    raw = data.get("thesaurus")
    if raw is None:
        return {}
    line = data.line_of("thesaurus")
    if not isinstance(raw, _Located) or len(raw) > MAX_THESAURUS:
        problems.add(f"'thesaurus' of the bank must be a mapping of at most {MAX_THESAURUS} terms to lists of "
                     "phrases", line)
        return {}
    out: dict[str, list[str]] = {}
    for term, phrases in raw.items():
        at = raw.line_of(term)
        words = tokens(str(term)) if isinstance(term, (str, int, float)) and not isinstance(term, bool) else []
        if not words or len(str(term).split()) > CONCEPT_WORDS:
            problems.add(f"thesaurus term {term!r} must be 1 to {CONCEPT_WORDS} spoken words", at)
            continue
        if not isinstance(phrases, list) or not phrases or len(phrases) > MAX_PHRASES or not all(
                isinstance(p, (str, int, float)) and not isinstance(p, bool) for p in phrases):
            problems.add(f"thesaurus term {term!r} must have a list of 1 to {MAX_PHRASES} phrases", at)
            continue
        bad = [str(p) for p in phrases if not tokens(str(p)) or len(str(p).split()) > CONCEPT_WORDS]
        if bad:
            problems.add(f"phrase {bad[0]!r} of thesaurus term {term!r} must be 1 to {CONCEPT_WORDS} spoken words",
                         getattr(phrases, "line", at))
            continue
        out.setdefault(" ".join(words), []).extend(str(p).strip() for p in phrases)
    return out


def _concepts(mapping: _Located, where: str, problems: _Problems) -> dict[str, list[str]]:
    """The ``concepts`` mapping of a bank or question: name -> spoken phrases (1-5 words each)."""
    raw = mapping.get("concepts")
    if raw is None:
        return {}
    if not isinstance(raw, _Located):
        problems.add(f"'concepts' of {where} must be a mapping of concept names to lists of phrases",
                     mapping.line_of("concepts"))
        return {}
    out = {}
    if len(raw) > MAX_CONCEPTS:
        problems.add(f"{where} defines {len(raw)} concepts; at most {MAX_CONCEPTS} are allowed",
                     mapping.line_of("concepts"))
        return {}
    for key, phrases in raw.items():
        line = raw.line_of(key)
        if not isinstance(key, str) or not SLUG.match(key):
            problems.add(f"concept name {key!r} in {where} must be lowercase letters, digits and hyphens", line)
            continue
        if isinstance(phrases, (str, int, float)) and not isinstance(phrases, bool):
            phrases = [phrases]  # one phrase written without brackets
        if not isinstance(phrases, list) or not phrases or not all(
                isinstance(p, (str, int, float)) and not isinstance(p, bool) for p in phrases):
            problems.add(f"concept {key!r} in {where} must be a non-empty list of phrases", line)
            continue
        if len(phrases) > MAX_PHRASES:
            problems.add(f"concept {key!r} in {where} has {len(phrases)} phrases; at most {MAX_PHRASES} "
                         "are allowed", line)
            continue
        kept = []
        for phrase in (str(p).strip() for p in phrases):
            if not tokens(phrase) or len(phrase.split()) > CONCEPT_WORDS:
                problems.add(f"phrase {phrase!r} of concept {key!r} in {where} must be 1 to {CONCEPT_WORDS} "
                             "spoken words", getattr(phrases, "line", line))
            else:
                kept.append(phrase)
        out[key] = kept
    return out


def _claim(value, what: str, concepts: dict, line: int, problems: _Problems) -> list[str] | None:
    """One claim: a list of defined concept names (a single name may be written without brackets)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        problems.add(f"{what} must be a list of concept names", getattr(value, "line", line))
        return None
    if len(value) > MAX_CLAIM_CONCEPTS:
        problems.add(f"{what} names {len(value)} concepts; at most {MAX_CLAIM_CONCEPTS} are allowed",
                     getattr(value, "line", line))
        return None
    unknown = [v for v in value if v not in concepts and v not in BUILTIN_CONCEPTS]
    for name in unknown:
        guess = process.extractOne(name, list(concepts), scorer=fuzz.ratio, score_cutoff=70)
        hint = f" (did you mean '{guess[0]}'?)" if guess else ""
        problems.add(f"{what} names concept {name!r}, which neither the question nor the bank defines{hint}",
                     getattr(value, "line", line))
    return None if unknown else list(dict.fromkeys(value))


def _check_key_point(raw, qname: str, parent_line: int, problems: _Problems, concepts: dict | None = None) -> dict | None:
    if not isinstance(raw, _Located):
        problems.add(f"each key point of {qname} must be a mapping with 'label' and 'phrasings'",
                     getattr(raw, "line", parent_line))
        return None
    concepts = concepts or {}
    _unknown_fields(raw, KEY_POINT_FIELDS, f"a key point of {qname}", problems)
    label = _text(raw, "label", problems)
    phrasings = _strings(raw, "phrasings", qname, problems)
    what = f"key point {label!r} of {qname}"
    claims = []
    for value in _bounded_list(raw, "claims", what, problems, "list of claims"):
        claim = _claim(value, f"a claim of {what}", concepts, raw["claims"].line, problems)
        if claim:
            claims.append(claim)
    if not phrasings and not claims:
        problems.add(f"{what} needs at least one phrasing", raw.line_of("phrasings"))
    mistakes = []
    for m in _bounded_list(raw, "mistakes", what, problems):
        if not isinstance(m, _Located):
            problems.add(f"each mistake of {what} must be a mapping with 'claim' and 'correction'",
                         getattr(m, "line", raw.line_of("mistakes")))
            continue
        _unknown_fields(m, MISTAKE_FIELDS, f"a mistake of {what}", problems)
        correction = _text(m, "correction", problems)
        if "claim" not in m:
            problems.add(f"a mistake of {what} needs a 'claim'", m.line)
            continue
        claim = _claim(m["claim"], f"a mistake of {what}", concepts, m.line_of("claim"), problems)
        if claim and correction:
            mistakes.append({"claim": claim, "correction": correction})
    weight = raw.get("weight", 1)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 < weight <= MAX_WEIGHT:
        # `not 0 < w` also refuses .nan, which compares false with everything
        problems.add(f"weight of key point {label!r} must be a positive number up to {MAX_WEIGHT}, "
                     f"not {weight!r}", raw.line_of("weight"))
        weight = 1
    return {"label": label, "phrasings": list(phrasings), "weight": float(weight), "claims": claims,
            "mistakes": mistakes, "correction": _text(raw, "correction", problems, required=False),
            "probe": _text(raw, "probe", problems, required=False), "hint": _text(raw, "hint", problems, required=False)}


def _bounded_list(raw: _Located, key: str, what: str, problems: _Problems, shape: str = "list") -> list:
    """The optional list ``raw[key]`` (claims, mistakes) when it is a non-empty list within bounds."""
    value = raw.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not value:
        problems.add(f"'{key}' of {what} must be a non-empty {shape}", raw.line_of(key))
    elif len(value) > MAX_CLAIMS:
        problems.add(f"{what} has {len(value)} {key}; at most {MAX_CLAIMS} are allowed", raw.line_of(key))
    else:
        return value
    return []


def _unknown_fields(mapping: _Located, known: set, where: str, problems: _Problems) -> None:
    for key in mapping:
        if key not in known:
            guess = process.extractOne(str(key), known, scorer=fuzz.ratio, score_cutoff=70)
            hint = f" (did you mean '{guess[0]}'?)" if guess else ""
            problems.add(f"unknown field {key!r} in {where}{hint}", mapping.line_of(key))


def _text(mapping: _Located, key: str, problems: _Problems, required: bool = True) -> str:
    value = mapping.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.add(f"'{key}' is missing or empty", mapping.line_of(key))
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        problems.add(f"'{key}' must be text", mapping.line_of(key))
        return ""
    limit = MAX_CHARS.get(key, MAX_SHORT_TEXT)
    if isinstance(value, str) and len(value) > limit:
        problems.add(f"'{key}' is {len(value):,} characters long; at most {limit:,} are allowed", mapping.line_of(key))
        return ""
    return " ".join(str(value).split()) if key != "answer" else str(value).strip()


def _strings(mapping: _Located, key: str, qname: str, problems: _Problems) -> tuple[str, ...]:
    value = mapping.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
        problems.add(f"'{key}' of {qname} must be a list of text", mapping.line_of(key))
        return ()
    limit = MAX_ITEMS.get(key, MAX_LIST_ITEMS)
    if len(value) > limit or any(len(str(v)) > MAX_SHORT_TEXT for v in value):
        problems.add(f"'{key}' of {qname} may hold at most {limit} items of at most {MAX_SHORT_TEXT} characters",
                     mapping.line_of(key))
        return ()
    return tuple(str(v).strip() for v in value if str(v).strip())


def _bank_from_dict(path: Path, data: dict) -> Bank:
    questions = tuple(
        Question(id=q["id"], category=q["category"], difficulty=q["difficulty"], text=q["question"],
                 answer=q["answer"], follow_up=q["follow_up"], tags=tuple(q["tags"]), sources=tuple(q["sources"]),
                 key_points=tuple(_key_point(k) for k in q["key_points"]),
                 concepts=tuple((name, tuple(phrases)) for name, phrases in (q.get("concepts") or {}).items()),
                 plain=tuple((name, tuple(phrases)) for name, phrases in (q.get("plain") or {}).items()))
        for q in data["questions"])
    return Bank(id=data["id"], title=data["title"], path=path, questions=questions, description=data["description"])


def _key_point(k: dict) -> KeyPoint:
    return KeyPoint(k["label"], tuple(k["phrasings"]), k["weight"],
                    claims=tuple(tuple(c) for c in k.get("claims") or ()),
                    mistakes=tuple(Mistake(tuple(m["claim"]), m["correction"]) for m in k.get("mistakes") or ()),
                    correction=k.get("correction") or "", probe=k.get("probe") or "", hint=k.get("hint") or "")


# Words every question shares; matching on them found "LSTM vs GRU" for "overfitting vs underfitting".
SUBJECT_BONUS = 1.5  # tuned on the 78 seed phrasings: 3 lost "convolutional" to an id's "neural network"
_LOOKUP_STOP = frozenset(
    "a an and are about be between can compare could describe difference differences do does explain for "
    "give how i in is it its me of on or some tell that the their them they this to use using versus vs "
    "what whats when where which why with would you your".split())


def _content_words(text: str) -> list[str]:
    words = tokens(text)
    return [w for w in words if w not in _LOOKUP_STOP] or words


def _lookup_word(word: str, own: list[str]):
    """(own word, similarity) for ``word``: a slip or a plural, or the start of a longer word
    ("norm" for "normalization"), but not another word that merely contains it ("unsupervised")."""
    for candidate, similarity, _ in process.extract(word, own, scorer=fuzz.ratio, score_cutoff=80, limit=3):
        if abs(len(candidate) - len(word)) <= max(1, int(0.15 * len(word))):
            return candidate, similarity
    if len(word) >= 4:
        starts = [o for o in own if o.startswith(word)]
        if starts:
            return min(starts, key=len), 90.0
    return None


def find_question(banks, query: str, limit: int = 3) -> Question:
    """The question whose id is ``query``, or whose words best match the words of ``query``.

    Each content word of the query is looked for among each question's words, fuzzily (a typo or
    plural still counts), weighted by how rare the word is across the banks (IDF), and three
    times more when it is a word of the question's id, which names its subject: "What is the
    purpose of regularization in machine learning?" is about regularization, not about the
    purpose of something else in machine learning. That sum is scaled by how much of the
    question's own wording the query covers, so a question asked word for word wins. When the best question has neither half the query's weight nor every word of
    its subject, nothing is close: raises UserError listing the nearest questions.
    """
    questions = [q for bank in banks for q in bank.questions]
    for q in questions:
        if q.id == query.strip():
            return q
    docs, df = [], Counter()
    for q in questions:
        text = set(_content_words(q.text))
        subject = set(_content_words(q.id.replace("-", " ")))
        own = text | subject | set(_content_words(" ".join(q.tags)))
        docs.append((q, text, subject, list(own), list(subject)))
        df.update(own)
    vocabulary = list(df)

    def idf(word: str) -> float:
        if word not in df:  # a typo: weigh it as the word it most resembles
            near = process.extractOne(word, vocabulary, scorer=fuzz.ratio, score_cutoff=80)
            word = near[0] if near else word
        return math.log((len(questions) + 1) / (df.get(word, 0) + 0.5))

    wanted = list(dict.fromkeys(_content_words(query)))  # a word said twice counts once
    weights = {w: idf(w) for w in wanted}
    total = sum(weights.values()) or 1.0
    ranked = []
    for q, text, subject, own, subject_words in docs:
        found = relevance = 0.0
        matched, named = set(), set()
        for w in wanted:
            hit = _lookup_word(w, own)
            if hit:
                weight = weights[w] * hit[1] / 100
                found += weight
                in_subject = _lookup_word(w, subject_words)
                relevance += weight * (SUBJECT_BONUS if in_subject else 1)
                matched.add(hit[0])
                if in_subject:
                    named.add(in_subject[0])
        close = found / total >= 0.5 or (subject and subject <= named)  # most of the query, or all the subject
        own_covered = len(matched & text) / (len(text) or 1)
        # The share of the question's own wording heard counts too: the question asked word for
        # word beats one that merely shares its id's words ("neural network").
        ranked.append((relevance * (0.5 + own_covered), own_covered, close, q))
    ranked.sort(key=lambda r: (r[0], r[1]), reverse=True)
    if ranked and ranked[0][2]:
        return ranked[0][3]
    nearest = "; ".join(f"{r[3].id} ({r[3].text})" for r in ranked[:limit])
    raise UserError(f"No question matches {query!r}; the nearest are: {nearest}.")


def load_banks(dirs, cache_dir=None) -> tuple[list[Bank], list[BankError]]:
    """Every bank in ``dirs``; a broken one is reported, never fatal to the others."""
    banks, broken = [], []
    for folder in dirs:
        folder = Path(folder)
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.y*ml")):
            if path.suffix not in (".yaml", ".yml"):
                continue
            try:
                banks.append(load_bank(path, cache_dir))
            except BankError as exc:
                broken.append(exc)
            except (RecursionError, MemoryError, ValueError) as exc:  # a bound the loader missed: this bank only
                broken.append(BankError(path, f"cannot be read ({first_line(exc)})"))
    return banks, broken
