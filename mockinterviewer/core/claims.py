"""Judging key points as claims: was the point stated, stated wrongly, or only touched on?

A key point's ``claims`` name concepts (each with its own spoken phrases) that must be heard
together in one stretch of the answer, in any order; its ``mistakes`` are wrong claims
candidates make. The answer is cut into sentences, and sentences into clauses at commas and at
words that open a clause ("but", "while", "because", "so", ...): negation reaches to the end
of its clause. A claim may join clauses linked by a comma, "so" or "because" ("If the model is
too simple, it underfits"), but not across a contrast ("while", "but", "whereas") or past a
claim already complete, so that "L1 gives sparse weights and L2 shrinks them" pairs each norm
with its own effect. A concept heard in the scope of a negation or contrast cue ("without early
stopping", "remove dropout", "validation loss does not matter", "L2 makes it worse") is heard
*negated*; two cues over one mention cancel ("removing dropout hurts"). Cues inside a concept's
own phrase ("not reliable" as a phrase of *misleading*) and in conditional clauses ("if you
don't use dropout, the network overfits") do not negate. What the clause says about a term
negates it too: a harm it does ("containers slow the model down"), a harm denied ("skew isn't a
risk"), impossible or someone else's job, "always the right" other thing, a rejection of a
pronoun that stands for it ("so you can skip it"). docs/scoring.md gives the rules.

No Qt, no model: plain rules over the fuzzy matcher of ``core/matching``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from mockinterviewer.core.bank import KeyPoint, Mistake, Question
from mockinterviewer.core.matching import Evidence, Tokens, find_all, stem_key

COVERED, PARTLY, INCORRECT, MISSED = "covered", "partly", "incorrect", "missed"
CREDIT = {COVERED: 1.0, PARTLY: 0.5, INCORRECT: 0.0, MISSED: 0.0}
# Which part of a claim earns "partly": "any" concept of it, or only a "distinct" one, a concept
# no other point's claims use and the question itself does not name, so that an answer that only
# uses the topic's terms (the subjects every point shares, the question's own words) earns nothing.
PARTLY_RULE = "distinct"
# Whether a point's label or phrasing heard alone (no concept of a claim) earns "partly".
PARTLY_FROM_PHRASINGS = False
# What "partly" earns (CREDIT keeps the default, for readers of stored results).
PARTLY_CREDIT = 0.5
# A point whose concepts are heard negated as often as not was said and taken back: "yes", "no",
# or only when the "last" mention is the negated one (chosen split-half: docs/scoring.md).
TAKEN_BACK_TIES = "yes"


def credit(status: str) -> float:
    return PARTLY_CREDIT if status == PARTLY else CREDIT[status]

# --- clauses ---------------------------------------------------------------------------------
_ABBREVIATIONS = {"e.g.", "i.e.", "etc.", "vs.", "eg.", "ie.", "approx.", "dr.", "mr.", "ms."}
# A word that opens a new clause (it belongs to the new one).
_OPENERS = frozenset("but while whilst whereas however although though yet unlike because since so unless if when "
                     "whenever otherwise therefore versus vs where".split())
# After a comma, these carry the clause on: "L1 adds absolute values, which drives weights to zero".
_CONTINUERS = frozenset("which that who whose meaning thus hence giving making pushing driving leading causing "
                        "forcing keeping shrinking setting".split())
_MAIN_CLAUSE = frozenset("id youd wed theyd then".split())  # where a condition without a comma ends
_CONDITIONAL = frozenset("if unless when whenever otherwise once".split())
# "X is when Y" defines X: "when" after a copula opens no clause and no condition.
_DEFINING = frozenset({"when", "whenever", "where"})  # "overfitting is where the model memorises"
_COPULAS = frozenset("is are was were its thats means mean happens happen occurs occur arises arise".split())
_DETERMINERS = frozenset("the a an its their plain standard vanilla classic".split())
# Opening words after which a claim does not go on: a contrast.
_CONTRAST = frozenset("but while whilst whereas however although though yet unlike".split())

# --- negation and contrast cues ----------------------------------------------------------------
# A restriction that denies the general use: "convolutions are only needed for video".
ONLY_RESTRICTIONS = ("only needed for", "only needed when", "only needed if", "only works if", "only works when",
                     "only work if", "only work when", "only happens when", "only happens if", "only useful for",
                     "only useful when", "only matters for", "only matters when", "only helps when",
                     "only helps if", "only helps for")
# (tokens, scope): "after" = to the end of the clause; "near" = the next 3 tokens;
# "before" = from the start of the clause; "both" = the whole clause.
_CUES: list[tuple[tuple[str, ...], str]] = sorted([
    *(((w,), "after") for w in "not no never without dont doesnt didnt cannot cant shouldnt wont isnt arent nor "
                                "wouldnt couldnt wasnt werent hasnt havent hadnt mustnt neednt "
                                "neither remove removes removing avoid avoids avoiding skip skips skipping "
                                "disable disabling eliminate forget forgets forgetting ignore ignores ignoring "
                                "neglect neglects neglecting".split()),
    *((tuple(p.split()), "after") for p in ("instead of", "rather than", "better than", "no need for", "no need to",
                                             "get rid of", "do away with", "stop using", "turn off", "switch off",
                                             "leave out", "not use", "do not use", "do not need", "dont need")),
    *(((w,), "near") for w in ("less", "fewer", "little")),  # "little" only after "very", "needs", ...: see _cues
    *((tuple(p.split()), "near") for p in ("hardly any", "barely any")),
    *(((w,), "before") for w in "unnecessary useless irrelevant pointless harmful counterproductive overrated".split()),
    # advice against what came before: "dropout should not be used" (but "is not used at test time" is a fact)
    *((tuple(p.split()), "before") for p in ("should not be used", "shouldnt be used", "must not be used",
                                             "should never be used", "should be avoided", "should be removed",
                                             "is a bad idea", "is not a good idea", "isnt a good idea")),
    *(((w,), "before") for w in ("hurts", "harms", "hurt", "harm")),  # "dropout hurts", not "hurt by noise"
    # the other ways of saying it does harm: "patience only wastes time", "augmentation only confuses the network"
    *((tuple(p.split()), "before") for p in ("wastes time", "waste of time", "a waste", "bad practice",
                                             "is a mistake", "only confuses")),
    # what came before is worthless: "the distribution of predictions tells you nothing"
    *((tuple(p.split()), "before") for p in ("tells you nothing", "tell you nothing", "says nothing",
                                             "does nothing", "do nothing", "adds nothing", "add nothing",
                                             "has no effect", "have no effect", "makes no difference",
                                             "make no difference", "harder to train", "is overkill",
                                             "are overkill", "is outdated", "are outdated", "is obsolete",
                                             "are obsolete", "is a myth")),
    # nobody does it: "nobody uses GRUs any more"
    *((tuple(p.split()), "after") for p in ("nobody uses", "no one uses", "nobody needs", "no one needs",
                                            "nobody does", "no one does")),
    # nobody did it: "nobody really measured it", "nobody has annotated anything" (its verb only:
    # "... and the algorithm discovers groupings" is said positively, commas or not)
    *(((w,), "near") for w in ("nobody", "noone")), (("no", "one"), "near"),
    *((tuple(p.split()), "before") for p in ONLY_RESTRICTIONS),
    (("worse",), "both"),
], key=lambda c: -len(c[0]))
# Of those, the ones that say what came before does harm, which is no denial of a harm: "training
# serving skew should be avoided", "leakage is harmful", "overfitting hurts" state the point.
_HARMFUL_CUES = frozenset(tuple(p.split()) for p in (
    "harmful", "counterproductive", "should be avoided", "is a bad idea", "is not a good idea", "isnt a good idea",
    "hurts", "harms", "hurt", "harm", "bad practice", "is a mistake"))
_CUES_BY_FIRST: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _cue in _CUES:  # looked up by a token, longest cue first
    _CUES_BY_FIRST.setdefault(_cue[0][0], []).append(_cue)
# "not" and kin followed closely by one of these state that what came before is unneeded.
_GENERIC = frozenset("not no never dont doesnt didnt isnt arent wont wouldnt couldnt wasnt werent cant cannot "
                     "hasnt havent hadnt shouldnt".split())
_UNNEEDED = frozenset("matter matters needed necessary important useful helpful help helps required relevant "
                      "work works effective acceptable ok okay fine appropriate advisable recommended worth wise "
                      "idea".split())
# "not only X but also Y", "not just": not a negation.
_NOT_NEGATING = frozenset({("not", "only"), ("not", "just"), ("not", "necessarily"), ("no", "matter"),
                           ("no", "doubt"), ("no", "wonder"), ("not", "surprisingly"), ("not", "least"),
                           # a hedge, not a denial: "you don't always need a test set"
                           ("not", "always"), ("dont", "always"), ("doesnt", "always"), ("isnt", "always"),
                           ("arent", "always"), ("not", "all"), ("not", "every"),
                           ("no", "idea"),  # "no idea why it works" is about knowing, not the thing
                           # a limit, not a denial: "for curved manifolds PCA is not enough and UMAP helps"
                           ("not", "enough"), ("isnt", "enough"), ("arent", "enough"), ("never", "enough")})
# Avoiding a harm is advice, not a negation: "helps avoid overfitting", "without overfitting".
_HARMS = frozenset("overfitting overfit overfits underfitting underfit leakage noise errors mistakes bias variance "
                   "drift skew problem problems issue issues redundant redundancy duplicates".split())
_HARM_EXEMPT = frozenset("avoid avoids avoiding without less fewer remove removes removing eliminate eliminates "
                         "eliminating".split())
_HARM_VERBS = frozenset("hurt hurts harm harms".split())
_UNSEEN = frozenset("seen see know knows known encountered met".split())
_WASTE = frozenset("burn burns waste wastes lose squander".split())
_RARELY = frozenset("rarely seldom hardly".split())
_LITTLE_AFTER = frozenset("very so too need needs needed require requires required take takes only".split())

# --- what a clause says about a term (its stance) ------------------------------------------------
# Evaluative predicates that take a concept as their subject (the clause before them) or object
# (what follows): a term heard in such a clause is heard *negated*, like one after "not". Kinds:
# "harmful" predicates say their subject does harm ("containers slow the model down", "sample
# weights make the model worse", "it just adds noise"), and do not cover a term that names a harm
# itself ("skew makes the model worse" is right); "dismissive" ones say a harm is none ("skew
# isn't a risk", "a skewed target is good") and cover only such terms; the rest cover any term.
# Words that make a term name a harm, a problem to avoid rather than a practice to follow:
_HARM_WORDS = frozenset("overfitting overfit overfits underfitting underfit leakage leak leaks leaking noise noisy "
                        "skew skewed drift imbalance imbalanced mismatch vanishing exploding outliers problem problems "
                        "issue issues errors mistakes redundancy duplicates degradation degrades collapse".split())
# Harms that are also plain facts of data and models: not denied by "... is fine".
_PLAIN_HARMS = frozenset("noise noisy errors mistakes problem problems issue issues".split())
# ... unless the term's words, or the two before them, avert it: "prevents overfitting", "no skew".
_AVERTING = frozenset("avoid avoids avoiding prevent prevents preventing reduce reduces reducing less fewer no "
                      "without against fix fixes fixing correct corrects correcting stop stops fight combat cure "
                      "catch catches detect detects eliminate eliminates remove removes handle handles solve "
                      "solves".split())
# "X isn't a risk", "is no problem", "is never an issue": after a negation, within three words.
_NO_HARM = frozenset("risk risks problem problems concern concerns issue issues danger threat worry".split())
_NO_HARM_BETWEEN = frozenset("a an any really real much of big serious major".split())
# A copula that a negation of ``_NO_HARM`` or "exist" must follow or be: the harm is denied.
_NEG_COPULAS = frozenset("isnt arent wasnt werent".split())
_COPULAS_BEFORE_NOT = frozenset("is are was were its thats theyre".split())
# Praise of a harm: "a skewed target ..., which is good", "overfitting is fine", "drift is harmless".
_HARMLESS = tuple(tuple(p.split()) for p in (
    "is good", "is fine", "is okay", "is ok", "is harmless", "are harmless", "are good", "are fine", "is a good thing",
    "which is good", "which is fine", "thats good", "thats fine", "is not real", "isnt real", "doesnt exist",
    "dont exist", "does not exist", "do not exist", "doesnt really exist", "dont really exist",
    "does not really exist"))
# ... unless the sentence says when: "with a shared feature pipeline, skew isn't a problem" is right.
_QUALIFIERS = frozenset("if once when with thanks because since after unless provided".split())
# A belittling adverb and what the subject then does: "canary releases just delay the launch",
# "breaking the error down by range just adds noise"; "adds" only with a harm ("dropout adds
# noise to the activations" is how it works, "just adds complexity" dismisses it).
_BELITTLING = frozenset("just only merely simply".split())
_HARMFUL_VERBS = frozenset("delay delays delaying slows slow complicates complicate overcomplicates confuse "
                           "confuses distracts distract bloats clutters wastes waste inflates hides".split())
_ADDS = frozenset("add adds adding".split())
# A cost conceded is no rejection: "although it slows training", "..., but it helps", "worth it".
_CONCESSIVE = frozenset("although though while whilst even albeit".split())
_WORTH = frozenset("help helps helped helpful useful worth worthwhile benefit benefits pays acceptable tradeoff "
                   "reduces reduce prevents prevent improves improve fixes fix cuts stabilises stabilizes "
                   "regularises regularizes protects".split())
# A cost made small is conceded too: "delays the launch by a day", "slows it down slightly".
_SMALL = frozenset("slightly bit little marginally somewhat".split())
_ADDED_HARMS = frozenset("noise complexity overhead latency confusion clutter cost costs bloat bureaucracy".split())
_CAUSATIVE = frozenset("make makes made making".split())  # "X makes the model worse (on them)"
_SLOW = frozenset("slow slows slowed slowing".split())    # "X slows the model down"
# ... but a setting said to slow things ("a very small learning rate slows training down") is a fact.
_DEGREE = frozenset("small smaller large larger big bigger high higher low lower tiny huge too very many few "
                    "more less deep deeper".split())
# Impossible, or someone else's business: what comes before is not the candidate's to do.
_IMPOSSIBLE = tuple(tuple(p.split()) for p in (
    "is impossible", "are impossible", "isnt possible", "is not possible", "arent possible", "are not possible",
    "cant be done", "cannot be done", "doesnt apply", "does not apply", "dont apply", "do not apply",
    "is nice to have", "are nice to have", "just nice to have", "a nice to have", "teams job", "teams responsibility",
    "teams problem", "teams concern", "elses job", "elses problem", "elses responsibility", "not my job", "not our job",
    "not my problem", "not our problem", "not my responsibility", "not our responsibility", "someone elses",
    "somebody elses"))
# "impossible to resample a continuous target": what follows is denied.
_IMPOSSIBLE_TO = tuple(tuple(p.split()) for p in ("impossible to", "not possible to", "no way to", "little reason to",
                                                   "no reason to", "little point in", "little point to",
                                                   "little need for", "little need to"))
# Rejected in the passive: "experiment tracking can safely be skipped" (not "is ignored by", a report).
_PASSIVE_REJECTED = frozenset("skipped ignored omitted neglected".split())
_PASSIVE_BE = frozenset("be been being is are was were get gets".split())
# An absolute that denies a choice over what follows: "MSE is always the right loss function".
_ALWAYS_RIGHT = frozenset("right best correct optimal ideal proper only".split())
# A rejection said of a pronoun ("you can usually skip it", "it's only useful for ...") is said of
# the term heard before it in the sentence (see ``Analysis._pronoun_referents``).
_PRONOUNS_AFTER = frozenset("it them this that those these".split())
_PRONOUNS_BEFORE = frozenset("it they theyre its this that these those".split())
# The phrase lists above by their first word, longest first (_stance looks at every token).
_BY_FIRST: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _list, _name in ((_HARMLESS, "harmless"), (_IMPOSSIBLE, "impossible"), (_IMPOSSIBLE_TO, "impossible to")):
    for _words in _list:
        _BY_FIRST.setdefault(_words[0], []).append((_words, _name))
# A rejection of a pronoun said for a situation limits it: "at inference you skip it".
_SITUATIONS = frozenset("at during when once after before".split())
# "it doesn't matter whether ...": about a choice that follows, not about what came before.
_CHOICE = frozenset("which whether how if what when".split())

# --- built-in concepts ---------------------------------------------------------------------------
NUMBER_WORDS = frozenset("zero two three four five six seven eight nine ten eleven twelve thirteen fourteen "
                         "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
                         "eighty ninety hundred thousand million billion percent percentage half twice double "
                         "doubled triple tripled halved tenfold quarter thirds".split())
_NUMBER_JOINERS = frozenset({"one", "point", "x", "times", "and"})  # inside a number: "one hundred", "two point five"


def _bare(word: str) -> str:
    return word.lower().strip("\"'“‘”’(),.;:!?").replace("'", "").replace("’", "")


def _ends_clause(word: str) -> bool:
    """The word ends a clause or sentence (a comma or stop after it)."""
    return word.rstrip("\"'”’)]").endswith((",", ".", "!", "?", ";", ":"))


# A short sentence that names what the one before it described ("Of all the alarms it raised,
# what fraction were real? That's precision."): the two are one stretch for a claim.
_NAMING = (("thats",), ("that", "is"), ("this", "is"), ("thiss",), ("its", "called"), ("this", "is", "called"),
           ("that", "is", "called"), ("thats", "called"), ("we", "call", "that"), ("we", "call", "this"),
           ("that", "is", "known", "as"), ("this", "is", "known", "as"), ("thats", "known", "as"))
_NAMING_WORDS = 4  # at most this many words named, up to the next comma or stop


def _names_what_came_before(words: list[str], i: int) -> bool:
    """The sentence opening at transcript word ``i`` is "That's X" (X a few words): it names
    what the sentence before it said."""
    for cue in sorted(_NAMING, key=len, reverse=True):
        if tuple(_bare(w) for w in words[i:i + len(cue)]) == cue:
            named = words[i + len(cue):i + len(cue) + _NAMING_WORDS + 1]
            return bool(named) and any(_ends_clause(w) for w in named[:_NAMING_WORDS]) or \
                len(named) <= _NAMING_WORDS
    return False


@dataclass(frozen=True)
class Mention:
    concept: str
    start: int          # tokens
    end: int
    similarity: float
    clause: int
    negated: bool = False
    cue: tuple[int, int] | None = None  # the cue that negates it, for the quote
    cues: tuple[tuple[int, int], ...] = ()  # every cue over it
    span: int = 0       # the stretch a claim must be heard in
    by_pronoun: bool = False  # negated only by a later clause's rejection of a pronoun ("so skip it")


@dataclass(frozen=True)
class Verdict:
    status: str
    evidence: Evidence | None
    similarity: float       # of the words matched, 0-100
    probability: float      # Whisper's mean confidence in them
    correction: str = ""


_AS_WRITTEN = "\0"  # marks a phrase to be matched as written; normalisation drops it


class Analysis:
    """One answer read for one question: its clauses, concept mentions and their polarity."""

    def __init__(self, toks: Tokens, concepts: dict[str, tuple[str, ...]], statements=(), points=(),
                 exact: frozenset[str] = frozenset()):
        self.toks = toks
        self.concepts = concepts
        self.clause_of = self._clauses()
        found: list[Mention] = []
        # Every phrase of every concept, label and phrasing, matched in one batch; the concepts of
        # wrong claims (``exact``) only as written, never in another inflection: a candidate is told
        # they are wrong only for words they said.
        # (a phrase a right concept shares with a wrong one is looked up twice, once as written)
        as_written = {n: tuple(p + _AS_WRITTEN for p in ps) for n, ps in concepts.items() if n in exact}
        heard = find_all([p for n, ps in concepts.items() for p in as_written.get(n, ps)]
                         + [phrase for p in points for phrase in (p.label, *p.phrasings)], toks,
                         exact=frozenset(p for ps in as_written.values() for p in ps))
        for name, phrases in concepts.items():
            found += self._find_concept(name, as_written.get(name, phrases), heard)
        lexical = [[(m.start, m.end, m.similarity) for phrase in (p.label, *p.phrasings) for m in heard[phrase]]
                   for p in points]
        spans = [(m.start, m.end) for m in found] + [(s, e) for ms in lexical for s, e, _ in ms]
        self.statements = [tuple(st) for st in statements]
        self.right = [tuple(c) for p in points for c in p.claims]  # of the points, not their mistakes
        self.wrong = [tuple(m.claim) for p in points for m in p.mistakes]
        # what several points' relations are about (the LSTM, the GRU), not a property of one of them
        uses = [{c for claim in p.claims if len(claim) > 1 for c in claim} for p in points]
        self.subjects = {c for c in set().union(*uses) if sum(c in u for u in uses) > 1}
        self._wrong_spots: set[int] | None = None  # tokens of the wrong statements heard
        self.span_of = self._claim_spans(found, statements)
        self.conditional = self._conditional_clauses()
        self._phrases = spans  # every concept phrase and phrasing heard, (start, end)
        self.cues = self._cues(spans)
        self._referred = self._pronoun_referents(found)
        self.mentions: dict[str, list[Mention]] = {}
        for m in sorted(found, key=lambda m: m.start):  # in the order spoken: the first is quoted
            self.mentions.setdefault(m.concept, []).append(self._read(m.concept, m.start, m.end, m.similarity))
        self.lexical = [[self._read("", s, e, sim) for s, e, sim in ms] for ms in lexical]

    def _read(self, concept: str, start: int, end: int, similarity: float) -> Mention:
        clause = self.clause_of[start]
        cues = self._covering(start, end, clause)
        by_pronoun = False
        if len(cues) % 2 == 0:  # said again of a pronoun in a later clause: a repetition, not a second negation
            referred = [c for c in self._referred.get((start, end), ()) if self._applies(c, start, end)][:1]
            cues, by_pronoun = cues + referred, bool(referred)
        return Mention(concept, start, end, similarity, clause, len(cues) % 2 == 1, cues[0] if cues else None,
                       tuple(cues), self.span_of[start], by_pronoun)

    # -- structure
    def _clauses(self) -> list[int]:
        """The clause index of each token, from the punctuation and opening words of the transcript words."""
        toks, clause_of = self.toks, []
        words = toks.words
        starts: set[int] = set()  # transcript words that open a clause
        self._hard: set[int] = set()  # ... that open a sentence or a contrast: no claim reaches across
        self._asides: dict[int, int] = {}  # transcript words: where an aside starts -> where it ends
        in_condition, unlike = False, None
        for i, word in enumerate(words):
            bare = word.rstrip("\"'”’)]")
            if i + 1 < len(words):
                nxt = words[i + 1].lower().strip("\"'“‘(,.;:")
                if bare.endswith((".", "!", "?", ";")) and bare.lower() not in _ABBREVIATIONS:
                    starts.add(i + 1)
                    if not _names_what_came_before(words, i + 1):
                        self._hard.add(i + 1)
                elif bare.endswith((",", ":", "—", "–")) or word in ("-", "—", "–"):
                    if nxt not in _CONTINUERS:
                        starts.add(i + 1)
                    if unlike is not None:  # "Unlike L2, L1 drives weights to zero": L2 is only contrasted
                        if unlike in self._asides:
                            self._asides[unlike] = i + 1
                        else:
                            self._hard.add(i + 1)
                        unlike = None
            opener = word.lower().strip("\"'“‘(,.;:")
            if opener == "unlike":
                unlike = i
                if i and _ends_clause(words[i - 1]) and not words[i - 1].rstrip("\"'”’)]").endswith((".", "!", "?", ";")):
                    self._asides[i] = len(words)  # "L1, unlike L2, drives ...": an aside, skipped over
                elif i and not _ends_clause(words[i - 1]) and i - max((s for s in starts if s <= i), default=0) <= 3:
                    # said without commas after the subject ("the GRU unlike the LSTM has two gates"):
                    # the aside is what it contrasts, a determiner and a word
                    j = i + 1
                    while j < len(words) - 1 and _bare(words[j]) in _DETERMINERS:
                        j += 1
                    if j + 1 < len(words) and not _ends_clause(words[j]) and _bare(words[j + 1]) not in _CONTINUERS:
                        self._asides[i] = j + 1
                        starts.add(j + 1)
                        unlike = None
                elif not i or words[i - 1].rstrip("\"'”’)]").endswith((".", "!", "?", ";")):
                    # "Unlike the LSTM the GRU has two gates": the main clause's subject opens with
                    # its own determiner, a few words on, before any comma
                    k = i + 1 + (i + 1 < len(words) and _bare(words[i + 1]) in _DETERMINERS)
                    for j in range(k + 1, min(k + 3, len(words) - 1)):
                        if _ends_clause(words[j - 1]):
                            break
                        if _bare(words[j]) in ("the", "a", "an"):
                            self._asides[i] = j
                            starts.add(j)
                            unlike = None
                            break
            if i and opener in _DEFINING and _bare(words[i - 1]) in _COPULAS and not _ends_clause(words[i - 1]):
                continue  # "underfitting is when the model is too simple": a definition, not a condition
            if i and opener in _OPENERS:
                starts.add(i)
                if opener in _CONTRAST:
                    self._hard.add(i)
            if opener in _CONDITIONAL:
                in_condition = True
            elif i in starts and i - 1 not in starts:
                in_condition = False
            # "if I wrote it in NumPy I'd skip the check": the main clause opens at "I'd" without a comma
            if in_condition and _bare(word) in _MAIN_CLAUSE and i not in starts:
                starts.add(i)
                in_condition = False
        for i in self._asides:
            self._hard.discard(i)
        clause_of_word, clause = [], 0
        for i in range(len(words)):
            clause += i in starts
            clause_of_word.append(clause)
        return [clause_of_word[w] for w in toks.word_of]

    def _claim_spans(self, found: list[Mention], statements) -> list[int]:
        """The stretch of each token a claim must be heard in: a sentence, cut at contrasts, and at
        a clause boundary or "and"/"or" once a whole claim (or mistake) of several concepts was
        heard before it, so that its concepts do not pair with the next clause's."""
        multi = [set(s) for s in statements if len(s) > 1]
        rivals = self.rivals = _rivals(multi)
        starts_at = {m.start: m for m in found}
        toks, word_of, clause_of = self.toks.tokens, self.toks.word_of, self.clause_of
        span_of, span, start, last, sentence = [], 0, 0, 0, 0
        aside_ends: dict[int, tuple[int, int]] = {}  # where an aside ends -> the stretch to go on with
        for i, tok in enumerate(toks):
            new_word = i and word_of[i] != word_of[i - 1]
            if new_word and word_of[i] in aside_ends:
                span, start = aside_ends.pop(word_of[i])
            elif (i == 0 or new_word) and word_of[i] in self._asides:
                # "L1, unlike L2, drives weights to zero": the aside is a stretch of its own, and
                # what follows it goes on with what came before
                aside_ends[self._asides[word_of[i]]] = (span, start)
                last = max(last, span) + 1
                span, start = last, i
                span_of.append(span)
                continue
            if new_word and word_of[i] in self._hard:
                last = max(last, span) + 1
                span, start, sentence = last, i, i
            elif i > start and multi and (clause_of[i] != clause_of[i - 1] or tok in ("and", "or")):
                before = {m.concept for m in found if start <= m.start and m.end <= i}
                if any(s <= before for s in multi) and any(m.start >= i for m in found):
                    last = max(last, span) + 1
                    span, start = last, i
                elif (len(before) > 1 or before and self._unpunctuated(sentence, i)) and self._new_subject(
                        i, starts_at, before, rivals, {m.concept for m in found if sentence <= m.start and m.end <= i}
                        if self._unpunctuated(sentence, i) else None):
                    last = max(last, span) + 1
                    span, start = last, i
            span_of.append(span)
        return span_of

    def _unpunctuated(self, start: int, end: int) -> bool:
        """No comma or stop between tokens ``start`` and ``end``: said, or transcribed, as one run."""
        word_of = self.toks.word_of
        return not any(_ends_clause(w) for w in self.toks.words[word_of[start]:word_of[end - 1]])

    def _new_subject(self, i: int, starts_at: dict, before: set[str], rivals: dict,
                     in_sentence: set[str] | None) -> bool:
        """A coordinated clause with its own subject starts at token ``i``: "random forests train in
        parallel and boosting sequentially". Its first words (after "and", a determiner, "then
        with") are a concept that plays the same part in some claim as one already said in this
        sentence (a rival: forest and boosting both go with "parallel"), and something follows
        it. ``in_sentence`` is given for a sentence said without commas or stops, where the
        rival may have been said before this stretch ("high bias means it is too simple so it
        underfits and then with high variance it overfits" was cut at "so" already)."""
        toks = self.toks.tokens
        j = i + (toks[i] in ("and", "or"))
        lead = ("the", "a", "an", "its", "their") + (("then", "with", "for", "also", "now") if in_sentence else ())
        while j < len(toks) and j - i < 4 and toks[j] in lead:
            j += 1
        m = starts_at.get(j)
        if m is None or not (rivals.get(m.concept, set()) & (before | (in_sentence or set()))) or m.concept in before:
            return False
        return m.end < len(toks) and self.clause_of[m.end] == self.clause_of[m.start] \
            and self.toks.word_of[m.end] not in self._hard

    def _conditional_clauses(self) -> set[int]:
        """Clauses that state a condition, where a negation explains rather than advises:
        "if you don't use dropout, ...", and a sentence's opening "Without early stopping, ..."."""
        toks, out = self.toks.tokens, set()
        self.if_clauses: set[int] = set()  # ... of them, those opened by "if"
        for i, tok in enumerate(toks):
            opening = i == 0 or self.clause_of[i] != self.clause_of[i - 1]
            if not opening:
                continue
            clause = self.clause_of[i]
            if tok in _CONDITIONAL:
                out.add(clause)
                if tok == "if":
                    self.if_clauses.add(clause)
            elif tok in ("without", "no") and self._sentence_start(i) and clause + 1 in self.clause_of[i:]:
                # followed by another clause of the same sentence
                j = self.clause_of.index(clause + 1, i)
                if not self._sentence_start(j):
                    out.add(clause)
        return out

    def _sentence_start(self, i: int) -> bool:
        if i == 0:
            return True
        prev = self.toks.words[self.toks.word_of[i - 1]].rstrip("\"'”’)]")
        return self.toks.word_of[i] != self.toks.word_of[i - 1] and prev.endswith((".", "!", "?", ";")) \
            and prev.lower() not in _ABBREVIATIONS

    def _cues(self, spans) -> list[tuple[int, int, str]]:
        """(start, end, scope) of every negation cue outside the concepts' own phrases."""
        toks, out, i = self.toks.tokens, [], 0
        self._kinds: dict[tuple[int, int], str] = {}  # a stance cue's kind (see _HARM_WORDS)
        inside = [False] * len(toks)
        for s, e in spans:
            for k in range(s, e):
                inside[k] = True
        nothing_can = None  # the clause of a "no amount of": the removal that follows is denied
        while i < len(toks):
            if toks[i:i + 3] == ["no", "amount", "of"] and not any(inside[i:i + 3]):
                nothing_can = self.clause_of[i]  # "no amount of tuning removes the noise": it stays
                i += 3
                continue
            if toks[i] == "no" and toks[max(0, i - 2):i] == ["yes", "or"]:
                i += 1
                continue  # "a yes or no column" is a binary, not a negation
            if tuple(toks[i:i + 2]) in _NOT_NEGATING:
                i += 2
                continue
            stance = self._stance(i, inside)
            if stance:  # "containers slow the model down", "skew isn't a risk", "is the ops team's job"
                if not (stance[3] in ("harmful", "speed") and self._conceded(i)) and not (
                        stance[3] == "dismissive" and self._qualified(i)):
                    out.append(stance[:3])
                    self._kinds[stance[:2]] = stance[3]
                i = stance[1]
                continue
            if toks[i] in _GENERIC | _RARELY and any(t in _HARM_VERBS for t in toks[i + 1:i + 3]):
                i += 1 + next(k for k, t in enumerate(toks[i + 1:i + 3], 1) if t in _HARM_VERBS)
                continue  # "more data never hurts", "it doesn't hurt": no harm, no negation
            if toks[i] in _GENERIC and any(t in _WASTE for t in toks[i + 1:i + 3]):
                i += 1 + next(k for k, t in enumerate(toks[i + 1:i + 3], 1) if t in _WASTE)
                continue  # "you don't burn GPU hours": not wasting is saving, no negation
            if toks[i] in _GENERIC and any(t in _UNSEEN for t in toks[i + 1:i + 3]):
                i += 1 + next(k for k, t in enumerate(toks[i + 1:i + 3], 1) if t in _UNSEEN)
                continue  # "words it hasn't seen", "words not seen in training": what they are, not a denial
            if toks[i] in _GENERIC or toks[i] in _RARELY:  # "X does not matter", "is rarely needed"
                tail = next((k for k in range(i + 1, min(i + 4, len(toks))) if toks[k] in _UNNEEDED), None)
                if tail is not None and i and toks[i - 1] in ("that", "which"):
                    i = tail + 1  # "epochs that don't help": describes its noun, denies nothing before
                    continue
                if tail is not None and not any(inside[i:tail + 1]):
                    out.append((i, tail + 1, "before"))
                    i = tail + 1
                    continue
            for words, scope in _CUES_BY_FIRST.get(toks[i], ()):
                if tuple(toks[i:i + len(words)]) == words:
                    end = i + len(words)
                    if any(inside[i:end]):
                        break  # part of a concept's phrase
                    # (an adjective may come between: "removes the irreducible noise")
                    if words[-1] in _HARM_EXEMPT and any(t in _HARMS for t in toks[end:end + 3]):
                        break
                    if nothing_can == self.clause_of[i] and scope == "after":
                        nothing_can = None
                        i = end - 1
                        break  # "no amount of X removes Y" denies the removal: Y stays
                    if scope == "before" and toks[end:end + 1] == ["by"]:  # passive: "recall is hurt by"
                        break
                    # "leave out one row at a time" describes a procedure, not advice against it
                    if words == ("leave", "out") and toks[end:end + 1] and (
                            toks[end] in NUMBER_WORDS or toks[end] in ("one", "each", "a", "some")):
                        break
                    # "worse on unseen data" says where it does badly, it judges nothing; "or worse"
                    # ("grows with the square or worse") only says it may be more
                    if words == ("worse",) and (toks[end:end + 1] in (["on"], ["at"]) or toks[i - 1:i] == ["or"]):
                        # ... unless something makes it so: "sample weights make the model worse on them"
                        made = [k for k, t in enumerate(toks[max(0, i - 4):i], max(0, i - 4))
                                if t in _CAUSATIVE and self.clause_of[k] == self.clause_of[i]]
                        if toks[i - 1:i] == ["or"] or self._conceded(i) or not made:
                            break
                        # ... said of what makes it so, not of where ("worse on new data")
                        out.append((made[0], end, "before"))
                        self._kinds[(made[0], end)] = "harmful"
                        i = end - 1
                        break
                    # "needs very little tuning" denies it; "a little tuning" is some, and "with little
                    # data, cross-validation" states a condition
                    if words == ("little",) and (i == 0 or toks[i - 1] not in _LITTLE_AFTER):
                        break
                    out.append((i, end, scope))
                    if words in _HARMFUL_CUES:
                        self._kinds[(i, end)] = "harmful"
                    i = end - 1
                    break
            i += 1
        return out

    def _stance(self, i: int, inside: list[bool]) -> tuple[int, int, str, str] | None:
        """A predicate at token ``i`` that says something about a term before or after it, as
        (start, end, scope, kind): see ``_HARM_WORDS`` and the word lists after it."""
        toks, n = self.toks.tokens, len(self.toks.tokens)
        t = toks[i]

        def at(words: tuple[str, ...]) -> bool:
            return tuple(toks[i:i + len(words)]) == words and not any(inside[i:i + len(words)])

        if inside[i]:
            return None
        if t in _NEG_COPULAS or (t in ("not", "never", "no") and i and toks[i - 1] in _COPULAS_BEFORE_NOT):
            j = i + 1  # "skew isn't a risk", "leakage is never a real problem"
            while j < n and j - i <= 3 and toks[j] in _NO_HARM_BETWEEN:
                j += 1
            if j < n and toks[j] in _NO_HARM and not inside[j]:
                return i, j + 1, "before", "dismissive"
        phrases = _BY_FIRST.get(t, ())
        for words, _ in (p for p in phrases if p[1] == "harmless"):
            if at(words):
                return i, i + len(words), "before", "dismissive"
        if t in _SLOW:  # "containers slow the model down"
            k = next((k for k in range(i + 1, min(i + 5, n)) if toks[k] == "down"), None)
            if k is not None and not inside[k] and all(self.clause_of[j] == self.clause_of[i] for j in range(i, k)):
                return i, k + 1, "before", "speed"
        if t in _BELITTLING and i + 1 < n and not inside[i + 1]:
            if toks[i + 1] in _HARMFUL_VERBS or (
                    toks[i + 1] in _ADDS and any(x in _ADDED_HARMS for x in toks[i + 2:i + 4])):
                return i, i + 2, "before", "harmful"  # "it just adds noise", "canaries only delay the launch"
        for words, _ in (p for p in phrases if p[1] == "impossible"):
            if words[-2:] == ("to", "have") and at(words) and self._endorsed_after(i):
                return None  # "Docker is nice to have, but I mostly rely on Kubernetes": a ranking
            if words[0] == "teams" and toks[i - 1:i] in (["our"], ["my"]):
                continue  # "monitoring is our team's job" is the speaker's own
            if at(words) and toks[i + len(words):i + len(words) + 1] != ["to"]:  # "impossible to": what follows
                # a harm made impossible under a condition is averted: "with a time split, leakage is impossible"
                return i, i + len(words), "before", "practice" if self._qualified(i) else "any"
        for words, _ in (p for p in phrases if p[1] == "impossible to"):
            if at(words):
                return i, i + len(words), "after", "any"
        if t in _PASSIVE_REJECTED and i and toks[i - 1] in _PASSIVE_BE and toks[i + 1:i + 2] != ["by"] \
                and not any(u in _GENERIC for u in toks[max(0, i - 4):i]):
            return i, i + 1, "before", "any"  # "tracking can safely be skipped" (not "can't be ignored")
        if t == "always" and toks[i + 1:i + 2] == ["the"] and i + 2 < n and toks[i + 2] in _ALWAYS_RIGHT \
                and not any(inside[i:i + 3]):
            return i, i + 3, "near", "any"  # "MSE is always the right loss function"
        return None

    def _endorsed_after(self, i: int) -> bool:
        """The sentence of token ``i`` goes on with a contrast that denies nothing ("…, but I rely
        on Kubernetes"), not with one that does ("…, but they're not part of evaluating it")."""
        toks = self.toks.tokens
        for k in range(i + 1, len(toks)):
            if self._sentence_start(k):
                return False
            if self.clause_of[k] != self.clause_of[k - 1] and toks[k] in _CONTRAST:
                clause = self.clause_of[k]
                return not any(toks[j] in _GENERIC for j in range(k, len(toks)) if self.clause_of[j] == clause)
        return False

    def _conceded(self, i: int) -> bool:
        """A cost at token ``i`` is conceded, not held against what it is said of: its clause opens
        with "although", "though", "while", or its sentence goes on with a contrast or a word of
        worth ("dropout slows training down a bit, but it cuts overfitting"; "augmentation just adds
        noise, which is why it helps")."""
        toks, clause = self.toks.tokens, self.clause_of[i]
        if toks[self.clause_of.index(clause)] in _CONCESSIVE:
            return True
        after = toks[i + 1:i + 7]
        if any(t in _SMALL for t in after) or any(
                t == "by" and (u in NUMBER_WORDS or u in ("a", "an", "one")) for t, u in zip(after, after[1:])):
            return True
        for k in range(i + 1, len(toks)):
            if self._sentence_start(k):
                break
            opening = self.clause_of[k] != self.clause_of[k - 1]
            if (opening and toks[k] in _CONTRAST) or toks[k] in _WORTH:
                return True
        return False

    def _qualified(self, i: int) -> bool:
        """The sentence of token ``i`` says under what condition ("as long as", "if", "with", "once", ...)."""
        first = i
        while first > 0 and not self._sentence_start(first):
            first -= 1
        last = next((k for k in range(i + 1, len(self.toks.tokens)) if self._sentence_start(k)), len(self.toks.tokens))
        words = self.toks.tokens[first:last]
        return any(t in _QUALIFIERS for t in words) or any(
            words[k:k + 3] in (["as", "long", "as"], ["so", "long", "as"]) for k in range(len(words)))

    def _applies(self, cue: tuple[int, int], start: int, end: int) -> bool:
        """A stance cue's kind allows it to cover tokens ``start:end``."""
        kind = self._kinds.get(cue, "any")
        if kind == "any":
            return True
        kind = "harmful" if kind == "practice" else kind  # (covers a practice, not a harm)
        if kind == "speed":  # "a very small learning rate slows training down" tells what a setting does
            if any(t in _DEGREE for t in self.toks.tokens[max(0, start - 2):start]):
                return False
            kind = "harmful"
        toks = self.toks.tokens  # (averted in its words or just before them: "prevents drift")
        # a word inside a longer phrase is read with it: the "serving" of "training serving skew"
        start, end = min([start] + [s for s, e in self._phrases if s <= start and end <= e]), \
            max([end] + [e for s, e in self._phrases if s <= start and end <= e])
        averted = any(t in _AVERTING for t in toks[max(0, start - 2):end])
        if kind == "dismissive":  # (noise or errors said to be fine are often right: "the residuals look like noise")
            return not averted and any(t in _HARM_WORDS - _PLAIN_HARMS for t in toks[start:end])
        return averted or not any(t in _HARM_WORDS for t in toks[start:end])

    def _pronoun_referents(self, found: list[Mention]) -> dict[tuple[int, int], list[tuple[int, int]]]:
        """Cues said of a pronoun ("so you can skip it", "it's only useful for ..."), keyed by the
        term they are said of: the first heard in the last clause before the pronoun's that names
        one, in the same sentence ("regularisation makes overfitting worse, so remove it")."""
        toks, out = self.toks.tokens, {}
        spans = sorted({(m.start, m.end) for m in found})
        for s, e, scope in self.cues:
            clause = self.clause_of[s]
            if clause in self.conditional:
                continue
            lo = self.clause_of.index(clause)
            if toks[lo] in _CONTRAST:  # "batch norm is great, but it is useless for tiny batches": a limit
                continue
            hi = next((k for k in range(s, len(toks)) if self.clause_of[k] != clause), len(toks))
            if any(t in _SITUATIONS for t in toks[lo:hi]):  # "at inference you skip it": when, not whether
                continue
            if scope == "after":
                p = e + (e < len(toks) and toks[e] == "about")  # "forget about it"
                if p >= len(toks) or toks[p] not in _PRONOUNS_AFTER or self.clause_of[p] != clause:
                    continue
            elif scope == "before":
                near = [k for k in range(max(lo, s - 3), s) if toks[k] in _PRONOUNS_BEFORE]
                if not near or any(lo <= a < s for a, _ in spans) or (e < len(toks) and toks[e] in _CHOICE):
                    continue
                p = near[-1]
            else:
                continue
            if len(self._covering(p, p + 1, clause, typed=False)) % 2 == 0:
                continue  # "don't ignore it"
            first = lo
            while first > 0 and not self._sentence_start(first):
                first -= 1
            before = [sp for sp in spans if first <= sp[0] and sp[1] <= lo]
            if before:  # the subject, the first term, of the last clause that names one
                last = self.clause_of[max(b for _, b in before) - 1]
                out.setdefault(min(sp for sp in before if self.clause_of[sp[0]] == last), []).append((s, e))
        return out

    def _covering(self, start: int, end: int, clause: int, typed: bool = True) -> list[tuple[int, int]]:
        """The cues whose scope covers tokens ``start:end`` (none in a conditional clause).

        A cue that reaches forward stops at the next one that does, unless that one follows at
        once ("never train without", "don't forget"): then both cover what comes after, and cancel."""
        if clause in self.conditional:
            return []
        covering = []
        cues = [c for c in self.cues if self.clause_of[c[0]] == clause]
        forward = [c for c in cues if c[2] == "after"]
        for s, e, scope in cues:
            if scope == "after":
                # a comparison's standard is not negated: "don't train for longer than the validation loss improves"
                reach = next((k for k in range(e, len(self.clause_of)) if self.clause_of[k] != clause
                              or self.toks.tokens[k] == "than"), len(self.clause_of))
                last = e
                for s2, e2, _ in forward:
                    if s2 < e:
                        continue
                    if s2 >= reach:
                        break
                    if s2 - last > 2:
                        reach = s2
                        break
                    last = e2
                if s < start < reach:
                    covering.append((s, e))
            elif (scope == "near" and e <= start < e + 3) or (scope == "before" and end <= s) or scope == "both":
                covering.append((s, e))
        if typed:
            covering = [c for c in covering if self._applies(c, start, end)]
        return covering

    # -- concepts
    def _find_concept(self, name: str, phrases: tuple[str, ...], heard: dict) -> list[Mention]:
        if name == "number" and not phrases:
            return self._numbers()
        found: list[Mention] = []
        for phrase in phrases:
            for m in heard[phrase]:
                if all(m.end <= f.start or m.start >= f.end for f in found):
                    found.append(Mention(name, m.start, m.end, m.similarity, 0))
        # Phrases of one concept said back to back are one mention: "L2 regularisation".
        merged: list[Mention] = []
        for m in sorted(found, key=lambda m: m.start):
            if merged and merged[-1].end == m.start:
                last = merged.pop()
                m = Mention(name, last.start, m.end, min(last.similarity, m.similarity), 0)
            merged.append(m)
        return merged

    def _numbers(self) -> list[Mention]:
        """Quantities, spoken or written: textnorm spells "30%" as "thirty percent"."""
        toks, out, i = self.toks.tokens, [], 0
        while i < len(toks):
            if toks[i] in NUMBER_WORDS:
                j = i + 1
                while j < len(toks) and (toks[j] in NUMBER_WORDS or toks[j] in _NUMBER_JOINERS):
                    j += 1
                while toks[j - 1] in ("and", "x", "times"):
                    j -= 1
                out.append(Mention("number", i, j, 100.0, 0))
                i = j
            elif toks[i] == "one" and i + 1 < len(toks) and toks[i + 1] in NUMBER_WORDS:
                continue_at = i + 1
                out.append(Mention("number", i, continue_at + 1, 100.0, 0))
                i = continue_at + 1
            else:
                i += 1
        return out

    # -- statements
    def in_wrong_statement(self, m: Mention) -> bool:
        """``m`` is part of a wrong statement heard (a mistake of some point, stated positively)."""
        if self._wrong_spots is None:
            # (a wrong phrase of one concept may quote a right point: "a trick to save compute")
            self._wrong_spots = {k for claim in self.wrong if len(claim) > 1
                                 for ms, negated in self.heard(claim, asserted=True)
                                 if not negated for x in ms for k in range(x.start, x.end)}
        return any(k in self._wrong_spots for k in range(m.start, m.end))

    def named_in(self, label: str, concepts: set[str]) -> set[str]:
        """Those of ``concepts`` one of whose phrases is a run of the words of ``label``."""
        words = " " + " ".join(_bare(w) for w in label.replace("-", " ").replace("/", " ").split()) + " "
        return {c for c in concepts if any(f" {p.lower().replace('-', ' ')} " in words
                                           for p in self.concepts.get(c, ()))}

    def said_of_a_rival(self, m: Mention, subjects: set[str]) -> bool:
        """``m`` is said of a rival of the point's subjects: in its sentence, the last subject or
        rival heard before it is a rival ("an LSTM has two gates, an update gate and a reset gate"
        does not say the GRU's gates)."""
        rivals = {r for s in subjects for r in self.rivals.get(s, ()) if r in self.subjects} - subjects
        if not rivals:
            return False
        first = m.start
        while first > 0 and not self._sentence_start(first):
            first -= 1
        heard = [o for c in subjects | rivals for o in self.mentions.get(c, ())
                 if first <= o.start and o.end <= m.start and not o.negated]  # "nobody annotated" is no rival
        # (not a word inside a longer phrase of another concept: the "gates" of "two gates")
        heard = [o for o in heard if not any(c != o.concept and ms.start <= o.start and o.end <= ms.end
                                             and ms.end - ms.start > o.end - o.start
                                             for c, mss in self.mentions.items() for ms in mss)]
        last = max(heard, key=lambda o: o.start, default=None)
        return last is not None and last.concept in rivals

    def heard(self, claim: tuple[str, ...], asserted: bool = False) -> list[tuple[list[Mention], bool]]:
        """Each stretch where every concept of ``claim`` is heard: (its mentions, negated?).
        ``asserted``: not wholly inside a conditional clause ("if you train longer and it overfits,
        ..." asserts neither); a condition with its main clause asserts the rule they make ("if you
        raise the threshold, recall increases"; "high bias happens when the model memorises")."""
        by_span: dict[int, dict[str, list[Mention]]] = {}
        for concept in claim:
            for m in self.mentions.get(concept, ()):
                if asserted and m.by_pronoun:
                    # "L2 makes overfitting worse, so remove it" still says that L2 makes it worse
                    m = replace(m, negated=False, cue=(m.cues[:-1] or (None,))[0], cues=m.cues[:-1], by_pronoun=False)
                by_span.setdefault(m.span, {}).setdefault(concept, []).append(m)
        if asserted:
            by_span = {span: {c: [m for m in ms if self._asserts(m)] for c, ms in found.items()}
                       for span, found in by_span.items()
                       if any(m.clause not in self.conditional for ms in found.values() for m in ms)}
            by_span = {span: {c: ms for c, ms in found.items() if ms} for span, found in by_span.items()}
        out = []
        for _span, found in sorted(by_span.items()):
            if len(found) < len(claim):
                continue
            if len(claim) > 1:
                # "validation scores look better than real performance": a comparison between the
                # claim's own concepts relates them; it does not negate one of them.
                lo = min(m.start for ms in found.values() for m in ms)
                hi = max(m.end for ms in found.values() for m in ms)
                found = {c: [self._without_comparisons(m, lo, hi) for m in ms] for c, ms in found.items()}
            # A positive reading if every concept has a positive mention; otherwise negated.
            for pool, negated in (({c: [m for m in ms if not m.negated] for c, ms in found.items()}, False),
                                  (found, True)):
                chosen = self._closest(claim, pool)
                if chosen and asserted and all(m.clause in self.conditional for m in chosen):
                    chosen = self._closest(claim, {c: [m for m in ms if m.clause not in self.conditional]
                                                   for c, ms in pool.items()})
                if chosen:
                    out.append((chosen, negated))
                    break
        return out

    def _asserts(self, m: Mention) -> bool:
        """A mention outside a condition, or inside an "if" clause (whose main clause must then be
        heard too: "if you raise the threshold, recall increases"). "When X, Y" is left alone: it
        tells when something is seen more often than it states a rule."""
        return m.clause not in self.conditional or m.clause in self.if_clauses

    def _closest(self, claim: tuple[str, ...], pool: dict[str, list[Mention]]) -> list[Mention] | None:
        """One mention of each concept, as close together as they come; None when some concept has
        none, or when the closest set spans clauses with a rival between ("high bias is a problem,
        ..., high variance means it overfits" does not say that high bias means overfitting)."""
        if any(not pool.get(c) for c in claim):
            return None
        if len(claim) == 1:
            return [pool[claim[0]][0]]  # the first time it was said
        best = None
        for anchor in pool[claim[0]]:
            chosen = [anchor] + [min(pool[c], key=lambda m: abs(m.start - anchor.start)) for c in claim[1:]]
            width = max(m.end for m in chosen) - min(m.start for m in chosen)
            if best is None or width < best[0]:
                best = (width, chosen)
        chosen = best[1]
        if len(claim) > 1 and len({m.clause for m in chosen}) > 1:
            lo, hi = min(m.start for m in chosen), max(m.end for m in chosen)
            rivals = {c for st in self.statements if set(st) & set(claim) for c in st} - set(claim) \
                - self._compatible(claim)
            # (a rival inside an aside, "L1, unlike L2, drives weights to zero", is a stretch apart)
            if any(lo < m.start < hi and m.span == chosen[0].span for c in rivals for m in self.mentions.get(c, ())):
                return None
        return chosen

    def _compatible(self, claim: tuple[str, ...]) -> set[str]:
        """Concepts said rightly of a subject of ``claim`` as the claim says its other concept of it,
        and never wrongly of it ("L1 gives exactly zero weights" beside "L1 gives sparse models"):
        another fact of the same subject between them, "L1, exactly zero, a sparse model", is no rival."""
        out = set()
        wrong = [set(st) for st in self.wrong]
        for subject in claim:
            if not any({subject, *claim} <= set(c) for c in self.right):
                continue
            for c in self.right:
                if subject in c and len(c) == 2:
                    other = next(iter(set(c) - {subject}))
                    if other not in claim and not any({subject, other} <= w for w in wrong):
                        out.add(other)
        return out

    def _without_comparisons(self, m: Mention, lo: int, hi: int) -> Mention:
        toks = self.toks.tokens
        kept = tuple(c for c in m.cues if not (lo <= c[0] and c[1] <= hi and toks[c[1] - 1] in ("than", "of")))
        if kept == m.cues:
            return m
        return Mention(m.concept, m.start, m.end, m.similarity, m.clause, len(kept) % 2 == 1,
                       kept[0] if kept else None, kept, m.span, m.by_pronoun)

    def mostly_negated(self, claims) -> list[Mention] | None:
        """The first negated mention, when the concepts of ``claims`` are heard negated at least as
        often as not."""
        heard = sorted((m for c in {c for claim in claims for c in claim} for m in self.mentions.get(c, ())),
                       key=lambda m: m.start)
        # a claim that compares its own concepts ("validation scores look better than the real
        # performance") does not deny its standard; "less data is better than augmentation" does
        toks = self.toks.tokens

        def compares(m: Mention, cue: tuple[int, int]) -> bool:
            return toks[cue[1] - 1] == "than" and toks[cue[0]] != "rather" and any(
                o.start < cue[0] and o.clause == m.clause
                for claim in claims if m.concept in claim and len(claim) > 1
                for c in claim if c != m.concept for o in self.mentions.get(c, ()))

        negated = [m for m in heard if sum(not compares(m, c) for c in m.cues) % 2]
        if not negated or 2 * len(negated) < len(heard):
            return None
        if 2 * len(negated) == len(heard) and (TAKEN_BACK_TIES == "no" or
                                               (TAKEN_BACK_TIES == "last" and not heard[-1].negated)):
            return None
        return negated[:1]

    def partly_heard(self, claim: tuple[str, ...]) -> list[Mention]:
        """The largest positive part of a claim of several concepts heard in one clause."""
        best: list[Mention] = []
        by_clause: dict[int, dict[str, Mention]] = {}
        for concept in claim:
            for m in self.mentions.get(concept, ()):
                if not m.negated:
                    by_clause.setdefault(m.span, {}).setdefault(concept, m)
        for found in by_clause.values():
            if len(found) > len(best):
                best = list(found.values())
        return best

    def goes_against(self, mentions: list[Mention], way: frozenset[str], other: frozenset[str]) -> bool:
        """The clauses of ``mentions`` say only the other way: a word of ``other`` (not a common one),
        none of ``way``, outside a conditional clause."""
        clauses = {m.clause for m in mentions}
        if clauses & self.conditional:
            return False
        words = {t for t, c in zip(self.toks.tokens, self.clause_of) if c in clauses}
        return bool(words & (other - _TOO_COMMON)) and not words & way

    def suffers(self, mentions: list[Mention]) -> bool:
        """The claim's subject is said to suffer what the point says it averts: a clause of
        ``mentions`` has "suffers from", "prone to", ... after the subject or a pronoun for it ("so
        it still suffers from vanishing gradients"; not "because plain RNNs suffer from them"), and
        none of them says it averts anything."""
        clauses = {m.clause for m in mentions}
        if clauses & self.conditional:
            return False
        toks = self.toks.tokens
        words = [(k, t) for k, (t, c) in enumerate(zip(toks, self.clause_of)) if c in clauses]
        if any(t in _AVERTS for _, t in words):
            return False
        for k, t in words:
            if t in _SUFFERS and not any(u in _GENERIC or u in _RARELY or u in ("less", "far", "barely")
                                         for u in toks[max(0, k - 3):k + 2]):  # "suffers less from", "doesn't"
                lo = self.clause_of.index(self.clause_of[k])
                if any(toks[j] in ("it", "they", "both") for j in range(lo, k)) or any(
                        lo <= m.start < k for m in mentions):
                    return True
        return False

    def evidence(self, mentions: list[Mention], with_cue: bool = False) -> Evidence:
        start = min(m.start for m in mentions)
        end = max(m.end for m in mentions)
        if with_cue:
            for m in mentions:
                if m.cue:
                    start, end = min(start, m.cue[0]), max(end, m.cue[1])
        return self.toks.evidence(start, end)

    def quality(self, mentions: list[Mention]) -> tuple[float, float]:
        sim = sum(m.similarity for m in mentions) / len(mentions)
        prob = sum(self.toks.probability(m.start, m.end) for m in mentions) / len(mentions)
        return sim, prob


