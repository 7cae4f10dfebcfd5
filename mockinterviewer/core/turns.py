"""One exchange per question: the follow-up turns after the first answer, as plain data.

A turn is what the interviewer asked (``FollowUp``: its kind, words, the key point it aims at, and
the language model that worded it, when one did),
the candidate's reply (a transcript, or none when skipped), its recording, and what the reply
made of that point. ``core/followups`` chooses the turns, ``core/exchange`` judges and credits
them; this module only holds them and reads and writes them for the history and the reports.
"""

from __future__ import annotations

from dataclasses import dataclass

from mockinterviewer.core.matching import Evidence
from mockinterviewer.core.transcript import Transcript, Word

RECOVERED, CORRECTED = "recovered", "corrected"  # a missed (or partly made) point made, a wrong one put right
MODEL_NAME_CHARS = 200  # a language model's name as stored (the history's llm_model column keeps as many)


@dataclass(frozen=True)
class FollowUp:
    kind: str          # challenge | probe | hint | deeper (core/followups.py)
    text: str          # what the interviewer says
    point: str = ""    # the key point's label it aims at ("" for the deeper question)
    index: int = -1    # the key point's index among the question's points (-1 for the deeper question)
    phrased_by: str = ""  # the language model that worded ``text`` ("": the app's own wording)


@dataclass(frozen=True)
class Turn:
    follow_up: FollowUp
    transcript: Transcript | None    # None: the candidate skipped it
    status: str = ""                 # the aimed-at point in this reply: covered | partly | incorrect | missed
    evidence: Evidence | None = None
    audio: str = ""                  # the reply's recording, where there is one
    correction: str = ""             # a point stated wrongly again: what is true

    @property
    def recovered(self) -> bool:
        return self.follow_up.index >= 0 and self.status in ("covered", "partly")

    def to_dict(self) -> dict:
        t = self.transcript
        return {"kind": self.follow_up.kind, "question": self.follow_up.text, "point": self.follow_up.point,
                "point_index": self.follow_up.index, "phrased_by": self.follow_up.phrased_by, "skipped": t is None,
                "transcript": t.text if t else "", "duration": round(t.duration, 2) if t else 0.0,
                "model": t.model if t else "",
                "words": [[w.text, w.start, w.end, round(w.probability, 3)] for w in t.words] if t else [],
                "status": self.status, "correction": self.correction,
                "evidence": None if self.evidence is None else {
                    "text": self.evidence.text, "start": self.evidence.start, "end": self.evidence.end},
                "audio": self.audio}

    @classmethod
    def from_dict(cls, d: dict) -> "Turn":
        transcript = None
        if not d.get("skipped"):
            words = tuple(Word(str(w), s, e, p) for w, s, e, p in d.get("words") or ())
            transcript = Transcript(str(d.get("transcript") or ""), words, float(d.get("duration") or 0.0),
                                    str(d.get("model") or ""))
        ev = d.get("evidence")
        return cls(FollowUp(str(d["kind"]), str(d["question"]), str(d.get("point") or ""),
                            int(d.get("point_index", -1)), str(d.get("phrased_by") or "")[:MODEL_NAME_CHARS]),
                   transcript, str(d.get("status") or ""),
                   None if ev is None else Evidence(str(ev["text"]), ev.get("start"), ev.get("end")),
                   str(d.get("audio") or ""), str(d.get("correction") or ""))
