"""Draft key points for imported questions, from the text of their answers.

The drafts are what an author would start from, not a finished list: labels and phrasings
come from what the answer marks as a term ("Term: explanation", **bold**, short list items,
"long form (ACRONYM)"), then from enumerations and the subjects of definitions, then from
technical-looking words (acronyms, CamelCase, snake_case). At most 7 points, deduplicated;
each phrasing is 1 to 4 words and never only stop words or generic ones ("model", "data").
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from mockinterviewer.core.textnorm import normalise

KeyPoints = tuple[tuple[str, tuple[str, ...]], ...]  # (label, phrasings) pairs

FENCE = re.compile(r"^(```|~~~)")
BULLET = re.compile(r"^(?:[-*•+]|\d{1,3}[.)])\s+")
CODE = re.compile(r"^(?:import\s|from\s+\S+\s+import\s|>>>|\$\s|[\w.\[\]'\"]+\s*[-+*/]?=(?!=)|[\w.]+\(.*\)$|#|//)")
ASK = set("what why how when where which who whose can could would should do does did is are was were will "
          "have has".split())
TELL = set("explain describe compare contrast define discuss implement walk tell outline differentiate "
           "distinguish derive design write name suppose imagine given".split())
STOP = set("a an the of to in on for and or with by is are be been it its this that these those as at from via "
           "their your yourself you i we my our can will not no vs versus into than then so such like also both "
           "each which who there they them he she his her one while whereas when where how what why etc eg "
           "using use including include includes namely".split())
_GENERIC = set("model models data training train use uses used example examples goal note answer result results "
               "approach method methods technique techniques way ways thing things system systems ml ai "
               "performance problem problems task tasks type types set value values process key important "
               "root cause now good better best work works new different specific learning machine".split())
QUESTION_WORDS = ASK | TELL | set("difference between purpose handle evaluate me about through main some "
                                  "common key".split())
_TERM = re.compile(r"^(?:- )?(?P<term>[A-Za-z][\w\-/ .+]{0,40}?)[ \t]*:[ \t]+(?P<expl>[^\n]*)", re.M)
_BOLD = re.compile(r"\*\*(?P<term>[^*\n]{2,40})\*\*")
_ACRONYM_DEF = re.compile(r"(?P<long>(?:[\w-]+\s+){1,6})\((?P<acr>[A-Z][A-Za-z0-9]{1,7})\)")
_SENTENCE = re.compile(r"(?:[^.!?;\n]|[.!?](?=\S))+")
_SUBJECT = re.compile(r"(?:^(?:- )?|[.;]\s+|\b(?:while|whereas)\s+)(?P<s>[A-Za-z][\w-]*(?:\s+[\w-]+){0,3}?)\s+"
                      r"(?:is|are|occurs|involves|measures|means|refers|uses)\b", re.M)
_TECH = re.compile(r"\b(?:[a-z]-)?(?:[A-Z][A-Za-z]*[A-Z0-9][A-Za-z0-9]*|[a-z]+(?:_[a-z0-9]+)+)(?:[/-][A-Za-z0-9]+)*")
_LISTING = re.compile(r"\b(?:such as|like|including|includes?|namely|eg)\b|:")  # "X and Y" is a list after these
_CUT = re.compile(r"\b(?:such as|like|including|includes?|namely|using|in|with|via|of|eg)\b|:")


def _phrase(text: str) -> str:
    """A speakable phrasing of 1 to 4 words cut from ``text``, or '' when there is none."""
    words = [w.strip(".,;:!?'\"“”‘’`*-–—") for w in re.sub(r"\(.*?\)|_", " ", text).split()]
    words = [w for w in words if w]
    while words and words[0].lower() in STOP:
        words.pop(0)
    while words and words[-1].lower() in STOP:
        words.pop()
    if not 1 <= len(words) <= 4 or all(w.lower() in STOP | _GENERIC for w in words):
        return ""
    if any(re.search(r"[%$<>=]|^\d", w) for w in words) or not normalise(" ".join(words)):
        return ""
    return " ".join(words)


def _alternatives(item: str) -> list[str]:
    """'L1/L2 regularization' -> ['L1 regularization', 'L2 regularization']."""
    words = item.split()
    for i, word in enumerate(words):
        parts = word.split("/")
        if len(parts) > 1 and all(len(p) > 1 for p in parts):
            return [" ".join(words[:i] + [p] + words[i + 1:]) for p in parts]
    return [item]


def _prose(answer: str) -> str:
    """The answer without code, emoji or quotes, list items as "- item", for drafting key points."""
    out, fence = [], False
    for line in answer.splitlines():
        s = line.strip()
        if FENCE.match(s):
            fence = not fence
        elif not fence and s and not CODE.match(s):
            item = re.sub(r"^[^\w\"“(*]+", "", BULLET.sub("", s)).strip("\"“”")
            out.append(f"- {item}" if BULLET.match(s) else item)
    return "\n".join(out).replace("e.g.", "eg").replace("i.e.", "ie")


def _same(a: list[str], b: list[str]) -> bool:
    """Whether two phrasing lists name one point: a single word inside the other ("L1" in "L1
    regularization"), or the same words spelled nearly alike ("embedding", "embeddings") that
    start alike, so that "supervised"/"unsupervised" and "type I"/"type II" stay apart."""
    for x in a:
        for y in b:
            nx, ny = normalise(x), normalise(y)
            (short, words), (long, _) = sorted(((nx, len(x.split())), (ny, len(y.split()))), key=lambda t: len(t[0]))
            wx, wy = nx.split(), ny.split()
            if short == long or words == 1 and f" {short} " in f" {long} " or len(wx) == len(wy) and all(
                    u == v or u[:3] == v[:3] and fuzz.ratio(u, v) >= 85 for u, v in zip(wx, wy)):
                return True
    return False


def draft_key_points(answer: str, question: str = "") -> KeyPoints:
    """Up to 7 draft (label, phrasings) pairs from ``answer``; from ``question`` when it has none."""
    text, found = _prose(answer), []

    def add(rank, pos, label, phrasings):
        kept = []
        for alt in (a for p in phrasings for a in _alternatives(p)):
            if (p := _phrase(alt)) and p.lower() not in (k.lower() for k in kept):
                kept.append(p)
        label = " ".join(re.sub(r"\(.*?\)|[*`\"“”_]", " ", label).split()).strip(".,;:") or (kept or [""])[0]
        if kept:  # capitalised as a label, except names such as "t-SNE"
            found.append((rank, pos, label if re.match(r"[a-z]-[A-Z]", label) else label[:1].upper() + label[1:],
                          kept[:5]))

    # Rank 0, what the author marked as a term: "Term: explanation", **bold**, short list items
    # and "long form (ACRONYM)".
    for m in _TERM.finditer(text):
        term = m["term"].strip()
        head, sep = (re.split(r"([(.,;])", m["expl"]) + [""])[:2]
        if len(term.split()) <= 4 and _phrase(term) and not term.lower().startswith("http") and (
                sep != "," or len(head.split()) > 3):  # "Cloud: SageMaker, VertexAI" names a category
            add(0, m.start(), term, [term] + [head] * (len(head.split()) <= 3))
    for m in _BOLD.finditer(text):
        add(0, m.start(), m["term"], [m["term"]])
    for m in re.finditer(r"^- (.+?)\.?$", text, re.M):
        if len(m[1].split()) <= 4:
            add(0, m.start(1), m[1], [m[1]])
    for m in _ACRONYM_DEF.finditer(text):
        words, letters = m["long"].split(), m["acr"].lower().rstrip("s")
        for n in range(1, len(words) + 1):
            if "".join(w[0] for w in re.split(r"[\s-]+", " ".join(words[-n:]).lower())) == letters:
                add(0, m.start(), " ".join(words[-n:]), [" ".join(words[-n:]), m["acr"]])
                break
    # Rank 1: enumerations ("dropout, L1/L2 regularization, early stopping") and the subjects
    # of definitions ("Precision is ...").
    for m in _SENTENCE.finditer(text):
        segments = [(m.start(), re.sub(r"\(.*?\)", "", m[0]))]
        segments += [(m.start() + p.start(), p[1]) for p in re.finditer(r"\(([^()]*)\)", m[0])]
        for pos, segment in segments:
            parts = re.split(r",\s*|\s+(?:and|or|&)\s+|\s*(?:\+|→|->)\s*", segment)
            listing, parts[0] = bool(_LISTING.search(parts[0])), _CUT.split(parts[0])[-1]
            items = [p for p in parts if _phrase(p)]
            if len(items) >= 2 and (len(parts) >= 3 or listing):
                for item in items:
                    add(1, pos + segment.find(item), _phrase(item), [item])
    for m in _SUBJECT.finditer(text):
        add(1, m.start("s"), _phrase(m["s"]), [m["s"]])
    # Rank 2: technical-looking words: acronyms, CamelCase names, snake_case identifiers.
    for m in _TECH.finditer(text):
        if not re.fullmatch(r"[IVX]+", m[0]):  # "type II error" holds a numeral, not a term
            camel = re.fullmatch(r"(?:[A-Z][a-z]{2,}){2,}", m[0])  # "BatchNorm" is said "batch norm"
            add(2, m.start(), m[0].replace("_", " "),
                [m[0]] + [" ".join(re.findall(r"[A-Z][a-z]+", m[0])).lower()] * bool(camel))

    points: list[list] = []
    for rank, pos, label, phrasings in sorted(found, key=lambda c: (c[0], c[1])):
        same = next((p for p in points if _same(p[1], phrasings)), None)
        if same:
            same[1] += [x for x in phrasings if x.lower() not in (y.lower() for y in same[1])][:max(0, 5 - len(same[1]))]
        elif len(points) < 7:
            points.append([label, phrasings, pos])
    points.sort(key=lambda p: p[2])
    return tuple((label, tuple(ph)) for label, ph, _ in points) or question_key_points(question)


def question_key_points(question: str) -> KeyPoints:
    """Key points from the question's own noun phrases, so that a bank stays valid without better."""
    runs, run = [], []
    for word in re.findall(r"[\w/+'-]+", question) + [""]:
        if word and word.lower() not in STOP | QUESTION_WORDS:
            run.append(word)
        elif run:
            runs.append(" ".join(run[-4:]))
            run = []
    phrases = [p for p in map(_phrase, runs) if p][:3]
    if not phrases:  # the last resort: the question's first words, which a speaker may repeat
        phrases = [" ".join(question.split()[:4]).rstrip("?.!") or "answer"]
    return tuple((p[:1].upper() + p[1:], (p,)) for p in phrases)


# --- Draft claims ---------------------------------------------------------------------------------
# A drafted point names a term; a term named is not a point explained. Each draft point therefore
# gets a claim: its term together with what a clause of the answer says about it, so that
# "Data leakage." earns half credit at most, and "data leakage is when information from the test
# set reaches training" earns it all. Points come from the answer's clauses, at least three
# when the answer has them, and never from the question's own words alone.
Concepts = tuple[tuple[str, tuple[str, ...]], ...]   # (concept name, phrases)
Claims = tuple[tuple[str, tuple[str, ...]], ...]     # (point label, concept names of its claim)
MIN_CLAIM_POINTS = 3
_VERBS = set("is are was were be been being has have had do does did make makes made happen happens happened "
             "occur occurs look looks looked get gets got give gives gave mean means meant help helps let lets "
             "allow allows become becomes keep keeps take takes used uses using build builds built go goes need "
             "needs want wants should would could can may might must will often usually always also only just "
             "very more most less much many well then see sees seen saw during put puts like include includes "
             "including implement implements implemented involve involves involved provide provides provided "
             "providing apply applies applied try tries tried called known refers refer consider considered "
             "done doing works working important common commonly".split())
_CLAUSE_CUT = re.compile(r"[.;:!?]+(?:\s|$)|,\s+|\s+(?:because|which|while|whereas|but|so that|so|when|where|"
                         r"by|if|and then)\s+|\n")


def _content_runs(clause: str, avoid: set[str]) -> list[str]:
    """Runs of up to three content words in ``clause``: candidate concept phrases."""
    runs, run = [], []
    for raw in re.findall(r"[\w/+'-]+", clause.replace("’", "'")) + [""]:
        word = raw.strip("'-")
        low = word.lower()
        norm = normalise(low)
        adverb = len(low) > 4 and low.endswith("ly")
        if word and low not in STOP | _GENERIC | _VERBS | QUESTION_WORDS and norm not in avoid and not adverb \
                and (len(word) > 2 or any(c.isupper() or c.isdigit() for c in word)) \
                and not (norm and set(norm.split()) <= avoid) and not re.fullmatch(r"\d+", word):
            run.append(word)
            continue
        while run:
            runs.append(" ".join(run[:3]))
            run = run[3:]
    return [p for p in map(_phrase, runs) if p]


def _slug(text: str, taken: set[str]) -> str:
    base = "-".join(normalise(text).split()[:4]) or "concept"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    taken.add(name)
    return name


def draft_claims(answer: str, question: str, points: KeyPoints) -> tuple[KeyPoints, Concepts, Claims]:
    """``points`` (from ``draft_key_points``) with a claim each where the answer allows, plus points
    from the answer's clauses until there are at least three with claims (at most 7 points)."""
    topic = {normalise(w) for w in re.findall(r"[\w/+'-]+", question)} | {""}
    clauses = [c.strip() for c in _CLAUSE_CUT.split(_prose(answer)) if c and c.strip()]
    concepts: dict[str, tuple[str, ...]] = {}
    taken: set[str] = set()
    claims: list[tuple[str, tuple[str, ...]]] = []
    used_clauses: set[int] = set()
    out: list[tuple[str, tuple[str, ...]]] = []

    def concept(phrases) -> str:
        for name, known in concepts.items():
            if known == tuple(phrases):
                return name
        name = _slug(phrases[0], taken)
        concepts[name] = tuple(phrases)
        return name

    every_term = {normalise(p) for _, phrasings in points for p in phrasings}
    # Words of the drafted terms: a companion is what is said about a term, not another term.
    term_words_all = {w for t in every_term for w in t.split() if w not in STOP}
    for label, phrasings in points:
        said = {normalise(p) for p in phrasings}
        term_words = {w for s in said for w in s.split()}
        found = []  # (where the term sits in the clause, clause index, companions)
        for i, clause in enumerate(clauses):
            words = f" {normalise(clause)} "
            at = min((words.find(f" {s} ") for s in said if s and f" {s} " in words), default=-1)
            if at < 0:
                continue
            companions = [r for r in _content_runs(clause, topic | term_words_all)
                          if not set(normalise(r).split()) & term_words
                          and not any(f" {t} " in f" {normalise(r)} " for t in every_term if t)]
            if companions:
                found.append((at, i, companions))
        if not found and all(set(normalise(p).split()) <= topic for p in phrasings):
            # The question's topic alone ("Data leakage"): paired with what the answer's fullest clause says.
            found = [(0, i, runs) for i, runs in sorted(
                ((i, _content_runs(c, topic | term_words_all)) for i, c in enumerate(clauses)),
                key=lambda t: -len(t[1]))[:1] if runs]
        if found:
            _, i, companions = min(found)  # the clause the term opens, as its subject
            term = concept(tuple(dict.fromkeys(phrasings))[:5])
            claims.append((label, (term, concept((max(companions, key=len),)))))
            used_clauses.add(i)
        out.append((label, phrasings))
    # Points of the answer's own clauses: two things one clause says together; for a short answer,
    # one sentence.
    sentences = [c.strip() for c in re.split(r"[.;!?]+(?:\s|$)|\n", _prose(answer)) if c.strip()]
    pieces = [c for i, c in enumerate(clauses) if i not in used_clauses] + sentences
    said = {normalise(p) for ps in concepts.values() for p in ps}
    for piece in pieces:
        if len(claims) >= MIN_CLAIM_POINTS:
            break
        runs = [r for r in dict.fromkeys(_content_runs(piece, topic | term_words_all)) if normalise(r) not in said]
        for first, second in zip(runs[0::2], runs[1::2]):
            if len(claims) >= MIN_CLAIM_POINTS:
                break
            label = " ".join(piece.split()[:10]).strip(" ,.;:") + ("…" if len(piece.split()) > 10 else "")
            label = label[:1].upper() + label[1:]
            if any(label == existing for existing, _ in out):
                label = f"{first[:1].upper()}{first[1:]}: {second}"
            out.append((label, (first, second)))
            claims.append((label, (concept((first,)), concept((second,)))))
            said |= {normalise(first), normalise(second)}
    # At most 7 points: those without a claim give way first.
    while len(out) > 7:
        unclaimed = [i for i, (label, _) in enumerate(out) if label not in dict(claims)]
        out.pop(unclaimed[-1] if unclaimed else -1)
    kept_labels = {label for label, _ in out}
    claims = [c for c in claims if c[0] in kept_labels]
    # A point that is only the question's topic goes when three others have claims, and one
    # without a claim whenever others remain: any answer names its topic.
    claimed = {label for label, _ in claims}
    only_topic = {label for label, ph in out if all(set(normalise(p).split()) <= topic for p in ph)}
    enough = len(claimed - only_topic) >= MIN_CLAIM_POINTS
    out = [(label, ph) for label, ph in out
           if label not in only_topic or (label in claimed and not enough)] or out
    claims = [c for c in claims if c[0] in {label for label, _ in out}]
    used = {c for _, claim in claims for c in claim}
    return tuple(out), tuple((n, p) for n, p in concepts.items() if n in used), tuple(claims)