def _rivals(statements: list[set[str]]) -> dict[str, set[str]]:
    """Concepts that play the same part in claims: each is said with a concept the other is said
    with too (forest and boosting both with "parallel", L1 and L2 both with "sparse")."""
    out: dict[str, set[str]] = {}
    for s1 in statements:
        for s2 in statements:
            for c in s1:
                for d in s2:
                    if c != d and c not in s2 and d not in s1 and (s1 - {c}) & (s2 - {d}):
                        out.setdefault(c, set()).add(d)
    return out


# --- reversed directions ---------------------------------------------------------------------------
# A claim that relates a thing to a direction ("averaging reduces variance", "a smaller learning
# rate") is stated wrongly when the same relation is heard with the direction reversed ("averaging
# increases variance"): each such concept gets a reversed twin, and the claim with the twin is a
# mistake of the point, with the point's correction.
_OPPOSITES: dict[str, tuple[str, ...]] = {}
for _a, _b in (("increase", "decrease"), ("increase", "reduce"), ("increases", "decreases"),
               ("increases", "reduces"), ("increased", "decreased"), ("increased", "reduced"),
               ("increasing", "decreasing"), ("increasing", "reducing"), ("higher", "lower"), ("high", "low"),
               ("raise", "lower"), ("raises", "lowers"), ("more", "less"), ("more", "fewer"), ("larger", "smaller"),
               ("bigger", "smaller"), ("wider", "narrower"), ("before", "after"), ("faster", "slower"),
               ("above", "below"), ("shrink", "grow"), ("shrinks", "grows"), ("shrinking", "growing"),
               ("improves", "worsens"), ("improve", "worsen"), ("maximise", "minimise"), ("maximize", "minimize"),
               ("maximises", "minimises"), ("maximizes", "minimizes"), ("stronger", "weaker")):
    _OPPOSITES.setdefault(_a, ())
    _OPPOSITES[_a] += (_b,)
    _OPPOSITES.setdefault(_b, ())
    _OPPOSITES[_b] += (_a,)
