import datetime as dt

from mockinterviewer.core.progress import comparison_line


def test_the_first_answer_says_so():
    assert comparison_line([], 40).startswith("Your first answer to this question")


def test_an_improvement_names_the_change_and_a_record():
    nov = lambda d: dt.datetime(2026, 11, d, 9)  # noqa: E731
    line = comparison_line([(nov(3), 45), (nov(10), 60)], 72)
    assert line == "Earlier answers: 45 (3 Nov), 60 (10 Nov). This one: 72, up 12 on the last. Your best yet."


def test_a_drop_and_a_long_history_are_summarised():
    days = [(dt.datetime(2026, 10, d, 9), 50 + d) for d in range(1, 7)]
    line = comparison_line(days, 40)
    assert line.startswith("Earlier answers: 2 more and 53 (3 Oct)") and "down 16 on the last." in line
    assert "best" not in line
