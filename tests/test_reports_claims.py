"""Every report format shows points stated incorrectly (words heard, time, correction), partly
covered points and the score's line (issue 12), from a real stored session."""

import csv
import io
import json
import shutil
import subprocess
import unicodedata
from pathlib import Path

import jsonschema
import pytest

from mockinterviewer.core.bank import load_bank
from mockinterviewer.core.scoring import score_answer
from mockinterviewer.core.transcript import Transcript, Word
from mockinterviewer.reports.model import build_report
from mockinterviewer.reports.render import render, write_report
from mockinterviewer.store import History

ROOT = Path(__file__).resolve().parent.parent
WRONG = "I would make the network much larger and remove dropout, and I watch the validation loss as I train."
PARTLY = ("High bias is a problem in many models, and I have read a lot about it recently, high variance means the "
          "model overfits the training data.")


@pytest.fixture
def stored(tmp_path):
    bank = load_bank(ROOT / "tests" / "data" / "claims" / "claims.yaml")
    overfit, bias = bank.get("prevent-overfitting"), bank.get("bias-variance-tradeoff")
    history = History(data_dir=tmp_path / "MockInterviewer")
    session = history.start_session("practice", "window", ["claims-test"], "tiny.en")
    words = tuple(Word(w, i * 0.5, i * 0.5 + 0.4) for i, w in enumerate(WRONG.split()))
    history.save_attempt(session, overfit, score_answer(overfit, Transcript(WRONG, words, 12.0, "tiny.en")),
                         bank="claims-test")
    history.save_attempt(session, bias, score_answer(bias, Transcript.typed(PARTLY)), bank="claims-test")
    history.finish_session(session)
    yield history, session
    history.close()


def test_every_format_names_the_wrong_statements_and_the_partly_covered_point(stored, tmp_path):
    history, session = stored
    report = build_report(history, session)
    # "remove" is word 9 (index 8): 4.0 s
    for fmt in ("html", "md"):
        text = render(report, fmt).decode("utf-8").replace("\\", "")
        assert "Stated incorrectly" in text, fmt
        assert "Use dropout during training: heard “remove dropout” at 0:04" in text, fmt
        assert "Dropout reduces overfitting; keep it during training." in text, fmt
        assert "High bias means underfitting (partly, half credit): heard “High bias”" in text, fmt
        assert "1 covered, 2 stated incorrectly (0), 3 missed of 6 key points = 17." in text, fmt

    data = json.loads(render(report, "json"))
    jsonschema.validate(data, json.loads((ROOT / "docs" / "report.schema.json").read_text()))
    first, second = data["answers"]
    assert [p["label"] for p in first["incorrect"]] == ["Use dropout during training",
                                                        "Reduce capacity or use bagging ensembles"]
    assert first["incorrect"][0] == {"label": "Use dropout during training", "evidence": "remove dropout",
                                     "start": 4.0, "end": 4.9,
                                     "correction": "Dropout reduces overfitting; keep it during training."}
    assert [(p["label"], p["status"]) for p in second["covered"]] == [
        ("High bias means underfitting", "partly"), ("High variance means overfitting", "covered")]

    rows = list(csv.DictReader(io.StringIO(render(report, "csv").decode("utf-8"))))
    assert (rows[0]["points_covered"], rows[0]["points_incorrect"], rows[0]["points_total"]) == ("1", "2", "6")
    assert rows[0]["incorrect"] == "Use dropout during training; Reduce capacity or use bagging ensembles"

    if shutil.which("pdftotext"):  # the PDF is the HTML laid out by Qt: the same words
        pdf = write_report(history, session, "pdf", tmp_path / "report.pdf")
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        flat = " ".join(unicodedata.normalize("NFKC", text).split())  # "ﬁ" ligatures back to letters
        assert "Stated incorrectly" in flat and "Dropout reduces overfitting; keep it during training." in flat
