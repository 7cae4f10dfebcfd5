"""The window's feedback for points stated incorrectly and partly covered (issue 12), on the real widget."""

from pathlib import Path

from mockinterviewer.core.bank import load_bank
from mockinterviewer.core.scoring import score_answer
from mockinterviewer.core.transcript import Transcript, Word

BANK = load_bank(Path(__file__).parent / "data" / "claims" / "claims.yaml")


def spoken(text: str, step: float = 0.5) -> Transcript:
    words = tuple(Word(w, i * step, i * step + 0.4) for i, w in enumerate(text.split()))
    return Transcript(text, words, duration=len(words) * step)


def test_a_point_stated_incorrectly_is_shown_with_the_words_their_time_and_the_correction(qtbot):
    from mockinterviewer.gui.session.result_view import ResultView

    view = ResultView(replay=False)
    qtbot.addWidget(view)
    answer = ("I would make the network much larger and remove dropout. Early stopping helps, and I watch the "
              "validation loss against the training loss as I train.")
    result = score_answer(BANK.get("prevent-overfitting"), spoken(answer))
    view.show_result(result)
    shown = view.plain_text()
    assert shown.startswith(f"{result.score} / 100 — 2 covered, 2 stated incorrectly of 6 key points\n"
                            "2 covered, 2 stated incorrectly (0), 2 missed of 6 key points = 33.")
    # "remove" is the 9th word (index 8): 4.0 s into the recording
    assert "✗ Use dropout during training — stated incorrectly — heard “remove dropout” at 0:04" in shown
    assert "Correct: Dropout reduces overfitting; keep it during training." in shown
    assert "✗ Reduce capacity or use bagging ensembles — stated incorrectly — heard “make the network much larger”" \
        in shown
    assert "Correct: A larger network memorises more noise; reduce its capacity instead." in shown
    assert "✓ Stop training early" in shown and "✓ Use dropout" not in shown


def test_a_partly_covered_point_says_so(qtbot):
    from mockinterviewer.gui.session.result_view import ResultView

    view = ResultView(replay=False)
    qtbot.addWidget(view)
    result = score_answer(BANK.get("bias-variance-tradeoff"), Transcript.typed(
        "High bias is a problem in many models, and I have read a lot about it recently, high variance means the "
        "model overfits the training data."))
    view.show_result(result)
    shown = view.plain_text()
    assert "◐ High bias means underfitting (partly, half credit) — heard “High bias”" in shown
    assert "✓ High variance means overfitting" in shown
    assert "1 covered, 1 partly (half) of 2 key points = 75." in shown
    assert "Stated incorrectly" not in shown


def test_the_question_browser_shows_how_a_point_is_stated_and_when_it_is_wrong(qtbot):
    from mockinterviewer.gui.session.question_browser import question_html

    shown = question_html(BANK.get("bias-variance-tradeoff"))
    assert "stated as: high bias + underfitting" in shown
    assert "wrong if: high bias + overfitting" in shown
