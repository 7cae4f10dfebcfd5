"""Check the claims content of a bank (issue 12): every concept a claim or mistake names is defined,
every key point has a claim, concept phrases are 1-5 words, no mistake is a subset of a correct
claim of its point, repeating the question covers no point, and (as a rough self-test with a simple
matcher, not the engine) each reference answer states a claim of most of its points and fires none
of its mistakes.

    python3 bench/check_claims.py [questions/ml-engineer.yaml] [-v]
    python3 bench/check_claims.py --judge QUESTION_ID "answer text"
    python3 bench/check_claims.py --samples [--no-suppress] [--no-and]
    .venv/bin/python bench/check_claims.py --samples --engine    (the app's own scoring, not the stand-in)

--no-suppress and --no-and switch off two rules of the stand-in, to show what the content needs from
the engine: a mistake is not called in a clause that also states a correct relation of the same point,
and "and" outside a concept's phrase separates two facts ("type one is a false positive and type
two a false negative").
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("textnorm", ROOT / "mockinterviewer" / "core" / "textnorm.py")
textnorm = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(textnorm)

CLAUSE_SPLIT = re.compile(r"[,;:]|\b(?:unlike|while|whereas|but|although|though|however)\b", re.I)
SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+")
# A rough stand-in for the engine's negation: a mistake heard in a negated clause is not asserted.
NEGATION = re.compile(r"\b(?:not|no|never|without|rather than|instead of|avoid|nor)\b|n't\b", re.I)


def _word_match(p: str, h: str) -> bool:
    if p == h:
        return True
    short, long_ = sorted((p, h), key=len)
    # Another ending on the same stem ("overfits", "overfitting"), but not a longer word that merely
    # starts the same way ("batch" is not "batchnorm").
    return (len(short) >= 5 and long_.startswith(short) and len(long_) - len(short) <= 4
            and 2 * len(short) / (len(short) + len(long_)) > 0.8) or (len(short) >= 3 and long_ == short + "s")


def heard(phrase_tokens: list[str], text_tokens: list[str]) -> bool:
    n = len(phrase_tokens)
    joined = "".join(phrase_tokens)
    for i in range(len(text_tokens) - n + 1):
        if all(_word_match(p, h) for p, h in zip(phrase_tokens, text_tokens[i:i + n])):
            return True
    # "cross validation" meets "crossvalidation" and the reverse
    for m in (n - 1, n + 1):
        for i in range(max(0, len(text_tokens) - m + 1)):
            if m > 0 and "".join(text_tokens[i:i + m]) == joined:
                return True
    return False


def concepts_heard(concepts: dict, text: str) -> set[str]:
    toks = textnorm.tokens(text)
    return {name for name, phrases in concepts.items() if any(heard(textnorm.tokens(p), toks) for p in phrases)}


def _spans(phrase_tokens: list[str], text_tokens: list[str]) -> list[range]:
    n = len(phrase_tokens)
    found = [range(i, i + n) for i in range(len(text_tokens) - n + 1)
             if all(_word_match(p, h) for p, h in zip(phrase_tokens, text_tokens[i:i + n]))]
    if n >= 2:  # one word inserted inside the phrase, as the app's matcher allows ("lstm has just two gates")
        for i in range(len(text_tokens) - n):
            window = text_tokens[i:i + n + 1]
            for skip in range(1, n):
                rest = window[:skip] + window[skip + 1:]
                if window[skip] in NEGATION_WORDS:  # "adam is a variant" is not "adam is not a variant"
                    continue
                if all(_word_match(p, h) for p, h in zip(phrase_tokens, rest)):
                    found.append(range(i, i + n + 1))
                    break
    return found


NEGATION_WORDS = set("not no never without dont doesnt didnt isnt arent wont cant cannot remove removing avoid "
                     "avoiding skip skipping worse nor neither".split())
# "instead of" and "rather than" deny only what follows them: "start from a pretrained network instead
# of random weights" states the pretrained network.
FORWARD_NEGATION = {"instead", "rather"}


def _other_words(claim: list[str], mistake: list[str], found: dict) -> bool:
    """The claim is stated in the clause with words of its own, not only the mistake's words."""
    if not set(claim) <= found.keys():
        return False
    used = {span for c in mistake for span in found[c]}
    return any(found[c] - used for c in claim)


