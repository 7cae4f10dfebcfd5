"""The history's commands: ``history`` (list, export, import, rebuild), ``due`` and ``report``."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from mockinterviewer.errors import UserError

COMMANDS = ("history", "due", "report")
REPORT_FORMATS = ("html", "md", "pdf", "json", "csv")


def add_parsers(sub) -> None:
    history = sub.add_parser("history", help="your practice sessions and their scores; export, import, rebuild")
    history.add_argument("--json", action="store_true", help="print one JSON list")
    actions = history.add_subparsers(dest="history_command", metavar="ACTION")
    export = actions.add_parser("export", help="write the whole history and its recordings to one archive (zip)")
    export.add_argument("file", metavar="FILE")
    imported = actions.add_parser("import", help="add an archive's sessions (those already here are skipped)")
    imported.add_argument("file", metavar="FILE")
    actions.add_parser("rebuild", help="make the history again from the results beside the recordings "
                                       "(the damaged database is kept aside)")

    due = sub.add_parser("due", help="questions due for review, most overdue first (spaced repetition)")
    due.add_argument("--bank", metavar="BANK", help="only this bank (id or file)")
    due.add_argument("--json", action="store_true")

    report = sub.add_parser("report", help="a report of one session: html, md, pdf, json or csv")
    report.add_argument("session", nargs="?", metavar="SESSION", help="the session number `history` shows (or its UUID)")
    report.add_argument("--last", action="store_true", help="the latest session (the default)")
    report.add_argument("--format", "-f", choices=REPORT_FORMATS,
                        help="default: from the -o file's extension, else md")
    report.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: print it)")
    report.add_argument("--audio", action="store_true", help="HTML: put the recordings in the file (larger)")


def dispatch(args) -> int:
    if args.command == "history":
        return {None: list_sessions, "export": export, "import": import_archive,
                "rebuild": rebuild}[args.history_command](args)
    return {"due": due, "report": report}[args.command](args)


def _open():
    from mockinterviewer.store import History

    return History()


def _local(when: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return when.astimezone().strftime(fmt) if when else ""


def list_sessions(args) -> int:
    with _open() as history:
        sessions = history.sessions()
        unreadable = history.unreadable_sessions
    code = _listed(sessions, args)
    for sentence in unreadable:
        print(f"mockinterviewer: {sentence}", file=sys.stderr)
    return 2 if unreadable else code


def _listed(sessions, args) -> int:
    if args.json:
        print(json.dumps([{
            "id": s.id, "uuid": s.uuid, "mode": s.mode, "source": s.source, "banks": list(s.banks), "model": s.model,
            "started_at": s.started_at.isoformat(), "finished_at": s.finished_at.isoformat() if s.finished_at else None,
            "answers": s.answers, "questions": s.questions, "average": s.average,
        } for s in sessions], indent=2, ensure_ascii=False))
        return 0
    if not sessions:
        print("No sessions yet: practise in the window or with `mockinterviewer answer`.")
        return 0
    print(f"{'#':>4}  {'started':<16}  {'mode':<8}  {'from':<8}  {'answers':>7}  {'average':>7}  banks")
    for s in sessions:
        average = "-" if s.average is None else str(s.average)
        source = "terminal" if s.source == "cli" else s.source
        unfinished = "" if s.finished_at else "  (not finished)"
        print(f"{s.id:>4}  {_local(s.started_at):<16}  {s.mode:<8}  {source:<8}  {s.answers:>7}  {average:>7}  "
              f"{', '.join(s.banks)}{unfinished}")
    return 0


def export(args) -> int:
    from mockinterviewer.store.archive import export_history
    from mockinterviewer.store.history import plural

    with _open() as history:
        manifest = export_history(history, Path(args.file))
    recordings = sum(1 for m in manifest["audio"].values() if m)
    print(f"Wrote {args.file}: {plural(manifest['sessions'], 'session')}, {plural(manifest['attempts'], 'answer')}, "
          f"{plural(recordings, 'recording')}.")
    return 0


def import_archive(args) -> int:
    from mockinterviewer.store.archive import import_history

    with _open() as history:
        print(import_history(history, Path(args.file)).summary())
    return 0


def rebuild(args) -> int:
    from mockinterviewer.store.rebuild import rebuild_history

    print(rebuild_history(banks=_banks_quietly(None)).summary())
    return 0


def _banks_quietly(selector):
    """The banks, for question texts and categories; the history is readable without them."""
    from mockinterviewer.cli.commands import _banks

    try:
        return _banks(selector)
    except UserError:
        if selector:
            raise
        return []


def due(args) -> int:
    from mockinterviewer.core.review import due_questions, new_questions, reviews

    banks = _banks_quietly(args.bank)
    questions = {q.id: q for b in reversed(banks) for q in b.questions}
    now = dt.datetime.now(dt.timezone.utc)
    with _open() as history:
        wanted = list(questions) if banks else None
        due_now = due_questions(history, wanted, now)
        upcoming = sorted((r for r in reviews(history, wanted, now) if r.due > now), key=lambda r: r.due)
        never = new_questions(history, questions) if banks else []
        texts = history.question_texts()

    def text(qid):
        return questions[qid].text if qid in questions else texts.get(qid, "")

    if args.json:
        def item(r):
            return {"question_id": r.question_id, "question": text(r.question_id), "latest": r.latest,
                    "average": r.average, "attempts": r.attempts, "last_practised": r.last_practised.isoformat(),
                    "due": r.due.isoformat(), "overdue_days": round(r.overdue(now).total_seconds() / 86400, 1)}
        print(json.dumps({"now": now.isoformat(), "due": [item(r) for r in due_now],
                          "next": item(upcoming[0]) if upcoming else None, "new": never},
                         indent=2, ensure_ascii=False))
        return 0
    if due_now:
        print(f"{len(due_now)} question{'s are' if len(due_now) != 1 else ' is'} due for review, most overdue first:")
        width = max(len(r.question_id) for r in due_now)
        for r in due_now:
            days = r.overdue(now).days
            late = "due today" if days < 1 else f"{days} day{'s' if days != 1 else ''} overdue"
            print(f"  {r.question_id:<{width}}  last {r.latest:>3}  {late:<16}  {text(r.question_id)}")
    elif upcoming:
        print(f"Nothing is due for review; next: {upcoming[0].question_id} on {_local(upcoming[0].due, '%Y-%m-%d')}.")
    else:
        print("Nothing is due for review: no question has been practised yet.")
    if never:
        print(f"{len(never)} question{'s' if len(never) != 1 else ''} never practised.")
    return 0


def report(args) -> int:
    from mockinterviewer.reports.model import build_report
    from mockinterviewer.reports.render import format_for, render, write_report

    fmt = args.format or (format_for(args.output) if args.output else None) or "md"
    if args.output is None and fmt == "pdf":
        raise UserError("A PDF report needs a file to go to: add -o FILE.pdf.")
    if args.session and args.last:
        raise UserError("Give a session number or --last, not both.")
    with _open() as history:
        if args.session:
            session = history.find_session(args.session)
        else:
            session = history.last_session()
            if session is None:
                raise UserError("There are no answers in the history yet, so there is nothing to report.")
        if args.output is None:
            sys.stdout.write(render(build_report(history, session.id), fmt, embed_audio=args.audio).decode("utf-8"))
            return 0
        out = write_report(history, session.id, fmt, args.output, embed_audio=args.audio)
    print(f"Wrote the {fmt} report of session {session.id} to {out}.", file=sys.stderr)
    return 0
