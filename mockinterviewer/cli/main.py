"""Parse the command line and run one command; every UserError ends as one line and exit 2."""

from __future__ import annotations

import argparse
import sys

from mockinterviewer import __version__
from mockinterviewer.errors import UserError

COMMANDS = ("answer", "score", "transcribe", "questions", "doctor", "history", "due", "report")


def build_parser() -> argparse.ArgumentParser:
    from mockinterviewer.cli import llm_options

    parser = argparse.ArgumentParser(
        prog="mockinterviewer",
        description="Practise technical interviews by speaking. With no command, opens the window.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    answer = sub.add_parser("answer", help="practise one question: it is read aloud, you answer into the microphone")
    answer.add_argument("--question", "-q", required=True, metavar="Q", help="a question id, or words from the question")
    answer.add_argument("--text", metavar="TEXT", help="type the answer instead of speaking it")
    answer.add_argument("--input-device", metavar="D", help="microphone name or number (see: mockinterviewer doctor)")
    answer.add_argument("--silence-stop", type=float, metavar="SECONDS",
                        help="stop after this many seconds of silence once you have spoken")
    answer.add_argument("--max-seconds", type=float, default=300, metavar="N", help="longest answer (default 300)")
    answer.add_argument("--no-speak", action="store_true", help="show the question without reading it aloud")
    answer.add_argument("--bank", metavar="BANK", help="only look in this bank (id or file)")
    answer.add_argument("--follow-ups", type=int, default=0, metavar="N",
                        help="then ask up to N follow-up questions aimed at what the answer missed or got wrong "
                             "(default 0)")
    answer.add_argument("--reply", action="append", default=[], metavar="TEXT",
                        help="with --text: the typed reply to the next follow-up (repeat for each)")
    _model_options(answer)
    llm_options.add_options(answer)
    answer.add_argument("--json", action="store_true", help="print one JSON object (progress goes to stderr)")

    score = sub.add_parser("score", help="score a recorded or typed answer against a question")
    score.add_argument("--question", "-q", required=True, metavar="Q",
                       help="a question id, or words from the question (the closest match wins)")
    given = score.add_mutually_exclusive_group(required=True)
    given.add_argument("--audio", metavar="FILE", help="the spoken answer (wav, flac, mp3, ...)")
    given.add_argument("--text", metavar="TEXT", help="the answer as text")
    _model_options(score)
    score.add_argument("--bank", metavar="BANK", help="only look in this bank (id or file)")
    llm_options.add_options(score)
    score.add_argument("--json", action="store_true", help="print one JSON object")

    transcribe = sub.add_parser("transcribe", help="print the transcript of an audio file")
    transcribe.add_argument("file", metavar="FILE")
    _model_options(transcribe)
    transcribe.add_argument("--json", action="store_true", help="print one JSON object with word timings")

    questions = sub.add_parser("questions", help="the question banks")
    qsub = questions.add_subparsers(dest="questions_command", metavar="ACTION", required=True)
    qlist = qsub.add_parser("list", help="list the questions of every bank")
    qlist.add_argument("--bank", metavar="BANK", help="only this bank (id or file)")
    qlist.add_argument("--json", action="store_true")

    qvalidate = qsub.add_parser("validate", help="check bank files; every problem with its line")
    qvalidate.add_argument("files", nargs="*", metavar="FILE", help="bank files (default: every bank)")
    qvalidate.add_argument("--json", action="store_true")

    qimport = qsub.add_parser("import", help="make a bank from plain-text or Markdown question lists")
    qimport.add_argument("files", nargs="+", metavar="FILE")
    qimport.add_argument("-o", "--output", metavar="BANK",
                         help="the bank file to write (default: your banks folder, named after the first file)")
    qimport.add_argument("--title", help="the bank's title (default: from the file name)")
    qimport.add_argument("--force", action="store_true", help="replace the bank file if it exists")
    qimport.add_argument("--json", action="store_true")

    doctor = sub.add_parser("doctor", help="check microphone, speaker, speech and model")
    _model_options(doctor)
    doctor.add_argument("--json", action="store_true")

    from mockinterviewer.cli import history_commands

    history_commands.add_parsers(sub)
    return parser


def _model_options(parser):
    parser.add_argument("--model", "-m", metavar="M", default=None,
                        help="faster-whisper model name or local model folder (default: bundled tiny.en)")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto",
                        help="where to run the model (default: the GPU when there is one)")


def run(argv: list[str]) -> int:
    from mockinterviewer.cli.terminal import cleaned_output

    with cleaned_output():  # bank text, transcripts and arguments may hold escape sequences
        return _run(argv)


def _run(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    from mockinterviewer.cli import commands, history_commands

    try:
        if args.command in history_commands.COMMANDS:
            return history_commands.dispatch(args)
        return commands.dispatch(args)
    except UserError as exc:
        print(f"mockinterviewer: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def is_cli(argv: list[str]) -> bool:
    return bool(argv) and (argv[0] in COMMANDS or argv[0] in ("-h", "--help", "--version"))
