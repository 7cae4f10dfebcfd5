"""Scoring quality, measured: the evaluation set through the whole pipeline and from typed text.

For every answer of bench/eval/answers.yaml (six levels per question, labelled per key point with
what the answer covers and what it states wrongly), the typed text is scored and, unless
--typed-only, the text is rendered by synthetic voices that no project code wrote (espeak-ng,
flite, festival), clean and with pink noise, transcribed by the real model and scored. Prints,
and with --markdown writes, the figures that docs/scoring.md reports, for each half of the
questions (fixed halves, see ``halves``) and for all of them:

- per level, precision and recall of covered points, strict (status ``covered``) and lenient
  (``covered`` or ``partly``); the share of wrong statements flagged ``incorrect``, and of wrong
  statements credited; false ``incorrect`` flags (on points not labelled incorrect, and among them
  on points labelled covered);
- per question, the score checks of issue 12 (a paraphrase >= 50 and above the partial answer;
  a misconception <= 35 and at least 30 below the complete answer; complete >= 60; off-topic
  <= 20) and the older complete > partial > off-topic ordering.

Every threshold chosen here (``--tune``) is chosen on one half of the questions, from the typed
answers, and reported on the other half; then the halves swap. Results without a per-point
``status`` (the engine before issue 12) count covered points as ``covered``, others as ``missed``.

Usage: python bench/eval_scoring.py [--typed-only] [--voices set|held-out|all|VOICE,...]
                                    [--questions N] [--half A|B] [--markdown FILE]
                                    [--tune MODULE.NAME=V1,V2,...] [--audio-dir DIR [--render-only]]
                                    [--jobs N] [--no-noise] [--prompt]
                                    [--save-transcripts FILE | --rescore FILE]
Rendering needs espeak-ng, flite, festival with festvox-us-slt-hts, and sox (make bench installs
them; without sox the app's own loader resamples the voices' output); transcribing rendered recordings (--audio-dir) needs only the app, so the slow part can
run on a machine with more cores. --save-transcripts keeps what the model heard; --rescore scores
those transcripts again (seconds), so a changed engine is measured on the very same recordings.
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mockinterviewer.core.bank import load_bank  # noqa: E402
from mockinterviewer.core.scoring import score_answer  # noqa: E402
from mockinterviewer.core.transcript import Transcript, Word  # noqa: E402

EVAL_SET = ROOT / "bench" / "eval" / "answers.yaml"
LEVELS = ("complete", "partial", "paraphrased", "paraphrased_2", "misconception", "off_topic")
PARAPHRASED = ("paraphrased", "paraphrased_2")
CORRECT_LEVELS = ("complete",) + PARAPHRASED  # answers that state nothing wrongly
STATUSES = ("covered", "partly", "incorrect", "missed")
SET_VOICES = ("espeak-ng:en-us", "flite:slt", "festival:cmu_us_slt_arctic_hts")
HELD_OUT_VOICES = ("flite:rms", "flite:awb", "espeak-ng:en-gb-x-rp")
NOISE_SNR_DB = 15


@dataclass(frozen=True)
class Answer:
    question_id: str
    level: str
    text: str
    covers: frozenset[str]
    incorrect: frozenset[str] = frozenset()  # key points the answer states wrongly


def load_eval_set(bank, path: Path = EVAL_SET) -> list[Answer]:
    data = yaml.safe_load(Path(path).read_text())
    answers = []
    for entry in data["questions"]:
        question = bank.get(entry["id"])
        if question is None:
            raise SystemExit(f"{path}: question {entry['id']!r} is not in the bank")
        labels = {k.label for k in question.key_points}
        for a in entry["answers"]:
            where = f"{path}: {entry['id']} {a['level']}"
            if a["level"] not in LEVELS:
                raise SystemExit(f"{where}: unknown level (expected one of {', '.join(LEVELS)})")
            covers, incorrect = set(a.get("covers") or []), set(a.get("incorrect") or [])
            unknown = (covers | incorrect) - labels
            if unknown:
                raise SystemExit(f"{where}: no key point labelled {sorted(unknown)}")
            if covers & incorrect:
                raise SystemExit(f"{where}: {sorted(covers & incorrect)} labelled both covered and incorrect")
            answers.append(Answer(entry["id"], a["level"], " ".join(a["text"].split()), frozenset(covers),
                                  frozenset(incorrect)))
    return answers


def halves(question_ids: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The two fixed halves: question ids sorted, alternately to A and B. Fixed by the ids alone,
    so adding answers or levels never moves a question to the other half."""
    ordered = sorted(set(question_ids))
    return tuple(ordered[0::2]), tuple(ordered[1::2])