REVERSED = "~"  # the reversed twin of concept "c" is "~c"

# A point whose label says which way something goes ("Averaging reduces variance", "GRU is smaller
# and faster") is stated the wrong way round when its claim is heard in a clause that only says
# the other way ("averaging increases the spread"). "more", "less" and "fewer" name the label's
# way but are too common to count against it ("more stable").
_DOWN = frozenset("reduce reduces reduced reducing decrease decreases decreased decreasing lower lowers lowered "
                  "lowering smaller shrink shrinks shrinking shrunk fewer less narrower".split())
_UP = frozenset("increase increases increased increasing raise raises raised raising higher larger bigger grow "
                "grows growing grew wider more".split())
_TOO_COMMON = frozenset({"more", "less", "fewer"})


def label_direction(label: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """(the label's direction words, the opposite ones) when the label goes one way only."""
    words = set(label.lower().replace(",", " ").split())
    down, up = bool(words & _DOWN), bool(words & _UP)
    if down == up:
        return None
    return (_DOWN, _UP) if down else (_UP, _DOWN)


# Whole phrases whose reversal is not one word changed: near in a space is far apart.
_OPPOSITE_PHRASES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("close together", "closer together", "close to each other", "near each other", "nearby",
                     "near one another", "close in the space", "end up close", "end up near", "sit near"),
                    ("far apart", "far from each other", "far away from each other", "distant")),
    **dict.fromkeys(("far apart", "far from each other"), ("close together", "close to each other", "nearby")),
}


