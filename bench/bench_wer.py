"""Word error rate per voice, per path and per model, beside the key-point figures (docs/scoring.md).

Two parts, each comparing the app's path with a whole-file decode of the same audio:

1. The evaluation set: bench/eval/answers.yaml read by eval_scoring's voices (held-out by default),
   each recording transcribed as the app does it while the answer is spoken (``incremental``:
   stretches cut at pauses, prompted with the question's vocabulary and the last words heard) and
   as one whole file, by every model available here (tiny.en; base with the ``base`` extra;
   small.en once downloaded). Key-point precision and recall of each path sit beside its WER.
2. Long answers (60-180 s; espeak-ng sentences joined by pauses of 0.4-1.5 s, as a person speaks,
   and Stop pressed a second after the last word), fed on the clock in 64 ms blocks as a
   microphone delivers them: Stop->score (median of the runs), the instant result's WER, and the
   whole-file decode after Stop as the baseline, timed in the same run.

WER counts substituted, inserted and deleted words against the text that was spoken, after the
scorer's normalisation (core/textnorm.py) and with British -ise spellings written -ize on both
sides. "Invented" counts stock phrases and repeated runs of 4+ words (speech/invented.py).

Usage: python bench/bench_wer.py [--voices held-out|set|all] [--levels complete ...] [--questions N]
                                 [--models tiny.en base] [--lengths 60 120 180] [--runs 2]
                                 [--live-models tiny.en] [--stop-after 1.0] [--skip-eval] [--skip-live] [--markdown FILE]
                                 [--audio-dir DIR]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.eval_scoring import HELD_OUT_VOICES, SET_VOICES, Tally, _audio_name, load_eval_set, render_all  # noqa: E402
from mockinterviewer.core.bank import load_bank  # noqa: E402
from mockinterviewer.core.scoring import score_answer  # noqa: E402
from mockinterviewer.core.textnorm import tokens  # noqa: E402
from mockinterviewer.core.transcript import Transcript  # noqa: E402
from mockinterviewer.speech.audio import SAMPLE_RATE, load_audio  # noqa: E402
from mockinterviewer.speech.invented import is_stock_phrase  # noqa: E402

BLOCK = 1024  # samples per block at 16 kHz, about what PortAudio hands over (64 ms)
PATHS = ("incremental", "whole file")
_BRITISH = re.compile(r"(?<=\w\w\w)is(e|es|ed|ing|ation|ations|er|ers)$")
_DOT = re.compile(r"(?<=\w)\.(?=\w)")  # "torchvision.transforms" is said "torchvision dot transforms"


def wer_counts(reference: str, heard: str) -> tuple[int, int]:
    """(word edits, words in the reference). A dot inside a name counts as the word "dot" on both
    sides, as the voices say it: otherwise a transcript that writes what was said ("transforms
    dot v2") is charged for the words a whole-file decode leaves out ("transforms.v2")."""
    from rapidfuzz.distance import Levenshtein

    ref, hyp = ([_BRITISH.sub(r"iz\1", w) for w in tokens(_DOT.sub(" dot ", t))] for t in (reference, heard))
    return Levenshtein.distance(ref, hyp), len(ref)


def invented(text: str) -> int:
    """Stock phrases and repeated runs of 4+ words in ``text``."""
    stock = sum(is_stock_phrase(s) for s in re.split(r"(?<=[.!?])\s+", text) if s.strip())
    said = [w.strip(".,!?").lower() for w in text.split()]
    repeats = sum(said[i:i + 4] == said[i + 4:i + 8] for i in range(len(said) - 7))
    return stock + repeats


def available_models(cache_dir: Path) -> list[str]:
    from mockinterviewer.speech.model_choice import GPU_MODEL, installed_models

    found = installed_models(cache_dir)
    return [m for m in ("tiny.en", "base", GPU_MODEL) if m in found]


def load_transcriber(name: str):
    from mockinterviewer import paths
    from mockinterviewer.speech.transcriber import TranscriberSettings, WhisperTranscriber

    model = WhisperTranscriber(TranscriberSettings(model=name, device="cpu", cache_dir=paths.models_cache_dir()))
    model.load()
    return model


def transcribe(model, question, audio, path: str) -> Transcript:
    from mockinterviewer.speech.incremental import question_prompt, transcribe_answer

    try:
        if path == "incremental":
            return transcribe_answer(model, question, audio)  # the same cuts and prompt as the app's
        return model.transcribe(audio)  # as `mockinterviewer transcribe` does
    except Exception:  # silence or no speech heard: an empty transcript, scored as such
        return Transcript("", model="")


def evaluate_set(bank, voices, levels, limit, model_names, audio_dir: Path) -> list[str]:
    answers = [a for a in load_eval_set(bank) if a.level in levels]
    if limit:
        keep = list(dict.fromkeys(a.question_id for a in answers))[:limit]
        answers = [a for a in answers if a.question_id in keep]
    render_all(answers, voices, audio_dir)
    lines = [f"### Evaluation recordings: {len(answers)} answers ({', '.join(levels)}) x {len(voices)} voices", "",
             "| model | voice | path | WER | key-point precision | recall | invented | decode (median) |",
             "|---|---|---|---|---|---|---|---|"]
    summary = []
    for name in model_names:
        model = load_transcriber(name)
        totals = {p: [0, 0] for p in PATHS}
        for voice in voices:
            for path in PATHS:
                edits = words = made_up = 0
                tally, seconds = Tally(), []
                for i, answer in enumerate(answers):
                    question = bank.get(answer.question_id)
                    audio = load_audio(audio_dir / _audio_name(answer, voice))  # as render_all named it
                    start = time.perf_counter()
                    transcript = transcribe(model, question, audio, path)
                    seconds.append(time.perf_counter() - start)
                    e, n = wer_counts(answer.text, transcript.text)
                    edits, words, made_up = edits + e, words + n, made_up + invented(transcript.text)
                    tally.add({k.label for k in score_answer(question, transcript).covered}, answer.covers)
                totals[path][0] += edits
                totals[path][1] += words
                lines.append(f"| {name} | {voice} | {path} | {edits / words:.3f} | {tally.precision:.2f} | "
                             f"{tally.recall:.2f} | {made_up} | {statistics.median(seconds):.2f} s |")
                print(lines[-1], flush=True)
        inc, whole = (totals[p][0] / totals[p][1] for p in PATHS)
        summary.append(f"| {name} | {inc:.3f} | {whole:.3f} | {inc / whole:.2f} |")
    return lines + ["", "All voices together:", "", "| model | incremental WER | whole-file WER | ratio |",
                    "|---|---|---|---|"] + summary


def long_answer(bank, seconds: int, offset: int, folder: Path, voice: str = "en-us",
                stop_after: float = 1.0) -> tuple[np.ndarray, str]:
    """About ``seconds`` of speech: the bank's reference answers sentence by sentence, with pauses,
    and ``stop_after`` seconds of quiet after the last word before Stop is pressed."""
    rng = np.random.default_rng(offset)
    sentences = [s for q in bank.questions[offset:] + bank.questions[:offset]
                 for s in re.split(r"(?<=[.!?])\s+", " ".join(q.answer.split())) if s]
    pieces, said, total = [np.zeros(SAMPLE_RATE // 2, np.float32)], [], 0.0
    wav = folder / "sentence.wav"
    for sentence in sentences:
        subprocess.run(["espeak-ng", "-v", voice, "-s", "160", "-w", str(wav), sentence], check=True)
        speech = load_audio(wav)
        pause = rng.uniform(0.4, 1.5)
        if total + (len(speech) / SAMPLE_RATE) > seconds and said:
            break
        pieces += [speech, np.zeros(int(SAMPLE_RATE * pause), np.float32)]
        said.append(sentence)
        total += len(speech) / SAMPLE_RATE + pause
    wav.unlink()
    pieces[-1] = np.zeros(int(SAMPLE_RATE * stop_after), np.float32)
    return np.concatenate(pieces), " ".join(said)


def run_live(model, question, audio):
    """The answer fed on the clock; (Stop->score seconds, instant transcript, whole-file seconds,
    whole transcript, seconds of audio not decoded yet when Stop was pressed)."""
    from mockinterviewer.speech.incremental import IncrementalTranscriber, question_prompt

    incremental = IncrementalTranscriber(model, prompt=question_prompt(question))
    start = time.perf_counter()
    for i in range(0, len(audio), BLOCK):
        target = start + (i + BLOCK) / SAMPLE_RATE
        incremental.feed(audio[i:i + BLOCK])
        time.sleep(max(0.0, target - time.perf_counter()))
    stop = time.perf_counter()
    undecoded = incremental.undecoded_seconds
    instant = incremental.finish()
    score_answer(question, instant)
    stop_to_score = time.perf_counter() - stop
    incremental.wait()  # a stretch still being decoded again after Stop: not timed, not overlapping the baseline
    base_start = time.perf_counter()
    whole = model.transcribe(audio)
    score_answer(question, whole)
    return stop_to_score, instant, time.perf_counter() - base_start, whole, undecoded


def evaluate_live(bank, model_names, lengths, runs, folder: Path, stop_after: float) -> list[str]:
    question = bank.get("prevent-overfitting")
    lines = [f"### Long answers fed in real time (espeak-ng en-us, sentences joined by 0.4-1.5 s pauses; "
             f"Stop {stop_after:g} s after the last word)", "",
             "| model | answer | Stop->score median | worst | undecoded at Stop | WER incremental | WER whole file | "
             "ratio | invented | whole file after Stop (baseline) | baseline / Stop->score |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name in model_names:
        model = load_transcriber(name)
        for seconds in lengths:
            results = defaultdict(list)
            for r in range(runs):
                audio, said = long_answer(bank, seconds, 3 + 7 * r, folder, stop_after=stop_after)
                stop, instant, base, whole, undecoded = run_live(model, question, audio)
                results["undecoded"].append(undecoded)
                results["stop"].append(stop)
                results["base"].append(base)
                results["inc"].append(wer_counts(said, instant.text))
                results["whole"].append(wer_counts(said, whole.text))
                results["invented"].append(invented(instant.text))
            inc = sum(e for e, _ in results["inc"]) / sum(n for _, n in results["inc"])
            whole = sum(e for e, _ in results["whole"]) / sum(n for _, n in results["whole"])
            stop, base = statistics.median(results["stop"]), statistics.median(results["base"])
            lines.append(f"| {name} | {seconds} s | {stop:.2f} s | {max(results['stop']):.2f} s | "
                         f"{statistics.median(results['undecoded']):.1f} s | {inc:.3f} | "
                         f"{whole:.3f} | {inc / whole:.2f} | {sum(results['invented'])} | {base:.2f} s | "
                         f"{base / stop:.0f}x |")
            print(lines[-1], flush=True)
    return lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--voices", choices=("set", "held-out", "all"), default="held-out")
    parser.add_argument("--levels", nargs="+", default=["complete"],
                        choices=("complete", "partial", "paraphrased", "off_topic"))
    parser.add_argument("--questions", type=int, default=None, help="only the first N questions of the set")
    parser.add_argument("--models", nargs="+", help="models for the evaluation set (default: every one available)")
    parser.add_argument("--live-models", nargs="+", default=["tiny.en"], help="models for the long answers")
    parser.add_argument("--lengths", type=int, nargs="+", default=[60, 120, 180])
    parser.add_argument("--runs", type=int, default=2, help="long answers per length")
    parser.add_argument("--stop-after", type=float, default=1.0,
                        help="seconds of quiet after the last word before Stop (0: Stop mid-word; "
                             "bench_stop_to_score.py stops mid-speech)")
    parser.add_argument("--skip-eval", action="store_true")
    parser.add_argument("--skip-live", action="store_true")
    parser.add_argument("--markdown", help="also write the tables to this file")
    parser.add_argument("--audio-dir", help="keep (or reuse) the rendered recordings here")
    args = parser.parse_args()
    from mockinterviewer import paths

    bank = load_bank(ROOT / "questions" / "ml-engineer.yaml")
    voices = {"set": SET_VOICES, "held-out": HELD_OUT_VOICES, "all": SET_VOICES + HELD_OUT_VOICES}[args.voices]
    folder = Path(args.audio_dir) if args.audio_dir else Path(tempfile.mkdtemp(prefix="mi-wer-"))
    folder.mkdir(parents=True, exist_ok=True)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [f"Word error rate; models on the CPU (int8), {len(os.sched_getaffinity(0))} cores; "
             f"load average at the start {load}", ""]
    if not args.skip_eval:
        lines += evaluate_set(bank, voices, args.levels, args.questions,
                              args.models or available_models(paths.models_cache_dir()), folder) + [""]
    if not args.skip_live:
        lines += evaluate_live(bank, args.live_models, args.lengths, args.runs, folder, args.stop_after)
    lines += ["", f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"]
    text = "\n".join(lines)
    print(text)
    if args.markdown:
        Path(args.markdown).write_text(text + "\n")


if __name__ == "__main__":
    main()