def judge(q: dict, bank_concepts: dict, text: str, suppress: bool = True,
          split_and: bool = True) -> list[tuple[str, str, str]]:
    """A rough stand-in for the engine (issue 12's rules), to try the content on sample answers:
    (label, status, clause) per key point."""
    concepts = {**bank_concepts, **(q.get("concepts") or {})}
    sentences = [s for s in SENTENCE_SPLIT.split(text) if s.strip()]
    units = []  # (clause text, clause concepts, negated, sentence concepts)
    for s in sentences:
        s_heard = concepts_heard(concepts, s)
        for c in CLAUSE_SPLIT.split(s):
            if not c.strip():
                continue
            toks = textnorm.tokens(c)
            # Longest phrases first, each word used once: "without labels" is no-labels, not labels.
            # (the longest phrase wins; then an exact match over one with a word inserted; then the earlier)
            candidates = sorted((-len(textnorm.tokens(p)), len(span), span.start, name, span)
                                for name, phrases in concepts.items() for p in phrases
                                for span in _spans(textnorm.tokens(p), toks))
            covered_idx, found, taken = set(), {}, set()
            for _, _, _, name, span in candidates:
                # the same words may name several concepts ("bleu" is both a generation metric and BLEU)
                if span in taken or not covered_idx.intersection(span):
                    found.setdefault(name, set()).add(span)
                    covered_idx.update(span)
                    taken.add(span)
            # "and" outside a concept's phrase ("between zero and one" is one phrase) separates facts;
            # "or" mostly joins synonyms ("L2 or ridge"), so it does not.
            cuts = [i for i, t in enumerate(toks) if split_and and t == "and" and i not in covered_idx]
            for lo, hi in zip([0] + [i + 1 for i in cuts], cuts + [len(toks)]):
                part = {n: {sp for sp in spans if lo <= sp.start and sp.stop <= hi} for n, spans in found.items()}
                part = {n: spans for n, spans in part.items() if spans}
                negated = any(t in NEGATION_WORDS for i, t in enumerate(toks[lo:hi], lo) if i not in covered_idx)
                marks = [i for i, t in enumerate(toks[lo:hi], lo) if t in FORWARD_NEGATION and i not in covered_idx]
                if marks:  # only the concepts after the first "instead"/"rather" are denied
                    denied = {n for n, spans in part.items() if all(sp.start > marks[0] for sp in spans)}
                    negated = negated or denied
                if hi > lo:
                    units.append((" ".join(toks[lo:hi]), part, negated, s_heard))
    out = []
    for kp in q["key_points"]:
        status, where = "missed", ""
        for c, found, negated, s_heard in units:
            # A clause that also states a correct relation of the point is ambiguous ("CNNs use batch
            # norm and transformers layer norm"): no mistake is called there.
            fired = [m for m in kp.get("mistakes") or [] if set(m["claim"]) <= found.keys()]
            states = suppress and any(_other_words(cl, m["claim"], found)
                                      for cl in kp.get("claims") or [] if len(cl) > 1 for m in fired)
            def denies(concepts):
                return negated is True or (isinstance(negated, set) and bool(set(concepts) & negated))
            if any(not denies(m["claim"]) for m in fired) and not states:
                status, where = "incorrect", c
                break
            if any(set(cl) <= found.keys() and denies(cl) for cl in kp.get("claims") or []):
                status, where = "incorrect", c
                break
        if status == "missed":
            for c, found, negated, s_heard in units:
                if any(set(cl) <= s_heard for cl in kp.get("claims") or []):
                    status, where = "covered", c
                    break
            else:
                for c, found, negated, s_heard in units:
                    if any(len(cl) > 1 and set(cl) & found.keys() for cl in kp.get("claims") or []):
                        status, where = "partly", c
                        break
        out.append((kp["label"], status, where))
    return out


def check(path: Path, verbose: bool) -> int:
    bank = yaml.safe_load(path.read_text())
    problems: list[str] = []
    bank_concepts = bank.get("concepts") or {}
    stats = dict(questions=0, with_claims=0, points=0, claims=0, mistakes=0, concepts=len(bank_concepts))
    for name, phrases in bank_concepts.items():
        for p in phrases or [None]:
            if p is None or not 1 <= len(str(p).split()) <= 5:
                problems.append(f"bank concept {name}: phrase {p!r} is not 1-5 words")
    uncovered: list[str] = []
    fired: list[str] = []
    for q in bank["questions"]:
        qid = q["id"]
        stats["questions"] += 1
        # "number" is built into the engine (any quantity); the stand-in matcher never hears it
        concepts = {"number": [], **bank_concepts, **(q.get("concepts") or {})}
        stats["concepts"] += len(q.get("concepts") or {})
        for name, phrases in (q.get("concepts") or {}).items():
            if not phrases:
                problems.append(f"{qid}: concept {name} has no phrases")
        for name, phrases in (q.get("concepts") or {}).items():
            for p in phrases:
                if not 1 <= len(str(p).split()) <= 5:
                    problems.append(f"{qid}: concept {name} phrase {p!r} is not 1-5 words")
        has_all = True
        sentences = [s for s in SENTENCE_SPLIT.split(q.get("answer", "")) if s.strip()]
        clauses = [c for s in sentences for c in CLAUSE_SPLIT.split(s) if c.strip()]
        sent_heard = [concepts_heard(concepts, s) for s in sentences]
        clause_heard = [concepts_heard(concepts, c) for c in clauses]
        for kp in q["key_points"]:
            stats["points"] += 1
            claims = kp.get("claims") or []
            if not claims:
                has_all = False
                problems.append(f"{qid}: key point {kp['label']!r} has no claims")
            stats["claims"] += len(claims)
            for claim in claims:
                for c in claim:
                    if c not in concepts:
                        problems.append(f"{qid}: claim names undefined concept {c!r} ({kp['label']})")
            for m in kp.get("mistakes") or []:
                stats["mistakes"] += 1
                claim = m.get("claim") or []
                if not m.get("correction"):
                    problems.append(f"{qid}: mistake {claim} has no correction")
                for c in claim:
                    if c not in concepts:
                        problems.append(f"{qid}: mistake names undefined concept {c!r} ({kp['label']})")
                for good in claims:
                    if set(claim) <= set(good):
                        problems.append(f"{qid}: mistake {claim} is a subset of claim {good} ({kp['label']})")
                for i, h in enumerate(clause_heard):
                    if set(claim) <= h and not NEGATION.search(clauses[i]):
                        fired.append(f"{qid}: mistake {claim} fires on the reference answer: {clauses[i].strip()!r}")
            if claims and not any(set(c) <= h for c in claims for h in sent_heard):
                uncovered.append(f"{qid}: reference answer states no claim of {kp['label']!r}")
        stats["with_claims"] += has_all
        for label, status, where in judge(q, bank_concepts, q["question"]):
            if status in ("covered", "incorrect"):
                problems.append(f"{qid}: repeating the question makes {label!r} {status} ({where!r})")
    for p in problems:
        print("PROBLEM", p)
    for f in fired:
        print("FIRES  ", f)
    if verbose:
        for u in uncovered:
            print("note   ", u)
    print(", ".join(f"{k} {v}" for k, v in stats.items()),
          f"| reference answers miss {len(uncovered)} points (simple matcher), mistakes firing on them {len(fired)}")
    return 1 if problems else 0


