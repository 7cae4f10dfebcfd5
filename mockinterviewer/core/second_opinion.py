"""A language model's second opinion joined to the app's result, and the rule for the score.

The rule (docs/language-model.md), chosen so a model can help a candidate the app's rules missed
but can never make the score worse or hand out full credit on its own word:

* ``show`` (the default): the opinion is shown beside the app's verdict; the score is the app's.
* ``raise``: a point the app marked **missed** becomes **partly** (half credit) when the model
  says the answer makes it *and* the words it quotes are in the answer (checked here, not taken
  on trust). Nothing else changes: a point stated incorrectly stays so (the app heard a named
  mistake), partly stays partly, and "contradicts" never lowers a score.

No Qt, no network.
"""

from __future__ import annotations

from dataclasses import replace

from mockinterviewer.core.claims import MISSED, PARTLY
from mockinterviewer.core.matching import Evidence, Tokens
from mockinterviewer.core.opinion import MAKES, RAISE_MISSED, SHOW_ONLY, SecondOpinion
from mockinterviewer.core.scoring import ScoreResult, total
from mockinterviewer.core.textnorm import tokens


def find_quote(quote: str, toks: Tokens) -> Evidence | None:
    """The answer's own words for ``quote`` with their time, if the answer has them in that order."""
    want = tokens(quote)
    if not want:
        return None
    have = toks.tokens
    for i in range(len(have) - len(want) + 1):
        if have[i:i + len(want)] == want:
            first, last = toks.word_of[i], toks.word_of[i + len(want) - 1]
            words = toks.words[first:last + 1]
            return Evidence(" ".join(words), toks.word_times[first][0], toks.word_times[last][1])
    return None


def with_second_opinion(result: ScoreResult, opinion: SecondOpinion, rule: str = SHOW_ONLY) -> ScoreResult:
    """``result`` carrying ``opinion``; under the ``raise`` rule, rescored as the module says."""
    toks = Tokens(result.transcript)
    found = {p.label: find_quote(p.quote, toks) for p in opinion.points}
    points, changed = [], []
    for k in result.key_points:
        o = opinion.for_label(k.label)
        evidence = found.get(k.label)
        if rule == RAISE_MISSED and o and k.status == MISSED and o.verdict == MAKES and evidence is not None:
            points.append(replace(k, status=PARTLY, evidence=evidence, confidence=0.5))
            changed.append(k.label)
        else:
            points.append(k)
    checked = tuple(replace(p, quote_found=found.get(p.label) is not None, changed=p.label in changed)
                    for p in opinion.points)
    opinion = replace(opinion, points=checked, rule=rule)
    if not changed:
        return replace(result, second_opinion=opinion)
    note = (f"the second opinion of {opinion.model} raised {len(changed)} missed "
            f"point{'s' if len(changed) > 1 else ''} to partly")
    rescored = total(result.question_id, result.question, result.transcript, tuple(points), result.reference_answer,
                     note)
    return replace(rescored, second_opinion=replace(opinion, score_before=result.score))
