"""Text normalisation shared by scoring and lookup.

Whisper writes "L2", "cross-validation", "A/B", "AUC-ROC" and "3"; a bank author may write
"L2", "cross validation", "A B", "AUC ROC" and "three". Both sides go through ``normalise`` so
that they meet in one spelling: lower case, words only, digits as words, acronyms joined.
"""

from __future__ import annotations

import re

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
         "fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def number_to_words(n: int) -> str:
    """Spell out 0..999999 the way a speaker says it ("one hundred twenty"); larger stay digits."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f" {_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} hundred" + (f" {number_to_words(rest)}" if rest else "")
    if n < 1_000_000:
        thousands, rest = divmod(n, 1000)
        return f"{number_to_words(thousands)} thousand" + (f" {number_to_words(rest)}" if rest else "")
    return str(n)


_LETTER_DIGIT = re.compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_NON_WORD = re.compile(r"[^a-z0-9%\s]+")
_DOTTED_ACRONYM = re.compile(r"\b(?:[a-z]\.){2,}")


def _spell_number(match: re.Match) -> str:
    text = match.group(0)
    if "." in text:
        whole, frac = text.split(".")
        return f"{number_to_words(int(whole))} point {' '.join(_ONES[int(d)] for d in frac)}"
    return number_to_words(int(text)) if len(text) <= 6 else text


def tokens(text: str) -> list[str]:
    """The normalised words of ``text``."""
    text = text.lower().replace("&", " and ").replace("’", "'")
    text = _DOTTED_ACRONYM.sub(lambda m: m.group(0).replace(".", ""), text)
    text = re.sub(r"'s\b", "s", text).replace("'", "")
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)  # 1,000 -> 1000
    text = _LETTER_DIGIT.sub(" ", text.replace("%", " percent "))
    text = _NUMBER.sub(_spell_number, text)
    text = _NON_WORD.sub(" ", text)
    words = text.split()
    return _join_spelled_letters(words)


def _join_spelled_letters(words: list[str]) -> list[str]:
    """"a u c" (an acronym spelled out, as Whisper sometimes writes it) becomes "auc"."""
    out, run = [], []
    for w in words + [""]:
        if len(w) == 1 and w.isalpha():
            run.append(w)
            continue
        if len(run) >= 2 and not (run[0] in ("a", "i") and len(run) == 2 and w == ""):
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if w:
            out.append(w)
    return out


def normalise(text: str) -> str:
    """``tokens`` joined by single spaces."""
    return " ".join(tokens(text))
