"""Every report format holds the whole exchange per question: each follow-up's question, reply,
recording and what it made, and the point recovered on follow-up with its half credit."""

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
from markupsafe import escape

from mockinterviewer.core.bank import load_bank
from mockinterviewer.core.exchange import judge_turn, with_turns
from mockinterviewer.core.followups import next_follow_up
from mockinterviewer.core.scoring import score_answer
from mockinterviewer.core.transcript import Transcript, Word
from mockinterviewer.reports.model import build_report
from mockinterviewer.reports.render import render, write_report
from mockinterviewer.store import History

ROOT = Path(__file__).resolve().parent.parent
BANK = load_bank(ROOT / "tests" / "data" / "mini.yaml")
ANSWER = "High bias means the model underfits the data it is given, so it does badly everywhere."
REPLY = "High variance means the model overfits and memorizes the training data."


@pytest.fixture(scope="module")
def stored(tmp_path_factory, espeak):
    data_dir = tmp_path_factory.mktemp("reports") / "MockInterviewer"
    history = History(data_dir=data_dir)
    q = BANK.get("bias-variance-tradeoff")
    session = history.start_session("mock", "window", ["mini"], "tiny.en")
    wav = history.session(session).folder / "01-bias-variance-tradeoff-follow-up-1.wav"
    wav.parent.mkdir(parents=True, exist_ok=True)
    espeak(REPLY, wav)
    first = score_answer(q, Transcript.typed(ANSWER))
    probe = next_follow_up(q, first)
    words = tuple(Word(w, 0.4 + i * 0.4, 0.7 + i * 0.4, 0.95) for i, w in enumerate(REPLY.split()))
    turn = judge_turn(q, probe, Transcript(REPLY, words, 6.0, "tiny.en"), str(wav))
    history.save_attempt(session, q, with_turns(first, [turn]), bank="mini")
    history.finish_session(session)
    yield history, session, probe
    history.close()


def test_html_shows_both_turns_the_recovered_point_and_the_replys_recording(stored):
    history, session, probe = stored
    html = render(build_report(history, session), "html", embed_audio=True).decode()
    assert str(escape(probe.text)) in html
    assert ANSWER in html and REPLY in html
    assert f"{probe.point} (recovered on follow-up 1, half credit)" in html
    assert f"{probe.point}: made, heard “" in html
    assert "1 recovered on follow-up (half credit, +" in html
    assert html.count("<audio") == 1 and "data:audio/flac;base64," in html  # the reply's recording, compressed


def test_markdown_json_and_csv_carry_every_turn(stored):
    history, session, probe = stored
    report = build_report(history, session)
    md = render(report, "md").decode()
    assert "**Follow-ups**" in md and "\\(recovered on follow-up 1, half credit\\)" not in md
    assert f"{probe.point} (recovered on follow-up 1, half credit)" in md.replace("\\", "")
    data = json.loads(render(report, "json"))
    jsonschema.validate(data, json.loads((ROOT / "docs" / "report.schema.json").read_text()))
    [turn] = data["answers"][0]["turns"]
    assert (turn["kind"], turn["point"], turn["status"], turn["transcript"]) == ("probe", probe.point, "covered", REPLY)
    assert turn["audio"].endswith("01-bias-variance-tradeoff-follow-up-1.flac") and turn["start"] is not None
    recovered = [p for p in data["answers"][0]["covered"] if p["follow_up"]]
    assert [(p["label"], p["follow_up"], p["follow_up_turn"]) for p in recovered] == [(probe.point, "recovered", 1)]
    [row] = list(csv.DictReader(io.StringIO(render(report, "csv").decode())))
    assert row["follow_ups"] == "1" and row["recovered_on_follow_up"] == f"{probe.point} (recovered)"
    assert f"Q1 (probe): {probe.text} A1: {REPLY}" == row["follow_up_exchange"]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils absent")
def test_pdf_shows_the_follow_up_and_the_reply(stored, tmp_path):
    history, session, probe = stored
    pdf = write_report(history, session, "pdf", tmp_path / "report.pdf")
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "Follow-ups" in text and "memorizes the training data" in text
    assert "recovered on follow-up 1" in text
