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