# A label that says something averts a harm ("Both use gates against vanishing gradients") is
# stated the wrong way round when its claim is heard only in clauses that say the harm is suffered
# ("the LSTM still suffers from vanishing gradients").
_AVERTS = frozenset("against prevent prevents avoid avoids fix fixes ease eases reduce reduces combat mitigate "
                    "mitigates solve solves cure cures".split())
_SUFFERS = frozenset("suffer suffers suffering suffered prone plagued vulnerable".split())


def label_averting(label: str) -> bool:
    words = {_bare(w) for w in label.replace("-", " ").split()}
    return bool(words & _AVERTS and words & _HARM_WORDS)


def _reversed_phrases(phrase: str) -> list[str]:
    if phrase.lower() in _OPPOSITE_PHRASES:
        return list(_OPPOSITE_PHRASES[phrase.lower()])
    words = phrase.lower().split()
    at = [i for i, w in enumerate(words) if w in _OPPOSITES]
    if len(at) != 1:  # no direction, or two (a comparison whose reversal is unclear)
        return []
    i = at[0]
    return [" ".join(words[:i] + [o] + words[i + 1:]) for o in _OPPOSITES[words[i]]]


def reversed_mistakes(points, concepts: dict[str, tuple[str, ...]]):
    """Per point, the mistakes that reverse a direction in one of its claims of two or more
    concepts, and the reversed concepts they use. A reversed phrase that is itself a phrase of a
    concept of the question (said rightly elsewhere) is left out."""
    # known in any inflection: the twin "raise recall" of "lower recall" would match a right
    # "raises recall" of another concept, which the matcher hears in any inflection
    known = {stem_key(p) for ps in concepts.values() for p in ps}
    builtin = dict(BUILTIN_CONCEPTS)
    twins: dict[str, tuple[str, ...]] = {}
    for name, phrases in concepts.items():
        if name in builtin and phrases == builtin[name]:
            continue  # a story's outcome goes either way: "cut latency", "raised recall"
        flipped = tuple(dict.fromkeys(r for p in phrases for r in _reversed_phrases(p)
                                        if stem_key(r) not in known))
        if flipped:
            twins[REVERSED + name] = flipped
    out = []
    for point in points:
        mine = []
        for claim in point.claims:
            if len(claim) < 2:
                continue
            for c in claim:
                if REVERSED + c in twins:
                    mine.append(Mistake(tuple(REVERSED + c if d == c else d for d in claim),
                                        point.correction or point.label))
        out.append(tuple(mine))
    used = {c for ms in out for m in ms for c in m.claim if c.startswith(REVERSED)}
    return out, {c: twins[c] for c in used}


