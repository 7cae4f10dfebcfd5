"""The CLI's commands. Each returns the exit status; a UserError propagates to main."""

from __future__ import annotations

import json
import platform
import sys
import time
from pathlib import Path

from mockinterviewer import __version__, paths
from mockinterviewer.cli import render
from mockinterviewer.core.bank import find_question, load_bank, load_banks
from mockinterviewer.core.scoring import score_answer
from mockinterviewer.errors import UserError
from mockinterviewer.settings import Settings, make_transcriber


def dispatch(args) -> int:
    if args.command == "answer":
        from mockinterviewer.cli import answer

        return answer.run(args, _banks(args.bank))
    return {"score": score, "transcribe": transcribe, "questions": questions, "doctor": doctor}[args.command](args)


def _settings(args) -> Settings:
    return Settings().with_(model=args.model, device=args.device)


def _banks(selector: str | None):
    if selector and Path(selector).exists() and not Path(selector).is_dir():  # a file, or a pipe load_bank refuses
        return [load_bank(selector, paths.bank_cache_dir())]
    banks, broken = load_banks(paths.bank_dirs(), paths.bank_cache_dir())
    for error in broken:
        print(f"mockinterviewer: skipping a broken bank: {error}", file=sys.stderr)
    if selector:
        banks = [b for b in banks if b.id == selector]
        if not banks:
            raise UserError(f"There is no question bank called {selector!r}.")
    if not banks:
        raise UserError(f"No question banks were found in {', '.join(map(str, paths.bank_dirs()))}.")
    return banks


def score(args) -> int:
    from mockinterviewer.cli.llm_options import advisor_from, second_opinion

    advisor = advisor_from(args)  # options checked before any work
    question = find_question(_banks(args.bank), args.question)
    if args.text is not None:
        from mockinterviewer.cli.answer import typed_answer

        transcript = typed_answer(args.text)
    else:
        from mockinterviewer.speech.audio import load_audio
        from mockinterviewer.speech.incremental import transcribe_answer

        transcript = transcribe_answer(make_transcriber(_settings(args)), question, load_audio(args.audio))
    result = second_opinion(advisor, score_answer(question, transcript))
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(render.score_text(result))
    return 0


def transcribe(args) -> int:
    from mockinterviewer.speech.audio import load_audio

    audio = load_audio(args.file)
    transcriber = make_transcriber(_settings(args))
    transcript = transcriber.transcribe(audio)
    if args.json:
        print(json.dumps({
            "file": str(args.file), "model": transcript.model, "device": transcriber.device,
            "duration": round(transcript.duration, 2), "text": transcript.text,
            "words": [{"word": w.text, "start": w.start, "end": w.end, "probability": w.probability}
                      for w in transcript.words],
        }, indent=2, ensure_ascii=False))
    else:
        print(transcript.text)
    return 0


def questions(args) -> int:
    if args.questions_command == "validate":
        return validate(args)
    if args.questions_command == "import":
        return import_lists(args)
    banks = _banks(args.bank)
    if args.json:
        print(json.dumps([{
            "bank": b.id, "title": b.title, "file": str(b.path),
            "questions": [{"id": q.id, "category": q.category, "difficulty": q.difficulty, "question": q.text,
                           "key_points": [k.label for k in q.key_points]} for q in b.questions],
        } for b in banks], indent=2, ensure_ascii=False))
        return 0
    for bank in banks:
        print(f"{bank.title} ({bank.id}, {len(bank.questions)} questions, {bank.path})")
        width = max(len(q.id) for q in bank.questions)
        for q in bank.questions:
            print(f"  {q.id:<{width}}  {q.difficulty:<6}  {q.text}")
    return 0


def validate(args) -> int:
    """Every problem of every file named, one line each, as editors and CI read them."""
    from mockinterviewer.core.bank import validate_bank

    files = [Path(f) for f in args.files] or sorted(p for d in paths.bank_dirs() if d.is_dir() for p in d.glob("*.y*ml"))
    failed = 0
    report = []
    for path in files:
        errors = validate_bank(path)
        failed += bool(errors)
        report.append({"file": str(path), "valid": not errors,
                       "problems": [{"line": e.line, "problem": e.reason} for e in errors]})
        if not args.json:
            for e in errors:
                print(f"{e.path}:{e.line or 1}: {e.reason}")
            if not errors:
                print(f"{path}: ok")
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    elif failed:
        print(f"{failed} of {len(files)} bank file{'s' if len(files) != 1 else ''} {'has' if failed == 1 else 'have'} problems.",
              file=sys.stderr)
    return 1 if failed else 0


