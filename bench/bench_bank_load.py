"""Loading a 10,000-question bank: first read (YAML) and later starts (validated cache).

Prints medians of several runs; the baseline in the same run is PyYAML's own pure-Python
SafeLoader on the same file, so the ratio says what the loader design buys on this machine.
Target (issue #3): under 1 s for 10,000 questions.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.make_big_bank import make  # noqa: E402
from mockinterviewer.core.bank import load_bank  # noqa: E402


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(count: int = 10_000, runs: int = 5) -> None:
    folder = Path(tempfile.mkdtemp(prefix="mi-bench-"))
    bank = make(folder / "big.yaml", count)
    size = bank.stat().st_size / 1e6
    text = bank.read_text()
    baseline = median_time(lambda: yaml.load(text, Loader=yaml.SafeLoader), 1)

    def first_read():
        load_bank(bank, cache_dir=Path(tempfile.mkdtemp(dir=folder)))

    cache = folder / "cache"
    load_bank(bank, cache_dir=cache)
    first = median_time(first_read, runs)
    cached = median_time(lambda: load_bank(bank, cache_dir=cache), runs)
    print(f"bank: {count} questions, {size:.1f} MB of YAML; medians of {runs} runs (baseline: 1 run)")
    print(f"  baseline, PyYAML SafeLoader only (no validation): {baseline:6.2f} s")
    print(f"  first read (libyaml + validation + cache write):   {first:6.2f} s   {baseline / first:5.1f}x faster than baseline")
    print(f"  later starts (validated cache):                   {cached:6.2f} s   {baseline / cached:5.1f}x faster than baseline"
          f"   target < 1 s: {'met' if cached < 1 else 'NOT met'}")


if __name__ == "__main__":
    main()
