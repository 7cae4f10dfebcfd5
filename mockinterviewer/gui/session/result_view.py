"""The feedback for one answer: transcript, score and how it adds up, covered, partly covered,
wrongly stated and missed points, reference answer."""

from __future__ import annotations

import html

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from mockinterviewer.core.delivery import clock, summary
from mockinterviewer.core.scoring import ScoreResult


class ResultView(QWidget):
    """With ``replay_device`` set (None: the default speaker) the recorded answer can be replayed, and
    a covered key point's time is a link that plays that moment."""

    def __init__(self, parent=None, replay: bool = True, replay_device=None):
        super().__init__(parent)
        self.score_label = QLabel()
        self.score_label.setObjectName("score")
        self.score_label.setAccessibleName("Score")
        self.flags_label = self._label("Warnings")
        self.flags_label.setObjectName("message")
        self.transcript_label = self._label("Transcript")
        self.delivery_label = self._label("Delivery")
        self.covered_label = self._label("Key points covered")
        self.missed_label = self._label("Key points missed")
        self.turns_label = self._label("Follow-up questions")
        # A reply's "play" link loads that reply into the replay, its words highlighted as it plays.
        self.turns_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.turns_label.setOpenExternalLinks(False)
        self.turns_label.linkActivated.connect(self._hear)
        self.result: ScoreResult | None = None
        self.playing_turn = 0  # 0: the answer is in the replay; n: follow-up n's reply
        self.reference_label = self._label("Reference answer")
        self.opinion_label = self._label("Second opinion by the language model")
        self.comparison_label = self._label("Compared with your earlier answers")
        self.comparison_label.setObjectName("status")
        self.covered_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.covered_label.setOpenExternalLinks(False)
        self.covered_label.linkActivated.connect(self._hear)
        # Points stated incorrectly are listed here too, with the time of the words heard as a link.
        self.missed_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.missed_label.setOpenExternalLinks(False)
        self.missed_label.linkActivated.connect(self._hear)
        self.replay = None
        if replay:
            from mockinterviewer.gui.replay.view import ReplayView

            self.replay = ReplayView(device=replay_device)
            self.replay.setAccessibleName("Replay your answer")
            self.replay.hide()
            self.replay.loaded.connect(self._loaded_now)
        self._play_when_loaded = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.score_label, self.comparison_label, self.flags_label, self.transcript_label, self.replay,
                       self.covered_label,
                       self.missed_label, self.opinion_label, self.turns_label, self.delivery_label,
                       self.reference_label):
            if widget is not None:
                layout.addWidget(widget)
        layout.addStretch(1)
        self.recording: Path | None = None

    def _hear(self, link: str) -> None:
        if link.startswith("at:") and self.replay is not None and self.recording is not None:
            if self.playing_turn:
                self.play_turn(0)  # back to the answer, then its moment
            self.replay.play_from(float(link[3:]))
            self.replay.setFocus()  # the link took the focus: Space and K go to the replay, to pause it
        elif link.startswith("turn:"):
            self.play_turn(int(link[5:]))

    def play_turn(self, number: int) -> None:
        """Load follow-up ``number``'s reply into the replay and play it, its words highlighted
        (0: the answer again)."""
        if self.replay is None or self.result is None:
            return
        if number == 0:
            audio, transcript = self.recording, self.result.transcript
        else:
            turn = self.result.turns[number - 1]
            audio = Path(turn.audio) if turn.audio else None
            transcript = turn.transcript
        if audio is None:
            return
        self.playing_turn = number
        self._loaded = audio
        self._play_when_loaded = number != 0
        self.replay.load(audio, transcript)
        self.replay.show()
        self._show_turns()
        self.replay.setFocus()

    def _loaded_now(self, _duration: float) -> None:
        if self._play_when_loaded:
            self._play_when_loaded = False
            self.replay.play_from(0.0)

    @staticmethod
    def _label(name: str) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setAccessibleName(name)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def clear(self) -> None:
        self.recording = None
        self._loaded = None
        if self.replay is not None:
            from PySide6.QtWidgets import QApplication

            focused = QApplication.focusWidget()
            if focused is not None and (focused is self.replay or self.replay.isAncestorOf(focused)):
                focused.clearFocus()  # the keys go back to the window
            self.replay.pause()
            self.replay.hide()
        self.result = None
        self.playing_turn = 0
        self._play_when_loaded = False
        for label in (self.score_label, self.flags_label, self.transcript_label, self.covered_label,
                      self.missed_label, self.opinion_label, self.turns_label, self.delivery_label,
                      self.reference_label,
                      self.comparison_label):
            label.clear()

    def set_comparison(self, text: str) -> None:
        self.comparison_label.setText(text)

    def show_result(self, result: ScoreResult, recording: Path | None = None) -> None:
        """Show ``result``; with the ``recording`` it came from, offer to replay it."""
        e = html.escape
        self.comparison_label.clear()  # filled in when the earlier answers have been read
        recording = Path(recording) if recording is not None else None  # (a missing file: the replay says so)
        # The same answer shown again (its list refreshed, say): a reply loaded into the replay stays there.
        again = (self.result is not None and recording == self.recording and self.playing_turn
                 and result.question_id == self.result.question_id
                 and result.transcript.text == self.result.transcript.text
                 and self.playing_turn <= len(result.turns))
        self.recording = recording
        self.result = result
        if not again:
            self.playing_turn = 0
        if self.replay is not None and not again:
            if self.recording is not None:
                if self.replay.isHidden() or getattr(self, "_loaded", None) != self.recording:
                    self.replay.load(self.recording, result.transcript)
                else:  # the same answer, its transcript corrected: the words change, not the audio
                    self.replay.transcript_view.set_transcript(result.transcript)
                self._loaded = self.recording
                self.replay.show()
            else:
                self.replay.hide()
        self.score_label.setText(f"{result.score} / 100 — {e(result.headline)}"
                                 + (f"<br><small>{e(result.explanation)}</small>" if result.explanation else ""))
        self.flags_label.setText("<br>".join(f"⚠ {e(f.message)}" for f in result.flags))
        self.flags_label.setVisible(bool(result.flags))
        if result.delivery:
            notes = "".join(f"<li>{e(n)}</li>" for n in result.delivery.notes)
            self.delivery_label.setText(f"<b>Delivery</b>: {e(summary(result.delivery))}<ul>{notes}</ul>")
        source = "typed" if result.transcript.model == "typed" else "transcribed"
        if self.replay is not None and self.recording is not None:  # the words are in the replay, in sync
            self.transcript_label.setText(f"<b>Your answer</b> ({source}) — play it, or click a word to hear it:")
        else:
            self.transcript_label.setText(f"<b>Your answer</b> ({source}):<br>{e(result.transcript.text)}")
        def when(k):
            if k.evidence is None or k.evidence.start is None:
                return ""
            if self.recording is None:
                return f" at {clock(k.evidence.start)}"
            return f' at <a href="at:{k.evidence.start:.2f}">{clock(k.evidence.start)} ▶</a>'  # click: hear it

        def heard(k):
            return f' — heard “{e(k.evidence.text)}”{when(k)}' if k.evidence else ""

        def line(k):
            if k.follow_up:  # made in a follow-up: quoted from that reply
                said = f' — heard “{e(k.follow_up_evidence.text)}”' if k.follow_up_evidence else ""
                return (f"<li>↻ {e(k.label)} (<b>{e(k.follow_up)} on follow-up {k.follow_up_turn}</b>, "
                        f"half credit){said}</li>")
            return ((f"<li>✓ {e(k.label)}" if k.status == "covered" else f"<li>◐ {e(k.label)} (partly, half credit)")
                    + heard(k) + "</li>")

        covered = "".join(line(k) for k in result.covered) or "<li>none</li>"
        wrong = "".join(f"<li>✗ {e(k.label)} — <b>stated incorrectly</b>{heard(k)}<br>"
                        f"<span style='color:#b42318'>Correct: {e(k.correction or k.label)}</span></li>"
                        for k in result.incorrect)
        missed = "".join(f"<li>✗ {e(k.label)} — <span style='color:gray'>you could say {e(k.reference)}</span></li>"
                         for k in result.missed) or ("<li>none</li>" if wrong else "<li>none — every point covered</li>")
        self.covered_label.setText(f"<b>Covered</b><ul>{covered}</ul>")
        self.missed_label.setText((f"<b>Stated incorrectly</b><ul>{wrong}</ul>" if wrong else "")
                                  + f"<b>Missed</b><ul>{missed}</ul>")
        self._show_turns()
        self.reference_label.setText(f"<b>Reference answer</b><br>{e(' '.join(result.reference_answer.split()))}")
        self.opinion_label.setText(opinion_html(result))

    def _show_turns(self) -> None:
        """Each follow-up: what was asked, the reply, what it made of its point, and a link to play it."""
        e, result = html.escape, self.result
        if result is None or not result.turns:
            self.turns_label.clear()
            self.turns_label.hide()
            return
        made = {"covered": "made", "partly": "partly made", "incorrect": "stated incorrectly again",
                "missed": "still missed"}
        items = []
        for n, t in enumerate(result.turns, 1):
            reply = "<i>skipped</i>" if t.transcript is None else e(t.transcript.text or "(nothing was heard)")
            play = ""
            if t.audio and self.replay is not None:
                play = " ▶ playing" if self.playing_turn == n else f' <a href="turn:{n}">▶ play</a>'
            what = ""
            if t.follow_up.point and t.transcript is not None:
                heard = f", heard “{e(t.evidence.text)}”" if t.evidence else ""
                what = f"<br><small>{e(t.follow_up.point)}: {made.get(t.status, e(t.status))}{heard}</small>"
            by = (f" <small>(phrased by the language model {e(t.follow_up.phrased_by)})</small>"
                  if t.follow_up.phrased_by else "")
            items.append(f"<li><i>{e(t.follow_up.kind)}:</i> {e(t.follow_up.text)}{by}<br>"
                         f"Your reply{play}: {reply}{what}</li>")
        back = ' · <a href="turn:0">back to your answer</a>' if self.playing_turn else ""
        self.turns_label.setText(f"<b>Follow-up questions</b>{back}<ol>{''.join(items)}</ol>")
        self.turns_label.show()

    def plain_text(self) -> str:
        """What the view shows, as text (for tests and copying)."""
        from PySide6.QtGui import QTextDocument

        doc = QTextDocument()
        parts = []
        for label in (self.score_label, self.comparison_label, self.flags_label, self.transcript_label,
                      self.covered_label, self.missed_label, self.opinion_label, self.turns_label,
                      self.delivery_label,
                      self.reference_label):
            doc.setHtml(label.text())
            parts.append(doc.toPlainText())
            if label is self.transcript_label and self.replay is not None and self.replay.isVisibleTo(self):
                parts.append(self.replay.transcript_view.toPlainText())
        return "\n".join(parts)


