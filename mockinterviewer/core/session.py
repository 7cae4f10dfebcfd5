"""The practice session's state machine, shared by the window and the CLI.

    READY -> SPEAKING -> LISTENING -> TRANSCRIBING -> SCORED -> (SPEAKING ... | FINISHED)

Two modes: *practice* shows feedback after each answer and allows another attempt (SCORED ->
LISTENING); a *mock interview* keeps feedback for the end and allows one attempt, as a real
interview would. Repeating the question goes back from LISTENING to SPEAKING. ``end()`` finishes
early from any state but TRANSCRIBING (an answer being scored is waited for).

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

from mockinterviewer.core.averages import session_average
from mockinterviewer.core.bank import Question
from mockinterviewer.core.scoring import ScoreResult


class State(Enum):
    READY = "ready"
    SPEAKING = "speaking"
    LISTENING = "listening"
    TRANSCRIBING = "transcribing"
    SCORED = "scored"
    FINISHED = "finished"


class Mode(Enum):
    PRACTICE = "practice"
    MOCK = "mock"


class TransitionError(RuntimeError):
    """A front end asked for a step the session is not in a state to take."""


@dataclass(frozen=True)
class Summary:
    results: tuple[ScoreResult, ...]   # the last attempt at each answered question, in order
    skipped: tuple[Question, ...]
    mode: Mode = Mode.PRACTICE
    attempts: tuple[int, ...] = ()     # how many attempts each result took, parallel to results
    not_asked: tuple[Question, ...] = ()  # left when the session was ended early

    @property
    def average(self) -> int | None:
        """core/averages.py: the last attempt at each question; None when nothing was answered."""
        return session_average((r.question_id, r.score) for r in self.results)

    @property
    def ended_early(self) -> bool:
        return bool(self.not_asked)

    def headline(self) -> str:
        """"Session complete: average 72 / 100 over 2 answers, 1 skipped" - or that nothing was answered."""
        what = "Mock interview" if self.mode is Mode.MOCK else "Session"
        what += " ended early" if self.ended_early else " complete"
        answered = len(self.results)
        if answered:
            text = f"{what}: average {self.average} / 100 over {answered} answer{'s' if answered != 1 else ''}"
        else:
            text = f"{what}: nothing was answered, so there is no score"
        extra = [f"{len(self.skipped)} skipped"] if self.skipped else []
        extra += [f"{len(self.not_asked)} not asked"] if self.not_asked else []
        return text + (f" ({', '.join(extra)})" if extra and not answered else
                       "".join(f", {e}" for e in extra))


class Order(Enum):
    RANDOM = "random"
    IN_ORDER = "in order"
    WEAKEST_FIRST = "weakest first"
    DUE_FIRST = "due for review"


def order_questions(questions, count: int, order: Order = Order.RANDOM, *, seed: int | None = None,
                    scores: dict[str, float] | None = None, due: list[str] | None = None) -> list[Question]:
    """Choose ``count`` questions in the given order.

    ``scores`` maps a question id to its latest score (weakest first puts the lowest first, then the
    questions never practised, in random order); ``due`` lists the ids due for review, most overdue
    first (they come first, then the rest, weakest first).
    """
    questions = list(questions)
    order = Order(order)
    if order is not Order.IN_ORDER:
        random.Random(seed).shuffle(questions)  # ties and never-practised questions in random order
    if order in (Order.WEAKEST_FIRST, Order.DUE_FIRST):
        scores = scores or {}
        questions.sort(key=lambda q: (q.id not in scores, scores.get(q.id, 0.0)))
    if order is Order.DUE_FIRST:
        rank = {qid: i for i, qid in enumerate(due or [])}
        questions.sort(key=lambda q: rank.get(q.id, len(rank)))
    return questions[:max(1, count)]


class PracticeSession:
    def __init__(self, questions: list[Question], mode: Mode = Mode.PRACTICE):
        if not questions:
            raise ValueError("a session needs at least one question")
        self.questions = list(questions)
        self.mode = Mode(mode)
        self.index = 0
        self.state = State.READY
        self.results: dict[int, ScoreResult] = {}
        self.attempts: dict[int, list[ScoreResult]] = {}
        self._ended_at: int | None = None  # the question on screen when the session was ended early
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

    def repeat_question(self) -> None:
        """Read the question again before answering."""
        self._go((State.SPEAKING, State.LISTENING), State.SPEAKING)

    @property
    def can_retry(self) -> bool:
        return self.mode is Mode.PRACTICE and self.state is State.SCORED

    def retry(self) -> None:
        """Answer the same question again (practice only); every attempt is kept."""
        if self.mode is not Mode.PRACTICE:
            raise TransitionError("a mock interview allows one attempt per question")
        self._go((State.SCORED,), State.LISTENING)

    def answer_stopped(self) -> None:
        self._go((State.LISTENING,), State.TRANSCRIBING)

    def answer_failed(self) -> None:
        """Transcription failed (silence, unreadable audio): let the candidate answer again."""
        self._go((State.TRANSCRIBING,), State.LISTENING)

    @property
    def attempt_number(self) -> int:
        """1 for the first attempt at the current question, 2 for a retry, and so on."""
        return len(self.attempts.get(self.index, ())) + (0 if self.state is State.SCORED else 1)

    def rescored(self, result: ScoreResult) -> None:
        """The candidate corrected the transcript of the last attempt: its result is replaced."""
        if self.state is not State.SCORED or result.question_id != self.current.id:
            raise TransitionError("only a scored answer to the current question can be corrected")
        self.results[self.index] = result
        self.attempts[self.index][-1] = result

    def add_second_opinion(self, old: ScoreResult, new: ScoreResult) -> bool:
        """A language model's opinion on an answer arrived (perhaps after the session moved on): its
        result replaces ``old`` wherever the session holds it, in any state. Whether it was found."""
        found = False
        for i, result in self.results.items():
            if result is old:
                self.results[i] = new
                found = True
        for attempts in self.attempts.values():
            for j, result in enumerate(attempts):
                if result is old:
                    attempts[j] = new
                    found = True
        return found

    def answer_scored(self, result: ScoreResult) -> None:
        if result.question_id != self.current.id:
            raise TransitionError(f"result for {result.question_id} arrived during {self.current.id}")
        self.results[self.index] = result
        self.attempts.setdefault(self.index, []).append(result)
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

    def end(self) -> None:
        """End the session early: the answers so far are kept; the questions not reached are left."""
        if self.state in (State.READY, State.FINISHED, State.TRANSCRIBING):
            raise TransitionError(f"cannot end the session while {self.state.value}")
        self._ended_at = self.index
        self._go((State.SPEAKING, State.LISTENING, State.SCORED), State.FINISHED)

    def summary(self) -> Summary:
        answered = sorted(self.results)
        results = tuple(self.results[i] for i in answered)
        # Ended early, the question on screen counts as skipped unless it was answered.
        reached = self.index if self._ended_at is None else self._ended_at
        skipped = tuple(q for i, q in enumerate(self.questions) if i not in self.results and i <= reached)
        not_asked = tuple(self.questions[reached + 1:]) if self._ended_at is not None else ()
        return Summary(results, skipped, self.mode, tuple(len(self.attempts[i]) for i in answered), not_asked)
