"""What the speech-to-text adapter hands the core: text plus, when known, word timings."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Word:
    text: str
    start: float
    end: float
    probability: float = 1.0


@dataclass(frozen=True)
class Transcript:
    text: str
    words: tuple[Word, ...] = field(default=())
    duration: float = 0.0
    model: str = ""

    @classmethod
    def typed(cls, text: str) -> "Transcript":
        """An answer typed instead of spoken: no timings, no model."""
        return cls(text=" ".join(text.split()), model="typed")


def corrected(original: Transcript, text: str) -> Transcript:
    """The candidate's correction of a transcript (a misheard word fixed), keeping the timings.

    Words left as they were keep their times and Whisper's probability; a replaced or added word
    takes the time span of what it replaced (or of its neighbours) and full confidence, since the
    candidate vouched for it.
    """
    import difflib

    new = text.split()
    if not original.words:
        return Transcript(" ".join(new), (), original.duration, original.model)
    old = list(original.words)
    keys = [w.text.strip().lower() for w in old]
    words: list[Word] = []
    matcher = difflib.SequenceMatcher(a=keys, b=[w.lower() for w in new], autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            words.extend(Word(new[b0 + k], old[a0 + k].start, old[a0 + k].end, old[a0 + k].probability)
                         for k in range(b1 - b0))
            continue
        if b1 == b0:
            continue  # deleted words leave no trace
        start = old[a0].start if a0 < len(old) else (old[-1].end if old else 0.0)
        end = old[a1 - 1].end if a1 > a0 else (old[a0].start if a0 < len(old) else start)
        step = (end - start) / (b1 - b0)
        words.extend(Word(new[b0 + k], start + k * step, start + (k + 1) * step) for k in range(b1 - b0))
    return Transcript(" ".join(new), tuple(words), original.duration, original.model)
