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
                                    [--audio-dir DIR [--render-only]] [--jobs N] [--no-noise]
Rendering needs espeak-ng, flite, festival with festvox-us-slt-hts, and sox (make bench installs
them); transcribing rendered recordings (--audio-dir) needs only the app, so the slow part can
run on a machine with more cores.
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


def add_noise(speech, snr_db: float = NOISE_SNR_DB, seed: int = 0):
    """Pink noise (a room, a fan) mixed in ``snr_db`` below the speech's RMS level. Made with
    numpy from a seed, so the same noise is added wherever the benchmark runs."""
    import numpy as np

    rng = np.random.default_rng(seed)
    spectrum = np.fft.rfft(rng.standard_normal(len(speech)))
    spectrum /= np.sqrt(np.maximum(np.arange(len(spectrum)), 1))  # 1/f power: pink
    noise = np.fft.irfft(spectrum, n=len(speech)).astype(np.float32)
    rms = lambda x: float(np.sqrt(np.mean(np.square(x)))) or 1e-9  # noqa: E731
    noise *= rms(speech) / rms(noise) / (10 ** (snr_db / 20))
    return np.clip(speech + noise, -1, 1).astype(np.float32)


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


def render_all(answers, voices, folder: Path) -> None:
    """Clean recordings of every answer by every voice, as FLAC: ``{i}-{voice}.flac``."""
    import soundfile

    from mockinterviewer.speech.audio import load_audio

    folder.mkdir(parents=True, exist_ok=True)
    for i, answer in enumerate(answers):
        for voice in voices:
            target = folder / f"{i}-{voice.replace(':', '_')}.flac"
            if not target.exists():
                wav = render(answer.text, voice, folder / "tmp.wav")
                soundfile.write(target, load_audio(wav), 16000)
                wav.unlink()
        print(f"  rendered {i + 1}/{len(answers)}", file=sys.stderr)


_MODEL = None


def _transcribe_job(job):
    """One answer by one voice, clean or noisy (runs in a worker process with its own model)."""
    global _MODEL
    from mockinterviewer.speech.audio import load_audio
    from mockinterviewer.speech.transcriber import TranscriberSettings, WhisperTranscriber

    path, model, noisy, seed, prompt, whole = job
    if _MODEL is None:
        _MODEL = WhisperTranscriber(TranscriberSettings(model=model, device="cpu", cpu_threads=2))
        _MODEL.load()
    audio = load_audio(path)
    if noisy:
        audio = add_noise(audio, seed=seed)
    start = time.perf_counter()
    try:
        if whole:
            transcript = _MODEL.transcribe(audio, prompt=prompt)
        else:  # as the app does it: stretches cut at pauses while the answer is spoken
            from mockinterviewer.speech.incremental import IncrementalTranscriber

            transcript = IncrementalTranscriber(_MODEL, prompt=prompt, background=False).transcribe_as_spoken(audio)
    except Exception:  # silence or no speech heard: an empty transcript, scored as such
        transcript = Transcript("", model="")
    return transcript, time.perf_counter() - start


def evaluate(voices, limit=None, markdown=None, noise=True, audio_dir=None, jobs=1, model="tiny.en", prompt=False,
             whole=False):
    from mockinterviewer.speech.incremental import question_prompt

    from concurrent.futures import ProcessPoolExecutor

    bank = load_bank(ROOT / "questions" / "ml-engineer.yaml")
    answers = load_eval_set(bank)
    if limit:
        keep = list(dict.fromkeys(a.question_id for a in answers))[:limit]
        answers = [a for a in answers if a.question_id in keep]
    folder = Path(audio_dir) if audio_dir else Path(tempfile.mkdtemp(prefix="mi-eval-"))
    render_all(answers, voices, folder)
    kinds = ("clean", "noise") if noise else ("clean",)
    conditions = ["typed"] + [f"{v}|{n}" for v in voices for n in kinds]
    keys, work = [], []
    for i, answer in enumerate(answers):
        for voice in voices:
            for kind in kinds:
                keys.append((i, f"{voice}|{kind}"))
                work.append((str(folder / f"{i}-{voice.replace(':', '_')}.flac"), model, kind == "noise", i,
                             question_prompt(bank.get(answer.question_id)) if prompt else None, whole))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        done = list(pool.map(_transcribe_job, work, chunksize=4))
    tallies = defaultdict(Tally)
    scores = defaultdict(dict)  # condition -> (question, level) -> score
    for answer in answers:
        result = score_answer(bank.get(answer.question_id), Transcript.typed(answer.text))
        tallies["typed"].add({k.label for k in result.covered}, answer.covers)
        scores["typed"][(answer.question_id, answer.level)] = result.score
    for (i, key), (transcript, _seconds) in zip(keys, done):
        answer = answers[i]
        result = score_answer(bank.get(answer.question_id), transcript)
        tallies[key].add({k.label for k in result.covered}, answer.covers)
        scores[key][(answer.question_id, answer.level)] = result.score
    return report(conditions, tallies, scores, answers, [sec for _, sec in done], markdown)


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
    parser.add_argument("--audio-dir", help="keep (or reuse) the rendered recordings here")
    parser.add_argument("--render-only", action="store_true", help="render the recordings into --audio-dir and stop")
    parser.add_argument("--jobs", type=int, default=1, help="transcribe in this many processes (2 threads each)")
    parser.add_argument("--model", default="tiny.en", help="model name or folder (default: the bundled tiny.en)")
    parser.add_argument("--prompt", action="store_true", help="bias the decoder with the question's vocabulary")
    parser.add_argument("--whole-file", action="store_true",
                        help="transcribe each recording in one go, not as the app does while the answer is spoken")
    args = parser.parse_args()
    voices = {"set": SET_VOICES, "held-out": HELD_OUT_VOICES, "all": SET_VOICES + HELD_OUT_VOICES}[args.voices]
    if args.render_only:
        bank = load_bank(ROOT / "questions" / "ml-engineer.yaml")
        render_all(load_eval_set(bank), voices, Path(args.audio_dir))
        return
    evaluate(voices, args.questions, args.markdown, noise=not args.no_noise, audio_dir=args.audio_dir,
             jobs=args.jobs, model=args.model, prompt=args.prompt, whole=args.whole_file)


if __name__ == "__main__":
    main()
