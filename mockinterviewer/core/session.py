"""The practice session's state machine, shared by the window and the CLI.

    READY -> SPEAKING -> LISTENING -> TRANSCRIBING -> SCORED -> (SPEAKING ... | FINISHED)

The session does no work itself: front ends start text-to-speech, the recorder and the
transcriber, and report back (``question_spoken``, ``answer_stopped``, ``answer_scored``).
A transition that makes no sense in the current state raises, so a front-end bug cannot
silently record over a scored answer.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import Enum
from typing import Callable

from mockinterviewer.core.bank import Question
from mockinterviewer.core.scoring import ScoreResult


class State(Enum):
    READY = "ready"
    SPEAKING = "speaking"
    LISTENING = "listening"
    TRANSCRIBING = "transcribing"
    SCORED = "scored"
    FINISHED = "finished"


class TransitionError(RuntimeError):
    """A front end asked for a step the session is not in a state to take."""


@dataclass(frozen=True)
class Summary:
    results: tuple[ScoreResult, ...]
    skipped: tuple[Question, ...]

    @property
    def average(self) -> int:
        scores = [r.score for r in self.results]
        return round(sum(scores) / len(scores)) if scores else 0


def pick_questions(questions, count: int, shuffle: bool = True, seed: int | None = None) -> list[Question]:
    questions = list(questions)
    if shuffle:
        random.Random(seed).shuffle(questions)
    return questions[:max(1, count)]


class PracticeSession:
    def __init__(self, questions: list[Question]):
        if not questions:
            raise ValueError("a session needs at least one question")
        self.questions = list(questions)
        self.index = 0
        self.state = State.READY
        self.results: dict[int, ScoreResult] = {}
        self._listeners: list[Callable[[State], None]] = []

    def subscribe(self, listener: Callable[[State], None]) -> None:
        self._listeners.append(listener)

    @property
    def current(self) -> Question:
        return self.questions[self.index]

    @property
    def current_result(self) -> ScoreResult | None:
        return self.results.get(self.index)

    @property
    def is_last(self) -> bool:
        return self.index == len(self.questions) - 1

    def _go(self, allowed: tuple[State, ...], new: State) -> None:
        if self.state not in allowed:
            raise TransitionError(f"cannot go to {new.value} from {self.state.value}")
        self.state = new
        for listener in list(self._listeners):
            listener(new)

    # Steps, in order.
    def start(self) -> None:
        self._go((State.READY,), State.SPEAKING)

    def question_spoken(self) -> None:
        """The question has been read aloud (or speech was skipped or is unavailable)."""
        self._go((State.SPEAKING,), State.LISTENING)

    def answer_stopped(self) -> None:
        self._go((State.LISTENING,), State.TRANSCRIBING)

    def answer_failed(self) -> None:
        """Transcription failed (silence, unreadable audio): let the candidate answer again."""
        self._go((State.TRANSCRIBING,), State.LISTENING)

    def answer_scored(self, result: ScoreResult) -> None:
        if result.question_id != self.current.id:
            raise TransitionError(f"result for {result.question_id} arrived during {self.current.id}")
        self.results[self.index] = result
        self._go((State.TRANSCRIBING, State.LISTENING), State.SCORED)

    def next(self) -> None:
        """On to the next question, or to the summary after the last. Skips an unscored question."""
        if self.state in (State.READY, State.FINISHED, State.TRANSCRIBING):
            raise TransitionError(f"cannot move on while {self.state.value}")
        if self.is_last:
            self._go((State.SPEAKING, State.LISTENING, State.SCORED), State.FINISHED)
            return
        self.index += 1
        self._go((State.SPEAKING, State.LISTENING, State.SCORED), State.SPEAKING)

    def summary(self) -> Summary:
        results = tuple(self.results[i] for i in sorted(self.results))
        skipped = tuple(q for i, q in enumerate(self.questions) if i not in self.results and i <= self.index)
        return Summary(results, skipped)