# ------------------------------------------------------------------ per-answer outcome

def point_status(point) -> str:
    """A key-point result's status; results from before issue 12 have only ``covered``."""
    status = getattr(point, "status", None)
    if status:
        if status not in STATUSES:
            raise ValueError(f"unknown key-point status {status!r}")
        return status
    return "covered" if point.covered else "missed"


@dataclass(frozen=True)
class Outcome:
    answer: Answer
    score: int
    statuses: Mapping[str, str]  # key-point label -> status


def outcome_of(answer: Answer, result) -> Outcome:
    return Outcome(answer, int(result.score), {k.label: point_status(k) for k in result.key_points})


# ------------------------------------------------------------------ metrics

class Tally:
    def __init__(self):
        self.tp = self.fp = self.fn = 0

    def add(self, predicted: set, truth: frozenset):
        self.tp += len(predicted & truth)
        self.fp += len(predicted - truth)
        self.fn += len(truth - predicted)

    def merge(self, other: "Tally"):
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self):
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self):
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class LevelMetrics:
    answers: int = 0
    strict: Tally = field(default_factory=Tally)    # predicted covered = status covered
    lenient: Tally = field(default_factory=Tally)   # predicted covered = status covered or partly
    wrong: int = 0              # points labelled incorrect
    wrong_flagged: int = 0      # ... predicted incorrect
    wrong_credited: int = 0     # ... predicted covered or partly
    not_wrong: int = 0          # points not labelled incorrect
    false_flags: int = 0        # ... predicted incorrect
    labelled_covered: int = 0   # points labelled covered
    false_flags_on_covered: int = 0  # ... predicted incorrect
    answers_falsely_flagged: int = 0  # answers with at least one false flag

    def add(self, o: Outcome):
        a, st = o.answer, o.statuses
        self.answers += 1
        self.strict.add({p for p, s in st.items() if s == "covered"}, a.covers)
        self.lenient.add({p for p, s in st.items() if s in ("covered", "partly")}, a.covers)
        flagged = {p for p, s in st.items() if s == "incorrect"}
        self.wrong += len(a.incorrect)
        self.wrong_flagged += len(a.incorrect & flagged)
        self.wrong_credited += sum(st.get(p) in ("covered", "partly") for p in a.incorrect)
        self.not_wrong += len(set(st) - a.incorrect)
        self.false_flags += len(flagged - a.incorrect)
        self.labelled_covered += len(a.covers)
        self.false_flags_on_covered += len(flagged & a.covers)
        self.answers_falsely_flagged += bool(flagged - a.incorrect)

    def merge(self, other: "LevelMetrics"):
        for name, value in vars(other).items():
            if isinstance(value, Tally):
                getattr(self, name).merge(value)
            else:
                setattr(self, name, getattr(self, name) + value)


def level_metrics(outcomes: Iterable[Outcome]) -> dict[str, LevelMetrics]:
    """Metrics per level, and over all levels under the key "all"."""
    by_level = defaultdict(LevelMetrics)
    for o in outcomes:
        by_level[o.answer.level].add(o)
    total = LevelMetrics()
    for m in by_level.values():
        total.merge(m)
    return {**{lvl: by_level[lvl] for lvl in LEVELS if lvl in by_level}, "all": total}


def _paraphrase_check(level):
    def check(s):
        return None if None in (s.get(level), s.get("partial")) else s[level] >= 50 and s[level] > s["partial"]
    return check


# Issue 12's "done when", per question; None where the question lacks a level the check needs.
CHECKS: dict[str, Callable[[Mapping[str, int]], bool | None]] = {
    "paraphrased ≥ 50, > partial": _paraphrase_check("paraphrased"),
    "paraphrased_2 ≥ 50, > partial": _paraphrase_check("paraphrased_2"),
    "misconception ≤ 35, ≥ 30 below complete": lambda s: None if None in (s.get("misconception"), s.get("complete"))
    else s["misconception"] <= 35 and s["complete"] - s["misconception"] >= 30,
    "complete ≥ 60": lambda s: None if s.get("complete") is None else s["complete"] >= 60,
    "off-topic ≤ 20": lambda s: None if s.get("off_topic") is None else s["off_topic"] <= 20,
    "complete > partial > off-topic":
        lambda s: None if None in (s.get("complete"), s.get("partial"), s.get("off_topic"))
        else s["complete"] > s["partial"] > s["off_topic"],
}
ISSUE_CHECKS = tuple(CHECKS)[:5]  # the issue's acceptance; the ordering is the older check