def concepts_for(question: Question, points) -> dict[str, tuple[str, ...]]:
    """The concepts the points' claims and mistakes use, with their phrases."""
    defined = dict(BUILTIN_CONCEPTS) | dict(question.concepts)
    for name, plain in question.plain:  # the bank's thesaurus: plain words for the terms it lists
        defined[name] = defined.get(name, ()) + plain
    # In the bank's order, not a set's: the order decides which of two overlapping matches wins,
    # and a set's order changes from run to run (string hashing), and with it the verdict.
    used = dict.fromkeys(c for p in points for claim in (*p.claims, *(m.claim for m in p.mistakes)) for c in claim)
    return {c: defined.get(c, ()) for c in used}


def statements(points) -> list[tuple[str, ...]]:
    return [claim for p in points for claim in (*p.claims, *(m.claim for m in p.mistakes))]


def distinct_concepts(points, question_text_concepts: set[str]) -> list[set[str]]:
    """Per point, the concepts of its claims that no other point's claims use and the question does
    not name: hearing one of them says something about this point in particular."""
    used = [{c for claim in p.claims for c in claim} for p in points]
    out = []
    for i, mine in enumerate(used):
        others = set().union(*(u for j, u in enumerate(used) if j != i))
        out.append(mine - others - question_text_concepts)
    return out


