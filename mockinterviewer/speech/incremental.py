"""Transcribing an answer while it is spoken, so the score is ready when the candidate stops.

Audio arrives in small blocks (16 kHz mono float32). A worker thread looks at the part not yet
transcribed with Silero VAD (shipped with faster-whisper); once a stretch of speech has ended in
a pause, it cuts there and transcribes that stretch, with the question's vocabulary and the last
words heard as the prompt. A stretch too short to cut is decoded ahead of time once its words
pause (``_prepare_tail``), so that Stop after a pause has nothing left to decode. At ``finish``
only the audio after the last cut is left to do, and only when it holds speech that the decode
ahead did not hear.

A stretch cut where the words have just paused may be the last one: Stop may come a second later.
It is decoded fast first (no word alignment, which costs as much as the decode itself when a
prompt is given; one temperature), so the answer is ready at Stop, then decoded again with word
times when the worker is idle, and that piece replaces the rough one. A refinement still
running at Stop is not waited for: the rough piece stands, and the caller waits for the worker
later (``wait``: CTranslate2 must not be decoding when the process exits).

Re-decoding the whole growing buffer every second (what some streaming projects do) costs
O(n^2) decoding and saturates two cores; cutting at pauses decodes each second of audio once
(a short tail decoded ahead is decoded again when the candidate goes on after it, and a stretch
decoded fast once more, exactly).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from typing import Callable

import numpy as np

from mockinterviewer.speech.priority import lower_this_thread

from mockinterviewer.core.transcript import Transcript
from mockinterviewer.errors import AudioError
from mockinterviewer.speech.audio import SAMPLE_RATE, StreamResampler, is_silent
from mockinterviewer.speech.invented import without_repeats, without_stock_phrases

PAUSE_SECONDS = 0.3       # a silence this long ends a stretch that can be transcribed on its own (a breath between sentences)
MIN_CHUNK_SECONDS = 4.0   # shorter stretches wait for more: Whisper needs context
MAX_CHUNK_SECONDS = 28.0  # Whisper's window is 30 s; cut at the quietest moment before it
CHECK_EVERY_SECONDS = 0.25  # a pause is seen within a quarter second (a look costs a VAD pass over one stretch)
AHEAD_PAUSE_SECONDS = 0.2  # words stopped this long (as a finer VAD look sees them): cut, or decode the tail ahead
AHEAD_LOOK_SECONDS = 2.0  # how far back that look reads


@dataclass(frozen=True)
class Piece:
    start: float  # seconds into the answer
    transcript: Transcript
    end: int = 0  # the sample it ends at (for a rough piece, to decode the same audio again)
    rough: bool = False  # decoded fast, to be replaced by an exact decode when the worker is idle


class IncrementalTranscriber:
    def __init__(self, transcriber, prompt: str | None = None,
                 on_partial: Callable[[str], None] | None = None, background: bool = True):
        self.transcriber = transcriber
        self.prompt = prompt
        self.on_partial = on_partial  # called on the worker thread with the text so far
        self._blocks: list[np.ndarray] = []
        self._total = 0
        self._audio = np.zeros(0, np.float32)  # joined lazily by the worker: a view of _buffer
        self._buffer = np.zeros(0, np.float32)  # grown by doubling, so joining new blocks never copies the answer
        self._cut = 0  # samples before this are transcribed (or queued)
        self._checked = 0  # samples fed when the worker was last woken
        self._pieces: list[Piece] = []
        self._ready_tail: tuple[int, int, Piece | None] | None = None  # (start, end, piece): see _prepare_tail
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._finishing = False
        self._cancelled = False
        self._error: BaseException | None = None
        self._state = threading.Condition()  # guards _refining/_returned between finish() and the worker
        self._refining = False  # the worker is decoding a rough piece again
        self._returned = False  # finish() has returned: the worker changes nothing more
        self.failed = False  # set by the feeder when audio could not be delivered
        self._worker = threading.Thread(target=self._run, name="incremental-transcriber", daemon=True)
        if background:
            self._worker.start()

    # Called from the recording thread.
    def feed(self, samples: np.ndarray) -> None:
        with self._lock:
            self._blocks.append(np.asarray(samples, np.float32))
            self._total += len(samples)
        if self._total - self._checked >= CHECK_EVERY_SECONDS * SAMPLE_RATE:
            self._checked = self._total  # a look every half second, not every block
            self._wake.set()

    @property
    def text(self) -> str:
        return " ".join(p.transcript.text for p in self._pieces if p.transcript.text)

    @property
    def transcribed_seconds(self) -> float:
        return self._cut / SAMPLE_RATE

    @property
    def undecoded_seconds(self) -> float:
        """Audio fed but not decoded yet, the tail decoded ahead counted as decoded (for benchmarks)."""
        ready = self._ready_tail
        done = ready[1] if ready is not None and ready[0] == self._cut else self._cut
        return max(0, self._total - done) / SAMPLE_RATE

    def cancel(self) -> None:
        """The answer was abandoned (typed over, skipped): stop after the stretch being decoded,
        say nothing more, and let the audio go."""
        self.failed = True
        self.on_partial = None
        self._cancelled = True
        self._wake.set()

    def wait(self, timeout: float | None = None) -> None:
        """Block until the worker has stopped (after ``cancel``: once the stretch it is decoding is
        done). Nothing native may still be decoding when the process exits: CTranslate2 crashes."""
        if self._worker.ident is not None:
            self._worker.join(timeout)

    def finish(self) -> Transcript:
        """Transcribe what is left and return the whole answer (blocks: call off the GUI thread).
        The worker may still be refining a stretch when this returns: call ``wait`` before exit."""
        self._finishing = True
        self._wake.set()
        with self._state:
            self._state.wait_for(lambda: self._refining or not self._worker.is_alive())
            if self._refining and not self._left_to_decode():
                self._returned = True  # the refinement is not waited for: the rough piece stands
        if not self._returned:
            self._worker.join()
        self._returned = True
        if self._error is not None:
            raise self._error
        words = tuple(w for p in self._pieces for w in p.transcript.words)
        text = self.text
        if not text:
            if is_silent(self._joined()):
                raise AudioError("The recording is silent: no sound reached the microphone.")
            raise AudioError("No speech was heard in the recording.")
        model = next((p.transcript.model for p in self._pieces if p.transcript.model), "")
        return Transcript(text=text, words=words, duration=self._total / SAMPLE_RATE, model=model)

    def _left_to_decode(self) -> bool:
        """At Stop, while the worker refines: whether speech after the last cut still needs a
        decode; if not, the stretch decoded ahead (if any) is taken as the rest of the answer."""
        audio = self._joined()
        if self._cut >= len(audio):
            return False
        if self._ready_tail_holds(audio, len(audio)) is None and self._speech_in(audio[self._cut:]):
            return True
        self._cut = len(audio)
        return False

    def transcribe_as_spoken(self, audio: np.ndarray) -> Transcript:
        """The transcript the app would make of ``audio`` heard in real time, computed without
        waiting: the same half-second checks and cuts, run one after the other (for benchmarks
        and tests; needs ``background=False``)."""
        step = int(CHECK_EVERY_SECONDS * SAMPLE_RATE)
        for end in range(step, len(audio) + step, step):
            self._audio = np.asarray(audio[:end], np.float32)
            self._total = len(self._audio)
            while (cut := self._next_cut(self._audio, False)) is not None:
                self._transcribe(self._audio, self._cut, cut)
                self._cut = cut
        if self._cut < len(self._audio):
            self._transcribe(self._audio, self._cut, len(self._audio), tail=True)
            self._cut = len(self._audio)
        self._worker = threading.Thread(target=lambda: None)
        self._worker.start()
        return self.finish()

    # The worker.
    def _joined(self) -> np.ndarray:
        with self._lock:
            if self._blocks:
                have = len(self._audio)
                need = have + sum(len(b) for b in self._blocks)
                if need > len(self._buffer):  # views handed out earlier keep the old buffer alive
                    grown = np.empty(max(need, 2 * len(self._buffer), 30 * SAMPLE_RATE), np.float32)
                    grown[:have] = self._audio
                    self._buffer = grown
                for block in self._blocks:
                    self._buffer[have:have + len(block)] = block
                    have += len(block)
                self._audio = self._buffer[:need]
                self._blocks.clear()
        return self._audio

    def _run(self) -> None:
        lower_this_thread()  # decoding while the candidate speaks must not slow the window
        try:
            # Wait for the model (loaded by the front end while the question is read): importing
            # faster-whisper's VAD here while another thread imports faster-whisper breaks both.
            load = getattr(self.transcriber, "load", None)
            if load is not None and not self._cancelled:
                load()
            while True:
                if self._finishing or not any(p.rough for p in self._pieces):
                    self._wake.wait()  # else refine first, and look at the audio after that
                self._wake.clear()
                if self._cancelled or self._returned:
                    with self._lock:
                        self._blocks.clear()
                    return
                finishing = self._finishing
                audio = self._joined()
                while not self._cancelled and (cut := self._next_cut(audio, finishing)) is not None:
                    covered = self._ready_tail_holds(audio, cut)
                    if covered is None:
                        # Nothing said since the pause: Stop may come now, so be fast first.
                        rough = not self._speech_in(audio[cut:])
                        self._transcribe(audio, self._cut, cut, rough=rough)
                    self._cut = cut if covered is None else covered
                    audio = self._joined()
                if self._cancelled:
                    return
                if finishing:
                    if self._cut < len(audio):
                        # Nothing new to decode when the decode ahead covers the speech, or when
                        # the rest is a pause (with a real microphone's noise, not silent).
                        if self._ready_tail_holds(audio, len(audio)) is None and self._speech_in(audio[self._cut:]):
                            self._transcribe(audio, self._cut, len(audio), tail=True)
                        self._cut = len(audio)
                    return
                self._prepare_tail(audio)
                self._refine_one(audio)
        except BaseException as exc:  # handed to finish()
            self._error = exc
        finally:
            with self._state:
                self._state.notify_all()

    def _refine_one(self, audio: np.ndarray) -> None:
        """Decode the oldest rough piece again, exactly, and put it in the rough one's place."""
        index = next((i for i, p in enumerate(self._pieces) if p.rough), None)
        if index is None or self._finishing:
            return
        rough = self._pieces[index]
        start = int(round(rough.start * SAMPLE_RATE))
        with self._state:
            self._refining = True
            self._state.notify_all()
        exact = None  # (a decode that raises leaves the rough piece, and the error goes to finish())
        try:
            exact = self._decode(audio, start, rough.end, before=index)
        finally:
            with self._state:
                self._refining = False
                if not self._returned:
                    if exact is None:
                        self._pieces[index] = replace(rough, rough=False)  # the rough decode stands
                    else:
                        self._pieces[index] = exact
                self._state.notify_all()
        if exact is not None and not self._returned:
            self._told()

    # The tail, decoded ahead. A decode costs about half a second on two cores (most of it
    # Whisper's encoder, which always reads a 30-s window, however short the audio), so any decode
    # left at Stop misses the 0.5-s target. A stretch of MIN_CHUNK_SECONDS or more is cut as soon
    # as the words pause (_next_cut); a shorter one waits for more speech, so once its words have
    # paused the idle worker decodes it ahead, as the tail would be decoded. If no speech follows,
    # that decode is the tail at Stop (or the stretch, once the pause makes it long enough to
    # cut) and Stop has nothing left to decode; if the candidate goes on, it is dropped.
    def _prepare_tail(self, audio: np.ndarray) -> None:
        start, end = self._cut, len(audio)
        ready = self._ready_tail
        if ready is not None and ready[0] == start and not self._speech_in(audio[ready[1]:end]):
            return  # nothing said since it was decoded
        paused = self._words_paused(audio[start:end])
        if paused is False or (paused is None and not self._speech_in(audio[start:end])):
            return  # still speaking, or silence only
        piece = self._decode(audio, start, end, ends_answer=True, fast=True)
        self._ready_tail = (start, end, piece)

    @staticmethod
    def _words_paused(region: np.ndarray) -> bool | None:
        """Whether the words in the last seconds of ``region`` have stopped for AHEAD_PAUSE_SECONDS
        (None: no words there). The VAD look that cuts at sentence pauses closes a stretch of
        speech only after 0.3 s of quiet, and lags a few tenths behind the words in a noisy room:
        alone, it first saw a pause about 0.9 s after the last word, which is when Stop comes."""
        from faster_whisper.vad import VadOptions, get_speech_timestamps

        look = region[-int(AHEAD_LOOK_SECONDS * SAMPLE_RATE):]
        speech = get_speech_timestamps(look, VadOptions(min_silence_duration_ms=100, speech_pad_ms=0))
        if not speech:
            return None
        return len(look) - speech[-1]["end"] >= AHEAD_PAUSE_SECONDS * SAMPLE_RATE

    def _ready_tail_holds(self, audio: np.ndarray, until: int) -> int | None:
        """Use the stretch decoded ahead for the audio from the last cut to ``until``, if it
        starts at the last cut and nothing was said between its end and ``until``; returns
        where the audio it stands for ends (``until`` or, if decoded later, its own end)."""
        ready = self._ready_tail
        if ready is None or ready[0] != self._cut:
            return None
        start, end, piece = ready
        if self._speech_in(audio[min(end, until):max(end, until)]):
            return None
        self._ready_tail = None
        if piece is not None and until < len(audio):  # a stretch in the middle: no closing "thank you"
            piece = _without_stock_phrases(piece)
        if piece is not None:
            self._add(replace(piece, rough=True))  # decoded fast: refined if the worker gets the time
        return max(end, until)

    @staticmethod
    def _speech_in(audio: np.ndarray) -> bool:
        if len(audio) < SAMPLE_RATE // 10 or is_silent(audio):
            return False
        from faster_whisper.vad import VadOptions, get_speech_timestamps

        return bool(get_speech_timestamps(audio, VadOptions(speech_pad_ms=0)))

    def _next_cut(self, audio: np.ndarray, finishing: bool) -> int | None:
        """Where to cut the untranscribed audio: after the last stretch of speech that has ended."""
        from faster_whisper.vad import VadOptions, get_speech_timestamps

        region = audio[self._cut:]
        if len(region) < MIN_CHUNK_SECONDS * SAMPLE_RATE or finishing:
            return None
        pause = int(PAUSE_SECONDS * SAMPLE_RATE)
        speech = get_speech_timestamps(region, VadOptions(min_silence_duration_ms=int(PAUSE_SECONDS * 1000),
                                                          speech_pad_ms=100))
        if not speech:
            # Only silence so far: skip it, keeping the last second in case speech is starting.
            if len(region) > 3 * SAMPLE_RATE:
                self._cut += len(region) - SAMPLE_RATE
            return None
        ended = [s for s in speech if len(region) - s["end"] >= pause and s["end"] >= MIN_CHUNK_SECONDS * SAMPLE_RATE]
        if ended:
            last = ended[-1]
            later = [s for s in speech if s["start"] > last["end"]]
            gap_end = later[0]["start"] if later else len(region)
            return self._cut + (last["end"] + gap_end) // 2  # the middle of the pause
        if speech[-1]["end"] >= MIN_CHUNK_SECONDS * SAMPLE_RATE and self._words_paused(region):
            return self._cut + len(region)  # a shorter pause, seen sooner: cut in it, as far as it has come
        if len(region) >= MAX_CHUNK_SECONDS * SAMPLE_RATE:
            gaps = [(b["start"] - a["end"], (a["end"] + b["start"]) // 2) for a, b in zip(speech, speech[1:])]
            return self._cut + (max(gaps)[1] if gaps else len(region))
        return None

    def _transcribe(self, audio: np.ndarray, start: int, end: int, tail: bool = False, rough: bool = False) -> None:
        piece = self._decode(audio, start, end, tail, ends_answer=tail, fast=rough)
        if piece is not None:
            self._add(replace(piece, rough=rough))

    def _add(self, piece: Piece) -> None:
        self._pieces.append(piece)
        self._told()

    def _told(self) -> None:
        callback = self.on_partial  # read once: cancel() may clear it meanwhile
        if callback:
            callback(self.text)

    def _decode(self, audio: np.ndarray, start: int, end: int, tail: bool = False,
                ends_answer: bool = False, fast: bool = False, before: int | None = None) -> Piece | None:
        """One stretch. The ``tail`` (after Stop, while the candidate waits) skips word alignment,
        which costs about 0.35 s whenever a prompt is given; its words get approximate times.
        ``fast``: no alignment and one temperature (a rough piece, or a stretch decoded ahead of Stop).
        ``ends_answer``: a closing "thank you" may stay (the tail, and the stretch decoded ahead).
        ``before``: the pieces heard before this stretch (when one is decoded again), else all."""
        chunk = audio[start:end]
        earlier = self._pieces if before is None else self._pieces[:before]
        previous = " ".join(p.transcript.text for p in earlier if p.transcript.text).split()[-40:]
        prompt = " ".join(filter(None, [self.prompt, " ".join(previous)])) or None
        try:
            part = self.transcriber.transcribe(chunk, prompt=prompt, short_tail=fast or len(chunk) < 2 * SAMPLE_RATE,
                                               word_timestamps=not (tail or fast), ends_answer=ends_answer)
        except AudioError:  # silence or no speech in this stretch
            return None
        # Prompted with the last words heard, Whisper sometimes says them again.
        said = without_repeats(part.words, before=[w.text for p in earlier[-2:] for w in p.transcript.words])
        text = part.text if len(said) == len(part.words) else " ".join(w.text for w in said)
        if not text:
            return None
        offset = start / SAMPLE_RATE
        words = tuple(replace(w, start=round(w.start + offset, 2), end=round(w.end + offset, 2)) for w in said)
        return Piece(offset, Transcript(text, words, len(chunk) / SAMPLE_RATE, part.model), end=end)


def _without_stock_phrases(piece: Piece) -> Piece | None:
    """``piece`` less any stock phrase, as a stretch in the middle of the answer is decoded."""
    words = piece.transcript.words
    kept = without_stock_phrases(words)
    if len(kept) == len(words):
        return piece
    if not kept:
        return None
    return replace(piece, transcript=replace(piece.transcript, text=" ".join(w.text for w in kept), words=tuple(kept)))


def question_prompt(question) -> str:
    """The question and its key points' phrasings, as a decoder prompt that makes Whisper
    expect the terms a good answer uses ("L2", "dropout") rather than their sound-alikes."""
    concepts = dict(getattr(question, "concepts", ()))
    # A point judged on claims alone names its terms through its concepts: the first phrase of each.
    terms = dict.fromkeys(p for k in question.key_points for p in (
        k.phrasings or [concepts[c][0] for claim in k.claims for c in claim if concepts.get(c)]))
    return f"{question.text} {', '.join(terms)}."


def device_feeder(incremental: IncrementalTranscriber, rate_of: Callable[[], int]) -> Callable[[np.ndarray], None]:
    """A recorder's ``on_audio`` hook: each device block, resampled to 16 kHz, into ``incremental``.
    The device rate is asked for on the first block, once the recorder has chosen it."""
    resampler = None

    def feed(block: np.ndarray) -> None:
        nonlocal resampler
        if resampler is None:
            resampler = StreamResampler(rate_of())
        incremental.feed(resampler.feed(block))
    return feed


def transcribe_answer(transcriber, question, audio: np.ndarray) -> Transcript:
    """A finished recording transcribed as the window does it live (the same cuts and prompt),
    so a score from a file, a recovered answer and a live answer agree."""
    return IncrementalTranscriber(transcriber, prompt=question_prompt(question), background=False) \
        .transcribe_as_spoken(audio)