def question_checks(outcomes: Iterable[Outcome]) -> dict[str, dict[str, bool | None]]:
    """question id -> check name -> passed (None: not applicable), plus "all": every issue check
    that applies passed."""
    scores = defaultdict(dict)
    for o in outcomes:
        if o.answer.level in scores[o.answer.question_id]:  # pooled conditions: one score per answer is needed
            raise ValueError(f"two scores for {o.answer.question_id} {o.answer.level}")
        scores[o.answer.question_id][o.answer.level] = o.score
    out = {}
    for q, s in scores.items():
        res = {name: check(s) for name, check in CHECKS.items()}
        res["all"] = all(res[name] is not False for name in ISSUE_CHECKS)
        out[q] = res
    return out


def objective(outcomes: list[Outcome]) -> tuple:
    """What a threshold is chosen for, in order: questions passing every issue check, fewest false
    'incorrect' flags, most wrong statements flagged, fewest wrong statements credited, then strict
    and then lenient true minus false credits."""
    checks = question_checks(outcomes)
    m = level_metrics(outcomes)["all"]
    return (sum(c["all"] for c in checks.values()), -m.false_flags, m.wrong_flagged, -m.wrong_credited,
            m.strict.tp - m.strict.fp, m.lenient.tp - m.lenient.fp)


@dataclass(frozen=True)
class TuneResult:
    chosen_on: str          # "A" or "B": the half the value was chosen on
    reported_on: str
    value: tuple            # one value per tuned name
    outcomes: list          # the reporting half's outcomes with that value


def split_half_tune(candidates: list[tuple], outcomes_for: Callable[[tuple], list[Outcome]],
                    half_a: Iterable[str], half_b: Iterable[str]) -> list[TuneResult]:
    """Choose the candidate with the best ``objective`` on one half, report it on the other; then
    swap. ``outcomes_for(value)`` scores every answer with that value set."""
    halves_ = {"A": set(half_a), "B": set(half_b)}
    per_value = [(value, outcomes_for(value)) for value in candidates]
    results = []
    for choose, report in (("A", "B"), ("B", "A")):
        def on(outs, half):
            return [o for o in outs if o.answer.question_id in halves_[half]]
        # max keeps the first of equals: candidates are tried in the order given.
        value, outs = max(per_value, key=lambda vo: objective(on(vo[1], choose)))
        results.append(TuneResult(choose, report, value, on(outs, report)))
    return results


# ------------------------------------------------------------------ scoring

def score_outcomes(bank, items: Iterable[tuple[Answer, Transcript]]) -> list[Outcome]:
    return [outcome_of(a, score_answer(bank.get(a.question_id), t)) for a, t in items]


def typed_items(answers):
    return [(a, Transcript.typed(a.text)) for a in answers]


def parse_tune(specs: list[str]) -> tuple[list[tuple[object, str]], list[tuple]]:
    """``module.NAME=v1,v2`` specs -> the (module, name) targets and the grid of values."""
    targets, grids = [], []
    for spec in specs:
        path, _, values = spec.partition("=")
        module_name, _, name = path.rpartition(".")
        if not values or not module_name:
            raise ValueError(f"--tune {spec!r}: expected MODULE.NAME=V1,V2,...")
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            raise ValueError(f"--tune {spec!r}: there is no module {module_name}") from None
        if not hasattr(module, name):
            raise ValueError(f"--tune {spec!r}: {module_name} has no {name}")
        targets.append((module, name))
        grids.append([yaml.safe_load(v) for v in values.split(",")])
    return targets, list(itertools.product(*grids))


def with_values(targets, value: tuple, run: Callable[[], list[Outcome]]) -> list[Outcome]:
    saved = [getattr(m, n) for m, n in targets]
    try:
        for (m, n), v in zip(targets, value):
            setattr(m, n, v)
        _forget_prepared()  # what scoring worked out once per question was worked out with other values
        return run()
    finally:
        for (m, n), v in zip(targets, saved):
            setattr(m, n, v)
        _forget_prepared()


