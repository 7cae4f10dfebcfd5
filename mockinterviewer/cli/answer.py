"""``mockinterviewer answer``: practise one question in the terminal, with the window's core."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import sys
import threading
import time

from mockinterviewer import paths
from mockinterviewer.cli import render
from mockinterviewer.core.bank import find_question
from mockinterviewer.core.exchange import judge_turn, with_turns
from mockinterviewer.core.followups import next_follow_up, reworded
from mockinterviewer.cli.llm_options import advisor_from, second_opinion
from mockinterviewer.core.scoring import score_answer
from mockinterviewer.core.session import MAX_FOLLOW_UPS
from mockinterviewer.core.transcript import Transcript
from mockinterviewer.errors import UserError, first_line
from mockinterviewer.settings import (MAX_ANSWER_RANGE, SILENCE_STOP_RANGE, Settings, make_player, make_recorder,
                                      make_speaker, make_transcriber)
from mockinterviewer.speech.incremental import IncrementalTranscriber, device_feeder, question_prompt
from mockinterviewer.speech.recovery import save_result
from mockinterviewer.speech.silence import SilenceWatch


def typed_answer(text: str) -> Transcript:
    """An answer given with --text. Bytes that are not UTF-8 reach Python as lone surrogates
    (surrogateescape), which no file or database can store: refused before anything is saved."""
    if not text.strip():
        raise UserError("The answer text is empty.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise UserError("The answer text is not valid UTF-8; is the terminal set to UTF-8?") from None
    return Transcript.typed(text)


def _check_limits(args) -> None:
    """Before anything is recorded or saved: nan, inf or 1e308 seconds crashed the recorder after
    it had made a WAV file and a session."""
    high = MAX_ANSWER_RANGE[1]
    if not (math.isfinite(args.max_seconds) and 0 < args.max_seconds <= high):
        raise UserError(f"--max-seconds must be more than 0 and at most {high:g} seconds, not {args.max_seconds:g}.")
    low, high = SILENCE_STOP_RANGE
    if args.silence_stop is not None and not (math.isfinite(args.silence_stop) and low <= args.silence_stop <= high):
        raise UserError(f"--silence-stop must be from {low:g} to {high:g} seconds (0 is off), not {args.silence_stop:g}.")
    follow_ups = getattr(args, "follow_ups", 0)
    if not 0 <= follow_ups <= MAX_FOLLOW_UPS:
        raise UserError(f"--follow-ups must be from 0 to {MAX_FOLLOW_UPS}, not {follow_ups}.")
    if getattr(args, "reply", None) and args.text is None:
        raise UserError("--reply gives a typed reply to a follow-up, so it needs a typed answer (--text) too.")


def run(args, banks) -> int:
    _check_limits(args)
    advisor = advisor_from(args)
    typed = typed_answer(args.text) if args.text is not None else None
    replies = [typed_answer(r) for r in getattr(args, "reply", None) or ()]
    question = find_question(banks, args.question)
    say = (lambda text: print(text, file=sys.stderr)) if args.json else print
    say(f"Question: {question.text}")
    settings = Settings().with_(model=args.model, device=args.device, input_device=args.input_device,
                                max_answer_seconds=args.max_seconds)
    if typed is not None:
        result = second_opinion(advisor, score_answer(question, typed))
        result = _follow_ups(args, question, result, say, lambda n, text: (replies.pop(0), None) if replies else None,
                             advisor)
        _save_to_history(banks, question, result, None, say)
        return _report(args, result, None, None)
    transcriber = make_transcriber(settings)
    loading = threading.Thread(target=transcriber.load, daemon=True)  # while the question is read
    loading.start()
    stamp = dt.datetime.now().strftime("%Y-%m-%d_%H-%M-%S")
    folder = paths.recordings_dir() / f"{stamp}-cli"
    refining = []  # transcribers still refining a stretch after Stop: waited for before the command ends
    try:
        return _spoken_answer(args, banks, settings, transcriber, question, folder, say, advisor, refining)
    finally:
        for incremental in refining:
            incremental.wait()


def _spoken_answer(args, banks, settings, transcriber, question, folder, say, advisor, refining) -> int:
    transcript, recording, stop_to_score = _spoken(args, settings, transcriber, question, question.text,
                                                   folder / f"01-{question.id}.wav", say, refining)
    result = score_answer(question, transcript)
    stop_to_score = time.perf_counter() - stop_to_score  # the app's own score; the model's opinion comes after
    result = second_opinion(advisor, result)

    def reply(n, text):
        heard, rec, _ = _spoken(args, settings, transcriber, question, text,
                                folder / f"01-{question.id}-follow-up-{n}.wav", say, refining)
        # Not an answer of its own: the recovery of unscored answers and a rebuild pass it by.
        save_result(rec.path, {"discarded": True, "reason": "a reply to a follow-up question"})
        return heard, str(rec.path)

    result = _follow_ups(args, question, result, say, reply, advisor)
    save_result(recording.path, result.to_dict())
    attempt = _save_to_history(banks, question, result, recording.path, say)
    if attempt is not None:  # compressed to FLAC once saved, the replies' recordings too
        recording = dataclasses.replace(recording, path=attempt.audio)
        result = dataclasses.replace(result, turns=attempt.result.turns)
    return _report(args, result, stop_to_score, recording)


def _follow_ups(args, question, result, say, reply, advisor=None):
    """Up to --follow-ups turns after the answer, each printed as it happens; ``reply(n, text)``
    gives (transcript, audio path) for turn ``n``, or None when there is no reply to give. With a
    language model (--llm), a built probe or hint is put in its words when they keep the point hidden."""
    turns = []
    first = result
    while len(turns) < getattr(args, "follow_ups", 0):
        move = next_follow_up(question, first, turns)
        if move is None:
            break
        if advisor is not None and not advisor.offline:
            point = question.key_points[move.index] if 0 <= move.index < len(question.key_points) else None
            move = reworded(question, move, lambda offline: advisor.phrase_follow_up(
                question, first.transcript.text, point, offline), by=advisor.model)
        n = len(turns) + 1
        by = f"  (phrased by the language model {move.phrased_by})" if move.phrased_by else ""
        say(f"\nFollow-up {n} ({move.kind}): {move.text}{by}")  # the point it aims at is not said
        given = reply(n, move.text)
        if given is None:
            say("  (no reply given: the follow-ups stop here)")
            break
        transcript, audio = given
        turn = judge_turn(question, move, transcript, audio or "")
        turns.append(turn)
        say("  " + render.turn_line(turn))
    return with_turns(first, turns)


def _spoken(args, settings, transcriber, question, text, path, say, refining):
    """``text`` read aloud, then one spoken answer recorded to ``path`` and transcribed as it is
    spoken: (transcript, recording, the moment the recording stopped). The transcriber is added
    to ``refining``: it may still be decoding its last stretch again."""
    if not args.no_speak:
        try:
            make_speaker(settings, make_player(settings)).speak(text)
        except UserError as exc:
            say(f"(Not spoken: {exc})")
    recorder = make_recorder(settings)
    incremental = IncrementalTranscriber(transcriber, prompt=question_prompt(question),
                                         on_partial=lambda partial: print(f"  … {partial}", file=sys.stderr))
    feed = device_feeder(incremental, lambda: recorder.samplerate)
    watch = {}
    went_quiet = threading.Event()

    def on_audio(block):  # the recorder's writer thread
        feed(block)
        if args.silence_stop:
            if "it" not in watch:
                watch["it"] = SilenceWatch(args.silence_stop, recorder.samplerate)
            if watch["it"].feed(block):
                went_quiet.set()

    recorder.on_audio = on_audio
    recorder.start(path)
    limit = f", or stops at {args.max_seconds:g} s" if args.max_seconds else ""
    silence = f", after {args.silence_stop:g} s of silence" if args.silence_stop else ""
    say(f"Recording: answer now. Press Enter when you are done{silence}{limit}.")
    enter = threading.Event()
    if sys.stdin is not None and sys.stdin.isatty():
        threading.Thread(target=lambda: (sys.stdin.readline(), enter.set()), daemon=True).start()
    why = "Enter"
    while not enter.wait(0.05):
        if went_quiet.is_set():
            why = "silence"
            break
        if recorder.finished.is_set():
            why = "time limit"
            break
    recording = recorder.stop()
    stopped = time.perf_counter()
    say(f"Stopped ({why}) after {recording.seconds:.1f} s.")
    refining.append(incremental)
    return incremental.finish(), recording, stopped


def _save_to_history(banks, question, result, recording, say):
    """Keep the answer as a one-answer session, as the window keeps its sessions; return it as
    stored (None when it could not be). A history that cannot be opened does not cost the answer: its result file (with
    its session's) goes into the session's folder, and `mockinterviewer history rebuild` reads it."""
    from mockinterviewer.store import History
    from mockinterviewer.store.history import keep_answer_file

    bank = next((b.id for b in banks if b.get(question.id) is question), "")
    try:
        with History() as history:
            session = history.start_session("practice", "cli", [bank] if bank else [], result.transcript.model,
                                            recording.parent if recording else None)
            attempt = history.save_attempt(session, question, result, bank=bank, recording=recording)
            history.finish_session(session)
    except UserError as exc:
        folder = recording.parent if recording else \
            paths.recordings_dir() / (dt.datetime.now().strftime("%Y-%m-%d_%H-%M-%S") + "-cli")
        try:
            kept = keep_answer_file(folder, question, result, bank=bank, recording=recording, source="cli",
                                    banks=[bank] if bank else [], finished=True)
        except OSError as error:
            say(f"(Not saved to the history: {exc} Nor could the answer be kept in {folder} "
                f"({first_line(error)}).)")
            return None
        say(f"(Not saved to the history: {exc} The answer is kept in {kept}, and a rebuild adds it.)")
        return None
    return attempt


def _report(args, result, stop_to_score, recording) -> int:
    if args.json:
        data = result.to_dict()
        data["stop_to_score_s"] = None if stop_to_score is None else round(stop_to_score, 3)
        data["recording"] = str(recording.path) if recording else None
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(render.score_text(result))
        if stop_to_score is not None:
            print(f"\nScored {stop_to_score:.2f} s after the answer ended; recording: {recording.path}")
    return 0
