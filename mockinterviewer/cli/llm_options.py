"""--llm and kin on `score` and `answer`: a second opinion from a language model the user runs."""

from __future__ import annotations

import math
import sys

from mockinterviewer.core.opinion import SCORE_RULES
from mockinterviewer.errors import UserError
from mockinterviewer.settings import Settings, make_advisor


def add_options(parser) -> None:
    group = parser.add_argument_group("language model (optional; nothing is sent anywhere without --llm)")
    group.add_argument("--llm", metavar="URL",
                       help="an OpenAI-compatible chat endpoint on this computer, e.g. http://127.0.0.1:11434/v1 "
                            "(Ollama) or http://127.0.0.1:8080 (llama.cpp's server)")
    group.add_argument("--llm-model", metavar="NAME", help="the model's name on that server")
    group.add_argument("--llm-timeout", type=float, default=60.0, metavar="SECONDS",
                       help="longest wait for one reply (default 60)")
    group.add_argument("--llm-allow-remote", action="store_true",
                       help="confirm sending the question and answer to a URL that is not on this computer")
    group.add_argument("--llm-score", choices=SCORE_RULES, default="show",
                       help="how the second opinion changes the score: show (default: not at all) or raise "
                            "(a missed point the model finds, quoting the answer, counts as partly)")


def advisor_from(args):
    """The Advisor the options ask for, or None; UserError for options that do not fit together."""
    if not getattr(args, "llm", None):
        if getattr(args, "llm_model", None):
            raise UserError("--llm-model needs --llm URL, the address of the model's server.")
        return None
    if not args.llm_model:
        raise UserError("--llm needs --llm-model NAME, the model's name on that server.")
    if not (math.isfinite(args.llm_timeout) and 1 <= args.llm_timeout <= 600):
        raise UserError(f"--llm-timeout must be from 1 to 600 seconds, not {args.llm_timeout:g}.")
    settings = Settings(llm_endpoint=args.llm, llm_model=args.llm_model, llm_timeout=args.llm_timeout,
                        llm_allow_remote=args.llm_allow_remote, llm_score_rule=args.llm_score)
    return make_advisor(settings)


def second_opinion(advisor, result):
    """``result`` with the model's second opinion; the one notice on stderr if the model failed."""
    if advisor is None:
        return result
    print(f"(Asking {advisor.model} for a second opinion…)", file=sys.stderr)
    result = advisor.second_opinion(result)
    notice = advisor.take_notice()
    if notice:
        print(f"mockinterviewer: {notice}", file=sys.stderr)
    return result
