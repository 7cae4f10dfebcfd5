"""Stop->score as a quiet 2-core machine would see it, measured on a busy one.

The incremental transcriber is driven by samples, not by the clock (its looks, pauses and cuts
are counted in samples), so feeding an answer k times slower than real time on a machine k times
slower than a quiet one replays what the quiet machine does; Stop->score divided by k is the
quiet machine's figure. k is measured just before and just after each run: the whole-file decode
of the same audio, against the quiet machine's real-time factor (4.83 s for a 120-s answer with
tiny.en, README; answers shorter than 30 s overstate k, as Whisper reads 30-s windows). A load
that changes during a run makes the figure rough; both k are printed.

Answers as bench_wer.py's long answers: the bank's reference answers sentence by sentence, joined
by 0.4-1.5 s pauses, Stop pressed ``--stop-after`` seconds after the last word.

Usage: python bench/bench_stop_quiet.py [--seconds 30] [--runs 3] [--stop-after 1.0]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_stop_to_score import BLOCK  # noqa: E402
from bench.bench_wer import long_answer  # noqa: E402
from mockinterviewer.core.bank import load_bank  # noqa: E402
from mockinterviewer.core.scoring import score_answer  # noqa: E402
from mockinterviewer.settings import Settings, make_transcriber  # noqa: E402
from mockinterviewer.speech.audio import SAMPLE_RATE  # noqa: E402
from mockinterviewer.speech.incremental import IncrementalTranscriber, question_prompt  # noqa: E402

QUIET_RTF = 4.83 / 120  # whole-file tiny.en on a quiet 2-core machine


def slowdown(transcriber, question, audio) -> float:
    start = time.perf_counter()
    transcriber.transcribe(audio, prompt=question_prompt(question))
    return (time.perf_counter() - start) / (len(audio) / SAMPLE_RATE) / QUIET_RTF


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--stop-after", type=float, default=1.0)
    args = parser.parse_args()
    bank = load_bank(ROOT / "questions" / "ml-engineer.yaml")
    question = bank.get("prevent-overfitting")
    transcriber = make_transcriber(Settings(model="tiny.en", device="cpu"))
    transcriber.load()
    folder = Path(tempfile.mkdtemp(prefix="mi-quiet-"))
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("| run | k before -> after | Stop->score measured | quiet-machine equivalent | undecoded at Stop |")
    print("|---|---|---|---|---|")
    quiet = []
    for r in range(args.runs):
        audio, _ = long_answer(bank, args.seconds, 3 + 7 * r, folder, stop_after=args.stop_after)
        k0 = slowdown(transcriber, question, audio)
        incremental = IncrementalTranscriber(transcriber, prompt=question_prompt(question))
        start = time.perf_counter()
        for i in range(0, len(audio), BLOCK):
            incremental.feed(audio[i:i + BLOCK])
            time.sleep(max(0.0, start + k0 * (i + BLOCK) / SAMPLE_RATE - time.perf_counter()))
        stop = time.perf_counter()
        undecoded = incremental.undecoded_seconds
        score_answer(question, incremental.finish())
        took = time.perf_counter() - stop
        incremental.wait()  # a stretch being decoded again after Stop (not timed)
        k1 = slowdown(transcriber, question, audio)
        quiet.append(took / ((k0 + k1) / 2))
        print(f"| {r} | {k0:.1f} -> {k1:.1f} | {took:.2f} s | {quiet[-1]:.3f} s | {undecoded:.1f} s |", flush=True)
    print(f"quiet-machine equivalent Stop->score: median {statistics.median(quiet):.3f} s, worst {max(quiet):.3f} s")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