_APP_VERDICT = {"missed": "missed", "partly": "partly", "incorrect": "stated incorrectly", "covered": "covered"}


def opinion_html(result: ScoreResult) -> str:
    """The language model's second opinion beside the app's verdict on each point, and its critique,
    always under the model's name (docs/language-model.md)."""
    o = result.second_opinion
    if o is None:
        return ""
    e = html.escape
    status = {k.label: k.status for k in result.key_points}
    rule = (f"its rule changed the score from {o.score_before}" if o.score_before is not None
            else "the score is the app's own")
    items = []
    for p in o.points:
        app = _APP_VERDICT.get(status.get(p.label, ""), "")
        if p.changed:
            app = f"missed, counted as partly on {e(o.model)}'s word"
        quote = (f", quoting “{e(p.quote)}”" + ("" if p.quote_found else " (not found in your answer)")) if p.quote else ""
        items.append(f"<li>{e(p.label)} — the app: {app}; {e(o.model)}: {e(p.words)}{quote}</li>")
    critique = f"<br><b>Critique written by {e(o.model)}</b>: {e(o.critique)}" if o.critique else ""
    return (f"<b>Second opinion by the language model {e(o.model)}</b> ({rule})"
            f"<ul>{''.join(items) or '<li>no point to ask about: every point was covered</li>'}</ul>{critique}")