def _forget_prepared() -> None:
    """Empty the engine's per-question caches (functools.lru_cache), so a tuned value is used."""
    import functools

    from mockinterviewer.core import claims, matching, scoring

    for module in (scoring, claims, matching):
        for thing in vars(module).values():
            if isinstance(thing, functools._lru_cache_wrapper):
                thing.cache_clear()


# ------------------------------------------------------------------ audio

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
    if shutil.which("sox"):
        subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(out)], check=True)
        raw.unlink()
    else:  # render_all reads it with the app's loader, which resamples to 16 kHz mono itself
        raw.replace(out)
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


def _audio_name(answer: Answer, voice: str) -> str:
    # Named by question and level, not position, so recordings stay valid when answers are added.
    return f"{answer.question_id}-{answer.level}-{voice.replace(':', '_')}.flac"


def render_all(answers, voices, folder: Path) -> None:
    """Clean recordings of every answer by every voice, as FLAC."""
    import soundfile

    from mockinterviewer.speech.audio import load_audio

    folder.mkdir(parents=True, exist_ok=True)
    for i, answer in enumerate(answers):
        for voice in voices:
            target = folder / _audio_name(answer, voice)
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


def transcribe_all(bank, answers, voices, noise=True, audio_dir=None, jobs=1, model="tiny.en", prompt=False,
                   whole=False):
    """condition ("voice|clean" or "voice|noise") -> [(answer, transcript)], and the timings."""
    from concurrent.futures import ProcessPoolExecutor

    from mockinterviewer.speech.incremental import question_prompt

    folder = Path(audio_dir) if audio_dir else Path(tempfile.mkdtemp(prefix="mi-eval-"))
    render_all(answers, voices, folder)
    kinds = ("clean", "noise") if noise else ("clean",)
    keys, work = [], []
    for i, answer in enumerate(answers):
        for voice in voices:
            for kind in kinds:
                keys.append((answer, f"{voice}|{kind}"))
                work.append((str(folder / _audio_name(answer, voice)), model, kind == "noise", i,
                             question_prompt(bank.get(answer.question_id)) if prompt else None, whole))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        done = list(pool.map(_transcribe_job, work, chunksize=4))
    items = defaultdict(list)
    for (answer, condition), (transcript, _seconds) in zip(keys, done):
        items[condition].append((answer, transcript))
    return {c: items[c] for c in dict.fromkeys(c for _, c in keys)}, [sec for _, sec in done]


def save_transcripts(path: Path, heard: dict[str, list[tuple[Answer, Transcript]]]) -> None:
    """What the model heard, per condition, so the same recordings can be scored again by a
    changed engine (--rescore) without transcribing them again."""
    rows = [{"condition": c, "question_id": a.question_id, "level": a.level, "text": t.text,
             "words": [[w.text, w.start, w.end, w.probability] for w in t.words], "duration": t.duration,
             "model": t.model} for c, items in heard.items() for a, t in items]
    Path(path).write_text(json.dumps({"transcripts": rows}, indent=1) + "\n")


def load_transcripts(path: Path, answers: list[Answer]) -> dict[str, list[tuple[Answer, Transcript]]]:
    """The transcripts ``save_transcripts`` wrote, for the answers given (others are left out)."""
    by_key = {(a.question_id, a.level): a for a in answers}
    heard = defaultdict(list)
    for row in json.loads(Path(path).read_text())["transcripts"]:
        answer = by_key.get((row["question_id"], row["level"]))
        if answer is not None:
            words = tuple(Word(str(t), float(b), float(e), float(p)) for t, b, e, p in row["words"])
            heard[row["condition"]].append((answer, Transcript(row["text"], words, row["duration"], row["model"])))
    return dict(heard)


# ------------------------------------------------------------------ report

def _pct(n, d):
    return f"{n}/{d}" + (f" ({100 * n / d:.0f} %)" if d else "")


def level_table(outcomes: list[Outcome]) -> list[str]:
    lines = ["| level | answers | precision strict / lenient | recall strict / lenient | wrong statements flagged "
             "| wrong statements credited | false 'incorrect' flags | of them on covered points "
             "| answers with a false flag |",
             "|---|---|---|---|---|---|---|---|---|"]
    for level, m in level_metrics(outcomes).items():
        wrong = (_pct(m.wrong_flagged, m.wrong), _pct(m.wrong_credited, m.wrong)) if m.wrong else ("–", "–")
        lines.append(f"| {level} | {m.answers} | {m.strict.precision:.2f} / {m.lenient.precision:.2f} | "
                     f"{m.strict.recall:.2f} / {m.lenient.recall:.2f} | {wrong[0]} | {wrong[1]} | "
                     f"{_pct(m.false_flags, m.not_wrong)} | {m.false_flags_on_covered}/{m.labelled_covered} | "
                     f"{m.answers_falsely_flagged}/{m.answers} |")
    return lines