def demo(path: Path, qid: str, text: str) -> None:
    bank = yaml.safe_load(path.read_text())
    q = next(q for q in bank["questions"] if q["id"] == qid)
    for label, status, where in judge(q, bank.get("concepts") or {}, text):
        print(f"  {status:9} {label}" + (f"   <- {where!r}" if where else ""))


def _engine_judge(path: Path):
    """The app's own judge (mockinterviewer.core, once it reads claims), in judge()'s shape."""
    sys.path.insert(0, str(ROOT))
    from mockinterviewer.core.bank import load_bank
    from mockinterviewer.core.scoring import score_answer
    from mockinterviewer.core.transcript import Transcript
    loaded = {q.id: q for q in load_bank(path).questions}

    def run(q: dict, _bank_concepts, text: str, *_):
        result = score_answer(loaded[q["id"]], Transcript.typed(text))
        return [(k.label, k.status, k.evidence.text if k.evidence else "") for k in result.key_points]
    return run


def samples(path: Path, samples_path: Path, suppress: bool, split_and: bool, engine: bool = False) -> int:
    """Read bench/claims_samples.yaml: "incorrect" on an `ok` answer is a false flag (exit 1).
    With ``engine``, the answers are scored by the app itself instead of the stand-in."""
    bank = yaml.safe_load(path.read_text())
    questions = {q["id"]: q for q in bank["questions"]}
    judge = _engine_judge(path) if engine else globals()["judge"]
    false_flags = flagged = credited = 0
    for s in yaml.safe_load(samples_path.read_text()):
        q = questions[s["id"]]
        for text in [s["ok"], *s.get("also_ok", [])]:
            for label, status, where in judge(q, bank.get("concepts") or {}, text, suppress, split_and):
                if status == "incorrect":
                    false_flags += 1
                    print(f"FALSE FLAG {s['id']}: {label!r} <- {where!r}")
        for text in [s["bad"], *s.get("also_bad", [])]:
            bad = judge(q, bank.get("concepts") or {}, text, suppress, split_and)
            flagged += any(status == "incorrect" for _, status, _ in bad)
            credited += sum(status == "covered" for _, status, _ in bad)
            if not any(status == "incorrect" for _, status, _ in bad) and q.get("category") != "behavioural":
                print(f"not caught {s['id']}: {text!r}")
    print(f"false 'incorrect' flags on correct samples: {false_flags}; wrong samples with a flag: {flagged}; "
          f"points still covered in wrong samples: {credited}")
    return 1 if false_flags else 0


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "--judge":  # --judge QUESTION_ID "answer text"
        demo(ROOT / "questions" / "ml-engineer.yaml", sys.argv[2], sys.argv[3])
        sys.exit(0)
    if len(sys.argv) >= 2 and sys.argv[1] == "--samples":
        sys.exit(samples(ROOT / "questions" / "ml-engineer.yaml", ROOT / "bench" / "claims_samples.yaml",
                         "--no-suppress" not in sys.argv, "--no-and" not in sys.argv, "--engine" in sys.argv))
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    sys.exit(check(Path(args[0]) if args else ROOT / "questions" / "ml-engineer.yaml", "-v" in sys.argv))
