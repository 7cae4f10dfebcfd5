"""How an answer was delivered: length, pace, filler words, hedges and long pauses.

Computed from the transcript's words and their timings. The bands are documented in
docs/scoring.md; they are guidance for a spoken interview answer, not rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mockinterviewer.core.transcript import Transcript

# Words per minute, measured from the first word to the last.
PACE_SLOW, PACE_FAST = 110, 170
# A silence between two words longer than this is a pause an interviewer notices.
LONG_PAUSE_SECONDS = 2.0
# A spoken technical answer: under 30 s rarely explains anything, over 3 minutes loses the listener.
LENGTH_SHORT, LENGTH_LONG = 30.0, 180.0

# Always fillers, whatever the context.
_FILLER_WORDS = {"um", "umm", "uh", "uhh", "uhm", "erm", "er", "ah", "hmm", "mm", "basically", "literally"}
_FILLER_PHRASES = ("you know", "i mean")
_HEDGE_PHRASES = ("i think", "i guess", "i believe", "i suppose", "maybe", "perhaps", "sort of", "kind of",
                  "probably", "i'm not sure", "im not sure", "not sure", "might be")
# "like" is a filler where Whisper sets it off with a comma (", like ..." or "..., like,"), unless
# the word before takes it as a verb or preposition ("things like, say, ..."); "so" only where it
# opens a sentence or the answer with a comma ("So, ...").
_LIKE_NOT_FILLER_BEFORE = {"would", "d", "looks", "look", "looked", "seems", "seem", "feel", "feels", "felt",
                           "something", "things", "sounds", "just", "much", "more", "i", "you", "we", "they",
                           "don't", "dont", "didn't"}


@dataclass(frozen=True)
class Pause:
    start: float
    end: float

    @property
    def seconds(self) -> float:
        return round(self.end - self.start, 2)


@dataclass(frozen=True)
class Delivery:
    words: int
    duration: float | None          # seconds recorded; None for a typed answer
    speaking_seconds: float | None  # first word to last word
    words_per_minute: float | None
    pace: str                       # slow | comfortable | fast | unknown
    fillers: dict[str, int]
    hedges: dict[str, int]
    long_pauses: tuple[Pause, ...]
    length: str                     # short | good | long | unknown
    notes: tuple[str, ...]          # sentences for the candidate

    @property
    def fillers_per_minute(self) -> float | None:
        return _per_minute(sum(self.fillers.values()), self.speaking_seconds)

    @property
    def hedges_per_minute(self) -> float | None:
        return _per_minute(sum(self.hedges.values()), self.speaking_seconds)

    def to_dict(self) -> dict:
        return {
            "words": self.words, "duration": self.duration, "speaking_seconds": self.speaking_seconds,
            "words_per_minute": self.words_per_minute, "pace": self.pace, "comfortable_pace": [PACE_SLOW, PACE_FAST],
            "fillers": self.fillers, "fillers_per_minute": self.fillers_per_minute,
            "hedges": self.hedges, "hedges_per_minute": self.hedges_per_minute,
            "long_pauses": [{"start": p.start, "end": p.end, "seconds": p.seconds} for p in self.long_pauses],
            "length": self.length, "target_seconds": [LENGTH_SHORT, LENGTH_LONG], "notes": list(self.notes),
        }


def _per_minute(count: int, seconds: float | None) -> float | None:
    return round(count * 60 / seconds, 1) if seconds else None


def _lower_words(text: str) -> list[str]:
    """Words with the punctuation that follows each kept apart: [("so", ","), ("we", "")...]."""
    return [(m.group(1).lower(), m.group(2)) for m in re.finditer(r"([A-Za-z']+)([,.;:!?]*)", text)]


def count_fillers(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    words = _lower_words(text)
    flat = " ".join(w for w, _ in words)
    for i, (word, punct) in enumerate(words):
        before, before_punct = (words[i - 1] if i else ("", "."))
        if word in _FILLER_WORDS:
            counts[word] = counts.get(word, 0) + 1
        elif word == "like":
            if before_punct == "," or (punct == "," and before not in _LIKE_NOT_FILLER_BEFORE):
                counts["like"] = counts.get("like", 0) + 1
        elif word == "so" and (i == 0 or before_punct in (".", "?", "!")) and punct == ",":
            counts["so"] = counts.get("so", 0) + 1
    for phrase in _FILLER_PHRASES:
        n = len(re.findall(rf"\b{phrase}\b", flat))
        if n:
            counts[phrase] = n
    return counts


def count_hedges(text: str) -> dict[str, int]:
    flat = " ".join(w for w, _ in _lower_words(text))
    counts = {}
    for phrase in _HEDGE_PHRASES:
        n = len(re.findall(rf"\b{re.escape(phrase)}\b", flat))
        if n:
            counts[phrase] = n
    if "not sure" in counts and ("i'm not sure" in counts or "im not sure" in counts):
        counts["not sure"] -= counts.get("i'm not sure", 0) + counts.get("im not sure", 0)
        if counts["not sure"] <= 0:
            del counts["not sure"]
    return counts


def analyse(transcript: Transcript) -> Delivery:
    words = transcript.text.split()
    fillers, hedges = count_fillers(transcript.text), count_hedges(transcript.text)
    timed = transcript.words
    if not timed:
        return Delivery(len(words), None, None, None, "unknown", fillers, hedges, (), "unknown",
                        _notes(None, None, "unknown", "unknown", fillers, hedges, ()))
    speaking = round(max(timed[-1].end - timed[0].start, 0.01), 2)
    wpm = round(len(timed) * 60 / speaking) if speaking >= 5 else None
    pace = "unknown" if wpm is None else "slow" if wpm < PACE_SLOW else "fast" if wpm > PACE_FAST else "comfortable"
    pauses = tuple(Pause(a.end, b.start) for a, b in zip(timed, timed[1:]) if b.start - a.end > LONG_PAUSE_SECONDS)
    duration = round(transcript.duration or speaking, 2)
    length = "short" if speaking < LENGTH_SHORT else "long" if speaking > LENGTH_LONG else "good"
    return Delivery(len(words), duration, speaking, wpm, pace, fillers, hedges, pauses, length,
                    _notes(speaking, wpm, pace, length, fillers, hedges, pauses))


def clock(seconds: float) -> str:
    """Seconds as a speaker reads a timer: 75 -> "1:15"."""
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


def summary(d: Delivery) -> str:
    """One line of delivery figures, for the terminal and the window."""
    parts = [f"{clock(d.speaking_seconds)} spoken ({d.length})"] if d.speaking_seconds is not None else []
    parts.append(f"{d.words_per_minute:g} words a minute ({d.pace})" if d.words_per_minute is not None
                 else f"{d.words} words")
    fillers = sum(d.fillers.values())
    rate = f", {d.fillers_per_minute:g} a minute" if d.fillers_per_minute is not None and fillers else ""
    parts.append(f"{fillers} filler word{'s' if fillers != 1 else ''}{rate}")
    hedges = sum(d.hedges.values())
    parts.append(f"{hedges} hedge{'s' if hedges != 1 else ''}")
    if d.long_pauses:
        parts.append(f"{len(d.long_pauses)} long pause{'s' if len(d.long_pauses) != 1 else ''}")
    return ", ".join(parts)


def _notes(speaking, wpm, pace, length, fillers, hedges, pauses) -> tuple[str, ...]:
    notes = []
    if pace == "slow":
        notes.append(f"{wpm} words a minute is slow (comfortable: {PACE_SLOW}-{PACE_FAST}); keep the answer moving.")
    elif pace == "fast":
        notes.append(f"{wpm} words a minute is fast (comfortable: {PACE_SLOW}-{PACE_FAST}); slow down so each point lands.")
    if length == "short":
        notes.append(f"At {speaking:.0f} seconds the answer is short; explain the why and give an example.")
    elif length == "long":
        notes.append(f"At {clock(speaking)} the answer is long; lead with the main point and trim.")
    total_fillers = sum(fillers.values())
    if speaking and total_fillers and total_fillers * 60 / speaking >= 4:
        top = ", ".join(f"“{w}” ×{n}" for w, n in sorted(fillers.items(), key=lambda kv: -kv[1])[:3])
        notes.append(f"{total_fillers} filler words ({top}); a short silence sounds more confident.")
    if sum(hedges.values()) >= 3:
        notes.append(f"{sum(hedges.values())} hedges (“{'”, “'.join(list(hedges)[:3])}”); state what you know plainly.")
    if pauses:
        longest = max(pauses, key=lambda p: p.seconds)
        notes.append(f"{len(pauses)} long pause{'s' if len(pauses) > 1 else ''}, the longest {longest.seconds:.0f} s at "
                     f"{clock(longest.start)}.")
    notes.append("Fillers are counted as Whisper writes them; it leaves out many “um”s and “uh”s, "
                 "so the true count may be higher.")
    return tuple(notes)
