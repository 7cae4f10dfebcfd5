"""Scoring one 3-minute transcript (about 450 words with timings) against its key points.

Target (issue #4): under 20 ms. The baseline, measured in the same run, is the same matching
written as a plain Python loop calling rapidfuzz once per window, the obvious first version;
the ratio says what batching the windows through process.extract buys.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from rapidfuzz import fuzz

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mockinterviewer.core import scoring  # noqa: E402
from mockinterviewer.core.bank import load_bank  # noqa: E402
from mockinterviewer.core.textnorm import tokens  # noqa: E402
from mockinterviewer.core.transcript import Transcript, Word  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def three_minutes(bank) -> Transcript:
    """About 450 words at 150 a minute, made of the bank's reference answers."""
    words = []
    for q in bank.questions:
        words += q.answer.split()
        if len(words) >= 450:
            break
    words = words[:450]
    timed = tuple(Word(w, round(i * 0.4, 2), round(i * 0.4 + 0.3, 2), 0.9) for i, w in enumerate(words))
    return Transcript(" ".join(words), timed, duration=180.0)


def naive_score(question, transcript) -> int:
    toks = [t for w in transcript.words for t in tokens(w.text)]
    covered = 0
    for point in question.key_points:
        hit = False
        for phrasing in (point.label, *point.phrasings):
            target = "".join(tokens(phrasing))
            n = len(tokens(phrasing))
            for size in {max(1, n - 1), n, n + 1}:
                for i in range(len(toks) - size + 1):
                    if fuzz.ratio(target, "".join(toks[i:i + size])) >= 85:
                        hit = True
        covered += hit
    return covered


def median_ms(fn, runs=25) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main():
    bank = load_bank(ROOT / "questions" / "ml-engineer.yaml")
    transcript = three_minutes(bank)
    questions = [q for q in bank.questions if q.category != "behavioural"][:10]
    ours = statistics.median(median_ms(lambda q=q: scoring.score_answer(q, transcript)) for q in questions)
    worst = max(median_ms(lambda q=q: scoring.score_answer(q, transcript)) for q in questions)
    base = statistics.median(median_ms(lambda q=q: naive_score(q, transcript), runs=5) for q in questions[:3])
    print(f"scoring a 3-minute transcript ({len(transcript.words)} words) against one question's key points;")
    print(f"medians over {len(questions)} questions, 25 runs each (baseline: 3 questions, 5 runs)")
    print(f"  baseline, per-window Python loop: {base:8.1f} ms")
    print(f"  score_answer (with delivery):     {ours:8.1f} ms   worst question {worst:.1f} ms   "
          f"{base / ours:5.1f}x faster than baseline   target < 20 ms: {'met' if worst < 20 else 'NOT met'}")


if __name__ == "__main__":
    main()