def checks_row(name: str, outcomes: list[Outcome]) -> str:
    checks = question_checks(outcomes)
    cells = []
    for check in (*CHECKS, "all"):
        applicable = [c[check] for c in checks.values() if c[check] is not None]
        cells.append(f"{sum(applicable)}/{len(applicable)}")
    return f"| {name} | " + " | ".join(cells) + " |"


def checks_header() -> list[str]:
    return ["| condition | " + " | ".join((*CHECKS, "all issue checks")) + " |",
            "|---|" + "---|" * (len(CHECKS) + 1)]


def score_table(conditions: dict[str, list[Outcome]]) -> list[str]:
    """Median and range of the scores per level, one column per condition given."""
    lines = ["| level | " + " | ".join(conditions) + " |", "|---|" + "---|" * len(conditions)]
    for level in LEVELS:
        cells = []
        for outcomes in conditions.values():
            xs = [o.score for o in outcomes if o.answer.level == level]
            cells.append(f"{statistics.median(xs):.0f} ({min(xs)}–{max(xs)})" if xs else "–")
        if any(c != "–" for c in cells):
            lines.append(f"| {level} | " + " | ".join(cells) + " |")
    return lines


def failures(name: str, outcomes: list[Outcome]) -> list[str]:
    scores = defaultdict(dict)
    for o in outcomes:
        scores[o.answer.question_id][o.answer.level] = o.score
    out = []
    for q, c in sorted(question_checks(outcomes).items()):
        failed = [check for check in ISSUE_CHECKS if c[check] is False]
        if failed:
            s = ", ".join(f"{lvl} {scores[q][lvl]}" for lvl in LEVELS if lvl in scores[q])
            out.append(f"- {name} {q}: {s} (fails: {'; '.join(failed)})")
    return out


