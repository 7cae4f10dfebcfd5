"""The second opinion: the model's verdict on the points the app's judge did not credit, and a critique.

One request per answer (the prompt is shared by every point, which matters on a slow computer):
the question, the answer as scored, and the labels of the points marked missed, partly or
stated incorrectly. The model answers each with makes / contradicts / not_addressed and the
words it relies on, plus one strength and one thing to fix, in a JSON schema.
"""

from __future__ import annotations

from mockinterviewer.core.claims import INCORRECT, MISSED, PARTLY
from mockinterviewer.core.opinion import VERDICTS, PointOpinion, SecondOpinion
from mockinterviewer.core.scoring import ScoreResult
from mockinterviewer.llm.client import ChatClient

QUOTE_CHARS = 40       # short fields keep a slow local model's reply short
CRITIQUE_CHARS = 60
MAX_ANSWER_CHARS = 4000  # about 3 minutes spoken; longer answers are cut (the prompt says so)
ASKED = (MISSED, PARTLY, INCORRECT)


def points_to_ask(result: ScoreResult) -> list[str]:
    """The labels the second opinion is about: those the app did not fully credit."""
    return [k.label for k in result.key_points if k.status in ASKED]


def schema(n: int) -> dict:
    point = {"type": "object",
             "properties": {"point": {"type": "integer", "minimum": 1, "maximum": max(n, 1)},
                            "verdict": {"type": "string", "enum": list(VERDICTS)},
                            "quote": {"type": "string", "maxLength": QUOTE_CHARS}},
             "required": ["point", "verdict", "quote"], "additionalProperties": False}
    return {"type": "object",
            "properties": {"points": {"type": "array", "items": point, "minItems": n, "maxItems": n},
                           "strengths": {"type": "string", "maxLength": CRITIQUE_CHARS},
                           "fix": {"type": "string", "maxLength": CRITIQUE_CHARS}},
            "required": ["points", "strengths", "fix"], "additionalProperties": False}


def prompt(question: str, answer: str, labels: list[str]) -> str:
    if len(answer) > MAX_ANSWER_CHARS:
        answer = answer[:MAX_ANSWER_CHARS] + " [cut]"
    lines = [f"Question: {question}", f"Answer: {answer}"]
    if labels:
        lines.append("Key points:")
        lines += [f"{i}. {label}" for i, label in enumerate(labels, 1)]
        lines.append("For each key point: does the answer make it (makes), contradict it (contradicts) or not "
                     "address it (not_addressed)? Quote the answer's words.")
    lines.append("Then name one strength and one thing to fix, briefly.")
    return "\n".join(lines)


def ask(client: ChatClient, result: ScoreResult, max_tokens: int = 250) -> SecondOpinion:
    """The model's second opinion on ``result`` (LLMUnavailable when it gives none usable)."""
    labels = points_to_ask(result)
    reply = client.chat_json(prompt(result.question, result.transcript.text, labels), schema(len(labels)),
                             "second_opinion", max_tokens=max_tokens)
    seen: dict[int, PointOpinion] = {}
    for item in reply["points"]:
        i = item["point"]
        if i not in seen:  # a model repeating a number: its first word on it counts
            seen[i] = PointOpinion(labels[i - 1], item["verdict"], item["quote"].strip())
    return SecondOpinion(client.model, tuple(seen[i] for i in sorted(seen)),
                         reply["strengths"].strip(), reply["fix"].strip())
