"""Time from Stop to the final transcript and score, for answers of 30, 60, 120 and 180 s.

Each answer (espeak-ng reading the bank's reference answers) is fed block by block on the clock,
as a microphone delivers it, to the incremental transcriber the app uses; at the end the clock
stops and ``finish`` + scoring are timed. Stop is pressed mid-speech: the worst case, where the
last words are always left to decode (bench_wer.py presses it a second after the last word).
The baseline, in the same run, is what the walking skeleton did: transcribe the whole recording
after Stop. Targets: issue #5, for 120-s answers on 2 cores with tiny.en, under 1 s (median) and
at least 5x faster than the baseline; issue #14, 0.5 s. The machine's load average is printed
before and after: on a shared machine every figure is slower (the worker decodes at a lower
priority than the baseline, see speech/priority.py, so it loses more to other programs).

Usage: python bench/bench_stop_to_score.py [--lengths 30 60 120 180] [--runs 2] [--model tiny.en]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mockinterviewer.core.bank import load_bank  # noqa: E402
from mockinterviewer.core.scoring import score_answer  # noqa: E402
from mockinterviewer.settings import Settings, make_transcriber  # noqa: E402
from mockinterviewer.speech.audio import SAMPLE_RATE, load_audio  # noqa: E402
from mockinterviewer.speech.incremental import IncrementalTranscriber, question_prompt  # noqa: E402

BLOCK = 1024  # samples per block at 16 kHz, about what PortAudio hands over (64 ms)


def answer_audio(bank, seconds: int, offset: int, folder: Path) -> np.ndarray:
    """``seconds`` of speech: reference answers read one after another, with sentence pauses."""
    words = [w for q in bank.questions[offset:] + bank.questions[:offset] for w in q.answer.split()]
    text = " ".join(words[: int(seconds * 2.9)])  # espeak at 160 wpm speaks ~2.7 words a second
    wav = folder / f"{seconds}-{offset}.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "160", "-w", str(wav), text], check=True)
    return load_audio(wav)[: seconds * SAMPLE_RATE]


def run_once(transcriber, question, audio):
    incremental = IncrementalTranscriber(transcriber, prompt=question_prompt(question))
    start = time.perf_counter()
    for i in range(0, len(audio), BLOCK):  # on the clock, as a microphone delivers it
        target = start + (i + BLOCK) / SAMPLE_RATE
        incremental.feed(audio[i:i + BLOCK])
        time.sleep(max(0.0, target - time.perf_counter()))
    stop = time.perf_counter()
    result = score_answer(question, incremental.finish())
    stop_to_score = time.perf_counter() - stop
    incremental.wait()  # a stretch being decoded again after Stop (not timed, not beside the baseline)
    base_start = time.perf_counter()
    score_answer(question, transcriber.transcribe(audio, prompt=question_prompt(question)))
    baseline = time.perf_counter() - base_start
    return stop_to_score, baseline, result.score


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lengths", type=int, nargs="+", default=[30, 60, 120, 180])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--model", default="tiny.en")
    args = parser.parse_args()
    bank = load_bank(ROOT / "questions" / "ml-engineer.yaml")
    question = bank.get("prevent-overfitting")
    transcriber = make_transcriber(Settings(model=args.model, device="cpu"))
    transcriber.load()
    folder = Path(tempfile.mkdtemp(prefix="mi-stop-"))
    print(f"model {args.model} on {transcriber.device} ({transcriber.compute_type}); {args.runs} runs per length; "
          "answers fed on the clock in 64 ms blocks")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("| answer | stop-to-score median | worst | whole file after Stop (baseline) median | ratio |")
    print("|---|---|---|---|---|")
    for seconds in args.lengths:
        results = [run_once(transcriber, question, answer_audio(bank, seconds, 3 + 7 * r, folder))
                   for r in range(args.runs)]
        stops = [r[0] for r in results]
        bases = [r[1] for r in results]
        print(f"| {seconds} s | {statistics.median(stops):.2f} s | {max(stops):.2f} s | "
              f"{statistics.median(bases):.2f} s (real-time factor {statistics.median(bases) / seconds:.3f}) | "
              f"{statistics.median(bases) / statistics.median(stops):.1f}x |", flush=True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (resident) of this process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
