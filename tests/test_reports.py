"""Reports of a real stored session in every format, with hostile text escaped in each."""

import base64
import csv
import io
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from mockinterviewer.core.bank import load_bank
from mockinterviewer.core.scoring import score_answer
from mockinterviewer.core.transcript import Transcript, Word
from mockinterviewer.reports.model import build_report
from mockinterviewer.reports.render import format_for, render, write_report
from mockinterviewer.store import History

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
HOSTILE_QUESTION = "What does <script>alert(1)</script> do with \"quotes\" & 'apostrophes'?"
HOSTILE_ANSWER = ("I think <script>alert(1)</script> and \"&' are *bold* _under_ [link](http://evil.example) "
                  "# not a heading | pipe, and I would escape them before rendering the page.")
SPOKEN = ("To prevent overfitting I would add dropout between the layers, use L2 regularization on the weights, "
          "and stop early when the validation loss starts to rise.")
BANK = f"""format: 1
id: hostile
title: Text that must be escaped
questions:
  - id: script-question
    category: "web <i>security</i>"
    difficulty: hard
    question: '{HOSTILE_QUESTION.replace("'", "''")}'
    answer: "Escape <em>every</em> value: see [docs](http://evil.example) and # headings | pipes."
    key_points:
      - label: "Escape *output*"
        phrasings: [escape, escaping]
      - label: "Never trust <input>"
        phrasings: [never trust, untrusted input]
"""


@pytest.fixture(scope="module")
def stored(tmp_path_factory, espeak):
    """A real session: a hostile question answered twice (typed), and a spoken answer with its recording."""
    root = tmp_path_factory.mktemp("reports")
    bank_file = root / "hostile.yaml"
    bank_file.write_text(BANK, encoding="utf-8")
    hostile, mini = load_bank(bank_file), load_bank(DATA / "mini.yaml")
    question, overfit = hostile.get("script-question"), mini.get("prevent-overfitting")
    data_dir = root / "MockInterviewer"
    history = History(data_dir=data_dir)
    session = history.start_session("practice", "window", ["hostile", "mini"], "tiny.en")
    wav = history.session(session).folder / "03-prevent-overfitting.wav"
    wav.parent.mkdir(parents=True, exist_ok=True)
    espeak(SPOKEN, wav)
    words = tuple(Word(w, 0.5 + i * 0.4, 0.8 + i * 0.4, 0.9) for i, w in enumerate(SPOKEN.split()))
    history.save_attempt(session, question, score_answer(question, Transcript.typed("=HYPERLINK(\"http://x\")")),
                         bank="hostile")
    history.save_attempt(session, question, score_answer(question, Transcript.typed(HOSTILE_ANSWER)), bank="hostile")
    history.save_attempt(session, overfit, score_answer(overfit, Transcript(SPOKEN, words, 10.0, "tiny.en")),
                         bank="mini", recording=wav)
    history.finish_session(session)
    yield history, session
    history.close()


class Page(HTMLParser):
    """What a browser would build: the elements, their attributes, and the text a reader sees."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.text = [], [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend((tag, k, v) for k, v in attrs)

    def handle_data(self, data):
        self.text.append(data)

    @property
    def visible(self):
        return " ".join(" ".join(self.text).split())


def test_html_is_one_self_contained_file_with_every_text_escaped(stored):
    history, session = stored
    html = render(build_report(history, session), "html", embed_audio=True).decode("utf-8")
    page = Page(html)
    assert "script" not in page.tags  # the question's <script> is text, not an element
    assert not {"i", "em", "input"} & set(page.tags)  # neither are the bank's tags
    assert HOSTILE_QUESTION in page.visible and "I think <script>alert(1)</script> and \"&' are *bold*" in page.visible
    assert "web <i>security</i>" in page.visible and "Never trust <input>" in page.visible
    assert "[docs](http://evil.example)" in page.visible  # a link in bank text stays text
    links = [(t, k, v) for t, k, v in page.attrs if k in ("src", "href")]
    assert links and all(v.startswith("data:") for _, _, v in links)  # nothing is fetched from anywhere
    assert page.tags.count("svg") == 1 and page.tags.count("rect") == 1 + 3  # the background and one bar per answer
    assert "1. What does <script>alert(1)" in page.visible  # the chart's labels are escaped too
    audio = [v for t, k, v in page.attrs if t == "audio" and k == "src"]
    flac = history.attempts(session)[2].audio
    assert audio == ["data:audio/flac;base64," + base64.b64encode(flac.read_bytes()).decode()]
    for seen in ("Covered", "Missed", "Reference answer", "Transcript", "By category", "Delivery"):
        assert seen in page.visible
    assert "(attempt 2)" in page.visible


def test_markdown_escapes_markup_in_bank_and_candidate_text(stored):
    history, session = stored
    md = render(build_report(history, session), "md").decode("utf-8")
    assert "<script>" not in md and "<i>" not in md and "<em>" not in md and "<input>" not in md
    assert r"""I think \<script\>alert(1)\</script\> and "\&' are""" r" \*bold\* \_under\_ \[link\](http://evil.example) " \
           r"\# not a heading \| pipe" in md
    headings = [line for line in md.splitlines() if line.startswith("#")]
    assert all(re.fullmatch(r"#{1,3} (Mock interview report|Summary|By category|Delivery|Answers|\d\. .+)", h)
               for h in headings), headings
    assert len(headings) == 5 + 3
    rows = [line for line in md.splitlines() if re.match(r"\| \d \|", line)]
    assert len(rows) == 3 and all(len(re.findall(r"(?<!\\)\|", row)) == 6 for row in rows)  # no extra cells


