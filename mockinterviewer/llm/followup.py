"""Follow-up questions phrased by the model: the app chooses the point, the model only words it.

The model is asked to ask about the point naturally, referring to what the candidate said,
without naming it. Its phrasing is held to the test every follow-up passes (``core/reveal``: the
point's words in any form, or scored as an answer it makes the point): one that gives the point
away, one that only repeats the question, or no usable reply, falls back to the offline phrasing.
``core/followups.reworded`` applies it to a follow-up, for the window and the CLI alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from mockinterviewer.core.bank import KeyPoint, Question
from mockinterviewer.core.reveal import given_away
from mockinterviewer.core.textnorm import tokens
from mockinterviewer.llm.client import ChatClient, LLMUnavailable

QUESTION_CHARS = 120
TRANSCRIPT_CHARS = 1200
SCHEMA = {"type": "object", "properties": {"question": {"type": "string", "maxLength": QUESTION_CHARS}},
          "required": ["question"], "additionalProperties": False}


@dataclass(frozen=True)
class Phrasing:
    text: str            # what to ask
    by_model: bool       # False: the offline phrasing
    rejected: str = ""   # the model's phrasing when it gave the point away
    reason: str = ""     # why the offline phrasing is used


def prompt(question: str, transcript: str, point: KeyPoint) -> str:
    said = transcript if len(transcript) <= TRANSCRIPT_CHARS else transcript[-TRANSCRIPT_CHARS:]
    return (f"Interview question: {question}\nThe candidate said: {said}\n"
            f"They did not mention: {point.label}\n"
            "Ask one short follow-up question that leads them towards it, referring to what they said, "
            "without naming it or its words.")


def follow_up_phrasing(client: ChatClient | None, question: Question, transcript: str, point: KeyPoint,
                       offline_text: str, max_tokens: int = 60) -> Phrasing:
    if client is None:
        return Phrasing(offline_text, False, reason="no language model is configured")
    try:
        text = client.chat_json(prompt(question.text, transcript, point), SCHEMA, "follow_up",
                                max_tokens=max_tokens)["question"].strip()
    except LLMUnavailable as exc:
        return Phrasing(offline_text, False, reason=str(exc))
    if not text:
        return Phrasing(offline_text, False, reason="the model's phrasing was empty")
    if set(tokens(text)) <= set(tokens(question.text)):
        return Phrasing(offline_text, False, rejected=text, reason="the model's phrasing only repeated the question")
    gave = given_away(question, point, text)
    if gave:
        return Phrasing(offline_text, False, rejected=text, reason=f"the model's phrasing gave the point away ({gave})")
    return Phrasing(text, True)


def phrase_follow_up(client: ChatClient | None, question: Question, transcript: str, point: KeyPoint,
                     offline_text: str) -> str:
    """The follow-up to ask about ``point``: the model's phrasing if it keeps the point hidden, else ``offline_text``."""
    return follow_up_phrasing(client, question, transcript, point, offline_text).text
