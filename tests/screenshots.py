"""Screenshots of the real window for the README and docs/ (run: make screenshots, needs xvfb).

The window is driven exactly as in tests/test_window.py: espeak-ng speaks the answer into the
file-backed microphone, the real model transcribes it.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests import conftest  # noqa: E402  (sets up the ALSA file devices before PortAudio starts)

OUT = Path(__file__).resolve().parent.parent / "docs" / "images"
ANSWER = ("The bias variance tradeoff. High bias means the model is too simple, so it underfits. "
          "High variance means it overfits: it memorizes noise in the training data. "
          "Regularization lowers variance, and I use cross validation to pick the model complexity.")


def main() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from mockinterviewer.core.session import State
    from mockinterviewer.gui.app import STYLE, build_window
    from mockinterviewer.settings import Settings

    OUT.mkdir(parents=True, exist_ok=True)
    wav = conftest.render_speech(ANSWER, conftest.AUDIO_DIR / "answer.wav")
    length = conftest.load_mic(wav=wav, silence_after=2)
    app = QApplication(sys.argv[:1])
    app.setStyleSheet(STYLE)
    window = build_window(Settings(max_answer_seconds=length - 1), bank_dirs=[Path(__file__).parent.parent / "questions"],
                          recordings_dir=conftest.AUDIO_DIR / "recordings")
    window.resize(900, 720)
    window.show()
    shots = []

    def snap(name):
        app.processEvents()
        window.grab().save(str(OUT / f"{name}.png"))
        shots.append(name)

    def step():
        c = window.controller
        if "setup" not in shots:
            if window.setup_page.start_button.isEnabled() and "ready" in window.setup_page.model_label.text():
                window.setup_page.table.selectRow(2)
                snap("setup")
                window.setup_page.shuffle_box.setChecked(False)
                bank = window.setup_page.banks[0]
                bias = next(q for q in bank.questions if q.id == "bias-variance-tradeoff")
                window.start_session([bias, *[q for q in bank.questions if q is not bias][:1]])
        elif "scored" not in shots and c.state is State.SCORED:
            snap("scored")
            c.next()
            c.skip_speech(record=False)
            window.question_page.show_typing()
            window.question_page.typed_box.setPlainText("Supervised learning uses labelled data for classification and regression; unsupervised learning finds clusters without labels.")
            c.submit_typed(window.question_page.typed_box.toPlainText())
        elif "scored" in shots and c.state is State.SCORED:
            c.next()
        elif c.state is State.FINISHED:
            snap("summary")
            app.quit()
            return
        QTimer.singleShot(100, step)

    QTimer.singleShot(100, step)
    QTimer.singleShot(120_000, app.quit)
    app.exec()
    print("wrote", ", ".join(f"docs/images/{s}.png" for s in shots))
    return 0 if len(shots) == 3 else 1


if __name__ == "__main__":
    sys.exit(main())
