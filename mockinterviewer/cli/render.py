"""Plain-text rendering of results for the terminal."""

from __future__ import annotations

import textwrap

from mockinterviewer.core.delivery import clock, summary
from mockinterviewer.core.scoring import ScoreResult


def _clock(seconds) -> str:
    return "" if seconds is None else f" at {clock(seconds)}"


def score_text(result: ScoreResult) -> str:
    lines = [f"Question: {result.question} [{result.question_id}]", "",
             "Transcript:", textwrap.indent(textwrap.fill(result.transcript.text or "(nothing)", 88), "  "), "",
             f"Score: {result.score}/100 — {result.headline}", f"  {result.explanation}"]
    lines += [f"  ! {f.message}" for f in result.flags]

    def heard(k):
        return f'heard "{k.evidence.text}"{_clock(k.evidence.start)}' if k.evidence else ""

    if result.covered:
        lines.append("Covered:")
        for k in result.covered:
            if k.follow_up:
                said = f'; heard "{k.follow_up_evidence.text}"' if k.follow_up_evidence else ""
                lines.append(f"  ^ {k.label} ({k.follow_up} on follow-up {k.follow_up_turn}, "
                             f"+{k.follow_up_credit:g} credit{said})")
            elif k.status == "partly":
                lines.append(f"  ~ {k.label} (partly, half credit" + (f"; {heard(k)})" if k.evidence else ")"))
            else:
                lines.append(f"  + {k.label}" + (f" ({heard(k)})" if k.evidence else ""))
    if result.incorrect:
        lines.append("Stated incorrectly:")
        for k in result.incorrect:
            lines.append(f"  x {k.label}" + (f" ({heard(k)})" if k.evidence else ""))
            lines.append(f"      correct: {k.correction or k.label}")
    if result.missed:
        lines.append("Missed:")
        lines.extend(f"  - {k.label} (you could say {k.reference})" for k in result.missed)
    if result.turns:
        lines += ["", "Follow-ups:"]
        for n, turn in enumerate(result.turns, 1):
            lines.append(f"  {n}. {turn.follow_up.text}")
            reply = "(skipped)" if turn.transcript is None else (turn.transcript.text or "(nothing)")
            lines.append(textwrap.indent(textwrap.fill(reply, 84), "     "))
            lines.append(f"     {turn_line(turn)}")
    lines += second_opinion_lines(result)
    if result.delivery:
        lines += ["", "Delivery: " + summary(result.delivery)]
        lines += [f"  {note}" for note in result.delivery.notes]
    lines += ["", "Reference answer:", textwrap.indent(textwrap.fill(" ".join(result.reference_answer.split()), 88), "  ")]
    return "\n".join(lines)


def turn_line(turn) -> str:
    """What a follow-up reply made of the point it aimed at, in one line."""
    if turn.transcript is None:
        return "skipped"
    if turn.follow_up.index < 0:
        return "a deeper question: kept, not scored"
    heard = f' (heard "{turn.evidence.text}"{_clock(turn.evidence.start)})' if turn.evidence else ""
    what = {"covered": "made", "partly": "partly made", "incorrect": "stated incorrectly again",
            "missed": "still missed"}.get(turn.status, turn.status)
    return f"{turn.follow_up.point}: {what}{heard}"
def second_opinion_lines(result: ScoreResult) -> list[str]:
    """The language model's opinion, named as the model's, beside the app's verdicts."""
    o = result.second_opinion
    if o is None:
        return []
    rule = ("it changed the score from " + str(o.score_before) if o.score_before is not None
            else "the score is the app's own")
    lines = ["", f"Second opinion by the language model {o.model} ({rule}):"]
    for p in o.points:
        quote = f' — quoting "{p.quote}"' + ("" if p.quote_found or not p.quote else " (not found in the answer)")
        lines.append(f"  {p.label}: the answer {p.words}{quote if p.quote else ''}"
                     + ("; counted as partly" if p.changed else ""))
    if o.critique:
        lines.append(f"Critique written by {o.model}: {o.critique}")
    return lines


def doctor_text(report: dict) -> str:
    ok = lambda flag: "ok" if flag else "PROBLEM"  # noqa: E731
    audio, speech, model, cuda = report["audio"], report["speech"], report["model"], report["cuda"]
    lines = [f"Mock Interviewer {report['version']} (Python {report['python']}, {report['platform']})", ""]
    if audio["ok"]:
        lines.append(f"Microphone: {audio.get('default_input') or audio.get('input_problem')}")
        lines.append(f"Speaker:    {audio.get('default_output') or audio.get('output_problem')}")
        lines.append(f"  inputs:  {', '.join(audio['inputs']) or 'none'}")
        lines.append(f"  outputs: {', '.join(audio['outputs']) or 'none'}")
    else:
        lines.append(f"Audio: PROBLEM - {audio['problem']}")
    if speech["ok"]:
        lines.append(f"Text-to-speech: ok - {speech['engine']}, {speech['voices']} voices, reading in {speech['voice']}")
    else:
        lines.append(f"Text-to-speech: PROBLEM - {speech['problem']}")
    where = "bundled" if model.get("bundled") else (model.get("path") or "downloaded on first use")
    if model.get("loads"):
        lines.append(f"Model: {ok(True)} - {model['name']} ({where}), loads in {model['load_seconds']} s "
                     f"on {model['device']} ({model['compute_type']}, {model['cpu_threads']} CPU threads)")
        if model.get("chosen_for_this_computer"):
            lines.append(f"  chosen for this computer: {model['chosen_for_this_computer']['reason']} "
                         "(choose another with --model or in Settings)")
    else:
        lines.append(f"Model: PROBLEM - {model.get('problem')}")
    lines.append(f"CUDA: {cuda['devices']} GPU(s) seen by CTranslate2" + ("; transcribing on the GPU" if cuda["used"] else "")
                 + (f"; {model['gpu_fallback']}" if model.get("gpu_fallback") else ""))
    for bank in report["banks"]:
        lines.append(f"Bank: {bank['id']} - {bank['questions']} questions ({bank['file']})")
    for bank in report["broken_banks"]:
        lines.append(f"Bank: PROBLEM - {bank['file']}" + (f", line {bank['line']}" if bank["line"] else "") + f": {bank['problem']}")
    lines.append(f"Your banks go in: {report['folders']['user_banks']}")
    return "\n".join(lines)
