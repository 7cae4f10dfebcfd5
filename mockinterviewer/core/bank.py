"""Question banks: the model, the YAML loader with line-numbered errors, and lookup.

The format is documented in docs/question-bank.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process, utils

from mockinterviewer.errors import BankError, UserError

FORMAT_VERSION = 1
DIFFICULTIES = ("easy", "medium", "hard")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class KeyPoint:
    label: str
    phrasings: tuple[str, ...]
    weight: float = 1.0


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


class _Loader(yaml.SafeLoader):
    """A SafeLoader that remembers each mapping's line, so errors can point at it."""


def _construct_mapping(loader, node):
    mapping = loader.construct_mapping(node, deep=True)
    return _Located(mapping, node.start_mark.line + 1, {
        k.value: v.start_mark.line + 1 for k, v in node.value if isinstance(k, yaml.ScalarNode)
    })


class _Located(dict):
    """A dict that knows the line it starts on and the line of each key's value."""

    def __init__(self, mapping, line, key_lines):
        super().__init__(mapping)
        self.line = line
        self.key_lines = key_lines

    def line_of(self, key):
        return self.key_lines.get(key, self.line)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_bank(path: str | Path) -> Bank:
    """Read and validate one bank file; raise BankError naming the file and line at fault."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BankError(path, "no such file") from None
    except UnicodeDecodeError:
        raise BankError(path, "the file is not UTF-8 text") from None
    except OSError as exc:
        raise BankError(path, f"cannot be read ({exc.strerror})") from None
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise BankError(path, f"YAML syntax error: {problem}", mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise BankError(path, f"YAML syntax error: {exc}") from None
    return _parse_bank(path, data)


def _parse_bank(path: Path, data) -> Bank:
    if not isinstance(data, _Located):
        raise BankError(path, "a bank must be a mapping with 'format', 'id', 'title' and 'questions'", 1)
    fmt = data.get("format")
    if fmt != FORMAT_VERSION:
        raise BankError(path, f"'format' must be {FORMAT_VERSION}, not {fmt!r}", data.line_of("format"))
    bank_id = _text(path, data, "id")
    if not SLUG.match(bank_id):
        raise BankError(path, f"bank id {bank_id!r} must be lowercase letters, digits and hyphens", data.line_of("id"))
    title = _text(path, data, "title")
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        raise BankError(path, "'questions' must be a non-empty list", data.line_of("questions"))
    questions, seen = [], {}
    for raw in raw_questions:
        question = _parse_question(path, raw, data.line_of("questions"))
        if question.id in seen:
            raise BankError(path, f"question id {question.id!r} is used twice (first on line {seen[question.id]})", raw.line_of("id"))
        seen[question.id] = raw.line_of("id")
        questions.append(question)
    return Bank(id=bank_id, title=title, path=path, questions=tuple(questions),
                description=str(data.get("description") or ""))


def _parse_question(path: Path, raw, parent_line: int) -> Question:
    if not isinstance(raw, _Located):
        raise BankError(path, "each question must be a mapping with 'id', 'question', 'answer' and 'key_points'", parent_line)
    qid = _text(path, raw, "id")
    if not SLUG.match(qid):
        raise BankError(path, f"question id {qid!r} must be lowercase letters, digits and hyphens", raw.line_of("id"))
    difficulty = _text(path, raw, "difficulty")
    if difficulty not in DIFFICULTIES:
        raise BankError(path, f"difficulty of {qid!r} must be one of {', '.join(DIFFICULTIES)}, not {difficulty!r}", raw.line_of("difficulty"))
    raw_points = raw.get("key_points")
    if not isinstance(raw_points, list) or not raw_points:
        raise BankError(path, f"question {qid!r} needs a non-empty 'key_points' list", raw.line_of("key_points") if "key_points" in raw else raw.line)
    points = tuple(_parse_key_point(path, qid, p, raw.line_of("key_points")) for p in raw_points)
    return Question(
        id=qid,
        category=_text(path, raw, "category"),
        difficulty=difficulty,
        text=_text(path, raw, "question"),
        answer=_text(path, raw, "answer"),
        key_points=points,
        follow_up=_text(path, raw, "follow_up", required=False),
        tags=_strings(path, raw, "tags", qid),
        sources=_strings(path, raw, "sources", qid),
    )


def _parse_key_point(path: Path, qid: str, raw, parent_line: int) -> KeyPoint:
    if not isinstance(raw, _Located):
        raise BankError(path, f"each key point of {qid!r} must be a mapping with 'label' and 'phrasings'", parent_line)
    label = _text(path, raw, "label")
    phrasings = _strings(path, raw, "phrasings", qid)
    if not phrasings:
        raise BankError(path, f"key point {label!r} of {qid!r} needs at least one phrasing", raw.line_of("phrasings"))
    weight = raw.get("weight", 1)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight <= 0:
        raise BankError(path, f"weight of key point {label!r} must be a positive number, not {weight!r}", raw.line_of("weight"))
    return KeyPoint(label=label, phrasings=phrasings, weight=float(weight))


def _text(path: Path, mapping: _Located, key: str, required: bool = True) -> str:
    value = mapping.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise BankError(path, f"'{key}' is missing or empty", mapping.line_of(key))
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise BankError(path, f"'{key}' must be text", mapping.line_of(key))
    return " ".join(str(value).split()) if key != "answer" else str(value).strip()


def _strings(path: Path, mapping: _Located, key: str, qid: str) -> tuple[str, ...]:
    value = mapping.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
        raise BankError(path, f"'{key}' of {qid!r} must be a list of text", mapping.line_of(key))
    return tuple(str(v).strip() for v in value if str(v).strip())


def find_question(banks, query: str, limit: int = 3) -> Question:
    """The question whose id is ``query``, or whose text is closest to the words of ``query``.

    When nothing is close, raises UserError listing the nearest candidates.
    """
    questions = [q for bank in banks for q in bank.questions]
    for q in questions:
        if q.id == query.strip():
            return q
    choices = {i: f"{q.id.replace('-', ' ')} {q.text}" for i, q in enumerate(questions)}
    matches = process.extract(query, choices, scorer=fuzz.token_set_ratio, processor=utils.default_process, limit=limit)
    if matches and matches[0][1] >= 70 and (len(matches) == 1 or matches[0][1] > matches[1][1] or _exact_words(query, questions[matches[0][2]])):
        return questions[matches[0][2]]
    nearest = "; ".join(f"{questions[m[2]].id} ({questions[m[2]].text})" for m in matches)
    raise UserError(f"No question matches {query!r}; the nearest are: {nearest}.")


def _exact_words(query: str, question: Question) -> bool:
    words = utils.default_process(query).split()
    haystack = utils.default_process(f"{question.id.replace('-', ' ')} {question.text}")
    return all(w in haystack for w in words)


def load_banks(dirs) -> tuple[list[Bank], list[BankError]]:
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
                banks.append(load_bank(path))
            except BankError as exc:
                broken.append(exc)
    return banks, broken
