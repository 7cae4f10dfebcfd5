"""Turn the plain-text and Markdown question lists people already have into a draft bank.

One general parser rather than one per layout: every line is classified (a question start of
one of several shapes, an answer label, a difficulty, a heading, tips or footer boilerplate,
text), then everything from one question start to the next is that question's answer. Lines
not imported are recorded as skipped with a reason (title and introduction, section headings,
tips, footers); those a user should look at (a question with no answer, a stray paragraph)
are also reported as problems with their line. Key points are drafted from the answer and
tagged as drafts in the bank. docs/question-bank.md describes the layouts.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from mockinterviewer.core.bank import MAX_CHARS, MAX_ITEMS, MAX_SHORT_TEXT, SLUG, load_bank
from mockinterviewer.core.keypoints import (ASK, BULLET, CODE, FENCE, QUESTION_WORDS, STOP, TELL, Claims, Concepts,
                                            KeyPoints, draft_claims, draft_key_points, question_key_points)
from mockinterviewer.core.safe_yaml import Refused, read_file
from mockinterviewer.errors import UserError


@dataclass(frozen=True)
class Problem:
    """Something not imported that the user should look at."""
    file: str
    line: int  # 1-based; 0 means the whole file
    message: str


@dataclass(frozen=True)
class Skipped:
    """Lines not imported and why, so that nothing disappears silently."""
    file: str
    line: int
    end_line: int
    reason: str


@dataclass(frozen=True)
class DraftQuestion:
    text: str
    answer: str
    difficulty: str | None
    key_points: KeyPoints  # drafts, to be reviewed
    file: str
    line: int
    end_line: int = 0  # the last line of its answer
    concepts: Concepts = ()  # what the draft claims name, with their phrases
    claims: Claims = ()      # (key point label, concept names heard together)


@dataclass(frozen=True)
class ImportResult:
    questions: tuple[DraftQuestion, ...]
    problems: tuple[Problem, ...]
    skipped: tuple[Skipped, ...] = ()

    def to_bank_dict(self, bank_id: str, title: str) -> dict:
        """The questions as a bank in the documented format, their key points tagged as drafts."""
        if not SLUG.match(bank_id):
            raise UserError(f"The bank id {bank_id!r} must be lowercase letters, digits and hyphens.")
        questions, used = [], set()
        for q in self.questions:
            qid = base = slug(q.text, drop=True) or "question"
            n = 1
            while qid in used:
                n += 1
                qid = f"{base}-{n}"
            used.add(qid)
            claims = dict(q.claims)
            entry = {
                "id": qid, "category": "imported", "difficulty": q.difficulty or "medium",
                "question": q.text, "answer": q.answer,
                "key_points": [  # drafts, cut to what a bank may hold
                    {"label": label[:MAX_SHORT_TEXT], "phrasings": [p[:MAX_SHORT_TEXT] for p in ph][:MAX_ITEMS["phrasings"]]}
                    | ({"claims": [list(claims[label])]} if label in claims else {})
                    for label, ph in (q.key_points or question_key_points(q.text))[:MAX_ITEMS["key_points"]]],
                "tags": ["draft", "draft-key-points"], "sources": [f"{Path(q.file).name}:{q.line}"]}
            if q.concepts:
                entry["concepts"] = {name: list(phrases) for name, phrases in q.concepts}
            questions.append(entry)
        files = ", ".join(dict.fromkeys(Path(q.file).name for q in self.questions)) or "text"
        return {"format": 1, "id": bank_id, "title": title,
                "description": f"Imported from {files}; the key points are drafts (tag draft-key-points) "
                               "to review before trusting the scores.", "questions": questions}


# --- Line shapes ---------------------------------------------------------------------------------
# Prefixes are one character class, [^\w]*, so a line of symbols cannot make a regex backtrack
# exponentially; emoji, bullets and bold markers are all non-word characters.
_PRE = r"^[^\w]*"
_LEVELS = r"easy|medium|hard|beginner|basic|intermediate|advanced"
_DIFFICULTY = {"easy": "easy", "beginner": "easy", "basic": "easy", "medium": "medium",
               "intermediate": "medium", "hard": "hard", "advanced": "hard"}
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)[\s#]*$")
_BOLD_LINE = re.compile(r"^(?:\*\*|__)([^*_\s].*?)(?:\*\*|__)[:.]?$")
_KEYCAP = re.compile(_PRE + r"(?:(?:[0-9]\ufe0f?\u20e3)+|\U0001f51f)\s*(?P<text>.*)$")  # 1️⃣0️⃣, 🔟
_QLABEL = re.compile(_PRE + r"(?:Q|Question|QUESTION)\s*#?\d*[*_]*\s*(?:[:.)]|(?<=\d)\s)[*_\s]*(?P<text>.*)$")
_ALABEL = re.compile(_PRE + r"(?:(?:sample|strong|model|short|suggested|example|good|best)\s+)?"
                     r"(?:A\s*\d*[*_]*\s*:|A\d+[.)]|(?:Ans|Answer)\s*\d*[*_]*\s*[:.)\-–])[*_\s]*(?P<rest>.*)$", re.I)
_ANSWER_HEADING = re.compile(r"(?:sample |model |short )?(?:answer|solution)s?:?", re.I)
# "EasySupervised learning: ..." (a scraped difficulty badge) or "Hard: ..." before the answer.
_DIFF_GLUED = re.compile(r"^(?P<d>Easy|Medium|Hard)(?:(?=[A-Z0-9\"“'(\[])|\s*[:|–—-]\s*)(?P<rest>\S.*)$")
_DIFF_LINE = re.compile(_PRE + rf"(?:difficulty\W*)?(?P<d>{_LEVELS})\W*$", re.I)
_DIFF_IN_Q = re.compile(rf"\s*(?:[(\[]\s*(?i:difficulty\W*)?(?P<a>(?i:{_LEVELS}))\s*[)\]]"
                        rf"|[-–—|:,]?\s*\**(?i:difficulty)\W*(?P<b>(?i:{_LEVELS}))\b\**"
                        r"|(?:\s+[-–—|]\s*|\s+|(?<=[a-z?.)]))(?P<c>Easy|Medium|Hard|EASY|MEDIUM|HARD)\s*$)")
_TIPS = re.compile(_PRE + r"(?:(?:bonus|final|general|quick|pro|extra|more|some|top|interview|\d+)\s+)*"
                   r"(?:tips?|tricks|conclusion|summary|final thoughts|key takeaways|takeaways|further reading|"
                   r"resources|references|about the author|wrapping up|good luck|next steps)\b", re.I)
_FOOTER = re.compile(_PRE + r"(?:double[\s-]?tap|like\s*(?:&|and)\s*share|like\s+for\s+more|follow\s+(?:us|me|for)|"
                     r"subscribe|share\s+(?:this|with)|comment\s+below|save\s+(?:this|for\s+later)|"
                     r"leave\s+a\s+(?:reply|comment)|tag\s+a\s+friend)\b", re.I)
_NUMBERED = re.compile(r"^[*_]*\d{1,3}[.)][*_]*\s+(?P<text>\S.*)$")


@dataclass
class _Line:
    no: int
    raw: str
    text: str
    indent: int
    kind: str = "text"  # blank code heading tips footer start numq plainq label glue diff text
    level: int = 0      # heading level; a bold-only line is 7, below every Markdown heading
    question: str = ""  # the question of a (possible) question start
    rest: str = ""      # the text after an answer label or a difficulty
    difficulty: str | None = None

    @property
    def confirms(self) -> bool:  # an answer label or difficulty shows the line above is a question
        return self.kind in ("label", "glue", "diff")


def _looks_like_question(text: str) -> bool:
    words = re.findall(r"[a-z']+", text.lower())
    if text.rstrip("*_ ").endswith("?"):
        return True
    if words and words[0] in ASK:
        return len(words) > 1 and words[1] != "to"  # "How to ace interviews" is a title
    return bool(words) and words[0] in TELL and len(words) >= 3


def _clean_question(text: str) -> tuple[str, str | None]:
    """The question without numbering, labels, emphasis or difficulty; and that difficulty."""
    for shape in (_QLABEL, _KEYCAP):
        if m := shape.match(text):
            text = m["text"]
    text = re.sub(r"^[*_]*\d{1,3}[.)][*_]*\s+", "", text)
    difficulty = None
    if m := _DIFF_IN_Q.search(text):
        difficulty = _DIFFICULTY[(m["a"] or m["b"] or m["c"]).lower()]
        text = f"{text[:m.start()]} {text[m.end():]}"
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    return " ".join(re.sub(r"^[^\w\"'“(`¿]+|[\s:*_–—-]+$", "", text.strip()).split()), difficulty


def _classify(lines: list[str]) -> list[_Line]:
    out, fence = [], False
    for no, raw in enumerate(lines, 1):
        raw = raw.replace("\t", "    ").rstrip()
        s = raw.strip()
        ln = _Line(no, raw, s, len(raw) - len(raw.lstrip()))
        out.append(ln)
        if FENCE.match(s) or fence:
            ln.kind, fence = "code", fence != bool(FENCE.match(s))
        elif not s:
            ln.kind = "blank"
        elif (m := _HEADING.match(s)) or (m := _BOLD_LINE.match(s)) and not _ALABEL.match(s):
            ln.level, title = (len(m[1]), m[2]) if m.re is _HEADING else (7, m[1])
            if _ANSWER_HEADING.fullmatch(title):
                ln.kind = "label"
            elif _QLABEL.match(title) or _KEYCAP.match(title) or _looks_like_question(title):
                ln.kind, ln.question = "start", title
            else:
                ln.kind, ln.question = ("tips" if _TIPS.match(title) else "heading"), title
        elif (m := _KEYCAP.match(s)) or (m := _QLABEL.match(s)):
            ln.kind, ln.question = "start", m["text"]
        elif m := _ALABEL.match(s):
            ln.kind, ln.rest = "label", m["rest"]
        elif (m := _DIFF_GLUED.match(s)) or (m := _DIFF_LINE.match(s)):
            ln.kind, ln.rest = ("glue", m["rest"]) if m.re is _DIFF_GLUED else ("diff", "")
            ln.difficulty = _DIFFICULTY[m["d"].lower()]
        elif len(s.split()) <= 12 and _FOOTER.match(s):
            ln.kind = "footer"
        elif len(s.split()) <= 12 and not s.endswith((".", "?")) and not BULLET.match(s) and _TIPS.match(s):
            ln.kind = "tips"
        elif ln.indent == 0 and (m := _NUMBERED.match(s)) and _looks_like_question(m["text"]):
            ln.kind, ln.question = "numq", s
        elif ln.indent == 0 and not BULLET.match(s) and s.endswith("?"):
            ln.kind, ln.question = "plainq", s
    return out


def _awaits_label(lines: list[_Line], i: int) -> int:
    """The line number of an answer label in the unbroken block under the start ``lines[i]``,
    else 0; the lines before that label still belong to the question."""
    for ln in lines[i + 1:]:
        if ln.kind in ("blank", "start"):
            return 0
        if ln.kind in ("label", "glue"):
            return ln.no
    return 0


def _find_starts(lines: list[_Line]) -> None:
    """Settle which candidate lines start questions, from the shapes the whole document uses."""
    solid = [ln for ln in lines if ln.kind not in ("blank", "code")]
    for i, ln in enumerate(solid):  # "# a comment" beside code is not a heading
        if ln.kind == "heading" and ln.level == 1 and any(
                0 <= j < len(solid) and CODE.match(solid[j].text) for j in (i - 1, i + 1)):
            ln.kind = "text"
    labelled = any(ln.kind == "start" for ln in lines)
    for ln, nxt in zip(solid, solid[1:] + [None]):
        # Answers often hold numbered lists, so beside other question shapes a numbered
        # question must end with "?"; alone it may instead carry an indented answer.
        if ln.kind == "numq" and (ln.question.endswith("?") or not labelled and nxt is not None and (
                nxt.indent > 0 or nxt.confirms)):
            ln.kind = "start"
    opened = None  # the last question start so far
    for above, ln in zip(solid, solid[1:]):
        # The line above an answer label or a difficulty is a question if it reads like one or
        # like a short topic, unless it continues a question whose label is still to come.
        opened = above if above.kind == "start" else opened
        if not ln.confirms or above.kind not in ("text", "heading", "numq", "plainq") or (
                opened is not None and _awaits_label(lines, opened.no - 1) == ln.no):
            continue
        if _looks_like_question(above.text) or (
                len(above.text.split()) <= 12 and not above.text.endswith((".", ",", ":", ";"))):
            above.kind, above.question = "start", above.question or above.text
            opened = above
    if not any(ln.kind == "start" for ln in lines):  # bare "Question?" lines only when nothing else
        for ln in lines:
            ln.kind = "start" if ln.kind == "plainq" else ln.kind


_INTRO, _SECTION, _CLOSING = ("the title and introduction before the first question",
                              "a paragraph outside any question", "a tips, closing or footer section")


def import_text(text: str, file: str = "<text>") -> ImportResult:
    """The questions in one document, with problems and skipped lines by line number."""
    lines = _classify(text.lstrip("\ufeff").splitlines())
    _find_starts(lines)
    questions, problems, skipped = [], [], []
    mode, cur, prev = _INTRO, None, None  # mode: what lines outside a question are

    def skip(ln, reason):
        last = skipped[-1] if skipped else None
        if last and last.reason == reason and all(x.kind == "blank" for x in lines[last.end_line:ln.no - 1]):
            skipped[-1] = Skipped(file, last.line, ln.no, reason)
        else:
            skipped.append(Skipped(file, ln.no, ln.no, reason))

    def close():
        q_text, difficulty = _clean_question(" ".join(cur["question"]))
        answer = _tidy(cur["answer"])
        if q_text and answer:
            points, concepts, claims = draft_claims(answer, q_text, draft_key_points(answer, q_text))
            questions.append(DraftQuestion(q_text, answer, cur["difficulty"] or difficulty, points, file,
                                           cur["line"], cur["last"], concepts, claims))
            return
        short = q_text if len(q_text) <= 60 else q_text[:57] + "..."
        problems.append(Problem(file, cur["line"], f"the question “{short}” has no answer under it, so it was "
                                "not imported" if q_text else "a question marker with no question was not imported"))
        skipped.append(Skipped(file, cur["line"], cur["last"], "a question with no answer"))

    for i, ln in enumerate(lines):
        if ln.kind == "start":
            if cur:
                close()
            cur = {"line": ln.no, "last": ln.no, "question": [ln.question], "answer": [], "difficulty": None,
                   "level": ln.level or 6, "answered": not _awaits_label(lines, i)}
        elif ln.kind == "blank":
            if cur:
                cur["answer"].append("")
        elif ln.kind in ("heading", "tips", "footer") and not (
                cur and ln.kind != "footer" and ln.level > cur["level"]):  # a deeper heading stays in the answer
            if cur:
                close()
                mode = _SECTION
            cur, mode = None, mode if ln.kind == "heading" else _CLOSING
            skip(ln, "a section heading" if mode == _SECTION else mode)
        elif cur is None:
            if mode == _SECTION and (prev is None or prev.kind in ("blank", "heading")):
                problems.append(Problem(file, ln.no, "an answer with no question above it was not imported"
                                        if ln.kind == "label" else "this looks like a question but has no answer"
                                        " under it, so it was not imported" if _looks_like_question(ln.text)
                                        else "this paragraph is outside any question, so it was not imported"))
            skip(ln, mode)
        else:
            cur["last"] = ln.no
            if ln.confirms and not any(cur["answer"]):  # the answer's own label or difficulty
                cur["answered"] = cur["answered"] or ln.kind != "diff"
                cur["difficulty"] = ln.difficulty or cur["difficulty"]
                cur["answer"] += [ln.rest] if ln.rest else []
            elif not cur["answered"] or not "".join(cur["question"]).strip():
                cur["question"].append(ln.text)  # "Q: ..." over two lines, or "Q1." with the text below
            else:
                cur["answer"].append(ln.raw)
        prev = ln
    if cur:
        close()
    fitting = []
    for q in questions:  # a bank bounds its fields (core/bank.py); one long answer must not sink the import
        too_long = [f"{name} is {len(value):,} characters long (at most {MAX_CHARS[key]:,} fit in a bank)"
                    for name, key, value in (("the question", "question", q.text), ("its answer", "answer", q.answer))
                    if len(value) > MAX_CHARS[key]]
        if too_long:
            problems.append(Problem(file, q.line, f"{' and '.join(too_long)}, so it was not imported"))
        else:
            fitting.append(q)
    dropped, questions = len(questions) - len(fitting), fitting
    if not questions and text.strip() and not dropped:
        problems.append(Problem(file, 0, "no questions were recognised in this file"))
    return ImportResult(tuple(questions), tuple(problems), tuple(skipped))


def _tidy(lines: list[str]) -> str:
    """Answer lines without surrounding or repeated blank lines, dedented and right-stripped."""
    out = []
    for line in lines:
        if line.strip() or (out and out[-1]):
            out.append(line.rstrip())
    while out and not out[-1]:
        out.pop()
    indent = min((len(x) - len(x.lstrip()) for x in out if x), default=0)
    return "\n".join(x[indent:] for x in out)


MAX_LIST_BYTES = 8 * 1024 * 1024  # a question list of 8 MB is thousands of questions


def import_files(paths) -> ImportResult:
    """The questions of several UTF-8 files; a file that cannot be read is a problem on line 0."""
    questions, problems, skipped = [], [], []
    for path in paths:
        try:  # a regular file of bounded size: a pipe or a device would never end
            raw = read_file(path, MAX_LIST_BYTES)
            result = import_text(raw.decode("utf-8-sig"), str(path))
        except UnicodeDecodeError:
            problems.append(Problem(str(path), 0, "the file is not UTF-8 text; save it as UTF-8 and import it "
                                                  "again"))
            continue
        except Refused as exc:
            problems.append(Problem(str(path), 0, f"the file {exc.reason.replace('a bank', 'a list')}"))
            continue
        except OSError as exc:
            problems.append(Problem(str(path), 0, f"the file cannot be read ({exc.strerror or exc})"))
            continue
        questions += result.questions
        problems += result.problems
        skipped += result.skipped
    return ImportResult(tuple(questions), tuple(problems), tuple(skipped))


def slug(text: str, drop: bool = False) -> str:
    """A slug of ``text``; with ``drop``, of its first 6 words that are not stop or question words."""
    words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower())
    return "-".join(([w for w in words if w not in STOP | QUESTION_WORDS] or words)[:6] if drop else words)


# --- Writing -------------------------------------------------------------------------------------
class _Dumper(yaml.SafeDumper):
    """safe_dump's dumper, plus literal blocks for multi-line text and one-line phrasing lists."""