def import_lists(args) -> int:
    from mockinterviewer.core.importer import import_files, slug, write_bank

    files = [Path(f) for f in args.files]
    for f in files:
        if not f.exists():
            raise UserError(f"{f}: no such file.")
    result = import_files(files)
    if not result.questions:
        # Say why when a file could not be read at all (unreadable, not UTF-8, not a regular file).
        unread = "; ".join(f"{p.file}: {p.message}" for p in result.problems if p.line == 0
                           and p.message.startswith("the file"))
        raise UserError(f"No questions were found: {unread}." if unread else
                        f"No questions were found in {', '.join(map(str, files))}.")
    output = Path(args.output) if args.output else paths.user_banks_dir()
    if not args.output or output.is_dir():  # a folder: the bank goes in it, named after the first file
        output = output / f"{slug(files[0].stem) or 'imported'}.yaml"
    if any(_same_file(output, f) for f in files):
        raise UserError(f"{output} is a question list being imported; the bank needs another name.")
    try:
        written = write_bank(result, output, title=args.title, force=args.force)
    except OSError as exc:
        raise UserError(f"The bank could not be written to {output} ({exc.strerror or exc}).") from None
    if args.json:
        print(json.dumps({"bank": str(written), "questions": len(result.questions),
                          "problems": [{"file": p.file, "line": p.line, "problem": p.message} for p in result.problems]},
                         indent=2, ensure_ascii=False))
    else:
        print(f"Imported {len(result.questions)} questions into {written}.")
        print("Their key points are drafts made from the answers: review them before relying on the scores.")
    for p in result.problems:
        print(f"{p.file}:{p.line}: {p.message}", file=sys.stderr)
    if result.problems:
        print(f"{len(result.problems)} part{'s' if len(result.problems) != 1 else ''} of the input could not be "
              "imported (listed above).", file=sys.stderr)
    return 0


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and a.samefile(b)
    except OSError:
        return False


def doctor(args) -> int:
    report = collect_doctor(_settings(args))
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print(render.doctor_text(report))
    return 0 if report["model"]["loads"] else 1


def collect_doctor(settings: Settings) -> dict:
    """Everything a user (or a bug report) needs to know about this machine's speech set-up."""
    from mockinterviewer.errors import UserError as Problem
    from mockinterviewer.speech import devices
    from mockinterviewer.speech.cuda import cuda_device_count
    from mockinterviewer.speech.transcriber import default_cpu_threads

    report: dict = {"version": __version__, "python": platform.python_version(),
                    "platform": platform.platform(terse=True)}
    try:
        listed = devices.list_devices()
        report["audio"] = {
            "ok": True,
            "inputs": [d["name"] for d in listed if d["inputs"] > 0],
            "outputs": [d["name"] for d in listed if d["outputs"] > 0],
        }
        for kind, key in (("input", "default_input"), ("output", "default_output")):
            try:
                report["audio"][key] = devices.find(getattr(settings, f"{kind}_device"), kind)["name"]
            except Problem as exc:
                report["audio"][key] = None
                report["audio"][f"{kind}_problem"] = str(exc)
    except Problem as exc:
        report["audio"] = {"ok": False, "problem": str(exc), "inputs": [], "outputs": []}

    from mockinterviewer.speech.tts import Pyttsx3Speaker

    speaker = Pyttsx3Speaker(player=None, voice=settings.voice)
    try:
        voices = speaker.voices()
        report["speech"] = {"ok": True, "engine": "pyttsx3", "voices": len(voices),
                            "voice": speaker.chosen_voice()}
    except Problem as exc:
        report["speech"] = {"ok": False, "problem": str(exc)}

    cuda = cuda_device_count()
    model: dict = {"name": settings.model}
    try:
        transcriber = make_transcriber(settings)
        started = time.perf_counter()
        transcriber.load()
        choice = transcriber.choice
        model.update(name=transcriber.model_label, setting=settings.model,
                     chosen_for_this_computer={"name": choice.name, "reason": choice.reason} if choice else None,
                     bundled=transcriber.source.bundled,
                     path=str(transcriber.source.path) if transcriber.source.path else None,
                     loads=True, load_seconds=round(time.perf_counter() - started, 2),
                     device=transcriber.device, compute_type=transcriber.compute_type,
                     gpu_fallback=transcriber.fallback_reason or None)
    except Problem as exc:
        model.update(loads=False, problem=str(exc))
    model["cpu_threads"] = default_cpu_threads()
    report["model"] = model
    report["cuda"] = {"devices": cuda, "used": model.get("device") == "cuda"}

    banks, broken = load_banks(paths.bank_dirs(), paths.bank_cache_dir())
    report["banks"] = [{"id": b.id, "file": str(b.path), "questions": len(b.questions)} for b in banks]
    report["broken_banks"] = [{"file": e.path, "line": e.line, "problem": e.reason} for e in broken]
    report["folders"] = {"shipped_banks": str(paths.questions_dir()), "user_banks": str(paths.user_banks_dir()),
                         "data": str(paths.data_dir()), "models": str(paths.models_cache_dir())}
    return report
