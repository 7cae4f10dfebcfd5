"""Screenshots of the real window for the README and docs/ (run: make screenshots, needs xvfb).

Each screen at the size given (``python tests/screenshots.py 1024x640``; the Makefile takes
1024x640, the smallest screen the window is laid out for, and 1440x900), saved as
docs/images/NAME-WxH.png; the correction box open on a scored answer is one of them, and so are
a follow-up question (F after the feedback) with its typed reply, and the summary of an answer
with its follow-up.

The window is driven as in the tests: espeak-ng speaks the answer into the file-backed
microphone and the real model transcribes it. Three weeks of earlier practice are put in the
history first (typed answers, really scored), so the history page has something to show.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests import conftest  # noqa: E402  (sets up the ALSA file devices before PortAudio starts)

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "images"
ANSWER = ("The bias variance tradeoff. High bias means the model is too simple, so it underfits. "
          "High variance means it overfits: it memorizes noise in the training data. "
          "Regularization lowers variance, and I use cross validation to pick the model complexity.")
REPLY = "The expected error decomposes into bias squared, variance and irreducible noise."
EARLIER = {  # question id -> typed answers of earlier weeks, weaker first
    "bias-variance-tradeoff": ["A model can be too simple.", "High bias means underfitting."],
    "precision-vs-recall": ["Precision is about positives.", "Precision is true positives over predicted positives."],
    "regularization": ["It stops overfitting.", "L2 adds a penalty on large weights and L1 gives sparse weights."],
}


def seed_history(data_dir: Path, bank) -> None:
    from mockinterviewer.core.scoring import score_answer
    from mockinterviewer.core.transcript import Transcript
    from mockinterviewer.store import History

    now = dt.datetime.now().astimezone()
    with History(data_dir=data_dir) as history:
        for week, mode in ((3, "practice"), (2, "mock"), (1, "practice")):
            when = now - dt.timedelta(days=7 * week)
            sid = history.start_session(mode=mode, banks=[bank.id], model="tiny.en", started_at=when)
            for qid, answers in EARLIER.items():
                question = bank.get(qid)
                if question is None:
                    continue
                text = answers[min(len(answers) - 1, 3 - week)]
                history.save_attempt(sid, question, score_answer(question, Transcript.typed(text)), bank=bank.id,
                                     attempted_at=when)
            history.finish_session(sid, when + dt.timedelta(minutes=20))


def main(size: str = "1440x900") -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from mockinterviewer.core.bank import load_bank
    from mockinterviewer.core.session import State
    from mockinterviewer.gui.app import build_window, follow_color_scheme, set_identity
    from mockinterviewer.settings import Settings

    OUT.mkdir(parents=True, exist_ok=True)
    width, height = (int(n) for n in size.split("x"))
    bank = load_bank(ROOT / "questions" / "ml-engineer.yaml")
    data_dir = conftest.AUDIO_DIR / f"data-{size}"
    seed_history(data_dir, bank)
    wav = conftest.render_speech(ANSWER, conftest.AUDIO_DIR / "answer.wav")
    length = conftest.load_mic(wav=wav, silence_after=2)
    app = QApplication(sys.argv[:1])
    set_identity(app)
    follow_color_scheme(app)
    window = build_window(Settings(max_answer_seconds=length - 1), bank_dirs=[ROOT / "questions"],
                          recordings_dir=data_dir / "recordings")
    window.resize(width, height)
    window.show()
    shots = []

    def snap(name, widget=None):
        app.processEvents()
        (widget or window).grab().save(str(OUT / f"{name}-{size}.png"))
        shots.append(name)

    def step():
        c = window.controller
        if "setup" not in shots:
            if window.setup_page.start_button.isEnabled() and "ready" in window.setup_page.model_label.text():
                window.setup_page.table.selectRow(2)
                snap("setup")
                bias = bank.get("bias-variance-tradeoff")
                window.start_session([bias, bank.get("supervised-unsupervised-reinforcement") or bank.questions[1]])
        elif "scored" not in shots and c.state is State.SCORED:
            if not window.question_page.result_view.comparison_label.text():
                QTimer.singleShot(100, step)  # the comparison with earlier answers is read in the background
                return
            snap("scored")
            window.question_page.show_correction()
            snap("correcting")
            window.question_page.typed_box.clearFocus()
            window.question_page._hide_box()
            c.ask_follow_up()  # F: the interviewer asks back about the point missed
        elif "follow-up" not in shots and c.session.follow_up is not None and c.state is not State.TRANSCRIBING:
            if c.state is State.SPEAKING:
                c.skip_speech(record=False)
            window.question_page.show_typing()
            window.question_page.typed_box.setPlainText(REPLY)
            snap("follow-up")
            c.submit_typed(REPLY)
            c.next()
            c.skip_speech(record=False)
            window.question_page.show_typing()
            window.question_page.typed_box.setPlainText(
                "Supervised learning uses labelled data for classification and regression; "
                "unsupervised learning finds clusters without labels.")
            c.submit_typed(window.question_page.typed_box.toPlainText())
        elif "scored" in shots and c.state is State.SCORED:
            c.next()
        elif c.state is State.FINISHED and window.stack.currentWidget() is window.summary_page and "summary" not in shots:
            replay = window.summary_page.result_view.replay
            if replay.isVisible() and replay.duration == 0:
                QTimer.singleShot(100, step)  # the recording is read in the background
                return
            snap("summary")
            view = window.summary_page.result_view
            scroll = view.parentWidget().parentWidget()  # the scroll area around the feedback
            scroll.ensureWidgetVisible(view.turns_label, 0, 0)
            snap("summary-follow-ups")
            window.show_history()
            window.history_page.refresh()
        elif "summary" in shots and "history" not in shots:
            page = window.history_page
            if page.sessions_model.rowCount() >= 4 and not page.chart.is_empty():
                snap("history")
                page.tabs.setCurrentIndex(1)
                QTimer.singleShot(500, lambda: (snap("history-sessions"), settings()))
                return
        elif "settings" in shots:
            app.quit()
            return
        QTimer.singleShot(100, step)

    def settings():
        dialog = window.open_settings()
        QTimer.singleShot(1500, lambda: (snap("settings", dialog), dialog.reject(), step()))

    QTimer.singleShot(100, step)
    QTimer.singleShot(180_000, app.quit)
    app.exec()
    print("wrote", ", ".join(f"docs/images/{s}-{size}.png" for s in shots))
    return 0 if len(shots) == 9 else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))