def judge(point: KeyPoint, analysis: Analysis, phrase_match=None, distinct: set[str] | None = None,
          phrase_given: bool = False, reversed_: tuple = ()) -> Verdict:
    """The status of ``point`` in the answer.

    ``phrase_match`` is the point's best lexical match (its label and phrasings) as (mentions,
    negated), used alone for points without claims and as *partly* for points with them.
    """
    correction = point.correction or point.label
    for mistake in (*point.mistakes, *reversed_):
        for mentions, negated in analysis.heard(mistake.claim, asserted=True):
            if not negated:
                return Verdict(INCORRECT, analysis.evidence(mentions), *analysis.quality(mentions),
                               correction=mistake.correction)
    if point.claims:
        stated, negated_claims = [], []
        # the subjects of the point's relations, with a rival (the GRU of "the GRU has two gates");
        # the one its label names, when it names one ("LSTM keeps a separate cell state")
        subjects = {c for claim in point.claims if len(claim) > 1 for c in claim if c in analysis.subjects}
        subjects = analysis.named_in(point.label, subjects) or subjects

        def elsewhere(m: Mention) -> bool:
            return analysis.in_wrong_statement(m) or analysis.said_of_a_rival(m, subjects)
        for claim in point.claims:
            for mentions, negated in analysis.heard(claim):
                if len(claim) == 1 and not negated and elsewhere(mentions[0]):
                    # "dropout makes overfitting worse" is a wrong statement, not the advice to use
                    # dropout: another mention of it, said rightly, is needed
                    mentions = next(([m] for m in analysis.mentions.get(claim[0], ())
                                     if not m.negated and not elsewhere(m)), None)
                    if mentions is None:
                        continue
                (negated_claims if negated else stated).append(mentions)
        direction = label_direction(point.label)
        if stated and direction and all(analysis.goes_against(ms, *direction) for ms in stated) or (
                stated and label_averting(point.label) and all(analysis.suffers(ms) for ms in stated)):
            first = stated[0]
            return Verdict(INCORRECT, analysis.evidence(first), *analysis.quality(first), correction=correction)
        # Said and then taken back ("logging is a risk, so I wouldn't log"; "never retrain, roll
        # back"): the point is stated wrongly when its concepts are negated at least as often as
        # not; a caveat among several positive mentions ("... flips; for digits you wouldn't flip")
        # does not outweigh them.
        taken_back = analysis.mostly_negated(point.claims) if stated else None
        if taken_back:
            return Verdict(INCORRECT, analysis.evidence(taken_back, with_cue=True), *analysis.quality(taken_back),
                           correction=correction)
        if stated:
            best = max(stated, key=lambda ms: analysis.quality(ms)[0])
            return Verdict(COVERED, analysis.evidence(best), *analysis.quality(best))
        if negated_claims:
            first = negated_claims[0]
            return Verdict(INCORRECT, analysis.evidence(first, with_cue=True), *analysis.quality(first),
                           correction=correction)
        parts = [analysis.partly_heard(c) for c in point.claims if len(c) > 1]
        if PARTLY_RULE == "distinct" and distinct is not None:
            parts = [part for part in parts if any(m.concept in distinct for m in part)]
        part = max(parts, key=len, default=[])
        if part:
            return Verdict(PARTLY, analysis.evidence(part), *analysis.quality(part))
        if PARTLY_FROM_PHRASINGS and phrase_match and not phrase_match[1] and not (
                PARTLY_RULE == "distinct" and phrase_given):
            return Verdict(PARTLY, analysis.evidence(phrase_match[0]), *analysis.quality(phrase_match[0]))
        return Verdict(MISSED, None, 0.0, 0.0)
    if phrase_match:  # a point without claims: its phrasings are its claim
        mentions, negated = phrase_match
        if negated:
            return Verdict(INCORRECT, analysis.evidence(mentions, with_cue=True), *analysis.quality(mentions),
                           correction=correction)
        return Verdict(COVERED, analysis.evidence(mentions), *analysis.quality(mentions))
    return Verdict(MISSED, None, 0.0, 0.0)