class _Flow(list):
    pass


_Dumper.add_representer(str, lambda d, s: d.represent_scalar(  # long answers read best as blocks
    "tag:yaml.org,2002:str", s, style="|" if "\n" in s else ">" if len(s) > 90 else None))
_Dumper.add_representer(_Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def write_bank(result: ImportResult, path, bank_id: str | None = None, title: str | None = None,
               force: bool = False) -> Path:
    """Write ``result`` as a bank file that load_bank accepts; never overwrite one unless ``force``."""
    path = Path(path)
    if path.exists() and not force:
        raise UserError(f"{path} already exists; use --force to replace it.")
    if not result.questions:
        raise UserError("No questions were found to import, so no bank was written.")
    stem = path.name.split(".")[0]
    data = result.to_bank_dict(bank_id or slug(stem) or "imported",
                               title or " ".join(stem.replace("-", " ").replace("_", " ").split()).capitalize())
    for q in data["questions"]:
        q["tags"], q["sources"] = _Flow(q["tags"]), _Flow(q["sources"])
        for point in q["key_points"]:
            point["phrasings"] = _Flow(point["phrasings"])
            if "claims" in point:
                point["claims"] = _Flow(_Flow(c) for c in point["claims"])
        for name, phrases in (q.get("concepts") or {}).items():
            q["concepts"][name] = _Flow(phrases)
    files = ", ".join(dict.fromkeys(Path(q.file).name for q in result.questions))
    text = (f"# Imported by Mock Interviewer from {files}.\n"
            "# The key points were drafted automatically (tag draft-key-points): review them.\n"
            + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                        default_flow_style=False))
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and checked with the real loader first, so that a failure
    # leaves no half-written or invalid bank where the app would find it.
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    try:
        load_bank(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