def report(conditions: dict[str, list[Outcome]], half_a, half_b, tuned: dict[str, list[TuneResult]] | None = None,
           header: str = "", aggregates: dict[str, list[Outcome]] | None = None) -> str:
    """Markdown: per-level metrics and per-question checks, for each half and all questions.
    ``conditions`` hold one outcome per answer (typed, or one voice and noise condition);
    ``aggregates`` pool several of them ("all audio") and get key-point tables only."""
    sides = {"half A": set(half_a), "half B": set(half_b)}
    lines = [header, ""] if header else []
    lines += [f"Half A ({len(half_a)} questions): {', '.join(half_a)}", "",
              f"Half B ({len(half_b)} questions): {', '.join(half_b)}", ""]
    for condition, outcomes in {**conditions, **(aggregates or {})}.items():
        for side, qs in (*sides.items(), ("all questions", sides["half A"] | sides["half B"])):
            part = [o for o in outcomes if o.answer.question_id in qs]
            if part:
                lines += [f"### {condition}, {side}: key points per level", ""] + level_table(part) + [""]
    lines += ["### Per-question score checks (questions passing / questions with the levels)", ""] + checks_header()
    for condition, outcomes in conditions.items():
        for side, qs in sides.items():
            part = [o for o in outcomes if o.answer.question_id in qs]
            if part:
                lines.append(checks_row(f"{condition}, {side}", part))
    lines += ["", "### Scores per level: median (min–max)", ""]
    lines += score_table({**{c: o for c, o in conditions.items() if c == "typed"}, **(aggregates or {})}
                         if aggregates else conditions)
    for name, results in (tuned or {}).items():
        lines += ["", f"### Thresholds chosen on one half (typed), reported on the other: {name}", ""]
        lines += checks_header()
        for r in results:
            lines.append(checks_row(f"chosen on {r.chosen_on} = {r.value}, reported on {r.reported_on}", r.outcomes))
        for r in results:
            lines += ["", f"Reported on half {r.reported_on} with {r.value} (chosen on half {r.chosen_on}):", ""]
            lines += level_table(r.outcomes)
    fails = [f for c, outs in conditions.items() for f in failures(c, outs)]
    lines += ["", f"### Questions failing an issue check: {len(fails)}", ""] + fails
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--typed-only", action="store_true", help="score the typed answers only (seconds)")
    parser.add_argument("--voices", default="set",
                        help="set, held-out, all, or voices as engine:name separated by commas")
    parser.add_argument("--questions", type=int, default=None, help="only the first N questions of the set")
    parser.add_argument("--half", choices=("A", "B"), help="only the questions of this half")
    parser.add_argument("--eval-set", default=str(EVAL_SET), help="the labelled answers (default: %(default)s)")
    parser.add_argument("--markdown", help="also write the tables to this file")
    parser.add_argument("--tune", action="append", default=[], metavar="MODULE.NAME=V1,V2",
                        help="choose this module constant on one half (typed), report on the other; repeatable")
    parser.add_argument("--save-transcripts", metavar="FILE",
                        help="write what the model heard to this JSON file, for --rescore later")
    parser.add_argument("--rescore", metavar="FILE",
                        help="score the transcripts saved with --save-transcripts instead of transcribing")
    parser.add_argument("--no-noise", action="store_true", help="clean recordings only")
    parser.add_argument("--audio-dir", help="keep (or reuse) the rendered recordings here")
    parser.add_argument("--render-only", action="store_true", help="render the recordings into --audio-dir and stop")
    parser.add_argument("--jobs", type=int, default=1, help="transcribe in this many processes (2 threads each)")
    parser.add_argument("--model", default="tiny.en", help="model name or folder (default: the bundled tiny.en)")
    parser.add_argument("--prompt", action="store_true", help="bias the decoder with the question's vocabulary")
    parser.add_argument("--whole-file", action="store_true",
                        help="transcribe each recording in one go, not as the app does while the answer is spoken")
    args = parser.parse_args(argv)
    named = {"set": SET_VOICES, "held-out": HELD_OUT_VOICES, "all": SET_VOICES + HELD_OUT_VOICES}
    voices = named.get(args.voices) or tuple(v for v in args.voices.split(",") if v)
    if any(":" not in v for v in voices):
        parser.error(f"--voices {args.voices!r}: expected set, held-out, all or engine:name,...")
    try:
        targets, grid = parse_tune(args.tune)
    except ValueError as e:
        parser.error(str(e))
    bank = load_bank(ROOT / "questions" / "ml-engineer.yaml")
    answers = load_eval_set(bank, Path(args.eval_set))
    half_a, half_b = halves(a.question_id for a in answers)
    if args.questions:
        keep = list(dict.fromkeys(a.question_id for a in answers))[:args.questions]
        answers = [a for a in answers if a.question_id in keep]
    if args.half:
        keep = set(half_a if args.half == "A" else half_b)
        answers = [a for a in answers if a.question_id in keep]
    present = {a.question_id for a in answers}
    half_a, half_b = [q for q in half_a if q in present], [q for q in half_b if q in present]
    if args.render_only:
        if not args.audio_dir:
            parser.error("--render-only needs --audio-dir")
        render_all(answers, voices, Path(args.audio_dir))
        return
    start = time.perf_counter()
    conditions = {"typed": score_outcomes(bank, typed_items(answers))}
    typed_seconds = time.perf_counter() - start
    timings, aggregates = [], None
    if args.rescore:
        heard = load_transcripts(Path(args.rescore), answers)
    elif not args.typed_only:
        heard, timings = transcribe_all(bank, answers, voices, noise=not args.no_noise, audio_dir=args.audio_dir,
                                        jobs=args.jobs, model=args.model, prompt=args.prompt, whole=args.whole_file)
        if args.save_transcripts:
            save_transcripts(Path(args.save_transcripts), heard)
    if args.rescore or not args.typed_only:
        for condition, items in heard.items():
            conditions[condition] = score_outcomes(bank, items)
        if len(heard) > 1:
            aggregates = {"all audio": [o for c, outs in conditions.items() if c != "typed" for o in outs]}
    tuned = {}
    if args.tune:
        items = typed_items(answers)
        tuned[", ".join(args.tune)] = split_half_tune(
            grid, lambda value: with_values(targets, value, lambda: score_outcomes(bank, items)), half_a, half_b)
    header = (f"{len(present)} questions, {len(answers)} answers; typed scoring {typed_seconds:.2f} s"
              + (f"; transcription median {statistics.median(timings):.2f} s" if timings else ""))
    text = report(conditions, half_a, half_b, tuned, header, aggregates)
    print(text)
    if args.markdown:
        Path(args.markdown).write_text(text + "\n")
    return conditions


if __name__ == "__main__":
    main()
