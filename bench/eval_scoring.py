"""Scoring quality, measured: the evaluation set through the whole pipeline and from typed text.

For every answer of bench/eval/answers.yaml (several levels of coverage per question, labelled with
the key points each one covers), the text is rendered by synthetic voices that no project code
wrote (espeak-ng, flite, festival), clean and with pink noise, transcribed by the real model and
scored; the typed text is scored too. Prints, and with --markdown writes, the figures that
docs/scoring.md reports:

- key-point precision and recall, audio and typed, per voice and noise condition;
- how often complete > partial > off-topic holds, per question;
- the score distribution per level;
- the same on held-out voices (not used while tuning), for the issue's acceptance check.

Usage: python bench/eval_scoring.py [--voices set|held-out|all] [--questions N] [--markdown FILE]
Needs espeak-ng, flite, festival with festvox-us-slt-hts, and sox (make bench installs them).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mockinterviewer.core.bank import load_bank  # noqa: E402
from mockinterviewer.core.scoring import score_answer  # noqa: E402
from mockinterviewer.core.transcript import Transcript  # noqa: E402

EVAL_SET = ROOT / "bench" / "eval" / "answers.yaml"
LEVELS = ("complete", "partial", "paraphrased", "off_topic")
SET_VOICES = ("espeak-ng:en-us", "flite:slt", "festival:cmu_us_slt_arctic_hts")
HELD_OUT_VOICES = ("flite:rms", "flite:awb", "espeak-ng:en-gb-x-rp")
NOISE_SNR_DB = 15


@dataclass(frozen=True)
class Answer:
    question_id: str
    level: str
    text: str
    covers: frozenset[str]


def load_eval_set(bank) -> list[Answer]:
    data = yaml.safe_load(EVAL_SET.read_text())
    answers = []
    for entry in data["questions"]:
        question = bank.get(entry["id"])
        if question is None:
            raise SystemExit(f"{EVAL_SET}: question {entry['id']!r} is not in the bank")
        labels = {k.label for k in question.key_points}
        for a in entry["answers"]:
            unknown = set(a.get("covers", [])) - labels
            if unknown:
                raise SystemExit(f"{EVAL_SET}: {entry['id']} {a['level']}: no key point labelled {sorted(unknown)}")
            answers.append(Answer(entry["id"], a["level"], " ".join(a["text"].split()), frozenset(a.get("covers", []))))
    return answers


def render(text: str, voice: str, out: Path) -> Path:
    """Speech for ``text`` by ``voice`` ("engine:name"), as 16 kHz mono WAV."""
    engine, name = voice.split(":", 1)
    raw = out.with_suffix(".raw.wav")
    if engine == "espeak-ng":
        subprocess.run(["espeak-ng", "-v", name, "-s", "160", "-w", str(raw), text], check=True)
    elif engine == "flite":
        subprocess.run(["flite", "-voice", name, "-t", text, "-o", str(raw)], check=True)
    elif engine == "festival":
        script = out.with_suffix(".txt")
        script.write_text(text)
        subprocess.run(["text2wave", "-eval", f"(voice_{name})", str(script), "-o", str(raw)], check=True,
                       capture_output=True)
    else:
        raise ValueError(voice)
    subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(out)], check=True)
    raw.unlink()
    return out


def add_noise(clean: Path, out: Path, snr_db: float = NOISE_SNR_DB) -> Path:
    """Pink noise (a room, a fan) mixed in at ``snr_db`` below the speech's RMS level."""
    stat = subprocess.run(["sox", str(clean), "-n", "stat"], capture_output=True, text=True).stderr
    rms = float(next(line.split()[-1] for line in stat.splitlines() if line.startswith("RMS     amplitude")))
    seconds = float(next(line.split()[-1] for line in stat.splitlines() if line.startswith("Length (seconds)")))
    noise = out.with_suffix(".noise.wav")
    subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", str(noise), "synth", f"{seconds}", "pinknoise",
                    "vol", f"{rms / (10 ** (snr_db / 20)) * 3:.6f}"], check=True)  # pink noise RMS is ~1/3 of vol
    subprocess.run(["sox", "-m", str(clean), str(noise), str(out)], check=True)
    noise.unlink()
    return out


class Tally:
    def __init__(self):
        self.tp = self.fp = self.fn = 0

    def add(self, predicted: set, truth: frozenset):
        self.tp += len(predicted & truth)
        self.fp += len(predicted - truth)
        self.fn += len(truth - predicted)

    @property
    def precision(self):
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self):
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def ordering_holds(scores: dict[str, float]) -> bool:
    return scores["complete"] > scores["partial"] > scores["off_topic"]