def phrase_match(index: int, analysis: Analysis) -> tuple[list[Mention], bool] | None:
    """Point ``index``'s label and phrasings heard: the best positive match, else a negated one."""
    found = analysis.lexical[index] if index < len(analysis.lexical) else []
    positive = [m for m in found if not m.negated]
    for group, negated in ((positive, False), ([m for m in found if m.negated], True)):
        if group:
            return [max(group, key=lambda m: (m.similarity, -(m.end - m.start), -m.start))], negated
    return None


# --- behavioural answers: judged on the structure of the story -----------------------------------
BUILTIN_CONCEPTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("number", ()),  # detected by ``Analysis._numbers``
    ("star-situation", ("at my last job", "at my previous job", "in my last role", "in my previous role",
                        "at my company", "we had", "we were", "our team", "my team", "the problem was",
                        "the situation was", "the challenge was", "the context was", "the client",
                        "i was working", "i was tasked", "we needed", "the project", "the goal was",
                        # (round four) the other ways a story opens
                        "in charge of", "it was my job", "my job was", "tasked with", "i was asked to",
                        "when i joined", "the business wanted", "the business needed", "we set out to",
                        "the aim was")),
    ("star-action", ("i built", "i decided", "i designed", "i wrote", "i led", "i proposed", "i implemented",
                     "i set up", "i created", "i introduced", "i added", "i changed", "i trained", "i analysed",
                     "i analyzed", "i investigated", "i owned", "i ran", "i took", "i moved", "i replaced",
                     "i convinced", "i organised", "i organized", "i made", "my role was",
                     "i pushed for", "i championed", "i chose", "i picked", "i rewrote", "i prototyped",
                     "i persuaded", "i talked to", "i fixed", "i found", "i dug into", "i traced",
                     "i rolled out", "i deployed", "i shipped", "i personally", "my part was", "my contribution")),
    ("star-outcome", ("reduced", "cut", "improved", "increased", "saved", "lowered", "raised", "grew",
                      "went from", "dropped", "fell", "rose", "sped up", "faster", "the result was",
                      "as a result", "which led to", "resulting in", "boosted", "decreased",
                      "came down", "went down", "went up", "brought down", "lifted", "compared with",
                      "against a control")),
    ("star-lesson", ("i learned", "i learnt", "the lesson", "lessons", "next time", "in hindsight", "looking back",
                     "taught me", "takeaway", "do differently", "since then", "i now always", "i would now",
                     "stuck with me", "took away", "came away with", "showed me", "made me realise",
                     "made me realize", "if i did it again", "i should have", "these days i", "from then on",
                     "ever since")),
)
STRUCTURE_POINTS: tuple[KeyPoint, ...] = (
    KeyPoint("Structure: the situation", ("situation",), claims=(("star-situation",),)),
    KeyPoint("Structure: what you did", ("my role",), claims=(("star-action",),)),
    KeyPoint("Structure: a measurable result (a number)", ("measurable result",),
             claims=(("star-outcome", "number"),)),
    KeyPoint("Structure: the lesson learned", ("lesson",), claims=(("star-lesson",),)),
)
BEHAVIOURAL = "behavioural"


def structure_points(question: Question) -> tuple[KeyPoint, ...]:
    """The story-structure points a behavioural question is judged on besides its own."""
    return STRUCTURE_POINTS if question.category.lower() in (BEHAVIOURAL, "behavioral") else ()
