"""The language model over one practice session: a second opinion per answer, follow-ups, one notice.

The first failure (down, slow, junk, JSON that does not conform) takes the model out of the
session: the candidate is told once, in one sentence, and the rest of the session is offline,
so a stopped server never costs another timeout. Thread-safe; blocking, so never on the GUI thread.
"""

from __future__ import annotations

import logging
import threading

from mockinterviewer.core.bank import KeyPoint, Question
from mockinterviewer.core.opinion import SHOW_ONLY
from mockinterviewer.core.scoring import ScoreResult
from mockinterviewer.core.second_opinion import with_second_opinion
from mockinterviewer.llm import followup, review
from mockinterviewer.llm.client import ChatClient, LLMUnavailable

log = logging.getLogger(__name__)


class Advisor:
    def __init__(self, client: ChatClient, score_rule: str = SHOW_ONLY):
        self.client = client
        self.score_rule = score_rule
        self._lock = threading.Lock()
        self._failed: str | None = None
        self._notice_taken = False

    @property
    def model(self) -> str:
        return self.client.model

    @property
    def offline(self) -> bool:
        return self._failed is not None

    def _fail(self, exc: LLMUnavailable) -> None:
        with self._lock:
            if self._failed is None:
                self._failed = str(exc)
                log.info("language model off for this session: %s", exc)

    def take_notice(self) -> str | None:
        """The one sentence to show, the first time it is asked after a failure; None otherwise."""
        with self._lock:
            if self._failed is None or self._notice_taken:
                return None
            self._notice_taken = True
            return f"{self._failed} The rest of this session is scored by the app alone."

    def second_opinion(self, result: ScoreResult) -> ScoreResult:
        """``result`` with the model's second opinion (rescored under the rule), or as it was when offline."""
        if self.offline:
            return result
        try:
            opinion = review.ask(self.client, result)
        except LLMUnavailable as exc:
            self._fail(exc)
            return result
        return with_second_opinion(result, opinion, self.score_rule)

    def phrase_follow_up(self, question: Question, transcript: str, point: KeyPoint, offline_text: str) -> str:
        if self.offline:
            return offline_text
        phrasing = followup.follow_up_phrasing(self.client, question, transcript, point, offline_text)
        if not phrasing.by_model and not phrasing.rejected and phrasing.reason:
            self._fail(LLMUnavailable(phrasing.reason))
        return phrasing.text