def test_json_follows_its_documented_schema(stored):
    history, session = stored
    data = json.loads(render(build_report(history, session), "json"))
    jsonschema.validate(data, json.loads((ROOT / "docs" / "report.schema.json").read_text()))
    attempts = history.attempts(session)
    assert [a["score"] for a in data["answers"]] == [a.score for a in attempts]
    assert data["answers"][1]["question"] == HOSTILE_QUESTION and data["answers"][1]["attempt"] == 2
    assert data["answers"][2]["audio"].endswith("03-prevent-overfitting.flac")
    assert [p["label"] for p in data["answers"][2]["covered"]] == ["Regularisation", "Dropout", "Early stopping"]
    assert data["answers"][2]["covered"][1]["start"] is not None
    assert data["summary"]["average"] == round((attempts[1].score + attempts[2].score) / 2)
    assert data["summary"]["delivery"]["spoken_answers"] == 1


def test_csv_has_one_row_per_attempt_and_no_formulas(stored):
    history, session = stored
    rows = list(csv.DictReader(io.StringIO(render(build_report(history, session), "csv").decode("utf-8"))))
    assert [int(r["score"]) for r in rows] == [a.score for a in history.attempts(session)]
    assert [r["attempt"] for r in rows] == ["1", "2", "1"]
    assert rows[0]["transcript"].startswith("'=HYPERLINK")  # a spreadsheet shows it, does not run it
    assert rows[1]["question"] == HOSTILE_QUESTION
    assert rows[2]["covered"] == "Regularisation; Dropout; Early stopping"


def test_pdf_shows_the_report_as_text_a_reader_sees(stored, tmp_path):
    if not shutil.which("pdftotext") or not shutil.which("pdftoppm"):
        pytest.fail("poppler-utils is not installed; `make test` installs it (packaging/linux/system-deps.sh)")
    history, session = stored
    pdf = write_report(history, session, format_for("report.pdf"), tmp_path / "report.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "Mock interview report" in flat and "<script>alert(1)</script>" in flat and "Reference answer" in flat
    assert "Early stopping" in flat and "(attempt 2)" in flat
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True)
    from PySide6.QtGui import QImage

    image = QImage(str(next(tmp_path.glob("page*.png"))))
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 20  # text and the chart's coloured bars, not a blank page


def test_a_report_file_is_written_in_the_format_asked(stored, tmp_path):
    history, session = stored
    written = {fmt: write_report(history, session, fmt, tmp_path / f"report.{fmt}") for fmt in ("html", "md", "json", "csv")}
    assert all(format_for(path) == fmt for fmt, path in written.items())
    assert written["csv"].read_bytes() == render(build_report(history, session), "csv")
    assert json.loads(written["json"].read_text())["session"]["id"] == session
    assert written["md"].read_text().startswith("# Mock interview report\n")
    page = Page(written["html"].read_text())
    assert "Mock interview report" in page.visible and page.tags.count("audio") == 0  # audio only when asked


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils absent")
def test_the_pdf_chart_keeps_the_label_of_a_full_bar_and_its_100_tick(tmp_path):
    from PySide6.QtGui import QColor, QImage

    bank = load_bank(ROOT / "questions" / "ml-engineer.yaml")
    question = bank.get("bias-variance-tradeoff")
    with History(data_dir=tmp_path / "data") as history:
        session = history.start_session("practice", "window", [bank.id], "tiny.en")
        result = score_answer(question, Transcript.typed(question.answer))  # the reference answer: every point
        assert result.score == 100
        history.save_attempt(session, question, result, bank=bank.id)
        pdf = write_report(history, session, "pdf", tmp_path / "report.pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True)
    image = QImage(str(next(tmp_path.glob("page*.png"))))
    green = QColor("#12b76a")

    def near(pixel, colour, tolerance=40):
        c = QColor(pixel)
        return abs(c.red() - colour.red()) + abs(c.green() - colour.green()) + abs(c.blue() - colour.blue()) < tolerance

    bar = [(x, y) for y in range(image.height() // 2) for x in range(image.width()) if near(image.pixel(x, y), green)]
    assert bar, "no full-score bar drawn"
    right, rows = max(x for x, _ in bar), sorted({y for _, y in bar})
    mid = rows[len(rows) // 2]
    ink = [x for x in range(right + 2, image.width()) if QColor(image.pixel(x, mid)).lightness() < 120]
    assert ink, "the bar's '100' label is cut off at the page margin"
    # the axis' ticks, 0 ... 100, are drawn below the bars, the last one under the bar's end
    below = [y for y in range(rows[-1] + 4, rows[-1] + 60)
             if any(QColor(image.pixel(x, y)).lightness() < 200 for x in range(right - 12, right + 14))]
    assert below, "the '100' tick label is missing"
