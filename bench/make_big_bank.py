"""Write a bank of N questions (default 10,000) made from the shipped bank's entries, for benchmarks."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def make(path: Path, count: int = 10_000) -> Path:
    source = yaml.safe_load((ROOT / "questions" / "ml-engineer.yaml").read_text())
    questions = []
    for i in range(count):
        entry = dict(source["questions"][i % len(source["questions"])])
        entry["id"] = f"{entry['id']}-{i}"
        questions.append(entry)
    bank = {"format": 1, "id": "big", "title": f"{count} questions", "questions": questions}
    path.write_text(yaml.safe_dump(bank, sort_keys=False, allow_unicode=True, width=100))
    return path


if __name__ == "__main__":
    out = make(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("big-bank.yaml"),
               int(sys.argv[2]) if len(sys.argv) > 2 else 10_000)
    print(out, out.stat().st_size // 1024, "KiB")
