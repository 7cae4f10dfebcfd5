"""The practice session's state machine, shared by the window and the CLI.

    READY -> SPEAKING -> LISTENING -> TRANSCRIBING -> SCORED -> (SPEAKING ... | FINISHED)

Two modes: *practice* shows feedback after each answer and allows another attempt (SCORED ->
LISTENING); a *mock interview* keeps feedback for the end and allows one attempt, as a real
interview would. Repeating the question goes back from LISTENING to SPEAKING. ``end()`` finishes
early from any state but TRANSCRIBING (an answer being scored is waited for).

Follow-up turns (core/followups.py) go round the same states: ``ask_follow_up`` leads from
SCORED to SPEAKING with ``follow_up`` set, and ``follow_up_answered`` (or ``skip_follow_up``)
back to SCORED, the question's result now the whole exchange credited (core/exchange.py). A
mock interview asks up to ``max_follow_ups`` per question; practice asks one when the candidate
wants it.

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
from mockinterviewer.core.exchange import with_turns
from mockinterviewer.core.followups import next_follow_up
from mockinterviewer.core.scoring import ScoreResult
from mockinterviewer.core.turns import FollowUp, Turn

DEFAULT_FOLLOW_UPS = 1  # per question in a mock interview
MAX_FOLLOW_UPS = 5


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
    def __init__(self, questions: list[Question], mode: Mode = Mode.PRACTICE,
                 max_follow_ups: int = DEFAULT_FOLLOW_UPS):
        if not questions:
            raise ValueError("a session needs at least one question")
        if not 0 <= max_follow_ups <= MAX_FOLLOW_UPS:
            raise ValueError(f"follow-ups per question must be 0 to {MAX_FOLLOW_UPS}")
        self.questions = list(questions)
        self.mode = Mode(mode)
        self.max_follow_ups = max_follow_ups  # per question, in a mock interview
        self.follow_up: FollowUp | None = None  # the follow-up being asked, or None for the question itself
        self._first: dict[int, ScoreResult] = {}  # the first answer of the last attempt, before follow-ups
        self._turns: dict[int, list[Turn]] = {}
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

    @property
    def prompt(self) -> str:
        """What the interviewer says now: the follow-up being asked, or the question."""
        return self.follow_up.text if self.follow_up else self.current.text

    @property
    def turns(self) -> list[Turn]:
        """The follow-up turns answered (or skipped) so far for the current question."""
        return list(self._turns.get(self.index, ()))

    def next_follow_up(self) -> FollowUp | None:
        """The follow-up worth asking now (None: none left, or, in a mock interview, N asked)."""
        if self.state is not State.SCORED or self.index not in self._first:
            return None
        turns = self._turns.get(self.index, [])
        if self.mode is Mode.MOCK and len(turns) >= self.max_follow_ups:
            return None
        return next_follow_up(self.current, self._first[self.index], turns)

    def ask_follow_up(self, follow_up: FollowUp) -> None:
        """Ask a follow-up after the scored answer: it is read aloud and answered like the question."""
        if self.state is State.SCORED and self.mode is Mode.MOCK \
                and len(self._turns.get(self.index, ())) >= self.max_follow_ups:
            raise TransitionError(f"a mock interview asks at most {self.max_follow_ups} follow-ups per question")
        if self.state is not State.SCORED:
            raise TransitionError(f"cannot ask a follow-up while {self.state.value}")
        self.follow_up = follow_up  # before the listeners hear of SPEAKING: they read ``prompt``
        self._go((State.SCORED,), State.SPEAKING)

    def follow_up_answered(self, turn: Turn) -> None:
        """The reply to the follow-up, judged (core/exchange.judge_turn): the exchange is credited."""
        if self.follow_up is None or turn.follow_up != self.follow_up:
            raise TransitionError("no such follow-up is being asked")
        self._take(turn, (State.TRANSCRIBING, State.LISTENING))

    def skip_follow_up(self) -> None:
        """The candidate passes on the follow-up: kept as a skipped turn, worth nothing."""
        if self.follow_up is None:
            raise TransitionError("no follow-up is being asked")
        self._take(Turn(self.follow_up, None), (State.SPEAKING, State.LISTENING))

    def _take(self, turn: Turn, allowed: tuple[State, ...]) -> None:
        if self.state not in allowed:
            raise TransitionError(f"cannot take a reply while {self.state.value}")
        turns = self._turns.setdefault(self.index, [])
        turns.append(turn)
        result = with_turns(self._first[self.index], turns)
        self.results[self.index] = result
        self.attempts[self.index][-1] = result
        self.follow_up = None
        self._go(allowed, State.SCORED)

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
        self._turns.pop(self.index, None)  # a new attempt has its own follow-ups

    def answer_stopped(self) -> None:
        self._go((State.LISTENING,), State.TRANSCRIBING)

    def answer_failed(self) -> None:
        """Transcription failed (silence, unreadable audio): let the candidate answer again."""
        self._go((State.TRANSCRIBING,), State.LISTENING)

    @property
    def attempt_number(self) -> int:
        """1 for the first attempt at the current question, 2 for a retry, and so on."""
        done = self.state is State.SCORED or self.follow_up is not None  # a follow-up is part of its attempt
        return len(self.attempts.get(self.index, ())) + (0 if done else 1)

    def rescored(self, result: ScoreResult) -> None:
        """The candidate corrected the transcript of the last attempt: its result is replaced."""
        if self.state is not State.SCORED or result.question_id != self.current.id:
            raise TransitionError("only a scored answer to the current question can be corrected")
        self._first[self.index] = result
        result = with_turns(result, self._turns.get(self.index, ()))
        self.results[self.index] = result
        self.attempts[self.index][-1] = result

    @property
    def first_result(self) -> ScoreResult | None:
        """The current question's first answer as scored, before any follow-up was credited."""
        return self._first.get(self.index)

    def add_second_opinion(self, old: ScoreResult, new: ScoreResult) -> ScoreResult | None:
        """A language model's opinion on an answer arrived (perhaps after the session moved on): its
        result replaces ``old`` wherever the session holds it, in any state; an answer with
        follow-ups is credited with them again. The result now held (None: ``old`` is not held)."""
        found = None
        for i, first in list(self._first.items()):
            if first is old:  # the first answer of an exchange: its follow-ups are credited on the new one
                self._first[i] = new
                credited = with_turns(new, self._turns.get(i, ()))
                self._replace(self.results.get(i), credited)
                found = credited
        if found is None and self._replace(old, new):
            found = new
        return found

    def _replace(self, old: ScoreResult | None, new: ScoreResult) -> bool:
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
        if self.follow_up is not None:
            raise TransitionError("a reply to a follow-up is a turn (follow_up_answered), not a new answer")
        self._first[self.index] = result
        self._turns.pop(self.index, None)
        self.results[self.index] = result
        self.attempts.setdefault(self.index, []).append(result)
        self._go((State.TRANSCRIBING, State.LISTENING), State.SCORED)

    def next(self) -> None:
        """On to the next question, or to the summary after the last. Skips an unscored question."""
        if self.state in (State.READY, State.FINISHED, State.TRANSCRIBING):
            raise TransitionError(f"cannot move on while {self.state.value}")
        self.follow_up = None  # a follow-up not answered is left unasked
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
        self.follow_up = None
        self._go((State.SPEAKING, State.LISTENING, State.SCORED), State.FINISHED)

    def summary(self) -> Summary:
        answered = sorted(self.results)
        results = tuple(self.results[i] for i in answered)
        # Ended early, the question on screen counts as skipped unless it was answered.
        reached = self.index if self._ended_at is None else self._ended_at
        skipped = tuple(q for i, q in enumerate(self.questions) if i not in self.results and i <= reached)
        not_asked = tuple(self.questions[reached + 1:]) if self._ended_at is not None else ()
        return Summary(results, skipped, self.mode, tuple(len(self.attempts[i]) for i in answered), not_asked)