def evaluate(voices, limit=None, markdown=None, noise=True):
    from mockinterviewer.settings import Settings, make_transcriber
    from mockinterviewer.speech.audio import load_audio

    bank = load_bank(ROOT / "questions" / "ml-engineer.yaml")
    answers = load_eval_set(bank)
    if limit:
        keep = list(dict.fromkeys(a.question_id for a in answers))[:limit]
        answers = [a for a in answers if a.question_id in keep]
    transcriber = make_transcriber(Settings(device="cpu"))
    transcriber.load()
    work = Path(tempfile.mkdtemp(prefix="mi-eval-"))
    kinds = ("clean", "noise") if noise else ("clean",)
    conditions = ["typed"] + [f"{v}|{n}" for v in voices for n in kinds]
    tallies = defaultdict(Tally)
    scores = defaultdict(dict)  # condition -> (question, level) -> score
    timings = []
    for i, answer in enumerate(answers):
        question = bank.get(answer.question_id)
        result = score_answer(question, Transcript.typed(answer.text))
        tallies["typed"].add({k.label for k in result.covered}, answer.covers)
        scores["typed"][(answer.question_id, answer.level)] = result.score
        for voice in voices:
            clean = render(answer.text, voice, work / f"{i}-{voice.replace(':', '_')}.wav")
            paths = [("clean", clean)]
            if noise:
                paths.append(("noise", add_noise(clean, work / f"{i}-{voice.replace(':', '_')}-noise.wav")))
            for kind, path in paths:
                start = time.perf_counter()
                try:
                    transcript = transcriber.transcribe(load_audio(path))
                except Exception:
                    transcript = Transcript("", model="tiny.en")
                timings.append(time.perf_counter() - start)
                result = score_answer(question, transcript)
                key = f"{voice}|{kind}"
                tallies[key].add({k.label for k in result.covered}, answer.covers)
                scores[key][(answer.question_id, answer.level)] = result.score
                path.unlink()
        print(f"  {i + 1}/{len(answers)} {answer.question_id} {answer.level}", file=sys.stderr)
    return report(conditions, tallies, scores, answers, timings, markdown)


def report(conditions, tallies, scores, answers, timings, markdown):
    questions = list(dict.fromkeys(a.question_id for a in answers))
    lines = [f"{len(questions)} questions, {len(answers)} answers; transcription median {statistics.median(timings or [0]):.2f} s",
             "", "| condition | key-point precision | recall | complete > partial > off-topic | complete ≥ 60 | off-topic ≤ 20 |",
             "|---|---|---|---|---|---|"]
    audio = Tally()
    for c in conditions:
        t = tallies[c]
        if c != "typed":
            audio.tp, audio.fp, audio.fn = audio.tp + t.tp, audio.fp + t.fp, audio.fn + t.fn
        by_q = {q: {lvl: scores[c].get((q, lvl)) for lvl in LEVELS} for q in questions}
        ordered = sum(ordering_holds(s) for s in by_q.values() if None not in (s["complete"], s["partial"], s["off_topic"]))
        complete_ok = sum(s["complete"] >= 60 for s in by_q.values() if s["complete"] is not None)
        off_ok = sum(s["off_topic"] <= 20 for s in by_q.values() if s["off_topic"] is not None)
        lines.append(f"| {c} | {t.precision:.2f} | {t.recall:.2f} | {ordered}/{len(questions)} | "
                     f"{complete_ok}/{len(questions)} | {off_ok}/{len(questions)} |")
    lines.append(f"| all audio | {audio.precision:.2f} | {audio.recall:.2f} | | | |")
    lines += ["", "Score per level (median, min–max), all conditions with audio:", "",
              "| level | typed | audio |", "|---|---|---|"]
    for level in LEVELS:
        typed = [v for (q, lvl), v in scores["typed"].items() if lvl == level]
        heard = [v for c in conditions[1:] for (q, lvl), v in scores[c].items() if lvl == level]
        fmt = lambda xs: f"{statistics.median(xs):.0f} ({min(xs)}–{max(xs)})" if xs else "–"  # noqa: E731
        lines.append(f"| {level} | {fmt(typed)} | {fmt(heard)} |")
    failures = []
    for c in conditions[1:]:
        for q in questions:
            s = {lvl: scores[c].get((q, lvl)) for lvl in LEVELS}
            if None in (s["complete"], s["partial"], s["off_topic"]):
                continue
            if not ordering_holds(s) or s["complete"] < 60 or s["off_topic"] > 20:
                failures.append(f"{c} {q}: complete {s['complete']}, partial {s['partial']}, "
                                f"paraphrased {s['paraphrased']}, off-topic {s['off_topic']}")
    lines += ["", f"Questions where the acceptance check fails: {len(failures)}"] + [f"- {f}" for f in failures]
    text = "\n".join(lines)
    print(text)
    if markdown:
        Path(markdown).write_text(text + "\n")
    return failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--voices", choices=("set", "held-out", "all"), default="set")
    parser.add_argument("--questions", type=int, default=None, help="only the first N questions of the set")
    parser.add_argument("--markdown", help="also write the tables to this file")
    parser.add_argument("--no-noise", action="store_true", help="clean recordings only")
    args = parser.parse_args()
    voices = {"set": SET_VOICES, "held-out": HELD_OUT_VOICES, "all": SET_VOICES + HELD_OUT_VOICES}[args.voices]
    evaluate(voices, args.questions, args.markdown, noise=not args.no_noise)


if __name__ == "__main__":
    main()
