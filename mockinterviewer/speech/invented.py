"""Words Whisper writes that nobody said: its stock phrases and its repetitions.

Whisper learned from subtitles, so on a pause, a breath or a stretch it cannot read it tends to
write "Thank you very much." or "Thanks for watching!", and a decoder that lost its place repeats
the words before it (often the end of its prompt, which holds the last words heard). In a
technical answer either can fake or hide a key point, so they are taken out of every stretch:
a stock phrase only stays as the answer's very last sentence, and only when Whisper is sure
speech was there (a candidate may well end with "thank you").
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

from mockinterviewer.core.transcript import Word

_STOCK = re.compile(
    r"(?:thank you|thanks|thank you all|thanks a lot)(?: (?:very|so) much)?(?: for (?:watching|listening|your attention))?"
    r"|(?:please )?(?:like and )?subscribe.*|bye(?: bye)?|goodbye|see you(?: next time| in the next (?:one|video))?"
    r"|you|(?:subtitles|captions|transcription|transcribed) by.*|the end")
MIN_REPEAT = 4  # words: a speaker may say "very, very" or restart three words, not repeat four


def is_stock_phrase(text: str) -> bool:
    """Whether ``text`` is, as a whole, one of Whisper's stock phrases."""
    return bool(_STOCK.fullmatch(" ".join(k for k in map(_key, text.split()) if k)))


def sentences(words: Sequence[Word]) -> list[list[Word]]:
    """``words`` in sentences (a word ending in . ! or ? ends one)."""
    out, current = [], []
    for w in words:
        current.append(w)
        if w.text.rstrip("\"')").endswith((".", "!", "?")):
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def without_stock_phrases(words: Sequence[Word], keep_last: bool = False) -> list[Word]:
    """``words`` less every sentence that is a stock phrase (but the last one, if ``keep_last``)."""
    parts = sentences(words)
    kept = [s for i, s in enumerate(parts)
            if not is_stock_phrase(" ".join(w.text for w in s)) or (keep_last and i == len(parts) - 1)]
    return [w for s in kept for w in s]


def without_repeats(words: Sequence[Word], before: Iterable[str] = ()) -> list[Word]:
    """``words`` less a run of MIN_REPEAT or more words said twice in a row, and less a start
    that repeats the end of ``before`` (the words of the stretch before)."""
    words = list(words)
    keys = [_key(w.text) for w in words]
    tail = [_key(w) for w in before][-60:]
    for n in range(min(len(tail), len(keys)), MIN_REPEAT - 1, -1):
        if tail[-n:] == keys[:n]:
            words, keys = words[n:], keys[n:]
            break
    i = 0
    while i < len(keys):
        for n in range(min((len(keys) - i) // 2, 40), MIN_REPEAT - 1, -1):
            if keys[i:i + n] == keys[i + n:i + 2 * n]:
                del words[i + n:i + 2 * n], keys[i + n:i + 2 * n]
                break
        else:
            i += 1
    return words


def _key(word: str) -> str:
    return re.sub(r"[^\w']+", "", word.lower())
