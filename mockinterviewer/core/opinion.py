"""What a language model said about an answer, as stored with the result (docs/language-model.md).

Plain values, kept with the ``ScoreResult`` they are about and named after the model that wrote
them, so a report can say which verdicts came from the app's judge and which from the model.
No Qt, no network: the asking is done by ``mockinterviewer/llm``.
"""

from __future__ import annotations

from dataclasses import dataclass

MAKES, CONTRADICTS, NOT_ADDRESSED = "makes", "contradicts", "not_addressed"
VERDICTS = (MAKES, CONTRADICTS, NOT_ADDRESSED)
VERDICT_WORDS = {MAKES: "makes the point", CONTRADICTS: "contradicts the point", NOT_ADDRESSED: "does not address it"}

# How a second opinion changes the score (a setting; docs/language-model.md states the rule).
SHOW_ONLY, RAISE_MISSED = "show", "raise"
SCORE_RULES = (SHOW_ONLY, RAISE_MISSED)


@dataclass(frozen=True)
class PointOpinion:
    label: str       # the key point, as the app's judge names it
    verdict: str     # makes | contradicts | not_addressed
    quote: str       # the answer's words the model quoted ("" when it quoted none)
    quote_found: bool = False  # whether those words are in the answer (checked by the app, not the model)
    changed: bool = False      # whether this opinion changed the point's status under the score rule

    @property
    def words(self) -> str:
        return VERDICT_WORDS.get(self.verdict, self.verdict)


@dataclass(frozen=True)
class SecondOpinion:
    model: str                                 # the model's name, as the user configured it
    points: tuple[PointOpinion, ...] = ()
    strengths: str = ""                        # the written critique
    fix: str = ""
    rule: str = SHOW_ONLY                      # the score rule in force when it was given
    score_before: int | None = None            # the app's own score, when the rule changed it

    def for_label(self, label: str) -> PointOpinion | None:
        return next((p for p in self.points if p.label == label), None)

    @property
    def critique(self) -> str:
        """One line for the feedback and the reports."""
        parts = [f"Strengths: {self.strengths}" if self.strengths else "",
                 f"One thing to fix: {self.fix}" if self.fix else ""]
        return " ".join(p if p.endswith(".") else p + "." for p in parts if p)

    def to_dict(self) -> dict:
        return {"model": self.model, "rule": self.rule, "score_before": self.score_before,
                "strengths": self.strengths, "fix": self.fix,
                "points": [{"label": p.label, "verdict": p.verdict, "quote": p.quote, "quote_found": p.quote_found,
                            "changed": p.changed} for p in self.points]}

    @classmethod
    def from_dict(cls, data) -> "SecondOpinion | None":
        """What ``to_dict`` wrote; None for anything else (a stored row is hostile until checked)."""
        if not isinstance(data, dict) or not isinstance(data.get("model"), str):
            return None
        points = []
        for p in data.get("points") or ():
            if isinstance(p, dict) and isinstance(p.get("label"), str) and p.get("verdict") in VERDICTS:
                points.append(PointOpinion(p["label"], p["verdict"], str(p.get("quote") or "")[:500],
                                           bool(p.get("quote_found")), bool(p.get("changed"))))
        before = data.get("score_before")
        return cls(data["model"][:200], tuple(points), str(data.get("strengths") or "")[:1000],
                   str(data.get("fix") or "")[:1000], data.get("rule") if data.get("rule") in SCORE_RULES else SHOW_ONLY,
                   before if isinstance(before, int) and not isinstance(before, bool) else None)
